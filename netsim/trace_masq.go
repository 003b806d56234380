package netsim

import "net/netip"

// POSTROUTING: masquerade (a new source address, and with --random-fully a new source port)
// or the client's own address kept.

// postrouting masquerades marked packets: the source becomes the node's address on the way
// to the endpoint. Unmarked external traffic (Local policy) keeps the client's address.
func (tr *tracer) postrouting(node *Node, rs *Ruleset, ctx *EvalContext) {
	res := rs.Run(TableNAT, "POSTROUTING", tr.pkt, ctx)
	if res.Final == TargetMasquerade {
		st := res.Steps[len(res.Steps)-1]
		tr.masquerade(node, Hop{Table: TableNAT, Chain: st.Chain, Rule: st.Rule.String()})
		return
	}
	tr.keepSource(node)
}

// masquerade adds the SNAT hop (h names the rule that did it) and rewrites the source.
// kube-proxy masquerades fully at random in both modes (iptables --random-fully, nftables
// fully-random), so the source port changes too.
func (tr *tracer) masquerade(node *Node, h Hop) {
	after := tr.pkt
	port := tr.randomFullyPort()
	after.Src = netip.AddrPortFrom(tr.masqueradeAddr(node), port)
	h.Where, h.Node, h.Action, h.Before, h.After = "POSTROUTING", node.Name, ActSNAT, tr.pkt, after
	h.Wire, h.Teaching, h.Narration = true, true, "snat"
	h.Args = []string{after.Src.Addr().String(), tr.pkt.Src.Addr().String(), node.Name, itoa(int(port)), itoa(int(tr.pkt.Src.Port()))}
	if after.Src.Addr() == node.PodCIDR.Addr() {
		h.Narration = "snat.overlay" // the .0 address would read as a network address
	}
	// The mark decided the masquerade, so the field that explains the mark explains this
	// (externalTrafficPolicy from outside, the ClusterIP from a node, none for a hairpin).
	if m := tr.lastMark(); m != nil {
		h.Field, h.Object, h.Pos, h.Defaulted, h.Allocated, h.Value = m.Field, m.Object, m.Pos, m.Defaulted, m.Allocated, m.Value
	}
	tr.add(h)
	tr.pkt = after
}

// keepSource says that unmarked external traffic (Local policy) keeps the client's address.
func (tr *tracer) keepSource(node *Node) {
	if tr.from.pod == nil && tr.from.node == nil {
		h := tr.add(Hop{Where: "POSTROUTING", Node: node.Name, Action: ActKeepSource, Wire: true, Teaching: true, Narration: "keepsource",
			Args: []string{tr.pkt.Src.Addr().String()}})
		tr.svcField(h, "spec.externalTrafficPolicy")
	}
}

// lastMark is the hop that marked the packet for masquerade, if any.
func (tr *tracer) lastMark() *Hop {
	for i := len(tr.t.Hops) - 1; i >= 0; i-- {
		if tr.t.Hops[i].Action == ActMark {
			return &tr.t.Hops[i]
		}
	}
	return nil
}

// masqueradeAddr is the address of the interface toward the endpoint: cni0 for a Pod on this
// node, the overlay interface (the node subnet's .0, as flannel does) for another node's Pod,
// and the node's own IP for anything outside the pod network.
// Where the endpoint Pod runs decides, not its address: a node whose /24 is full hands out
// addresses beyond it (see nextPodIP).
func (tr *tracer) masqueradeAddr(node *Node) netip.Addr {
	dst := tr.pkt.Dst.Addr()
	local := node.PodCIDR.Contains(dst)
	if ep := tr.t.Endpoint; ep != nil && ep.Pod != nil {
		if pi := tr.s.PodInfo(ep.Pod); pi != nil && pi.IP == dst {
			local = pi.Node == node
		}
	}
	switch {
	case !tr.s.Config.PodCIDR.Contains(dst):
		return node.IP
	case local:
		return node.Bridge
	}
	return node.PodCIDR.Addr()
}

// randomFullyPort is the source port MASQUERADE --random-fully gives a connection: the kernel
// draws it at random from 1024-65535 (NF_NAT_RANGE_PROTO_RANDOM_FULLY); svcviz draws it from
// the trace's seed, so the same --seed gives the same port.
func (tr *tracer) randomFullyPort() uint16 {
	return uint16(1024 + tr.rng.IntN(65536-1024))
}
