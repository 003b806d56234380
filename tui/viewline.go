package tui

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// stepDiagnostic is the diagnostic of hop step of the view; with no packet, the pictured
// Service's first error, the reason there is none.
func (m *App) stepDiagnostic(step int) *model.Diagnostic {
	if !m.noPacket() {
		return m.trace.Hops[m.steps[step]].Diagnostic
	}
	ds := m.diagnostics()
	for i := range ds {
		if ds[i].Object == m.trace.Service.Svc.Ref() && ds[i].Severity == model.Error {
			return &ds[i]
		}
	}
	return nil
}

// viewLine says which picture is on and what it shows for this way in, with the trace's own
// numbers; at the hop where a packet dies it gives the diagnostic that explains why instead.
// It takes a second line rather than cutting the addresses; a third is cut with an ellipsis.
func (m *App) viewLines(step int) []string {
	st := m.theme.Dim
	var s string
	if d := m.stepDiagnostic(step); d != nil {
		st = m.theme.Bad
		s = m.txt("✗ ") + diagLine(d, m.lang)
		if h := d.HintIn(m.lang); h != "" {
			s += m.txt(" · "+m.tr("hint:")+" ") + model.Escape(h)
		}
	} else {
		other := m.tr("w: wire")
		if m.wire {
			other = m.tr("w: teaching")
		}
		s = fmt.Sprintf("%s (%s): %s", m.viewName(), other, m.pictureText(step))
	}
	lines := wrapText(m.txt(s), m.width-1, "  ")
	if len(lines) > 2 {
		lines = []string{lines[0], m.fit(strings.Join(lines[1:], " "), m.width-1)}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = st.Render(m.fit(" "+l, m.width))
	}
	return out
}

// modeName is the kube-proxy mode whose rules the packet walks.
func (m *App) modeName() string {
	if m.trace.Request.Mode == netsim.ModeNFTables {
		return "nftables"
	}
	return "iptables"
}

// viewName is the picture on screen: the teaching view or the wire view.
func (m *App) viewName() string {
	if m.wire {
		return m.tr("wire view")
	}
	return m.tr("teaching view")
}

// pictureText is the path in one line at step: the teaching view's three ports or the wire's
// one DNAT. The Pod is named from the hop that chooses it on; before, it is "a Pod".
func (m *App) pictureText(step int) string {
	tr := m.trace
	si := tr.Service
	dnat, dst, ok := m.dnatHop()
	switch {
	case si.Svc.Type() == "ExternalName":
		return m.tr("DNS answers a CNAME to {0}; no rule, no NAT, no packet is proxied", model.Escape(si.Svc.Obj.Spec.ExternalName))
	case si.Svc.Headless():
		return m.tr("DNS answers the Pod IPs; the packet goes straight to a Pod, nothing rewrites it")
	case !ok:
		return m.tr("no endpoint, no DNAT: {0} at {1}", m.tr(string(tr.Verdict)), m.stopWhere())
	}
	dns := ""
	if tr.Request.Via == netsim.ViaDNS {
		dns = m.tr("name → ClusterIP by DNS, then ")
	}
	cip := netip.AddrPortFrom(si.ClusterIP, uint16(tr.Port.Port))
	entry, pod := dnat.Before.Dst, dst.Addr()
	itoa := func(p uint16) string { return strconv.Itoa(int(p)) }
	tp := itoa(dst.Port())
	if t := tr.Port.TargetPort; t.Type == intstr.String {
		tp = model.Escape(t.StrVal) + " (=" + tp + ")" // a named port: what it resolved to
	}
	podWord, wireDst := m.tr("Pod {0}", pod.String()), dst.String()
	if !m.chosenBy(step) {
		podWord, wireDst = m.tr("a Pod not chosen yet"), m.tr("port {0} of a Pod not chosen yet", tp)
	}
	switch via := tr.Request.Via; {
	case (via == netsim.ViaNodePort || via == netsim.ViaLB) && m.wire:
		return m.tr("one DNAT, {0} → {1} (nodePort → targetPort); no ClusterIP on the wire", entry.String(), wireDst)
	case via == netsim.ViaNodePort:
		return m.tr("NodePort {0} → port {1} on ClusterIP {2} → targetPort {3} on {4}", itoa(entry.Port()), itoa(cip.Port()), cip.Addr().String(), tp, podWord)
	case via == netsim.ViaLB:
		return m.tr("LoadBalancer {0} → port {1} on ClusterIP {2} → targetPort {3} on {4}", entry.String(), itoa(cip.Port()), cip.Addr().String(), tp, podWord)
	case m.wire:
		return dns + m.tr("KUBE-SERVICES → KUBE-SVC → KUBE-SEP: one DNAT, {0} → {1}", cip.String(), wireDst)
	}
	return dns + m.tr("ClusterIP {0} → targetPort {1} on {2}: one DNAT", cip.String(), tp, podWord)
}

// chosenBy reports whether the Pod is chosen by step: the hop that chooses it (or the DNAT,
// in a view without it), or a later one, is on screen.
func (m *App) chosenBy(step int) bool {
	for i, hi := range m.steps {
		if a := m.trace.Hops[hi].Action; a == netsim.ActChoose || a == netsim.ActDNAT {
			return step >= i
		}
	}
	return true
}

// dnatHop is the trace's DNAT and where it sends the packet.
func (m *App) dnatHop() (netsim.Hop, netip.AddrPort, bool) {
	for _, h := range m.trace.Hops {
		if h.Action == netsim.ActDNAT {
			return h, h.After.Dst, true
		}
	}
	return netsim.Hop{}, netip.AddrPort{}, false
}

func (m *App) stopWhere() string {
	for i, h := range m.trace.Hops {
		if h.Step == m.trace.StopStep {
			return m.texts[i].where
		}
	}
	return m.tr("the last hop")
}
