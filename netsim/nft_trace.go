package netsim

import (
	"net/netip"
	"strings"

	"github.com/svcviz/svcviz/model"
)

// NftTableName is what nftables hops put in Hop.Table.
const NftTableName = "ip kube-proxy"

// viaNftables walks kube-proxy's nftables table on the node the packet enters, hook by hook
// as the kernel runs the base chains: prerouting (filter-prerouting-pre-dnat at -110, then
// nat-prerouting at dstnat) or, for a node's own process, output (filter-output-pre-dnat,
// nat-output); then the filter chain of input, forward or output; then nat-postrouting;
// then the routing and delivery both modes share.
func (tr *tracer) viaNftables() {
	node := tr.entryNode()
	tr.pkt.Dst = tr.destination(node)
	tr.send()
	t, _ := tr.s.Nftables(node.Name)
	ctx := tr.nftContext(node)
	out := tr.from.pod == nil && tr.from.node != nil
	pre, nat := "filter-prerouting-pre-dnat", "nat-prerouting"
	if out {
		pre, nat = "filter-output-pre-dnat", "nat-output"
	} else {
		tr.add(Hop{Where: node.Name, Node: node.Name, Action: ActArrive, Wire: true, Narration: "nft." + tr.arriveKey(),
			Args: []string{node.Name, tr.pkt.Dst.String()}})
	}
	if !tr.nftFirewall(node, t.Run(pre, tr.pkt, ctx)) {
		return
	}
	tr.s.recentMu.Lock()
	res := t.Run(nat, tr.pkt, ctx)
	tr.s.recentMu.Unlock()
	tr.nftNATHops(node, t, res)
	dnat := res.Final == "dnat"
	tr.pkt = res.Packet
	local := tr.nftLocal(node)
	filter := "filter-forward"
	switch {
	case out:
		filter = "filter-output"
	case local(tr.pkt.Dst.Addr()):
		filter = "filter-input"
	}
	if !tr.nftFilter(node, t.Run(filter, tr.pkt, ctx)) {
		return
	}
	// The node's own packet to one of its own addresses comes back in through input, where
	// no-endpoint-nodeports rejects a nodePort without endpoints (as the kernel shows, netlab).
	if out && local(tr.pkt.Dst.Addr()) && !tr.nftFilter(node, t.Run("filter-input", tr.pkt, ctx)) {
		return
	}
	if !dnat {
		tr.nftUnmatched(node)
		return
	}
	// As in iptables mode: a packet DNATed to the node's own address is delivered through
	// input and never meets postrouting.
	if out || !local(tr.pkt.Dst.Addr()) {
		tr.nftPostrouting(node, t, ctx)
	}
	tr.routeAndDeliver(node)
}

func (tr *tracer) nftLocal(node *Node) func(netip.Addr) bool {
	return func(a netip.Addr) bool { return a == node.IP || a == node.Bridge || a.IsLoopback() }
}

// nftContext: the node's own addresses for fib, numgen from the trace's seeded RNG (or the
// requested endpoint), and the Sim's affinity sets.
func (tr *tracer) nftContext(node *Node) *NftContext {
	return &NftContext{
		Local: tr.nftLocal(node),
		Pick: func(chain string, to []netip.AddrPort) int {
			if n := tr.choice.Nth(); n > 0 {
				return n - 1
			}
			if dst, ok := tr.podEndpointAddr(tr.choice.Pod()); ok {
				for i, ap := range to {
					if ap == dst {
						return i
					}
				}
			}
			return tr.rng.IntN(len(to))
		},
		Dynamic: tr.s.recentOn(node),
	}
}

// nftHop is a hop at one rule of the table, naming the set element the rule matched.
func (tr *tracer) nftHop(node *Node, st NftStep, t *NftTable) Hop {
	h := Hop{Where: st.Chain, Node: node.Name, Table: NftTableName, Chain: st.Chain, ChainKind: NftChainKind(st.Chain), Rule: st.Rule.String(),
		Before: tr.pkt, Wire: true, Set: st.Set}
	for _, e := range st.Rule.Exprs {
		if e.Op == OpJump || e.Op == OpGoto {
			h.Jump = NftChainKind(e.Chain)
		}
	}
	if st.Element != nil && st.Element.Verdict.Chain != "" {
		h.Jump = NftChainKind(st.Element.Verdict.Chain)
	}
	if st.Element != nil {
		if s := t.Set(st.Set); s != nil {
			h.Element = s.elementString(st.Element)
		}
	}
	return h
}

