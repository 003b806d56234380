package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/canvas"
)

// MinWidth and MinHeight are the smallest terminal the TUI draws in.
const (
	MinWidth  = 80
	MinHeight = 24
)

// View draws the screen: exactly the terminal's height, each line its width.
func (m *Model) View() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	if m.width < MinWidth || m.height < MinHeight {
		return m.tooSmall()
	}
	p := m.chrome()
	rows := m.mainRows()
	var b strings.Builder
	b.Grow(m.width * m.height * 2)
	b.WriteString(p.header)
	sep := m.theme.Dim.Render(string(m.glyphs.Lines[canvas.Up|canvas.Down]))
	if m.theme.Plain {
		sep = string(m.glyphs.Lines[canvas.Up|canvas.Down])
	}
	for i, r := range rows {
		b.WriteByte('\n')
		b.WriteString(r)
		if i < len(p.right) {
			b.WriteString(sep)
			b.WriteString(p.right[i])
		}
	}
	for _, l := range p.bottom {
		b.WriteByte('\n')
		b.WriteString(l)
	}
	return m.theme.withBG(b.String())
}

func (m *Model) tooSmall() string {
	lines := []string{
		m.tr("svcviz needs a window of at least {0}.", strconv.Itoa(MinWidth)+"x"+strconv.Itoa(MinHeight)),
		m.tr("This one is {0}: please enlarge the window.", strconv.Itoa(m.width)+"x"+strconv.Itoa(m.height)),
		m.tr("(q quits)"),
	}
	out := make([]string, m.height)
	top := max((m.height-len(lines))/2, 0)
	for i := range out {
		s := ""
		if k := i - top; k >= 0 && k < len(lines) {
			s = lines[k]
		}
		out[i] = pad(s, m.width)
	}
	return strings.Join(out, "\n")
}

// mainRows is the left area: the help, a picker, a pane opened in place of the diagram, or the
// diagram with the detail band below it.
func (m *Model) mainRows() []string {
	switch {
	case m.mode == modeHelp:
		return m.helpRows()
	case m.mode == modePick:
		return m.pickerView()
	case m.listsOverlay():
		return m.chrome().lists
	case m.bandHeight() == 0 && m.overlay:
		return m.chrome().band
	}
	return append(m.diagramRows(), m.chrome().band...)
}

// diagramRows renders the visible part of the diagram: cached static rows, except the rows
// the packet or a verdict mark are on.
func (m *Model) diagramRows() []string {
	d := m.diagram()
	dw, dh := m.diagramWidth(), m.diagramHeight()
	if d.rowsX != m.scrollX {
		clear(d.rows)
		d.rowsX = m.scrollX
	}
	over := m.overlays(d)
	out := make([]string, dh)
	for i := range out {
		y := m.scrollY + i
		switch {
		case y >= d.c.H:
			out[i] = strings.Repeat(" ", dw)
		case onRow(over, y):
			out[i] = d.c.RenderRow(y, m.scrollX, dw, m.glyphs, m.theme.paint, over)
		default:
			if d.rows[y] == "" {
				d.rows[y] = d.c.RenderRow(y, m.scrollX, dw, m.glyphs, m.theme.paint, nil)
			}
			out[i] = d.rows[y]
		}
	}
	if note := m.offscreen(d, dw); note != "" {
		out[dh-1] = m.theme.paint(stNote, m.fit(note, dw))
	}
	return out
}

func onRow(over []canvas.Overlay, y int) bool {
	for _, o := range over {
		if o.P.Y == y {
			return true
		}
	}
	return false
}

// overlays are the packet and, once the packet has stopped, the verdict beside where it did.
// Labels win: the packet and the mark are drawn beside text the diagram has there (the nodePort
// on the node's edge, the Service's name in its box), never over it.
func (m *Model) overlays(d *diagram) []canvas.Overlay {
	at := m.packetAt()
	stopped := d.stop >= 0 && m.cur >= d.stop
	st := stPacket
	if stopped && m.cur == d.stop {
		st = stBad
	}
	glyph := []rune(m.theme.Packet)
	if m.opts.ASCII {
		glyph = []rune(m.theme.PacketASC)
	}
	var over []canvas.Overlay
	if x, ok := besideText(d.c, at, len(glyph)); ok {
		for i, r := range glyph {
			over = append(over, canvas.Overlay{P: canvas.Point{X: x + i, Y: at.Y}, R: r, S: st})
		}
	}
	if stopped {
		p := d.l.Places[d.places[d.stop]]
		mark := []rune(m.txt("✗ " + string(m.trace.Verdict)))
		n := len(mark)
		packet := func(x, y int) bool {
			for _, o := range over {
				if o.P.X == x && o.P.Y == y {
					return true
				}
			}
			return false
		}
		at := markPlace(d.c, p, n, packet)
		if pl := d.places[d.stop]; pl.Kind == plPod && d.l.sc.StopRow && pl.I < len(d.l.Pods) {
			// inside the refusing Pod's box, on the line it keeps for this
			pb := d.l.Pods[pl.I]
			at = canvas.Point{X: pb.X + 1, Y: pb.Bottom() - 2}
			mark = []rune(truncEll(string(mark), pb.W-2, m.txt("…")))
		}
		for i, r := range mark {
			if x := at.X + i; !isText(d.c, x, at.Y) {
				over = append(over, canvas.Overlay{P: canvas.Point{X: x, Y: at.Y}, R: r, S: stBad})
			}
		}
	}
	return over
}

