package tui

import (
	"strings"
	"testing"

	"github.com/svcviz/svcviz/tui/diagram"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/tui/canvas"
)

const sampleNamespaces = "../samples/namespaces.yaml"

// With dev/api and prod/api loaded, the Service box, the Pod boxes and the event list name
// each object's namespace; with one namespace nothing changes.
func TestNamespacePrefix(t *testing.T) {
	for _, size := range [][2]int{{120, 36}, {80, 24}} {
		m := newModel(t, sampleNamespaces, size[0], size[1], Options{})
		if v := m.View(); !strings.Contains(v, "│ dev/api  ClusterIP") {
			t.Errorf("%dx%d: the Service box does not name its namespace:\n%s", size[0], size[1], v)
		}
		for range 4 {
			m.Update(keyMsg("right")) // to the delivery: the receiving Pod is on screen
		}
		v := m.View()
		for _, want := range []string{"│dev/api-", "│dev/client"} {
			if !strings.Contains(v, want) {
				t.Errorf("%dx%d: no %q in\n%s", size[0], size[1], want, v)
			}
		}
		m.Update(keyMsg("tab")) // the events (over the diagram on a narrow screen)
		if v := m.View(); !strings.Contains(v, "5 dev/api-") {
			t.Errorf("%dx%d: the event list does not name the Pod's namespace:\n%s", size[0], size[1], v)
		}
	}
	m := newModel(t, sampleNamespaces, 120, 36, Options{})
	retraceTo(m, netsimRequest("prod/api"))
	if v := m.View(); !strings.Contains(v, "prod/api  ClusterIP") || !strings.Contains(v, "│prod/api-") {
		t.Errorf("prod/api is not told apart:\n%s", v)
	}
	m = newModel(t, sampleNodePort, 120, 36, Options{})
	for range 6 {
		m.Update(keyMsg("right"))
		if v := m.View(); strings.Contains(v, "default/") {
			t.Fatalf("one namespace, yet names carry it:\n%s", v)
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

// A trace whose every narration fits on one line keeps one row for it: no blank row under
// it, and the diagram does not jump between hops.
func TestNarrationOneRow(t *testing.T) {
	m := newModel(t, sampleBroken, 120, 36, Options{})
	_, n := m.Step()
	ah := m.areaHeight()
	for i := range n {
		lines := strings.Split(m.View(), "\n")
		if len(lines) != 36 {
			t.Fatalf("hop %d: %d lines", i+1, len(lines))
		}
		if m.areaHeight() != ah {
			t.Fatalf("hop %d: the diagram's height changed: %d, then %d", i+1, ah, m.areaHeight())
		}
		// the rows under the packet line: the narration, then at once the view line
		k := 1 + m.areaHeight() + len(m.packetLines(m.cur))
		if strings.TrimSpace(lines[k]) == "" || strings.TrimSpace(lines[k+1]) == "" {
			t.Fatalf("hop %d: a blank row by the narration:\n%s", i+1, strings.Join(lines[k-1:], "\n"))
		}
		m.Update(keyMsg("right"))
	}
	// a trace with a two-line narration keeps two rows on every hop
	m = newModel(t, sampleNodePort, 80, 24, Options{})
	if nl := m.chromeLines().narration; nl != 2 {
		t.Fatalf("nodeport at 80x24: %d narration rows, want 2", nl)
	}
}

// The packet pane's heading at 80x24 drops words before it cuts the hop's action; the
// diagnostics pane's heading drops its hint before its counts, and marks a cut with "…".
func TestPaneHeadingsFit(t *testing.T) {
	for _, path := range []string{sampleNodePort, sampleBroken, sampleNamespaces, "../samples/broken-targetport.yaml"} {
		for _, lang := range []string{"en", "ko"} {
			m := newModel(t, path, 80, 24, Options{Lang: lang})
			_, n := m.Step()
			for i := range n {
				v := m.View()
				if act := string(m.hop().Action); !strings.Contains(v, " "+act+" ") && !strings.Contains(v, " "+act+"│") {
					t.Errorf("%s %s hop %d: the packet pane's heading cuts %q:\n%s", path, lang, i+1, act, v)
				}
				m.Update(keyMsg("right"))
			}
		}
	}
	m := newModel(t, sampleBroken, 80, 24, Options{})
	for _, c := range []struct {
		w    int
		want string
	}{
		{80, "Diagnostics 1 warning  (enter: show in YAML, d: close)"},
		{40, "Diagnostics 1 warning  (d: close)"},
		{25, "Diagnostics 1 warning"},
		{15, "Diagnostics 1 …"},
	} {
		p := newDiagPane(m.ui, m.keys)
		p.SetDiagnostics(m.sim.Diagnostics)
		p.SetSize(c.w, 5)
		got := rows(p.View())[0]
		if strings.TrimRight(got, " ") != c.want || len([]rune(got)) != c.w {
			t.Errorf("diagnostics heading in %d cells: %q, want %q", c.w, got, c.want)
		}
	}
}

// The "✗ refused" mark goes inside the refusing Pod's box, on a line of its own: over no
// border, no edge and no text of the static diagram.
func TestRefusedMarkInsidePod(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}, {100, 30}} {
		for _, ascii := range []bool{false, true} {
			m := newModel(t, "../samples/broken-targetport.yaml", sz[0], sz[1], Options{ASCII: ascii})
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

// The diagnostics heading counts in English plurals.
func TestDiagSummaryPlurals(t *testing.T) {
	m := newModel(t, "../samples/nodeport.yaml", 120, 36, Options{})
	p := newDiagPane(m.ui, m.keys)
	p.SetDiagnostics([]model.Diagnostic{{Severity: model.Error}, {Severity: model.Error}, {Severity: model.Warning}, {Severity: model.Info}, {Severity: model.Info}})
	if got := p.summary(); got != "2 errors, 1 warning, 2 info" {
		t.Errorf("summary %q", got)
	}
}
