package netsim

// Over 400 lines on purpose: this file follows kube-proxy's syncProxyRules
// (pkg/proxy/iptables/proxier.go) step for step, so that the two can be read side by side.

import (
	"net/netip"
	"sort"
	"strings"

	"github.com/svcviz/svcviz/model"
)

// kube-proxy's fixed chains.
const (
	chainServices         = "KUBE-SERVICES"
	chainExternalServices = "KUBE-EXTERNAL-SERVICES"
	chainNodePorts        = "KUBE-NODEPORTS"
	chainPostrouting      = "KUBE-POSTROUTING"
	chainMarkMasq         = "KUBE-MARK-MASQ"
	chainForward          = "KUBE-FORWARD"
	chainProxyFirewall    = "KUBE-PROXY-FIREWALL"
	chainProxyCanary      = "KUBE-PROXY-CANARY"
	chainKubeletFirewall  = "KUBE-FIREWALL"
)

// masqMark is the bit KUBE-MARK-MASQ sets and KUBE-POSTROUTING masquerades on
// (kube-proxy's default --iptables-masquerade-bit 14).
const masqMark uint32 = 1 << 14

// nfacct counters kube-proxy counts packets with (the reference node has nfacct).
const (
	nfacctInvalidDropped    = "ct_state_invalid_dropped_pkts"
	nfacctLocalhostNodePort = "localhost_nps_accepted_pkts"
)

// The fixed comments, shared with tests and the trace.
const (
	commentNodePortsJump = "kubernetes service nodeports; NOTE: this must be the last rule in this chain"
)

// jump is one rule kube-proxy ensures in a built-in chain, pointing at one of its own.
type jump struct {
	table, from, to string
	comment         string
	ctNew           bool // the rule matches only conntrack state NEW
}

// jumpRules are kube-proxy's iptablesJumpChains followed by the kubelet duplicates, in the
// order kube-proxy ensures them. Each is inserted at the top of its built-in chain
// (EnsureRule Prepend), so in a chain they end up in reverse order.
var jumpRules = []jump{
	{TableFilter, "INPUT", chainExternalServices, "kubernetes externally-visible service portals", true},
	{TableFilter, "FORWARD", chainExternalServices, "kubernetes externally-visible service portals", true},
	{TableFilter, "INPUT", chainNodePorts, "kubernetes health check service ports", false},
	{TableFilter, "FORWARD", chainServices, "kubernetes service portals", true},
	{TableFilter, "OUTPUT", chainServices, "kubernetes service portals", true},
	{TableFilter, "FORWARD", chainForward, "kubernetes forwarding rules", false},
	{TableFilter, "INPUT", chainProxyFirewall, "kubernetes load balancer firewall", true},
	{TableFilter, "OUTPUT", chainProxyFirewall, "kubernetes load balancer firewall", true},
	{TableFilter, "FORWARD", chainProxyFirewall, "kubernetes load balancer firewall", true},
	{TableNAT, "OUTPUT", chainServices, "kubernetes service portals", false},
	{TableNAT, "PREROUTING", chainServices, "kubernetes service portals", false},
	{TableNAT, "POSTROUTING", chainPostrouting, "kubernetes postrouting rules", false},
	// kubelet's own chain, which kube-proxy ensures too; its jumps carry no comment.
	{TableFilter, "INPUT", chainKubeletFirewall, "", false},
	{TableFilter, "OUTPUT", chainKubeletFirewall, "", false},
}

// BuildRules returns the rules kube-proxy's iptables proxier (v1.37, one full sync) writes
// on node for the given Service ports: nfacct available, iptables with --random-fully,
// localhost nodePorts on (IPv4), nodePortAddresses unset, masqueradeAll off, and the
// cluster-CIDR local-traffic detector (none when node.ClusterCIDR is invalid).
// Ports whose ClusterIP is invalid (headless) get no rules.
func BuildRules(node ProxyNode, ports []ProxyPort) *Ruleset {
	rs := newRuleset()
	ipv6 := node.IP.Is6()
	writeJumpRules(rs)
	writeFixedChains(rs, ipv6)
	for _, p := range sortedPorts(ports) {
		if !p.ClusterIP.IsValid() || p.ClusterIP.Is6() != ipv6 {
			continue
		}
		writePort(rs, planPort(node, p))
	}
	writeNodePortsJump(rs, ipv6)
	writeForwardRules(rs)
	return rs
}

