package diagram

import (
	"github.com/charmbracelet/x/ansi"
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
	compact     bool // boxless client and kube-dns, no row above the pod network (Marks.Compact)
	nodeTop     int  // the nodes' top row
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
func newLayout(sc *Scene, width int, wire, compact bool) *Layout {
	top := nodeTopY
	if compact {
		top = 2 // the client's line, then the route to the nodes
	}
	l := &Layout{Scene: sc, wire: wire, compact: compact, nodeTop: top, Places: map[Place]canvas.Point{}, routeY: top - 1}
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

// wireInside reports whether the wire view's way through a node runs inside it, on a row and a
// column of its own: always but in the compact layout, which has no row to spare (there it
// runs along the node's top edge and down beside its border).
func (l *Layout) wireInside() bool { return l.wire && !l.compact }

// placeNode lays out node i: title on the top edge, the Service box, then the pod network
// with one bridge row above each row of Pods.
func (l *Layout) placeNode(i, nodeW int, short bool) {
	n := l.Scene.Nodes[i]
	nb := NodeBox{Rect: canvas.Rect{X: i * (nodeW + nodeGap), Y: l.nodeTop, W: nodeW}}
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
	innerW := nodeW - 4
	if l.wireInside() {
		// the wire's way runs inside the node: a row under its title and a column right of
		// the Service and pod-network boxes, a cell clear of them and of the node's border
		// (connectWire)
		svcY++
		innerW -= 2
	}
	nb.Svc = canvas.Rect{X: nb.X + 2, Y: svcY, W: innerW, H: 2 + len(l.svcLines(innerW-4))}
	nb.Net = canvas.Rect{X: nb.X + 2, Y: nb.Svc.Bottom() + 1, W: innerW}
	if l.compact {
		nb.Net.Y--
	}
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
var everyNodeNotes = []string{words("(rules on every node)"), words("(on every node)"), words("(every node)")}

// words marks a label that Scene.words translates, where it is written (the TUI's catalogue
// test finds the labels by it).
func words(s string) string { return s }

// everyNode is the longest note that fits in w after n cells of name (n < 0: on its own line);
// "" with one node, or when none fits.
func (l *Layout) everyNode(w, n int) string {
	if len(l.Scene.Nodes) < 2 {
		return ""
	}
	for _, s := range everyNodeNotes {
		if s = l.Scene.words(s); n+1+len(s) <= w {
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
	h := 3
	if l.compact {
		h = 1
	}
	l.Client = canvas.Rect{X: 1, Y: 0, W: ansi.StringWidth(l.Scene.Client) + 4, H: h}
	l.Solid = append(l.Solid, l.Client)
	if l.Scene.DNS != "" {
		w := len(l.Scene.DNS) + 4
		l.DNS = canvas.Rect{X: l.W - w - 1, Y: 0, W: w, H: h}
		l.Solid = append(l.Solid, l.DNS)
	}
	for _, nb := range l.Nodes {
		l.Solid = append(l.Solid, nb.Svc)
	}
	for _, p := range l.Pods {
		l.Solid = append(l.Solid, p.Rect)
	}
}
