package tui

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// A terminal profile: the colours a terminal draws its default foreground and background in.
type termProfile struct {
	name   string
	fg, bg rgb
	dark   bool
}

var termProfiles = []termProfile{
	{"black", rgb{0xd0, 0xd0, 0xd0}, rgb{0, 0, 0}, true},
	{"dark grey", rgb{0xd0, 0xd0, 0xd0}, rgb{0x1e, 0x1e, 0x1e}, true},
	{"white", rgb{0x20, 0x20, 0x20}, rgb{0xff, 0xff, 0xff}, false},
	{"light grey", rgb{0x20, 0x20, 0x20}, rgb{0xf0, 0xf0, 0xf0}, false},
}

// TestThemeContrast renders frames of every theme with a 256-colour profile, reads each cell's
// colours back out of the SGR sequences as a terminal would, and computes WCAG contrast
// ratios: projector is at least 4.5:1 on every profile, dark and light at least 4.5:1 on the
// profiles they are for (the issue asks 3:1 of them, 4.5:1 of the lesson's lines; every line
// meets the higher figure). The projector also paints every cell and sets every foreground.
func TestThemeContrast(t *testing.T) {
	lipgloss.SetColorProfile(termenv.ANSI256)
	defer lipgloss.SetColorProfile(termenv.Ascii)
	type scene struct {
		path string
		w, h int
		keys []string
	}
	scenes := []scene{
		{sampleNodePort, 120, 36, nil},
		{sampleNodePort, 120, 36, []string{"right", "right", "right", "right", "right"}},
		{sampleNodePort, 80, 24, []string{"right", "right", "right", "right"}},
		{sampleNodePort, 120, 36, []string{"w", "right", "right", "right", "right", "i"}},
		{sampleNodePort, 120, 36, []string{"?"}},
		{sampleBroken, 120, 36, []string{"right", "right"}},
		{sampleBroken, 120, 36, []string{"d"}},
		{"../samples/deployment.yaml", 100, 30, []string{"right", "right", "right", "right", "tab"}},
	}
	for _, name := range Themes() {
		for _, p := range termProfiles {
			if name == "dark" && !p.dark || name == "light" && p.dark {
				continue
			}
			for _, sc := range scenes {
				m := newApp(t, sc.path, sc.w, sc.h, Options{Theme: name})
				for _, k := range sc.keys {
					m.Update(keyMsg(k))
				}
				what := fmt.Sprintf("%s on %s, %s %dx%d after %v", name, p.name, sc.path, sc.w, sc.h, sc.keys)
				rows := parseSGR(m.View())
				checkContrast(t, what, rows, p, 4.5)
				if name == "projector" {
					checkPainted(t, what, rows)
				}
			}
		}
	}
}

func checkContrast(t *testing.T, what string, rows [][]cell, p termProfile, min float64) {
	t.Helper()
	low := 0
	for y, row := range rows {
		for x, c := range row {
			if c.r == ' ' || c.r == 0 || c.conceal {
				continue
			}
			fg, bg := c.colours(p)
			if r := contrastRatio(fg, bg); r < min {
				if low < 3 {
					t.Errorf("%s: %q at row %d col %d: %v on %v is %.2f:1", what, c.r, y+1, x+1, fg, bg, r)
				}
				low++
			}
		}
	}
	if low > 3 {
		t.Errorf("%s: %d glyphs below %.1f:1 in all", what, low, min)
	}
}

// checkPainted: no cell on the terminal's own background, no glyph in its own foreground.
func checkPainted(t *testing.T, what string, rows [][]cell) {
	t.Helper()
	for y, row := range rows {
		for x, c := range row {
			if c.bg == nil || (c.fg == nil && c.r != ' ') {
				t.Fatalf("%s: row %d col %d (%q) is left to the terminal: fg %v bg %v", what, y+1, x+1, c.r, c.fg, c.bg)
			}
		}
	}
}

type rgb [3]uint8

type cell struct {
	r                       rune
	fg, bg                  *rgb
	faint, reverse, conceal bool
}

// colours is what a terminal with profile p shows: its defaults for unset colours, reverse
// swapped, faint halfway to the background (as termscreen and most terminals do).
func (c cell) colours(p termProfile) (rgb, rgb) {
	fg, bg := p.fg, p.bg
	if c.fg != nil {
		fg = *c.fg
	}
	if c.bg != nil {
		bg = *c.bg
	}
	if c.reverse {
		fg, bg = bg, fg
	}
	if c.faint {
		for i := range fg {
			fg[i] = uint8((int(fg[i]) + int(bg[i]) + 1) / 2)
		}
	}
	return fg, bg
}

