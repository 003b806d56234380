package tui

import (
	"github.com/svcviz/svcviz/tui/diagram"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// choice is one entry of a picker and the request it sends.
type choice struct {
	label string
	apply func(netsim.Request) netsim.Request
	// keepOrigin: the choice keeps the request's origin when it is valid for the new Service
	keepOrigin bool
}

// pickKind is which list a picker shows, so a reload can rebuild it.
type pickKind uint8

const (
	pickService pickKind = iota
	pickOrigin
)

// picker is a scrolling list shown in place of the diagram. Typing filters it: a dump has
// thousands of Service ports, and "team-3 nodeport" finds the few that matter. The arrows and
// page keys move, enter or a click chooses, printable keys filter (backspace and ctrl+u edit
// it), esc clears the filter and then closes.
type picker struct {
	*ui
	w, h     int
	kind     pickKind
	title    string
	enter    string // what enter does
	all      []choice
	lower    []string // all's labels in lower case, for filtering
	items    []choice // the entries that match the filter
	filter   string
	sel, top int
}

// pickHead is the picker's rows above its entries: the title and the filter line.
const pickHead = 2

// rows is how many entries the picker shows: its height less the title and filter.
func (p *picker) rows() int { return max(p.h-pickHead, 1) }

// SetSize keeps the selection in the window for a new size.
func (p *picker) SetSize(w, h int) {
	p.w, p.h = w, h
	p.move(0)
}

// KeyMap is what the picker answers (help lists it under the global keys).
func (p *picker) KeyMap() []key.Binding {
	up := key.NewBinding(key.WithKeys("up", "shift+tab"), key.WithHelp("↑", p.tr("up")))
	down := key.NewBinding(key.WithKeys("down", "tab"), key.WithHelp("↓", p.tr("down")))
	enter := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", p.enter))
	esc := key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", p.tr("close")))
	return []key.Binding{up, down, enter, esc}
}

// Update handles a key, or a mouse message in the picker's own coordinates (row 0 its
// title). It reports the entry chosen, and whether the picker closed (esc, or a choice).
func (p *picker) Update(msg tea.Msg) (chosen *choice, closed bool) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return p.onKey(msg)
	case tea.MouseMsg:
		return p.onMouse(msg)
	}
	return nil, false
}

func (p *picker) onKey(msg tea.KeyMsg) (*choice, bool) {
	rows := p.rows()
	switch msg.Type {
	case tea.KeyEsc:
		if p.filter == "" {
			return nil, true
		}
		p.setFilter("")
	case tea.KeyUp, tea.KeyShiftTab:
		p.move(-1)
	case tea.KeyDown, tea.KeyTab:
		p.move(1)
	case tea.KeyPgUp:
		p.move(-rows)
	case tea.KeyPgDown:
		p.move(rows)
	case tea.KeyHome:
		p.move(-len(p.items))
	case tea.KeyEnd:
		p.move(len(p.items))
	case tea.KeyEnter:
		return p.selected(), true
	case tea.KeyBackspace:
		if r := []rune(p.filter); len(r) > 0 {
			p.setFilter(string(r[:len(r)-1]))
		}
	case tea.KeyCtrlU:
		p.setFilter("")
	case tea.KeyRunes, tea.KeySpace:
		if !msg.Paste || !strings.ContainsAny(string(msg.Runes), "\n\r") {
			p.setFilter(p.filter + string(msg.Runes))
		}
	}
	return nil, false
}

// onMouse: the wheel moves the selection, a click on an entry chooses it.
func (p *picker) onMouse(msg tea.MouseMsg) (*choice, bool) {
	switch {
	case msg.Button == tea.MouseButtonWheelUp:
		p.move(-1)
	case msg.Button == tea.MouseButtonWheelDown:
		p.move(1)
	case msg.Action == tea.MouseActionPress && msg.Button == tea.MouseButtonLeft && msg.X < p.w:
		if i := p.top + msg.Y - pickHead; msg.Y >= pickHead && i < len(p.items) && i < p.top+p.rows() {
			p.sel = i
			return p.selected(), true
		}
	}
	return nil, false
}

