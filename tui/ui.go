package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/internal/i18n"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/canvas"
)

// ui is what every part of the screen draws with: the theme, the glyph set and the language.
// New sets it once; the root model and its components share it and never change it.
type ui struct {
	theme  *Theme
	glyphs *canvas.Glyphs
	lang   string
	ascii  bool // --ascii: ASCII-only glyphs
}

func newUI(opts Options) *ui {
	theme, _ := NewTheme(opts.Theme, opts.NoColor)
	u := &ui{theme: theme, glyphs: &canvas.Unicode, lang: opts.Lang, ascii: opts.ASCII}
	if u.lang == "" {
		u.lang = "en"
	}
	if opts.ASCII {
		u.glyphs = &canvas.ASCII
	}
	return u
}

// tr words s in the screen's language (see i18n.go).
func (u *ui) tr(s string, args ...string) string { return translate(u.lang, s, args...) }

// count is "3 Services" in English, and the catalogue's wording of "{0} Service" elsewhere.
func (u *ui) count(n int, word string) string {
	if i18n.Has(u.lang, "{0} "+word) {
		return u.tr("{0} "+word, strconv.Itoa(n))
	}
	return plural(n, word)
}

// action words a hop's action for the event list: netsim's own term ("dnat") in English, the
// catalogue's "action.dnat" elsewhere (its keys are prefixed: netsim's narration has keys
// such as "dnat" too).
func (u *ui) action(a netsim.Action) string {
	if k := "action." + string(a); i18n.Has(u.lang, k) {
		return u.tr(k)
	}
	return string(a)
}

// txt swaps ambiguous-width glyphs for ASCII under --ascii.
func (u *ui) txt(s string) string {
	if !u.ascii {
		return s
	}
	return asciiReplacer.Replace(s)
}

var asciiReplacer = strings.NewReplacer("→", "->", "←", "<-", "✗", "x", "▶", ">", "▸", ">", "…", "...",
	"↓", "v", "│", "|", "⏸", "||", "·", "-", "⇄", "<->", "▲", "^", "⇒", "=>", "▏", "|", "≠", "!=")

// fit makes s exactly w cells wide like pad, but marks a cut with an ellipsis, so a line that
// does not fit reads as shortened rather than as a word run into the next.
func (u *ui) fit(s string, w int) string {
	if ansi.StringWidth(s) > w {
		s = ansi.Truncate(s, w, u.txt("…"))
	}
	return pad(s, w)
}

// margin is the panes' left margin: wider in the projector theme.
func (u *ui) margin() string { return strings.Repeat(" ", u.theme.Gap) }

// heading is a list's or pane's title, marked when it has the focus, padded to w cells (w 0:
// not padded).
func (u *ui) heading(s string, focused bool, w int) string {
	if focused {
		s = u.txt("▸ ") + s
	}
	if w > 0 && ansi.StringWidth(s) > w {
		s = pad(s, w)
	}
	return u.theme.Pane.Render(s) + strings.Repeat(" ", max(w-ansi.StringWidth(s), 0))
}

// paneHeading is a detail pane's first row: its name, focus mark and what it is about.
func (u *ui) paneHeading(name, about string, focused bool, w int) string {
	s := u.heading(name, focused, 0)
	if about != "" {
		s += " " + about
	}
	s = strings.Repeat(" ", u.theme.Gap-1) + s
	if w == 0 {
		return s // fitted later
	}
	return pad(s, w)
}

// paneHeadingFit is the first of a pane's headings (the same name, shorter words after it)
// that fits in w cells; else the last, cut with an ellipsis. Padded to w.
func (u *ui) paneHeadingFit(name string, abouts []string, focused bool, w int) string {
	var s string
	for _, about := range abouts {
		if s = u.paneHeading(name, about, focused, 0); ansi.StringWidth(s) <= w {
			return pad(s, w)
		}
	}
	return u.fit(s, w)
}

// sevStyle colours a severity: errors red, warnings in the edge colour, info dim.
func (u *ui) sevStyle(s model.Severity) lipgloss.Style {
	switch s {
	case model.Error:
		return u.theme.Bad
	case model.Warning:
		return u.theme.Warn
	}
	return u.theme.Dim
}

// addr shows a packet field as trace prints it: "old ⇒ new" when a hop rewrote it.
func (u *ui) addr(before, after string) string {
	if before == after {
		return after
	}
	return u.theme.rewrite(before, after, u.txt(" ⇒ "))
}

// diagLine is a diagnostic as `svcviz check --lang` prints it: "file:line: severity code:
// message", svcviz's own message worded in lang (the API server's stays as kubectl prints it).
func diagLine(d *model.Diagnostic, lang string) string {
	return model.Escape(d.Location()) + ": " + string(d.Severity) + " " + d.Code + ": " + model.Escape(d.MessageIn(lang))
}

// fill fits lines to h rows of w cells, a cut line ending in an ellipsis.
func (u *ui) fill(lines []string, h, w int) []string {
	out := make([]string, h)
	for i := range out {
		s := ""
		if i < len(lines) {
			s = u.txt(lines[i])
		}
		out[i] = u.fit(s, w)
	}
	return out
}