func writeJumpRules(rs *Ruleset) {
	for i := len(jumpRules) - 1; i >= 0; i-- {
		j := jumpRules[i]
		rs.ensureChain(j.table, j.to, "")
		r := &Rule{Chain: j.from, Comment: j.comment, Target: j.to}
		if j.ctNew {
			r.CtState, r.ConntrackFirst = "NEW", true
		}
		rs.add(j.table, r)
	}
}

// writeFixedChains declares kube-proxy's own chains and writes the rules that do not
// depend on any Service: masquerade marking, SNAT, and the localnet guard.
func writeFixedChains(rs *Ruleset, ipv6 bool) {
	for _, c := range []string{chainServices, chainExternalServices, chainForward, chainNodePorts, chainProxyFirewall, chainProxyCanary} {
		rs.ensureChain(TableFilter, c, "")
	}
	for _, c := range []string{chainServices, chainNodePorts, chainPostrouting, chainMarkMasq, chainProxyCanary} {
		rs.ensureChain(TableNAT, c, "")
	}
	rs.add(TableNAT, &Rule{Chain: chainPostrouting, MatchMark: &Mark{masqMark, masqMark}, NotMark: true, Target: TargetReturn})
	// Clear the mark (--xor-mark) so a packet that re-traverses the stack is not SNATed twice.
	rs.add(TableNAT, &Rule{Chain: chainPostrouting, Target: TargetMark, SetXMark: &Mark{masqMark, 0}})
	rs.add(TableNAT, &Rule{Chain: chainPostrouting, Comment: "kubernetes service traffic requiring SNAT", Target: TargetMasquerade, RandomFully: true})
	// --or-mark, which iptables-save prints as --set-xmark value/value.
	rs.add(TableNAT, &Rule{Chain: chainMarkMasq, Target: TargetMark, SetXMark: &Mark{masqMark, masqMark}})
	if !ipv6 {
		// route_localnet (for localhost nodePorts) would let anyone reach 127.0.0.0/8;
		// this rule closes that hole for everything but DNATed nodePort traffic.
		loop := netip.MustParsePrefix("127.0.0.0/8")
		rs.add(TableFilter, &Rule{Chain: chainKubeletFirewall, Source: loop, NotSource: true, Dest: loop,
			Comment: "block incoming localnet connections", CtState: "RELATED,ESTABLISHED,DNAT", NotCtState: true,
			Target: TargetDrop})
	}
}

// writeNodePortsJump is the tail call from KUBE-SERVICES to KUBE-NODEPORTS: it must come
// after every Service rule, so a ClusterIP that happens to be local is matched first.
func writeNodePortsJump(rs *Ruleset, ipv6 bool) {
	r := &Rule{Chain: chainServices, Comment: commentNodePortsJump, DstTypeLocal: true, Target: chainNodePorts}
	if ipv6 {
		// localhost nodePorts never work over IPv6.
		r.Dest, r.NotDest = netip.MustParsePrefix("::1/128"), true
	}
	rs.add(TableNAT, r)
}

func writeForwardRules(rs *Ruleset) {
	rs.add(TableFilter, &Rule{Chain: chainForward, CtState: "INVALID", Nfacct: nfacctInvalidDropped, Target: TargetDrop})
	// Forward what kube-proxy marked even when the FORWARD policy is DROP.
	rs.add(TableFilter, &Rule{Chain: chainForward, Comment: "kubernetes forwarding rules",
		MatchMark: &Mark{masqMark, masqMark}, Target: TargetAccept})
	rs.add(TableFilter, &Rule{Chain: chainForward, Comment: "kubernetes forwarding conntrack rule",
		CtState: "RELATED,ESTABLISHED", Target: TargetAccept})
}

