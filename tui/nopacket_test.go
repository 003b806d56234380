package tui

import (
	"strings"
	"testing"
)

// ipFamilies is an input whose every Service the API server would refuse.
const ipFamilies = "../testdata/real-inputs/ip-families.yaml"

// TestNoServiceAccepted: when the API server would refuse every Service, the screen still
// opens — on a picture of what the input describes and no packet — with the first Service's
// error highlighted in its YAML line; every key works without a packet, and the diagnostics
// pane shows the other errors' lines.
func TestNoServiceAccepted(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		m := newApp(t, ipFamilies, sz[0], sz[1], Options{})
		if len(m.trace.Hops) != 0 || m.trace.Service.Svc.Name != "v6-only" || m.pin == nil || m.pin.t.Line != 8 {
			t.Fatalf("%v: trace %s with %d hops, pin %+v", sz, m.trace.Service.Svc.Name, len(m.trace.Hops), m.pin)
		}
		v := m.View()
		if l := markedLine(t, v); !strings.Contains(l, "ipFamilies: [IPv6]") || !strings.Contains(v, "invalid-ip-family") ||
			!strings.Contains(v, "no packet") || !strings.Contains(lastLine(v), "refuse Service v6-only") {
			t.Fatalf("%v: the error is not on screen:\n%s", sz, v)
		}
		for _, k := range []string{" ", "l", "h", "w", "w", "m", "n", "r", "i", "+", "-", "tab", "tab", "tab", "y", "s", "esc", "o", "esc"} {
			m.Update(keyMsg(k))
			_ = m.View()
		}
		m.Update(keyMsg("d"))
		m.Update(keyMsg("down"))
		m.Update(keyMsg("enter"))
		if m.pin == nil || m.pin.t.Line != 20 || !strings.Contains(markedLine(t, m.View()), "ipFamilyPolicy: RequireDualStack") {
			t.Fatalf("%v: d, down, enter: pin %+v\n%s", sz, m.pin, m.View())
		}
	}
	m := newApp(t, ipFamilies, 120, 36, Options{Lang: "ko"})
	if v := m.View(); !strings.Contains(v, "패킷 없음") || strings.Contains(v, "no packet") {
		t.Fatalf("Korean:\n%s", v)
	}
}

func TestGoldenNoServiceAccepted(t *testing.T) { runGolden(t, ipFamilies, 120, 36) }
