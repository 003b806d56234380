package netsim

import (
	"net/netip"
	"strings"

	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/svcviz/svcviz/model"
)

// viaRules sends the packet to the Service's nodePort, LoadBalancer IP or ClusterIP and walks
// kube-proxy's rules on the node it enters: nat PREROUTING (OUTPUT for a node's own process),
// the filter table, nat POSTROUTING, then routing and delivery.
func (tr *tracer) viaRules() {
	node := tr.entryNode()
	tr.pkt.Dst = tr.destination(node)
	tr.send()
	rs, _ := tr.s.Rules(node.Name)
	ctx := tr.evalContext(node)
	chain := "PREROUTING"
	if tr.from.pod == nil && tr.from.node != nil {
		chain = "OUTPUT"
	}
	if chain == "PREROUTING" {
		tr.add(Hop{Where: node.Name, Node: node.Name, Action: ActArrive, Wire: true, Narration: tr.arriveKey(), Args: []string{node.Name, tr.pkt.Dst.String()}})
	}
	tr.s.recentMu.Lock()
	nat := rs.Run(TableNAT, chain, tr.pkt, ctx)
	tr.s.recentMu.Unlock()
	tr.natHops(node, nat)
	if nat.Final != TargetDNAT {
		tr.unmatched(node, rs, ctx, chain)
		return
	}
	tr.pkt = nat.Packet
	if !tr.filterPasses(node, rs, ctx, chain) {
		return
	}
	// A packet that came in and was DNATed to one of the node's own addresses (a hostNetwork
	// endpoint here) is delivered locally through INPUT and never meets POSTROUTING, so it is
	// not masqueraded; a packet the node sends itself always leaves through POSTROUTING.
	if chain == "OUTPUT" || !ctx.Local(tr.pkt.Dst.Addr()) {
		tr.postrouting(node, rs, ctx)
	}
	tr.routeAndDeliver(node)
}

// entryNode is the node whose rules see the packet first.
func (tr *tracer) entryNode() *Node {
	if tr.from.node != nil {
		return tr.from.node
	}
	if n := tr.s.Node(tr.t.Request.ToNode); n != nil {
		return n
	}
	return tr.s.Nodes[0]
}

func (tr *tracer) destination(node *Node) netip.AddrPort {
	if tr.t.Request.Dst.IsValid() {
		return tr.t.Request.Dst
	}
	switch tr.t.Request.Via {
	case ViaNodePort:
		return netip.AddrPortFrom(node.IP, uint16(tr.si.NodePorts[tr.sp.Index]))
	case ViaLB:
		return netip.AddrPortFrom(tr.si.LBIPs[0], uint16(tr.sp.Port))
	}
	return netip.AddrPortFrom(tr.si.ClusterIP, uint16(tr.sp.Port))
}

// send is the first hop: which YAML field the sender's destination comes from.
func (tr *tracer) send() {
	if tr.pkt.Dst.Addr().IsLoopback() && tr.from.pod == nil && tr.from.node != nil {
		// A process dialling 127.0.0.1 speaks from 127.0.0.1.
		tr.pkt.Src = netip.AddrPortFrom(tr.pkt.Dst.Addr(), tr.pkt.Src.Port())
	}
	h := tr.add(Hop{Where: tr.from.name, Action: ActSend, Pod: tr.from.pod, Wire: true, Teaching: true, Args: []string{tr.fromLabel(), tr.pkt.Dst.String(), tr.svcName()}})
	if tr.from.node != nil {
		h.Node = tr.from.node.Name
	}
	switch {
	case tr.t.Request.Dst.IsValid() && tr.pkt.Dst.Addr().IsLoopback() && tr.sp != nil && tr.si.NodePorts[tr.sp.Index] == int32(tr.pkt.Dst.Port()):
		// The node's own loopback on the nodePort: the nodePort decided it.
		h.Narration = "send.nodeport.loopback"
		tr.svcField(h, tr.portPath("nodePort"))
	case tr.t.Request.Dst.IsValid():
		// An address of the user's choosing: no field of the Service decided it.
		h.Narration = "send.addr"
	case tr.t.Request.Via == ViaNodePort:
		h.Narration = "send.nodeport"
		tr.svcField(h, tr.portPath("nodePort"))
	case tr.t.Request.Via == ViaLB:
		h.Narration = "send.lb"
		tr.svcField(h, "spec.type")
	default:
		h.Narration = "send.clusterip"
		tr.svcField(h, tr.portPath("port"))
	}
}

func (tr *tracer) arriveKey() string {
	if tr.from.pod != nil {
		return "arrive.pod"
	}
	return "arrive.node"
}

// evalContext is the node's view: its own addresses are LOCAL; statistic matches draw from
// the trace's seeded RNG (or pick the requested endpoint); affinity state is the node's.
func (tr *tracer) evalContext(node *Node) *EvalContext {
	return &EvalContext{
		Local: func(a netip.Addr) bool {
			return a == node.IP || a == node.Bridge || a.IsLoopback()
		},
		Random: tr.random,
		Recent: tr.s.recentOn(node),
	}
}

