package tui

import (
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
	o := p.tr.Origin
	switch {
	case o.Pod != nil:
		if k, ok := p.podBox(o.Pod); ok {
			return place{plPod, k}
		}
	case o.Node != nil:
		for i, n := range p.l.sc.Nodes {
			if n == o.Node {
				return place{plEntry, i}
			}
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
	switch {
	case h.Action == netsim.ActServicePort || h.Action == netsim.ActChoose || h.Action == netsim.ActDNAT,
		h.Action == netsim.ActSNAT || h.Action == netsim.ActKeepSource:
		return place{plSvc, node}
	case h.ChainKind.ServiceOwned():
		return place{plSvc, node}
	case p.external():
		return place{plEntry, node}
	case h.Action == netsim.ActReject || h.Action == netsim.ActDrop || toServiceChain(h):
		return place{plSvc, node}
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

// podFor finds the box of the Pod a hop is headed to.
func (p *placer) podFor(h netsim.Hop) (int, bool) {
	if h.Pod == nil {
		return 0, false
	}
	return p.podBox(h.Pod)
}

// podBox finds a Pod's box; false when the Pod is not drawn.
func (p *placer) podBox(pi *netsim.PodInfo) (int, bool) {
	for k, pb := range p.l.Pods {
		if pb.Item.Pod == pi.Pod {
			return k, true
		}
	}
	return 0, false
}
