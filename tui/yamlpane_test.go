package tui

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/svcviz/svcviz/netsim"
)

// markedLine is the YAML pane's highlighted line ("▸42       nodePort: 30008").
func markedLine(t *testing.T, v string) string {
	t.Helper()
	for _, l := range strings.Split(v, "\n") {
		i := strings.Index(l, "▸")
		rest := ""
		if i >= 0 {
			rest = strings.TrimSpace(l[i+len("▸"):])
		}
		// a focused pane's heading is marked too
		heading := strings.HasPrefix(rest, "YAML") || strings.HasPrefix(rest, "Rules") || strings.HasPrefix(rest, "Diagnostics")
		if i >= 0 && i < 3 && !heading {
			return l
		}
	}
	t.Fatalf("no highlighted YAML line:\n%s", v)
	return ""
}

// TestYAMLFollowsTheHop: the pane highlights the field that decides each hop of the NodePort
// trace, with its line number.
func TestYAMLFollowsTheHop(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	want := map[int]string{2: "42       nodePort: 30008", 3: "41       port: 80", 4: "36   selector:", 5: "40     - targetPort: 80", 7: "28         - containerPort: 80"}
	for step := 1; step <= 7; step++ {
		if w, ok := want[step]; ok && !strings.Contains(markedLine(t, m.View()), w) {
			t.Errorf("step %d: highlighted %q, want %q", step, markedLine(t, m.View()), w)
		}
		m.Update(keyMsg("right"))
	}
}

// TestYAMLGhostField: a defaulted field is shown as a dim ghost line under its nearest written
// ancestor, at its indentation, and highlighted in its place; the title keeps its status and
// shortens the field path from the left.
func TestYAMLGhostField(t *testing.T) {
	cases := []struct {
		path, field, ghost, status string
	}{
		{"../samples/loadbalancer.yaml", "spec.ports[0].nodePort", "        nodePort: 30000   # allocated", "(allocated)"},
		{"../samples/deployment.yaml", "spec.externalTrafficPolicy", "  externalTrafficPolicy: Cluster   # default, not in the file", "(default)"},
	}
	for _, c := range cases {
		for _, sz := range [][2]int{{120, 36}, {80, 24}} {
			// through the nodePort: the LoadBalancer sample opens through its address
			m := newApp(t, c.path, sz[0], sz[1], Options{Request: netsim.Request{Via: netsim.ViaNodePort}})
			found := false
			for i := range m.steps {
				jumpTo(m, i)
				if h := m.hop(); h.Field == c.field && h.Defaulted {
					found = true
					break
				}
			}
			if !found {
				t.Fatalf("%s: no hop decided by defaulted %s", c.path, c.field)
			}
			v := m.View()
			want := c.ghost[:strings.Index(c.ghost, "#")+1] // the comment may be cut with "…"
			if l := markedLine(t, v); !strings.Contains(l, want) {
				t.Errorf("%s %v: highlighted %q, want the ghost %q\n%s", c.path, sz, l, c.ghost, v)
			}
			var head string
			for _, l := range strings.Split(v, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), "YAML") {
					head = l
				}
			}
			if !strings.Contains(head, c.status+" ") && !strings.Contains(head, c.status+"│") {
				t.Errorf("%s %v: YAML title %q lost its status %s", c.path, sz, head, c.status)
			}
		}
	}
	if got := shortPath("spec.template.spec.containers[0].ports[0].containerPort", 40); got != "…containers[0].ports[0].containerPort" {
		t.Errorf("shortPath: %q", got)
	}
}

