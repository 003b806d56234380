package tui

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/canvas"
	"github.com/svcviz/svcviz/tui/diagram"
)

func TestRejectedTraceMarksTheStop(t *testing.T) {
	m := newApp(t, sampleBroken, 120, 36, Options{})
	for range 5 {
		m.Update(keyMsg("right"))
	}
	v := m.View()
	for _, want := range []string{"✗ rejected", "verdict: rejected", "myapp-pod 10.244.0.2", "nearest Pod, not selected", "✗ type: front-end ≠ frontend"} {
		if !strings.Contains(v, want) {
			t.Errorf("rejected trace lacks %q:\n%s", want, v)
		}
	}
}

// TestSelectorCauseInSight: a selector that matches nothing; on every hop the YAML pane marks
// the selector line that differs from the nearest Pod's labels and keeps it in view, even on
// a short pane; the nearest Pod is drawn greyed out with the differing label.
func TestSelectorCauseInSight(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}, {100, 30}} {
		m := newApp(t, sampleBroken, sz[0], sz[1], Options{})
		_, n := m.Step()
		for k := range n {
			jumpTo(m, k)
			v := m.View()
			if !strings.Contains(v, "✗42     type: frontend") {
				t.Fatalf("%v hop %d: the selector line 42 is not marked in view:\n%s", sz, k+1, v)
			}
		}
		var pod *diagram.PodBox
		for i, pb := range m.diagram().Layout.Pods {
			if pb.Item.Pod.Name == "myapp-pod" {
				pod = &m.diagram().Layout.Pods[i]
			}
		}
		if pod == nil || !pod.Item.Faded || pod.Item.Bad != "type: front-end ≠ frontend" {
			t.Fatalf("%v: nearest Pod %+v", sz, pod)
		}
	}
}

// TestLabelsWin: in every frame of every sample's trace (1 and 3 nodes, every theme's packet),
// neither the packet nor the verdict mark covers a label of the diagram, so ":30008" and the
// names stay readable; and the packet is drawn in every frame but where a label hides it.
func TestLabelsWin(t *testing.T) {
	paths, _ := filepath.Glob("../samples/*.yaml")
	for _, path := range paths {
		for _, nodes := range []int{1, 3} {
			for _, theme := range Themes() {
				sim := loadSim(t, path, nodes)
				m, err := New(sim, Options{Theme: theme, Request: netsim.Request{}})
				if err != nil {
					continue
				}
				m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
				_, cmd := m.Update(keyMsg(" "))
				for i := 0; cmd != nil; i++ {
					d := m.diagram()
					drawn := false
					for _, o := range m.overlays() {
						if textAt(d.Canvas, o.P.X, o.P.Y) {
							t.Fatalf("%s, %d nodes, %s: frame %d draws %q over the label's %q at %v", path, nodes, theme, i, o.R, d.Canvas.At(o.P.X, o.P.Y).R, o.P)
						}
						drawn = drawn || o.S == diagram.StylePacket
					}
					if !drawn && !textAt(d.Canvas, m.packetAt().X, m.packetAt().Y) && d.Stop < 0 {
						t.Fatalf("%s: frame %d has no packet", path, i)
					}
					_, cmd = m.Update(frameMsg{gen: m.gen})
				}
			}
		}
	}
}

// TestNodePortLabelReadable: the packet resting at the node's way in sits beside ":30008", and
// a rejected packet's mark does not touch it.
func TestNodePortLabelReadable(t *testing.T) {
	for _, path := range []string{sampleNodePort, sampleBroken} {
		m := newApp(t, path, 120, 36, Options{})
		for range 8 {
			m.Update(keyMsg("right"))
			if v := m.View(); !strings.Contains(v, "─:30008") {
				t.Fatalf("%s hop %d: the nodePort label is covered:\n%s", path, m.cur+1, v)
			}
		}
		if path == sampleBroken && !strings.Contains(m.View(), ":30008─✗ rejected") {
			t.Fatalf("the verdict mark is not a cell apart from the label:\n%s", m.View())
		}
	}
}

