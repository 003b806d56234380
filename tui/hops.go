package tui

import (
	"strings"

	"github.com/svcviz/svcviz/netsim"
)

// placer maps hops to diagram places.
type placer struct {
	l      *layout
	tr     *netsim.Trace
	wire   bool
	origin place
}

func newPlacer(l *layout, tr *netsim.Trace, wire bool) *placer {
	p := &placer{l: l, tr: tr, wire: wire}
	p.origin = p.originPlace()
	return p
}

// originPlace is where the packet starts: the client, a Pod, or a node's way in.
func (p *placer) originPlace() place {
	ref := originRef(p.tr)
	if ref == "" || ref == "external" || ref == "client" {
		return place{plClient, 0}
	}
	for i, n := range p.l.sc.Nodes {
		if n.Name == ref {
			return place{plEntry, i}
		}
	}
	_, name, ok := strings.Cut(ref, "/")
	if !ok {
		name = ref
	}
	for k, pb := range p.l.Pods {
		if pb.Item.Name == name {
			return place{plPod, k}
		}
	}
	return place{plClient, 0}
}

// at is where hop h happens; prev is where the packet was.
func (p *placer) at(h netsim.Hop, prev place) place {
	node := p.nodeOf(h)
	switch h.Action {
	case netsim.ActSend, netsim.ActDNSQuery, netsim.ActReply:
		return p.origin
	case netsim.ActDNSAnswer, netsim.ActUnresolved:
		return place{plDNS, 0}
	case netsim.ActArrive:
		if p.external() {
			return place{plEntry, node}
		}
		if p.origin.Kind == plPod {
			return place{plCNI, p.l.Pods[p.origin.I].Node}
		}
		return prev
	case netsim.ActRoute:
		if k, ok := p.podFor(h); ok {
			return place{plCNI, p.l.Pods[k].Node}
		}
		return place{plCNI, node}
	case netsim.ActDeliver, netsim.ActRefuse:
		if k, ok := p.podFor(h); ok {
			return place{plPod, k}
		}
		return place{plCNI, node}
	}
	if p.wire {
		return p.netfilter(node, prev)
	}
	return p.chainPlace(h, node, prev)
}

// netfilter is where the wire view shows rule hops (kube-proxy's chains, DNAT, masquerade, a
// REJECT): in the node, where the packet came into its netfilter hooks, the node's way in or
// its bridge for a packet from a Pod. The packet stays there until it is routed; the
// Service's box is the teaching view's picture of those rules, and the wire never sees it.
func (p *placer) netfilter(node int, prev place) place {
	switch {
	case p.external() || p.origin.Kind == plEntry:
		return place{plEntry, node}
	case prev.Kind == plCNI || prev.Kind == plEntry:
		return prev
	}
	return place{plCNI, node}
}

// chainPlace places rule hops: the Service's own chains in its box, the node-wide chains
// where the packet came in.
func (p *placer) chainPlace(h netsim.Hop, node int, prev place) place {
	c := h.Chain + " " + h.Where
	switch {
	case h.Action == netsim.ActServicePort || h.Action == netsim.ActChoose || h.Action == netsim.ActDNAT,
		h.Action == netsim.ActSNAT || h.Action == netsim.ActKeepSource:
		return place{plSvc, node}
	case strings.Contains(c, "KUBE-SVC") || strings.Contains(c, "KUBE-SVL") || strings.Contains(c, "KUBE-SEP"),
		strings.Contains(c, "KUBE-EXT-") || strings.Contains(c, "KUBE-FW"):
		return place{plSvc, node}
	case p.external():
		return place{plEntry, node}
	case h.Action == netsim.ActReject || h.Action == netsim.ActDrop || strings.HasPrefix(h.Narration, "match.clusterip"):
		return place{plSvc, node}
	}
	return prev
}

func (p *placer) external() bool {
	v := p.tr.Request.Via
	return p.origin.Kind == plClient || v == netsim.ViaNodePort || v == netsim.ViaLB
}

func (p *placer) nodeOf(h netsim.Hop) int {
	for i, n := range p.l.sc.Nodes {
		if n.Name == h.Node {
			return i
		}
	}
	if p.origin.Kind == plEntry {
		return p.origin.I
	}
	return 0
}

// podFor finds the Pod a hop is headed to, by its destination address, then by name.
func (p *placer) podFor(h netsim.Hop) (int, bool) {
	dst := h.After.Dst.Addr()
	for k, pb := range p.l.Pods {
		if pb.Item.IP == dst {
			return k, true
		}
	}
	name, _, _ := strings.Cut(h.Where, "/")
	for k, pb := range p.l.Pods {
		if pb.Item.Name == name {
			return k, true
		}
	}
	return 0, false
}