// natHops turns the rules a packet took in the nat table into hops.
func (tr *tracer) natHops(node *Node, res Result) {
	steps := res.Steps
	pkt := tr.pkt
	for i := 0; i < len(steps); i++ {
		st := steps[i]
		h := Hop{Where: st.Chain, Node: node.Name, Table: st.Table, Chain: st.Chain, Rule: st.Rule.String(), Before: pkt, Wire: true}
		h.ChainKind = KindOfChain(st.Chain)
		switch {
		case st.Rule.Target == chainMarkMasq:
			// The jump to KUBE-MARK-MASQ and its MARK rule are one event.
			if i+1 < len(steps) && steps[i+1].Chain == chainMarkMasq {
				i++
			}
			tr.markHop(&h, st)
		case st.Rule.Target == TargetDNAT:
			pkt = res.Packet
			h.After = pkt
			tr.dnatHop(&h)
		default:
			tr.jumpHop(&h, st)
		}
		tr.add(h)
		if strings.HasPrefix(st.Chain, "KUBE-EXT-") && strings.HasPrefix(st.Rule.Target, "KUBE-SV") {
			tr.servicePortHop(node)
		}
	}
}

func (tr *tracer) markHop(h *Hop, st Step) {
	h.Action = ActMark
	switch {
	case strings.HasPrefix(st.Chain, "KUBE-EXT-") && tr.from.node != nil:
		h.Narration = "mark.nodeself"
		tr.svcField(h, "spec.externalTrafficPolicy")
	case strings.HasPrefix(st.Chain, "KUBE-EXT-"):
		h.Narration = "mark.external"
		tr.svcField(h, "spec.externalTrafficPolicy")
	case strings.HasPrefix(st.Chain, "KUBE-SEP-"):
		h.Narration = "mark.hairpin"
	default:
		h.Narration = "mark.outside"
		tr.svcField(h, "spec.clusterIP")
	}
	h.Args = []string{tr.pkt.Src.Addr().String()}
}

func (tr *tracer) jumpHop(h *Hop, st Step) {
	h.Action = ActMatch
	target := st.Rule.Target
	h.Jump = KindOfChain(target)
	h.Args = []string{target, tr.svcName()}
	switch {
	case st.Chain == chainNodePorts:
		h.Teaching, h.Narration = true, "match.nodeport"
		h.Args = []string{itoa32(tr.si.NodePorts[tr.sp.Index]), tr.svcName(), target}
		if h.Before.Dst.Addr().IsLoopback() {
			// kube-proxy's localhost rule; it works because kube-proxy sets route_localnet.
			h.Narration = "match.nodeport.localhost"
		}
		tr.svcField(h, tr.portPath("nodePort"))
	case st.Chain == chainServices && target == chainNodePorts:
		h.Narration = "match.tonodeports"
	case st.Chain == chainServices && strings.Contains(st.Rule.Comment, "loadbalancer IP"):
		h.Teaching, h.Narration = true, "match.lb"
		h.Args = []string{h.Before.Dst.String(), tr.svcName(), target}
		tr.svcField(h, "spec.type")
	case st.Chain == chainServices:
		h.Teaching, h.Narration = true, "match.clusterip"
		h.Args = []string{h.Before.Dst.String(), tr.svcName(), target}
		tr.svcField(h, tr.portPath("port"))
	case strings.HasPrefix(st.Chain, "KUBE-SVC-") || strings.HasPrefix(st.Chain, "KUBE-SVL-"):
		tr.chooseHop(h, st)
	case strings.HasPrefix(st.Chain, "KUBE-EXT-") || strings.HasPrefix(st.Chain, "KUBE-FW-"):
		h.Narration = "match.ext"
	default:
		h.Narration = "match.jump"
		h.Args = []string{st.Chain, target}
	}
}

// servicePortHop is the teaching view's middle hop: the nodePort leads to the Service port on
// the ClusterIP. The packet does not change: on the wire the ClusterIP is never on it.
func (tr *tracer) servicePortHop(node *Node) {
	vip := netip.AddrPortFrom(tr.si.ClusterIP, uint16(tr.sp.Port)).String()
	h := tr.add(Hop{Where: tr.svcName(), Node: node.Name, Action: ActServicePort, Teaching: true, Narration: "teach.serviceport",
		Args: []string{itoa32(tr.si.NodePorts[tr.sp.Index]), vip, tr.svcName()}})
	if tr.t.Request.Via == ViaLB {
		h.Narration = "teach.serviceport.lb"
		h.Args[0] = tr.original().Dst.String()
	}
	tr.svcField(h, tr.portPath("port"))
}

