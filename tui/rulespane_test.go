package tui

import (
	"strings"
	"testing"
)

// TestRulesPane: at the choose hop, i shows KUBE-SVC with the rule that matched highlighted.
func TestRulesPane(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
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
