package tui

import (
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/diagram"
	"path/filepath"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestKoreanNarrationFits(t *testing.T) {
	m := newApp(t, sampleNodePort, 80, 24, Options{Lang: "ko"})
	for range 3 {
		m.Update(keyMsg("right"))
		checkSize(t, m.View(), 80, 24)
	}
}

// TestChromeFitsAt80x24: the header, the explanation line, the picker's hint and the
// off-screen note end in an ellipsis when cut, never in half a word, and the header keeps a
// space before the view's name; in English and Korean.
func TestChromeFitsAt80x24(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		for _, path := range []string{sampleNodePort, "../samples/deployment.yaml", "../samples/namespaces.yaml", "../samples/named-ports.yaml"} {
			m := newApp(t, path, 80, 24, Options{Lang: lang})
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
				if left := strings.TrimRight(head[:i], " "); !strings.HasSuffix(left, "…") && !strings.Contains(left, m.tr("from {0} via {1}", originLabel(m.trace, diagram.MultiNamespace(m.sim)), string(m.trace.Request.Via))) {
					t.Fatalf("%s %s: header cut without an ellipsis: %q", lang, path, head)
				}
				vn := m.chromeLines().view
				var vls []string
				for _, l := range lines[len(lines)-1-vn : len(lines)-1] {
					vls = append(vls, strings.TrimSpace(l))
				}
				vl := strings.Join(vls, " ")
				if !strings.HasSuffix(vl, "…") && !strings.HasSuffix(vl, m.pictureText(m.cur)) && m.hop().Diagnostic == nil {
					t.Fatalf("%s %s: explanation cut without an ellipsis: %q", lang, path, vl)
				}
				for _, l := range lines[1 : 1+m.areaHeight()] {
					left := strings.TrimRight(ansi.Cut(l, 0, m.diagramWidth()), " ")
					if strings.Contains(left, m.tr("{0} Pods off screen", "")[1:]) && !strings.HasSuffix(left, "…") && !offscreenWhole(m, left) {
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

// With dev/api and prod/api loaded, the Service box, the Pod boxes and the event list name
// each object's namespace; with one namespace nothing changes.
func TestNamespacePrefix(t *testing.T) {
	for _, size := range [][2]int{{120, 36}, {80, 24}} {
		m := newApp(t, sampleNamespaces, size[0], size[1], Options{})
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
	m := newApp(t, sampleNamespaces, 120, 36, Options{})
	retraceTo(m, netsimRequest("prod/api"))
	if v := m.View(); !strings.Contains(v, "prod/api  ClusterIP") || !strings.Contains(v, "│prod/api-") {
		t.Errorf("prod/api is not told apart:\n%s", v)
	}
	m = newApp(t, sampleNodePort, 120, 36, Options{})
	for range 6 {
		m.Update(keyMsg("right"))
		if v := m.View(); strings.Contains(v, "default/") {
			t.Fatalf("one namespace, yet names carry it:\n%s", v)
		}
	}
}

// A trace whose every narration fits on one line keeps one row for it: no blank row under
// it, and the diagram does not jump between hops.
func TestNarrationOneRow(t *testing.T) {
	m := newApp(t, sampleBroken, 120, 36, Options{})
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
	m = newApp(t, sampleNodePort, 80, 24, Options{})
	if nl := m.chromeLines().narration; nl != 2 {
		t.Fatalf("nodeport at 80x24: %d narration rows, want 2", nl)
	}
}

// TestNarrationBreaksAtSpaces: the narration wraps between words only, never inside a DNS name
// (my-svc.default.svc.cluster.local) or an option (--random-fully), at any width.
func TestNarrationBreaksAtSpaces(t *testing.T) {
	for _, lang := range []string{"en", "ko"} {
		for w := 80; w <= 130; w += 7 {
			m := newApp(t, "../samples/clusterip.yaml", w, 30, Options{Lang: lang, Request: netsim.Request{Via: netsim.ViaDNS}})
			_, n := m.Step()
			for k := range n {
				jumpTo(m, k)
				words := map[string]bool{}
				for _, f := range strings.Fields(m.txt(m.text().text)) {
					words[f] = true
				}
				for _, l := range m.narrationLines(m.cur) {
					for _, f := range strings.Fields(l) {
						if !words[f] && !strings.HasSuffix(f, "…") {
							t.Fatalf("%s %d cols hop %d: %q is a word cut in two: %q", lang, w, k+1, f, m.narrationLines(m.cur))
						}
					}
				}
			}
		}
	}
}

// TestNoDefaultPrefix: with one namespace in the input no name on screen carries "default/"
// (header, event list, packet line, narration, rules, pickers); with two, names do.
func TestNoDefaultPrefix(t *testing.T) {
	m := newApp(t, "../samples/clusterip.yaml", 120, 36, Options{})
	_, n := m.Step()
	for k := range n {
		jumpTo(m, k)
		for _, key := range []string{"", "i", "s", "o"} {
			if key != "" {
				m.Update(keyMsg(key))
			}
			// kube-proxy's own texts keep it verbatim: rule comments ("default/backend cluster
			// IP") and nftables chain names (service-…-default/backend/tcp/)
			v := strings.NewReplacer(`"default/`, "", `-default/`, "").Replace(m.View())
			if strings.Contains(v, "default/") {
				t.Fatalf("hop %d after %q: default/ on screen:\n%s", k+1, key, v)
			}
			if key != "" {
				m.Update(keyMsg("esc"))
				m.mode, m.pane = modeNormal, paneYAML
			}
		}
	}
	if v := newApp(t, sampleNamespaces, 120, 36, Options{}).View(); !strings.Contains(v, "dev/") {
		t.Fatalf("two namespaces, no dev/ on screen:\n%s", v)
	}
}

// TestNarrationWrapsFully: at 120x36 every hop's narration of every sample, in English and
// Korean, in both views and proxy modes, is on screen whole: wrapped, never cut with "…".
func TestNarrationWrapsFully(t *testing.T) {
	files, _ := filepath.Glob("../samples/*.yaml")
	if len(files) < 10 {
		t.Fatalf("samples: %v", files)
	}
	for _, f := range files {
		for _, lang := range []string{"en", "ko"} {
			for _, keys := range [][]string{nil, {"w"}, {"m"}} {
				m := newApp(t, f, 120, 36, Options{Lang: lang})
				for _, k := range keys {
					m.Update(keyMsg(k))
				}
				_, n := m.Step()
				for k := range n {
					jumpTo(m, k)
					whole := strings.Join(strings.Fields(m.text().text), " ")
					got := strings.Join(strings.Fields(strings.Join(m.narrationLines(m.cur), " ")), " ")
					if got != whole || len(m.narration()) < len(m.narrationLines(m.cur)) {
						t.Fatalf("%s %s %v hop %d: narration cut:\n got  %q\n want %q", filepath.Base(f), lang, keys, k+1, got, whole)
					}
				}
			}
		}
	}
	m := newApp(t, sampleNodePort, 120, 36, Options{Lang: "ko"})
	for m.hop().Action != netsim.ActSNAT {
		jumpTo(m, m.cur+1)
	}
	if v := m.View(); !strings.Contains(v, "conntrack이 그 대응을 기억합니다.") {
		t.Fatalf("Korean snat hop narration not whole:\n%s", v)
	}
}