// markPlace is where an n-cell verdict mark goes for a stop at p: right of it on its row (past
// any label there and the packet, a cell apart), else left of it, else on the row below or
// above; busy is a cell the packet is on.
func markPlace(c *canvas.Canvas, p canvas.Point, n int, busy func(x, y int) bool) canvas.Point {
	fits := func(x, y int) bool {
		if x < 0 || x+n > c.W || y < 0 || y >= c.H || !free(c, x-1, y, n+2) {
			return false
		}
		for i := x - 1; i <= x+n; i++ {
			if busy(i, y) {
				return false
			}
		}
		return true
	}
	for _, y := range []int{p.Y, p.Y + 1, p.Y - 1} {
		for k := 2; k <= 12; k++ {
			if fits(p.X+k, y) {
				return canvas.Point{X: p.X + k, Y: y}
			}
		}
		for k := 1; k <= 12; k++ {
			if fits(p.X-k-n, y) {
				return canvas.Point{X: p.X - k - n, Y: y}
			}
		}
	}
	return canvas.Point{X: p.X + 2, Y: p.Y}
}

// besideText is where an n-cell overlay goes for point p: on p itself when no text is there,
// else the nearest place on the row beside the text, within a few cells; false when there is
// none (the label wins and the overlay is not drawn).
func besideText(c *canvas.Canvas, p canvas.Point, n int) (int, bool) {
	if free(c, p.X, p.Y, n) {
		return p.X, true
	}
	for k := 1; k <= 8; k++ {
		if x := p.X + k; free(c, x, p.Y, n) && x+n <= c.W {
			return x, true
		}
		if x := p.X - k; x >= 0 && free(c, x, p.Y, n) {
			return x, true
		}
	}
	return 0, false
}

// free reports whether cells x..x+n-1 of row y hold no text (lines and blanks may be covered).
func free(c *canvas.Canvas, x, y, n int) bool {
	for i := range n {
		if isText(c, x+i, y) {
			return false
		}
	}
	return true
}

func isText(c *canvas.Canvas, x, y int) bool {
	r := c.At(x, y).R
	return r != 0 && r != ' '
}