// TestServiceOnEveryNode: with several nodes the Service box, drawn on each, says it is one
// Service whose rules are on every node; with one node it says nothing of the kind.
func TestServiceOnEveryNode(t *testing.T) {
	for _, tc := range []struct {
		path         string
		nodes, width int
		want         string
		count        int
	}{
		{"../samples/deployment.yaml", 3, 160, "web (rules on every node)", 3},
		{sampleNodePort, 3, 120, "(rules on every node)", 3},
		{sampleNodePort, 2, 120, "myapp-service (rules on every node)", 2},
		{sampleNodePort, 1, 120, "on every node", 0},
	} {
		sim := loadSim(t, tc.path, tc.nodes)
		m, err := New(sim, Options{Request: netsim.Request{}})
		if err != nil {
			t.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: tc.width, Height: 40})
		v := m.View()
		checkSize(t, v, tc.width, 40)
		if n := strings.Count(v, tc.want); n != tc.count {
			t.Errorf("%s on %d nodes at %d columns: %q %d times, want %d:\n%s", tc.path, tc.nodes, tc.width, tc.want, n, tc.count, v)
		}
	}
}

// TestWireViewKeepsPacketOffTheService: in the wire view the packet never sits on or passes
// through the Service's box (the ClusterIP is never on the wire): the chain hops happen at the
// node; the teaching view keeps them in the Service's box.
func TestWireViewKeepsPacketOffTheService(t *testing.T) {
	cases := []struct {
		path  string
		nodes int
		req   netsim.Request
	}{
		{sampleNodePort, 1, netsim.Request{}},
		{sampleNodePort, 3, netsim.Request{ToNode: "node03"}},
		{"../samples/clusterip.yaml", 1, netsim.Request{}},
		{"../samples/deployment.yaml", 3, netsim.Request{}},
		{"../samples/deployment.yaml", 3, netsim.Request{From: "node02", Via: netsim.ViaClusterIP}},
		{sampleBroken, 1, netsim.Request{}},
		{"../samples/loadbalancer.yaml", 1, netsim.Request{}},
	}
	for _, c := range cases {
		name := fmt.Sprintf("%s-%dnodes-%s-%s", filepath.Base(c.path), c.nodes, c.req.From, c.req.ToNode)
		t.Run(name, func(t *testing.T) {
			m, err := New(loadSim(t, c.path, c.nodes), Options{Request: c.req})
			if err != nil {
				t.Skip(err)
			}
			m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
			m.Update(keyMsg("w"))
			d := m.diagram()
			onSvc := func(p pointLike) bool {
				for _, nb := range d.Layout.Nodes {
					s := nb.Svc
					if p.X >= s.X && p.X < s.Right() && p.Y >= s.Y && p.Y < s.Bottom() {
						return true
					}
				}
				return false
			}
			for i, hi := range m.steps {
				h := m.trace.Hops[hi]
				if d.Places[i].Kind == diagram.PlaceService {
					t.Errorf("wire hop %d/%d (%s %s %s) is placed on the Service", i+1, len(m.steps), h.Chain, h.Where, h.Action)
				}
				for _, p := range d.Paths[i] {
					if onSvc(pointLike(p)) {
						t.Errorf("wire hop %d/%d (%s %s) travels through the Service's box at %v", i+1, len(m.steps), h.Where, h.Action, p)
						break
					}
				}
			}
			checkSize(t, m.View(), 120, 36)
			// The teaching view keeps the Service's box as the point of its picture.
			m.Update(keyMsg("w"))
			d = m.diagram()
			onBox := false
			for i := range m.steps {
				onBox = onBox || d.Places[i].Kind == diagram.PlaceService
			}
			if !onBox && m.trace.Verdict == netsim.Delivered {
				t.Error("the teaching view no longer shows the packet at the Service")
			}
		})
	}
}

type pointLike struct{ X, Y int }

// TestManyPodsOffScreen: Pods the 80x24 viewport cannot show are counted in a note on the
// diagram's last row.
func TestManyPodsOffScreen(t *testing.T) {
	m := newApp(t, "testdata/many-pods.yaml", 80, 24, Options{})
	if n := len(m.diagram().Layout.Pods); n != 20 {
		t.Fatalf("%d Pods laid out, want 20", n)
	}
	rows := strings.Split(m.View(), "\n")
	if note := rows[m.diagramHeight()]; !strings.Contains(note, "Pods off screen") {
		t.Fatalf("20 Pods at 80x24: last diagram row %q\n%s", note, m.View())
	}
}

