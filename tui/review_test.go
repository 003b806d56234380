package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/svcviz/svcviz/tui/diagram"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/netsim"
)

const sampleHostile = "testdata/hostile.yaml"

// terminalUnsafe reports the first byte or character of a frame a terminal would act on:
// ESC, BEL, a C1 control such as CSI (U+009B, or a lone 0x9b byte), any other control
// character but the newline, bidi overrides, or invalid UTF-8.
func terminalUnsafe(v string) (string, bool) {
	for i, r := range v {
		switch {
		case r == utf8.RuneError:
			return fmt.Sprintf("invalid UTF-8 at byte %d", i), true
		case r == '\n':
		case unicode.IsControl(r), r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			lo, hi := max(i-30, 0), min(i+30, len(v))
			return fmt.Sprintf("%U at byte %d: %q", r, i, v[lo:hi]), true
		}
	}
	return "", false
}

// TestHostileManifestNeverReachesTerminal: a manifest with control sequences in every string
// field (names, namespaces, labels, annotations, container names, images, port names, a
// nodeName, an externalName) draws no control character at all, with no colours, at every hop
// of both views, with every pane and picker open, in both languages and at both sizes; and
// choosing every Service port (some of them refused, with an error naming them) too.
func TestHostileManifestNeverReachesTerminal(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		for _, sz := range [][2]int{{120, 36}, {80, 24}} {
			t.Run(fmt.Sprintf("%s-%dx%d", lang, sz[0], sz[1]), func(t *testing.T) {
				sim := loadSim(t, sampleHostile, 1)
				m, err := New(sim, Options{Lang: lang, NoColor: true, Request: netsim.Request{Service: "ok"}})
				if err != nil {
					t.Fatal(err)
				}
				m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
				check := func(what string) {
					t.Helper()
					v := m.View()
					if bad, ok := terminalUnsafe(v); ok {
						t.Fatalf("%s: %s", what, bad)
					}
					checkSize(t, v, sz[0], sz[1])
				}
				walk := func(what string) {
					t.Helper()
					_, n := m.Step()
					for k := range n {
						jumpTo(m, k)
						check(fmt.Sprintf("%s hop %d", what, k+1))
						for _, p := range []string{"i", "d", "y"} {
							m.Update(keyMsg(p))
							check(fmt.Sprintf("%s hop %d pane %s", what, k+1, p))
							m.Update(keyMsg(p))
						}
					}
				}
				for _, view := range []string{"teaching", "wire"} {
					walk(view)
					for _, p := range []string{"s", "o"} {
						m.Update(keyMsg(p))
						check(view + " picker " + p)
						m.Update(keyMsg("esc"))
					}
					m.Update(keyMsg("?"))
					check(view + " help")
					m.Update(keyMsg("esc"))
					m.Update(keyMsg("w"))
				}
				// Every Service port, and every origin for the Service on screen.
				m.Update(keyMsg("s"))
				entries := len(m.pick.all)
				m.Update(keyMsg("esc"))
				for i := range entries {
					m.Update(keyMsg("s"))
					m.pick.sel = i
					m.Update(keyMsg("enter"))
					check(fmt.Sprintf("Service entry %d (%s)", i, m.msg))
					walk(fmt.Sprintf("Service entry %d", i))
				}
				m.Update(keyMsg("o"))
				entries = len(m.pick.all)
				m.Update(keyMsg("esc"))
				for i := range entries {
					m.Update(keyMsg("o"))
					m.pick.sel = i
					m.Update(keyMsg("enter"))
					check(fmt.Sprintf("origin entry %d (%s)", i, m.msg))
				}
			})
		}
	}
}

// TestHostileNamesShownEscaped: the names are still there to read, written as Go escapes.
func TestHostileNamesShownEscaped(t *testing.T) {
	m, err := New(loadSim(t, sampleHostile, 1), Options{NoColor: true, Request: netsim.Request{Service: "ok"}})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	// The API server refuses the Pod with hostile names, so it is drawn nowhere: its names
	// show, escaped, in the Service list and in its diagnostics.
	v := m.View()
	if !strings.Contains(v, `ns\x1b[1m/s\x1b[1m`) {
		t.Errorf("no escaped Service name on screen:\n%s", v)
	}
	m.Update(keyMsg("d"))
	v = m.View()
	for _, want := range []string{`p\x1b]0;owned\a`} {
		if !strings.Contains(v, want) {
			t.Errorf("no %q on screen:\n%s", want, v)
		}
	}
	m.Update(keyMsg("esc"))
	m.Update(keyMsg("s"))
	if v := m.View(); !strings.Contains(v, `(w\x1b[3m)`) || !strings.Contains(v, `(u\u009b2J)`) {
		t.Errorf("the picker does not show the port names escaped:\n%s", v)
	}
}

