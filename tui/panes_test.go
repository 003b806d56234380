package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/svcviz/svcviz/netsim"
)

// markedLine is the YAML pane's highlighted line ("▸42       nodePort: 30008").
func markedLine(t *testing.T, v string) string {
	t.Helper()
	for _, l := range strings.Split(v, "\n") {
		i := strings.Index(l, "▸")
		heading := i >= 0 && strings.HasPrefix(strings.TrimSpace(l[i+len("▸"):]), "YAML")
		if i >= 0 && i < 3 && !heading {
			return l
		}
	}
	t.Fatalf("no highlighted YAML line:\n%s", v)
	return ""
}

// TestYAMLFollowsTheHop: the pane highlights the field that decides each hop of the NodePort
// trace, with its line number.
func TestYAMLFollowsTheHop(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	want := map[int]string{2: "42       nodePort: 30008", 3: "41       port: 80", 4: "36   selector:", 5: "40     - targetPort: 80", 7: "28         - containerPort: 80"}
	for step := 1; step <= 7; step++ {
		if w, ok := want[step]; ok && !strings.Contains(markedLine(t, m.View()), w) {
			t.Errorf("step %d: highlighted %q, want %q", step, markedLine(t, m.View()), w)
		}
		m.Update(keyMsg("right"))
	}
}

func TestGoldenYAMLNodePort(t *testing.T) { runGolden(t, sampleNodePort, 120, 36, "right") }
func TestGoldenYAMLDNAT(t *testing.T) {
	runGolden(t, sampleNodePort, 120, 36, "right", "right", "right", "right")
}

// TestRulesPane: at the choose hop, i shows KUBE-SVC with the rule that matched highlighted.
func TestRulesPane(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	for range 3 {
		m.Update(keyMsg("right"))
	}
	m.Update(keyMsg("i"))
	v := m.View()
	hop := m.hop()
	if hop.Action != "choose" || !strings.Contains(v, "-t nat  "+hop.Chain) || !strings.HasPrefix(hop.Chain, "KUBE-SVC-") {
		t.Fatalf("rules pane at %s:\n%s", hop.Action, v)
	}
	if l := markedLine(t, v); !strings.Contains(l, "-A "+hop.Chain) || !strings.Contains(v, "-j KUBE-SEP-") {
		t.Fatalf("matched rule not highlighted: %q", l)
	}
	m.Update(keyMsg("left")) // the teaching-only Service port hop has no chain
	if v := m.View(); !strings.Contains(v, "not in a kube-proxy chain") {
		t.Fatalf("hop without a chain:\n%s", v)
	}
	m.Update(keyMsg("i"))
	if m.pane != paneYAML {
		t.Fatal("i did not close the rules")
	}
}

func TestGoldenRulesChoose(t *testing.T) {
	runGolden(t, sampleNodePort, 120, 36, "right", "right", "right", "i")
}

// TestGoldenWireView: w switches to the wire view; the status bar counts its hops.
func TestGoldenWireView(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	if !strings.Contains(m.View(), "hop 1/8") {
		t.Fatal("teaching view does not count 8 hops")
	}
	m.Update(keyMsg("w"))
	if v := m.View(); !strings.Contains(v, "hop 1/13") || !strings.Contains(v, "one DNAT, 192.168.1.2:30008 → 10.244.0.2:80") {
		t.Fatalf("wire view:\n%s", v)
	}
	runGolden(t, sampleNodePort, 120, 36, "w", "right", "right", "right", "right")
}

// TestBrokenSelectorDiagnostics: the diagnostics pane lists no-matching-pods with its hint,
// and the trace dies at kube-proxy's REJECT with that diagnostic shown.
func TestBrokenSelectorDiagnostics(t *testing.T) {
	m := newModel(t, sampleBroken, 120, 36, Options{})
	m.Update(keyMsg("right"))
	v := m.View()
	h := m.hop()
	if h.Action != "reject" || h.Diagnostic == nil {
		t.Fatalf("hop 2 is %s", h.Action)
	}
	for _, want := range []string{"✗ rejected", "▲ warning no-matching-pods", "hint: nearest: Pod \"myapp-pod\"", "broken-selector.yaml:42: warning no-matching-pods", "! warning (d)"} {
		if !strings.Contains(v, want) {
			t.Errorf("reject hop lacks %q:\n%s", want, v)
		}
	}
	m.Update(keyMsg("d"))
	v = m.View()
	for _, want := range []string{"Diagnostics 1 warning", "samples/broken-selector.yaml:42: warning", "no-matching-pods", "hint: nearest"} {
		if !strings.Contains(v, want) {
			t.Errorf("diagnostics pane lacks %q:\n%s", want, v)
		}
	}
	m.Update(keyMsg("enter")) // enter without focus does nothing in the pane; focus it first
	for m.focus != focusPane {
		m.Update(keyMsg("tab"))
	}
	m.Update(keyMsg("enter"))
	if m.pane != paneYAML || !strings.Contains(markedLine(t, m.View()), "42     type: frontend") {
		t.Fatalf("enter on the diagnostic did not show its line:\n%s", m.View())
	}
}

