package tui

import (
	"strconv"
	"strings"
)

// The TUI's own words (pane headings, the status bar, the explanation line, help, pickers) are
// written in English in the code and looked up, by their English text, in the catalogue of the
// language the narration uses: one catalogue per language, as netsim's narration has. A string
// missing from a catalogue stays English. Arguments fill {0}, {1}, ….
//
// The diagram itself stays English in every language: its canvas holds one single-width rune
// per cell, and Korean is double width. Names, addresses, iptables rules and diagnostics (the
// same lines as `svcviz check`) are never translated.
var catalogues = map[string]map[string]string{"ko": chromeKO}

// translate words s in lang.
func translate(lang, s string, args ...string) string {
	if t, ok := catalogues[lang][s]; ok {
		s = t
	}
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, 2*len(args))
	for i, a := range args {
		pairs = append(pairs, "{"+strconv.Itoa(i)+"}", a)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// tr words s in the model's language.
func (m *Model) tr(s string, args ...string) string { return translate(m.opts.Lang, s, args...) }

// count is "3 Services" in English, and the catalogue's wording of "{0} Service" elsewhere.
func (m *Model) count(n int, word string) string {
	if _, ok := catalogues[m.opts.Lang]["{0} "+word]; ok {
		return m.tr("{0} "+word, strconv.Itoa(n))
	}
	return plural(n, word)
}
