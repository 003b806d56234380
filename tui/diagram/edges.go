package diagram

import "github.com/svcviz/svcviz/tui/canvas"

// The edges of a layout: the ways a packet can travel between places, and the path a hop takes
// along them (the fewest edges).

// connect records the places and the edges between them.
func (l *Layout) connect() {
	below := 1 // the box's bottom edge; compact: the row under the boxless line
	if l.compact {
		below = 0
	}
	cl := canvas.Point{X: l.Client.X + l.Client.W/2, Y: l.Client.Bottom() - below}
	l.Places[Place{PlaceClient, 0}] = cl
	if l.Scene.DNS != "" {
		l.Places[Place{PlaceDNS, 0}] = canvas.Point{X: l.DNS.X + l.DNS.W/2, Y: l.DNS.Bottom() - below}
	}
	for i, nb := range l.Nodes {
		e, s := nb.Entry, canvas.Point{X: nb.Entry.X, Y: nb.Svc.Y}
		b := canvas.Point{X: e.X, Y: nb.Bus[0]}
		l.Places[Place{PlaceEntry, i}], l.Places[Place{PlaceService, i}], l.Places[Place{PlaceCNI, i}] = e, s, b
		if l.Scene.External {
			l.add(Place{PlaceClient, 0}, Place{PlaceEntry, i}, cl, canvas.Point{X: cl.X, Y: l.routeY}, canvas.Point{X: e.X, Y: l.routeY}, e)
		}
		if l.Scene.DNS != "" {
			d := l.Places[Place{PlaceDNS, 0}]
			l.add(Place{PlaceDNS, 0}, Place{PlaceEntry, i}, d, canvas.Point{X: d.X, Y: l.routeY}, canvas.Point{X: e.X, Y: l.routeY}, e)
		}
		l.add(Place{PlaceEntry, i}, Place{PlaceService, i}, e, s)
		l.add(Place{PlaceService, i}, Place{PlaceCNI, i}, s, b)
		if l.wire {
			l.connectWire(i, nb)
			continue
		}
		for j, other := range l.Nodes {
			if j != i {
				gap := nb.Svc.Bottom()
				l.add(Place{PlaceService, i}, Place{PlaceCNI, j}, s, canvas.Point{X: s.X, Y: gap}, canvas.Point{X: other.Entry.X, Y: gap}, canvas.Point{X: other.Entry.X, Y: other.Bus[0]})
			}
		}
	}
	for k, p := range l.Pods {
		l.connectPod(k, p)
	}
}

// connectWire adds the wire view's ways through node i: from its way in along the row under
// the node's title and down the free column right of the Service box to the bridge, inside
// the node and clear of its border (netfilter and routing happen in the node, not in a box of
// the Service); and over the node network to the other nodes. The compact layout has no row
// to spare: there the way runs along the top edge and beside the border.
func (l *Layout) connectWire(i int, nb NodeBox) {
	e, b := nb.Entry, l.Places[Place{PlaceCNI, i}]
	col, row := nb.Right()-2, e.Y // between the Service and pod-network boxes and the node's border
	if l.wireInside() {
		col, row = nb.Right()-3, nb.Svc.Y-1
	}
	l.add(Place{PlaceEntry, i}, Place{PlaceCNI, i}, e, canvas.Point{X: e.X, Y: row}, canvas.Point{X: col, Y: row}, canvas.Point{X: col, Y: b.Y}, b)
	for j := i + 1; j < len(l.Nodes); j++ {
		o := l.Nodes[j].Entry
		l.add(Place{PlaceEntry, i}, Place{PlaceEntry, j}, e, canvas.Point{X: e.X, Y: l.routeY}, canvas.Point{X: o.X, Y: l.routeY}, o)
	}
}

func (l *Layout) connectPod(k int, p PodBox) {
	nb := l.Nodes[p.Node]
	at := canvas.Point{X: p.Drop, Y: p.Y}
	l.Places[Place{PlacePod, k}] = at
	bus := p.Y - 1
	b := l.Places[Place{PlaceCNI, p.Node}]
	if bus == nb.Bus[0] {
		l.add(Place{PlaceCNI, p.Node}, Place{PlacePod, k}, b, canvas.Point{X: p.Drop, Y: bus}, at)
		return
	}
	l.add(Place{PlaceCNI, p.Node}, Place{PlacePod, k}, b, canvas.Point{X: nb.Trunk, Y: b.Y}, canvas.Point{X: nb.Trunk, Y: bus}, canvas.Point{X: p.Drop, Y: bus}, at)
}

func (l *Layout) add(a, b Place, corners ...canvas.Point) {
	l.Edges = append(l.Edges, Edge{A: a, B: b, Pts: canvas.Route(corners...)})
}

// inSolid reports whether a cell is inside a box that holds text.
func (l *Layout) inSolid(p canvas.Point) bool {
	for _, r := range l.Solid {
		if r.Inside(p) {
			return true
		}
	}
	return false
}

// path is the cells a packet travels from a to b, over the fewest edges, and those edges.
func (l *Layout) path(a, b Place) ([]canvas.Point, []int) {
	start, ok := l.Places[a]
	if !ok || a == b {
		if p, ok := l.Places[b]; ok {
			return []canvas.Point{p}, nil
		}
		return []canvas.Point{start}, nil
	}
	prev := map[Place]int{a: -1}
	queue := []Place{a}
	for len(queue) > 0 && !hasKey(prev, b) {
		cur := queue[0]
		queue = queue[1:]
		for i, e := range l.Edges {
			next, ok := other(e, cur)
			if ok && !hasKey(prev, next) {
				prev[next] = i
				queue = append(queue, next)
			}
		}
	}
	if !hasKey(prev, b) {
		return []canvas.Point{l.Places[b]}, nil
	}
	return l.walk(prev, a, b)
}

func (l *Layout) walk(prev map[Place]int, a, b Place) ([]canvas.Point, []int) {
	var legs [][]canvas.Point
	var used []int
	for cur := b; cur != a; {
		used = append(used, prev[cur])
		e := l.Edges[prev[cur]]
		pts := e.Pts
		if e.A == cur {
			pts = reversed(pts)
		}
		legs = append(legs, pts)
		cur, _ = other(e, cur)
	}
	out := []canvas.Point{l.Places[a]}
	for i := len(legs) - 1; i >= 0; i-- {
		out = append(out, legs[i][1:]...)
	}
	return out, used
}

func hasKey(m map[Place]int, k Place) bool { _, ok := m[k]; return ok }

func other(e Edge, p Place) (Place, bool) {
	switch p {
	case e.A:
		return e.B, true
	case e.B:
		return e.A, true
	}
	return Place{}, false
}

func reversed(pts []canvas.Point) []canvas.Point {
	out := make([]canvas.Point, len(pts))
	for i, p := range pts {
		out[len(pts)-1-i] = p
	}
	return out
}
