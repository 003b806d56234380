package diagram

import (
	"github.com/svcviz/svcviz/netsim"
)

// placer maps hops to diagram places.
type placer struct {
	l      *Layout
	tr     *netsim.Trace
	wire   bool
	origin Place
}

func newPlacer(l *Layout, tr *netsim.Trace, wire bool) *placer {
	p := &placer{l: l, tr: tr, wire: wire}
	p.origin = p.originPlace()
	return p
}

// originPlace is where the packet starts: the client, a Pod, or a node's way in.
func (p *placer) originPlace() Place {
	o := p.tr.Origin
	switch {
	case o.Pod != nil:
		if k, ok := p.boxOf(o.Pod); ok {
			return Place{PlacePod, k}
		}
	case o.Node != nil:
		for i, n := range p.l.Scene.Nodes {
			if n == o.Node {
				return Place{PlaceEntry, i}
			}
		}
	}
	return Place{PlaceClient, 0}
}

// at is where hop h happens; prev is where the packet was.
func (p *placer) at(h netsim.Hop, prev Place) Place {
	node := p.nodeOf(h)
	switch h.Action {
	case netsim.ActSend, netsim.ActDNSQuery, netsim.ActReply:
		return p.origin
	case netsim.ActDNSAnswer, netsim.ActUnresolved:
		return Place{PlaceDNS, 0}
	case netsim.ActArrive:
		if p.external() {
			return Place{PlaceEntry, node}
		}
		if p.origin.Kind == PlacePod {
			return Place{PlaceCNI, p.l.Pods[p.origin.I].Node}
		}
		return prev
	case netsim.ActRoute:
		if k, ok := p.podFor(h); ok {
			return Place{PlaceCNI, p.l.Pods[k].Node}
		}
		return Place{PlaceCNI, node}
	case netsim.ActDeliver, netsim.ActRefuse:
		if k, ok := p.podFor(h); ok {
			return Place{PlacePod, k}
		}
		return Place{PlaceCNI, node}
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
func (p *placer) netfilter(node int, prev Place) Place {
	switch {
	case p.external() || p.origin.Kind == PlaceEntry:
		return Place{PlaceEntry, node}
	case prev.Kind == PlaceCNI || prev.Kind == PlaceEntry:
		return prev
	}
	return Place{PlaceCNI, node}
}

// chainPlace places rule hops: the Service's own chains in its box, the node-wide chains
// where the packet came in.
func (p *placer) chainPlace(h netsim.Hop, node int, prev Place) Place {
	switch {
	case h.Action == netsim.ActServicePort || h.Action == netsim.ActChoose || h.Action == netsim.ActDNAT,
		h.Action == netsim.ActSNAT || h.Action == netsim.ActKeepSource:
		return Place{PlaceService, node}
	case h.ChainKind.ServiceOwned():
		return Place{PlaceService, node}
	case p.external():
		return Place{PlaceEntry, node}
	case h.Action == netsim.ActReject || h.Action == netsim.ActDrop || toServiceChain(h):
		return Place{PlaceService, node}
	}
	return prev
}

// toServiceChain reports KUBE-SERVICES sending a ClusterIP's packet to the Service port's
// chain: from there on the packet is in the Service's rules.
func toServiceChain(h netsim.Hop) bool {
	return h.Action == netsim.ActMatch && h.ChainKind == netsim.ChainServices &&
		(h.Jump == netsim.ChainServicePort || h.Jump == netsim.ChainServiceLocal)
}

func (p *placer) external() bool {
	v := p.tr.Request.Via
	return p.origin.Kind == PlaceClient || v == netsim.ViaNodePort || v == netsim.ViaLB
}

func (p *placer) nodeOf(h netsim.Hop) int {
	for i, n := range p.l.Scene.Nodes {
		if n.Name == h.Node {
			return i
		}
	}
	if p.origin.Kind == PlaceEntry {
		return p.origin.I
	}
	return 0
}

// podFor finds the box of the Pod a hop is headed to.
func (p *placer) podFor(h netsim.Hop) (int, bool) {
	if h.Pod == nil {
		return 0, false
	}
	return p.boxOf(h.Pod)
}

// PodBox finds a Pod's box; false when the Pod is not drawn.
func (p *placer) boxOf(pi *netsim.PodInfo) (int, bool) {
	for k, pb := range p.l.Pods {
		if pb.Item.Pod == pi.Pod {
			return k, true
		}
	}
	return 0, false
}
