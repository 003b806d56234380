package tui

import (
	"strconv"
	"strings"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/canvas"
	"github.com/svcviz/svcviz/tui/diagram"
)

// diagramView is the diagram for the size, trace and view on screen, with the static rows
// sync has rendered for the viewport. Frames reuse both; only the rows the packet or a
// verdict mark are on are drawn again.
type diagramView struct {
	*diagram.Diagram
	key   diagramKey
	rows  []string       // rendered static rows, "" until sync renders them
	rowsX int            // the horizontal scroll the rows were rendered for
	rowsC *canvas.Canvas // the picture they were rendered from (before or after the choice)
}

type diagramKey struct {
	w       int
	trace   *netsim.Trace
	wire    bool
	compact bool
}

// diagram is the diagram for the size, trace and view on screen, built when one of them
// changed (sync builds it before View needs it).
func (m *App) diagram() *diagramView {
	w := m.diagramWidth()
	if m.width == 0 {
		w = 120 - 40 - 1 // before the first WindowSizeMsg: a sensible default
	}
	k := diagramKey{w: w, trace: m.trace, wire: m.wire, compact: m.compact()}
	if m.dia != nil && m.dia.key == k {
		return m.dia
	}
	marks := diagram.Marks{Svc: m.svcLabel(), NoPort: m.txt("✗ no nodePort"), Ell: m.txt("…"), Bad: m.txt("✗ "),
		Ne: m.txt("≠"), Nearest: m.tr("nearest Pod, not selected"), Words: m.tr}
	marks.Compact = k.compact
	if m.theme.Plain || m.ascii {
		marks.OffWire = " (not on the wire)"
	}
	d := diagram.Build(m.sim, m.trace, m.steps, w, m.wire, marks)
	m.dia = &diagramView{Diagram: d, key: k, rows: make([]string, d.Canvas.H), rowsX: -1}
	return m.dia
}

// svcLabel is the mark on the Service's box when its diagnostics have an error or a warning.
func (m *App) svcLabel() diagram.SvcMark {
	mk := serviceMark(m.sim.Diagnostics, m.trace.Service.Svc.Ref())
	switch {
	case mk.bad:
		return diagram.SvcMark{Text: m.txt(" " + mk.text + " " + m.tr("error (d)") + " "), Bad: true}
	case mk.text != "":
		return diagram.SvcMark{Text: " " + mk.text + " " + m.tr("warning (d)") + " "}
	}
	return diagram.SvcMark{}
}

// renderRows renders the static rows the viewport shows that are not rendered yet (sync).
func (m *App) renderRows() {
	d := m.diagram()
	cv := d.CanvasAt(m.cur)
	if d.rowsX != m.scrollX || d.rowsC != cv {
		clear(d.rows)
		d.rowsX, d.rowsC = m.scrollX, cv
	}
	for y := m.scrollY; y < min(m.scrollY+m.diagramHeight(), d.Canvas.H); y++ {
		if d.rows[y] == "" {
			d.rows[y] = cv.RenderRow(y, m.scrollX, m.diagramWidth(), m.glyphs, m.theme.paint, nil)
		}
	}
}

// diagramRows is the visible part of the diagram: the static rows, except the rows the packet
// or a verdict mark are on.
func (m *App) diagramRows() []string {
	d := m.diagram()
	dw, dh := m.diagramWidth(), m.diagramHeight()
	over := m.overlays()
	out := make([]string, dh)
	for i := range out {
		y := m.scrollY + i
		switch {
		case y >= d.Canvas.H:
			out[i] = strings.Repeat(" ", dw)
		case onRow(over, y) || d.rows[y] == "" || d.rowsX != m.scrollX || d.rowsC != d.CanvasAt(m.cur):
			out[i] = d.CanvasAt(m.cur).RenderRow(y, m.scrollX, dw, m.glyphs, m.theme.paint, over)
		default:
			out[i] = d.rows[y]
		}
	}
	if note := m.offscreen(dw); note != "" {
		out[dh-1] = m.theme.paint(diagram.StyleNote, m.fit(note, dw))
	}
	return out
}

func onRow(over []canvas.Overlay, y int) bool {
	for _, o := range over {
		if o.P.Y == y {
			return true
		}
	}
	return false
}

// overlays are the packet and, once it has stopped, the verdict beside where it did.
func (m *App) overlays() []canvas.Overlay {
	if m.noPacket() {
		return nil
	}
	glyph := []rune(m.theme.Packet)
	if m.ascii {
		glyph = []rune(m.theme.PacketASC)
	}
	return m.diagram().Overlays(m.cur, m.travel, glyph, m.txt("✗ "+m.tr(string(m.trace.Verdict))))
}

