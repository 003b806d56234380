package tui

import (
	"strings"

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
		m.settle()
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
	case reloadMsg:
		cmd := m.onReload(msg)
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
	if m.focus == focusPane && m.onPaneKey(msg) {
		return nil
	}
	if (m.focus == focusEvents || m.focus == focusServices) && m.onListKey(msg) {
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
		r.Endpoint = netsim.ChooseByRules() // a new random choice: load balancing is the point of sending again
		return m.retrace(r)
	case key.Matches(msg, k.Service):
		m.openPicker(servicePicker(m.sim, m.trace, m.tr))
	case key.Matches(msg, k.Origin):
		m.openPicker(originPicker(m.sim, m.trace, m.tr))
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
// changed: the lists' selections in range, a pane opened in place of the diagram only where
// there is no band for it, the focus on something shown, the picker's window in range.
func (m *Model) settle() {
	m.evSel = min(max(m.evSel, 0), max(len(m.steps)-1, 0))
	m.svcSel = min(max(m.svcSel, 0), max(len(m.sim.Services)-1, 0))
	m.diagSel = min(max(m.diagSel, 0), max(len(m.sim.Diagnostics)-1, 0))
	if m.width == 0 {
		return
	}
	if m.overlay && m.bandHeight() > 0 {
		m.overlay = false // the band shows the pane now
	}
	if m.focus == focusPane && !m.paneShown() {
		m.focus = focusDiagram
	}
	if m.mode == modePick && m.pick != nil {
		m.pick.move(0, m.pickRows())
	}
	if m.scrollY > 0 || m.scrollX > 0 {
		d := m.diagram()
		m.scrollY = min(m.scrollY, max(d.c.H-m.diagramHeight(), 0))
		m.scrollX = min(m.scrollX, max(d.c.W-m.diagramWidth(), 0))
	}
}

// cycleFocus moves tab's focus: diagram, events, Services, then the detail pane when shown.
func (m *Model) cycleFocus() {
	m.focus = (m.focus + 1) % 4
	if m.focus == focusPane && !m.paneShown() {
		m.focus = focusDiagram
	}
}

// onPaneKey scrolls the focused detail pane; in the diagnostics, enter shows the line.
func (m *Model) onPaneKey(msg tea.KeyMsg) bool {
	k, page := m.keys, max(m.bandHeight(), m.areaHeight()/2)/2
	switch {
	case key.Matches(msg, k.Up):
		m.scrollPane(-1)
	case key.Matches(msg, k.Down):
		m.scrollPane(1)
	case key.Matches(msg, k.PageUp):
		m.scrollPane(-page)
	case key.Matches(msg, k.PageDown):
		m.scrollPane(page)
	case key.Matches(msg, k.Select) && m.pane == paneDiags:
		m.selectDiag(m.diagSel)
	default:
		return false
	}
	return true
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
	r.Service, r.Port, r.Via, r.DNSName = si.Svc.Namespace+"/"+si.Svc.Name, "", "", ""
	r.Endpoint = netsim.ChooseByRules()
	return m.keepOrigin(r)
}

// keepOrigin keeps the chosen origin of a request for another Service when netsim can trace
// it from there (a Pod of another namespace can still send to it), else lets netsim choose.
func (m *Model) keepOrigin(r netsim.Request) netsim.Request {
	if r.From == "" {
		return r
	}
	if _, err := m.sim.Trace(r); err != nil {
		r.From = ""
	}
	return r
}

func (m *Model) openPicker(p *picker) {
	m.pause()
	m.pick, m.mode = p, modePick
	p.move(0, m.pickRows())
}

// pickRows is how many entries the picker shows: the left area less its title and filter.
func (m *Model) pickRows() int { return max(m.areaHeight()-pickHead, 1) }

// onPickKey: the arrows and page keys move, enter chooses, printable keys filter (backspace
// and ctrl+u edit it), esc clears the filter and then closes.
func (m *Model) onPickKey(msg tea.KeyMsg) tea.Cmd {
	p, rows := m.pick, m.pickRows()
	switch msg.Type {
	case tea.KeyEsc:
		if p.filter != "" {
			p.setFilter("", rows)
		} else {
			m.mode = modeNormal
		}
	case tea.KeyUp, tea.KeyShiftTab:
		p.move(-1, rows)
	case tea.KeyDown, tea.KeyTab:
		p.move(1, rows)
	case tea.KeyPgUp:
		p.move(-rows, rows)
	case tea.KeyPgDown:
		p.move(rows, rows)
	case tea.KeyHome:
		p.move(-len(p.items), rows)
	case tea.KeyEnd:
		p.move(len(p.items), rows)
	case tea.KeyEnter:
		return m.choose()
	case tea.KeyBackspace:
		if r := []rune(p.filter); len(r) > 0 {
			p.setFilter(string(r[:len(r)-1]), rows)
		}
	case tea.KeyCtrlU:
		p.setFilter("", rows)
	case tea.KeyRunes, tea.KeySpace:
		if !msg.Paste || !strings.ContainsAny(string(msg.Runes), "\n\r") {
			p.setFilter(p.filter+string(msg.Runes), rows)
		}
	}
	return nil
}

// choose traces the picker's selected entry.
func (m *Model) choose() tea.Cmd {
	p := m.pick
	m.mode = modeNormal
	if p.sel < len(p.items) {
		r := p.items[p.sel].apply(m.req)
		if p.items[p.sel].keepOrigin {
			r = m.keepOrigin(r)
		}
		return m.retrace(r)
	}
	return nil
}

// onPickMouse: the wheel moves the selection, a click on an entry chooses it.
func (m *Model) onPickMouse(msg tea.MouseMsg) tea.Cmd {
	p, rows := m.pick, m.pickRows()
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		p.move(-1, rows)
	case msg.Button == tea.MouseButtonWheelDown:
		p.move(1, rows)
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft && msg.X < m.diagramWidth():
		if i := p.top + msg.Y - 1 - pickHead; msg.Y-1 >= pickHead && i < len(p.items) && i < p.top+rows {
			p.sel = i
			return m.choose()
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
	if m.mode == modePick {
		return m.onPickMouse(msg)
	}
	inBand := m.inBand(msg.X, msg.Y-1)
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
		return m.clickPane(msg.X, msg.Y-1)
	case inBand:
		m.clickBand(msg.X, msg.Y-1)
	default:
		return m.clickDiagram(msg.X+m.scrollX, msg.Y-1+m.scrollY)
	}
	return nil
}

// inBand reports whether a cell of the left area is in the detail band (or the pane open in
// place of the diagram).
func (m *Model) inBand(x, row int) bool {
	if x > m.diagramWidth() || m.mode != modeNormal || row < 0 {
		return false
	}
	if m.bandHeight() == 0 {
		return m.overlay
	}
	return row >= m.diagramHeight()
}

// clickBand focuses the pane; in the diagnostics, a click on one shows its line.
func (m *Model) clickBand(x, row int) {
	m.focus = focusPane
	if m.pane != paneDiags {
		return
	}
	top := 0
	if m.bandHeight() > 0 {
		top = m.diagramHeight()
	}
	w, h := m.diagramWidth(), m.areaHeight()-top
	items, rows := m.diagItems(m.sim.Diagnostics, w)
	if len(items) == 0 {
		return
	}
	r := row - top - 1 + items[diagWindow(items, len(rows), m.diagSel, h-1)]
	for i := len(items) - 1; i >= 0; i-- {
		if r >= items[i] {
			m.selectDiag(i)
			return
		}
	}
}

func (m *Model) clickPane(x, row int) tea.Cmd {
	if m.width < MinWidth || m.height < MinHeight {
		return nil
	}
	panes := m.chrome() // the lists' scroll positions are the ones on screen
	svcTop, svcN, evTop, evN := m.paneRows()
	inSvc, inEv := true, true
	if m.narrow() { // side by side
		inSvc, inEv = x < narrowListsW, x > narrowListsW
	}
	switch {
	case inSvc && row > svcTop && row <= svcTop+svcN:
		i := panes.svcFirst + row - svcTop - 1
		if i < len(m.sim.Services) {
			m.focus, m.svcSel = focusServices, i
			return m.retrace(m.serviceRequest(i))
		}
	case inEv && row > evTop && row <= evTop+evN:
		i := panes.evFirst + row - evTop - 1
		if i < len(m.steps) {
			m.focus = focusEvents
			m.jump(i)
		}
	}
	return nil
}

func (m *Model) clickDiagram(x, y int) tea.Cmd {
	l := m.diagram().l
	for _, nb := range l.Nodes {
		if x >= nb.Svc.X && x < nb.Svc.Right() && y >= nb.Svc.Y && y < nb.Svc.Bottom() {
			m.clickService()
			return nil
		}
	}
	if m.trace.Port == nil {
		return nil
	}
	for _, pb := range l.Pods {
		if x < pb.X || x >= pb.Right() || y < pb.Y || y >= pb.Bottom() {
			continue
		}
		for _, ep := range m.trace.Port.Endpoints {
			if ep.Pod != nil && ep.Pod == pb.Item.Pod {
				r := m.req
				r.Endpoint = netsim.ChoosePod(ep.Pod)
				return m.retrace(r)
			}
		}
	}
	return nil
}

// clickService selects the traced Service in the list and shows its YAML: its diagnostic when
// it has one, else its definition.
func (m *Model) clickService() {
	si := m.trace.Service
	m.focus, m.svcSel = focusServices, m.serviceIndex()
	ref := "Service/" + si.Svc.Namespace + "/" + si.Svc.Name
	for i, d := range m.sim.Diagnostics {
		if d.Object == ref {
			m.selectDiag(i)
			return
		}
	}
	m.pinYAML(yamlTarget{File: si.Svc.File, Line: si.Svc.Line, Field: "Service " + si.Svc.Name, Mark: true})
	if m.bandHeight() == 0 {
		m.overlay = true
	}
}
