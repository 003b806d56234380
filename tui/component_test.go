package tui

import (
	"reflect"
	"strings"
	"testing"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// component is the contract every child of the root model keeps.
type component interface {
	View() string
	SetSize(w, h int)
	KeyMap() []key.Binding
}

// checkBlock fails unless view is exactly h lines of w cells.
func checkBlock(t *testing.T, what, view string, w, h int) {
	t.Helper()
	lines := strings.Split(view, "\n")
	if len(lines) != h {
		t.Fatalf("%s: %d lines, want %d:\n%s", what, len(lines), h, view)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != w {
			t.Fatalf("%s: line %d is %d cells, want %d: %q", what, i, n, w, l)
		}
	}
}

// Every child draws exactly the size it is given, at the sizes the screen gives it, and says
// which keys it answers.
func TestComponentsDrawTheirSize(t *testing.T) {
	m := newModel(t, sampleBroken, 120, 36, Options{})
	p := servicePicker(m.ui, m.sim, m.trace)
	children := map[string]component{"services": m.services, "events": m.events, "yaml": m.yaml,
		"rules": m.rules, "diagnostics": m.diags, "picker": p}
	for name, c := range children {
		if len(c.KeyMap()) == 0 {
			t.Errorf("%s answers no keys", name)
		}
		for _, sz := range [][2]int{{40, 12}, {79, 9}, {26, 30}} {
			c.SetSize(sz[0], sz[1])
			checkBlock(t, name, c.View(), sz[0], sz[1])
		}
	}
}

// View changes nothing: the root and every child are the same after it, in every mode.
func TestViewChangesNothing(t *testing.T) {
	m := newModel(t, sampleBroken, 120, 36, Options{})
	for _, keys := range [][]string{{}, {"right", "i"}, {"d", "tab", "tab", "tab"}, {"s"}, {"?"}, {"y", "w", "right"}} {
		for _, k := range keys {
			m.Update(keyMsg(k))
		}
		root, ev, svc, ym, rp, dp := *m, *m.events, *m.services, *m.yaml, *m.rules, *m.diags
		dia, rowsBefore := m.dia, append([]string(nil), m.dia.rows...)
		first := m.View()
		if m.View() != first {
			t.Fatalf("after %v two Views differ", keys)
		}
		if !reflect.DeepEqual(root, *m) || !reflect.DeepEqual(ev, *m.events) || !reflect.DeepEqual(svc, *m.services) ||
			!reflect.DeepEqual(ym, *m.yaml) || !reflect.DeepEqual(rp, *m.rules) || !reflect.DeepEqual(dp, *m.diags) {
			t.Fatalf("after %v View changed the model", keys)
		}
		if m.dia != dia || !reflect.DeepEqual(rowsBefore, m.dia.rows) {
			t.Fatalf("after %v View changed the diagram's cache", keys)
		}
		m.Update(keyMsg("esc"))
	}
}

// The event list: ↑/↓ move the selection within the hops, enter asks to jump to it, a click
// picks the row under it; the hop on screen is highlighted whatever the selection.
func TestEventListKeys(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	e := newEventList(m.ui, m.keys)
	e.SetTrace(m.trace, m.texts, m.steps)
	e.SetSize(40, 6)
	if _, _, handled := e.Update(keyMsg("x")); handled {
		t.Error("the list took a key it does not answer")
	}
	for range 3 {
		e.Update(keyMsg("down"))
	}
	if i, jump, _ := e.Update(keyMsg("enter")); !jump || i != 3 {
		t.Errorf("enter after three downs: %d %v", i, jump)
	}
	for range 20 {
		e.Update(keyMsg("down"))
	}
	if e.Selected() != len(m.steps)-1 {
		t.Errorf("selection ran past the end: %d", e.Selected())
	}
	e.Select(0)
	if i, ok := e.Click(2); !ok || i != 1 {
		t.Errorf("a click on the second row: %d %v", i, ok)
	}
	if _, ok := e.Click(0); ok {
		t.Error("a click on the heading picked a hop")
	}
	e.SetFocus(true)
	e.SetCurrent(2)
	lines := rows(e.View())
	if !strings.HasPrefix(lines[0], "▸ Events") || !strings.HasPrefix(lines[2], "> 2") || !strings.Contains(lines[3], " 3 ") {
		t.Errorf("focused list:\n%s", e.View())
	}
}

// The Services list marks the traced Service and a broken one, scrolls to its selection and
// says where it is in a long list.
func TestServiceListMarks(t *testing.T) {
	m := newModel(t, sampleBroken, 120, 36, Options{})
	s := newServiceList(m.ui, m.keys)
	s.SetCluster(m.sim)
	s.SetCurrent(m.trace.Service)
	s.SetSize(30, 1+len(m.sim.Services))
	v := s.View()
	if !strings.Contains(v, "▸ "+m.trace.Service.Svc.Name) || !strings.Contains(v, "!") && !strings.Contains(v, "✗") {
		t.Errorf("traced Service or its mark missing:\n%s", v)
	}
	if i, trace, _ := s.Update(keyMsg("enter")); !trace || m.sim.Services[i] != m.trace.Service {
		t.Errorf("enter traces %d", i)
	}
	s = newServiceList(m.ui, m.keys)
	s.SetCluster(dumpSim(t, 1))
	s.SetSize(30, 5)
	for range 10 {
		s.Update(keyMsg("down"))
	}
	if v := s.View(); !strings.Contains(rows(v)[0], "  11/") {
		t.Errorf("a long list does not say where its selection is:\n%s", v)
	}
}

// The diagnostics pane: ↓ moves the selection, enter asks to show it, a click picks the one
// under it; an empty list says so.
func TestDiagPaneKeys(t *testing.T) {
	m := newModel(t, sampleBroken, 120, 36, Options{})
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

// The YAML and rules panes scroll with the arrows and the page keys, and start again at the
// hop's own line when the hop changes.
func TestPaneScrollingHoldsForOneHop(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	y := m.yaml
	before := y.View()
	if !y.Update(keyMsg("up")) || !y.Update(tea.KeyMsg{Type: tea.KeyPgUp}) || y.View() == before {
		t.Fatal("the YAML pane did not scroll")
	}
	if y.Update(keyMsg("x")) {
		t.Error("the YAML pane took a key it does not answer")
	}
	m.Update(keyMsg("right"))
	if y.off != 0 {
		t.Errorf("the next hop kept the scrolling: %d", y.off)
	}
	r := m.rules
	m.Update(keyMsg("i"))
	for range 3 {
		m.Update(keyMsg("right"))
	}
	r.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	if r.off == 0 {
		t.Fatal("the rules pane did not scroll")
	}
	m.Update(keyMsg("left"))
	if r.off != 0 {
		t.Errorf("the hop before kept the scrolling: %d", r.off)
	}
}

// The packet pane shows the rewrite and, once NAT has happened, the conntrack entry.
func TestPacketPaneShowsConntrack(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	p := m.packet
	if strings.Contains(p.View(), "conntrack") {
		t.Fatal("conntrack before any NAT")
	}
	for m.hop().Action != "dnat" {
		m.Update(keyMsg("right"))
	}
	v := p.View()
	for _, want := range []string{"dst   ~~192.168.1.2:30008~~", "10.244.0.2:80", "conntrack", "orig  192.168.1.10:51000", "reply 10.244.0.2:80"} {
		if !strings.Contains(v, want) {
			t.Errorf("packet pane at the DNAT lacks %q:\n%s", want, v)
		}
	}
}
