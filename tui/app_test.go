package tui

import (
	"reflect"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/x/ansi"
)

func TestSampleScreen(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	v := m.View()
	for _, want := range []string{"192.168.1.2", "10.244.0.0/24", ":30008", "myapp-service", "10.96.0.11:80", "myapp-pod 10.244.0.2:80", "192.168.1.10"} {
		if !strings.Contains(v, want) {
			t.Errorf("first frame lacks %q:\n%s", want, v)
		}
	}
	checkSize(t, v, 120, 36)
}

func TestSmallTerminal(t *testing.T) {
	m := newApp(t, sampleNodePort, 60, 20, Options{})
	v := m.View()
	if !strings.Contains(v, "enlarge the window") {
		t.Fatalf("small terminal:\n%s", v)
	}
	checkSize(t, v, 60, 20)
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {200, 60}, {1, 1}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		checkSize(t, m.View(), sz[0], sz[1])
	}
}

func TestQuit(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	for _, k := range []string{"q", "ctrl+c"} {
		if _, cmd := m.Update(keyMsg(k)); cmd == nil {
			t.Fatalf("%s did not quit", k)
		} else if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("%s did not quit", k)
		}
	}
}

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
	m := newApp(t, sampleBroken, 120, 36, Options{})
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
	m := newApp(t, sampleBroken, 120, 36, Options{})
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

func TestGuardRecoversPanic(t *testing.T) {
	g := &guard{m: nil, quit: func() {}}
	_, cmd := g.Update(keyMsg("x")) // a nil model panics inside Update
	if g.crash == nil || cmd == nil {
		t.Fatal("panic not recovered")
	}
	err := crashError(g.crash)
	if !strings.HasPrefix(err.Error(), "svcviz crashed: ") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("crash error %q", err)
	}
	if g.View() != "" {
		t.Fatal("a crashed model drew")
	}
}

func TestNewRejectsBadRequest(t *testing.T) {
	sim := loadSim(t, sampleNodePort, 1)
	if _, err := New(sim, Options{Request: netsimRequest("nosuch")}); err == nil {
		t.Fatal("a request for a missing Service was accepted")
	}
}
