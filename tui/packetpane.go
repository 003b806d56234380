package tui

import (
	"github.com/charmbracelet/x/ansi"
	"net/netip"
	"strconv"
	"strings"

	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/diagram"
)

// packetPane shows the packet as a network simulator shows a PDU: protocol, source and
// destination before and after the hop (what changed in bold), then the conntrack entry once
// NAT has happened. It has nothing to scroll and takes no keys.
type packetPane struct {
	*ui
	trace *netsim.Trace
	steps []int // the view's hops, indices into tr.Hops
	cur   int   // the hop on screen, an index into steps
	w, h  int
}

func newPacketPane(u *ui) *packetPane { return &packetPane{ui: u} }

// SetHop shows the cur-th hop of the view steps of tr.
func (p *packetPane) SetHop(tr *netsim.Trace, steps []int, cur int) {
	p.trace, p.steps, p.cur = tr, steps, cur
}

func (p *packetPane) SetSize(w, h int) { p.w, p.h = w, h }

func (p *packetPane) hop() *netsim.Hop { return &p.trace.Hops[p.steps[p.cur]] }

// View is the pane's rows in w cells: all of them, for the band to fit.
func (p *packetPane) View() string { return strings.Join(p.lines(), "\n") }

// lines is the pane's rows. Its heading drops words before it cuts the hop's action.
func (p *packetPane) lines() []string {
	if len(p.steps) == 0 {
		return []string{p.paneHeadingFit(p.tr("Packet"), []string{p.tr("no packet")}, false, p.w)}
	}
	h := p.hop()
	g := p.margin()
	act, no := p.action(h.Action), strconv.Itoa(p.cur+1)+"/"+strconv.Itoa(len(p.steps))
	out := []string{p.paneHeadingFit(p.tr("Packet"), []string{
		h.After.Proto + "  " + p.tr("hop {0}", no) + " " + act,
		h.After.Proto + " " + p.tr("hop {0}", no) + " " + act,
		h.After.Proto + " " + no + " " + act,
		no + " " + act,
	}, false, p.w)}
	if h.Before.Proto != h.After.Proto {
		out = append(out, g+"proto "+p.theme.rewrite(h.Before.Proto, h.After.Proto, p.txt(" ⇒ ")))
	}
	out = append(out, p.field("src", h.Before.SrcString(), h.After.SrcString())...)
	out = append(out, p.field("dst", h.Before.DstString(), h.After.DstString())...)
	if note := p.teachingNote(h); note != "" {
		out = append(out, g+p.theme.Dim.Render(note), g+p.theme.Dim.Render(p.tr("(teaching: never on the wire)")))
	}
	if h.Step == p.trace.StopStep && diagram.Failed(p.trace.Verdict) {
		out = append(out, "", g+p.theme.Bad.Render(p.txt("✗ "+p.tr("{0} here", p.tr(string(p.trace.Verdict))))))
	}
	if orig, reply, ok := p.conntrack(); ok {
		out = append(out, "", g+p.theme.Pane.Render("conntrack")+" "+p.txt(p.tr("original ⇄ reply")),
			g+" orig  "+orig.Src.String(), g+p.txt("     → ")+orig.Dst.String(),
			g+" reply "+reply.Src.String(), g+p.txt("     → ")+reply.Dst.String())
	}
	return out
}

// field is one address (ICMP: no port): a line when the hop kept it; "old ⇒ new" as trace
// prints it when it rewrote it, the new one bold, on two lines when one is too narrow.
func (p *packetPane) field(name, before, after string) []string {
	g := p.margin()
	if before == after {
		return []string{g + name + "   " + after}
	}
	if one := g + name + "   " + p.theme.rewrite(before, after, p.txt(" ⇒ ")); ansi.StringWidth(one) <= p.w {
		return []string{one}
	}
	return []string{g + name + "   " + before, g + p.txt("    ⇒ ") + p.theme.New.Render(after)}
}

// teachingNote says where the teaching picture's Service port is, since the packet never
// carries it.
func (p *packetPane) teachingNote(h *netsim.Hop) string {
	si := p.trace.Service
	if h.Action != netsim.ActServicePort || p.trace.Port == nil || !si.ClusterIP.IsValid() {
		return ""
	}
	at := netip.AddrPortFrom(si.ClusterIP, uint16(p.trace.Port.Port))
	return p.tr("Service port {0}", at.String())
}

// conntrack is the connection's entry as the kernel keeps it once a NAT rule has matched: the
// original tuple as the client sent it, and the reply tuple the rewritten packet expects back.
func (p *packetPane) conntrack() (orig, reply netsim.Packet, ok bool) {
	last := -1 // the packet's last forward hop so far
	nat := -1
	for _, i := range p.steps[:p.cur+1] {
		h := p.trace.Hops[i]
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
	a := p.trace.Hops[last].After
	return p.trace.Hops[nat].Before, netsim.Packet{Src: a.Dst, Dst: a.Src, Proto: a.Proto}, true
}
