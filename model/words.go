package model

import (
	"strconv"
	"strings"

	"github.com/svcviz/svcviz/internal/i18n"
)

// Words is text svcviz words itself (a diagnostic's hint, or its own explanation), kept as an
// English template of the catalogue (internal/i18n, keyed by the English text, with {0}, {1}
// placeholders) and its arguments, so that it can be worded in any language the catalogue
// speaks. An argument is itself Words: either a nested template or a literal (Lit), such as a
// name, a field path or a number, which is never translated. The zero Words is empty.
type Words struct {
	Text string  // the English template, or the literal text when lit
	Args []Words // the arguments for {0}, {1}, …
	lit  bool
}

// W is the template tmpl with literal arguments.
func W(tmpl string, args ...string) Words {
	w := Words{Text: tmpl}
	for _, a := range args {
		w.Args = append(w.Args, Lit(a))
	}
	return w
}

// WW is the template tmpl with arguments that are themselves Words (nested templates).
func WW(tmpl string, args ...Words) Words { return Words{Text: tmpl, Args: args} }

// Lit is text kept as it is in every language (a name, a path, a number, the API server's words).
func Lit(s string) Words { return Words{Text: s, lit: true} }

// IsZero reports whether w is empty.
func (w Words) IsZero() bool { return w.Text == "" && len(w.Args) == 0 }

// String is the English wording.
func (w Words) String() string { return w.In("en") }

// In words w in lang (a catalogue language: "en", "ko"), falling back to English for a
// template lang does not word. In Korean the two-way particles after each argument (을(를),
// (으)로 …) are chosen by how the argument is read (i18n.Apply).
func (w Words) In(lang string) string {
	if w.lit {
		return w.Text
	}
	tmpl := w.Text
	if lang != "en" {
		tmpl = i18n.Wording(lang, w.Text)
	}
	return w.in(lang, tmpl)
}

// in fills tmpl (w's wording in lang) with w's arguments worded in lang, then chooses the
// Korean particles: only once the arguments are in place can the one after each be chosen.
func (w Words) in(lang, tmpl string) string {
	if len(w.Args) > 0 {
		pairs := make([]string, 0, 2*len(w.Args))
		for i, a := range w.Args {
			pairs = append(pairs, "{"+strconv.Itoa(i)+"}", a.In(lang))
		}
		tmpl = strings.NewReplacer(pairs...).Replace(tmpl)
	}
	if lang == "ko" {
		tmpl = i18n.Apply(tmpl)
	}
	return tmpl
}

// Templates lists the templates of w and of its nested arguments (for the catalogue's tests).
func (w Words) Templates() []string {
	if w.lit || w.IsZero() {
		return nil
	}
	out := []string{w.Text}
	for _, a := range w.Args {
		out = append(out, a.Templates()...)
	}
	return out
}

// joinWords joins parts with sep ("; " or ", "): the catalogue words the separator too, since
// Korean prose ends a sentence where English writes a semicolon.
func joinWords(parts []Words, sep string) Words {
	if len(parts) == 0 {
		return Words{}
	}
	out := parts[len(parts)-1]
	for i := len(parts) - 2; i >= 0; i-- {
		out = WW("{0}"+sep+"{1}", parts[i], out)
	}
	return out
}

// joinMaxWords is joinMax for Words: at most n of xs, then how many more.
func joinMaxWords(xs []Words, n int) Words {
	if len(xs) > n {
		return WW("{0}, … ({1} more)", joinWords(xs[:n], ", "), Lit(strconv.Itoa(len(xs)-n)))
	}
	return joinWords(xs, ", ")
}
