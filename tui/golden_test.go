package tui

import (
	"fmt"
	"github.com/svcviz/svcviz/netsim"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
)

func TestGoldenYAMLNodePort(t *testing.T) { runGolden(t, sampleNodePort, 120, 36, "right") }

func TestGoldenYAMLDNAT(t *testing.T) {
	runGolden(t, sampleNodePort, 120, 36, "right", "right", "right", "right")
}

func TestGoldenRulesChoose(t *testing.T) {
	runGolden(t, sampleNodePort, 120, 36, "right", "right", "right", "i")
}

// TestGoldenWireView: w switches to the wire view; the status bar counts its hops.
func TestGoldenWireView(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	if !strings.Contains(m.View(), "hop 1/8") {
		t.Fatal("teaching view does not count 8 hops")
	}
	m.Update(keyMsg("w"))
	if v := m.View(); !strings.Contains(v, "hop 1/13") || !strings.Contains(v, "one DNAT, 192.168.1.2:30008 → port 80 of a Pod not chosen yet") {
		t.Fatalf("wire view before the choice:\n%s", v)
	}
	for m.hop().Action != "dnat" {
		m.Update(keyMsg("right"))
	}
	if v := m.View(); !strings.Contains(v, "one DNAT, 192.168.1.2:30008 → 10.244.0.2:80") {
		t.Fatalf("wire view at the DNAT:\n%s", v)
	}
	runGolden(t, sampleNodePort, 120, 36, "w", "right", "right", "right", "right")
}

func TestGoldenBrokenDiagnostics(t *testing.T) { runGolden(t, sampleBroken, 120, 36, "right", "d") }

func TestGoldenBrokenReject(t *testing.T) { runGolden(t, sampleBroken, 120, 36, "right") }

func TestGolden80x24YAML(t *testing.T) {
	runGolden(t, sampleNodePort, 80, 24, "right", "right", "right", "right", "y")
}

// runGolden drives the model through a real bubbletea program with key messages, quits, and
// compares the final model's view with testdata/<test name>.golden (go test ./tui -update).
func runGolden(t *testing.T, path string, w, h int, keys ...string) {
	t.Helper()
	runGoldenOpts(t, path, w, h, Options{}, keys...)
}

// runGoldenOpts is runGolden with options (language, theme).
func runGoldenOpts(t *testing.T, path string, w, h int, opts Options, keys ...string) {
	t.Helper()
	m := newApp(t, path, w, h, opts)
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h))
	for _, k := range keys {
		tm.Send(keyMsg(k))
	}
	tm.Send(keyMsg("q"))
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))
	golden.RequireEqual(t, []byte(fm.(*App).View()))
}

func TestGoldenFirstFrame(t *testing.T) { runGolden(t, sampleNodePort, 120, 36) }

func TestGoldenNodePortHops(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	_, n := m.Step()
	for i := 0; i < n; i++ {
		t.Run(fmt.Sprintf("hop%02d", i+1), func(t *testing.T) {
			keys := make([]string, i)
			for k := range keys {
				keys[k] = "right"
			}
			runGolden(t, sampleNodePort, 120, 36, keys...)
		})
	}
}

func TestGoldenRejected(t *testing.T) {
	runGolden(t, sampleBroken, 120, 36, "right", "right")
}

func TestGoldenHelp(t *testing.T) { runGolden(t, sampleNodePort, 120, 36, "?") }

func TestGolden80x24(t *testing.T) { runGolden(t, sampleNodePort, 80, 24, "right", "right", "right") }

// TestGolden80x24FirstFrame: the compact layout's first frame.
func TestGolden80x24FirstFrame(t *testing.T) { runGolden(t, sampleNodePort, 80, 24) }

// TestCompact80x24: at 80x24 the default example's first frame shows the client, the nodePort,
// the Service and the chosen Pod at once, with no blank row; so does every hop of the trace
// (the Pod's name stays on screen while the packet travels to it).
func TestCompact80x24(t *testing.T) {
	m := newApp(t, sampleNodePort, 80, 24, Options{})
	_, n := m.Step()
	for k := range n {
		jumpTo(m, k)
		v := m.View()
		checkSize(t, v, 80, 24)
		for _, want := range []string{"client 192.168.1.10", ":30008", "myapp-service  ClusterIP", "myapp-pod 10.244.0.2"} {
			if !strings.Contains(v, want) {
				t.Fatalf("hop %d lacks %q:\n%s", k+1, want, v)
			}
		}
		if k > 0 {
			continue
		}
		for i, l := range strings.Split(v, "\n") {
			if strings.TrimSpace(l) == "" {
				t.Fatalf("row %d of the first frame is blank:\n%s", i+1, v)
			}
		}
	}
}

var _ tea.Model = (*App)(nil)

// TestGoldenKorean: Korean narration wraps by display width and every border stays aligned.
func TestGoldenKorean(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		t.Run(itoa(sz[0])+"x"+itoa(sz[1]), func(t *testing.T) {
			runGoldenOpts(t, sampleNodePort, sz[0], sz[1], Options{Lang: "ko"}, "right", "right", "right", "right")
		})
	}
}

// TestGoldenThemes: the layout of each theme (the projector's wider margins and larger packet).
func TestGoldenThemes(t *testing.T) {
	for _, name := range Themes() {
		t.Run(name, func(t *testing.T) {
			runGoldenOpts(t, sampleNodePort, 120, 36, Options{Theme: name}, "right", "right", "right", "right")
		})
	}
}

// TestGoldenCauseInSight: the frames that show why a packet fails: the nearest Pod and the
// selector line at 80x24, both names of a broken named port at 120x36, a refused Service's
// error at 120x36.
func TestGoldenCauseInSight(t *testing.T) {
	t.Run("selector-80x24", func(t *testing.T) { runGolden(t, sampleBroken, 80, 24, "right") })
	t.Run("named-port-120x36", func(t *testing.T) { runGolden(t, "../samples/broken-named-port.yaml", 120, 36, "right") })
	t.Run("refused-120x36", func(t *testing.T) {
		runGoldenOpts(t, "testdata/refused-service.yaml", 120, 36, Options{Request: netsim.Request{Service: "v6-only"}})
	})
}
