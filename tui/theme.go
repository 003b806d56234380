package tui

import (
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/svcviz/svcviz/tui/canvas"
	"github.com/svcviz/svcviz/tui/diagram"
)

// Theme is every colour the UI uses. Themes are plain data so a new one plugs in without code.
//
// Contrast (WCAG 2 ratios, checked by TestThemeContrast on rendered frames): projector paints
// its own white background under every cell and sets every foreground, so every glyph is at
// least 4.5:1 on any terminal; dark and light leave the background and the plain text to the
// terminal they are for, every colour at least 3:1 on it and the lesson's lines at least 4.5:1.
type Theme struct {
	Name      string
	cells     [diagram.NumStyles]lipgloss.Style
	Header    lipgloss.Style
	Status    lipgloss.Style
	Selected  lipgloss.Style // the highlighted row of a list
	Dim       lipgloss.Style // what is not the lesson: hops to come, hints, separators
	Bad       lipgloss.Style // only where the packet failed, and errors
	Warn      lipgloss.Style // warning diagnostics
	Good      lipgloss.Style
	New       lipgloss.Style // the address a hop rewrote a field to
	Pane      lipgloss.Style // pane headings
	Packet    string         // the packet glyphs: two cells on a badge of their own colour
	PacketASC string
	Speed     int // default speed level
	Gap       int // the panes' left margin: 1, or 2 for the projector's wider spacing
	// base is the SGR sequence of the foreground and background a theme paints itself
	// (projector: black on white), so the picture does not depend on the terminal's colours,
	// which are never asked for; "" leaves them to the terminal.
	base string
	// Plain is true when no styling reaches the screen.
	Plain bool
}

type palette struct {
	about                                                                                             string // what the theme is for
	fg, dim, node, svc, pod, edge, title, addr, packet, packetBg, bad, good, client, selBg, selFg, bg string
	bold                                                                                              bool
}

// palettes: dark is for terminals of background #000000..#1e1e1e, light for #f0f0f0..#ffffff;
// red (bad) is kept for failures, the packet is a badge (dark glyphs on amber) in all three.
var palettes = map[string]palette{
	"dark": {about: "for a dark terminal", fg: "252", dim: "245", node: "74", svc: "141", pod: "114", edge: "220", title: "255",
		addr: "117", packet: "16", packetBg: "226", bad: "203", good: "82", client: "180", selBg: "237", selFg: "230"},
	"light": {about: "for a light terminal", fg: "235", dim: "242", node: "25", svc: "91", pod: "22", edge: "94", title: "16",
		addr: "24", packet: "16", packetBg: "214", bad: "160", good: "22", client: "94", selBg: "254", selFg: "16"},
	// projector: dark, saturated colours on a white background it paints itself, all bold, no
	// pale greys or faint text: a washed-out beamer in a lit room loses thin and pale colours.
	"projector": {about: "high contrast on its own light background, bold, slow: for a classroom", fg: "16", dim: "240", node: "19", svc: "90", pod: "22", edge: "94", title: "16",
		addr: "18", packet: "16", packetBg: "214", bad: "124", good: "22", client: "58", selBg: "19", selFg: "231", bg: "231", bold: true},
}

// Themes lists the theme names --theme accepts, in order.
func Themes() []string { return slices.Sorted(maps.Keys(palettes)) }

// ThemeAbout says what a theme is for ("for a dark terminal"); "" for an unknown name.
func ThemeAbout(name string) string { return palettes[name].about }

// NewTheme builds a theme by name ("" is dark). noColor gives plain output: styles made by a
// renderer fixed to the ASCII profile, so no escape sequence is ever written.
func NewTheme(name string, noColor bool) (*Theme, bool) {
	if name == "" {
		name = "dark"
	}
	p, ok := palettes[name]
	if !ok {
		p, name = palettes["dark"], "dark"
	}
	r := lipgloss.DefaultRenderer()
	if noColor {
		r = lipgloss.NewRenderer(io.Discard)
		r.SetColorProfile(termenv.Ascii)
	}
	t := &Theme{Name: name, Packet: "◉◉", PacketASC: "@@", Speed: 3, Gap: 1}
	if name == "projector" {
		// the slowest pace: a class reads each hop's sentence before the packet moves on
		t.Speed, t.Gap = 1, 2
	}
	t.Plain = noColor || r.ColorProfile() == termenv.Ascii
	if p.bg != "" && !t.Plain {
		cp := r.ColorProfile()
		t.base = "\x1b[" + cp.Color(p.fg).Sequence(false) + ";" + cp.Color(p.bg).Sequence(true) + "m"
	}
	t.build(r, p)
	return t, ok
}

