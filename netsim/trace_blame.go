package netsim

import (
	"strings"

	"github.com/svcviz/svcviz/model"
)

// Where a packet ends that finds no endpoint or no rule, and which field its hop blames.

// nodeRefuses is a packet to one of the node's own addresses that no kube-proxy rule knows (a
// port that is no nodePort): it goes up the node's own stack, where nothing in the simulated
// cluster listens, and the kernel answers as for any closed port: a TCP RST, ICMP port
// unreachable for UDP, an SCTP ABORT. No Service field decided it.
func (tr *tracer) nodeRefuses(node *Node) {
	tr.add(Hop{Where: node.Name, Node: node.Name, Action: ActRefuse, Wire: true, Teaching: true, Narration: "refuse.node" + protoSuffix(tr.pkt.Proto),
		Args: []string{tr.pkt.Dst.String(), node.Name}})
	tr.stop(Refused)
	back := Packet{Src: tr.pkt.Dst, Dst: tr.pkt.Src, Proto: tr.pkt.Proto}
	switch tr.pkt.Proto {
	case "UDP":
		tr.replyICMP(node)
	case "SCTP":
		tr.add(Hop{Where: node.Name, Node: node.Name, Action: ActReply, Wire: true, Teaching: true, Narration: "reply.abort", Before: back, After: back})
	default:
		tr.add(Hop{Where: node.Name, Node: node.Name, Action: ActReply, Wire: true, Teaching: true, Narration: "reply.rst", Before: back, After: back})
	}
}

// noRoute is a packet to an address no kube-proxy rule knows and the node does not own (an
// unallocated ClusterIP, a port the ClusterIP does not serve, any other address): iptables
// mode has no rule for it (nftables' cluster-ips-check has), so the node routes it by its
// default route, out of the simulated cluster; nothing answers and the client times out.
// The hop blames no field, except spec.ports when the address is the Service's ClusterIP
// (the ports it serves lack this one).
func (tr *tracer) noRoute(node *Node) {
	h := tr.add(Hop{Where: node.Name, Node: node.Name, Action: ActRoute, Wire: true, Teaching: true, Narration: "route.default", Args: []string{tr.pkt.Dst.String(), node.Name}})
	if tr.pkt.Dst.Addr() == tr.si.ClusterIP {
		h.Narration = "route.default.badport"
		tr.svcField(h, "spec.ports")
	}
	tr.stop(Dropped)
}

// blame points a hop where the packet finds no endpoint at the diagnostic that explains why
// (explain's codes, first found first) and at the field that diagnostic names: the field that
// decided (a named targetPort no container declares, the port's protocol), not the selector
// that matched. Without such a diagnostic it points at spec.selector.
func (tr *tracer) blame(h *Hop, codes ...string) { tr.blameOr(h, "spec.selector", codes...) }

// blameOr is blame with another field (of the Service) for when no diagnostic explains the
// hop; "" leaves the hop's field alone.
func (tr *tracer) blameOr(h *Hop, fallback string, codes ...string) {
	d := tr.explain(codes...)
	h.Diagnostic = d
	switch {
	case d == nil || d.Field == "":
		if fallback != "" {
			tr.svcField(h, fallback)
		}
	case d.Object == tr.si.Svc.Ref():
		tr.svcField(h, d.Field)
	default: // an EndpointSlice or Endpoints object of a selectorless Service
		h.Field, h.Object, h.Pos = d.Field, d.Object, model.Pos{File: d.File, Line: d.Line}
	}
}

// explain finds the diagnostic that says why a packet died here.
// Diagnostics of the EndpointSlices that back the Service count as the Service's.
//
// A diagnostic about another port of the Service does not explain this one.
func (tr *tracer) explain(codes ...string) *model.Diagnostic {
	refs := map[string]bool{tr.si.Svc.Ref(): true}
	for _, e := range tr.si.Svc.Backing {
		refs[e.Ref()] = true
	}
	svc := tr.si.Svc.Ref()
	otherPort := func(d *model.Diagnostic) bool {
		return d.Object == svc && tr.sp != nil && strings.HasPrefix(d.Field, "spec.ports[") &&
			d.Field != tr.sp.Path() && !strings.HasPrefix(d.Field, tr.sp.Path()+".")
	}
	for _, code := range codes {
		for i := range tr.s.Diagnostics {
			d := &tr.s.Diagnostics[i]
			if refs[d.Object] && d.Code == code && !otherPort(d) {
				return d
			}
		}
	}
	return nil
}
