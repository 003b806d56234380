package tui

import "github.com/svcviz/svcviz/internal/i18n"

// The TUI's own words (pane headings, the status bar, the explanation line, help, pickers) are
// written in English in the code and looked up, by their English text, in the catalogue of the
// language the narration uses: the one catalogue (internal/i18n), where netsim's narration is
// too. A string missing from it stays English. Arguments fill {0}, {1}, ….
//
// The diagram's labels are translated too (its canvas draws a wide rune over two cells). Names,
// addresses, iptables rules and diagnostics (the same lines as `svcviz check`) are never
// translated.
func init() { i18n.Add("ko", chromeKO) }

// translate words s in lang.
func translate(lang, s string, args ...string) string { return i18n.Text(lang, s, args...) }