// TestClientDimmedWhenNotOrigin: a trace from a Pod draws the client dimmed and unconnected,
// marked "✗ no nodePort" for a ClusterIP Service; the sender is on the first Pod row, and at
// 80x24 hop 1 and hop 2 are on screen without scrolling between them.
func TestClientDimmedWhenNotOrigin(t *testing.T) {
	m := newApp(t, "../samples/clusterip.yaml", 80, 24, Options{})
	d := m.diagram()
	if d.Layout.Scene.External {
		t.Fatal("a trace from a Pod counts as external")
	}
	for _, e := range d.Layout.Edges {
		if e.A.Kind == diagram.PlaceClient || e.B.Kind == diagram.PlaceClient {
			t.Fatalf("an edge from the client: %+v", e)
		}
	}
	cl := d.Layout.Client
	if cl.H != 1 {
		t.Fatalf("80x24: the client is a box of %d rows, want the compact line", cl.H)
	}
	if st := d.Canvas.At(cl.X+2, cl.Y).S; st != diagram.StyleFaded {
		t.Errorf("client style %d, want faded", st)
	}
	row := ""
	for x := range d.Canvas.W {
		if r := d.Canvas.At(x, cl.Y).R; r != 0 {
			row += string(r)
		}
	}
	if !strings.Contains(row, "✗ no nodePort") {
		t.Errorf("client row %q lacks the no-nodePort mark", row)
	}
	if !d.Layout.Pods[0].Item.Origin {
		t.Error("the sender is not the first Pod")
	}
	y0 := m.scrollY
	inView := func(p diagram.Place) bool {
		at := d.Layout.Places[p]
		return at.Y >= m.scrollY && at.Y < m.scrollY+m.diagramHeight()-1
	}
	if !inView(d.Places[0]) || !inView(d.Places[1]) {
		t.Fatalf("hop 1 and 2 not both on screen at scroll %d", m.scrollY)
	}
	m.Update(keyMsg("right"))
	if m.scrollY != y0 {
		t.Errorf("hop 1→2 scrolled from %d to %d", y0, m.scrollY)
	}
	n := newApp(t, sampleNodePort, 80, 24, Options{})
	if !n.diagram().Layout.Scene.External || n.diagram().Canvas.At(n.diagram().Layout.Client.X+2, 0).S != diagram.StyleClient || strings.Contains(n.View(), "no nodePort") {
		t.Error("the NodePort trace's client is not drawn as the sender")
	}
}

// TestReplicasSideBySide: deployment.yaml's three replicas sit in one row, name, address and
// container a line each, all on screen; names are shortened from the middle so the unique
// suffix survives, and "…" marks every cut.
func TestReplicasSideBySide(t *testing.T) {
	m := newApp(t, "../samples/deployment.yaml", 120, 36, Options{})
	l := m.diagram().Layout
	if len(l.Pods) != 3 || l.PodH != 5 {
		t.Fatalf("%d Pods, height %d", len(l.Pods), l.PodH)
	}
	for _, p := range l.Pods[1:] {
		if p.Y != l.Pods[0].Y {
			t.Fatalf("Pods stacked: %+v", l.Pods)
		}
	}
	for i := range m.steps {
		jumpTo(m, i)
		v := m.View()
		if strings.Contains(v, "off screen") || strings.Contains(strings.ReplaceAll(v, "~~", ""), "~") {
			t.Fatalf("hop %d:\n%s", i+1, v)
		}
		if m.hop().Action == netsim.ActDeliver && !strings.Contains(v, "web-…-"+m.trace.Endpoint.Pod.Name[len(m.trace.Endpoint.Pod.Name)-5:]) {
			t.Errorf("the event list does not keep the Pod's suffix:\n%s", v)
		}
	}
}

