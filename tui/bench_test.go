package tui

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"testing"
)

// BenchmarkView is one animation frame of the sample at 120x36 (DESIGN §8: under 1 ms).
func BenchmarkView(b *testing.B) {
	m := newModel(b, sampleNodePort, 120, 36, Options{})
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
	m := newModel(b, sampleNodePort, 120, 36, Options{})
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
	m := newModel(b, sampleNodePort, 120, 36, Options{Theme: "projector"})
	m.Update(keyMsg(" "))
	b.ResetTimer()
	for b.Loop() {
		if _, cmd := m.Update(frameMsg{gen: m.gen}); cmd == nil {
			m.Update(keyMsg(" "))
		}
		_ = m.View()
	}
}
