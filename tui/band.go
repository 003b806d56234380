package tui

import (
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// The detail band under the diagram shows one pane: the YAML pane and the packet pane side by
// side (stacked when narrow), or the rules or the diagnostics across the band. On a terminal
// too short for the band the pane opens in place of the diagram.

// openPane shows a detail pane; asking again for the one on screen closes it (back to the YAML
// in the band, back to the diagram on a small terminal).
func (m *App) openPane(p paneKind) {
	if p == paneRules && m.noPacket() {
		m.msg = m.tr("no packet, so no rule of kube-proxy's matched")
		return
	}
	if m.pane == p && m.paneShown() {
		m.closePane()
		return
	}
	m.pane, m.overlay = p, m.bandHeight() == 0
	if p != paneYAML {
		m.focus = focusPane // opening a pane is to use it: its keys work at once
	}
}

func (m *App) closePane() {
	m.pane, m.overlay = paneYAML, false
	if m.focus == focusPane {
		m.focus = focusDiagram
	}
}

// pinYAML holds the YAML pane on t until the packet moves on.
func (m *App) pinYAML(t yamlTarget) {
	m.pin = &yamlPin{tr: m.trace, cur: m.cur, t: t}
	m.pane = paneYAML
}

// diagnostics are what the diagnostics pane lists: the file's as it is now, also when an edit
// could not replace the picture; errors first, then warnings, then info, as the pane's heading
// counts them, each group in file and line order (netsim's).
func (m *App) diagnostics() []model.Diagnostic {
	ds := m.sim.Diagnostics
	if m.blocked != nil {
		ds = m.blocked
	}
	if c := &m.diagOrder; len(c.from) != len(ds) || len(ds) > 0 && &c.from[0] != &ds[0] {
		c.from, c.sorted = ds, bySeverity(ds)
	}
	return m.diagOrder.sorted
}

// diagOrder caches diagnostics' order for the slice it was computed from.
type diagOrder struct{ from, sorted []model.Diagnostic }

// bySeverity is ds in a new slice, errors first, then warnings, then info, keeping ds's order
// within each.
func bySeverity(ds []model.Diagnostic) []model.Diagnostic {
	out := make([]model.Diagnostic, 0, len(ds))
	for _, sev := range []model.Severity{model.Error, model.Warning, model.Info} {
		for _, d := range ds {
			if d.Severity == sev {
				out = append(out, d)
			}
		}
	}
	for _, d := range ds { // a severity of none of the three, kept rather than lost
		if d.Severity != model.Error && d.Severity != model.Warning && d.Severity != model.Info {
			out = append(out, d)
		}
	}
	return out
}

// showRefused shows why the API server would refuse Service si: its first error selected in the
// diagnostics, its line highlighted in the YAML pane.
func (m *App) showRefused(si *netsim.ServiceInfo) {
	for i, d := range m.diagnostics() {
		if d.Object == si.Svc.Ref() && d.Severity == model.Error {
			m.selectDiag(i)
			m.msg = m.tr("the API server would refuse Service {0}: its error is highlighted (d: all diagnostics)", model.Escape(si.Svc.Name))
			return
		}
	}
}

// selectDiag shows diagnostic i's line in the YAML pane.
func (m *App) selectDiag(i int) {
	ds := m.diagnostics()
	if i < 0 || i >= len(ds) {
		return
	}
	m.diags.Select(i)
	m.pinYAML(diagTarget(&ds[i]))
	if m.bandHeight() == 0 {
		m.overlay = true
	}
}

// bandSize is the band's size: under the diagram, or the whole left area when the pane is
// open in place of the diagram; 0×0 when no pane is shown.
func (m *App) bandSize() (w, h int) {
	switch bh := m.bandHeight(); {
	case bh > 0:
		return m.diagramWidth(), bh
	case m.overlay:
		return m.diagramWidth(), m.areaHeight()
	}
	return 0, 0
}

// sizeBand gives the band's panes their sizes: the YAML pane beside (or under) the packet.
func (m *App) sizeBand() {
	w, h := m.bandSize()
	m.rules.SetSize(w, h)
	m.diags.SetSize(w, h)
	pw := m.packetWidth(w)
	if w >= sideBySide {
		m.packet.SetSize(pw, h)
		m.yaml.SetSize(w-pw-1, h)
		return
	}
	ph := min(len(m.packet.lines()), h/2)
	m.packet.SetSize(w, ph)
	m.yaml.SetSize(w, h-ph)
}

func (m *App) packetWidth(bandW int) int {
	if bandW < sideBySide {
		return bandW
	}
	return packetW + m.theme.Gap - 1
}

// bandRows draws the band.
func (m *App) bandRows() []string {
	w, h := m.bandSize()
	switch m.pane {
	case paneRules:
		return rows(m.rules.View())
	case paneDiags:
		return rows(m.diags.View())
	}
	pk := m.packet.lines()
	if w >= sideBySide {
		ys := rows(m.yaml.View())
		ps := fitRows(pk, m.packet.w, h)
		sep := m.theme.Dim.Render(string(m.glyphs.Lines[3]))
		out := make([]string, h)
		for i := range out {
			out[i] = ys[i] + sep + ps[i]
		}
		return out
	}
	ph := min(m.packet.h, len(pk))
	return append(fitRows(pk[:ph], w, ph), rows(m.yaml.View())...)
}