// NftChainKind classifies a chain of kube-proxy's nftables table by what it is for, in the
// terms of the iptables design (ChainKind), so readers treat both modes alike.
func NftChainKind(name string) ChainKind {
	switch name {
	case "":
		return ""
	case nftServicesChain:
		return ChainServices
	case nftMasquerading:
		return ChainPostrouting
	case nftFirewallCheck:
		return ChainFirewall
	}
	for _, bc := range nftBaseChains {
		if bc.Name == name {
			return ChainBuiltin
		}
	}
	for prefix, k := range map[string]ChainKind{nftClusterPrefix: ChainServicePort, nftLocalPrefix: ChainServiceLocal,
		nftExternalPrefix: ChainExternal, nftFirewallPrefix: ChainFirewall, nftEndpointPrefix: ChainEndpoint} {
		// service-endpoints-check is kube-proxy's own; per-Service chains carry a hash and "/".
		if strings.HasPrefix(name, prefix) && strings.Contains(name, "/") {
			return k
		}
	}
	return ChainOther
}

// nftFirewall shows the loadBalancerSourceRanges check, which runs before DNAT so it sees
// the LoadBalancer IP. It reports whether the packet goes on.
func (tr *tracer) nftFirewall(node *Node, res NftResult) bool {
	t, _ := tr.s.Nftables(node.Name)
	for _, st := range res.Steps {
		if st.Set != nftFirewallIPsMap {
			continue
		}
		h := tr.nftHop(node, st, t)
		h.Action, h.Teaching, h.Narration = ActMatch, true, "nft.firewall.allow"
		if res.Final == "drop" {
			last := res.Steps[len(res.Steps)-1]
			h.Chain, h.Where, h.Rule = last.Chain, last.Chain, last.Rule.String()
			h.Action, h.Narration = ActDrop, "nft.drop.firewall"
		}
		h.Args = []string{tr.pkt.Src.Addr().String(), tr.svcName()}
		tr.svcField(&h, "spec.loadBalancerSourceRanges")
		tr.add(h)
		if res.Final == "drop" {
			tr.stop(Dropped)
			return false
		}
	}
	return true
}

// nftNATHops turns the rules the packet took in nat-prerouting/nat-output into hops.
func (tr *tracer) nftNATHops(node *Node, t *NftTable, res NftResult) {
	for _, st := range res.Steps {
		h := tr.nftHop(node, st, t)
		switch {
		case st.Did == "mark":
			tr.nftMarkHop(&h, st)
		case st.Set == nftServiceIPsMap || st.Set == nftServiceNodePortsMap:
			tr.nftDispatchHop(&h, st)
		case strings.HasPrefix(st.Chain, nftExternalPrefix):
			h.Action, h.Narration, h.Args = ActMatch, "match.ext", []string{st.Rule.Exprs[len(st.Rule.Exprs)-1].Chain, tr.svcName()}
		case strings.HasPrefix(st.Chain, nftEndpointPrefix) && st.Did == "update":
			h.Action, h.Narration = ActMatch, "nft.affinity.update"
			h.Args = []string{tr.pkt.Src.Addr().String(), st.Set}
			tr.svcField(&h, "spec.sessionAffinity")
		case st.Did == "dnat" || st.Pick >= 0 || (st.Set != "" && strings.HasPrefix(st.Set, nftAffinityPrefix)):
			tr.nftEndpointHops(node, t, &h, st, res)
			continue
		default:
			h.Action, h.Narration, h.Args = ActMatch, "match.jump", []string{st.Chain, st.Rule.Exprs[len(st.Rule.Exprs)-1].Chain}
		}
		tr.add(h)
		if strings.HasPrefix(st.Chain, nftExternalPrefix) && st.Did == "goto" {
			tr.servicePortHop(node)
		}
	}
}

func (tr *tracer) nftMarkHop(h *Hop, st NftStep) {
	h.Action, h.Args = ActMark, []string{tr.pkt.Src.Addr().String()}
	switch {
	case st.Chain == nftServicesChain:
		h.Narration = "mark.outside"
		tr.svcField(h, "spec.clusterIP")
	case tr.from.node != nil:
		h.Narration = "mark.nodeself"
		tr.svcField(h, "spec.externalTrafficPolicy")
	default:
		h.Narration = "mark.external"
		tr.svcField(h, "spec.externalTrafficPolicy")
	}
}

