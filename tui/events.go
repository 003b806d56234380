package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/diagram"
)

// eventList is the list of the view's hops, like a network simulator's event list: the hop on
// screen highlighted, the hops still to come dimmed, the one where the packet stops in red.
// With the focus, ↑/↓ move its selection and enter asks to jump there.
type eventList struct {
	*ui
	keys    KeyMap
	hops    []netsim.Hop
	texts   []hopText // per hop, terminal-safe
	steps   []int     // indices into hops that the view shows
	stop    int       // netsim's step where the packet stops, 0 when it does not
	failed  bool      // the packet failed there (red); a delivery is not a failure
	cur     int       // the hop on screen, an index into steps
	choose  int       // the step that chooses the endpoint (or its DNAT), -1 when none does
	sel     int
	focused bool
	w, h    int // h counts the heading
}

func newEventList(u *ui, keys KeyMap) *eventList { return &eventList{ui: u, keys: keys} }

// SetTrace shows a trace's hops in a view (steps), the selection on the first.
func (e *eventList) SetTrace(tr *netsim.Trace, texts []hopText, steps []int) {
	e.hops, e.texts, e.steps, e.stop, e.failed = tr.Hops, texts, steps, tr.StopStep, diagram.Failed(tr.Verdict)
	e.cur, e.sel = 0, 0
	e.choose = -1
	for i, hi := range steps {
		if a := tr.Hops[hi].Action; a == netsim.ActChoose || a == netsim.ActDNAT {
			e.choose = i
			break
		}
	}
}

// hidesPod reports whether row i must not name its Pod: the hop on screen is before the one
// that chooses the endpoint, as the summary line says "a Pod not chosen yet" (the picture does
// not give the choice away either).
func (e *eventList) hidesPod(i int) bool {
	h := &e.hops[e.steps[i]]
	return e.choose >= 0 && e.cur < e.choose && i > e.choose && h.Pod != nil &&
		strings.Contains(e.texts[e.steps[i]].where, h.Pod.Pod.Name)
}

// SetCurrent marks the hop on screen (an index into the view's steps).
func (e *eventList) SetCurrent(cur int) { e.cur = cur }

// Select moves the selection to step i.
func (e *eventList) Select(i int) { e.sel = min(max(i, 0), max(len(e.steps)-1, 0)) }

// Selected is the selected step.
func (e *eventList) Selected() int { return e.sel }

func (e *eventList) SetFocus(f bool)  { e.focused = f }
func (e *eventList) SetSize(w, h int) { e.w, e.h = w, h }

// KeyMap is what the list answers with the focus.
func (e *eventList) KeyMap() []key.Binding {
	return []key.Binding{e.keys.Up, e.keys.Down, e.keys.Select}
}

// Update moves the selection; enter reports the step to jump to.
func (e *eventList) Update(msg tea.Msg) (jump int, ok, handled bool) {
	k, isKey := msg.(tea.KeyMsg)
	if !isKey {
		return 0, false, false
	}
	switch {
	case key.Matches(k, e.keys.Up):
		e.Select(e.sel - 1)
	case key.Matches(k, e.keys.Down):
		e.Select(e.sel + 1)
	case key.Matches(k, e.keys.Select):
		return e.sel, true, true
	default:
		return 0, false, false
	}
	return 0, false, true
}

// Click is a click on row y of the list (0 is the heading): the step there, if any.
func (e *eventList) Click(y int) (int, bool) {
	i := e.first() + y - 1
	if y < 1 || y > e.items() || i >= len(e.steps) {
		return 0, false
	}
	e.sel = i
	return i, true
}

func (e *eventList) items() int { return max(e.h-1, 0) }

func (e *eventList) first() int { return window(e.sel, e.items(), len(e.steps)) }

// View is the heading and the list's rows, each w cells.
func (e *eventList) View() string {
	out := []string{e.heading(e.tr("Events (tab)"), e.focused, e.w)}
	for i := e.first(); i < e.first()+e.items(); i++ {
		out = append(out, e.row(i))
	}
	return strings.Join(out, "\n")
}

// whereWidth is the "where" column's width: all the list's width leaves after the mark, the
// number and the longest action of the view, so names are cut only when they must be;
// at least 14 cells, and no wider than the longest place.
func (e *eventList) whereWidth() int {
	act, longest := 0, 0
	for _, hi := range e.steps {
		act = max(act, ansi.StringWidth(e.action(e.hops[hi].Action)))
		longest = max(longest, ansi.StringWidth(e.texts[hi].where))
	}
	return max(min(e.w-4-1-act, longest), 14)
}

func (e *eventList) row(i int) string {
	if i >= len(e.steps) {
		return pad("", e.w)
	}
	h := e.hops[e.steps[i]]
	mark := " "
	if e.focused && i == e.sel {
		mark = ">"
	}
	t := e.texts[e.steps[i]]
	ww := e.whereWidth()
	where := t.where
	if e.hidesPod(i) {
		where = e.tr("a Pod not chosen yet")
	}
	if ansi.StringWidth(where) > ww {
		where = diagram.NSName(t.ns, strings.TrimPrefix(where, t.ns), ww, e.txt("…"))
	}
	s := pad(fmt.Sprintf("%s%2d %s %s", mark, i+1, pad(where, ww), e.action(h.Action)), e.w)
	switch {
	case i == e.cur:
		return e.theme.Selected.Render(s)
	case e.failed && h.Step == e.stop:
		return e.theme.Bad.Render(s)
	case i > e.cur:
		return e.theme.Dim.Render(s)
	}
	return s
}
