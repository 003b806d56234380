package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
	"github.com/svcviz/svcviz/tui/diagram"
)

func TestPlainAndASCII(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{ASCII: true, NoColor: true, Theme: "projector"})
	for range 4 { // to the DNAT
		m.Update(keyMsg("right"))
	}
	v := m.View()
	if strings.ContainsAny(v, "─│┌→●◉") || strings.Contains(v, "\x1b[") {
		t.Fatalf("ASCII/no-color view has box drawing, arrows or escapes:\n%s", v)
	}
	if !strings.Contains(v, "192.168.1.2:30008 => 10.244.0.2:80") {
		t.Fatalf("DNAT not shown as a rewrite:\n%s", v)
	}
}

// TestProjectorStyles: bold everywhere, nothing faint, its own colours on every line, a
// slower default pace and wider margins.
func TestProjectorStyles(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	p, _ := NewTheme("projector", false)
	d, _ := NewTheme("dark", false)
	for s, st := range p.cells {
		if s != int(diagram.StylePlain) && (!st.GetBold() || st.GetFaint()) {
			t.Errorf("projector style %d: bold %v faint %v", s, st.GetBold(), st.GetFaint())
		}
	}
	if p.base == "" || d.base != "" || p.Speed >= d.Speed || p.Gap <= d.Gap {
		t.Fatalf("projector: base %q speed %d gap %d", p.base, p.Speed, p.Gap)
	}
	m := newApp(t, sampleNodePort, 120, 36, Options{Theme: "projector"})
	v := m.View()
	for i, l := range strings.Split(v, "\n") {
		if !strings.HasPrefix(l, p.base) {
			t.Fatalf("line %d does not start on the projector's background: %q", i, l[:min(len(l), 40)])
		}
		if n := ansi.StringWidth(l); n != 120 {
			t.Fatalf("line %d is %d cells", i, n)
		}
	}
	if strings.Contains(v, "\x1b[2m") {
		t.Fatal("projector renders faint text")
	}
}

// TestNoColorAllThemes: NO_COLOR gives no escape sequence in any theme, even with a colour
// terminal.
func TestNoColorAllThemes(t *testing.T) {
	lipgloss.SetColorProfile(termenv.TrueColor)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	for _, name := range Themes() {
		m := newApp(t, sampleBroken, 120, 36, Options{Theme: name, NoColor: true})
		for _, k := range []string{"right", "d", "i", "y"} {
			m.Update(keyMsg(k))
			if strings.Contains(m.View(), "\x1b") {
				t.Fatalf("%s with NO_COLOR wrote an escape after %s", name, k)
			}
		}
	}
}
