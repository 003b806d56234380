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

// Diagram size: the right pane takes a third, within limits; the rest is the diagram.
func (m *Model) paneWidth() int {
	if len(m.sim.Nodes) > 1 {
		return 26 // side-by-side nodes need the room more than the lists do
	}
	return min(max(m.width/3, 26), 40)
}
func (m *Model) diagramWidth() int { return max(m.width-m.paneWidth()-1, 1) }

// chromeRows are the rows outside the diagram: header, packet, two of narration, view, status.
const chromeRows = 6

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
	m.dia = buildDiagram(m.sim, m.trace, m.steps, k, m.svcLabel())
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

func buildDiagram(sim *netsim.Sim, tr *netsim.Trace, steps []int, k diagramKey, mark svcMark) *diagram {
	sc := buildScene(sim, tr)
	sc.Mark = mark
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
