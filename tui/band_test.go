package tui

import (
	"strings"
	"testing"
)

// TestSmallTerminalPanes: at 80x24 the Services/Events column gives way, the YAML pane (six
// lines at least) and the packet pane stay under the diagram, and the hop line wraps rather
// than cutting an address; on a terminal too short for a band (120x24) the panes open in place
// of the diagram and close again.
func TestSmallTerminalPanes(t *testing.T) {
	s := newApp(t, sampleNodePort, 80, 24, Options{})
	if s.bandHeight() < 7 || s.paneWidth() != 0 || s.diagramWidth() != 80 {
		t.Fatalf("80x24: band %d, right pane %d", s.bandHeight(), s.paneWidth())
	}
	for range 4 {
		s.Update(keyMsg("right"))
	}
	v := s.View()
	checkSize(t, v, 80, 24)
	for _, want := range []string{"client 192.168.1.10", "YAML nodeport.yaml:40", "▸40", "Packet TCP", "192.168.1.2:30008 ⇒ 10.244.0.2:80", "targetPort 80 on Pod 10.244.0.2"} {
		if !strings.Contains(v, want) {
			t.Errorf("80x24 lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "Events (tab)") {
		t.Error("80x24 still shows the events column")
	}
	s.Update(keyMsg("tab"))
	if v := s.View(); !strings.Contains(v, "Events (tab)") || !strings.Contains(v, "5 KUBE-SEP") || !strings.Contains(v, "myapp-service") {
		t.Errorf("tab did not open the events over the diagram:\n%s", v)
	}
	m := newApp(t, sampleNodePort, 120, 24, Options{})
	if m.bandHeight() != 0 {
		t.Fatal("120x24 has a band")
	}
	for _, k := range []string{"y", "i", "d"} {
		m.Update(keyMsg(k))
		if !m.overlay {
			t.Fatalf("%s did not open its pane", k)
		}
		checkSize(t, m.View(), 120, 24)
	}
	m.Update(keyMsg("esc"))
	if m.overlay || !strings.Contains(m.View(), "client 192.168.1.10") {
		t.Fatal("esc did not bring the diagram back")
	}
}

// TestFocusCycle: tab visits the events, the Services, the detail pane, then the diagram.
func TestFocusCycle(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	for _, want := range []focus{focusEvents, focusServices, focusPane, focusDiagram} {
		m.Update(keyMsg("tab"))
		if m.focus != want {
			t.Fatalf("tab gave focus %d, want %d", m.focus, want)
		}
	}
	small := newApp(t, sampleNodePort, 120, 24, Options{})
	for range 3 {
		small.Update(keyMsg("tab"))
	}
	if small.focus != focusDiagram {
		t.Fatal("tab focused a pane that is not on screen")
	}
	narrow := newApp(t, sampleNodePort, 80, 24, Options{})
	for _, want := range []focus{focusEvents, focusServices, focusPane, focusDiagram} {
		narrow.Update(keyMsg("tab"))
		if narrow.focus != want {
			t.Fatalf("80x24: tab gave focus %d, want %d", narrow.focus, want)
		}
	}
}
