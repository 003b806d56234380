package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/svcviz/svcviz/netsim"
)

// BenchmarkView is one animation frame of the sample at 120x36 (DESIGN §8: under 1 ms).
func BenchmarkView(b *testing.B) {
	m := newApp(b, sampleNodePort, 120, 36, Options{})
	m.Update(keyMsg(" "))
	b.ResetTimer()
	for b.Loop() {
		if _, cmd := m.Update(frameMsg{gen: m.gen}); cmd == nil {
			m.Update(keyMsg(" "))
		}
		_ = m.View()
	}
}

// BenchmarkNewAndFirstFrame is startup: trace, layout and the first frame.
func BenchmarkNewAndFirstFrame(b *testing.B) {
	sim := loadSim(b, sampleNodePort, 1)
	for b.Loop() {
		m, err := New(sim, Options{})
		if err != nil {
			b.Fatal(err)
		}
		m.Update(keyMsg("x"))
		m.width, m.height = 120, 36
		_ = m.View()
	}
}

// BenchmarkViewColor is a frame with the dark theme's colours (the tests otherwise render
// with the ASCII profile).
func BenchmarkViewColor(b *testing.B) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	m := newApp(b, sampleNodePort, 120, 36, Options{})
	m.Update(keyMsg(" "))
	b.ResetTimer()
	for b.Loop() {
		if _, cmd := m.Update(frameMsg{gen: m.gen}); cmd == nil {
			m.Update(keyMsg(" "))
		}
		_ = m.View()
	}
}

// BenchmarkViewProjector is a frame of the projector theme, which paints its own background
// under every line.
func BenchmarkViewProjector(b *testing.B) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	m := newApp(b, sampleNodePort, 120, 36, Options{Theme: "projector"})
	m.Update(keyMsg(" "))
	b.ResetTimer()
	for b.Loop() {
		if _, cmd := m.Update(frameMsg{gen: m.gen}); cmd == nil {
			m.Update(keyMsg(" "))
		}
		_ = m.View()
	}
}

// BenchmarkViewDump is one animation frame of the 1,000-Service dump at 120x36 (DESIGN §8:
// under 5 ms).
func BenchmarkViewDump(b *testing.B) {
	m := dumpApp(b, 120, 36)
	m.Update(keyMsg(" "))
	b.ResetTimer()
	for b.Loop() {
		if _, cmd := m.Update(frameMsg{gen: m.gen}); cmd == nil {
			m.Update(keyMsg(" "))
		}
		_ = m.View()
	}
}

// BenchmarkNewDump is start-up on the dump once it is loaded: trace, layout and the first
// frame.
func BenchmarkNewDump(b *testing.B) {
	sim := dumpSim(b, 1)
	for b.Loop() {
		m, err := New(sim, Options{Request: netsim.Request{}})
		if err != nil {
			b.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
		_ = m.View()
	}
}

// BenchmarkLoadNewDump is all of start-up from the dump's bytes: load, simulate, trace, layout
// and the first frame (the CLI then only adds reading the file).
func BenchmarkLoadNewDump(b *testing.B) {
	for b.Loop() {
		m, err := New(dumpSim(b, 1), Options{Request: netsim.Request{}})
		if err != nil {
			b.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
		_ = m.View()
	}
}

// BenchmarkViewDumpStep is the dearest frame of the dump: a step to the next hop, which
// redraws the panes around the diagram (the YAML pane shows a 40,000-line file).
func BenchmarkViewDumpStep(b *testing.B) {
	m := dumpApp(b, 120, 36)
	for b.Loop() {
		if k, n := m.Step(); k == n {
			m.Update(keyMsg("r"))
		} else {
			m.Update(keyMsg("right"))
		}
		_ = m.View()
	}
}

// BenchmarkPickerFilterDump is one key typed into the Service picker of the dump.
func BenchmarkPickerFilterDump(b *testing.B) {
	m := dumpApp(b, 120, 36)
	m.Update(keyMsg("s"))
	for b.Loop() {
		m.Update(keyMsg("7"))
		_ = m.View()
		m.Update(keyFor("backspace"))
		_ = m.View()
	}
}
