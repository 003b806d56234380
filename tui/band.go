package tui

import (
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/netsim"
)

// The left area is the diagram with the detail band below it: the YAML pane and the packet
// pane side by side, or the rules or the diagnostics across the band. A terminal too short for
// both (80x24) has no band; there the panes open in place of the diagram (y, i, d).
const (
	minBand    = 9  // rows: a heading and enough YAML around the decisive line
	minDiagram = 14 // rows: the client, the node's way in, the Service and a row of Pods
	packetW    = 30 // the packet pane: "dst   192.168.100.100:30008" and the conntrack tuples
	sideBySide = 72 // narrower bands stack the packet above the YAML
	// on a narrow terminal (no right column) the band is kept down to this
	minBandNarrow    = 7
	minDiagramNarrow = 6
)

// areaHeight is the left area's rows (and the right pane's): all but the chrome.
func (m *Model) areaHeight() int { return max(m.height-m.chromeRows(), 1) }

// bandHeight is the detail band's rows below the diagram, 0 when the terminal is too short;
// the band takes what the diagram leaves, at least minBand (the diagram then scrolls).
func (m *Model) bandHeight() int {
	if m.width == 0 {
		return 0
	}
	ah := m.areaHeight()
	mb, md := minBand, minDiagram
	if m.narrow() {
		// 80x24: the YAML's heading and six lines, the packet beside them; the diagram
		// above follows the packet
		mb, md = minBandNarrow, minDiagramNarrow
	}
	bh := max(ah-m.diagram().c.H, mb)
	if ah-bh < md {
		return 0
	}
	return bh
}

// diagramHeight is the diagram's viewport.
func (m *Model) diagramHeight() int { return max(m.areaHeight()-m.bandHeight(), 1) }

// paneShown reports whether a detail pane is on screen, so tab can focus it.
func (m *Model) paneShown() bool { return m.bandHeight() > 0 || m.overlay }

// openPane shows a detail pane; asking again for the one on screen closes it (back to the YAML
// in the band, back to the diagram on a small terminal).
func (m *Model) openPane(p paneKind) {
	if m.pane == p && m.paneShown() {
		m.closePane()
		return
	}
	m.pane, m.overlay = p, m.bandHeight() == 0
}

func (m *Model) closePane() {
	m.pane, m.overlay = paneYAML, false
	if m.focus == focusPane {
		m.focus = focusDiagram
	}
}

// paneScroll is the hand scrolling of the YAML and rules panes. It holds only for the hop and
// pinned position it was made at, so the next hop shows its own line again.
type paneScroll struct {
	tr          *netsim.Trace
	cur         int
	pin         *yamlPin
	yaml, rules int
}

func (m *Model) scrollOf() paneScroll {
	s := m.off
	if s.tr != m.trace || s.cur != m.cur || s.pin != m.pin {
		s = paneScroll{tr: m.trace, cur: m.cur, pin: m.pin}
	}
	return s
}

// scrollPane scrolls the shown detail pane by d rows (the diagnostics move their selection).
func (m *Model) scrollPane(d int) {
	s := m.scrollOf()
	switch m.pane {
	case paneYAML:
		s.yaml += d
	case paneRules:
		s.rules += d
	case paneDiags:
		m.diagSel = min(max(m.diagSel+d, 0), max(len(m.sim.Diagnostics)-1, 0))
	}
	m.off = s
}

// bandRows renders the band in w×h cells.
func (m *Model) bandRows(w, h int) []string {
	switch m.pane {
	case paneRules:
		return m.rulesRows(w, h)
	case paneDiags:
		return m.diagRows(w, h)
	}
	pw := packetW + m.theme.Gap - 1
	if w < sideBySide {
		pw = w
	}
	pk := m.packetRows(pw)
	if w >= sideBySide {
		ys := m.yamlRows(w-pw-1, h)
		ps := fitRows(pk, pw, h)
		sep := m.theme.Dim.Render(string(m.glyphs.Lines[3]))
		out := make([]string, h)
		for i := range out {
			out[i] = ys[i] + sep + ps[i]
		}
		return out
	}
	ph := min(len(pk), h/2)
	return append(fitRows(pk[:ph], w, ph), m.yamlRows(w, h-ph)...)
}

// fitRows pads each line to w cells and the list to h lines.
func fitRows(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		s := ""
		if i < len(lines) {
			s = lines[i]
		}
		out[i] = pad(s, w)
	}
	return out
}

// paneHeading is a pane's first row: its name, focus mark and what it is about.
func (m *Model) paneHeading(name, about string, w int) string {
	focused := m.focus == focusPane
	if m.pane == paneYAML && name == m.tr("Packet") {
		focused = false // the packet pane has nothing to scroll
	}
	s := m.heading(name, focused, 0)
	if about != "" {
		s += " " + about
	}
	s = strings.Repeat(" ", m.theme.Gap-1) + s
	if w == 0 {
		return s // fitted later
	}
	return pad(s, w)
}

// paneHeadingFit is the first of a pane's headings (the same name, shorter words after it)
// that fits in w cells; else the last, cut with an ellipsis. Padded to w.
func (m *Model) paneHeadingFit(name string, abouts []string, w int) string {
	var s string
	for _, about := range abouts {
		if s = m.paneHeading(name, about, 0); ansi.StringWidth(s) <= w {
			return pad(s, w)
		}
	}
	return m.fit(s, w)
}

// wrapText wraps text to w display cells (wide characters count two), with an indent on the
// lines after the first.
func wrapText(s string, w int, indent string) []string {
	if w <= lipgloss.Width(indent)+4 {
		return []string{s}
	}
	first := strings.Split(wrapWidth(s, w), "\n")
	if len(first) == 1 {
		return first
	}
	rest := strings.Split(wrapWidth(strings.Join(first[1:], " "), w-lipgloss.Width(indent)), "\n")
	out := first[:1]
	for _, l := range rest {
		out = append(out, indent+l)
	}
	return out
}

// wrapWidth wraps plain text at spaces to w display cells, cutting words longer than a line.
// (ansi.Wrap also breaks at hyphens, which would split "--dport" and "KUBE-SVC-…".)
func wrapWidth(s string, w int) string {
	var lines []string
	line, lw := "", 0
	for _, word := range strings.Fields(s) {
		ww := lipgloss.Width(word)
		if lw > 0 && lw+1+ww > w {
			lines, line, lw = append(lines, line), "", 0
		}
		for ww > w { // longer than a line (lw is 0 here): cut it
			lines = append(lines, ansi.Cut(word, 0, w))
			word = ansi.Cut(word, w, ww)
			ww = lipgloss.Width(word)
		}
		if lw > 0 {
			line += " "
			lw++
		}
		line += word
		lw += ww
	}
	return strings.Join(append(lines, line), "\n")
}
