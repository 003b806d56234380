package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
)

// scroller is a pane's scrolling: a bubbles/viewport keeps the offset within the content and
// answers the arrows and the page keys (half a pane, as the panes page). The pane keeps where
// its content would put the view on its own (the line that decides the hop, a third down)
// and the rows the user moved from there, which hold until the position on screen changes.
// The pane draws the visible rows itself: a dump's file has tens of thousands of lines, and
// only the rows on screen are rendered.
type scroller struct {
	vp   viewport.Model
	n    int // rows of content
	auto int // the top the content asks for, in range
	at   any // the position on screen off was made at
	off  int // rows moved by hand from auto
}

func newScroller(keys KeyMap) scroller {
	vp := viewport.New(0, 0)
	none := key.NewBinding(key.WithDisabled())
	vp.KeyMap = viewport.KeyMap{Up: keys.Up, Down: keys.Down, HalfPageUp: keys.PageUp, HalfPageDown: keys.PageDown,
		PageUp: none, PageDown: none, Left: none, Right: none}
	vp.MouseWheelEnabled = false
	return scroller{vp: vp}
}

// set is n rows of content in h rows, auto the top row the content asks for; at identifies
// the position on screen (a new one forgets the hand scrolling).
func (s *scroller) set(n, h, auto int, at any) {
	if at != s.at {
		s.at, s.off = at, 0
	}
	if n != s.n || s.vp.TotalLineCount() == 0 {
		s.vp.SetContent(strings.Repeat("\n", max(n-1, 0)))
	}
	s.n, s.vp.Height = n, max(h, 0)
	s.auto = min(max(auto, 0), max(n-h, 0))
	s.vp.SetYOffset(s.auto + s.off)
}

// top is the first row shown.
func (s *scroller) top() int { return s.vp.YOffset }

// update scrolls for the arrows and page keys; false for any other message.
func (s *scroller) update(msg tea.Msg) bool {
	k, ok := msg.(tea.KeyMsg)
	if !ok || !key.Matches(k, s.vp.KeyMap.Up, s.vp.KeyMap.Down, s.vp.KeyMap.HalfPageUp, s.vp.KeyMap.HalfPageDown) {
		return false
	}
	s.vp, _ = s.vp.Update(msg)
	s.off = s.vp.YOffset - s.auto
	return true
}

// scroll moves by d rows (the mouse wheel).
func (s *scroller) scroll(d int) {
	if d < 0 {
		s.vp.ScrollUp(-d)
	} else {
		s.vp.ScrollDown(d)
	}
	s.off = s.vp.YOffset - s.auto
}
