package tui

import (
	"strings"
	"testing"

	"github.com/svcviz/svcviz/model"
)

// TestBrokenSelectorDiagnostics: the diagnostics pane lists no-matching-pods with its hint,
// and the trace dies at kube-proxy's REJECT with that diagnostic shown.
func TestBrokenSelectorDiagnostics(t *testing.T) {
	m := newApp(t, sampleBroken, 120, 36, Options{})
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

// The diagnostics heading counts in English plurals.
func TestDiagSummaryPlurals(t *testing.T) {
	m := newApp(t, "../samples/nodeport.yaml", 120, 36, Options{})
	p := newDiagPane(m.ui, m.keys)
	p.SetDiagnostics([]model.Diagnostic{{Severity: model.Error}, {Severity: model.Error}, {Severity: model.Warning}, {Severity: model.Info}, {Severity: model.Info}})
	if got := p.summary(); got != "2 errors, 1 warning, 2 info" {
		t.Errorf("summary %q", got)
	}
}

// The diagnostics pane: ↓ moves the selection, enter asks to show it, a click picks the one
// under it; an empty list says so.
func TestDiagPaneKeys(t *testing.T) {
	m := newApp(t, sampleBroken, 120, 36, Options{})
	p := newDiagPane(m.ui, m.keys)
	p.SetDiagnostics(m.sim.Diagnostics)
	p.SetSize(80, 10)
	if i, show, _ := p.Update(keyMsg("enter")); !show || i != 0 {
		t.Errorf("enter on the first: %d %v", i, show)
	}
	if i, ok := p.Click(1); !ok || i != 0 {
		t.Errorf("a click on the first row: %d %v", i, ok)
	}
	p.SetDiagnostics(nil)
	if v := p.View(); !strings.Contains(v, "finds nothing to report") {
		t.Errorf("empty pane:\n%s", v)
	}
	if _, show, _ := p.Update(keyMsg("enter")); show {
		t.Error("enter on no diagnostic asked to show one")
	}
}
