package tui

import (
	"fmt"
	tea "github.com/charmbracelet/bubbletea"
	"net/netip"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/canvas"
)

// handScene is a scene made by hand: n nodes, pods spread round-robin.
func handScene(nodes, pods int) *scene {
	sc := &scene{Client: "client 192.168.1.10", SvcName: "myapp-service", SvcAddr: "ClusterIP 10.96.0.11:80", Port: ":30008"}
	for i := range nodes {
		sc.Nodes = append(sc.Nodes, &netsim.Node{Name: fmt.Sprintf("node%02d", i+1),
			IP:      netip.AddrFrom4([4]byte{192, 168, 1, byte(2 + i)}),
			PodCIDR: netip.PrefixFrom(netip.AddrFrom4([4]byte{10, 244, byte(i), 0}), 24),
			Bridge:  netip.AddrFrom4([4]byte{10, 244, byte(i), 1})})
		sc.NodeName = append(sc.NodeName, sc.Nodes[i].Name)
	}
	sc.Pods = make([][]podItem, nodes)
	for k := range pods {
		n := k % nodes
		ip := netip.AddrFrom4([4]byte{10, 244, byte(n), byte(2 + k/nodes)})
		name := fmt.Sprintf("myapp-%d", k)
		sc.Pods[n] = append(sc.Pods[n], podItem{Name: name, Show: name, IP: ip, Title: name + " " + ip.String() + ":80", Sub: "nginx :80", Faded: k%7 == 6})
	}
	return sc
}

func TestLayoutNoOverlap(t *testing.T) {
	for _, nodes := range []int{1, 3} {
		for _, pods := range []int{1, 3, 20} {
			for _, w := range []int{53, 79, 93} {
				for _, wire := range []bool{false, true} {
					t.Run(fmt.Sprintf("%dnodes-%dpods-w%d-wire%v", nodes, pods, w, wire), func(t *testing.T) {
						checkLayout(t, newLayout(handScene(nodes, pods), w, wire), pods)
					})
				}
			}
		}
	}
}

func checkLayout(t *testing.T, l *layout, pods int) {
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
			t.Fatalf("Pod %s is outside its pod network: %+v in %+v", p.Item.Name, p.Rect, l.Nodes[p.Node].Net)
		}
	}
	// every Pod is reachable from the client along edges
	for k := range l.Pods {
		pts, _ := l.path(place{plClient, 0}, place{plPod, k})
		if len(pts) < 2 || pts[len(pts)-1] != l.Places[place{plPod, k}] {
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

func TestManyPodsScroll(t *testing.T) {
	sim := loadSim(t, sampleNodePort, 1)
	m, err := New(sim, Options{Request: netsim.Request{Endpoint: -1}})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	d := m.diagram()
	d.l = newLayout(handScene(1, 20), m.diagramWidth(), false)
	if note := m.offscreen(d, 1000); !strings.Contains(note, "Pods off screen") {
		t.Fatalf("20 Pods at 80x24: note %q", note)
	}
}
