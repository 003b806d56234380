package tui

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/model"
)

// yamlPane shows the loaded file around the line that decides the hop on screen (a
// yamlTarget): line numbers, the line marked, a field the file leaves out shown dimmed under
// its parent, and a diagnostic under the line it is about, as an editor shows a finding.
// With the focus, the arrows and page keys scroll it; the scrolling holds until the target's
// position changes.
type yamlPane struct {
	*ui
	keys    KeyMap
	src     *sources
	t       yamlTarget
	lines   []string // t.File's lines, nil when it is not loaded
	at      any      // the position on screen, for the scrolling
	scroll  scroller
	focused bool
	w, h    int
}

func newYAMLPane(u *ui, keys KeyMap, src *sources) *yamlPane {
	return &yamlPane{ui: u, keys: keys, src: src, scroll: newScroller(keys)}
}

// SetTarget centres the pane on t; at identifies the position on screen (a new one resets the
// scrolling). The file's lines are read from the sources here, not while drawing.
func (p *yamlPane) SetTarget(t yamlTarget, at any) {
	p.t, p.at = t, at
	p.lines, _ = p.src.lines(t.File)
	p.layout()
}

func (p *yamlPane) SetFocus(f bool) { p.focused = f }

func (p *yamlPane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.layout()
}

// Scroll moves the pane by d rows.
func (p *yamlPane) Scroll(d int) { p.scroll.scroll(d) }

// layout tells the scrolling how many rows there are and where the target puts the view.
func (p *yamlPane) layout() {
	note := p.notes()
	p.scroll.set(len(p.lines)+len(note), p.h-1, p.autoTop(len(note), p.h-1), p.at)
}

// KeyMap is what the pane answers with the focus.
func (p *yamlPane) KeyMap() []key.Binding {
	return []key.Binding{p.keys.Up, p.keys.Down, p.keys.PageUp, p.keys.PageDown}
}

// Update scrolls the pane.
func (p *yamlPane) Update(msg tea.Msg) (handled bool) { return p.scroll.update(msg) }

// View is a heading with file:line and the field, then the file around the target line. Only
// the rows on screen are rendered: a dump's file has tens of thousands of lines.
func (p *yamlPane) View() string {
	t, lines, w, h := p.t, p.lines, p.w, p.h
	about := model.Escape(filepath.Base(t.File))
	if t.Line > 0 {
		about += ":" + strconv.Itoa(t.Line)
	}
	// the field path gives way from the left, so the note (why this line) survives
	status := ""
	if t.Note != "" {
		status = " " + p.txt(t.Note)
	}
	room := w - ansi.StringWidth(p.paneHeading("YAML", about, p.focused, 0)) - 1 - ansi.StringWidth(status)
	if f := shortPath(model.Escape(t.Field), room); f != "" {
		about += " " + p.txt(f)
	}
	about += status
	out := []string{p.paneHeading("YAML", about, p.focused, w)}
	if lines == nil {
		out = append(out, pad(p.margin()+p.tr("(the source of this hop is not loaded)"), w))
		return strings.Join(fitRows(out, w, h), "\n")
	}
	note := p.notes()
	n := len(lines) + len(note)
	top := p.scroll.top()
	for i := top; i < n && len(out) < h; i++ {
		out = append(out, p.row(note, i))
	}
	return strings.Join(fitRows(out, w, h), "\n")
}

// autoTop is the first body row shown when the pane is not scrolled by hand: the target line a
// third of the way down, moved so that the cause line stays in view too. When both do not fit,
// a marked target — the line that decides the hop, the one the heading names — stays in view
// (at the top, its notes under it) and the cause gives way; an unmarked one (no field
// decides: the Service's first line) gives way to the cause. body is the rows there are, notes
// the rows under the target.
func (p *yamlPane) autoTop(notes, body int) int {
	top := p.causeTop(notes, body)
	if tl := p.t.Line - 1; p.t.Mark && tl >= 0 && (tl < top || tl >= top+body) {
		return tl
	}
	return top
}

// causeTop is autoTop without the marked target's claim: the cause first when both do not fit.
func (p *yamlPane) causeTop(notes, body int) int {
	t := p.t
	top := max(t.Line-1, 0) - body/3
	if t.Cause <= 0 || t.Cause == t.Line {
		return top
	}
	row := t.Cause - 1
	if t.Cause > t.Line {
		row += notes
	}
	switch {
	case row < top:
		top = row - 1
	case row >= top+body:
		top = row - body + 2 // a line of context under the cause
		if t.Line-1 < top && row-(t.Line-1) < body {
			top = t.Line - 1 // both fit, without the context: the target at the top
		}
	}
	return top
}

