package tui

import (
	"fmt"
	"github.com/svcviz/svcviz/tui/diagram"
	"strings"

	"github.com/svcviz/svcviz/model"

	"github.com/charmbracelet/x/ansi"

	"github.com/svcviz/svcviz/netsim"
)

// The chrome: the header above the left area, and under it the packet line, the narration,
// the view line (viewline.go) and the status bar.

func (m *App) header() string {
	tr := m.trace
	si := tr.Service
	name := si.Svc.Name
	if si.Svc.Namespace != "default" {
		name = si.Svc.Namespace + "/" + name
	}
	parts := []string{"svcviz", model.Escape(name)}
	if tr.Port != nil {
		parts = append(parts, m.tr("port {0}", fmt.Sprintf("%d/%s", tr.Port.Port, tr.Port.Protocol)))
	}
	parts = append(parts, string(si.Svc.Type()))
	if m.noPacket() {
		parts = append(parts, m.tr("refused by the API server"))
	} else {
		parts = append(parts, m.tr("from {0} via {1}", model.Escape(originLabel(tr, diagram.MultiNamespace(m.sim))), string(tr.Request.Via)))
	}
	view := m.txt(m.viewName() + " · " + m.modeName())
	w := m.width - ansi.StringWidth(view) - 3 // a space first, one before the view's name, one after it
	return m.theme.Header.Render(" "+m.fitParts(parts, w)) + " " + m.theme.Pane.Render(view) + " "
}

// fitParts joins parts in w cells two spaces apart; else without the first (the program's
// name); else one space apart; else cut with an ellipsis. Padded to w.
func (m *App) fitParts(parts []string, w int) string {
	var s string
	for _, try := range []struct {
		ps  []string
		sep string
	}{{parts, "  "}, {parts[1:], "  "}, {parts[1:], " "}} {
		if s = m.txt(strings.Join(try.ps, try.sep)); ansi.StringWidth(s) <= w {
			return pad(s, w)
		}
	}
	return m.fit(s, w)
}

// packetLines is hop step of the view and the packet on it: one line, or two when the
// addresses would be cut (the packet then goes on the second line, its destination on its
// own if need be).
func (m *App) packetLines(step int) []string {
	if m.noPacket() {
		return []string{m.fit(" "+m.tr("no packet: the API server would refuse every Service in the input"), m.width)}
	}
	h := &m.trace.Hops[m.steps[step]]
	no := fmt.Sprintf("%d/%d", step+1, len(m.steps))
	head := m.txt(" " + m.tr("hop {0}", no) + "  " + m.texts[m.steps[step]].where + "  ")
	src := h.After.Proto + " " + m.addr(h.Before.SrcString(), h.After.SrcString())
	dst := m.txt("→ ") + m.addr(h.Before.DstString(), h.After.DstString())
	if one := head + src + " " + dst; ansi.StringWidth(one) <= m.width {
		return []string{pad(one, m.width)}
	}
	if m.compact() && m.narrow() {
		// a short, narrow terminal keeps one row for it: the packet pane above names the hop
		return []string{m.fit(m.txt(" "+m.tr("hop {0}", no)+"  ")+src+" "+dst, m.width)}
	}
	const ind = "    "
	if two := ind + src + " " + dst; ansi.StringWidth(two) <= m.width {
		return []string{m.fit(strings.TrimRight(head, " "), m.width), pad(two, m.width)}
	}
	return []string{m.fit(head+src, m.width), m.fit(ind+dst, m.width)}
}

// narration is the hop's sentence, wrapped to the rows the trace keeps for it.
func (m *App) narration() []string {
	lines := m.narrationLines(m.cur)
	for len(lines) < m.chromeLines().narration {
		lines = append(lines, "")
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = pad(" "+l, m.width)
	}
	return out
}

