package tui

import "github.com/charmbracelet/bubbles/key"

// KeyMap is every binding the TUI answers; help is generated from it.
type KeyMap struct {
	Play, Next, Prev, Faster, Slower, Restart key.Binding
	Service, Origin, Again, Wire, Focus       key.Binding
	Mode                                      key.Binding
	YAML, Rules, Diags                        key.Binding
	Up, Down, Select, Back, PageUp, PageDown  key.Binding
	Help, Quit                                key.Binding
}

// DefaultKeyMap is the bindings of DESIGN §7.
func DefaultKeyMap() KeyMap { return keyMapFor("en") }

// keyMapFor is the bindings with their help in a language.
func keyMapFor(lang string) KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, translate(lang, desc)))
	}
	return KeyMap{
		Play:     b("space", "play/pause", " ", "space"),
		Next:     b("→/l", "next hop", "right", "l"),
		Prev:     b("←/h", "previous hop", "left", "h"),
		Faster:   b("+", "faster", "+", "="),
		Slower:   b("-", "slower", "-", "_"),
		Restart:  b("r", "restart", "r"),
		Service:  b("s", "choose Service and port", "s"),
		Origin:   b("o", "choose origin and way in", "o"),
		Again:    b("n", "send another packet", "n"),
		Wire:     b("w", "teaching/wire view", "w"),
		Mode:     b("m", "iptables/nftables mode", "m"),
		Focus:    b("tab", "move focus", "tab"),
		YAML:     b("y", "YAML and packet", "y"),
		Rules:    b("i", "kube-proxy rules", "i"),
		Diags:    b("d", "diagnostics", "d"),
		Up:       b("↑/k", "up", "up", "k"),
		Down:     b("↓/j", "down", "down", "j"),
		Select:   b("enter", "jump/choose", "enter"),
		Back:     b("esc", "close", "esc"),
		PageUp:   b("pgup", "scroll up", "pgup"),
		PageDown: b("pgdn", "scroll down", "pgdown"),
		Help:     b("?", "help", "?"),
		Quit:     b("q", "quit", "q", "ctrl+c"),
	}
}

// ShortHelp is the status bar's reminder.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{k.Play, k.Next, k.Prev, k.Service, k.Origin, k.Rules, k.Diags, k.Help, k.Quit}
}

// FullHelp is the `?` screen, in columns.
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Play, k.Next, k.Prev, k.Faster, k.Slower, k.Restart, k.Again},
		{k.Service, k.Origin, k.Wire, k.Mode, k.YAML, k.Rules, k.Diags, k.Help},
		{k.Focus, k.Up, k.Down, k.Select, k.PageUp, k.PageDown, k.Back, k.Quit},
	}
}