// sortedPorts orders ports by Service ("ns/name"), keeping the callers' order within a
// Service. kube-proxy walks a map, so its real order is random; the reference dumps (and
// kube-proxy's tests) sort KUBE-SERVICES and KUBE-NODEPORTS by the Service in the comment.
func sortedPorts(ports []ProxyPort) []ProxyPort {
	out := append([]ProxyPort(nil), ports...)
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Namespace+"/"+out[i].Name < out[j].Namespace+"/"+out[j].Name
	})
	return out
}

// portPlan is everything syncProxyRules decides about one Service port before it writes.
type portPlan struct {
	p                     ProxyPort
	name, proto           string // servicePortName, lower-case protocol
	node                  ProxyNode
	svcChain, svlChain    string
	extChain              string
	clusterEPs, localEPs  []ProxyEndpoint
	reachableEPs          []ProxyEndpoint // endpoints that get a KUBE-SEP- chain
	externalIPs, lbIPs    []netip.Addr
	extLocal              bool // externalTrafficPolicy Local, and the port is externally reachable
	hasEndpoints          bool // ready endpoints anywhere in the cluster
	hasInternal           bool // ClusterIP traffic has somewhere to go from this node
	hasExternal           bool // external traffic from outside has somewhere to go
	internalChain         string
	externalPolicyChain   string
	usesClusterChain      bool
	usesLocalChain        bool
	usesExtChain          bool
	internalFilterTarget  string // REJECT or DROP when ClusterIP traffic has nowhere to go
	internalFilterComment string
	externalFilterTarget  string
	externalFilterComment string
}

// planPort follows kube-proxy's CategorizeEndpoints and the traffic-policy decisions at the
// top of syncProxyRules' per-port loop. Every ProxyEndpoint is a ready endpoint.
func planPort(node ProxyNode, p ProxyPort) portPlan {
	pl := portPlan{p: p, node: node, name: ServicePortName(p.Namespace, p.Name, p.PortName), proto: strings.ToLower(p.Protocol)}
	if pl.proto == "" {
		pl.proto = "tcp" // the API server's default
	}
	pl.svcChain = SVCChain(pl.name, pl.proto)
	pl.svlChain = SVLChain(pl.name, pl.proto)
	pl.extChain = EXTChain(pl.name, pl.proto)
	pl.externalIPs = sameFamily(p.ExternalIPs, p.ClusterIP)
	pl.lbIPs = sameFamily(p.LoadBalancerIPs, p.ClusterIP)

	external := p.NodePort != 0 || len(pl.externalIPs) > 0 || len(pl.lbIPs) > 0
	pl.extLocal = p.ExternalLocal && external
	// Even with externalTrafficPolicy Local, pods reaching an external address are sent to
	// the Cluster chain (short-circuit), so any external access needs Cluster endpoints.
	usesCluster := !p.InternalLocal || external
	usesLocal := p.InternalLocal || pl.extLocal

	all := sortedEndpoints(p.Endpoints)
	pl.hasEndpoints = len(all) > 0
	if usesCluster {
		pl.clusterEPs = all
	}
	if usesLocal {
		pl.localEPs = localEndpoints(all, node.Name)
	}
	pl.reachableEPs = pl.clusterEPs
	if !usesCluster {
		pl.reachableEPs = pl.localEPs
	}
	pl.usesClusterChain = len(pl.clusterEPs) > 0
	pl.usesLocalChain = usesLocal && len(pl.localEPs) > 0
	pl.usesExtChain = pl.hasEndpoints && external

	pl.internalChain, pl.hasInternal = pl.svcChain, pl.hasEndpoints
	if p.InternalLocal {
		pl.internalChain, pl.hasInternal = pl.svlChain, len(pl.localEPs) > 0
	}
	pl.externalPolicyChain, pl.hasExternal = pl.svcChain, pl.hasEndpoints
	if pl.extLocal {
		pl.externalPolicyChain, pl.hasExternal = pl.svlChain, len(pl.localEPs) > 0
	}
	pl.setFilterTargets()
	return pl
}

