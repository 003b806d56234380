package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

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
		b.WriteString(sep)
		b.WriteString(p.right[i])
	}
	for _, l := range p.bottom {
		b.WriteByte('\n')
		b.WriteString(l)
	}
	return m.theme.withBG(b.String())
}

func (m *Model) tooSmall() string {
	lines := []string{
		"svcviz needs a window of at least " + strconv.Itoa(MinWidth) + "x" + strconv.Itoa(MinHeight) + ".",
		"This one is " + strconv.Itoa(m.width) + "x" + strconv.Itoa(m.height) + ": please enlarge the window.",
		"(q quits)",
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
		return m.pickRows2()
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
	if note := m.offscreen(d); note != "" {
		out[dh-1] = m.theme.paint(stNote, pad(m.txt(note), dw))
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
func (m *Model) overlays(d *diagram) []canvas.Overlay {
	at := m.packetAt()
	stopped := d.stop >= 0 && m.cur >= d.stop
	st := stPacket
	if stopped && m.cur == d.stop {
		st = stBad
	}
	glyph := m.theme.Packet
	if m.opts.ASCII {
		glyph = m.theme.PacketASC
	}
	var over []canvas.Overlay
	for i, r := range []rune(glyph) {
		over = append(over, canvas.Overlay{P: canvas.Point{X: at.X + i, Y: at.Y}, R: r, S: st})
	}
	if stopped {
		p := d.l.Places[d.places[d.stop]]
		mark := m.txt("✗ " + string(m.trace.Verdict))
		x := p.X + 3
		if x+len(mark) > d.c.W {
			x = p.X - 2 - len([]rune(mark))
		}
		for i, r := range []rune(mark) {
			over = append(over, canvas.Overlay{P: canvas.Point{X: x + i, Y: p.Y}, R: r, S: stBad})
		}
	}
	return over
}

// offscreen says how many Pods the viewport hides, so nobody thinks they are missing.
func (m *Model) offscreen(d *diagram) string {
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
	return fmt.Sprintf(" %d Pods off screen: pgup/pgdn or the wheel scroll; the view follows the packet", n)
}

// keepPacketVisible scrolls the diagram to the packet while it is followed.
func (m *Model) keepPacketVisible() {
	if !m.follow || m.width == 0 {
		return
	}
	d := m.diagram()
	at := m.packetAt()
	dw, dh := m.diagramWidth(), m.diagramHeight()-1 // the last row may hold the off-screen note
	if at.Y < m.scrollY || at.Y >= m.scrollY+dh {
		m.scrollY = min(max(at.Y-dh/2, 0), max(d.c.H-dh, 0))
	}
	if at.X < m.scrollX || at.X >= m.scrollX+dw-12 {
		m.scrollX = min(max(at.X-dw/2, 0), max(d.c.W-dw, 0))
	}
}

func (m *Model) helpRows() []string {
	dw := m.diagramWidth()
	m.help.Width = dw
	lines := []string{m.theme.Pane.Render("Keys") + "   (? or esc closes)", ""}
	lines = append(lines, strings.Split(m.help.FullHelpView(m.keys.FullHelp()), "\n")...)
	lines = append(lines, "",
		"The packet moves along the edges; each hop's label shows src → dst,",
		"with a rewritten address struck through beside the new one.",
		"Click an event to jump there, a Service to trace it, a Pod to send to it.",
		"i: the kube-proxy chain the packet is in; d: what svcviz check finds,",
		"enter on one shows its line in the YAML pane.")
	return m.fill(lines, dw)
}

func (m *Model) pickRows2() []string {
	p, dw := m.pick, m.diagramWidth()
	lines := []string{m.theme.Pane.Render(m.txt(p.title)), ""}
	for i := p.top; i < len(p.items) && i < p.top+m.pickRows(); i++ {
		s := "  " + p.items[i].label
		if i == p.sel {
			s = m.theme.Selected.Render(pad(m.txt("▸ "+p.items[i].label), dw))
		}
		lines = append(lines, s)
	}
	return m.fill(lines, dw)
}

// fill pads lines to the left area.
func (m *Model) fill(lines []string, w int) []string {
	out := make([]string, m.areaHeight())
	for i := range out {
		s := ""
		if i < len(lines) {
			s = m.txt(lines[i])
		}
		out[i] = pad(s, w)
	}
	return out
}

// pad makes s exactly w cells wide, cutting or filling with spaces.
func pad(s string, w int) string {
	n := ansi.StringWidth(s)
	if n > w {
		return ansi.Truncate(s, w, "")
	}
	return s + strings.Repeat(" ", w-n)
}

// txt swaps ambiguous-width glyphs for ASCII under --ascii.
func (m *Model) txt(s string) string {
	if !m.opts.ASCII {
		return s
	}
	return asciiReplacer.Replace(s)
}

var asciiReplacer = strings.NewReplacer("→", "->", "←", "<-", "✗", "x", "▶", ">", "▸", ">", "…", "...",
	"↓", "v", "│", "|", "⏸", "||", "·", "-", "⇄", "<->", "▲", "^", "⇒", "=>")

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
