package tui

import (
	"os"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/tui/diagram"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/svcviz/svcviz/model"
)

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

// TestProjectorStyles: bold everywhere, nothing faint, its own white background on every
// line, a slower default pace and a larger packet.
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
	if p.bg == "" || d.bg != "" || p.Speed >= d.Speed || len([]rune(p.Packet)) <= len([]rune(d.Packet)) || p.Gap <= d.Gap {
		t.Fatalf("projector: bg %q speed %d packet %q gap %d", p.bg, p.Speed, p.Packet, p.Gap)
	}
	m := newModel(t, sampleNodePort, 120, 36, Options{Theme: "projector"})
	v := m.View()
	for i, l := range strings.Split(v, "\n") {
		if !strings.HasPrefix(l, p.bg) {
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
		m := newModel(t, sampleBroken, 120, 36, Options{Theme: name, NoColor: true})
		for _, k := range []string{"right", "d", "i", "y"} {
			m.Update(keyMsg(k))
			if strings.Contains(m.View(), "\x1b") {
				t.Fatalf("%s with NO_COLOR wrote an escape after %s", name, k)
			}
		}
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
	m := newModel(t, sampleNodePort, 120, 36, Options{})
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
