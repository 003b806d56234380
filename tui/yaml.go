package tui

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// yamlTarget is the source line the YAML pane centres on.
type yamlTarget struct {
	File, Field string
	Line        int
	Note        string            // said in the heading: why this line, or why none
	Diag        *model.Diagnostic // shown under the line, as an editor shows a finding
	Mark        bool              // the line decides the hop: highlight it
	// Ghost is a field the file leaves out, shown dimmed under Line (its nearest written
	// ancestor) at its indentation with the value that decides: "nodePort: 30000   # allocated".
	// It is highlighted in place of the ancestor.
	Ghost string
	// Also is a dim line under the target that points at a second line deciding with it: the
	// container port a named targetPort resolves to.
	Also string
}

// yamlPin holds the YAML pane on a chosen line (a diagnostic, a clicked Service) until the
// packet moves on.
type yamlPin struct {
	tr  *netsim.Trace
	cur int
	t   yamlTarget
}

func (m *Model) pinYAML(t yamlTarget) {
	m.pin = &yamlPin{tr: m.trace, cur: m.cur, t: t}
	m.pane = paneYAML
}

// yamlTarget is the field that decides the hop on screen, else the Service's definition.
func (m *Model) yamlTarget() yamlTarget {
	if p := m.pin; p != nil && p.tr == m.trace && p.cur == m.cur {
		return p.t
	}
	h := m.hop()
	if h.Pos.Line > 0 {
		t := yamlTarget{File: h.Pos.File, Line: h.Pos.Line, Field: h.Field, Diag: h.Diagnostic, Mark: true}
		t.Also = m.namedPortNote(h)
		if h.Defaulted {
			t.Note = m.tr("(not written: the default decides; its parent is here)")
			if g, alloc := m.ghost(h); g != "" {
				t.Ghost, t.Note = g, m.tr("(default)")
				if alloc {
					t.Note = m.tr("(allocated)")
				}
			}
		}
		return t
	}
	svc := m.trace.Service.Svc
	return yamlTarget{File: svc.File, Line: svc.Line, Diag: h.Diagnostic,
		Note: m.tr("(no field decides hop {0})", strconv.Itoa(m.cur+1))}
}

// diagTarget points the YAML pane at a diagnostic.
func diagTarget(d *model.Diagnostic) yamlTarget {
	return yamlTarget{File: d.File, Line: d.Line, Field: d.Field, Diag: d, Mark: d.Line > 0}
}

// sourceLines is a loaded file split into lines, tabs expanded and control characters escaped
// (a manifest must not be able to move the cursor or ring the bell), cached per file.
func (m *Model) sourceLines(file string) ([]string, bool) {
	if ls, ok := m.srcLines[file]; ok {
		return ls, ls != nil
	}
	var lines []string
	if src := m.findSource(file); src != nil {
		raw := strings.Split(strings.TrimSuffix(string(src.Data), "\n"), "\n")
		lines = make([]string, len(raw))
		for i, l := range raw {
			lines[i] = model.Escape(expandTabs(strings.TrimSuffix(l, "\r")))
		}
	}
	m.srcLines[file] = lines
	return lines, lines != nil
}

func (m *Model) findSource(file string) *model.Source {
	for _, s := range m.sources {
		if s.Name == file {
			return s
		}
	}
	for _, s := range m.sources { // a path spelt differently: match the base name
		if file != "" && filepath.Base(s.Name) == filepath.Base(file) {
			return s
		}
	}
	return nil
}