// setFilterTargets picks what the filter table does with traffic that has no endpoint:
// REJECT (connection refused) when the port has none anywhere, DROP when only the Local
// policy leaves it without one.
func (pl *portPlan) setFilterTargets() {
	if !pl.hasEndpoints {
		comment := pl.name + " has no endpoints"
		pl.internalFilterTarget, pl.internalFilterComment = TargetReject, comment
		pl.externalFilterTarget, pl.externalFilterComment = TargetReject, comment
		return
	}
	comment := pl.name + " has no local endpoints"
	if !pl.hasInternal {
		pl.internalFilterTarget, pl.internalFilterComment = TargetDrop, comment
	}
	if !pl.hasExternal {
		pl.externalFilterTarget, pl.externalFilterComment = TargetDrop, comment
	}
}

// sameFamily keeps the addresses of ref's IP family: one proxier handles one family.
func sameFamily(addrs []netip.Addr, ref netip.Addr) []netip.Addr {
	var out []netip.Addr
	for _, a := range addrs {
		if a.IsValid() && a.Is6() == ref.Is6() {
			out = append(out, a)
		}
	}
	return out
}

// sortedEndpoints orders endpoints as kube-proxy's EndpointSliceCache does: by the string
// "ip:port", so 10.244.0.10 comes before 10.244.0.2. Duplicates collapse, as they do in
// kube-proxy's map keyed by that string.
func sortedEndpoints(eps []ProxyEndpoint) []ProxyEndpoint {
	seen := make(map[string]bool, len(eps))
	var out []ProxyEndpoint
	for _, ep := range eps {
		key := endpointString(ep)
		if !ep.IP.IsValid() || ep.Port <= 0 || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, ep)
	}
	sort.SliceStable(out, func(i, j int) bool { return endpointString(out[i]) < endpointString(out[j]) })
	return out
}

func endpointAddrPort(ep ProxyEndpoint) netip.AddrPort {
	return netip.AddrPortFrom(ep.IP, uint16(ep.Port))
}

func endpointString(ep ProxyEndpoint) string { return endpointAddrPort(ep).String() }

// localEndpoints are the endpoints on node; an endpoint with no node name is never local.
func localEndpoints(eps []ProxyEndpoint, node string) []ProxyEndpoint {
	var out []ProxyEndpoint
	for _, ep := range eps {
		if node != "" && ep.NodeName == node {
			out = append(out, ep)
		}
	}
	return out
}

// writePort writes every rule and chain of one Service port, in syncProxyRules' order.
func writePort(rs *Ruleset, pl portPlan) {
	pl.writeClusterIP(rs)
	pl.writeExternalIPs(rs)
	pl.writeLoadBalancerIPs(rs)
	pl.writeNodePort(rs)
	pl.writeInternalMasquerade(rs)
	pl.writeExternalChain(rs)
	if pl.usesClusterChain {
		pl.writeDispatch(rs, pl.svcChain, pl.clusterEPs)
	}
	if pl.usesLocalChain {
		pl.writeDispatch(rs, pl.svlChain, pl.localEPs)
	}
	for _, ep := range pl.reachableEPs {
		pl.writeEndpointChain(rs, ep)
	}
}

// portRule is a rule of this port matching protocol, destination address and port.
func (pl *portPlan) portRule(chain, comment string, dst netip.Addr, dport int32, target string) *Rule {
	r := &Rule{Chain: chain, Service: pl.name, Comment: comment, Protocol: pl.proto, DPort: dport, Target: target}
	if dst.IsValid() {
		r.Dest = hostPrefix(dst)
	}
	if target == TargetReject {
		r.RejectWith = rejectWith(pl.p.ClusterIP) // one proxier, one IP family
	}
	return r
}

func hostPrefix(a netip.Addr) netip.Prefix { return netip.PrefixFrom(a, a.BitLen()) }