// TestReloadRebuildsPicker: a reload while a picker is open lists the new cluster's entries
// (keeping the filter), so enter traces what is there now; the scroll and focus are kept
// within what the new picture has.
func TestReloadRebuildsPicker(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	m.Update(keyMsg("s"))
	m.Update(keyMsg("e"))
	m.Update(reloadMsg{sim: loadSim(t, "../samples/multi-port.yaml", 1)})
	if m.mode != modePick {
		t.Fatal("the reload closed the picker the user was in")
	}
	v := m.View()
	if strings.Contains(v, "myapp-service  80/TCP") {
		t.Fatalf("the picker still lists the old cluster's Services:\n%s", v)
	}
	if m.pick.filter != "e" || len(m.pick.all) == 0 {
		t.Fatalf("filter %q, %d entries", m.pick.filter, len(m.pick.all))
	}
	for _, c := range m.pick.all {
		if strings.Contains(c.label, "myapp-service") {
			t.Fatalf("stale entry %q", c.label)
		}
	}
	m.Update(keyMsg("enter"))
	if m.msg != "" || !containsService(m.sim, m.trace.Service) {
		t.Fatalf("enter after the reload: %q, traced %s", m.msg, m.trace.Service.Svc.Name)
	}

	// The origin picker is rebuilt from the new cluster too.
	m.Update(keyMsg("o"))
	m.Update(reloadMsg{sim: loadSim(t, "../samples/deployment.yaml", 1)})
	if m.mode != modePick || m.pick.kind != pickOrigin {
		t.Fatal("the reload closed the origin picker or changed its kind")
	}
	fresh := originPicker(m.ui, m.sim, m.trace)
	if len(m.pick.all) != len(fresh.all) {
		t.Fatalf("origin picker has %d entries after the reload, the new cluster %d", len(m.pick.all), len(fresh.all))
	}
}

func containsService(sim *netsim.Sim, si *netsim.ServiceInfo) bool {
	for _, s := range sim.Services {
		if s == si {
			return true
		}
	}
	return false
}

// TestReloadKeepsPanesInRange: at 80x24 a pane open in place of the diagram, focused and
// scrolled, stays consistent when a reload brings a cluster whose picture differs.
func TestReloadKeepsPanesInRange(t *testing.T) {
	m := newModel(t, "../samples/deployment.yaml", 80, 24, Options{})
	m.Update(keyMsg("i"))
	m.Update(keyMsg("tab"))
	for m.focus != focusPane {
		m.Update(keyMsg("tab"))
	}
	for range 40 {
		m.Update(keyMsg("down"))
	}
	m.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	m.Update(reloadMsg{sim: loadSim(t, sampleNodePort, 1)})
	if at, _ := m.rules.at.(paneAt); at.tr != m.trace || m.rules.off != 0 {
		t.Fatalf("stale pane scroll %+v at %d", at, m.rules.off)
	}
	if m.focus == focusPane && !m.paneShown() {
		t.Fatal("focus on a pane that is not shown")
	}
	checkSize(t, m.View(), 80, 24)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if m.overlay && m.bandHeight() > 0 {
		t.Fatal("a pane open in place of the diagram while the band shows it")
	}
	checkSize(t, m.View(), 120, 40)
}

// TestServicePickerTracesTheChosenProtocol: 53/UDP traces 53/UDP, not the TCP port of the
// same number; an unnamed port is asked for by number and protocol.
func TestServicePickerTracesTheChosenProtocol(t *testing.T) {
	yaml := `apiVersion: v1
kind: Pod
metadata: {name: dns-0, labels: {app: dns}}
spec:
  containers:
    - name: coredns
      image: coredns
      ports:
        - {name: dns-tcp, containerPort: 53, protocol: TCP}
        - {name: dns, containerPort: 53, protocol: UDP}
        - {containerPort: 9153}
---
apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: dns}
  ports:
    - {name: dns-tcp, port: 53, protocol: TCP}
    - {name: dns, port: 53, protocol: UDP}
---
apiVersion: v1
kind: Service
metadata: {name: metrics}
spec:
  selector: {app: dns}
  ports: [{port: 9153}]
`
	file := filepath.Join(t.TempDir(), "dns.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newModel(t, file, 120, 36, Options{})
	for _, c := range []struct{ filter, proto string }{{"53/UDP", "UDP"}, {"dns 53/TCP", "TCP"}, {"(dns)", "UDP"}, {"9153", "TCP"}} {
		m.Update(keyMsg("s"))
		for _, r := range c.filter {
			m.Update(keyMsg(string(r)))
		}
		if len(m.pick.items) != 1 {
			t.Fatalf("filter %q: %d entries", c.filter, len(m.pick.items))
		}
		m.Update(keyMsg("enter"))
		if m.msg != "" {
			t.Fatalf("%s: refused: %s", c.filter, m.msg)
		}
		if p := m.trace.Port; p == nil || string(p.Protocol) != c.proto || c.filter != "(dns)" && !strings.Contains(c.filter, fmt.Sprint(p.Port)) {
			t.Fatalf("%s traced %v", c.filter, p)
		}
		if got := m.trace.Hops[0].After.Proto; got != c.proto {
			t.Fatalf("%s: the packet is %s", c.filter, got)
		}
	}
}

var hopRef = regexp.MustCompile(`(?:hop|Hop|홉) (\d+)(/\d+)?`)

// TestOneHopNumbering: every hop number on screen is the position in the view on screen, "k/n"
// (the event list counts 1..n), in both views, with the rules pane open too.
func TestOneHopNumbering(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		for _, lang := range []string{"en", "ko"} {
			m := newModel(t, sampleNodePort, sz[0], sz[1], Options{Lang: lang})
			for _, view := range []string{"teaching", "wire"} {
				_, n := m.Step()
				for k := range n {
					jumpTo(m, k)
					for _, pane := range []string{"", "i"} {
						if pane != "" {
							m.Update(keyMsg(pane))
						}
						v := m.View()
						want := fmt.Sprintf("%d/%d", k+1, n)
						refs := hopRef.FindAllStringSubmatch(v, -1)
						if len(refs) < 2 {
							t.Fatalf("%s %s %v hop %s: only %d hop numbers on screen:\n%s", lang, view, sz, want, len(refs), v)
						}
						for _, r := range refs {
							if r[1]+r[2] != want && !(r[2] == "" && r[1] == fmt.Sprint(k+1)) {
								t.Fatalf("%s %s %v at hop %s the screen says %q:\n%s", lang, view, sz, want, r[0], v)
							}
						}
						if pane != "" {
							m.Update(keyMsg(pane))
						}
					}
				}
				checkEventNumbers(t, m, n)
				m.Update(keyMsg("w"))
			}
		}
	}
}

