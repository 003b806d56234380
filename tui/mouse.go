package tui

import (
	tea "github.com/charmbracelet/bubbletea"
)

// onMouse routes a mouse message by where it is: the picker, the right column's lists, the
// detail band, or the diagram. The wheel scrolls the pane under it or the diagram; a click on
// an event jumps there, on a Service traces it, on a Pod sends the packet to that Pod.
func (m *App) onMouse(msg tea.MouseMsg) tea.Cmd {
	row := msg.Y - 1 // the header is row 0
	if m.mode == modePick {
		local := msg
		local.Y = row
		return m.onPick(m.pick.Update(local))
	}
	inBand := m.inBand(msg.X, row)
	switch {
	case msg.Button == tea.MouseButtonWheelUp || msg.Button == tea.MouseButtonWheelDown:
		d := 2
		if msg.Button == tea.MouseButtonWheelUp {
			d = -2
		}
		if inBand {
			m.scrollPane(d / 2)
		} else {
			m.scroll(d)
		}
	case msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft || m.mode != modeNormal:
	case msg.X > m.diagramWidth() || m.listsOverlay():
		return m.clickLists(msg.X, row)
	case inBand:
		m.clickBand(row)
	default:
		return m.clickDiagram(msg.X+m.scrollX, row+m.scrollY)
	}
	return nil
}

// inBand reports whether a cell of the left area is in the detail band (or the pane open in
// place of the diagram).
func (m *App) inBand(x, row int) bool {
	if x > m.diagramWidth() || m.mode != modeNormal || row < 0 {
		return false
	}
	if m.bandHeight() == 0 {
		return m.overlay
	}
	return row >= m.diagramHeight()
}

// scrollPane scrolls the shown detail pane by d rows (the diagnostics move their selection).
func (m *App) scrollPane(d int) {
	switch m.pane {
	case paneYAML:
		m.yaml.Scroll(d)
	case paneRules:
		m.rules.Scroll(d)
	case paneDiags:
		m.diags.Select(m.diags.Selected() + d)
	}
}

// clickBand focuses the pane; in the diagnostics, a click on one shows its line.
func (m *App) clickBand(row int) {
	m.focus = focusPane
	if m.pane != paneDiags {
		return
	}
	top := 0
	if m.bandHeight() > 0 {
		top = m.diagramHeight()
	}
	if i, ok := m.diags.Click(row - top); ok {
		m.selectDiag(i)
	}
}

// clickLists: a click on a Service traces it, on an event jumps there.
func (m *App) clickLists(x, row int) tea.Cmd {
	if m.width < MinWidth || m.height < MinHeight {
		return nil
	}
	svcH, _ := m.listRows()
	inSvc, inEv := true, true
	evTop := svcH + 1
	if m.narrow() { // side by side
		inSvc, inEv, evTop = x < narrowListsW, x > narrowListsW, 0
	}
	if inSvc && row < svcH {
		if i, ok := m.services.Click(row); ok {
			m.focus = focusServices
			return m.retrace(m.serviceRequest(i))
		}
	}
	if inEv {
		if i, ok := m.events.Click(row - evTop); ok {
			m.focus = focusEvents
			m.jump(i)
		}
	}
	return nil
}
