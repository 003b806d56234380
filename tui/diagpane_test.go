package tui

import (
	"strings"
	"testing"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
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
	if m.focus != focusPane {
		t.Fatal("d opened the diagnostics without the focus: ↓ and enter would not reach them")
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

// TestRefusedServiceOpensWithDiagnostics: a Service the API server would refuse, asked for on
// the command line or chosen in the list, shows its error with the YAML line highlighted,
// while the picture stays on a Service that exists.
func TestRefusedServiceOpensWithDiagnostics(t *testing.T) {
	const path = "testdata/refused-service.yaml"
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		m := newApp(t, path, sz[0], sz[1], Options{Request: netsim.Request{Service: "v6-only"}})
		if m.trace.Service.Svc.Name != "front" || m.pin == nil || m.pin.t.Line != 30 {
			t.Fatalf("%v: traced %s, pin %+v", sz, m.trace.Service.Svc.Name, m.pin)
		}
		v := m.View()
		if l := markedLine(t, v); !strings.Contains(l, "ipFamilies: [IPv6]") || !strings.Contains(v, "invalid-ip-family") || !strings.Contains(lastLine(v), "refuse Service v6-only") {
			t.Fatalf("%v: the refused Service's error is not on screen:\n%s", sz, v)
		}
	}
	m := newApp(t, path, 120, 36, Options{})
	for i, si := range m.sim.Services {
		if si.Svc.Name == "v6-only" {
			retraceTo(m, m.serviceRequest(i))
		}
	}
	if m.trace.Service.Svc.Name != "front" || m.pin == nil || m.pin.t.Line != 30 || !strings.Contains(markedLine(t, m.View()), "ipFamilies") {
		t.Fatalf("choosing the refused Service: traced %s, pin %+v", m.trace.Service.Svc.Name, m.pin)
	}
}

// TestDiagPaneOrder: d opens the diagnostics focused, listed errors first, then warnings, then
// info, as the heading counts them, each group in file and line order; ↓ and enter at once
// show the second error's line.
func TestDiagPaneOrder(t *testing.T) {
	m := newApp(t, sampleBroken, 120, 36, Options{})
	file := m.sim.Diagnostics[0].File
	d := func(sev model.Severity, code string, line int) model.Diagnostic {
		return model.Diagnostic{Severity: sev, Code: code, File: file, Line: line, Message: code}
	}
	// netsim's order: by file and line
	m.sim.Diagnostics = []model.Diagnostic{
		d(model.Info, "info-at-3", 3), d(model.Error, "error-at-5", 5), d(model.Warning, "warning-at-7", 7),
		d(model.Info, "info-at-8", 8), d(model.Error, "error-at-42", 42),
	}
	m.Update(keyMsg("d"))
	if m.pane != paneDiags || m.focus != focusPane {
		t.Fatalf("d: pane %d, focus %d", m.pane, m.focus)
	}
	v := m.View()
	last := -1
	for _, code := range []string{"error-at-5", "error-at-42", "warning-at-7", "info-at-3", "info-at-8"} {
		i := strings.Index(v, "error "+code)
		if i < 0 {
			i = strings.Index(v, "warning "+code)
		}
		if i < 0 {
			i = strings.Index(v, "info "+code)
		}
		if i <= last {
			t.Fatalf("%s out of order (at %d, after %d):\n%s", code, i, last, v)
		}
		last = i
	}
	m.Update(keyMsg("down"))
	m.Update(keyMsg("enter"))
	if m.pane != paneYAML || !strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(markedLine(t, m.View())), "▸")), "42 ") {
		t.Fatalf("down, enter: not the second error's line 42:\n%s", m.View())
	}
}

// TestKoreanDiagnostics: with --lang ko the diagnostic under the reject hop, the YAML pane's note
// and the diagnostics pane word svcviz's explanation and hint in Korean; the location, severity
// and code stay, and so do the API server's own messages (as kubectl prints them).
func TestKoreanDiagnostics(t *testing.T) {
	m := newApp(t, sampleBroken, 120, 36, Options{Lang: "ko"})
	m.Update(keyMsg("right"))
	v := m.View()
	for _, want := range []string{"broken-selector.yaml:42: warning no-matching-pods: selector", "Pod가 namespace", "가장 가까운 것: Pod \"myapp-pod\""} {
		if !strings.Contains(v, want) {
			t.Errorf("reject hop lacks %q:\n%s", want, v)
		}
	}
	if strings.Contains(v, "matches no Pod") || strings.Contains(v, "nearest:") {
		t.Errorf("English explanation left in Korean:\n%s", v)
	}
	m.Update(keyMsg("d"))
	if v = m.View(); !strings.Contains(v, "가장 가까운") || strings.Contains(v, "nearest:") {
		t.Errorf("diagnostics pane not in Korean:\n%s", v)
	}
	r := newApp(t, "testdata/refused-service.yaml", 120, 36, Options{Lang: "ko", Request: netsim.Request{Service: "v6-only"}})
	r.Update(keyMsg("d"))
	v = r.View()
	for _, want := range []string{"not configured on this cluster", "ipFamilies를"} {
		if !strings.Contains(v, want) {
			t.Errorf("refused Service's diagnostics lack %q:\n%s", want, v)
		}
	}
}
