package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"github.com/svcviz/svcviz/model"
)

// diagRows is the diagnostics pane: what `svcviz check` reports, each as
// "file:line: severity code: message" with its hint; enter shows the line in the YAML pane.
func (m *Model) diagRows(w, h int) []string {
	ds := m.sim.Diagnostics
	sum := m.diagSummary(ds)
	out := []string{m.paneHeadingFit(m.tr("Diagnostics"), []string{sum + "  " + m.tr("(enter: show in YAML, d: close)"),
		sum + "  " + m.tr("(d: close)"), sum}, w)}
	if len(ds) == 0 {
		return fitRows(append(out, m.margin()+m.tr("svcviz check finds nothing to report.")), w, h)
	}
	items, rows := m.diagItems(ds, w)
	first := diagWindow(items, len(rows), m.diagSel, h-1)
	for _, l := range rows[items[first]:] {
		if len(out) == h {
			break
		}
		out = append(out, l)
	}
	return fitRows(out, w, h)
}

// diagItems renders every diagnostic; items[i] is the first row of diagnostic i.
func (m *Model) diagItems(ds []model.Diagnostic, w int) (items []int, rows []string) {
	g := m.margin()
	for i := range ds {
		d := &ds[i]
		items = append(items, len(rows))
		mark := "  "
		if i == m.diagSel {
			mark = m.txt("▸ ")
		}
		text := model.Escape(d.Location()) + ": " + string(d.Severity) + " " + d.Code + ": " + model.Escape(d.Message)
		lines := wrapText(text, w-len(g)-1, "  ")
		if d.Hint != "" {
			lines = append(lines, wrapText("  "+m.tr("hint:")+" "+model.Escape(d.Hint), w-len(g)-1, "        ")...)
		}
		for k, l := range lines {
			row := pad(g[1:]+mark+l, w)
			mark = "  "
			switch {
			case i == m.diagSel && m.focus == focusPane:
				row = m.theme.Selected.Render(row)
			case k == 0:
				row = m.sevStyle(d.Severity).Render(row)
			}
			rows = append(rows, row)
		}
	}
	return items, rows
}

// diagWindow is the first diagnostic shown: from the top while the selected one fits in h rows
// (total rows in all), else as few above it as it takes.
func diagWindow(items []int, total, sel, h int) int {
	end := total
	if sel+1 < len(items) {
		end = items[sel+1]
	}
	first := 0
	for first < sel && end-items[first] > h {
		first++
	}
	return first
}

func (m *Model) diagSummary(ds []model.Diagnostic) string {
	n := map[model.Severity]int{}
	for _, d := range ds {
		n[d.Severity]++
	}
	var parts []string
	for _, s := range []model.Severity{model.Error, model.Warning, model.Info} {
		switch {
		case n[s] == 0:
		case s == model.Info || m.opts.Lang != "en" && m.opts.Lang != "":
			parts = append(parts, m.tr("{0} "+string(s), strconv.Itoa(n[s]))) // "3 info" has no plural
		default:
			parts = append(parts, plural(n[s], string(s)))
		}
	}
	if len(parts) == 0 {
		return m.tr("none")
	}
	return strings.Join(parts, ", ")
}

// sevStyle colours a severity: errors red, warnings in the edge colour, info dim.
func (m *Model) sevStyle(s model.Severity) lipgloss.Style {
	switch s {
	case model.Error:
		return m.theme.Bad
	case model.Warning:
		return m.theme.Warn
	}
	return m.theme.Dim
}

// selectDiag shows diagnostic i's line in the YAML pane.
func (m *Model) selectDiag(i int) {
	ds := m.sim.Diagnostics
	if i < 0 || i >= len(ds) {
		return
	}
	m.diagSel = i
	m.pinYAML(diagTarget(&ds[i]))
	if m.bandHeight() == 0 {
		m.overlay = true
	}
}

// svcMark is the mark a Service's diagnostics earn: "✗" for an error, "!" for a warning.
func (m *Model) svcMark(ref string) (string, bool) {
	mark, bad := "", false
	for _, d := range m.sim.Diagnostics {
		if d.Object != ref {
			continue
		}
		switch d.Severity {
		case model.Error:
			return "✗", true
		case model.Warning:
			mark = "!"
		}
	}
	return mark, bad
}