// nftDispatchHop is the services chain's verdict-map lookup: the element for the
// destination (ClusterIP, external or LoadBalancer IP, or nodePort) names the Service chain.
func (tr *tracer) nftDispatchHop(h *Hop, st NftStep) {
	h.Action, h.Teaching = ActMatch, true
	target := st.Element.Verdict.Chain
	dst := h.Before.Dst
	h.Args = []string{dst.String(), tr.svcName(), target}
	switch {
	case st.Set == nftServiceNodePortsMap:
		h.Narration = "match.nodeport"
		h.Args = []string{itoa(int(dst.Port())), tr.svcName(), target}
		tr.svcField(h, tr.portPath("nodePort"))
	case dst.Addr() == tr.si.ClusterIP:
		h.Narration = "match.clusterip"
		tr.svcField(h, tr.portPath("port"))
	case containsAddr(tr.si.LBIPs, dst.Addr()):
		h.Narration = "match.lb"
		tr.svcField(h, "spec.type")
	default:
		h.Narration = "nft.match.externalip"
		tr.svcField(h, "spec.externalIPs")
	}
}

func containsAddr(list []netip.Addr, a netip.Addr) bool {
	for _, x := range list {
		if x == a {
			return true
		}
	}
	return false
}

// nftEndpointHops shows the endpoint choice and the DNAT. Without affinity one rule of the
// service-… (or local-…) chain does both, so it gives two hops; with affinity the choice
// sends the packet to an endpoint-… chain, whose dnat is a hop of its own.
func (tr *tracer) nftEndpointHops(node *Node, t *NftTable, h *Hop, st NftStep, res NftResult) {
	localOnly := strings.HasPrefix(st.Chain, nftLocalPrefix)
	if st.Did == "goto" { // affinity hit, or numgen over endpoint chains
		ep := tr.endpointAt(endpointChainTarget(t, st))
		tr.chooseFacts(h, ep, st.Pick < 0, localOnly)
		if st.Pick >= 0 {
			h.Element = itoa(st.Pick) + " : goto " + st.Rule.Exprs[0].Chains[st.Pick]
		}
		tr.add(*h)
		return
	}
	if !strings.HasPrefix(st.Chain, nftEndpointPrefix) {
		choose := *h
		tr.chooseFacts(&choose, tr.endpointAt(res.Packet.Dst), false, localOnly)
		if st.Pick >= 0 {
			choose.Element = itoa(st.Pick) + " : " + res.Packet.Dst.Addr().String() + " . " + itoa(int(res.Packet.Dst.Port()))
		}
		tr.add(choose)
	}
	h.After = res.Packet
	tr.dnatHop(h)
	if !strings.HasPrefix(st.Chain, nftEndpointPrefix) {
		// The DNAT is in the Service's own chain: iptables mode does it in a KUBE-SEP chain.
		h.Narration = "nft." + h.Narration
	}
	tr.add(*h)
}

// endpointChainTarget is the endpoint a goto to an endpoint-… chain leads to: its dnat.
func endpointChainTarget(t *NftTable, st NftStep) netip.AddrPort {
	var name string
	for _, e := range st.Rule.Exprs {
		switch e.Op {
		case OpGoto:
			name = e.Chain
		case OpNumgenVmap:
			name = e.Chains[st.Pick]
		}
	}
	if c := t.Chain(name); c != nil {
		for _, r := range c.Rules {
			for _, e := range r.Exprs {
				if e.Op == OpDNAT && len(e.To) == 1 {
					return e.To[0]
				}
			}
		}
	}
	return netip.AddrPort{}
}