// checkEventNumbers: the event list numbers its rows 1..n.
func checkEventNumbers(t *testing.T, m *App, n int) {
	t.Helper()
	if m.narrow() { // the events open over the left area
		f := m.focus
		m.focus = focusEvents
		m.sync()
		defer func() { m.focus = f; m.sync() }()
	}
	lines := strings.Split(m.View(), "\n")
	var got []string
	inEvents := false
	for _, l := range lines[1 : 1+m.areaHeight()] {
		right := l[strings.LastIndex(l, "│")+len("│"):]
		if strings.Contains(right, m.tr("Events (tab)")) {
			inEvents = true
			continue
		}
		if f := strings.Fields(strings.TrimPrefix(right, ">")); inEvents && len(f) > 0 {
			got = append(got, f[0])
		}
	}
	var want []string
	for i := range n {
		want = append(want, fmt.Sprint(i+1))
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("event list numbers %v, want %v", got, want)
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

// TestChromeFitsAt80x24: the header, the explanation line, the picker's hint and the
// off-screen note end in an ellipsis when cut, never in half a word, and the header keeps a
// space before the view's name; in English and Korean.
func TestChromeFitsAt80x24(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		for _, path := range []string{sampleNodePort, "../samples/deployment.yaml", "../samples/namespaces.yaml", "../samples/named-ports.yaml"} {
			m := newModel(t, path, 80, 24, Options{Lang: lang})
			for _, keys := range [][]string{nil, {"w"}, {"right", "right"}} {
				for _, k := range keys {
					m.Update(keyMsg(k))
				}
				lines := strings.Split(m.View(), "\n")
				head, view := lines[0], m.viewName()
				i := strings.LastIndex(head, view)
				if i < 2 || head[i-1] != ' ' {
					t.Fatalf("%s %s: no space before %q: %q", lang, path, view, head)
				}
				if left := strings.TrimRight(head[:i], " "); !strings.HasSuffix(left, "…") && !strings.Contains(left, m.tr("from {0} via {1}", originLabel(m.trace), string(m.trace.Request.Via))) {
					t.Fatalf("%s %s: header cut without an ellipsis: %q", lang, path, head)
				}
				vn := m.chromeLines().view
				var vls []string
				for _, l := range lines[len(lines)-1-vn : len(lines)-1] {
					vls = append(vls, strings.TrimSpace(l))
				}
				vl := strings.Join(vls, " ")
				if !strings.HasSuffix(vl, "…") && !strings.HasSuffix(vl, m.pictureText()) && m.hop().Diagnostic == nil {
					t.Fatalf("%s %s: explanation cut without an ellipsis: %q", lang, path, vl)
				}
				for _, l := range lines[1 : 1+m.areaHeight()] {
					left := strings.TrimRight(ansi.Cut(l, 0, m.diagramWidth()), " ")
					if strings.Contains(left, m.tr("{0} Pod(s) off screen", "")[1:]) && !strings.HasSuffix(left, "…") && !offscreenWhole(m, left) {
						t.Fatalf("%s %s: off-screen note cut: %q", lang, path, left)
					}
				}
			}
			m.Update(keyMsg("s"))
			hint := strings.TrimRight(ansi.Cut(strings.Split(m.View(), "\n")[2], 0, m.diagramWidth()), " ")
			if !strings.HasSuffix(hint, m.tr("esc: back")) && !strings.HasSuffix(hint, "…") {
				t.Fatalf("%s: picker hint cut: %q", lang, hint)
			}
			m.Update(keyMsg("esc"))
		}
	}
}

func offscreenWhole(m *App, s string) bool {
	for _, suffix := range []string{"the view follows the packet", "scroll", "off screen", "따라갑니다", "스크롤", "개"} {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}