func (t *Theme) build(r *lipgloss.Renderer, p palette) {
	fg := func(c string) lipgloss.Style { return r.NewStyle().Foreground(lipgloss.Color(c)).Bold(p.bold) }
	t.cells = [diagram.NumStyles]lipgloss.Style{
		diagram.StylePlain: r.NewStyle(), diagram.StyleNode: fg(p.node), diagram.StyleService: fg(p.svc), diagram.StylePod: fg(p.pod),
		diagram.StyleFaded: fg(p.dim),
		diagram.StyleEdge:  fg(p.edge), diagram.StyleTitle: fg(p.title).Bold(true), diagram.StyleAddr: fg(p.addr),
		diagram.StylePacket: fg(p.packet).Background(lipgloss.Color(p.packetBg)).Bold(true),
		diagram.StyleBad:    fg(p.bad).Bold(true), diagram.StyleClient: fg(p.client),
		diagram.StyleNote: fg(p.edge).Italic(!p.bold),
	}
	t.Header = r.NewStyle().Foreground(lipgloss.Color(p.title)).Bold(true)
	t.Status = r.NewStyle().Foreground(lipgloss.Color(p.selFg)).Background(lipgloss.Color(p.selBg)).Bold(p.bold)
	t.Selected = r.NewStyle().Foreground(lipgloss.Color(p.selFg)).Background(lipgloss.Color(p.selBg)).Bold(true)
	t.Dim = fg(p.dim)
	t.Bad = fg(p.bad).Bold(true)
	t.Warn = fg(p.edge).Bold(true)
	t.Good = fg(p.good).Bold(true)
	t.New = fg(p.addr).Bold(true)
	t.Pane = fg(p.title).Bold(true).Underline(!t.Plain)
}

// lineEnd starts the last cell of a line: an underline colour no other cell has, invisible
// (nothing is underlined there), so a screen capture (tmux capture-pane -e, which restates
// colours only where they change) resets and restates every colour at the start of the next
// line instead of carrying them over, and keeps the painted blanks before it.
const lineEnd = "\x1b[58;5;16m"

// withBG finishes a frame for the screen: under a theme that paints its own colours every line
// starts with them and every reset inside a line sets them again, so plain text and padding sit
// on them too; in every colour theme each line's last cell is marked (see lineEnd).
func (t *Theme) withBG(frame string) string {
	if t.Plain {
		return frame
	}
	const reset = "\x1b[0m"
	var b strings.Builder
	b.Grow(len(frame) + len(frame)/8)
	for i, line := range strings.Split(frame, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if t.base != "" {
			b.WriteString(t.base)
			line = strings.ReplaceAll(line, reset, reset+t.base)
		}
		if k := lastCell(line); k >= 0 {
			line = line[:k] + lineEnd + line[k:]
		}
		b.WriteString(line)
		b.WriteString(reset)
	}
	return b.String()
}

// lastCell is the byte offset of the last printable character of line (escape sequences
// skipped), -1 when there is none.
func lastCell(line string) int {
	last := -1
	for off := 0; off < len(line); {
		seq, w, n, _ := ansi.DecodeSequence(line[off:], ansi.NormalState, nil)
		if w > 0 && !strings.HasPrefix(seq, "\x1b") {
			last = off
		}
		off += max(n, 1)
	}
	return last
}

// paint renders one run of diagram text in a style class.
func (t *Theme) paint(s canvas.Style, text string) string {
	if s == diagram.StylePlain || t.Plain {
		return text
	}
	return t.cells[s].Render(text)
}

// rewrite shows a field a hop rewrote as trace prints it: "old ⇒ new", the new value bold.
func (t *Theme) rewrite(before, after, arrow string) string {
	return before + arrow + t.New.Render(after)
}

// helpStyles replaces bubbles/help's adaptive colours, which would ask the terminal for its
// background after start.
func (t *Theme) helpStyles() help.Styles {
	return help.Styles{
		Ellipsis: t.Dim, ShortKey: t.Header, ShortDesc: t.Dim, ShortSeparator: t.Dim,
		FullKey: t.Header, FullDesc: t.cells[diagram.StylePlain], FullSeparator: t.Dim,
	}
}
