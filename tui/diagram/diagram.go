// Package diagram turns a netsim trace and a width into a picture: the scene (what is shown:
// the client, the nodes, the Service and its Pods), the layout (where each box and edge goes)
// and the drawing (a canvas of cells, each with a style class), with the place and the path
// of every hop. It is plain data and functions of it: no terminal, no bubbletea, no colours
// (a theme maps the style classes to colours when a row is rendered).
package diagram

import (
	"strconv"
	"strings"

	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/canvas"
)

// Style classes of diagram cells; a theme maps each to a colour.
const (
	StylePlain   canvas.Style = iota
	StyleNode                 // node and pod-network boxes
	StyleService              // the Service box
	StylePod                  // an endpoint Pod
	StyleFaded                // selected Pods that cannot receive, idle edges
	StyleEdge                 // an edge the trace uses
	StyleTitle                // box titles (names)
	StyleAddr                 // addresses and ports
	StylePacket               // the moving packet
	StyleBad                  // where a trace stops, and its verdict
	StyleClient               // the external client and kube-dns
	StyleNote                 // "N Pods off screen"
	NumStyles
)

// Diagram is the laid-out, drawn diagram of one trace's view at one width. Frames reuse it;
// only the packet and a verdict mark (Overlays) are drawn over it.
type Diagram struct {
	Layout *Layout
	Canvas *canvas.Canvas
	Places []Place          // per step of the view: where the hop happens
	Paths  [][]canvas.Point // per step: the cells from the previous step's place to this one
	Stop   int              // the step where the trace stops, -1 when it is delivered
	// Before is the picture before the hop that chooses the endpoint (Choose, a step): the way
	// to every Pod alike, so it does not give the choice away; nil when the view has no such
	// hop. From Choose on, Canvas shows the chosen way bright and the others dimmed.
	Before *canvas.Canvas
	Choose int
}

// Marks are the diagram's words and marks, chosen by the caller for its glyph set.
type Marks struct {
	Svc    SvcMark // the Service's diagnostics mark
	NoPort string  // beside the client when the Service has no nodePort: "✗ no nodePort"
	Ell    string  // marks shortened text: "…" or "..."
	Bad    string  // starts a red mark in a Pod box: "✗ " or "x "
	// OffWire follows the Service's name in the wire view where the box cannot be drawn
	// dimmed (no colour, or --ascii): " (not on the wire)".
	OffWire string
	// Ne parts a Pod's label from the selector's value it differs from: "≠" or "!=".
	Ne string
	// Compact lays the diagram out for a short terminal: the client and kube-dns on one line
	// each without a box, no row between the Service and the pod network, so 80x24 shows the
	// client, the nodePort, the Service and a Pod in one frame.
	Compact bool
	// Words words the diagram's labels in the screen's language ("client {0}" → "클라이언트
	// {0}"): English text in, with {0}, {1} … filled by args; nil keeps English.
	Words func(s string, args ...string) string
	// Nearest is said in the box of the Pod a selector nearly matches: "nearest Pod, not selected".
	Nearest string
}

// Build lays out and draws trace tr for the hops steps (indices into tr.Hops: the view on
// screen) in width cells; wire is the wire view. The canvas may be wider or taller than
// width when the cluster does not fit: the caller scrolls it.
func Build(sim *netsim.Sim, tr *netsim.Trace, steps []int, width int, wire bool, mark Marks) *Diagram {
	words := mark.Words
	if words == nil {
		words = english
	}
	sc := buildScene(sim, tr, words)
	sc.Mark, sc.Ell, sc.BadMark = mark.Svc, mark.Ell, mark.Bad
	sc.StopRow = refusedAtPod(tr)
	for _, items := range sc.Pods {
		for i := range items {
			if it := &items[i]; it.Differs != nil {
				it.Sub, it.Bad = mark.Nearest, differText(it.Differs, mark.Ne, words)
			}
		}
	}
	if wire {
		sc.SvcNote = mark.OffWire
	}
	if sc.Port == "" {
		// nothing outside the cluster reaches a Service without a nodePort
		sc.ClientMark = mark.NoPort
	}
	l := newLayout(sc, width, wire, mark.Compact)
	pl := newPlacer(l, tr, wire)
	d := &Diagram{Layout: l, Stop: -1, Choose: -1}
	used, before := map[int]bool{}, map[int]bool{}
	prev := pl.origin
	for i, hi := range steps {
		h := tr.Hops[hi]
		at := pl.at(h, prev)
		pts, edges := l.path(prev, at)
		if d.Choose < 0 && h.Action == netsim.ActChoose {
			d.Choose = i
		}
		for _, e := range edges {
			used[e] = true
			if d.Choose < 0 {
				before[e] = true
			}
		}
		d.Places = append(d.Places, at)
		d.Paths = append(d.Paths, pts)
		if tr.StopStep != 0 && h.Step <= tr.StopStep && Failed(tr.Verdict) {
			d.Stop = i
		}
		prev = at
	}
	d.Canvas = l.draw(used)
	if d.Choose > 0 {
		d.Before = l.draw(before)
	}
	return d
}

// CanvasAt is the picture at step: Before until the endpoint is chosen, then Canvas.
func (d *Diagram) CanvasAt(step int) *canvas.Canvas {
	if d.Before != nil && step < d.Choose {
		return d.Before
	}
	return d.Canvas
}

// english fills {0}, {1} … of s with args: the diagram's words when no language is given.
func english(s string, args ...string) string {
	for i, a := range args {
		s = strings.ReplaceAll(s, "{"+strconv.Itoa(i)+"}", a)
	}
	return s
}

// PacketAt is where the packet is drawn at step, travel cells along its path.
func (d *Diagram) PacketAt(step, travel int) canvas.Point {
	path := d.Paths[step]
	return path[min(travel, len(path)-1)]
}

// Failed reports a verdict the diagram marks in red.
func Failed(v netsim.Verdict) bool {
	return v == netsim.Refused || v == netsim.Rejected || v == netsim.Dropped || v == netsim.Unresolved
}
