package tui

import (
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/canvas"
)

func checkSize(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, n, w, l)
		}
	}
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return fmtInt(i/10) + string(rune('0'+i%10))
}

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

// newApp builds a sized model for a sample.
func newApp(tb testing.TB, path string, w, h int, opts Options) *App {
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

func offscreenWhole(m *App, s string) bool {
	for _, suffix := range []string{"the view follows the packet", "scroll", "off screen", "따라갑니다", "스크롤", "개"} {
		if strings.HasSuffix(s, suffix) {
			return true
		}
	}
	return false
}

const sampleNamespaces = "../samples/namespaces.yaml"
