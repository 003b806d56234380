package tui

import "github.com/svcviz/svcviz/netsim"

// The screen: a header row; the left area (the diagram with the detail band below it) beside
// the right column (the Services and event lists); then the packet line, the narration, the
// view line and the status bar. A terminal too short for the band (80x24) opens the panes in
// place of the diagram (y, i, d); one too narrow for the right column opens the lists over
// the left area (tab).

// MinWidth and MinHeight are the smallest terminal the TUI draws in.
const (
	MinWidth  = 80
	MinHeight = 24
)

const (
	narrowWidth  = 100 // below it the right column gives its room to the diagram and the band
	narrowListsW = 28  // the Services column's width when the lists open over a narrow screen
	minBand      = 9   // rows: a heading and enough YAML around the decisive line
	minDiagram   = 14  // rows: the client, the node's way in, the Service and a row of Pods
	packetW      = 30  // the packet pane: "dst   192.168.100.100:30008" and the conntrack tuples
	sideBySide   = 72  // narrower bands stack the packet above the YAML
	// on a narrow terminal (no right column) the band is kept down to this
	minBandNarrow    = 7
	minDiagramNarrow = 6
)

// compactBelow is the terminal height under which the diagram is laid out compactly (see
// diagram.Marks.Compact).
const compactBelow = 30

// compact reports a terminal too short for the diagram's roomy layout.
func (m *App) compact() bool { return m.height > 0 && m.height < compactBelow }

// narrow reports a terminal with no room for the Services/Events column beside the diagram.
func (m *App) narrow() bool { return m.width > 0 && m.width < narrowWidth }

// listsOverlay reports the Services/Events lists open in place of the left area: on a narrow
// terminal when tab has focused one of them.
func (m *App) listsOverlay() bool {
	return m.narrow() && m.mode == modeNormal && (m.focus == focusEvents || m.focus == focusServices)
}

// listWidth is the Services/Events lists' width: the right column, or all of a narrow screen.
func (m *App) listWidth() int {
	if m.narrow() {
		return m.width
	}
	return m.paneWidth()
}

// paneWidth is the right column's: a third of the screen, within limits; none when narrow.
func (m *App) paneWidth() int {
	if m.narrow() {
		return 0
	}
	if len(m.sim.Nodes) > 1 {
		return 26 // side-by-side nodes need the room more than the lists do
	}
	return min(max(m.width/3, 26), 40)
}

// diagramWidth is the left area's width.
func (m *App) diagramWidth() int {
	if m.narrow() {
		return m.width
	}
	return max(m.width-m.paneWidth()-1, 1)
}

// chromeRows are the rows outside the left area: header, packet, narration, view, status.
func (m *App) chromeRows() int {
	l := m.chromeLines()
	return 1 + l.packet + l.narration + l.view + len(m.msgLines()) + 1
}

// areaHeight is the left area's rows (and the right column's): all but the chrome.
func (m *App) areaHeight() int { return max(m.height-m.chromeRows(), 1) }

// bandHeight is the detail band's rows below the diagram, 0 when the terminal is too short;
// the band takes what the diagram leaves, at least minBand (the diagram then scrolls).
func (m *App) bandHeight() int {
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
	bh := max(ah-m.diagram().Canvas.H, mb)
	if ah-bh < md {
		return 0
	}
	return bh
}

// diagramHeight is the diagram's viewport.
func (m *App) diagramHeight() int { return max(m.areaHeight()-m.bandHeight(), 1) }

// paneShown reports whether a detail pane is on screen, so tab can focus it.
func (m *App) paneShown() bool { return m.bandHeight() > 0 || m.overlay }

// listRows is where the right column's lists sit: the Services list's rows (with its
// heading), then the event list's.
func (m *App) listRows() (svcH, evH int) {
	dh := m.areaHeight()
	if m.narrow() { // side by side over the left area, each under its heading
		return dh, dh
	}
	svcN := min(len(m.sim.Services), max(3, dh/4))
	return svcN + 1, max(dh-svcN-3, 0) + 1
}

// chromeLines are the rows the packet line, the narration and the view line take: two each
// when some hop of the trace needs them (the same for every hop, so the diagram does not jump
// between hops). sync measures them once per width, trace and view.
type chromeLines struct {
	key                     chromeKey
	packet, narration, view int
}

type chromeKey struct {
	w, n  int
	trace *netsim.Trace
	wire  bool
}

func (m *App) chromeLines() chromeLines {
	k := chromeKey{w: m.width, trace: m.trace, wire: m.wire, n: len(m.steps)}
	if m.lines.key == k && m.lines.packet > 0 {
		return m.lines
	}
	l := chromeLines{key: k, packet: 1, narration: 1, view: 1}
	if m.noPacket() {
		l.packet, l.narration, l.view = len(m.packetLines(0)), len(m.narrationLines(0)), len(m.viewLines(0))
	}
	for i := range m.steps {
		l.packet = max(l.packet, len(m.packetLines(i)))
		l.narration = max(l.narration, len(m.narrationLines(i)))
		l.view = max(l.view, len(m.viewLines(i)))
	}
	m.lines = l
	return l
}
