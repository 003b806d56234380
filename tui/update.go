package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/svcviz/svcviz/netsim"
)

// Update handles one message. It does no I/O and never sleeps: time passes only through the
// frame command it returns while playing.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = msg.Width
		m.keepPacketVisible()
		return m, nil
	case frameMsg:
		cmd := m.onFrame(msg)
		m.keepPacketVisible()
		return m, cmd
	case tea.MouseMsg:
		return m, m.onMouse(msg)
	case tea.KeyMsg:
		cmd := m.onKey(msg)
		m.keepPacketVisible()
		return m, cmd
	}
	return m, nil
}

func (m *Model) onKey(msg tea.KeyMsg) tea.Cmd {
	if msg.String() == "ctrl+c" || (key.Matches(msg, m.keys.Quit) && m.mode != modePick) {
		m.pause()
		return tea.Quit
	}
	switch m.mode {
	case modeHelp:
		if key.Matches(msg, m.keys.Help, m.keys.Back) {
			m.mode = modeNormal
		}
		return nil
	case modePick:
		return m.onPickKey(msg)
	}
	if m.focus != focusDiagram && m.onListKey(msg) {
		return nil
	}
	return m.onMainKey(msg)
}

func (m *Model) onMainKey(msg tea.KeyMsg) tea.Cmd {
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
	case key.Matches(msg, k.Again):
		r := m.req
		r.Seed++
		r.Endpoint = -1 // a new random choice: load balancing is the point of sending again
		return m.retrace(r)
	case key.Matches(msg, k.Service):
		m.openPicker(servicePicker(m.sim, m.trace))
	case key.Matches(msg, k.Origin):
		m.openPicker(originPicker(m.sim, m.trace))
	case key.Matches(msg, k.Focus):
		m.focus = (m.focus + 1) % 3
	case key.Matches(msg, k.PageUp):
		m.scroll(-m.diagramHeight() / 2)
	case key.Matches(msg, k.PageDown):
		m.scroll(m.diagramHeight() / 2)
	case key.Matches(msg, k.Back):
		m.focus = focusDiagram
	}
	return nil
}

// onListKey moves in the focused list; enter jumps to the hop or traces the Service.
func (m *Model) onListKey(msg tea.KeyMsg) bool {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		m.moveList(-1)
	case key.Matches(msg, k.Down):
		m.moveList(1)
	case key.Matches(msg, k.Select):
		if m.focus == focusEvents {
			m.jump(m.evSel)
		} else {
			m.retrace(m.serviceRequest(m.svcSel))
		}
	default:
		return false
	}
	return true
}

func (m *Model) moveList(d int) {
	if m.focus == focusEvents {
		m.evSel = min(max(m.evSel+d, 0), len(m.steps)-1)
		return
	}
	m.svcSel = min(max(m.svcSel+d, 0), len(m.sim.Services)-1)
}

func (m *Model) serviceRequest(i int) (r netsim.Request) {
	r = m.req
	si := m.sim.Services[i]
	r.Service, r.Port, r.From, r.Via, r.DNSName = si.Svc.Namespace+"/"+si.Svc.Name, "", "", "", ""
	r.Endpoint = -1
	return r
}

func (m *Model) openPicker(p *picker) {
	m.pause()
	m.pick, m.mode = p, modePick
	p.move(0, m.pickRows())
}

func (m *Model) pickRows() int { return max(m.diagramHeight()-2, 1) }

func (m *Model) onPickKey(msg tea.KeyMsg) tea.Cmd {
	k, p, rows := m.keys, m.pick, m.pickRows()
	switch {
	case key.Matches(msg, k.Back), key.Matches(msg, k.Quit):
		m.mode = modeNormal
	case key.Matches(msg, k.Up):
		p.move(-1, rows)
	case key.Matches(msg, k.Down):
		p.move(1, rows)
	case key.Matches(msg, k.PageUp):
		p.move(-rows, rows)
	case key.Matches(msg, k.PageDown):
		p.move(rows, rows)
	case key.Matches(msg, k.Select):
		m.mode = modeNormal
		if len(p.items) > 0 {
			return m.retrace(p.items[p.sel].apply(m.req))
		}
	}
	return nil
}

// scroll moves the diagram's viewport by hand; the packet stops being followed until it moves.
func (m *Model) scroll(dy int) {
	maxY := max(m.diagram().c.H-m.diagramHeight(), 0)
	m.scrollY = min(max(m.scrollY+dy, 0), maxY)
	m.follow = false
}

// onMouse: a click on an event jumps there, on a Service traces it, on a Pod sends the
// packet to that Pod; the wheel scrolls the diagram.
func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		m.scroll(-2)
	case msg.Button == tea.MouseButtonWheelDown:
		m.scroll(2)
	case msg.Action != tea.MouseActionPress || msg.Button != tea.MouseButtonLeft || m.mode != modeNormal:
	case msg.X > m.diagramWidth():
		return m.clickPane(msg.Y - 1)
	default:
		return m.clickDiagram(msg.X+m.scrollX, msg.Y-1+m.scrollY)
	}
	return nil
}

func (m *Model) clickPane(row int) tea.Cmd {
	if m.width < MinWidth || m.height < MinHeight {
		return nil
	}
	panes := m.chrome() // the lists' scroll positions are the ones on screen
	svcTop, svcN, evTop, evN := m.paneRows()
	switch {
	case row > svcTop && row <= svcTop+svcN:
		i := panes.svcFirst + row - svcTop - 1
		if i < len(m.sim.Services) {
			m.focus, m.svcSel = focusServices, i
			return m.retrace(m.serviceRequest(i))
		}
	case row > evTop && row <= evTop+evN:
		i := panes.evFirst + row - evTop - 1
		if i < len(m.steps) {
			m.focus = focusEvents
			m.jump(i)
		}
	}
	return nil
}

func (m *Model) clickDiagram(x, y int) tea.Cmd {
	if m.trace.Port == nil {
		return nil
	}
	for _, pb := range m.diagram().l.Pods {
		if x < pb.X || x >= pb.Right() || y < pb.Y || y >= pb.Bottom() {
			continue
		}
		for i, ep := range m.trace.Port.Endpoints {
			if ep.Pod != nil && ep.Pod.Name == pb.Item.Name {
				r := m.req
				r.Endpoint = i
				return m.retrace(r)
			}
		}
	}
	return nil
}