func (p *picker) selected() *choice {
	if p.sel < len(p.items) {
		return &p.items[p.sel]
	}
	return nil
}

// View is the title, the filter line and the entries, h rows of w cells.
func (p *picker) View() string {
	dw := p.w
	count, filter, esc := p.tr("{0} entries", strconv.Itoa(len(p.all))), p.tr("type to filter"), p.tr("esc: back")
	if p.filter != "" {
		count = p.tr("{0} of {1} match", strconv.Itoa(len(p.items)), strconv.Itoa(len(p.all)))
		filter, esc = p.tr("filter:")+" "+model.Escape(p.filter)+"▏", p.tr("esc: clear")
	}
	hint := p.txt("   ↑/↓ pgup/pgdn · " + p.enter + " · " + esc)
	if fw := ansi.StringWidth(p.txt(filter)) + 1; fw+ansi.StringWidth(hint) > dw {
		hint = p.txt("   " + p.enter + " · " + esc)
		if fw+ansi.StringWidth(hint) > dw {
			hint = p.fit(hint, max(dw-fw, 0))
		}
	}
	lines := []string{p.theme.Pane.Render(p.title) + "  " + p.theme.Dim.Render(count),
		" " + p.theme.Header.Render(p.txt(filter)) + p.theme.Dim.Render(hint)}
	for i := p.top; i < len(p.items) && i < p.top+p.rows(); i++ {
		s := "  " + p.items[i].label
		if i == p.sel {
			s = p.theme.Selected.Render(pad(p.txt("▸ "+p.items[i].label), dw))
		}
		lines = append(lines, s)
	}
	if len(p.items) == 0 {
		lines = append(lines, p.theme.Dim.Render("  "+p.tr("nothing matches: backspace edits the filter, esc clears it")))
	}
	return strings.Join(p.fill(lines, p.h, dw), "\n")
}

// move moves the selection by d entries, keeping it in the window.
func (p *picker) move(d int) {
	rows := p.rows()
	p.sel = min(max(p.sel+d, 0), len(p.items)-1)
	p.sel = max(p.sel, 0)
	if p.sel < p.top {
		p.top = p.sel
	}
	if p.sel >= p.top+rows {
		p.top = p.sel - rows + 1
	}
	p.top = max(min(p.top, len(p.items)-rows), 0)
}

// setFilter keeps the entries whose label holds every word of f (case does not matter), and
// keeps the selection on the same entry when it still matches.
func (p *picker) setFilter(f string) {
	var cur *choice
	if p.sel < len(p.items) {
		cur = &p.items[p.sel]
	}
	p.filter = f
	words := strings.Fields(strings.ToLower(f))
	p.items, p.sel, p.top = p.items[:0:0], 0, 0
	for i, l := range p.lower {
		ok := true
		for _, w := range words {
			if !strings.Contains(l, w) {
				ok = false
				break
			}
		}
		if ok {
			if cur != nil && p.all[i].label == cur.label {
				p.sel = len(p.items)
			}
			p.items = append(p.items, p.all[i])
		}
	}
	p.move(0)
}

// servicePicker lists every Service port. An entry asks for its port by name, else by number
// and protocol ("53/UDP"): a bare number is ambiguous when the port serves TCP and UDP alike.
func servicePicker(u *ui, sim *netsim.Sim, cur *netsim.Trace) *picker {
	p := &picker{ui: u, kind: pickService, title: u.tr("Choose a Service and port"), enter: u.tr("enter: trace it")}
	for _, si := range sim.Services {
		ref := si.Svc.Key()
		show, kind := model.Escape(ref), string(si.Svc.Type())
		if !diagram.MultiNamespace(sim) {
			show = model.Escape(si.Svc.Name)
		}
		if len(si.Svc.Ports) == 0 {
			p.add(show+"  "+kind, ref, "", si == cur.Service)
		}
		for _, sp := range si.Svc.Ports {
			port := strconv.Itoa(int(sp.Port)) + "/" + string(sp.Protocol)
			label := show + "  " + port
			if sp.Name != "" {
				label += " (" + model.Escape(sp.Name) + ")"
			}
			p.add(label+"  "+kind, ref, portRef(si.Svc.Ports, sp), si == cur.Service && sp == cur.Port)
		}
	}
	return p.done()
}