// TestUndeclaredPortMark: an endpoint whose port no container declares shows the ports that
// are declared and a red "✗ :80 nothing declared" mark, not "(undeclared) :80".
func TestUndeclaredPortMark(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		m := newApp(t, "../samples/broken-targetport.yaml", sz[0], sz[1], Options{})
		d := m.diagram()
		text := ""
		bad := false
		for y := range d.Canvas.H {
			row := ""
			for x := range d.Canvas.W {
				if r := d.Canvas.At(x, y).R; r != 0 {
					row += string(r)
				}
			}
			if i := strings.Index(row, "✗ :80 nothing declared"); i >= 0 {
				for x := range d.Canvas.W {
					if d.Canvas.At(x, y).R == '✗' {
						bad = d.Canvas.At(x, y).S == diagram.StyleBad
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

// nsName keeps the namespace and shortens the name from the middle.
func TestNSName(t *testing.T) {
	for _, c := range []struct {
		ns, name string
		w        int
		want     string
	}{
		{"dev/", "api-64544d5949-6d7ff", 40, "dev/api-64544d5949-6d7ff"},
		{"dev/", "api-64544d5949-6d7ff", 16, "dev/api-…-6d7ff"},
		{"dev/", "api-64544d5949-6d7ff/nginx", 22, "dev/api-…-6d7ff/nginx"},
		{"", "api-64544d5949-6d7ff", 12, diagram.ShortName("api-64544d5949-6d7ff", 12, "…")},
	} {
		if got := diagram.NSName(c.ns, c.name, c.w, "…"); got != c.want || len([]rune(got)) > c.w {
			t.Errorf("diagram.NSName(%q, %q, %d) = %q, want %q", c.ns, c.name, c.w, got, c.want)
		}
	}
}

// The "✗ refused" mark goes inside the refusing Pod's box, on a line of its own: over no
// border, no edge and no text of the static diagram.
func TestRefusedMarkInsidePod(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}, {100, 30}} {
		for _, ascii := range []bool{false, true} {
			m := newApp(t, "../samples/broken-targetport.yaml", sz[0], sz[1], Options{ASCII: ascii})
			for m.hop().Action != "refuse" {
				m.Update(keyMsg("right"))
			}
			d := m.diagram()
			pb := d.Layout.Pods[d.Places[d.Stop].I]
			var mark string
			for _, o := range m.overlays() {
				if o.S != diagram.StyleBad || strings.ContainsRune(m.theme.Packet+m.theme.PacketASC, o.R) {
					continue // the packet, red where it stops
				}
				mark += string(o.R)
				if c := d.Canvas.At(o.P.X, o.P.Y); (c.R != 0 && c.R != ' ') || c.Lines != 0 {
					t.Errorf("%v ascii=%v: the mark covers %q (lines %v) at %v", sz, ascii, c.R, c.Lines, o.P)
				}
				if o.P.X <= pb.X || o.P.X >= pb.Right()-1 || o.P.Y <= pb.Y || o.P.Y >= pb.Bottom()-1 {
					t.Errorf("%v ascii=%v: the mark at %v is outside the refusing Pod's box %+v", sz, ascii, o.P, pb.Rect)
				}
			}
			if want := m.txt("✗ refused"); mark != want {
				t.Errorf("%v ascii=%v: mark %q, want %q", sz, ascii, mark, want)
			}
			if v := m.View(); !strings.Contains(v, m.txt("✗ refused")) {
				t.Errorf("%v ascii=%v: the mark is not on screen:\n%s", sz, ascii, v)
			}
		}
	}
}

// The wire view draws the Service's box dimmed, with no edge through it, and says in its title
// that it is not on the wire where nothing can be dimmed; the teaching view is as it was.
func TestWireViewServiceDimmed(t *testing.T) {
	for _, nodes := range []int{1, 3} {
		m, err := New(loadSim(t, sampleNodePort, nodes), Options{Request: netsimRequest("")})
		if err != nil {
			t.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
		crossed := func(d *diagramView) bool {
			for _, nb := range d.Layout.Nodes {
				for x := nb.Svc.X + 1; x < nb.Svc.Right()-1; x++ {
					for _, y := range []int{nb.Svc.Y, nb.Svc.Bottom() - 1} {
						if d.Canvas.At(x, y).Lines&(canvas.Up|canvas.Down) == canvas.Up|canvas.Down {
							return true
						}
					}
				}
			}
			return false
		}
		if d := m.diagram(); !crossed(d) || d.Canvas.At(d.Layout.Nodes[0].Svc.X, d.Layout.Nodes[0].Svc.Y).S != diagram.StyleService {
			t.Fatalf("%d nodes: the teaching view's Service box changed", nodes)
		}
		if v := m.View(); strings.Contains(v, "not on the wire)") {
			t.Fatalf("%d nodes: the teaching view says the Service is not on the wire:\n%s", nodes, v)
		}
		m.Update(keyMsg("w"))
		d := m.diagram()
		if crossed(d) {
			t.Errorf("%d nodes: an edge crosses the Service box in the wire view", nodes)
		}
		for _, nb := range d.Layout.Nodes {
			for _, p := range []canvas.Point{{X: nb.Svc.X, Y: nb.Svc.Y}, {X: nb.Svc.X + 2, Y: nb.Svc.Y + 1}} {
				if s := d.Canvas.At(p.X, p.Y).S; s != diagram.StyleFaded {
					t.Errorf("%d nodes: Service box cell %v has style %d, want dimmed", nodes, p, s)
				}
			}
		}
		if v := m.View(); !strings.Contains(v, "myapp-service (not on the wire)") && !strings.Contains(v, "│ (not on the wire)") {
			t.Errorf("%d nodes: no colour, and the wire view does not say the Service is off the wire:\n%s", nodes, v)
		}
		// with colour the dimming says it: no words added
		m.theme.Plain, m.dia = false, nil
		if d := m.diagram(); d.Layout.Scene.SvcNote != "" {
			t.Errorf("%d nodes: with colour the title gets %q", nodes, d.Layout.Scene.SvcNote)
		}
	}
}

// TestNamedPortBothNames: a named targetPort no container declares shows both names in the
// Pod's box, in the longest wording the box has room for.
func TestNamedPortBothNames(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		m := newApp(t, "../samples/broken-named-port.yaml", sz[0], sz[1], Options{})
		pods := m.diagram().Layout.Pods
		if len(pods) != 2 {
			t.Fatalf("%v: %d Pods drawn", sz, len(pods))
		}
		for _, pb := range pods {
			if got := pb.Item.SubAlts; len(got) != 3 || got[0] != `no port "http-web"; has http=8080` || got[1] != `no "http-web"; has http=8080` {
				t.Fatalf("%v: wordings %q", sz, got)
			}
			row := ""
			for x := pb.X + 1; x < pb.Right()-1; x++ {
				row += string(m.diagram().Canvas.At(x, pb.Y+3).R)
			}
			want := pb.Item.SubAlts[0]
			if len(want) > pb.W-2 {
				want = pb.Item.SubAlts[1]
			}
			if strings.TrimRight(row, " \x00") != want {
				t.Errorf("%v: box of %d cells shows %q, want %q", sz, pb.W, row, want)
			}
		}
	}
}

// TestChoiceNotGivenAway: until the hop that chooses the endpoint, the way to the chosen Pod
// looks like the way to the others; from that hop on it is bright and the others dimmed, in the
// teaching view and the wire view alike.
func TestChoiceNotGivenAway(t *testing.T) {
	for _, wire := range []bool{false, true} {
		m := newApp(t, "../samples/deployment.yaml", 160, 48, Options{})
		if wire {
			m.Update(keyMsg("w"))
		}
		d := m.diagram().Diagram
		if d.Before == nil || d.Choose <= 0 {
			t.Fatalf("wire %v: no picture before the choice (choose at step %d)", wire, d.Choose)
		}
		last := d.Paths[len(d.Paths)-1] // the delivery: into the chosen Pod
		var into []canvas.Point
		for i := len(d.Paths) - 1; i > d.Choose; i-- {
			if a := m.trace.Hops[m.steps[i]].Action; a == netsim.ActDeliver {
				into = d.Paths[i]
			}
		}
		if into == nil {
			into = last
		}
		p := into[len(into)/2]
		if st := d.Before.At(p.X, p.Y).S; st == diagram.StyleEdge {
			t.Errorf("wire %v: before the choice the way to the chosen Pod is bright at %v", wire, p)
		}
		if st := d.Canvas.At(p.X, p.Y).S; st != diagram.StyleEdge {
			t.Errorf("wire %v: after the choice the way to the chosen Pod is style %d at %v", wire, st, p)
		}
		if d.CanvasAt(d.Choose-1) != d.Before || d.CanvasAt(d.Choose) != d.Canvas {
			t.Errorf("wire %v: CanvasAt does not switch at the choice", wire)
		}
	}
}