// forcedNarration are the choices worded "at random", which have a ".forced" wording for a
// choice the user made.
var forcedNarration = map[string]bool{"choose": true, "choose.slice": true, "choose.affinity.set": true}

func (tr *tracer) dnatHop(h *Hop) {
	h.Action, h.Teaching, h.Narration = ActDNAT, true, "dnat"
	h.Args = []string{h.After.Dst.String(), endpointName(tr.t.Endpoint), tr.sp.TargetPort.String()}
	if tr.sp.TargetPort.Type == intstr.String {
		h.Narration = "dnat.named"
	}
	if b := tr.backingOf(tr.t.Endpoint); b != nil {
		// The port is the one the EndpointSlice lists for this Service port (joined by name):
		// a selectorless Service's targetPort is not used.
		h.Narration = "dnat.slice"
		h.Args = append(h.Args, b.Kind+" "+b.Name)
		h.Field, h.Object = "ports", b.Ref()
		h.Pos = b.Pos(h.Field)
		return
	}
	tr.svcField(h, tr.portPath("targetPort"))
}

// unmatched handles a packet no DNAT rule took: the filter table rejects or drops it, or
// nothing on the node answers.
func (tr *tracer) unmatched(node *Node, rs *Ruleset, ctx *EvalContext, natChain string) {
	var steps []Step
	for _, chain := range tr.filterChains(natChain, ctx) {
		steps = append(steps, rs.Run(TableFilter, chain, tr.pkt, ctx).Steps...)
	}
	for _, st := range steps {
		switch st.Rule.Target {
		case TargetReject:
			h := tr.add(Hop{Where: st.Chain, Node: node.Name, Table: TableFilter, Chain: st.Chain, Rule: st.Rule.String(), Action: ActReject,
				Wire: true, Teaching: true, Narration: "reject", Args: []string{tr.svcName(), tr.pkt.Dst.String()}})
			tr.blame(h, model.CodeNoMatchingPods, model.CodeNoReadyEndpoints, model.CodeNoSelector, model.CodeNamedPortNotFound, model.CodeProtocolMismatch, model.CodeSlicePortMismatch)
			tr.stop(Rejected)
			tr.replyICMP(node)
			return
		case TargetDrop:
			h := tr.add(Hop{Where: st.Chain, Node: node.Name, Table: TableFilter, Chain: st.Chain, Rule: st.Rule.String(), Action: ActDrop,
				Wire: true, Teaching: true, Narration: "drop.local", Args: []string{tr.svcName(), node.Name}})
			tr.svcField(h, "spec.externalTrafficPolicy")
			if st.Chain == chainServices {
				// kube-proxy drops in KUBE-SERVICES for internalTrafficPolicy: Local with no
				// endpoint on this node; externalTrafficPolicy's drop is in KUBE-EXTERNAL-SERVICES.
				h.Narration, h.Args = "drop.filter", []string{st.Chain}
				tr.svcField(h, "spec.internalTrafficPolicy")
			}
			tr.stop(Dropped)
			return
		}
	}
	if !ctx.Local(tr.pkt.Dst.Addr()) {
		tr.noRoute(node)
		return
	}
	tr.nodeRefuses(node)
}

// filterChains are the built-in filter chains the packet meets after nat, in order: INPUT
// for the node's own addresses, OUTPUT for its own processes, FORWARD for everything routed
// through. A node's own packet to one of its own addresses meets both OUTPUT and, looped
// back, INPUT: so a node reaching its own nodePort of a Service without endpoints is
// rejected by KUBE-EXTERNAL-SERVICES (hooked from INPUT), as the kernel shows (netlab).
func (tr *tracer) filterChains(natChain string, ctx *EvalContext) []string {
	local := ctx.Local(tr.pkt.Dst.Addr())
	switch {
	case natChain == "OUTPUT" && local:
		return []string{"OUTPUT", "INPUT"}
	case natChain == "OUTPUT":
		return []string{"OUTPUT"}
	case local:
		return []string{"INPUT"}
	}
	return []string{"FORWARD"}
}

// filterPasses runs the DNATed packet through the filter table; only a REJECT or DROP shows.
func (tr *tracer) filterPasses(node *Node, rs *Ruleset, ctx *EvalContext, natChain string) bool {
	var res Result
	for _, chain := range tr.filterChains(natChain, ctx) {
		if res = rs.Run(TableFilter, chain, tr.pkt, ctx); res.Final == TargetReject || res.Final == TargetDrop {
			break
		}
	}
	if res.Final != TargetReject && res.Final != TargetDrop {
		return true
	}
	st := res.Steps[len(res.Steps)-1]
	tr.add(Hop{Where: st.Chain, Node: node.Name, Table: TableFilter, Chain: st.Chain, Rule: st.Rule.String(), Action: ActDrop,
		Wire: true, Teaching: true, Narration: "drop.filter", Args: []string{st.Chain}})
	tr.stop(Dropped)
	return false
}

func itoa(i int) string { return itoa32(int32(i)) }
