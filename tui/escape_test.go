package tui

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/svcviz/svcviz/model"
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

// TestManifestTextEscaped: control characters in a manifest reach the screen escaped, and
// wide characters keep the borders aligned. (The loader refuses such YAML, but the YAML pane
// shows every loaded file, the broken ones first of all.)
func TestManifestTextEscaped(t *testing.T) {
	data, err := os.ReadFile(sampleNodePort)
	if err != nil {
		t.Fatal(err)
	}
	evil := strings.Replace(string(data), "      nodePort: 30008", "      nodePort: 30008  # \x1b[31m빨강\x07 노드포트\tend", 1)
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	m.setSources([]*model.Source{{Name: m.trace.Hops[0].Pos.File, Data: []byte(evil)}}, m.sim)
	m.Update(keyMsg("right"))
	v := m.View()
	if strings.ContainsAny(v, "\x1b\x07\t") {
		t.Fatal("a control character from the manifest reached the screen")
	}
	if l := markedLine(t, v); !strings.Contains(l, `\x1b[31m빨강\a 노`) {
		t.Fatalf("escaped line: %q", l)
	}
	checkSize(t, v, 120, 36)
}
