package tui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest"
)

// runGolden drives the model through a real bubbletea program with key messages, quits, and
// compares the final model's view with testdata/<test name>.golden (go test ./tui -update).
func runGolden(t *testing.T, path string, w, h int, keys ...string) {
	t.Helper()
	runGoldenOpts(t, path, w, h, Options{}, keys...)
}

// runGoldenOpts is runGolden with options (language, theme).
func runGoldenOpts(t *testing.T, path string, w, h int, opts Options, keys ...string) {
	t.Helper()
	m := newModel(t, path, w, h, opts)
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
	m := newModel(t, sampleNodePort, 120, 36, Options{})
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

var _ tea.Model = (*App)(nil)