// TestNamedPortNote: at the DNAT of a named targetPort the YAML pane says, under the
// highlighted line, which line declares the name and what it resolves to, and the explanation
// line says "targetPort http (=8080)".
func TestNamedPortNote(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		m := newApp(t, "../samples/named-ports.yaml", sz[0], sz[1], Options{})
		for i := range m.steps {
			if m.trace.Hops[m.steps[i]].Action == netsim.ActDNAT {
				jumpTo(m, i)
			}
		}
		ep := m.trace.Endpoint
		line := ep.Pod.FieldPos(ep.PortField + ".name").Line
		v := m.View()
		lines := strings.Split(v, "\n")
		for i, l := range lines {
			if strings.Contains(l, "▸") && strings.Contains(l, "targetPort: http") {
				if want := fmt.Sprintf("→ line %d: name: http = containerPort 8080", line); !strings.Contains(lines[i+1], want) {
					t.Errorf("%v: under the highlighted line %q, want %q", sz, lines[i+1], want)
				}
			}
		}
		if !strings.Contains(strings.Join(strings.Fields(v), " "), "targetPort http (=8080)") {
			t.Errorf("%v: the explanation lacks targetPort http (=8080):\n%s", sz, v)
		}
	}
}

// The YAML and rules panes scroll with the arrows and the page keys, and start again at the
// hop's own line when the hop changes.
func TestPaneScrollingHoldsForOneHop(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	y := m.yaml
	before := y.View()
	if !y.Update(keyMsg("up")) || !y.Update(tea.KeyMsg{Type: tea.KeyPgUp}) || y.View() == before {
		t.Fatal("the YAML pane did not scroll")
	}
	if y.Update(keyMsg("x")) {
		t.Error("the YAML pane took a key it does not answer")
	}
	m.Update(keyMsg("right"))
	if y.scroll.off != 0 {
		t.Errorf("the next hop kept the scrolling: %d", y.scroll.off)
	}
	// KUBE-SERVICES of a 1,000-Service dump is taller than any pane: it scrolls, within its
	// rules (the viewport stops at the last), until the hop changes.
	d := dumpApp(t, 120, 36)
	d.Update(keyMsg("i"))
	for d.hop().ChainKind != netsim.ChainServices {
		d.Update(keyMsg("right"))
	}
	r := d.rules
	top := r.scroll.top()
	r.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	if r.scroll.off != (r.h-1)/2 || r.scroll.top() != top+(r.h-1)/2 {
		t.Fatalf("pgdown in the rules pane: off %d, top %d → %d", r.scroll.off, top, r.scroll.top())
	}
	for range len(r.body) {
		r.Update(keyMsg("down"))
	}
	if r.scroll.top() != len(r.body)-(r.h-1) {
		t.Errorf("scrolled past the last rule: top %d of %d rows", r.scroll.top(), len(r.body))
	}
	d.Update(keyMsg("left"))
	if r.scroll.off != 0 {
		t.Errorf("the hop before kept the scrolling: %d", r.scroll.off)
	}
}

// TestDecidingLineAlwaysInView: on every hop of every sample, in both views and both proxy
// modes, at 120x36 and 80x24, the line the YAML heading names as deciding the hop is on
// screen, marked, also when its diagnostic opens under it and the cause line is further down.
func TestDecidingLineAlwaysInView(t *testing.T) {
	files, _ := filepath.Glob("../samples/*.yaml")
	if len(files) < 10 {
		t.Fatalf("samples: %v", files)
	}
	for _, f := range files {
		for _, sz := range [][2]int{{120, 36}, {80, 24}} {
			for _, keys := range [][]string{nil, {"w"}, {"m"}} {
				m := newApp(t, f, sz[0], sz[1], Options{})
				for _, k := range keys {
					m.Update(keyMsg(k))
				}
				_, n := m.Step()
				for k := range n {
					jumpTo(m, k)
					v := m.View()
					tg := m.yaml.t
					if m.pane != paneYAML || m.bandHeight() == 0 || !tg.Mark || tg.Ghost != "" || tg.Line <= 0 {
						continue
					}
					want := fmt.Sprintf("▸%*d ", len(strconv.Itoa(len(m.yaml.lines))), tg.Line)
					if !strings.Contains(v, want) {
						t.Fatalf("%s %v %v hop %d: the deciding line %d is not in view:\n%s", filepath.Base(f), sz, keys, k+1, tg.Line, v)
					}
				}
			}
		}
	}
}
