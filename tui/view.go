package tui

import (
	"strconv"
	"strings"

	"github.com/svcviz/svcviz/tui/canvas"
)

// View draws the screen: exactly the terminal's height, each line its width. It reads the
// model and its children and changes nothing; Update has filled every cache (sync).
func (m *App) View() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	if m.width < MinWidth || m.height < MinHeight {
		return m.tooSmall()
	}
	var right []string
	if !m.narrow() {
		right = m.listColumn()
	}
	var b strings.Builder
	b.Grow(m.width * m.height * 2)
	b.WriteString(m.header())
	sep := m.theme.Dim.Render(string(m.glyphs.Lines[canvas.Up|canvas.Down]))
	if m.theme.Plain {
		sep = string(m.glyphs.Lines[canvas.Up|canvas.Down])
	}
	for i, r := range m.mainRows() {
		b.WriteByte('\n')
		b.WriteString(r)
		if i < len(right) {
			b.WriteString(sep)
			b.WriteString(right[i])
		}
	}
	for _, l := range m.bottomRows() {
		b.WriteByte('\n')
		b.WriteString(l)
	}
	return m.theme.withBG(b.String())
}

func (m *App) tooSmall() string {
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

// mainRows is the left area: the help, a picker, the lists or a pane opened in place of the
// diagram, or the diagram with the detail band below it.
func (m *App) mainRows() []string {
	switch {
	case m.mode == modeHelp:
		return m.helpRows()
	case m.mode == modePick:
		return rows(m.pick.View())
	case m.listsOverlay():
		return m.listColumn()
	case m.bandHeight() == 0 && m.overlay:
		return m.bandRows()
	case m.bandHeight() == 0:
		return m.diagramRows()
	}
	return append(m.diagramRows(), m.bandRows()...)
}

// listColumn is the Services list over the event list, or, over a narrow screen's left
// area, the two side by side.
func (m *App) listColumn() []string {
	svc, ev := rows(m.services.View()), rows(m.events.View())
	if m.narrow() {
		sep := m.theme.Dim.Render(string(m.glyphs.Lines[3]))
		for i := range svc {
			svc[i] += sep + ev[i]
		}
		return svc
	}
	w := m.listWidth()
	out := append(svc, pad("", w))
	out = append(out, ev...)
	for len(out) < m.areaHeight() {
		out = append(out, pad("", w))
	}
	return out[:m.areaHeight()]
}

// bottomRows are the packet line, the narration, the view line and the status bar.
func (m *App) bottomRows() []string {
	l := m.chromeLines()
	out := fitRows(m.packetLines(m.cur), m.width, l.packet)
	out = append(out, m.narration()...)
	out = append(out, fitRows(m.viewLines(m.cur), m.width, l.view)...)
	for _, s := range m.msgLines() {
		out = append(out, m.theme.Bad.Render(pad(" "+s, m.width)))
	}
	return append(out, m.statusBar())
}

func (m *App) helpRows() []string {
	dw := m.diagramWidth()
	lines := []string{m.theme.Pane.Render(m.tr("Keys")) + "   " + m.tr("(? or esc closes)"), ""}
	lines = append(lines, strings.Split(m.help.FullHelpView(m.keys.FullHelp()), "\n")...)
	lines = append(lines, "")
	for _, s := range []string{
		m.tr("The packet moves along the edges; the packet pane shows src → dst,"),
		m.tr("a rewritten address reads old ⇒ new, as svcviz trace prints it."),
		m.tr("Click an event to jump there, a Service to trace it, a Pod to send to it."),
		m.tr("i: the kube-proxy chain the packet is in; d: what svcviz check finds,"),
		m.tr("enter on one shows its line in the YAML pane."),
		m.tr("s and o: type to filter the list, enter chooses."),
	} {
		// wrapped, not cut: a translation may be longer than the English line
		lines = append(lines, strings.Split(wrapWidth(s, dw), "\n")...)
	}
	return m.fill(lines, m.areaHeight(), dw)
}