// offscreen says how many Pods the viewport hides, so nobody thinks they are missing: the
// longest wording that fits in w cells.
func (m *Model) offscreen(d *diagram, w int) string {
	dw, dh := m.diagramWidth(), m.diagramHeight()
	n := d.l.sc.Off
	for _, p := range d.l.Pods {
		if p.Y < m.scrollY || p.Bottom() > m.scrollY+dh || p.X < m.scrollX || p.Right() > m.scrollX+dw {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	k := strconv.Itoa(n)
	var s string
	for _, s = range []string{
		m.tr("{0} Pod(s) off screen: pgup/pgdn or the wheel scroll; the view follows the packet", k),
		m.tr("{0} Pod(s) off screen: pgup/pgdn or the wheel scroll", k),
		m.tr("{0} Pod(s) off screen: pgup/pgdn scroll", k),
		m.tr("{0} Pod(s) off screen", k),
	} {
		if s = m.txt(" " + s); ansi.StringWidth(s) <= w {
			break
		}
	}
	return s
}

// keepPacketVisible scrolls the diagram to the packet while it is followed.
func (m *Model) keepPacketVisible() {
	if !m.follow || m.width == 0 {
		return
	}
	d := m.diagram()
	at := m.packetAt()
	dw, dh := m.diagramWidth(), m.diagramHeight()-1 // the last row may hold the off-screen note
	// the packet, and where it goes next when both fit: the sender and its first hop (a Pod
	// and the Service's rules) are on screen together
	lo, hi := at.Y, at.Y
	if pl, a := d.places[m.cur], m.hop().Action; pl.Kind == plPod && pl.I < len(d.l.Pods) && at == d.l.Places[pl] &&
		(a == netsim.ActDeliver || a == netsim.ActRefuse) {
		hi = min(d.l.Pods[pl.I].Bottom()-1, at.Y+dh-1) // the Pod it reached, whole
	}
	if m.cur+1 < len(d.paths) {
		for _, p := range d.paths[m.cur+1] {
			if l, h := min(lo, p.Y), max(hi, p.Y); h-l < dh {
				lo, hi = l, h
			}
		}
	}
	if lo < m.scrollY || hi >= m.scrollY+dh {
		m.scrollY = min(max(lo-(dh-1-(hi-lo))/2, 0), max(d.c.H-dh, 0))
	}
	if at.X < m.scrollX || at.X >= m.scrollX+dw-12 {
		m.scrollX = min(max(at.X-dw/2, 0), max(d.c.W-dw, 0))
	}
}

func (m *Model) helpRows() []string {
	dw := m.diagramWidth()
	m.help.Width = dw
	lines := []string{m.theme.Pane.Render(m.tr("Keys")) + "   " + m.tr("(? or esc closes)"), ""}
	lines = append(lines, strings.Split(m.help.FullHelpView(m.keys.FullHelp()), "\n")...)
	lines = append(lines, "",
		m.tr("The packet moves along the edges; the packet pane shows src → dst,"),
		m.tr("with a rewritten address struck through beside the new one."),
		m.tr("Click an event to jump there, a Service to trace it, a Pod to send to it."),
		m.tr("i: the kube-proxy chain the packet is in; d: what svcviz check finds,"),
		m.tr("enter on one shows its line in the YAML pane."),
		m.tr("s and o: type to filter the list, enter chooses."))
	return m.fill(lines, dw)
}

// pickHead is the picker's rows above its entries: the title and the filter line.
const pickHead = 2

// pickerView draws the Service/origin picker: its title, the filter line and the entries.
func (m *Model) pickerView() []string {
	p, dw := m.pick, m.diagramWidth()
	count, filter, esc := m.tr("{0} entries", strconv.Itoa(len(p.all))), m.tr("type to filter"), m.tr("esc: back")
	if p.filter != "" {
		count = m.tr("{0} of {1} match", strconv.Itoa(len(p.items)), strconv.Itoa(len(p.all)))
		filter, esc = m.tr("filter:")+" "+model.Escape(p.filter)+"▏", m.tr("esc: clear")
	}
	hint := m.txt("   ↑/↓ pgup/pgdn · " + p.enter + " · " + esc)
	if fw := ansi.StringWidth(m.txt(filter)) + 1; fw+ansi.StringWidth(hint) > dw {
		hint = m.txt("   " + p.enter + " · " + esc)
		if fw+ansi.StringWidth(hint) > dw {
			hint = m.fit(hint, max(dw-fw, 0))
		}
	}
	lines := []string{m.theme.Pane.Render(p.title) + "  " + m.theme.Dim.Render(count),
		" " + m.theme.Header.Render(m.txt(filter)) + m.theme.Dim.Render(hint)}
	for i := p.top; i < len(p.items) && i < p.top+m.pickRows(); i++ {
		s := "  " + p.items[i].label
		if i == p.sel {
			s = m.theme.Selected.Render(pad(m.txt("▸ "+p.items[i].label), dw))
		}
		lines = append(lines, s)
	}
	if len(p.items) == 0 {
		lines = append(lines, m.theme.Dim.Render("  "+m.tr("nothing matches: backspace edits the filter, esc clears it")))
	}
	return m.fill(lines, dw)
}

// fill fits lines to the left area, a cut line ending in an ellipsis.
func (m *Model) fill(lines []string, w int) []string {
	out := make([]string, m.areaHeight())
	for i := range out {
		s := ""
		if i < len(lines) {
			s = m.txt(lines[i])
		}
		out[i] = m.fit(s, w)
	}
	return out
}

// fit makes s exactly w cells wide like pad, but marks a cut with an ellipsis, so a line that
// does not fit reads as shortened rather than as a word run into the next.
func (m *Model) fit(s string, w int) string {
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, m.txt("…"))
	}
	return pad(s, w)
}

// pad makes s exactly w cells wide, cutting or filling with spaces.
func pad(s string, w int) string {
	n := ansi.StringWidth(s)
	if n > w {
		// a wide character across the edge is dropped whole: fill its half cell
		s = ansi.Truncate(s, w, "")
		n = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", max(w-n, 0))
}

// txt swaps ambiguous-width glyphs for ASCII under --ascii.
func (m *Model) txt(s string) string {
	if !m.opts.ASCII {
		return s
	}
	return asciiReplacer.Replace(s)
}

var asciiReplacer = strings.NewReplacer("→", "->", "←", "<-", "✗", "x", "▶", ">", "▸", ">", "…", "...",
	"↓", "v", "│", "|", "⏸", "||", "·", "-", "⇄", "<->", "▲", "^", "⇒", "=>", "▏", "|")

// addr shows a packet field, the old value struck through beside the new one when a hop
// rewrote it.
func (m *Model) addr(before, after string) string {
	if before == after {
		return after
	}
	return m.theme.strike(before) + " " + m.theme.New.Render(after)
}

func (m *Model) packetText(h *netsim.Hop) string {
	src := m.addr(h.Before.Src.String(), h.After.Src.String())
	dst := m.addr(h.Before.Dst.String(), h.After.Dst.String())
	return h.After.Proto + " " + src + m.txt(" → ") + dst
}
