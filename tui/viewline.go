package tui

import (
	"fmt"
	"net/netip"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// viewLine says which picture is on and what it shows for this way in, with the trace's own
// numbers; at the hop where a packet dies it gives the diagnostic that explains why instead.
func (m *Model) viewLine() string {
	if d := m.hop().Diagnostic; d != nil {
		s := m.txt(" ✗ ") + model.Escape(d.Location()) + ": " + string(d.Severity) + " " + d.Code + ": " + model.Escape(d.Message)
		if d.Hint != "" {
			s += m.txt(" · hint: ") + model.Escape(d.Hint)
		}
		return m.theme.Bad.Render(pad(m.txt(s), m.width))
	}
	name, other := "teaching view", "w: wire"
	if m.wire {
		name, other = "wire view", "w: teaching"
	}
	s := fmt.Sprintf(" %s (%s): %s", name, other, m.pictureText())
	return m.theme.Dim.Render(pad(m.txt(s), m.width))
}

// pictureText is the path in one line: the teaching view's three ports or the wire's one DNAT.
func (m *Model) pictureText() string {
	tr := m.trace
	si := tr.Service
	dnat, dst, ok := m.dnatHop()
	switch {
	case si.Svc.Type() == "ExternalName":
		return "DNS answers a CNAME to " + model.Escape(si.Svc.Obj.Spec.ExternalName) + "; no rule, no NAT, no packet is proxied"
	case si.Svc.Headless():
		return "DNS answers the Pod IPs; the packet goes straight to a Pod, nothing rewrites it"
	case !ok:
		return "no endpoint, no DNAT: " + string(tr.Verdict) + " at " + m.stopWhere()
	}
	dns := ""
	if tr.Request.Via == netsim.ViaDNS {
		dns = "name → ClusterIP by DNS, then "
	}
	cip := netip.AddrPortFrom(si.ClusterIP, uint16(tr.Port.Port))
	entry, pod := dnat.Before.Dst, dst.Addr()
	switch via := tr.Request.Via; {
	case (via == netsim.ViaNodePort || via == netsim.ViaLB) && m.wire:
		return fmt.Sprintf("one DNAT, %s → %s (nodePort → targetPort); no ClusterIP on the wire", entry, dst)
	case via == netsim.ViaNodePort:
		return fmt.Sprintf("NodePort %d → port %d on ClusterIP %s → targetPort %d on Pod %s", entry.Port(), cip.Port(), cip.Addr(), dst.Port(), pod)
	case via == netsim.ViaLB:
		return fmt.Sprintf("LoadBalancer %s → port %d on ClusterIP %s → targetPort %d on Pod %s", entry, cip.Port(), cip.Addr(), dst.Port(), pod)
	case m.wire:
		return fmt.Sprintf("%sKUBE-SERVICES → KUBE-SVC → KUBE-SEP: one DNAT, %s → %s", dns, cip, dst)
	}
	return fmt.Sprintf("%sClusterIP %s → targetPort %d on Pod %s: one DNAT", dns, cip, dst.Port(), pod)
}

// dnatHop is the trace's DNAT and where it sends the packet.
func (m *Model) dnatHop() (netsim.Hop, netip.AddrPort, bool) {
	for _, h := range m.trace.Hops {
		if h.Action == netsim.ActDNAT {
			return h, h.After.Dst, true
		}
	}
	return netsim.Hop{}, netip.AddrPort{}, false
}

func (m *Model) stopWhere() string {
	for _, h := range m.trace.Hops {
		if h.Step == m.trace.StopStep {
			return h.Where
		}
	}
	return "the last hop"
}
