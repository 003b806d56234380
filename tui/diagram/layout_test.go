package diagram

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/canvas"
)

// handScene is a scene made by hand: n nodes, pods spread round-robin.
func handScene(nodes, pods int) *Scene {
	sc := &Scene{Client: "client 192.168.1.10", SvcName: "myapp-service", SvcAddr: "ClusterIP 10.96.0.11:80", Port: ":30008", External: true}
	for i := range nodes {
		sc.Nodes = append(sc.Nodes, &netsim.Node{Name: fmt.Sprintf("node%02d", i+1),
			IP:      netip.AddrFrom4([4]byte{192, 168, 1, byte(2 + i)}),
			PodCIDR: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 244, byte(i), 0}), 24),
			Bridge:  netip.AddrFrom4([4]byte{10, 244, byte(i), 1})})
		sc.NodeName = append(sc.NodeName, sc.Nodes[i].Name)
	}
	sc.Pods = make([][]PodItem, nodes)
	for k := range pods {
		n := k % nodes
		ip := netip.AddrFrom4([4]byte{10, 244, byte(n), byte(2 + k/nodes)})
		name := fmt.Sprintf("myapp-%d", k)
		sc.Pods[n] = append(sc.Pods[n], PodItem{Show: name, IP: ip, Title: name + " " + ip.String() + ":80", Sub: "nginx :80", Faded: k%7 == 6})
	}
	return sc
}

func TestLayoutNoOverlap(t *testing.T) {
	for _, nodes := range []int{1, 3} {
		for _, pods := range []int{1, 3, 20} {
			for _, w := range []int{53, 79, 93} {
				for _, wire := range []bool{false, true} {
					for _, compact := range []bool{false, true} {
						t.Run(fmt.Sprintf("%dnodes-%dpods-w%d-wire%v-compact%v", nodes, pods, w, wire, compact), func(t *testing.T) {
							checkLayout(t, newLayout(handScene(nodes, pods), w, wire, compact), pods)
						})
					}
				}
			}
		}
	}
}

func checkLayout(t *testing.T, l *Layout, pods int) {
	if len(l.Pods) != pods {
		t.Fatalf("laid out %d Pods, want %d", len(l.Pods), pods)
	}
	leaves := append([]canvas.Rect{l.Client}, l.Solid[1:]...)
	for i, a := range leaves {
		for _, b := range leaves[i+1:] {
			if a.Overlaps(b) {
				t.Fatalf("boxes overlap: %+v %+v", a, b)
			}
		}
	}
	for i, a := range l.Nodes {
		if !a.Contains(a.Svc) || !a.Contains(a.Net) || a.Svc.Overlaps(a.Net) {
			t.Fatalf("node %d's boxes do not nest: %+v", i, a)
		}
		for _, b := range l.Nodes[i+1:] {
			if a.Rect.Overlaps(b.Rect) {
				t.Fatalf("nodes overlap: %+v %+v", a.Rect, b.Rect)
			}
		}
		if l.Client.Overlaps(a.Rect) {
			t.Fatal("the client overlaps a node")
		}
	}
	for _, p := range l.Pods {
		if !l.Nodes[p.Node].Net.Contains(p.Rect) {
			t.Fatalf("Pod %s is outside its pod network: %+v in %+v", p.Item.Show, p.Rect, l.Nodes[p.Node].Net)
		}
	}
	// every Pod is reachable from the client along edges
	for k := range l.Pods {
		pts, _ := l.path(Place{PlaceClient, 0}, Place{PlacePod, k})
		if len(pts) < 2 || pts[len(pts)-1] != l.Places[Place{PlacePod, k}] {
			t.Fatalf("no path to Pod %d", k)
		}
	}
	// the drawing keeps every Pod's address whole
	c := l.draw(nil)
	var rows []string
	for y := range c.H {
		rows = append(rows, c.RenderRow(y, 0, c.W, &canvas.Unicode, func(_ canvas.Style, s string) string { return s }, nil))
	}
	text := strings.Join(rows, "\n")
	for _, p := range l.Pods {
		if !strings.Contains(text, p.Item.IP.String()+":80") {
			t.Fatalf("Pod address %s is not drawn:\n%s", p.Item.IP, text)
		}
	}
}

// Hidden counts the Pods a viewport does not show whole, and those left out of the layout.
func TestHiddenCountsPodsOutsideTheView(t *testing.T) {
	sc := handScene(1, 20)
	sc.Off = 2
	d := &Diagram{Layout: newLayout(sc, 79, false, false)}
	if n := d.Hidden(canvas.Rect{W: d.Layout.W, H: d.Layout.H}); n != 2 {
		t.Errorf("the whole canvas hides %d Pods, want the 2 left out", n)
	}
	top := canvas.Rect{W: d.Layout.W, H: d.Layout.Pods[0].Bottom()}
	shown := 0
	for _, p := range d.Layout.Pods {
		if p.Bottom() <= top.Bottom() {
			shown++
		}
	}
	if n := d.Hidden(top); shown == 0 || n != 2+20-shown {
		t.Errorf("a view of the first Pod row hides %d, want %d", n, 2+20-shown)
	}
}

