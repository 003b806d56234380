package tui

import (
	"io"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/svcviz/svcviz/tui/canvas"
)

// Style classes of diagram cells; the theme maps each to a lipgloss style.
const (
	stPlain   canvas.Style = iota
	stNode                 // node and pod-network boxes
	stService              // the Service box
	stPod                  // an endpoint Pod
	stFaded                // selected Pods that cannot receive, idle edges
	stEdge                 // an edge the trace uses
	stTitle                // box titles (names)
	stAddr                 // addresses and ports
	stPacket               // the moving packet
	stBad                  // where a trace stops, and its verdict
	stClient               // the external client and kube-dns
	stNote                 // "N Pods off screen"
	numStyles
)

// Theme is every colour the UI uses. Themes are plain data so a new one plugs in without code.
type Theme struct {
	Name      string
	cells     [numStyles]lipgloss.Style
	Header    lipgloss.Style
	Status    lipgloss.Style
	Selected  lipgloss.Style // the highlighted row of a list
	Dim       lipgloss.Style
	Bad       lipgloss.Style
	Good      lipgloss.Style
	Old       lipgloss.Style // a rewritten address, struck through
	New       lipgloss.Style // the address it became
	Pane      lipgloss.Style // pane headings
	Packet    string         // the packet glyph(s)
	PacketASC string
	Speed     int // default speed level
	// Plain is true when no styling reaches the screen; then struck-through text is spelt
	// ~~like this~~ so a rewrite is still visible.
	Plain bool
}

type palette struct {
	fg, dim, node, svc, pod, edge, title, addr, packet, bad, good, client, selBg, selFg string
	bold                                                                                bool
}

var palettes = map[string]palette{
	"dark": {fg: "252", dim: "241", node: "67", svc: "141", pod: "114", edge: "220", title: "255",
		addr: "117", packet: "226", bad: "196", good: "82", client: "180", selBg: "237", selFg: "230"},
	"light": {fg: "235", dim: "247", node: "25", svc: "91", pod: "28", edge: "166", title: "16",
		addr: "24", packet: "202", bad: "160", good: "28", client: "94", selBg: "254", selFg: "16"},
	// projector: high contrast, bold, no dim greys (a washed-out beamer loses them).
	"projector": {fg: "15", dim: "15", node: "14", svc: "13", pod: "10", edge: "11", title: "15",
		addr: "14", packet: "11", bad: "9", good: "10", client: "11", selBg: "4", selFg: "15", bold: true},
}

// Themes lists the theme names --theme accepts.
func Themes() []string { return []string{"dark", "light", "projector"} }

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
	t := &Theme{Name: name, Packet: "●", PacketASC: "@", Speed: 3}
	if name == "projector" {
		t.Packet, t.PacketASC, t.Speed = "◉◉", "@@", 2
	}
	t.Plain = noColor || r.ColorProfile() == termenv.Ascii
	t.build(r, p)
	return t, ok
}

func (t *Theme) build(r *lipgloss.Renderer, p palette) {
	fg := func(c string) lipgloss.Style { return r.NewStyle().Foreground(lipgloss.Color(c)).Bold(p.bold) }
	t.cells = [numStyles]lipgloss.Style{
		stPlain: r.NewStyle(), stNode: fg(p.node), stService: fg(p.svc), stPod: fg(p.pod),
		stFaded: r.NewStyle().Foreground(lipgloss.Color(p.dim)).Faint(!p.bold),
		stEdge:  fg(p.edge), stTitle: fg(p.title).Bold(true), stAddr: fg(p.addr),
		stPacket: fg(p.packet).Bold(true), stBad: fg(p.bad).Bold(true), stClient: fg(p.client),
		stNote: fg(p.edge).Italic(!p.bold),
	}
	t.Header = r.NewStyle().Foreground(lipgloss.Color(p.title)).Bold(true)
	t.Status = r.NewStyle().Foreground(lipgloss.Color(p.selFg)).Background(lipgloss.Color(p.selBg)).Bold(p.bold)
	t.Selected = r.NewStyle().Foreground(lipgloss.Color(p.selFg)).Background(lipgloss.Color(p.selBg)).Bold(true)
	t.Dim = r.NewStyle().Foreground(lipgloss.Color(p.dim)).Bold(p.bold)
	t.Bad = fg(p.bad).Bold(true)
	t.Good = fg(p.good).Bold(true)
	t.Old = fg(p.dim).Strikethrough(true)
	t.New = fg(p.addr).Bold(true)
	t.Pane = fg(p.title).Bold(true).Underline(!t.Plain)
}

// paint renders one run of diagram text in a style class.
func (t *Theme) paint(s canvas.Style, text string) string {
	if s == stPlain || t.Plain {
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
		FullKey: t.Header, FullDesc: t.cells[stPlain], FullSeparator: t.Dim,
	}
}