// narrationRows is the most rows the narration takes: all a sentence needs on a roomy
// terminal (the longest, masquerade with --random-fully in Korean, takes three at 120
// columns), two on a short one (under compactBelow rows), where the diagram needs them more.
func (m *App) narrationRows() int {
	if m.compact() {
		return 2
	}
	return 6
}

// narrationLines is step's sentence wrapped to the lines it needs, up to narrationRows, the
// last cut with an ellipsis when it needs more.
func (m *App) narrationLines(step int) []string {
	var text string
	if m.noPacket() {
		text = m.tr("Nothing exists to send a packet to: the picture shows what the input describes, and the diagnostics say why the API server would refuse each Service (enter on one shows its line).")
	} else {
		text = m.txt(m.texts[m.steps[step]].text)
	}
	lines := strings.Split(wrapWidth(text, m.width-2), "\n") // at spaces only: never inside a DNS name or a chain name
	if n := m.narrationRows(); len(lines) > n {
		lines[n-1] = ansi.Truncate(lines[n-1]+" "+lines[n], m.width-2, m.txt("…"))
		lines = lines[:n]
	}
	return lines
}

// msgRight is the most cells the status bar gives the last refusal or reload message.
func (m *App) msgRight() int { return max(m.width-24, m.width/2) }

// msgLines is the last refusal or reload message wrapped over rows of its own above the status
// bar when the bar cannot hold it (a YAML error names file, line and what is wrong: cut, it
// would not say which), at most four; nil when it fits in the bar.
func (m *App) msgLines() []string {
	if m.msg == "" || m.width == 0 || ansi.StringWidth(m.msg)+1 <= m.msgRight() {
		return nil
	}
	lines := strings.Split(wrapWidth(m.msg, m.width-2), "\n")
	if len(lines) > 4 {
		lines[3] = ansi.Truncate(lines[3]+" "+lines[4], m.width-2, m.txt("…"))
		lines = lines[:4]
	}
	return lines
}

func (m *App) statusBar() string {
	tr := m.trace
	name := model.Escape(tr.Service.Svc.Name)
	if tr.Port != nil {
		name += fmt.Sprintf(":%d", tr.Port.Port)
	}
	state := m.tr("paused")
	if m.playing {
		state = m.tr("▶ playing")
	}
	s := m.txt(" " + name + " │ " + m.tr("hop {0}", m.hopNo()) + " │ " +
		m.tr("speed {0}", fmt.Sprintf("%d/%d", m.speed+1, len(speeds))) + " │ " + state + " │ " + m.verdictSoFar())
	right := m.tr("? help  q quit") + " "
	if m.msg != "" && m.msgLines() == nil {
		right = m.msg + " "
	} else if m.info != "" {
		right = m.info + " "
	} else if ansi.StringWidth(s)+ansi.StringWidth(right) > m.width {
		right = m.tr("? help") + " "
	}
	// The right part (a refusal, a reload) may take all but a short left part; each is cut
	// with an ellipsis, and a space always parts them.
	rw := min(ansi.StringWidth(right), m.msgRight())
	w := max(m.width-rw, 0)
	bar := m.theme.Status.Render(m.fit(s, max(w-1, 0)) + strings.Repeat(" ", min(w, 1)))
	if m.msg != "" && m.msgLines() == nil {
		return bar + m.theme.Bad.Render(m.fit(right, m.width-w))
	}
	return bar + m.theme.Status.Render(m.fit(right, m.width-w))
}

// verdictSoFar is "in flight" until the packet reaches the hop that decides it.
func (m *App) verdictSoFar() string {
	decided := 0
	for _, h := range m.trace.Hops {
		if h.Action != netsim.ActReply {
			decided = h.Step
		}
	}
	if m.trace.StopStep != 0 {
		decided = m.trace.StopStep
	}
	if m.noPacket() {
		return m.tr("verdict: {0}", m.tr("no packet"))
	}
	if m.hop().Step >= decided {
		return m.tr("verdict: {0}", m.tr(string(m.trace.Verdict)))
	}
	return m.tr("verdict: {0}", m.tr("in flight"))
}
