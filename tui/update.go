package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/svcviz/svcviz/netsim"
)

// Update handles one message: the global keys here, the focused child's keys in the child.
// It does no I/O and never sleeps: time passes only through the frame command it returns
// while playing. It ends by bringing the children and caches up to date for View (sync).
func (m *App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	var cmd tea.Cmd
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.settle()
	case frameMsg:
		cmd = m.onFrame(msg)
	case tea.MouseMsg:
		cmd = m.onMouse(msg)
		m.sync()
		return m, cmd // a click or the wheel leaves the viewport where the user put it
	case tea.KeyMsg:
		cmd = m.onKeys(msg)
	case reloadMsg:
		cmd = m.onReload(msg)
	default:
		return m, nil
	}
	m.keepPacketVisible()
	m.sync()
	return m, cmd
}

// onKeys handles a key message. Keys typed faster than the terminal is read arrive as one
// message of several runes ("lll", "++", "qq"); outside the picker's filter, where they are
// text, each rune counts as its own key. A quit ends the batch.
func (m *App) onKeys(msg tea.KeyMsg) tea.Cmd {
	if msg.Type != tea.KeyRunes || len(msg.Runes) < 2 || msg.Paste || m.mode == modePick {
		return m.onKey(msg)
	}
	var cmds []tea.Cmd
	for _, r := range msg.Runes {
		one := msg
		one.Runes = []rune{r}
		cmd := m.onKey(one)
		cmds = append(cmds, cmd)
		if m.quitting {
			return tea.Quit
		}
	}
	return tea.Batch(cmds...)
}

func (m *App) onKey(msg tea.KeyMsg) tea.Cmd {
	if msg.String() == "ctrl+c" || (key.Matches(msg, m.keys.Quit) && m.mode != modePick) {
		m.pause()
		m.quitting = true
		return tea.Quit
	}
	switch m.mode {
	case modeHelp:
		if key.Matches(msg, m.keys.Help, m.keys.Back) {
			m.mode = modeNormal
		}
		return nil
	case modePick:
		return m.onPick(m.pick.Update(msg))
	}
	switch m.focus {
	case focusPane:
		if m.onPaneKey(msg) {
			return nil
		}
	case focusEvents:
		if i, jump, handled := m.events.Update(msg); handled {
			if jump {
				m.jump(i)
			}
			return nil
		}
	case focusServices:
		if i, trace, handled := m.services.Update(msg); handled {
			if trace {
				return m.retrace(m.serviceRequest(i))
			}
			return nil
		}
	}
	return m.onGlobalKey(msg)
}

// onPaneKey gives a key to the detail pane on screen.
func (m *App) onPaneKey(msg tea.KeyMsg) bool {
	switch m.pane {
	case paneRules:
		return m.rules.Update(msg)
	case paneDiags:
		i, show, handled := m.diags.Update(msg)
		if show {
			m.selectDiag(i)
		}
		return handled
	}
	return m.yaml.Update(msg)
}

func (m *App) onGlobalKey(msg tea.KeyMsg) tea.Cmd {
	k := m.keys
	switch {
	case key.Matches(msg, k.Help):
		m.mode = modeHelp
	case key.Matches(msg, k.Play):
		return m.togglePlay()
	case key.Matches(msg, k.Next):
		m.jump(m.cur + 1)
	case key.Matches(msg, k.Prev):
		m.jump(m.cur - 1)
	case key.Matches(msg, k.Faster):
		m.changeSpeed(1)
	case key.Matches(msg, k.Slower):
		m.changeSpeed(-1)
	case key.Matches(msg, k.Restart):
		m.restart()
	case key.Matches(msg, k.Wire):
		m.toggleWire()
	case key.Matches(msg, k.Mode):
		// The same packet through the other kube-proxy mode's rules, so a class can compare.
		r := m.req
		r.Mode = netsim.ModeNFTables
		if m.req.Mode == netsim.ModeNFTables {
			r.Mode = netsim.ModeIPTables
		}
		return m.retraceSameHop(r)
	case key.Matches(msg, k.Again):
		r := m.req
		r.Seed++
		r.Endpoint = netsim.ChooseByRules() // a new random choice: load balancing is the point of sending again
		return m.retrace(r)
	case key.Matches(msg, k.Service):
		m.openPicker(servicePicker(m.ui, m.sim, m.trace))
	case key.Matches(msg, k.Origin):
		m.openPicker(originPicker(m.ui, m.sim, m.trace))
	case key.Matches(msg, k.Focus):
		m.cycleFocus()
	case key.Matches(msg, k.YAML):
		m.openPane(paneYAML)
	case key.Matches(msg, k.Rules):
		m.openPane(paneRules)
	case key.Matches(msg, k.Diags):
		m.openPane(paneDiags)
	case key.Matches(msg, k.PageUp):
		m.scroll(-m.diagramHeight() / 2)
	case key.Matches(msg, k.PageDown):
		m.scroll(m.diagramHeight() / 2)
	case key.Matches(msg, k.Back):
		if m.pane != paneYAML || m.overlay {
			m.closePane()
		} else {
			m.focus = focusDiagram
		}
	}
	return nil
}

// settle makes the state agree with what the screen can show after the size or the cluster
// changed: a pane opened in place of the diagram only where there is no band for it, the
// focus on something shown, the diagram's scrolling in range.
func (m *App) settle() {
	if m.width == 0 {
		return
	}
	if m.overlay && m.bandHeight() > 0 {
		m.overlay = false // the band shows the pane now
	}
	if m.focus == focusPane && !m.paneShown() {
		m.focus = focusDiagram
	}
	if m.scrollY > 0 || m.scrollX > 0 {
		d := m.diagram()
		m.scrollY = min(m.scrollY, max(d.Canvas.H-m.diagramHeight(), 0))
		m.scrollX = min(m.scrollX, max(d.Canvas.W-m.diagramWidth(), 0))
	}
}

// cycleFocus moves tab's focus: diagram, events, Services, then the detail pane when shown.
func (m *App) cycleFocus() {
	m.focus = (m.focus + 1) % 4
	if m.focus == focusPane && !m.paneShown() {
		m.focus = focusDiagram
	}
}

func (m *App) openPicker(p *picker) {
	m.pause()
	m.pick, m.mode = p, modePick
	p.SetSize(m.diagramWidth(), m.areaHeight())
}

// onPick acts on what the picker reports: a choice traces it; esc closes the picker.
func (m *App) onPick(c *choice, closed bool) tea.Cmd {
	if closed {
		m.mode = modeNormal
	}
	if c == nil {
		return nil
	}
	r := c.apply(m.req)
	if c.keepOrigin {
		r = m.keepOrigin(r)
	}
	return m.retrace(r)
}