// parseSGR reads a frame into cells as a terminal would, the SGR state carried across lines.
func parseSGR(frame string) [][]cell {
	var rows [][]cell
	var st cell
	for _, line := range strings.Split(frame, "\n") {
		var row []cell
		for line != "" {
			seq, w, n, _ := ansi.DecodeSequence(line, ansi.NormalState, nil)
			line = line[n:]
			if strings.HasPrefix(seq, "\x1b[") && strings.HasSuffix(seq, "m") {
				applySGR(&st, seq[2:len(seq)-1])
				continue
			}
			if w == 0 || strings.HasPrefix(seq, "\x1b") {
				continue
			}
			c := st
			c.r = []rune(seq)[0]
			row = append(row, c)
			for range w - 1 {
				row = append(row, cell{r: 0, fg: st.fg, bg: st.bg})
			}
		}
		rows = append(rows, row)
	}
	return rows
}

func applySGR(st *cell, params string) {
	ps := strings.FieldsFunc(params, func(r rune) bool { return r == ';' || r == ':' })
	if len(ps) == 0 {
		ps = []string{"0"}
	}
	num := func(i int) int { n, _ := strconv.Atoi(ps[i]); return n }
	for i := 0; i < len(ps); i++ {
		switch p := num(i); {
		case p == 0:
			*st = cell{}
		case p == 2:
			st.faint = true
		case p == 7:
			st.reverse = true
		case p == 8:
			st.conceal = true
		case p == 22:
			st.faint = false
		case p == 27:
			st.reverse = false
		case p == 28:
			st.conceal = false
		case p >= 30 && p <= 37, p >= 90 && p <= 97:
			c := xterm256(p%10 + map[bool]int{true: 8}[p >= 90])
			st.fg = &c
		case p >= 40 && p <= 47, p >= 100 && p <= 107:
			c := xterm256(p%10 + map[bool]int{true: 8}[p >= 100])
			st.bg = &c
		case p == 39:
			st.fg = nil
		case p == 49:
			st.bg = nil
		case (p == 38 || p == 48) && i+2 < len(ps) && num(i+1) == 5:
			c := xterm256(num(i + 2))
			if p == 38 {
				st.fg = &c
			} else {
				st.bg = &c
			}
			i += 2
		case (p == 38 || p == 48) && i+4 < len(ps) && num(i+1) == 2:
			c := rgb{uint8(num(i + 2)), uint8(num(i + 3)), uint8(num(i + 4))}
			if p == 38 {
				st.fg = &c
			} else {
				st.bg = &c
			}
			i += 4
		}
	}
}

// xterm256 is the colour xterm shows for palette index n.
func xterm256(n int) rgb {
	base := []rgb{{0, 0, 0}, {0xcd, 0, 0}, {0, 0xcd, 0}, {0xcd, 0xcd, 0}, {0, 0, 0xee}, {0xcd, 0, 0xcd}, {0, 0xcd, 0xcd}, {0xe5, 0xe5, 0xe5},
		{0x7f, 0x7f, 0x7f}, {0xff, 0, 0}, {0, 0xff, 0}, {0xff, 0xff, 0}, {0x5c, 0x5c, 0xff}, {0xff, 0, 0xff}, {0, 0xff, 0xff}, {0xff, 0xff, 0xff}}
	switch {
	case n < 16:
		return base[n]
	case n < 232:
		n -= 16
		f := func(v int) uint8 {
			if v == 0 {
				return 0
			}
			return uint8(55 + v*40)
		}
		return rgb{f(n / 36), f(n / 6 % 6), f(n % 6)}
	}
	v := uint8(8 + (n-232)*10)
	return rgb{v, v, v}
}

// contrastRatio is WCAG 2's (L1 + 0.05) / (L2 + 0.05).
func contrastRatio(a, b rgb) float64 {
	lum := func(c rgb) float64 {
		ch := func(v uint8) float64 {
			x := float64(v) / 255
			if x <= 0.03928 {
				return x / 12.92
			}
			return math.Pow((x+0.055)/1.055, 2.4)
		}
		return 0.2126*ch(c[0]) + 0.7152*ch(c[1]) + 0.0722*ch(c[2])
	}
	la, lb := lum(a), lum(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// TestContrastRatio: the WCAG figures the test relies on.
func TestContrastRatio(t *testing.T) {
	for _, c := range []struct {
		a, b rgb
		want float64
	}{{rgb{0, 0, 0}, rgb{255, 255, 255}, 21}, {xterm256(196), rgb{255, 255, 255}, 4.00}, {xterm256(130), xterm256(231), 4.71}} {
		if got := contrastRatio(c.a, c.b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("%v on %v: %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}
