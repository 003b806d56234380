package diagram

import (
	"strings"

	"github.com/svcviz/svcviz/tui/canvas"
)

// PlaceKind is a spot on the diagram where hops happen.
type PlaceKind uint8

const (
	PlaceClient PlaceKind = iota
	PlaceDNS
	PlaceEntry   // the node's way in, on its top Edge (the nodePort)
	PlaceService // the Service's virtual server on a node
	PlaceCNI     // the cni0 bridge of a node
	PlacePod
)

// Place is a spot: a kind and an index (node or Pod number).
type Place struct {
	Kind PlaceKind
	I    int
}

// Edge is a way a packet can travel between two places, cell by cell from A to B.
type Edge struct {
	A, B Place
	Pts  []canvas.Point
}

// PodBox is a laid-out Pod.
type PodBox struct {
	canvas.Rect
	Item PodItem
	Node int
	Drop int // column of the line from the bridge
}

// NodeBox is a laid-out node with what is inside it.
type NodeBox struct {
	canvas.Rect
	Svc, Net  canvas.Rect
	Entry     canvas.Point // the way in on the top Edge
	Bus       []int        // rows of the bridge lines
	Trunk     int          // column joining the bridge rows
	Title, IP string
	CNILabel  string
	IPRow     bool
}

// Layout is the diagram placed on a canvas of W×H cells.
type Layout struct {
	W, H        int
	Client, DNS canvas.Rect
	Nodes       []NodeBox
	Pods        []PodBox
	Places      map[Place]canvas.Point
	Edges       []Edge
	Solid       []canvas.Rect // boxes with text inside: lines tunnel under them
	Scene       *Scene
	wire        bool // the wire view: the packet goes around the Service box, never into it
	podW, cols  int
	PodH        int // 4, or 5 when Pod names and addresses need a line each
	routeY      int
}

const (
	nodeGap  = 2
	nodeTopY = 4
)

// newLayout places the scene in a width (the canvas grows wider when nodes cannot fit and
// taller when Pods cannot; the view scrolls). The wire view adds the ways a real packet takes
// past the Service box: no packet is ever addressed to the ClusterIP on the wire.
func newLayout(sc *Scene, width int, wire bool) *Layout {
	l := &Layout{Scene: sc, wire: wire, Places: map[Place]canvas.Point{}, routeY: nodeTopY - 1}
	n := len(sc.Nodes)
	avail := (width - 1 - nodeGap*(n-1)) / n
	l.podW = min(podWidth(sc), max(avail-10, 16))
	l.PodH = podHeight(sc, l.podW) + badLine(sc)
	nodeW := max(28, l.podW+10, avail)
	l.cols = max(1, (nodeW-4-6+1)/(l.podW+1))
	if most := maxPods(sc); most > l.cols {
		// several Pods on a node: name, address and container a line each, in narrower
		// boxes side by side, rather than a column that runs off the screen
		w := min(stackedWidth(sc), l.podW)
		for w > podMinW && (nodeW-4-6+1)/(w+1) < most {
			w--
		}
		if cols := max(1, (nodeW-4-6+1)/(w+1)); cols > l.cols {
			l.podW, l.PodH, l.cols = w, 5+badLine(sc), cols
		}
	}
	short := !l.titleFits(nodeW)
	for i := range sc.Nodes {
		l.placeNode(i, nodeW, short)
	}
	l.equalHeights()
	l.W = max(width, n*nodeW+(n-1)*nodeGap+1)
	l.placeTop()
	l.H = l.Nodes[0].Bottom()
	l.connect()
	return l
}

func podWidth(sc *Scene) int {
	w := 0
	for _, ps := range sc.Pods {
		for _, p := range ps {
			w = max(w, len(p.Title), len(p.Sub), len(p.Bad)+2)
		}
	}
	return min(max(w+2, 18), 34)
}

