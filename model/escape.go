package model

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape makes text from a manifest safe to print on a terminal: control characters (ESC, BEL,
// CR, C1 controls, …) and invalid UTF-8 are written as Go escapes, so no manifest can move the
// cursor, change colours or ring the bell. Printable text, including wide characters, is kept.
//
// It is the one door from manifest text to the terminal: the commands and the TUI pass every
// name, label, port name, file name and source line through it before printing (the TUI's
// diagram then also writes non-ASCII as Go escapes, since its canvas holds one single-width
// rune per cell: tui/diagram's cellSafe calls Escape first).
func Escape(s string) string {
	if safeText(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i]), 16))
		case unsafeRune(r):
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func safeText(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			return utf8Safe(s)
		}
	}
	return true
}

func utf8Safe(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unsafeRune(r) {
			return false
		}
	}
	return true
}

// unsafeRune reports control and format characters that terminals act on or that hide text
// (bidi overrides), as well as the line separators.
func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || r == 0x2028 || r == 0x2029 || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
