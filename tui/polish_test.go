package tui

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/tui/diagram"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/netsim"
)

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
		m := newModel(t, path, 120, 36, Options{})
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

// TestDumpServiceList: the right pane's Service list of the 1,000-Service dump says where the
// selection is and how many there are, and scrolls with the selection.
func TestDumpServiceList(t *testing.T) {
	m := dumpModel(t, 120, 36)
	if v := m.View(); !strings.Contains(v, "Services (s)  1/1000") {
		t.Fatalf("no count:\n%s", v)
	}
	m.Update(keyMsg("tab"))
	m.Update(keyMsg("tab"))
	for range 500 {
		m.Update(keyMsg("down"))
	}
	v := m.View()
	if !strings.Contains(v, "Services (s)  501/1000") || !strings.Contains(v, " "+m.sim.Services[500].Svc.Name+" ") && !strings.Contains(v, "/"+m.sim.Services[500].Svc.Name+" ") {
		t.Fatalf("the list did not follow the selection:\n%s", v)
	}
	m.Update(keyMsg("enter"))
	if got := m.trace.Service; got != m.sim.Services[500] {
		t.Fatalf("enter traced %s", got.Svc.Name)
	}
}

// pickerEntries counts the picker's entries on screen (the dump's Services are all app-NNNN).
func pickerEntries(m *App, v string) int {
	n := 0
	for _, l := range strings.Split(v, "\n")[1 : 1+m.areaHeight()] {
		if strings.Contains(ansi.Cut(l, 0, m.diagramWidth()), "/app-") {
			n++
		}
	}
	return n
}

// TestPickerFilter: typing filters the Service picker of the dump; the count, backspace, esc
// (clears, then closes) and enter work, and q types rather than quits.
func TestPickerFilter(t *testing.T) {
	m := dumpModel(t, 120, 36)
	total := 0
	for _, si := range m.sim.Services {
		total += max(len(si.Svc.Ports), 1) // a Service without ports is one entry
	}
	m.Update(keyMsg("s"))
	v := m.View()
	if !strings.Contains(v, itoa(total)+" entries") {
		t.Fatalf("picker of %d ports:\n%s", total, v)
	}
	// the picker uses the whole left area, not the diagram's share of it
	if n := pickerEntries(m, v); n != m.areaHeight()-pickHead {
		t.Fatalf("%d entries on screen, want %d:\n%s", n, m.areaHeight()-pickHead, v)
	}
	si := m.sim.Services[777]
	ref := si.Svc.Namespace + "/" + si.Svc.Name
	for _, r := range ref + " " + itoa(int(si.Svc.Ports[0].Port)) + "/" {
		m.Update(keyFor(string(r)))
	}
	v = m.View()
	if !strings.Contains(v, "1 of "+itoa(total)+" match") || !strings.Contains(v, "▸ "+ref+"  "+itoa(int(si.Svc.Ports[0].Port))+"/TCP") {
		t.Fatalf("filter:\n%s", v)
	}
	for range len(itoa(int(si.Svc.Ports[0].Port))) + 2 { // back to the Service's name
		m.Update(keyFor("backspace"))
	}
	if v := m.View(); !strings.Contains(v, itoa(len(si.Svc.Ports))+" of "+itoa(total)+" match") {
		t.Fatalf("backspace:\n%s", v)
	}
	m.Update(keyMsg("q"))
	if m.mode != modePick || !strings.HasSuffix(m.pick.filter, "q") {
		t.Fatalf("q in the picker: mode %d, filter %q", m.mode, m.pick.filter)
	}
	if v := m.View(); !strings.Contains(v, "nothing matches") {
		t.Fatalf("no match:\n%s", v)
	}
	m.Update(keyMsg("esc"))
	if m.mode != modePick || m.pick.filter != "" || len(m.pick.items) != total {
		t.Fatal("esc did not clear the filter first")
	}
	for _, r := range ref + " " + itoa(int(si.Svc.Ports[0].Port)) + "/" {
		m.Update(keyFor(string(r)))
	}
	m.Update(keyMsg("enter"))
	if m.mode != modeNormal || m.trace.Service != si || m.trace.Port.Port != si.Svc.Ports[0].Port {
		t.Fatalf("enter traced %s:%v", m.trace.Service.Svc.Name, m.trace.Port)
	}
	m.Update(keyMsg("s"))
	m.Update(keyMsg("esc"))
	if m.mode != modeNormal {
		t.Fatal("esc with no filter did not close the picker")
	}
}

// TestPickerMouse: the wheel moves the picker's selection and a click chooses an entry.
func TestPickerMouse(t *testing.T) {
	m := dumpModel(t, 120, 36)
	m.Update(keyMsg("s"))
	m.Update(tea.MouseMsg{X: 10, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if m.pick.sel != 1 {
		t.Fatalf("wheel: selection %d", m.pick.sel)
	}
	// row 1+pickHead is the first entry; two below it is the third
	m.Update(tea.MouseMsg{X: 10, Y: 1 + pickHead + 2, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if want := m.pick.all[2]; m.mode != modeNormal || !strings.HasPrefix(want.label, m.trace.Service.Svc.Namespace+"/"+m.trace.Service.Svc.Name+"  "+itoa(int(m.trace.Port.Port))+"/") {
		t.Fatalf("click traced %s:%v", m.trace.Service.Svc.Name, m.trace.Port)
	}
}

// TestOriginPickerFindsAnyPod: the origin picker lists every Pod of the dump, not the first
// few hundred, and typing finds one.
func TestOriginPickerFindsAnyPod(t *testing.T) {
	m := dumpModel(t, 120, 36)
	m.Update(keyMsg("o"))
	last := m.sim.Pods[len(m.sim.Pods)-1].Pod.Name
	for _, r := range last + " dns" {
		m.Update(keyFor(string(r)))
	}
	if len(m.pick.items) != 1 {
		t.Fatalf("%d entries match %q", len(m.pick.items), last)
	}
	m.Update(keyMsg("enter"))
	if m.mode != modeNormal || !strings.HasSuffix(m.trace.Request.From, last) || m.trace.Request.Via != netsim.ViaDNS {
		t.Fatalf("from %q via %q, msg %q", m.trace.Request.From, m.trace.Request.Via, m.msg)
	}
}
