package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/netsim"
)

// paneCache holds everything around the diagram, rebuilt only when what it shows changes, so
// animation frames only redraw the packet's rows.
type paneCache struct {
	key               paneKey
	header            string
	right             []string
	band              []string // the detail band, or the pane open in place of the diagram
	lists             []string // narrow terminals: the Services/Events lists over the left area
	bottom            []string
	svcFirst, evFirst int
}

type paneKey struct {
	w, h, cur, evSel, svcSel, speed int
	focus                           focus
	mode                            mode
	wire, playing, atEnd            bool
	msg, info                       string
	trace                           *netsim.Trace
	pane                            paneKind
	overlay                         bool
	diagSel                         int
	pin                             *yamlPin
	off                             paneScroll
}

func (m *Model) chrome() *paneCache {
	k := paneKey{w: m.width, h: m.height, cur: m.cur, evSel: m.evSel, svcSel: m.svcSel, speed: m.speed,
		focus: m.focus, mode: m.mode, wire: m.wire, playing: m.playing, atEnd: m.atEnd(), msg: m.msg, info: m.info, trace: m.trace,
		pane: m.pane, overlay: m.overlay, diagSel: m.diagSel, pin: m.pin, off: m.scrollOf()}
	if m.panes != nil && m.panes.key == k {
		return m.panes
	}
	p := &paneCache{key: k}
	m.panes = p
	p.header = m.header()
	if !m.narrow() {
		p.right = m.rightPane(p)
	} else if m.listsOverlay() {
		p.lists = m.rightPane(p)
	}
	switch bh := m.bandHeight(); {
	case bh > 0:
		p.band = m.bandRows(m.diagramWidth(), bh)
	case m.overlay:
		p.band = m.bandRows(m.diagramWidth(), m.areaHeight())
	}
	pl, _, vl := m.chromeLines()
	p.bottom = fitRows(m.packetLines(), m.width, pl)
	p.bottom = append(p.bottom, m.narration()...)
	p.bottom = append(p.bottom, fitRows(m.viewLines(), m.width, vl)...)
	p.bottom = append(p.bottom, m.statusBar())
	return p
}

func (m *Model) header() string {
	tr := m.trace
	si := tr.Service
	name := si.Svc.Name
	if si.Svc.Namespace != "default" {
		name = si.Svc.Namespace + "/" + name
	}
	parts := []string{"svcviz", safe(name)}
	if tr.Port != nil {
		parts = append(parts, m.tr("port {0}", fmt.Sprintf("%d/%s", tr.Port.Port, tr.Port.Protocol)))
	}
	parts = append(parts, string(si.Svc.Type()), m.tr("from {0} via {1}", safe(originLabel(tr)), string(tr.Request.Via)))
	view := m.viewName()
	w := m.width - ansi.StringWidth(view) - 3 // a space first, one before the view's name, one after it
	return m.theme.Header.Render(" "+m.fitParts(parts, w)) + " " + m.theme.Pane.Render(view) + " "
}

// fitParts joins parts in w cells two spaces apart; else without the first (the program's
// name); else one space apart; else cut with an ellipsis. Padded to w.
func (m *Model) fitParts(parts []string, w int) string {
	var s string
	for _, try := range []struct {
		ps  []string
		sep string
	}{{parts, "  "}, {parts[1:], "  "}, {parts[1:], " "}} {
		if s = m.txt(strings.Join(try.ps, try.sep)); ansi.StringWidth(s) <= w {
			return pad(s, w)
		}
	}
	return m.fit(s, w)
}

// paneRows is where the right pane's lists sit: the Services heading row and item count, then
// the events heading row and item count.
func (m *Model) paneRows() (svcTop, svcN, evTop, evN int) {
	dh := m.areaHeight()
	if m.narrow() { // side by side over the left area, each under its heading
		return 0, min(len(m.sim.Services), dh-1), 0, dh - 1
	}
	svcN = min(len(m.sim.Services), max(3, dh/4))
	evTop = svcN + 2
	return 0, svcN, evTop, max(dh-evTop-1, 0)
}

// narrowListsW is the Services column's width when the lists open over a narrow screen.
const narrowListsW = 28

