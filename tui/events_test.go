package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/svcviz/svcviz/netsim"
)

func TestEventListJump(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	m.Update(keyMsg("tab"))
	m.Update(keyMsg("down"))
	m.Update(keyMsg("down"))
	m.Update(keyMsg("enter"))
	if k, _ := m.Step(); k != 3 {
		t.Fatalf("enter on the third event shows hop %d", k)
	}
	m.Update(tea.MouseMsg{X: 110, Y: 1 + 4, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if k, _ := m.Step(); k != 1 {
		t.Fatalf("a click on the first event shows hop %d", k)
	}
}

// The event list: ↑/↓ move the selection within the hops, enter asks to jump to it, a click
// picks the row under it; the hop on screen is highlighted whatever the selection.
func TestEventListKeys(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
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

// TestEventsHideThePodUntilChosen: before the hop that chooses the endpoint the event list
// names no Pod (the delivery reads "a Pod not chosen yet", as the summary line does); from
// that hop on it names the chosen one. In both views, English and Korean.
func TestEventsHideThePodUntilChosen(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		for _, keys := range [][]string{nil, {"w"}, {"m"}} {
			m := newApp(t, "../samples/deployment.yaml", 120, 36, Options{Lang: lang})
			for _, k := range keys {
				m.Update(keyMsg(k))
			}
			pod := m.trace.Endpoint.Pod.Name
			_, n := m.Step()
			chose := false
			for k := range n {
				jumpTo(m, k)
				if a := m.hop().Action; a == netsim.ActChoose || a == netsim.ActDNAT {
					chose = true
				}
				ev := m.events.View()
				switch {
				case !chose && strings.Contains(ev, pod[len(pod)-5:]):
					t.Fatalf("%s %v hop %d: the event list names %s before the choice:\n%s", lang, keys, k+1, pod, ev)
				case !chose && !strings.Contains(ev, m.tr("a Pod not chosen yet")):
					t.Fatalf("%s %v hop %d: no 'a Pod not chosen yet':\n%s", lang, keys, k+1, ev)
				case chose && !strings.Contains(ev, pod[len(pod)-5:]): // a generated name keeps its suffix
					t.Fatalf("%s %v hop %d: the chosen Pod is not named after the choice:\n%s", lang, keys, k+1, ev)
				}
			}
		}
	}
}
