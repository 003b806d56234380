package tui

import "github.com/svcviz/svcviz/netsim"

// sync brings the children and the caches up to date with the root's state at the end of
// every Update (and of New): the chrome's line counts and the diagram for the size, the
// children's sizes, focus and data, and the diagram rows the viewport shows. View then only
// reads.
func (m *App) sync() {
	m.chromeLines()
	m.diagram()
	m.help.Width = m.diagramWidth()
	if m.width > 0 {
		w := m.listWidth()
		svcH, evH := m.listRows()
		if m.narrow() {
			m.services.SetSize(narrowListsW, svcH)
			m.events.SetSize(w-narrowListsW-1, evH)
		} else {
			m.services.SetSize(w, svcH)
			m.events.SetSize(w, evH)
		}
	}
	m.services.SetFocus(m.focus == focusServices)
	m.events.SetFocus(m.focus == focusEvents)
	m.events.SetCurrent(m.cur)
	if m.mode == modePick && m.pick != nil {
		m.pick.SetSize(m.diagramWidth(), m.areaHeight())
	}
	m.syncPanes()
	if m.width > 0 {
		m.renderRows()
	}
}

// syncPanes shows the hop on screen in the detail panes, at their sizes, the focused one
// marked.
func (m *App) syncPanes() {
	h := m.hop()
	at := paneAt{tr: m.trace, cur: m.cur, pin: m.pin}
	var t yamlTarget
	if h != nil {
		t = m.hopTarget(m.trace, h, m.cur+1)
	} else {
		svc := m.trace.Service.Svc
		t = yamlTarget{File: svc.File, Line: svc.Line}
	}
	pinned := false
	if p := m.pin; p != nil && p.tr == m.trace && p.cur == m.cur {
		t, pinned = p.t, true
	}
	if m.blocked != nil {
		// the pane shows the file as it is now: the hop's own line and notes are about the
		// last good text, so only a diagnostic of the current text (pinned) is marked
		if !pinned {
			t = yamlTarget{File: t.File, Line: t.Line}
		}
		t.Note = m.tr("(file now, picture last good)")
	}
	m.yaml.SetTarget(t, at)
	m.packet.SetHop(m.trace, m.steps, m.cur)
	if h != nil {
		m.rules.SetHop(m.sim, h, m.text(), m.cur+1, len(m.steps), at)
	}
	m.rules.SetMode(m.trace.Request.Mode)
	m.diags.SetDiagnostics(m.diagnostics())
	focused := m.focus == focusPane
	m.yaml.SetFocus(focused)
	m.rules.SetFocus(focused)
	m.diags.SetFocus(focused)
	m.sizeBand()
}

// paneAt is a position on screen the panes' scrolling holds for: the hop and the pinned line.
type paneAt struct {
	tr  *netsim.Trace
	cur int
	pin *yamlPin
}