func (m *Model) rightPane(p *paneCache) []string {
	w := m.listWidth()
	_, svcN, _, evN := m.paneRows()
	if m.narrow() {
		sw := narrowListsW
		svc, ev := m.listRows(p, sw, svcN, evN, false), m.listRows(p, w-sw-1, svcN, evN, true)
		sep := m.theme.Dim.Render(string(m.glyphs.Lines[3]))
		for i := range svc {
			svc[i] += sep + ev[i]
		}
		return svc
	}
	out := m.listRows(p, w, svcN, evN, false)
	out = append(out, pad("", w))
	out = append(out, m.listRows(p, w, svcN, evN, true)...)
	for len(out) < m.areaHeight() {
		out = append(out, pad("", w))
	}
	return out[:m.areaHeight()]
}

// listRows is the Services list (events false) or the event list under its heading, in w
// cells; on a narrow screen each fills the area's height.
func (m *Model) listRows(p *paneCache, w, svcN, evN int, events bool) []string {
	var out []string
	if events {
		out = append(out, m.heading(m.tr("Events (tab)"), m.focus == focusEvents, w))
		p.evFirst = window(m.evSel, evN, len(m.steps))
		for i := p.evFirst; i < p.evFirst+evN; i++ {
			out = append(out, m.eventRow(i, w))
		}
	} else {
		title := m.tr("Services (s)")
		if n := len(m.sim.Services); n > svcN {
			// a long list scrolls: say where the selection is and how many there are
			title += fmt.Sprintf("  %d/%d", m.svcSel+1, n)
		}
		out = append(out, m.heading(title, m.focus == focusServices, w))
		p.svcFirst = window(m.svcSel, svcN, len(m.sim.Services))
		for i := p.svcFirst; i < p.svcFirst+svcN; i++ {
			out = append(out, m.serviceRow(i, w))
		}
	}
	if m.narrow() {
		return fitRows(out, w, m.areaHeight())
	}
	return out
}