// ShortName cuts from the middle and keeps a generated name's unique suffix; NSName keeps
// the namespace.
func TestShortNameKeepsTheSuffix(t *testing.T) {
	for _, c := range []struct {
		in   string
		w    int
		want string
	}{
		{"web-86c48884dc-dc6c5/nginx", 14, "web-…-dc6c5/…"},
		{"web-86c48884dc-dc6c5", 12, "web-…-dc6c5"},
		{"myapp-pod/nginx-container", 14, "myapp-pod/ngi…"},
		{"KUBE-SVC-HV6ZUR45AI72VIJI", 14, "KUBE-SVC-HV6Z…"},
		{"KUBE-EXTERNAL-SERVICES", 14, "KUBE-EXTERNAL…"},
	} {
		if got := ShortName(c.in, c.w, "…"); got != c.want {
			t.Errorf("ShortName(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

// TestNftChainShort: nftables chain names shortened keep the kind and the hash (which tells
// chains apart), then the port or the endpoint when they fit; other names are not touched.
func TestNftChainShort(t *testing.T) {
	for _, tc := range []struct {
		in   string
		w    int
		want string
	}{
		{"service-VTKG5A3G-default/myapp-service/tcp/", 23, "service-VTKG5A3G…/tcp/"},
		{"external-VTKG5A3G-default/myapp-service/tcp/", 23, "external-VTKG5A3G…/tcp/"},
		{"service-ABCDEF23-default/multi/tcp/http", 23, "service-ABCDEF23…"},
		{"service-ABCDEF23-default/multi/tcp/http", 30, "service-ABCDEF23…/tcp/http"},
		{"endpoint-5OJB2KTY-default/web/tcp/__10.244.0.2/80", 30, "endpoint-5OJB2KTY…"},
		{"endpoint-5OJB2KTY-default/web/tcp/__10.244.0.2/80", 40, "endpoint-5OJB2KTY…/10.244.0.2/80"},
		{"external-VTKG5A3G-default/myapp-service/tcp/", 14, "ext…-VTKG5A3G"},
		{"service-VTKG5A3G-default/myapp-service/tcp/", 10, "VTKG5A3G"},
		{"myapp-pod/nginx-container", 23, "myapp-pod/nginx-contai…"},
		{"KUBE-SVC-HV6ZUR45AI72VIJI", 24, "KUBE-SVC-HV6ZUR45AI72VI…"},
	} {
		if got := ShortName(tc.in, tc.w, "…"); got != tc.want || len([]rune(got)) > tc.w {
			t.Errorf("ShortName(%q, %d) = %q, want %q", tc.in, tc.w, got, tc.want)
		}
	}
	// three different chains at the event list's width stay three names
	seen := map[string]bool{}
	for _, c := range []string{"external-VTKG5A3G-default/myapp-service/tcp/", "service-VTKG5A3G-default/myapp-service/tcp/", "endpoint-Q5JOQ2TN-default/myapp-service/tcp/__10.244.0.2/80"} {
		seen[ShortName(c, 14, "…")] = true
	}
	if len(seen) != 3 {
		t.Errorf("chains not told apart at 14 cells: %v", seen)
	}
}

// TestWireWayInsideNode: in the wire view (not compact) the way from a node's way in to its
// bridge runs inside the node — never on its border, never in the cell beside it — for one
// node or three, few Pods or many.
func TestWireWayInsideNode(t *testing.T) {
	for _, nodes := range []int{1, 3} {
		for _, pods := range []int{1, 3, 20} {
			for _, w := range []int{53, 79, 93} {
				l := newLayout(handScene(nodes, pods), w, true, false)
				for i, nb := range l.Nodes {
					found := false
					for _, e := range l.Edges {
						if e.A != (Place{PlaceEntry, i}) || e.B != (Place{PlaceCNI, i}) {
							continue
						}
						found = true
						for _, p := range e.Pts[1:] { // the first is the way in, on the top edge
							if p.X <= nb.X+1 || p.X >= nb.Right()-2 || p.Y <= nb.Y {
								t.Fatalf("%d nodes %d pods w%d: node %d's wire way at %v, on or beside its border %+v", nodes, pods, w, i, p, nb.Rect)
							}
						}
					}
					if !found {
						t.Fatalf("%d nodes %d pods w%d: node %d has no wire way", nodes, pods, w, i)
					}
				}
			}
		}
	}
}