// packetAt is where the packet is drawn now.
func (m *App) packetAt() canvas.Point { return m.diagram().PacketAt(m.cur, m.travel) }

// offscreen says how many Pods the viewport hides, so nobody thinks they are missing: the
// longest wording that fits in w cells.
func (m *App) offscreen(w int) string {
	view := canvas.Rect{X: m.scrollX, Y: m.scrollY, W: m.diagramWidth(), H: m.diagramHeight()}
	n := m.diagram().Hidden(view)
	if n == 0 {
		return ""
	}
	k := strconv.Itoa(n)
	words := []string{
		m.tr("{0} Pods off screen: pgup/pgdn or the wheel scroll; the view follows the packet", k),
		m.tr("{0} Pods off screen: pgup/pgdn or the wheel scroll", k),
		m.tr("{0} Pods off screen: pgup/pgdn scroll", k),
		m.tr("{0} Pods off screen", k),
	}
	if n == 1 {
		words = []string{
			m.tr("{0} Pod off screen: pgup/pgdn or the wheel scroll; the view follows the packet", k),
			m.tr("{0} Pod off screen: pgup/pgdn or the wheel scroll", k),
			m.tr("{0} Pod off screen: pgup/pgdn scroll", k),
			m.tr("{0} Pod off screen", k),
		}
	}
	var s string
	for _, s = range words {
		if s = m.txt(" " + s); ansi.StringWidth(s) <= w {
			break
		}
	}
	return s
}

// keepPacketVisible scrolls the diagram to the packet while it is followed.
func (m *App) keepPacketVisible() {
	if !m.follow || m.width == 0 || m.noPacket() {
		return
	}
	d := m.diagram()
	l := d.Layout
	at := m.packetAt()
	dw, dh := m.diagramWidth(), m.diagramHeight()-1 // the last row may hold the off-screen note
	// the packet, and where it goes next when both fit: the sender and its first hop (a Pod
	// and the Service's rules) are on screen together
	lo, hi := at.Y, at.Y
	if pl, a := d.Places[m.cur], m.hop().Action; pl.Kind == diagram.PlacePod && pl.I < len(l.Pods) && at == l.Places[pl] &&
		(a == netsim.ActDeliver || a == netsim.ActRefuse) {
		hi = min(l.Pods[pl.I].Bottom()-1, at.Y+dh-1) // the Pod it reached, whole
	}
	if m.cur+1 < len(d.Paths) {
		for _, p := range d.Paths[m.cur+1] {
			if l, h := min(lo, p.Y), max(hi, p.Y); h-l < dh {
				lo, hi = l, h
			}
		}
	}
	if lo < m.scrollY || hi >= m.scrollY+dh {
		m.scrollY = min(max(lo-(dh-1-(hi-lo))/2, 0), max(d.Canvas.H-dh, 0))
	}
	if at.X < m.scrollX || at.X >= m.scrollX+dw-12 {
		m.scrollX = min(max(at.X-dw/2, 0), max(d.Canvas.W-dw, 0))
	}
}

// scroll moves the diagram's viewport by hand; the packet stops being followed until it moves.
func (m *App) scroll(dy int) {
	maxY := max(m.diagram().Canvas.H-m.diagramHeight(), 0)
	m.scrollY = min(max(m.scrollY+dy, 0), maxY)
	m.follow = false
}

// clickDiagram: a click on the Service box selects it, on an endpoint Pod sends the packet
// to that Pod. x and y are canvas cells.
func (m *App) clickDiagram(x, y int) tea.Cmd {
	l := m.diagram().Layout
	in := func(r canvas.Rect) bool { return x >= r.X && x < r.Right() && y >= r.Y && y < r.Bottom() }
	for _, nb := range l.Nodes {
		if in(nb.Svc) {
			m.clickService()
			return nil
		}
	}
	if m.trace.Port == nil {
		return nil
	}
	for _, pb := range l.Pods {
		if !in(pb.Rect) {
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
func (m *App) clickService() {
	si := m.trace.Service
	m.focus = focusServices
	m.services.SetCurrent(si)
	for i, d := range m.diagnostics() {
		if d.Object == si.Svc.Ref() {
			m.selectDiag(i)
			return
		}
	}
	m.pinYAML(yamlTarget{File: si.Svc.File, Line: si.Svc.Line, Field: "Service " + si.Svc.Name, Mark: true})
	if m.bandHeight() == 0 {
		m.overlay = true
	}
}
