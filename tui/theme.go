package tui

import (
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/svcviz/svcviz/tui/canvas"
	"github.com/svcviz/svcviz/tui/diagram"
)

// Theme is every colour the UI uses. Themes are plain data so a new one plugs in without code.
type Theme struct {
	Name      string
	cells     [diagram.NumStyles]lipgloss.Style
	Header    lipgloss.Style
	Status    lipgloss.Style
	Selected  lipgloss.Style // the highlighted row of a list
	Dim       lipgloss.Style
	Bad       lipgloss.Style
	Warn      lipgloss.Style // warning diagnostics
	Good      lipgloss.Style
	Old       lipgloss.Style // a rewritten address, struck through
	New       lipgloss.Style // the address it became
	Pane      lipgloss.Style // pane headings
	Packet    string         // the packet glyph(s)
	PacketASC string
	Speed     int // default speed level
	Gap       int // the panes' left margin: 1, or 2 for the projector's wider spacing
	// bg is the SGR sequence of a background the theme paints itself (projector: white), so
	// the picture does not depend on the terminal's background, which is never asked for.
	bg string
	// Plain is true when no styling reaches the screen; then struck-through text is spelt
	// ~~like this~~ so a rewrite is still visible.
	Plain bool
}

type palette struct {
	about                                                                                   string // what the theme is for
	fg, dim, node, svc, pod, edge, title, addr, packet, bad, good, client, selBg, selFg, bg string
	bold                                                                                    bool
}

var palettes = map[string]palette{
	"dark": {about: "for a dark terminal", fg: "252", dim: "241", node: "67", svc: "141", pod: "114", edge: "220", title: "255",
		addr: "117", packet: "226", bad: "196", good: "82", client: "180", selBg: "237", selFg: "230"},
	"light": {about: "for a light terminal", fg: "235", dim: "247", node: "25", svc: "91", pod: "28", edge: "166", title: "16",
		addr: "24", packet: "202", bad: "160", good: "28", client: "94", selBg: "254", selFg: "16"},
	// projector: dark, saturated colours on a white background it paints itself, all bold, no
	// dim greys or faint text: a washed-out beamer in a lit room loses thin and pale colours.
	"projector": {about: "high contrast on its own light background, bold, slow: for a classroom", fg: "16", dim: "236", node: "19", svc: "90", pod: "22", edge: "130", title: "16",
		addr: "18", packet: "196", bad: "160", good: "22", client: "94", selBg: "19", selFg: "231", bg: "231", bold: true},
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
	t := &Theme{Name: name, Packet: "●", PacketASC: "@", Speed: 3, Gap: 1}
	if name == "projector" {
		// the slowest pace: a class reads each hop's sentence before the packet moves on
		t.Packet, t.PacketASC, t.Speed, t.Gap = "◉◉", "@@", 1, 2
	}
	t.Plain = noColor || r.ColorProfile() == termenv.Ascii
	if p.bg != "" && !t.Plain {
		t.bg = "\x1b[" + r.ColorProfile().Color(p.bg).Sequence(true) + "m"
	}
	t.build(r, p)
	return t, ok
}

func (t *Theme) build(r *lipgloss.Renderer, p palette) {
	fg := func(c string) lipgloss.Style { return r.NewStyle().Foreground(lipgloss.Color(c)).Bold(p.bold) }
	t.cells = [diagram.NumStyles]lipgloss.Style{
		diagram.StylePlain: r.NewStyle(), diagram.StyleNode: fg(p.node), diagram.StyleService: fg(p.svc), diagram.StylePod: fg(p.pod),
		diagram.StyleFaded: fg(p.dim).Faint(!p.bold),
		diagram.StyleEdge:  fg(p.edge), diagram.StyleTitle: fg(p.title).Bold(true), diagram.StyleAddr: fg(p.addr),
		diagram.StylePacket: fg(p.packet).Bold(true), diagram.StyleBad: fg(p.bad).Bold(true), diagram.StyleClient: fg(p.client),
		diagram.StyleNote: fg(p.edge).Italic(!p.bold),
	}
	t.Header = r.NewStyle().Foreground(lipgloss.Color(p.title)).Bold(true)
	t.Status = r.NewStyle().Foreground(lipgloss.Color(p.selFg)).Background(lipgloss.Color(p.selBg)).Bold(p.bold)
	t.Selected = r.NewStyle().Foreground(lipgloss.Color(p.selFg)).Background(lipgloss.Color(p.selBg)).Bold(true)
	t.Dim = r.NewStyle().Foreground(lipgloss.Color(p.dim)).Bold(p.bold)
	t.Bad = fg(p.bad).Bold(true)
	t.Warn = fg(p.edge).Bold(true)
	t.Good = fg(p.good).Bold(true)
	t.Old = fg(p.dim).Strikethrough(true)
	t.New = fg(p.addr).Bold(true)
	t.Pane = fg(p.title).Bold(true).Underline(!t.Plain)
}

// withBG paints the theme's own background under a whole frame: every line starts with it and
// every reset inside a line sets it again, so plain text and padding sit on it too.
func (t *Theme) withBG(frame string) string {
	if t.bg == "" {
		return frame
	}
	const reset = "\x1b[0m"
	var b strings.Builder
	b.Grow(len(frame) + len(frame)/8)
	for i, line := range strings.Split(frame, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(t.bg)
		b.WriteString(strings.ReplaceAll(line, reset, reset+t.bg))
		b.WriteString(reset)
	}
	return b.String()
}

// paint renders one run of diagram text in a style class.
func (t *Theme) paint(s canvas.Style, text string) string {
	if s == diagram.StylePlain || t.Plain {
		return text
	}
	return t.cells[s].Render(text)
}

// strike shows a rewritten address: struck through where the terminal can, ~~spelt~~ where not.
func (t *Theme) strike(s string) string {
	if t.Plain {
		return "~~" + s + "~~"
	}
	return t.Old.Render(s)
}

// helpStyles replaces bubbles/help's adaptive colours, which would ask the terminal for its
// background after start.
func (t *Theme) helpStyles() help.Styles {
	return help.Styles{
		Ellipsis: t.Dim, ShortKey: t.Header, ShortDesc: t.Dim, ShortSeparator: t.Dim,
		FullKey: t.Header, FullDesc: t.cells[diagram.StylePlain], FullSeparator: t.Dim,
	}
}
