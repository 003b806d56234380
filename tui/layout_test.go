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
	sc := &scene{Client: "client 192.168.1.10", SvcName: "myapp-service", SvcAddr: "ClusterIP 10.96.0.11:80", Port: ":30008", External: true}
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
		sc.Pods[n] = append(sc.Pods[n], podItem{Show: name, IP: ip, Title: name + " " + ip.String() + ":80", Sub: "nginx :80", Faded: k%7 == 6})
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
			t.Fatalf("Pod %s is outside its pod network: %+v in %+v", p.Item.Show, p.Rect, l.Nodes[p.Node].Net)
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
	m, err := New(sim, Options{Request: netsim.Request{}})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	d := m.diagram()
	d.l = newLayout(handScene(1, 20), m.diagramWidth(), false)
	if note := m.offscreen(d, 1000); !strings.Contains(note, "Pod(s) off screen") {
		t.Fatalf("20 Pods at 80x24: note %q", note)
	}
}

// TestClientDimmedWhenNotOrigin: a trace from a Pod draws the client dimmed and unconnected,
// marked "✗ no nodePort" for a ClusterIP Service; the sender is on the first Pod row, and at
// 80x24 hop 1 and hop 2 are on screen without scrolling between them.
func TestClientDimmedWhenNotOrigin(t *testing.T) {
	m := newModel(t, "../samples/clusterip.yaml", 80, 24, Options{})
	d := m.diagram()
	if d.l.sc.External {
		t.Fatal("a trace from a Pod counts as external")
	}
	for _, e := range d.l.Edges {
		if e.A.Kind == plClient || e.B.Kind == plClient {
			t.Fatalf("an edge from the client: %+v", e)
		}
	}
	cl := d.l.Client
	if st := d.c.At(cl.X, cl.Y).S; st != stFaded {
		t.Errorf("client box style %d, want faded", st)
	}
	row := ""
	for x := range d.c.W {
		if r := d.c.At(x, cl.Y+1).R; r != 0 {
			row += string(r)
		}
	}
	if !strings.Contains(row, "✗ no nodePort") {
		t.Errorf("client row %q lacks the no-nodePort mark", row)
	}
	if !d.l.Pods[0].Item.Origin {
		t.Error("the sender is not the first Pod")
	}
	y0 := m.scrollY
	inView := func(p place) bool {
		at := d.l.Places[p]
		return at.Y >= m.scrollY && at.Y < m.scrollY+m.diagramHeight()-1
	}
	if !inView(d.places[0]) || !inView(d.places[1]) {
		t.Fatalf("hop 1 and 2 not both on screen at scroll %d", m.scrollY)
	}
	m.Update(keyMsg("right"))
	if m.scrollY != y0 {
		t.Errorf("hop 1→2 scrolled from %d to %d", y0, m.scrollY)
	}
	n := newModel(t, sampleNodePort, 80, 24, Options{})
	if !n.diagram().l.sc.External || n.diagram().c.At(n.diagram().l.Client.X, 0).S != stClient || strings.Contains(n.View(), "no nodePort") {
		t.Error("the NodePort trace's client is not drawn as the sender")
	}
}

// TestReplicasSideBySide: deployment.yaml's three replicas sit in one row, name, address and
// container a line each, all on screen; names are shortened from the middle so the unique
// suffix survives, and "…" marks every cut.
func TestReplicasSideBySide(t *testing.T) {
	m := newModel(t, "../samples/deployment.yaml", 120, 36, Options{})
	l := m.diagram().l
	if len(l.Pods) != 3 || l.podH != 5 {
		t.Fatalf("%d Pods, height %d", len(l.Pods), l.podH)
	}
	for _, p := range l.Pods[1:] {
		if p.Y != l.Pods[0].Y {
			t.Fatalf("Pods stacked: %+v", l.Pods)
		}
	}
	for i := range m.steps {
		m.jump(i)
		v := m.View()
		if strings.Contains(v, "off screen") || strings.Contains(strings.ReplaceAll(v, "~~", ""), "~") {
			t.Fatalf("hop %d:\n%s", i+1, v)
		}
		if m.hop().Action == netsim.ActDeliver && !strings.Contains(v, "web-…-"+m.trace.Endpoint.Pod.Name[len(m.trace.Endpoint.Pod.Name)-5:]) {
			t.Errorf("the event list does not keep the Pod's suffix:\n%s", v)
		}
	}
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
		if got := shortName(c.in, c.w, "…"); got != c.want {
			t.Errorf("shortName(%q, %d) = %q, want %q", c.in, c.w, got, c.want)
		}
	}
}

// TestUndeclaredPortMark: an endpoint whose port no container declares shows the ports that
// are declared and a red "✗ :80 nothing declared" mark, not "(undeclared) :80".
func TestUndeclaredPortMark(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		m := newModel(t, "../samples/broken-targetport.yaml", sz[0], sz[1], Options{})
		d := m.diagram()
		text := ""
		bad := false
		for y := range d.c.H {
			row := ""
			for x := range d.c.W {
				if r := d.c.At(x, y).R; r != 0 {
					row += string(r)
				}
			}
			if i := strings.Index(row, "✗ :80 nothing declared"); i >= 0 {
				for x := range d.c.W {
					if d.c.At(x, y).R == '✗' {
						bad = d.c.At(x, y).S == stBad
					}
				}
			}
			text += row + "\n"
		}
		for _, want := range []string{"api :8080", "✗ :80 nothing declared"} {
			if !strings.Contains(text, want) {
				t.Errorf("%v: the diagram lacks %q:\n%s", sz, want, text)
			}
		}
		if strings.Contains(text, "undeclared") || !bad {
			t.Errorf("%v: old wording or the mark is not red (%v):\n%s", sz, bad, text)
		}
	}
}
