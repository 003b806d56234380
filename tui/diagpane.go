package tui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/svcviz/svcviz/model"
)

// diagPane is the diagnostics pane: what `svcviz check` reports, each as
// "file:line: severity code: message" with its hint. With the focus, ↑/↓ and the page keys
// move the selection and enter asks to show the selected one's line in the YAML pane.
type diagPane struct {
	*ui
	keys    KeyMap
	diags   []model.Diagnostic
	sel     int
	focused bool
	w, h    int
}

func newDiagPane(u *ui, keys KeyMap) *diagPane { return &diagPane{ui: u, keys: keys} }

// SetDiagnostics lists ds, keeping the selection in range.
func (p *diagPane) SetDiagnostics(ds []model.Diagnostic) {
	p.diags = ds
	p.Select(p.sel)
}

func (p *diagPane) Select(i int)     { p.sel = min(max(i, 0), max(len(p.diags)-1, 0)) }
func (p *diagPane) Selected() int    { return p.sel }
func (p *diagPane) SetFocus(f bool)  { p.focused = f }
func (p *diagPane) SetSize(w, h int) { p.w, p.h = w, h }

// KeyMap is what the pane answers with the focus.
func (p *diagPane) KeyMap() []key.Binding {
	return []key.Binding{p.keys.Up, p.keys.Down, p.keys.PageUp, p.keys.PageDown, p.keys.Select}
}

// Update moves the selection by a row or a page; enter reports the diagnostic to show.
func (p *diagPane) Update(msg tea.Msg) (show int, ok, handled bool) {
	k, isKey := msg.(tea.KeyMsg)
	if !isKey {
		return 0, false, false
	}
	page := max(p.h/2, 1)
	switch {
	case key.Matches(k, p.keys.Up):
		p.Select(p.sel - 1)
	case key.Matches(k, p.keys.Down):
		p.Select(p.sel + 1)
	case key.Matches(k, p.keys.PageUp):
		p.Select(p.sel - page)
	case key.Matches(k, p.keys.PageDown):
		p.Select(p.sel + page)
	case key.Matches(k, p.keys.Select):
		return p.sel, len(p.diags) > 0, true
	default:
		return 0, false, false
	}
	return 0, false, true
}

// Click is a click on row y of the pane (0 is the heading): the diagnostic there, if any.
func (p *diagPane) Click(y int) (int, bool) {
	items, rows := p.items()
	if len(items) == 0 || y < 1 {
		return 0, false
	}
	r := y - 1 + items[diagWindow(items, len(rows), p.sel, p.h-1)]
	for i := len(items) - 1; i >= 0; i-- {
		if r >= items[i] {
			p.sel = i
			return i, true
		}
	}
	return 0, false
}

// View is the heading, then the diagnostics from the one that keeps the selection in view.
func (p *diagPane) View() string {
	sum := p.summary()
	out := []string{p.paneHeadingFit(p.tr("Diagnostics"), []string{sum + "  " + p.tr("(enter: show in YAML, d: close)"),
		sum + "  " + p.tr("(d: close)"), sum}, p.focused, p.w)}
	if len(p.diags) == 0 {
		return strings.Join(fitRows(append(out, p.margin()+p.tr("svcviz check finds nothing to report.")), p.w, p.h), "\n")
	}
	items, rows := p.items()
	first := diagWindow(items, len(rows), p.sel, p.h-1)
	for _, l := range rows[items[first]:] {
		if len(out) == p.h {
			break
		}
		out = append(out, l)
	}
	return strings.Join(fitRows(out, p.w, p.h), "\n")
}

// items renders every diagnostic; items[i] is the first row of diagnostic i.
func (p *diagPane) items() (items []int, rows []string) {
	g := p.margin()
	for i := range p.diags {
		d := &p.diags[i]
		items = append(items, len(rows))
		mark := "  "
		if i == p.sel {
			mark = p.txt("▸ ")
		}
		lines := wrapText(diagLine(d, p.lang), p.w-len(g)-1, "  ")
		if h := d.HintIn(p.lang); h != "" {
			lines = append(lines, wrapText("  "+p.tr("hint:")+" "+model.Escape(h), p.w-len(g)-1, "        ")...)
		}
		for k, l := range lines {
			row := pad(g[1:]+mark+l, p.w)
			mark = "  "
			switch {
			case i == p.sel && p.focused:
				row = p.theme.Selected.Render(row)
			case k == 0:
				row = p.sevStyle(d.Severity).Render(row)
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

// summary counts the diagnostics by severity: "1 error, 2 warnings".
func (p *diagPane) summary() string {
	n := map[model.Severity]int{}
	for _, d := range p.diags {
		n[d.Severity]++
	}
	var parts []string
	for _, s := range []model.Severity{model.Error, model.Warning, model.Info} {
		switch {
		case n[s] == 0:
		case s == model.Info || p.lang != "en":
			parts = append(parts, p.tr("{0} "+string(s), strconv.Itoa(n[s]))) // "3 info" has no plural
		default:
			parts = append(parts, plural(n[s], string(s)))
		}
	}
	if len(parts) == 0 {
		return p.tr("none")
	}
	return strings.Join(parts, ", ")
}