func expandTabs(s string) string {
	if !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r == '\t' {
			b.WriteString(strings.Repeat(" ", 8-b.Len()%8))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// yamlRows renders the YAML pane: a heading with file:line and the field, then the file with
// line numbers around the target line, which is marked, with its diagnostic under it.
func (m *Model) yamlRows(w, h int) []string {
	t := m.yamlTarget()
	lines, ok := m.sourceLines(t.File)
	about := model.Escape(filepath.Base(t.File))
	if t.Line > 0 {
		about += ":" + strconv.Itoa(t.Line)
	}
	// the field path gives way from the left, so the note (why this line) survives
	status := ""
	if t.Note != "" {
		status = " " + m.txt(t.Note)
	}
	room := w - ansi.StringWidth(m.paneHeading("YAML", about, 0)) - 1 - ansi.StringWidth(status)
	if f := shortPath(model.Escape(t.Field), room); f != "" {
		about += " " + m.txt(f)
	}
	about += status
	out := []string{m.paneHeading("YAML", about, w)}
	if !ok {
		out = append(out, pad(m.margin()+m.tr("(the source of this hop is not loaded)"), w))
		return fitRows(out, w, h)
	}
	// Only the rows on screen are rendered: a dump's file has tens of thousands of lines.
	var note []string
	if t.Ghost != "" && t.Line > 0 && t.Line <= len(lines) {
		note = append(note, m.ghostRow(lines, t, w))
	}
	if t.Also != "" && t.Line > 0 && t.Line <= len(lines) {
		ind := strings.Repeat(" ", len(m.margin())+len(strconv.Itoa(len(lines)))+1) // at the text's left edge: it must fit
		note = append(note, m.theme.Dim.Render(m.fit(ind+m.txt(t.Also), w)))
	}
	if t.Diag != nil && t.Line > 0 && t.Line <= len(lines) {
		note = append(note, m.diagNote(t.Diag, len(strconv.Itoa(len(lines)))+2+len(m.margin()), w)...)
	}
	n := len(lines) + len(note)
	top := scrolled(max(t.Line-1, 0)-(h-1)/3, m.scrollOf().yaml, n, h-1)
	for i := top; i < n && len(out) < h; i++ {
		out = append(out, m.yamlRow(lines, note, t, i, w))
	}
	return fitRows(out, w, h)
}

// yamlRow is row i of the pane's body: the numbered lines, with the diagnostic's rows (note)
// after the target line.
func (m *Model) yamlRow(lines, note []string, t yamlTarget, i, w int) string {
	if len(note) > 0 && i >= t.Line {
		if i < t.Line+len(note) {
			return note[i-t.Line]
		}
		i -= len(note)
	}
	n := i + 1
	mark := " "
	marked := t.Mark && n == t.Line && t.Ghost == ""
	if marked {
		mark = m.txt("▸")
	}
	s := pad(m.margin()[1:]+mark+fmt.Sprintf("%*d ", len(strconv.Itoa(len(lines))), n)+lines[i], w)
	if marked {
		s = m.theme.Selected.Render(s)
	}
	return s
}

// ghostRow is the left-out field under its ancestor's line: no line number, the field's
// indentation, highlighted as the line that decides.
func (m *Model) ghostRow(lines []string, t yamlTarget, w int) string {
	ind := strings.Repeat(" ", childIndent(lines, t.Line-1))
	num := strings.Repeat(" ", len(strconv.Itoa(len(lines)))+1)
	s := m.fit(m.margin()[1:]+m.txt("▸")+num+ind+t.Ghost, w)
	if t.Mark {
		return m.theme.Selected.Render(s)
	}
	return m.theme.Dim.Render(s)
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

// namedPortNote points from a named targetPort to the container port it resolved to:
// "→ line 34: name: http = containerPort 8080"; "" for other hops.
func (m *Model) namedPortNote(h *netsim.Hop) string {
	ep, sp := m.trace.Endpoint, m.trace.Port
	if ep == nil || sp == nil || !ep.Named || ep.Pod == nil || ep.PortField == "" || h.Action != netsim.ActDNAT {
		return ""
	}
	pos := ep.Pod.FieldPos(ep.PortField + ".name")
	if pos.Line <= 0 {
		return ""
	}
	where := m.tr("line {0}", strconv.Itoa(pos.Line))
	if filepath.Base(pos.File) != filepath.Base(h.Pos.File) {
		where = model.Escape(filepath.Base(pos.File)) + ":" + strconv.Itoa(pos.Line)
	}
	return "→ " + where + ": name: " + model.Escape(sp.TargetPort.StrVal) + " = containerPort " + strconv.Itoa(int(ep.Port))
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

// ghost is the line a defaulted field would have, with the value that decided the hop (netsim
// says it); "" when svcviz does not know the value.
func (m *Model) ghost(h *netsim.Hop) (line string, allocated bool) {
	if h.Value == "" {
		return "", false
	}
	comment := m.tr("# default, not in the file")
	if h.Allocated {
		comment = m.tr("# allocated")
	}
	return model.Escape(h.FieldKey() + ": " + h.Value + "   " + comment), h.Allocated
}

// diagNote is a diagnostic set under the line it is about.
func (m *Model) diagNote(d *model.Diagnostic, indent, w int) []string {
	ind := strings.Repeat(" ", indent)
	text := m.txt("▲ ") + string(d.Severity) + " " + d.Code + ": " + model.Escape(d.Message)
	var out []string
	for _, l := range wrapText(text, w-indent, "  ") {
		out = append(out, m.sevStyle(d.Severity).Render(pad(ind+l, w)))
	}
	if d.Hint != "" {
		for _, l := range wrapText(m.tr("hint:")+" "+model.Escape(d.Hint), w-indent-2, "  ") {
			out = append(out, pad(ind+"  "+l, w))
		}
	}
	return out
}

// margin is the panes' left margin: wider in the projector theme.
func (m *Model) margin() string { return strings.Repeat(" ", m.theme.Gap) }

// scrolled is the first row shown of n: auto (kept in range), then moved by hand by off.
func scrolled(auto, off, n, h int) int {
	last := max(n-h, 0)
	return min(max(min(max(auto, 0), last)+off, 0), last)
}
