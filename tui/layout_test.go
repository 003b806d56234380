package tui

import (
	"strings"
	"testing"

	"github.com/svcviz/svcviz/tui/diagram"

	"github.com/svcviz/svcviz/netsim"
)

// TestManyPodsOffScreen: Pods the 80x24 viewport cannot show are counted in a note on the
// diagram's last row.
func TestManyPodsOffScreen(t *testing.T) {
	m := newModel(t, "testdata/many-pods.yaml", 80, 24, Options{})
	if n := len(m.diagram().Layout.Pods); n != 20 {
		t.Fatalf("%d Pods laid out, want 20", n)
	}
	rows := strings.Split(m.View(), "\n")
	if note := rows[m.diagramHeight()]; !strings.Contains(note, "Pod(s) off screen") {
		t.Fatalf("20 Pods at 80x24: last diagram row %q\n%s", note, m.View())
	}
}

// TestClientDimmedWhenNotOrigin: a trace from a Pod draws the client dimmed and unconnected,
// marked "✗ no nodePort" for a ClusterIP Service; the sender is on the first Pod row, and at
// 80x24 hop 1 and hop 2 are on screen without scrolling between them.
func TestClientDimmedWhenNotOrigin(t *testing.T) {
	m := newModel(t, "../samples/clusterip.yaml", 80, 24, Options{})
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
	if st := d.Canvas.At(cl.X, cl.Y).S; st != diagram.StyleFaded {
		t.Errorf("client box style %d, want faded", st)
	}
	row := ""
	for x := range d.Canvas.W {
		if r := d.Canvas.At(x, cl.Y+1).R; r != 0 {
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
	n := newModel(t, sampleNodePort, 80, 24, Options{})
	if !n.diagram().Layout.Scene.External || n.diagram().Canvas.At(n.diagram().Layout.Client.X, 0).S != diagram.StyleClient || strings.Contains(n.View(), "no nodePort") {
		t.Error("the NodePort trace's client is not drawn as the sender")
	}
}

// TestReplicasSideBySide: deployment.yaml's three replicas sit in one row, name, address and
// container a line each, all on screen; names are shortened from the middle so the unique
// suffix survives, and "…" marks every cut.
func TestReplicasSideBySide(t *testing.T) {
	m := newModel(t, "../samples/deployment.yaml", 120, 36, Options{})
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
		m := newModel(t, "../samples/broken-targetport.yaml", sz[0], sz[1], Options{})
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