// badLine is the lines every Pod box keeps for red marks: one when some Pod box carries a
// mark (":80 nothing declared"), and one more, the box's last, when the trace is refused at a
// Pod, for the verdict, so it is drawn over no border.
func badLine(sc *Scene) int {
	n := 0
	if sc.StopRow {
		n++
	}
	for _, ps := range sc.Pods {
		for _, p := range ps {
			if p.Bad != "" {
				return n + 1
			}
		}
	}
	return n
}

// podMinW is the narrowest Pod box: "10.244.10.200:8080" and a shortened name.
const podMinW = 20

func maxPods(sc *Scene) int {
	n := 0
	for _, ps := range sc.Pods {
		n = max(n, len(ps))
	}
	return n
}

// stackedWidth is the Pod box width with the name and the address on lines of their own.
func stackedWidth(sc *Scene) int {
	w := 0
	for _, ps := range sc.Pods {
		for _, p := range ps {
			w = max(w, len(p.NS)+len(p.Show), len(p.Title)-len(p.NS)-len(p.Show)-1, len(p.Sub), len(p.Bad)+2)
		}
	}
	return min(max(w+2, podMinW), 34)
}

// podHeight gives the name and the address a line each when they do not fit on one.
func podHeight(sc *Scene, podW int) int {
	for _, ps := range sc.Pods {
		for _, p := range ps {
			if len(p.Title) > podW-2 {
				return 5
			}
		}
	}
	return 4
}

func (l *Layout) titleFits(nodeW int) bool {
	n := l.Scene.Nodes[0]
	full := len(l.Scene.NodeName[0]) + len(n.IP.String()) + 4
	return 2+full+1+len(l.Scene.Port)+4 <= nodeW
}

// placeNode lays out node i: title on the top edge, the Service box, then the pod network
// with one bridge row above each row of Pods.
func (l *Layout) placeNode(i, nodeW int, short bool) {
	n := l.Scene.Nodes[i]
	nb := NodeBox{Rect: canvas.Rect{X: i * (nodeW + nodeGap), Y: nodeTopY, W: nodeW}}
	name := l.Scene.NodeName[i]
	nb.Title = " " + name + " " + n.IP.String() + " "
	if short {
		nb.Title, nb.IP, nb.IPRow = " "+name+" ", n.IP.String(), true
	}
	ex := nb.X + max(2+len(nb.Title)+1+len(l.Scene.Port)/2, 21)
	nb.Entry = canvas.Point{X: min(ex, nb.Right()-5), Y: nb.Y}
	svcY := nb.Y + 1
	if nb.IPRow {
		svcY++
	}
	nb.Svc = canvas.Rect{X: nb.X + 2, Y: svcY, W: nodeW - 4, H: 2 + len(l.svcLines(nodeW-8))}
	nb.Net = canvas.Rect{X: nb.X + 2, Y: nb.Svc.Bottom() + 1, W: nodeW - 4}
	nb.Trunk = nb.Net.Right() - 3
	pods := l.Scene.Pods[i]
	rows := max(1, (len(pods)+l.cols-1)/l.cols)
	for r := range rows {
		nb.Bus = append(nb.Bus, nb.Net.Y+1+r*(l.PodH+1))
	}
	nb.Net.H = 2 + rows*(l.PodH+1)
	nb.H = nb.Net.Bottom() + 1 - nb.Y
	nb.CNILabel = "cni0 " + n.Bridge.String()
	if nb.Net.X+2+len(nb.CNILabel) >= nb.Net.X+2+l.podW-2 {
		nb.CNILabel = "cni0"
	}
	for k, it := range pods {
		r, c := k/l.cols, k%l.cols
		pb := PodBox{Rect: canvas.Rect{X: nb.Net.X + 2 + c*(l.podW+1), Y: nb.Bus[r] + 1, W: l.podW, H: l.PodH}, Item: it, Node: i}
		pb.Drop = pb.X + pb.W/2
		if r == 0 {
			pb.Drop = max(pb.Drop, nb.Net.X+2+len(nb.CNILabel)+1)
		}
		l.Pods = append(l.Pods, pb)
	}
	l.Nodes = append(l.Nodes, nb)
}