func (m *Model) heading(s string, focused bool, w int) string {
	if focused {
		s = m.txt("▸ ") + s
	}
	if w > 0 && ansi.StringWidth(s) > w {
		s = pad(s, w)
	}
	return m.theme.Pane.Render(s) + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

// window is the first item shown so that sel is visible in n rows.
func window(sel, n, total int) int {
	return max(min(sel-n/2, total-n), 0)
}

func (m *Model) serviceRow(i, w int) string {
	if i >= len(m.sim.Services) {
		return pad("", w)
	}
	si := m.sim.Services[i]
	name := si.Svc.Name
	if si.Svc.Namespace != "default" {
		name = si.Svc.Namespace + "/" + name
	}
	name = safe(name)
	mark := "  "
	if si == m.trace.Service {
		mark = m.txt("▸ ")
	}
	s := pad(mark+name, w)
	if dm, bad := m.svcMark("Service/" + si.Svc.Namespace + "/" + si.Svc.Name); dm != "" {
		// the mark keeps its colour even on the selected row: a broken Service must stand out
		st := m.theme.Warn
		if bad {
			st = m.theme.Bad
		}
		s = pad(mark+name, w-2) + st.Render(" "+m.txt(dm))
	}
	switch {
	case m.focus == focusServices && i == m.svcSel:
		return m.theme.Selected.Render(s)
	case si == m.trace.Service:
		return m.theme.Header.Render(s)
	}
	return s
}

func (m *Model) eventRow(i, w int) string {
	if i >= len(m.steps) {
		return pad("", w)
	}
	h := m.trace.Hops[m.steps[i]]
	mark := " "
	if m.focus == focusEvents && i == m.evSel {
		mark = ">"
	}
	t := m.texts[m.steps[i]]
	ww := 14
	for _, o := range m.texts {
		if o.ns != "" {
			// Pods named with their namespace: the column widens where the list has room
			ww = min(max(ww, w-13), 22)
			break
		}
	}
	where := t.where
	if ansi.StringWidth(where) > ww {
		where = nsName(t.ns, strings.TrimPrefix(where, t.ns), ww, m.txt("…"))
	}
	s := pad(fmt.Sprintf("%s%2d %s %s", mark, i+1, pad(where, ww), h.Action), w)
	stop := m.trace.StopStep != 0 && h.Step == m.trace.StopStep
	switch {
	case i == m.cur:
		return m.theme.Selected.Render(s)
	case stop:
		return m.theme.Bad.Render(s)
	case i > m.cur:
		return m.theme.Dim.Render(s)
	}
	return s
}

// packetLines is the hop and the packet on it: one line, or two when the addresses would be
// cut (the packet then goes on the second line, its destination on its own if need be).
func (m *Model) packetLines() []string {
	h := m.hop()
	head := m.txt(" " + m.tr("hop {0}", m.hopNo()) + "  " + m.text().where + "  ")
	src := h.After.Proto + " " + m.addr(h.Before.Src.String(), h.After.Src.String())
	dst := m.txt("→ ") + m.addr(h.Before.Dst.String(), h.After.Dst.String())
	if one := head + src + " " + dst; ansi.StringWidth(one) <= m.width {
		return []string{pad(one, m.width)}
	}
	const ind = "    "
	if two := ind + src + " " + dst; ansi.StringWidth(two) <= m.width {
		return []string{m.fit(strings.TrimRight(head, " "), m.width), pad(two, m.width)}
	}
	return []string{m.fit(head+src, m.width), m.fit(ind+dst, m.width)}
}

// narration is the hop's sentence, wrapped to the rows the trace keeps for it (narrationRows).
func (m *Model) narration() []string {
	lines := m.narrationLines()
	_, nl, _ := m.chromeLines()
	for len(lines) < nl {
		lines = append(lines, "")
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = pad(" "+l, m.width)
	}
	return out
}

// narrationLines is the hop's sentence wrapped to one line or two, the second cut with an
// ellipsis.
func (m *Model) narrationLines() []string {
	text := m.txt(m.text().text)
	lines := strings.Split(ansi.Wordwrap(text, m.width-2, ""), "\n")
	if len(lines) > 2 {
		lines[1] = ansi.Truncate(lines[1]+" "+lines[2], m.width-2, m.txt("…"))
		lines = lines[:2]
	}
	return lines
}

func (m *Model) statusBar() string {
	tr := m.trace
	name := safe(tr.Service.Svc.Name)
	if tr.Port != nil {
		name += fmt.Sprintf(":%d", tr.Port.Port)
	}
	state := m.tr("paused")
	if m.playing {
		state = m.tr("▶ playing")
	}
	s := m.txt(" " + name + " │ " + m.tr("hop {0}", m.hopNo()) + " │ " +
		m.tr("speed {0}", fmt.Sprintf("%d/%d", m.speed+1, len(speeds))) + " │ " + state + " │ " + m.verdictSoFar())
	right := m.tr("? help  q quit") + " "
	if m.msg != "" {
		right = m.msg + " "
	} else if m.info != "" {
		right = m.info + " "
	} else if ansi.StringWidth(s)+ansi.StringWidth(right) > m.width {
		right = m.tr("? help") + " "
	}
	// The right part (a refusal, a reload) may take all but a short left part; each is cut
	// with an ellipsis, and a space always parts them.
	rw := min(ansi.StringWidth(right), max(m.width-24, m.width/2))
	w := max(m.width-rw, 0)
	bar := m.theme.Status.Render(m.fit(s, max(w-1, 0)) + strings.Repeat(" ", min(w, 1)))
	if m.msg != "" {
		return bar + m.theme.Bad.Render(m.fit(right, m.width-w))
	}
	return bar + m.theme.Status.Render(m.fit(right, m.width-w))
}

// verdictSoFar is "in flight" until the packet reaches the hop that decides it.
func (m *Model) verdictSoFar() string {
	decided := 0
	for _, h := range m.trace.Hops {
		if h.Action != netsim.ActReply {
			decided = h.Step
		}
	}
	if m.trace.StopStep != 0 {
		decided = m.trace.StopStep
	}
	if m.hop().Step >= decided {
		return m.tr("verdict: {0}", m.tr(string(m.trace.Verdict)))
	}
	return m.tr("verdict: {0}", m.tr("in flight"))
}
