package tui

import (
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/canvas"
)

// diagram is the laid-out, drawn diagram for one size, trace and view. Frames reuse it; only
// the packet (and a verdict mark) are drawn over it per frame.
type diagram struct {
	key    diagramKey
	l      *layout
	c      *canvas.Canvas
	places []place          // per step
	paths  [][]canvas.Point // per step: the cells from the previous step's place
	stop   int              // step index where the trace stops, -1 when delivered
	rows   []string         // rendered static rows, "" until needed
	rowsX  int              // the horizontal scroll rows were rendered for
}

type diagramKey struct {
	w     int
	trace *netsim.Trace
	wire  bool
}

// narrowWidth is the width below which the Services/Events column gives its room to the
// diagram and the detail band; the lists then open over the left area (tab).
const narrowWidth = 100

// narrow reports a terminal with no room for the Services/Events column beside the diagram.
func (m *Model) narrow() bool { return m.width > 0 && m.width < narrowWidth }

// listsOverlay reports the Services/Events lists open in place of the left area: on a narrow
// terminal when tab has focused one of them.
func (m *Model) listsOverlay() bool {
	return m.narrow() && m.mode == modeNormal && (m.focus == focusEvents || m.focus == focusServices)
}

// listWidth is the Services/Events lists' width: the right column, or all of a narrow screen.
func (m *Model) listWidth() int {
	if m.narrow() {
		return m.width
	}
	return m.paneWidth()
}

// Diagram size: the right pane takes a third, within limits; the rest is the diagram. A narrow
// terminal has no right pane.
func (m *Model) paneWidth() int {
	if m.narrow() {
		return 0
	}
	if len(m.sim.Nodes) > 1 {
		return 26 // side-by-side nodes need the room more than the lists do
	}
	return min(max(m.width/3, 26), 40)
}
func (m *Model) diagramWidth() int {
	if m.narrow() {
		return m.width
	}
	return max(m.width-m.paneWidth()-1, 1)
}

// chromeRows are the rows outside the diagram: header, packet, narration, view, status; the
// packet line, the narration and the view line take two rows each when some hop of the trace
// needs them (the same for every hop, so the diagram does not jump between hops).
func (m *Model) chromeRows() int {
	pl, nl, vl := m.chromeLines()
	return 1 + pl + nl + vl + 1
}

// chromeLines are the rows the packet line, the narration and the view line take for the
// trace on screen.
func (m *Model) chromeLines() (packet, narration, view int) {
	k := chromeKey{w: m.width, trace: m.trace, wire: m.wire, n: len(m.steps)}
	if c := m.chromeN; c.key == k && c.pl > 0 {
		return c.pl, c.nl, c.vl
	}
	pl, nl, vl := 1, 1, 1
	cur := m.cur
	for i := range m.steps {
		m.cur = i
		pl, nl, vl = max(pl, len(m.packetLines())), max(nl, len(m.narrationLines())), max(vl, len(m.viewLines()))
	}
	m.cur = cur
	m.chromeN = chromeCache{key: k, pl: pl, nl: nl, vl: vl}
	return pl, nl, vl
}

type chromeKey struct {
	w, n  int
	trace *netsim.Trace
	wire  bool
}

type chromeCache struct {
	key        chromeKey
	pl, nl, vl int
}

// diagram returns the cached diagram, building it when the size, trace or view changed.
func (m *Model) diagram() *diagram {
	w := m.diagramWidth()
	if m.width == 0 {
		w = 120 - 40 - 1 // before the first WindowSizeMsg: a sensible default
	}
	k := diagramKey{w: w, trace: m.trace, wire: m.wire}
	if m.dia != nil && m.dia.key == k {
		return m.dia
	}
	marks := diagramMarks{svc: m.svcLabel(), noPort: m.txt("✗ no nodePort"), ell: m.txt("…"), bad: m.txt("✗ ")}
	if m.theme.Plain || m.opts.ASCII {
		marks.offWire = " (not on the wire)"
	}
	m.dia = buildDiagram(m.sim, m.trace, m.steps, k, marks)
	return m.dia
}

// svcLabel is the mark on the Service's box when its diagnostics have an error or a warning.
func (m *Model) svcLabel() svcMark {
	svc := m.trace.Service.Svc
	mark, bad := m.svcMark("Service/" + svc.Namespace + "/" + svc.Name)
	switch {
	case bad:
		return svcMark{Text: m.txt(" " + mark + " error (d) "), Bad: true}
	case mark != "":
		return svcMark{Text: " " + mark + " warning (d) "}
	}
	return svcMark{}
}

// diagramMarks are the diagram's marks, worded for the glyph set.
type diagramMarks struct {
	svc    svcMark
	noPort string
	ell    string
	bad    string
	// offWire follows the Service's name in the wire view where the box cannot be drawn
	// dimmed (no colour, or --ascii): " (not on the wire)".
	offWire string
}

func buildDiagram(sim *netsim.Sim, tr *netsim.Trace, steps []int, k diagramKey, mark diagramMarks) *diagram {
	sc := buildScene(sim, tr)
	sc.Mark, sc.Ell, sc.BadMark = mark.svc, mark.ell, mark.bad
	sc.StopRow = refusedAtPod(tr)
	if k.wire {
		sc.SvcNote = mark.offWire
	}
	if sc.Port == "" {
		// nothing outside the cluster reaches a Service without a nodePort
		sc.ClientMark = mark.noPort
	}
	l := newLayout(sc, k.w, k.wire)
	pl := newPlacer(l, tr, k.wire)
	d := &diagram{key: k, l: l, stop: -1, rowsX: -1}
	used := map[int]bool{}
	prev := pl.origin
	for i, hi := range steps {
		h := tr.Hops[hi]
		at := pl.at(h, prev)
		pts, edges := l.path(prev, at)
		for _, e := range edges {
			used[e] = true
		}
		d.places = append(d.places, at)
		d.paths = append(d.paths, pts)
		if tr.StopStep != 0 && h.Step <= tr.StopStep && failed(tr.Verdict) {
			d.stop = i
		}
		prev = at
	}
	d.c = l.draw(used)
	d.rows = make([]string, d.c.H)
	return d
}

// packetAt is where the packet is drawn now.
func (m *Model) packetAt() canvas.Point {
	d := m.diagram()
	path := d.paths[m.cur]
	return path[min(m.travel, len(path)-1)]
}

// failed reports a verdict the diagram marks in red.
func failed(v netsim.Verdict) bool {
	return v == netsim.Refused || v == netsim.Rejected || v == netsim.Dropped || v == netsim.Unresolved
}