// rejectWith is iptables' default REJECT answer for a family, which iptables-save spells out.
func rejectWith(family netip.Addr) string {
	if family.Is6() {
		return "icmp6-port-unreachable"
	}
	return "icmp-port-unreachable"
}

func (pl *portPlan) writeClusterIP(rs *Ruleset) {
	if pl.hasInternal {
		rs.add(TableNAT, pl.portRule(chainServices, pl.name+" cluster IP", pl.p.ClusterIP, pl.p.Port, pl.internalChain))
		return
	}
	rs.add(TableFilter, pl.portRule(chainServices, pl.internalFilterComment, pl.p.ClusterIP, pl.p.Port, pl.internalFilterTarget))
}

func (pl *portPlan) writeExternalIPs(rs *Ruleset) {
	for _, ip := range pl.externalIPs {
		if pl.hasEndpoints {
			rs.add(TableNAT, pl.portRule(chainServices, pl.name+" external IP", ip, pl.p.Port, pl.extChain))
		}
		if !pl.hasExternal {
			rs.add(TableFilter, pl.portRule(chainExternalServices, pl.externalFilterComment, ip, pl.p.Port, pl.externalFilterTarget))
		}
	}
}

// writeLoadBalancerIPs sends LB traffic to the EXT chain. kube-proxy puts a KUBE-FW- chain
// in between only for loadBalancerSourceRanges, which ProxyPort does not carry.
func (pl *portPlan) writeLoadBalancerIPs(rs *Ruleset) {
	if pl.hasEndpoints {
		for _, ip := range pl.lbIPs {
			rs.add(TableNAT, pl.portRule(chainServices, pl.name+" loadbalancer IP", ip, pl.p.Port, pl.extChain))
		}
	}
	if !pl.hasExternal {
		for _, ip := range pl.lbIPs {
			rs.add(TableFilter, pl.portRule(chainExternalServices, pl.externalFilterComment, ip, pl.p.Port, pl.externalFilterTarget))
		}
	}
}

func (pl *portPlan) writeNodePort(rs *Ruleset) {
	np := pl.p.NodePort
	if np == 0 {
		return
	}
	if pl.hasEndpoints {
		if !pl.p.ClusterIP.Is6() {
			// localhost:nodePort, counted so operators can see whether anyone relies on it.
			r := pl.portRule(chainNodePorts, pl.name, netip.Addr{}, np, pl.extChain)
			r.Dest, r.Nfacct = netip.MustParsePrefix("127.0.0.0/8"), nfacctLocalhostNodePort
			rs.add(TableNAT, r)
		}
		rs.add(TableNAT, pl.portRule(chainNodePorts, pl.name, netip.Addr{}, np, pl.extChain))
	}
	if !pl.hasExternal {
		r := pl.portRule(chainExternalServices, pl.externalFilterComment, netip.Addr{}, np, pl.externalFilterTarget)
		r.DstTypeLocal = true
		rs.add(TableFilter, r)
	}
}

// writeInternalMasquerade marks ClusterIP traffic from outside the pod network for SNAT:
// it may have been routed here from off-node, and the reply must come back the same way.
func (pl *portPlan) writeInternalMasquerade(rs *Ruleset) {
	if !pl.hasInternal || !pl.node.ClusterCIDR.IsValid() {
		return
	}
	rs.ensureChain(TableNAT, pl.internalChain, pl.name)
	r := pl.portRule(pl.internalChain, pl.name+" cluster IP", pl.p.ClusterIP, pl.p.Port, chainMarkMasq)
	r.Source, r.NotSource = pl.node.ClusterCIDR.Masked(), true
	rs.add(TableNAT, r)
}

