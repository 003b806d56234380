package main

import (
	"fmt"
	"strings"

	"github.com/svcviz/svcviz/internal/i18n"
	"github.com/svcviz/svcviz/netsim"
)

// The words `svcviz check` and `svcviz trace` print around the facts are written here in
// English and looked up, by that text, in the one catalogue (internal/i18n) that also holds
// netsim's narration and the TUI's words; words_ko.go gives their Korean. Names, addresses,
// fields, rules and diagnostics are printed as they are; JSON is never translated.

// langError checks a --lang value against the catalogues (en, ko): nil, or the error naming
// the flag that the commands return as a usage error (exit 2).
func langError(lang string) error {
	if i18n.Known(lang) {
		return nil
	}
	return fmt.Errorf("--lang must be %s, not %q", strings.Join(i18n.Languages(), " or "), lang)
}

// words prints the CLI's own words in one language.
type words struct{ lang string }

// say words an English text (with {0}, {1}, … filled from args) in the language.
func (w words) say(text string, args ...string) string { return i18n.Text(w.lang, text, args...) }

// summary is check's last line: counts, with plurals in English and 개 in Korean.
func (w words) summary(n summaryJSON) string {
	const counted = "{0} Services, {1} errors, {2} warnings, {3} info"
	if i18n.Has(w.lang, counted) {
		return w.say(counted, itoa(n.Services), itoa(n.Errors), itoa(n.Warnings), itoa(n.Info))
	}
	return plural(n.Services, "Service") + ", " + plural(n.Errors, "error") + ", " +
		plural(n.Warnings, "warning") + ", " + fmt.Sprintf("%d info", n.Info)
}

// header is trace's first line: the Service, the port or the --dst address, the way in.
func (w words) header(svc, port, dst, via string) string {
	switch {
	case dst != "":
		return w.say("trace {0} --dst {1} via {2}", svc, dst, via)
	case port != "":
		return w.say("trace {0} port {1} via {2}", svc, port, via)
	}
	return w.say("trace {0} via {1}", svc, via)
}

// verdictLine is trace's last line; step 0 when the packet arrived.
func (w words) verdictLine(v netsim.Verdict, step int) string {
	word := w.say(string(v)) // the verdict words are the TUI's, in the same catalogue
	if step > 0 {
		return w.say("verdict: {0} at step {1}", word, itoa(step))
	}
	return w.say("verdict: {0}", word)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

func itoa(n int) string { return fmt.Sprint(n) }