// notes are the rows under the target line: the left-out field, the second line that decides
// with it, the diagnostic.
func (p *yamlPane) notes() []string {
	t, lines, w := p.t, p.lines, p.w
	if t.Line <= 0 || t.Line > len(lines) {
		return nil
	}
	var note []string
	if t.Ghost != "" {
		note = append(note, p.ghostRow())
	}
	if t.Also != "" {
		ind := strings.Repeat(" ", len(p.margin())+len(strconv.Itoa(len(lines)))+1) // at the text's left edge: it must fit
		note = append(note, p.theme.Dim.Render(p.fit(ind+p.txt(t.Also), w)))
	}
	if t.Diag != nil {
		note = append(note, p.diagNote(len(strconv.Itoa(len(lines)))+2+len(p.margin()))...)
	}
	return p.fitNotes(note)
}

// fitNotes cuts the notes under a marked target so that the cause line below it stays in view
// with it (the line that decides and the line that explains, both in sight on a short pane):
// the last row kept says "…"; the whole diagnostic is on the view line under the narration
// and in the diagnostics pane. Notes that leave room, or a cause too far away to be shown
// with the target anyway, are kept whole.
func (p *yamlPane) fitNotes(note []string) []string {
	t, body := p.t, p.h-1
	span := t.Cause - t.Line + 1 // the target, the lines between, the cause
	if !t.Mark || t.Cause <= t.Line || span > body || span+len(note) <= body {
		return note
	}
	keep := body - span
	note = note[:keep]
	if keep >= 2 {
		ind := strings.Repeat(" ", len(strconv.Itoa(len(p.lines)))+2+len(p.margin()))
		note[keep-1] = p.theme.Dim.Render(pad(ind+p.txt("…"), p.w))
	}
	return note
}

// row is row i of the pane's body: the numbered lines, with the notes after the target line.
func (p *yamlPane) row(note []string, i int) string {
	t, lines := p.t, p.lines
	if len(note) > 0 && i >= t.Line {
		if i < t.Line+len(note) {
			return note[i-t.Line]
		}
		i -= len(note)
	}
	n := i + 1
	mark := " "
	marked := t.Mark && n == t.Line && t.Ghost == ""
	cause := n == t.Cause && !marked
	switch {
	case marked:
		mark = p.txt("▸")
	case cause:
		mark = p.txt("✗")
	}
	s := pad(p.margin()[1:]+mark+fmt.Sprintf("%*d ", len(strconv.Itoa(len(lines))), n)+lines[i], p.w)
	switch {
	case marked:
		s = p.theme.Selected.Render(s)
	case cause:
		s = p.theme.Bad.Render(s)
	}
	return s
}

// ghostRow is the left-out field under its ancestor's line: no line number, the field's
// indentation, highlighted as the line that decides.
func (p *yamlPane) ghostRow() string {
	t, lines := p.t, p.lines
	ind := strings.Repeat(" ", childIndent(lines, t.Line-1))
	num := strings.Repeat(" ", len(strconv.Itoa(len(lines)))+1)
	s := p.fit(p.margin()[1:]+p.txt("▸")+num+ind+t.Ghost, p.w)
	if t.Mark {
		return p.theme.Selected.Render(s)
	}
	return p.theme.Dim.Render(s)
}

// childIndent is the indentation of a child of line i: past the "- " of a list item, else
// that of the next more-indented line, else two more than line i's.
func childIndent(lines []string, i int) int {
	l := lines[i]
	ind := len(l) - len(strings.TrimLeft(l, " "))
	if rest := l[ind:]; strings.HasPrefix(rest, "- ") {
		return ind + 2 + len(rest[2:]) - len(strings.TrimLeft(rest[2:], " "))
	}
	for _, n := range lines[i+1:] {
		if strings.TrimSpace(n) == "" || strings.HasPrefix(strings.TrimSpace(n), "#") {
			continue
		}
		if ni := len(n) - len(strings.TrimLeft(n, " ")); ni > ind {
			return ni
		}
		break
	}
	return ind + 2
}

// diagNote is the target's diagnostic set under its line, indented.
func (p *yamlPane) diagNote(indent int) []string {
	d, w := p.t.Diag, p.w
	ind := strings.Repeat(" ", indent)
	text := p.txt("▲ ") + string(d.Severity) + " " + d.Code + ": " + model.Escape(d.MessageIn(p.lang))
	var out []string
	for _, l := range wrapText(text, w-indent, "  ") {
		out = append(out, p.sevStyle(d.Severity).Render(pad(ind+l, w)))
	}
	if h := d.HintIn(p.lang); h != "" {
		for _, l := range wrapText(p.tr("hint:")+" "+model.Escape(h), w-indent-2, "  ") {
			out = append(out, pad(ind+"  "+l, w))
		}
	}
	return out
}

// shortPath shortens a field path from the left to w cells, at a dot where it can:
// "…containers[0].ports[0].containerPort".
func shortPath(p string, w int) string {
	if ansi.StringWidth(p) <= w {
		return p
	}
	if w < 2 {
		return ""
	}
	rest := p
	for {
		_, after, ok := strings.Cut(rest, ".")
		if !ok {
			break
		}
		rest = after
		if ansi.StringWidth(rest)+1 <= w {
			return "…" + rest
		}
	}
	return "" // not even the last name fits: the note says more
}