// nftFilter runs the filter chain the packet meets after nat; a reject or drop ends the
// trace. It reports whether the packet goes on.
func (tr *tracer) nftFilter(node *Node, res NftResult) bool {
	if res.Final != "reject" && res.Final != "drop" {
		return true
	}
	t, _ := tr.s.Nftables(node.Name)
	last := res.Steps[len(res.Steps)-1]
	h := tr.nftHop(node, last, t)
	h.Teaching, h.Args = true, []string{tr.svcName(), tr.pkt.Dst.String()}
	// A verdict-map element decided: keep it on the hop even when its goto led on.
	for _, st := range res.Steps {
		if st.Element != nil && (st.Set == nftNoEndpointServices || st.Set == nftNoEndpointNodePorts) {
			h.Set, h.Element = st.Set, t.Set(st.Set).elementString(st.Element)
		}
	}
	switch {
	case last.Chain == nftClusterIPsCheck && res.Final == "reject":
		h.Action, h.Narration = ActReject, "nft.reject.badport"
		h.Args = []string{tr.pkt.Dst.Addr().String(), itoa(int(tr.pkt.Dst.Port()))}
		if tr.pkt.Dst.Addr() == tr.si.ClusterIP {
			tr.svcField(&h, "spec.ports") // the ports the ClusterIP serves, which lack this one
		}
		tr.stop(Rejected)
	case last.Chain == nftClusterIPsCheck:
		h.Action, h.Narration = ActDrop, "nft.drop.unallocated"
		h.Args = []string{tr.pkt.Dst.Addr().String(), tr.s.Config.ServiceCIDR.String()}
		tr.stop(Dropped)
	case res.Final == "reject":
		h.Action, h.Narration = ActReject, "reject"
		tr.blame(&h, model.CodeNoMatchingPods, model.CodeNoReadyEndpoints, model.CodeNoSelector, model.CodeNamedPortNotFound, model.CodeProtocolMismatch, model.CodeSlicePortMismatch)
		tr.stop(Rejected)
	case h.Element != "" && strings.HasPrefix(h.Element, tr.si.ClusterIP.String()+" "):
		h.Action, h.Narration, h.Args = ActDrop, "drop.filter", []string{last.Chain}
		tr.svcField(&h, "spec.internalTrafficPolicy")
		tr.stop(Dropped)
	default:
		h.Action, h.Narration, h.Args = ActDrop, "drop.local", []string{tr.svcName(), node.Name}
		tr.svcField(&h, "spec.externalTrafficPolicy")
		tr.stop(Dropped)
	}
	tr.add(h)
	tr.t.StopStep = tr.t.Hops[len(tr.t.Hops)-1].Step
	if res.Final == "reject" {
		tr.replyICMP(node)
	}
	return false
}

// nftUnmatched is a packet no rule rewrote and no filter stopped. To 127.0.0.1 it is a
// localhost nodePort, which nftables mode does not serve: the node's own stack finds no
// listener and answers with a RST. Anything else is dropped as in iptables mode.
func (tr *tracer) nftUnmatched(node *Node) {
	if tr.pkt.Dst.Addr().IsLoopback() {
		h := tr.add(Hop{Where: node.Name, Node: node.Name, Action: ActRefuse, Wire: true, Teaching: true, Narration: "nft.localhost",
			Args: []string{tr.pkt.Dst.String(), node.IP.String()}})
		tr.svcField(h, tr.portPath("nodePort"))
		tr.stop(Refused)
		tr.add(Hop{Where: node.Name, Node: node.Name, Action: ActReply, Wire: true, Teaching: true, Narration: "reply.rst",
			Before: Packet{Src: tr.pkt.Dst, Dst: tr.pkt.Src, Proto: tr.pkt.Proto}, After: tr.clientView()})
		return
	}
	if tr.evalContext(node).Local(tr.pkt.Dst.Addr()) {
		tr.nodeRefuses(node)
		return
	}
	tr.noRoute(node)
}

// nftPostrouting: the masquerading chain SNATs a packet marked for it, or a hairpin
// connection (a Pod that reached itself through the Service).
func (tr *tracer) nftPostrouting(node *Node, t *NftTable, ctx *NftContext) {
	res := t.Run("nat-postrouting", tr.pkt, ctx)
	if res.Final != "masquerade" {
		n := len(tr.t.Hops)
		tr.keepSource(node)
		if len(tr.t.Hops) > n {
			tr.t.Hops[n].Where = "nat-postrouting"
		}
		return
	}
	st := res.Steps[len(res.Steps)-1]
	h := tr.nftHop(node, st, t)
	tr.masquerade(node, Hop{Table: h.Table, Chain: h.Chain, ChainKind: h.ChainKind, Rule: h.Rule, Set: h.Set, Element: h.Element})
	last := &tr.t.Hops[len(tr.t.Hops)-1]
	last.Where = st.Chain
	if st.Set == nftHairpinSet {
		last.Narration = "nft.snat.hairpin"
	}
}