func TestGoldenBrokenDiagnostics(t *testing.T) { runGolden(t, sampleBroken, 120, 36, "right", "d") }
func TestGoldenBrokenReject(t *testing.T)      { runGolden(t, sampleBroken, 120, 36, "right") }

// TestSmallTerminalPanes: at 80x24 the Services/Events column gives way, the YAML pane (six
// lines at least) and the packet pane stay under the diagram, and the hop line wraps rather
// than cutting an address; on a terminal too short for a band (120x24) the panes open in place
// of the diagram and close again.
func TestSmallTerminalPanes(t *testing.T) {
	s := newModel(t, sampleNodePort, 80, 24, Options{})
	if s.bandHeight() < 7 || s.paneWidth() != 0 || s.diagramWidth() != 80 {
		t.Fatalf("80x24: band %d, right pane %d", s.bandHeight(), s.paneWidth())
	}
	for range 4 {
		s.Update(keyMsg("right"))
	}
	v := s.View()
	checkSize(t, v, 80, 24)
	for _, want := range []string{"client 192.168.1.10", "YAML nodeport.yaml:40", "▸40", "Packet TCP", "~~192.168.1.2:30008~~ 10.244.0.2:80", "targetPort 80 on Pod 10.244.0.2"} {
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
	m := newModel(t, sampleNodePort, 120, 24, Options{})
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

func TestGolden80x24YAML(t *testing.T) {
	runGolden(t, sampleNodePort, 80, 24, "right", "right", "right", "right", "y")
}

// TestMousePanes: the wheel scrolls the pane under it; a click on the Service box selects it
// and shows its YAML; a click on a diagnostic shows its line.
func TestMousePanes(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	row := m.diagramHeight() + 3 // inside the YAML pane
	before := m.View()
	m.Update(tea.MouseMsg{X: 5, Y: 1 + row, Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if m.View() == before || m.yaml.off >= 0 {
		t.Fatal("the wheel did not scroll the YAML pane")
	}
	l := m.diagram().Layout
	svc := l.Nodes[0].Svc
	m.Update(tea.MouseMsg{X: svc.X + 3 - m.scrollX, Y: 1 + svc.Y + 1 - m.scrollY, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if m.focus != focusServices || m.pin == nil || !strings.Contains(markedLine(t, m.View()), "30 apiVersion: v1") {
		t.Fatalf("click on the Service box: focus %d pin %v\n%s", m.focus, m.pin, m.View())
	}

	b := newModel(t, sampleBroken, 120, 36, Options{})
	b.Update(keyMsg("d"))
	b.Update(tea.MouseMsg{X: 10, Y: 1 + b.diagramHeight() + 1, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if b.pane != paneYAML || b.pin == nil || b.pin.t.Line != 42 {
		t.Fatalf("click on a diagnostic: pane %d pin %+v", b.pane, b.pin)
	}
}

// TestFocusCycle: tab visits the events, the Services, the detail pane, then the diagram.
func TestFocusCycle(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	for _, want := range []focus{focusEvents, focusServices, focusPane, focusDiagram} {
		m.Update(keyMsg("tab"))
		if m.focus != want {
			t.Fatalf("tab gave focus %d, want %d", m.focus, want)
		}
	}
	small := newModel(t, sampleNodePort, 120, 24, Options{})
	for range 3 {
		small.Update(keyMsg("tab"))
	}
	if small.focus != focusDiagram {
		t.Fatal("tab focused a pane that is not on screen")
	}
	narrow := newModel(t, sampleNodePort, 80, 24, Options{})
	for _, want := range []focus{focusEvents, focusServices, focusPane, focusDiagram} {
		narrow.Update(keyMsg("tab"))
		if narrow.focus != want {
			t.Fatalf("80x24: tab gave focus %d, want %d", narrow.focus, want)
		}
	}
}

// TestYAMLGhostField: a defaulted field is shown as a dim ghost line under its nearest written
// ancestor, at its indentation, and highlighted in its place; the title keeps its status and
// shortens the field path from the left.
func TestYAMLGhostField(t *testing.T) {
	cases := []struct {
		path, field, ghost, status string
	}{
		{"../samples/loadbalancer.yaml", "spec.ports[0].nodePort", "        nodePort: 30000   # allocated", "(allocated)"},
		{"../samples/deployment.yaml", "spec.externalTrafficPolicy", "  externalTrafficPolicy: Cluster   # default, not in the file", "(default)"},
	}
	for _, c := range cases {
		for _, sz := range [][2]int{{120, 36}, {80, 24}} {
			m := newModel(t, c.path, sz[0], sz[1], Options{})
			found := false
			for i := range m.steps {
				jumpTo(m, i)
				if h := m.hop(); h.Field == c.field && h.Defaulted {
					found = true
					break
				}
			}
			if !found {
				t.Fatalf("%s: no hop decided by defaulted %s", c.path, c.field)
			}
			v := m.View()
			want := c.ghost[:strings.Index(c.ghost, "#")+1] // the comment may be cut with "…"
			if l := markedLine(t, v); !strings.Contains(l, want) {
				t.Errorf("%s %v: highlighted %q, want the ghost %q\n%s", c.path, sz, l, c.ghost, v)
			}
			var head string
			for _, l := range strings.Split(v, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), "YAML") {
					head = l
				}
			}
			if !strings.Contains(head, c.status+" ") && !strings.Contains(head, c.status+"│") {
				t.Errorf("%s %v: YAML title %q lost its status %s", c.path, sz, head, c.status)
			}
		}
	}
	if got := shortPath("spec.template.spec.containers[0].ports[0].containerPort", 40); got != "…containers[0].ports[0].containerPort" {
		t.Errorf("shortPath: %q", got)
	}
}

// TestNamedPortNote: at the DNAT of a named targetPort the YAML pane says, under the
// highlighted line, which line declares the name and what it resolves to, and the explanation
// line says "targetPort http (=8080)".
func TestNamedPortNote(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		m := newModel(t, "../samples/named-ports.yaml", sz[0], sz[1], Options{})
		for i := range m.steps {
			if m.trace.Hops[m.steps[i]].Action == netsim.ActDNAT {
				jumpTo(m, i)
			}
		}
		ep := m.trace.Endpoint
		line := ep.Pod.FieldPos(ep.PortField + ".name").Line
		v := m.View()
		lines := strings.Split(v, "\n")
		for i, l := range lines {
			if strings.Contains(l, "▸") && strings.Contains(l, "targetPort: http") {
				if want := fmt.Sprintf("→ line %d: name: http = containerPort 8080", line); !strings.Contains(lines[i+1], want) {
					t.Errorf("%v: under the highlighted line %q, want %q", sz, lines[i+1], want)
				}
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(v), " "), "targetPort http (=8080)") {
			t.Errorf("%v: the explanation lacks targetPort http (=8080):\n%s", sz, v)
		}
	}
}

// TestClickPodDeliversToThatPod: a click on each Pod of the Deployment sends the packet to
// that very Pod, on one node and on three, and clicking it again keeps it there.
func TestClickPodDeliversToThatPod(t *testing.T) {
	for _, nodes := range []int{1, 3} {
		m, err := New(loadSim(t, "../samples/deployment.yaml", nodes), Options{})
		if err != nil {
			t.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
		if n := len(m.diagram().Layout.Pods); n != 3 {
			t.Fatalf("%d nodes: %d Pods drawn, want the 3 replicas", nodes, n)
		}
		for k := range m.diagram().Layout.Pods {
			pb := m.diagram().Layout.Pods[k]
			for range 2 {
				m.Update(tea.MouseMsg{X: pb.X + 2 - m.scrollX, Y: 1 + pb.Y + 1 - m.scrollY, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
				if ep := m.trace.Endpoint; ep == nil || ep.Pod != pb.Item.Pod {
					t.Fatalf("%d nodes: click on %s chose %+v", nodes, pb.Item.Show, ep)
				}
				var got *netsim.PodInfo
				for _, h := range m.trace.Hops {
					if h.Action == netsim.ActDeliver {
						got = h.Pod
					}
				}
				if got == nil || got.Pod != pb.Item.Pod {
					t.Fatalf("%d nodes: click on %s delivered to %v", nodes, pb.Item.Show, got)
				}
			}
		}
	}
}
