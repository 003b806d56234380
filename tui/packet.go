package tui

import (
	"net/netip"

	"github.com/svcviz/svcviz/netsim"
)

// packetRows is the packet pane, as a network simulator shows a PDU: protocol, source and
// destination before and after the hop (what changed in bold), then the conntrack entry once
// NAT has happened. Its heading, in w cells, drops words before it cuts the hop's action.
func (m *Model) packetRows(w int) []string {
	h := m.hop()
	g := m.margin()
	act, no := string(h.Action), m.hopNo()
	out := []string{m.paneHeadingFit(m.tr("Packet"), []string{
		h.After.Proto + "  " + m.tr("hop {0}", no) + " " + act,
		h.After.Proto + " " + m.tr("hop {0}", no) + " " + act,
		h.After.Proto + " " + no + " " + act,
		no + " " + act,
	}, w)}
	if h.Before.Proto != h.After.Proto {
		out = append(out, g+"proto "+m.change(h.Before.Proto, h.After.Proto))
	}
	out = append(out, m.field("src", h.Before.Src, h.After.Src)...)
	out = append(out, m.field("dst", h.Before.Dst, h.After.Dst)...)
	if note := m.teachingNote(h); note != "" {
		out = append(out, g+m.theme.Dim.Render(note), g+m.theme.Dim.Render(m.tr("(teaching: never on the wire)")))
	}
	if h.Step == m.trace.StopStep && failed(m.trace.Verdict) {
		out = append(out, "", g+m.theme.Bad.Render(m.txt("✗ "+m.tr("{0} here", m.tr(string(m.trace.Verdict))))))
	}
	if orig, reply, ok := m.conntrack(); ok {
		out = append(out, "", g+m.theme.Pane.Render("conntrack")+" "+m.txt(m.tr("original ⇄ reply")),
			g+" orig  "+orig.Src.String(), g+m.txt("     → ")+orig.Dst.String(),
			g+" reply "+reply.Src.String(), g+m.txt("     → ")+reply.Dst.String())
	}
	return out
}

// field is one address: a line when the hop kept it, the old one and the new one in bold
// when it rewrote it.
func (m *Model) field(name string, before, after netip.AddrPort) []string {
	g := m.margin()
	if before == after {
		return []string{g + name + "   " + after.String()}
	}
	return []string{g + name + "   " + m.theme.strike(before.String()), g + m.txt("   →  ") + m.theme.New.Render(after.String())}
}

func (m *Model) change(before, after string) string {
	return m.theme.strike(before) + m.txt(" → ") + m.theme.New.Render(after)
}

// teachingNote says where the teaching picture's Service port is, since the packet never
// carries it.
func (m *Model) teachingNote(h *netsim.Hop) string {
	si := m.trace.Service
	if h.Action != netsim.ActServicePort || m.trace.Port == nil || !si.ClusterIP.IsValid() {
		return ""
	}
	at := netip.AddrPortFrom(si.ClusterIP, uint16(m.trace.Port.Port))
	return m.tr("Service port {0}", at.String())
}

// conntrack is the connection's entry as the kernel keeps it once a NAT rule has matched: the
// original tuple as the client sent it, and the reply tuple the rewritten packet expects back.
func (m *Model) conntrack() (orig, reply netsim.Packet, ok bool) {
	last := -1 // the packet's last forward hop so far
	nat := -1
	for _, i := range m.steps[:m.cur+1] {
		h := m.trace.Hops[i]
		if h.Action == netsim.ActReply {
			continue
		}
		last = i
		if nat < 0 && (h.Action == netsim.ActDNAT || h.Action == netsim.ActSNAT) {
			nat = i
		}
	}
	if nat < 0 {
		return orig, reply, false
	}
	a := m.trace.Hops[last].After
	return m.trace.Hops[nat].Before, netsim.Packet{Src: a.Dst, Dst: a.Src, Proto: a.Proto}, true
}