// svcLines is the Service box's text: one line when it fits, else name and address. With more
// than one node the box is drawn on each, so a note says it is one Service whose rules
// kube-proxy writes on every node, not a Service per node: after the name, or on a line of its
// own below it when the box is narrow.
func (l *Layout) svcLines(w int) []string {
	name := l.Scene.SvcName
	var own []string // notes on lines of their own
	if n := l.Scene.SvcNote; n != "" {
		if len(name)+len(n) <= w {
			name += n
		} else {
			own = append(own, strings.TrimSpace(n))
		}
	}
	note := ""
	if len(own) == 0 {
		note = l.everyNode(w, len(name))
	}
	if note != "" {
		name += " " + note
	} else if note = l.everyNode(w, -1); note != "" {
		own = append(own, note)
	}
	if one := name + "  " + l.Scene.SvcAddr; len(one) <= w && note == "" && len(own) == 0 {
		return []string{one}
	}
	lines := append([]string{name}, own...)
	if len(l.Scene.SvcAddr) <= w {
		return append(lines, l.Scene.SvcAddr)
	}
	kind, addr, _ := strings.Cut(l.Scene.SvcAddr, " ")
	return append(lines, kind, addr)
}

// everyNodeNotes are the notes, longest first, that say the Service box is on every node.
var everyNodeNotes = []string{"(rules on every node)", "(on every node)", "(every node)"}

// everyNode is the longest note that fits in w after n cells of name (n < 0: on its own line);
// "" with one node, or when none fits.
func (l *Layout) everyNode(w, n int) string {
	if len(l.Scene.Nodes) < 2 {
		return ""
	}
	for _, s := range everyNodeNotes {
		if n+1+len(s) <= w {
			return s
		}
	}
	return ""
}

// equalHeights gives every node the tallest node's height so the row reads as one.
func (l *Layout) equalHeights() {
	h := 0
	for _, nb := range l.Nodes {
		h = max(h, nb.H)
	}
	for i := range l.Nodes {
		l.Nodes[i].H = h
	}
}

// placeTop puts the client on the left above the first node and kube-dns on the right.
func (l *Layout) placeTop() {
	l.Client = canvas.Rect{X: 1, Y: 0, W: len(l.Scene.Client) + 4, H: 3}
	l.Solid = append(l.Solid, l.Client)
	if l.Scene.DNS != "" {
		w := len(l.Scene.DNS) + 4
		l.DNS = canvas.Rect{X: l.W - w - 1, Y: 0, W: w, H: 3}
		l.Solid = append(l.Solid, l.DNS)
	}
	for _, nb := range l.Nodes {
		l.Solid = append(l.Solid, nb.Svc)
	}
	for _, p := range l.Pods {
		l.Solid = append(l.Solid, p.Rect)
	}
}

// connect records the places and the edges between them.
func (l *Layout) connect() {
	cl := canvas.Point{X: l.Client.X + l.Client.W/2, Y: l.Client.Bottom() - 1}
	l.Places[Place{PlaceClient, 0}] = cl
	if l.Scene.DNS != "" {
		l.Places[Place{PlaceDNS, 0}] = canvas.Point{X: l.DNS.X + l.DNS.W/2, Y: l.DNS.Bottom() - 1}
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

// connectWire adds the wire view's ways through node i: from its way in along the top Edge and
// down the free column right of the Service box to the bridge (netfilter and routing happen
// in the node, not in a box of the Service), and over the node network to the other nodes.
func (l *Layout) connectWire(i int, nb NodeBox) {
	e, b := nb.Entry, l.Places[Place{PlaceCNI, i}]
	col := nb.Right() - 2 // between the Service and pod-network boxes and the node's border
	l.add(Place{PlaceEntry, i}, Place{PlaceCNI, i}, e, canvas.Point{X: col, Y: e.Y}, canvas.Point{X: col, Y: b.Y}, b)
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
