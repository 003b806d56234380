package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/canvas"
)

func init() { lipgloss.SetColorProfile(termenv.Ascii) }

// loadSim loads a sample into a simulated cluster of n nodes.
func loadSim(tb testing.TB, path string, nodes int) *netsim.Sim {
	tb.Helper()
	c, err := model.Load([]string{path}, model.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	cfg := netsim.DefaultConfig()
	cfg.Nodes = nodes
	return netsim.New(c, cfg)
}

// newModel builds a sized model for a sample.
func newModel(tb testing.TB, path string, w, h int, opts Options) *App {
	tb.Helper()
	sim := loadSim(tb, path, 1)
	m, err := New(sim, opts)
	if err != nil {
		tb.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}

func keyMsg(s string) tea.KeyMsg {
	switch s {
	case "right":
		return tea.KeyMsg{Type: tea.KeyRight}
	case "left":
		return tea.KeyMsg{Type: tea.KeyLeft}
	case "up":
		return tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		return tea.KeyMsg{Type: tea.KeyDown}
	case "enter":
		return tea.KeyMsg{Type: tea.KeyEnter}
	case "tab":
		return tea.KeyMsg{Type: tea.KeyTab}
	case "esc":
		return tea.KeyMsg{Type: tea.KeyEsc}
	case " ":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case "ctrl+c":
		return tea.KeyMsg{Type: tea.KeyCtrlC}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

const (
	sampleNodePort = "../samples/nodeport.yaml"
	sampleBroken   = "../samples/broken-selector.yaml"
)

func netsimRequest(svc string) netsim.Request { return netsim.Request{Service: svc} }

// textAt reports a cell of the diagram that holds text (not a line or a blank).
func textAt(c *canvas.Canvas, x, y int) bool {
	r := c.At(x, y).R
	return r != 0 && r != ' '
}

// jumpTo shows hop i as a key would, with the children brought up to date as Update does.
func jumpTo(m *App, i int) {
	m.jump(i)
	m.sync()
}

// retraceTo traces r as a choice would, with the children brought up to date.
func retraceTo(m *App, r netsim.Request) {
	m.retrace(r)
	m.sync()
}