// portRef is how a request names port sp of ports: by its name, else (no name, or a name
// another port shares or that reads as a number) as "NUMBER/PROTOCOL".
func portRef(ports []*model.ServicePort, sp *model.ServicePort) string {
	numProto := strconv.Itoa(int(sp.Port)) + "/" + string(sp.Protocol)
	if sp.Name == "" || strings.ContainsRune(sp.Name, '/') {
		return numProto
	}
	if _, err := strconv.Atoi(sp.Name); err == nil {
		return numProto
	}
	for _, o := range ports {
		if o != sp && o.Name == sp.Name {
			return numProto
		}
	}
	return sp.Name
}

func (p *picker) add(label, svc, port string, current bool) {
	if current {
		p.sel = len(p.items)
	}
	p.items = append(p.items, choice{label: label, apply: func(r netsim.Request) netsim.Request {
		// the origin stays when it can send to the new Service (keepOrigin checks)
		r.Service, r.Port, r.Via, r.DNSName, r.Endpoint = svc, port, "", "", netsim.ChooseByRules()
		return r
	}, keepOrigin: true})
}

// done makes the list filterable once every entry is in.
func (p *picker) done() *picker {
	p.all = p.items
	p.lower = make([]string, len(p.all))
	for i, c := range p.all {
		p.lower[i] = strings.ToLower(c.label)
	}
	return p
}

// originPicker lists where a packet can start and how it goes in; netsim refuses the
// combinations the Service does not have, and the status bar says why.
func originPicker(u *ui, sim *netsim.Sim, trace *netsim.Trace) *picker {
	tr := u.tr
	p := &picker{ui: u, kind: pickOrigin, title: tr("Choose the origin and the way in"), enter: tr("enter: send")}
	add := func(label, from string, via netsim.Via) {
		p.items = append(p.items, choice{label: label, apply: func(r netsim.Request) netsim.Request {
			r.From, r.Via, r.DNSName, r.Endpoint = from, via, "", netsim.ChooseByRules()
			return r
		}})
	}
	si := trace.Service
	hasNP := trace.Port != nil && si.NodePorts[trace.Port.Index] > 0
	if hasNP {
		add(tr("external client {0} via {1}", sim.Config.ClientIP.String(), "nodeport"), "external", netsim.ViaNodePort)
	}
	if len(si.LBIPs) > 0 {
		add(tr("external client via LoadBalancer IP {0}", si.LBIPs[0].String()), "external", netsim.ViaLB)
	}
	inside := func(label, from string) {
		if si.ClusterIP.IsValid() {
			add(tr("{0} via {1}", label, "clusterip"), from, netsim.ViaClusterIP)
		}
		add(tr("{0} via {1}", label, "dns"), from, netsim.ViaDNS)
		if hasNP {
			add(tr("{0} via {1}", label, "nodeport"), from, netsim.ViaNodePort)
		}
	}
	for _, n := range sim.Nodes {
		inside(tr("node {0} {1}", model.Escape(n.Name), n.IP.String()), n.Name)
	}
	multi := diagram.MultiNamespace(sim)
	for _, pi := range sim.Pods { // all of them: typing finds one among thousands
		ref, show := pi.Pod.Key(), pi.Pod.Name
		if multi {
			show = ref // one namespace: no "default/" before every name
		}
		inside(tr("Pod {0} {1}", model.Escape(show), pi.IP.String()), ref)
	}
	return p.done()
}