// writeExternalChain is KUBE-EXT-: Cluster policy masquerades everything (the endpoint may
// be on another node); Local policy keeps the client's address but short-circuits pods and
// the node itself to the Cluster chain, as if they had gone out to the LB and back.
func (pl *portPlan) writeExternalChain(rs *Ruleset) {
	if !pl.usesExtChain {
		return
	}
	rs.ensureChain(TableNAT, pl.extChain, pl.name)
	add := func(r *Rule) {
		r.Chain, r.Service = pl.extChain, pl.name
		rs.add(TableNAT, r)
	}
	if !pl.extLocal {
		add(&Rule{Comment: "masquerade traffic for " + pl.name + " external destinations", Target: chainMarkMasq})
	} else {
		if pl.node.ClusterCIDR.IsValid() {
			add(&Rule{Source: pl.node.ClusterCIDR.Masked(), Comment: "pod traffic for " + pl.name + " external destinations", Target: pl.svcChain})
		}
		add(&Rule{Comment: "masquerade LOCAL traffic for " + pl.name + " external destinations", SrcTypeLocal: true, Target: chainMarkMasq})
		add(&Rule{Comment: "route LOCAL traffic for " + pl.name + " external destinations", SrcTypeLocal: true, Target: pl.svcChain})
	}
	if pl.hasExternal {
		add(&Rule{Target: pl.externalPolicyChain})
	}
}

// writeDispatch writes a KUBE-SVC-/KUBE-SVL- chain's endpoint choice: first the affinity
// checks (a client seen recently goes back to its endpoint), then rule i of n jumping with
// probability 1/(n-i), which makes every endpoint equally likely; the last always matches.
func (pl *portPlan) writeDispatch(rs *Ruleset, chain string, eps []ProxyEndpoint) {
	rs.ensureChain(TableNAT, chain, pl.name)
	if pl.p.AffinityClientIP {
		for _, ep := range eps {
			sep := SEPChain(pl.name, pl.proto, endpointAddrPort(ep))
			rs.add(TableNAT, &Rule{Chain: chain, Service: pl.name, Comment: pl.name + " -> " + endpointString(ep),
				Recent: &RecentMatch{Name: sep, Rcheck: true, Seconds: pl.affinitySeconds(), Reap: true, Mask: allOnes(ep.IP)},
				Target: sep})
		}
	}
	n := len(eps)
	for i, ep := range eps {
		r := &Rule{Chain: chain, Service: pl.name, Comment: pl.name + " -> " + endpointString(ep),
			Target: SEPChain(pl.name, pl.proto, endpointAddrPort(ep))}
		if i < n-1 {
			r.Probability = 1 / float64(n-i)
		}
		rs.add(TableNAT, r)
	}
}

// writeEndpointChain is KUBE-SEP-: hairpin traffic (a pod reaching itself through the
// Service) is masqueraded so the reply comes back through the node; then the DNAT.
func (pl *portPlan) writeEndpointChain(rs *Ruleset, ep ProxyEndpoint) {
	sep := SEPChain(pl.name, pl.proto, endpointAddrPort(ep))
	rs.ensureChain(TableNAT, sep, pl.name)
	rs.add(TableNAT, &Rule{Chain: sep, Service: pl.name, Source: hostPrefix(ep.IP), Comment: pl.name, Target: chainMarkMasq})
	dnat := &Rule{Chain: sep, Service: pl.name, Comment: pl.name, Protocol: pl.proto,
		Target: TargetDNAT, ToDestination: endpointAddrPort(ep)}
	if pl.p.AffinityClientIP {
		dnat.Recent = &RecentMatch{Name: sep, Set: true, Mask: allOnes(ep.IP)}
	}
	rs.add(TableNAT, dnat)
}

func (pl *portPlan) affinitySeconds() int {
	if pl.p.AffinitySeconds > 0 {
		return int(pl.p.AffinitySeconds)
	}
	return model.DefaultAffinitySeconds
}

// allOnes is the recent module's default mask for a's family.
func allOnes(a netip.Addr) netip.Addr {
	if a.Is6() {
		var b [16]byte
		for i := range b {
			b[i] = 0xff
		}
		return netip.AddrFrom16(b)
	}
	return netip.AddrFrom4([4]byte{0xff, 0xff, 0xff, 0xff})
}
