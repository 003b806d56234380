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
