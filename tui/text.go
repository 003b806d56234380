package tui

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/model"
)

// pad makes s exactly w cells wide, cutting or filling with spaces.
func pad(s string, w int) string {
	n := ansi.StringWidth(s)
	if n > w {
		// a wide character across the edge is dropped whole: fill its half cell
		s = ansi.Truncate(s, w, "")
		n = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", max(w-n, 0))
}

// fitRows pads each line to w cells and the list to h lines.
func fitRows(lines []string, w, h int) []string {
	out := make([]string, h)
	for i := range out {
		s := ""
		if i < len(lines) {
			s = lines[i]
		}
		out[i] = pad(s, w)
	}
	return out
}

// rows splits a component's View into its lines.
func rows(view string) []string { return strings.Split(view, "\n") }

// window is the first item shown so that sel is visible in n rows.
func window(sel, n, total int) int {
	return max(min(sel-n/2, total-n), 0)
}

// wrapText wraps text to w display cells (wide characters count two), with an indent on the
// lines after the first.
func wrapText(s string, w int, indent string) []string {
	if w <= lipgloss.Width(indent)+4 {
		return []string{s}
	}
	first := strings.Split(wrapWidth(s, w), "\n")
	if len(first) == 1 {
		return first
	}
	rest := strings.Split(wrapWidth(strings.Join(first[1:], " "), w-lipgloss.Width(indent)), "\n")
	out := first[:1]
	for _, l := range rest {
		out = append(out, indent+l)
	}
	return out
}

// wrapWidth wraps plain text at spaces to w display cells, cutting words longer than a line.
// (ansi.Wrap also breaks at hyphens, which would split "--dport" and "KUBE-SVC-…".)
func wrapWidth(s string, w int) string {
	if w < 2 {
		return s // no room to wrap in (before the first size): one line, cut by the caller
	}
	var lines []string
	line, lw := "", 0
	for _, word := range strings.Fields(s) {
		ww := lipgloss.Width(word)
		if lw > 0 && lw+1+ww > w {
			lines, line, lw = append(lines, line), "", 0
		}
		for ww > w { // longer than a line (lw is 0 here): cut it
			head := ansi.Cut(word, 0, w)
			if head == "" { // a wide rune across the cut: it goes whole
				_, n := utf8.DecodeRuneInString(word)
				head = word[:n]
			}
			lines = append(lines, head)
			word = word[len(head):]
			ww = lipgloss.Width(word)
		}
		if lw > 0 {
			line += " "
			lw++
		}
		line += word
		lw += ww
	}
	return strings.Join(append(lines, line), "\n")
}

// oneLine makes an error fit the status bar: escaped (no control characters from a file name
// or a manifest reach the terminal) and on one line.
func oneLine(s string) string {
	return model.Escape(strings.Join(strings.Fields(s), " "))
}

func plural(n int, s string) string {
	if n == 1 {
		return "1 " + s
	}
	return fmt.Sprintf("%d %ss", n, s)
}
