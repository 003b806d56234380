package netsim

import "net/netip"

// nftPort is one Service port's nftables names, next to the policy decisions of portPlan
// (the same CategorizeEndpoints and traffic-policy logic both proxiers share).
type nftPort struct {
	portPlan
	base                          string // "VTKG5A3G-default/myapp-service/tcp/"
	cluster, local, external, fw  string
	internalChain, extPolicyChain string
}

func newNftPort(pl portPlan) nftPort {
	np := nftPort{portPlan: pl, base: NftServiceBase(pl.p.Namespace, pl.p.Name, pl.proto, pl.p.PortName)}
	np.cluster = nftClusterPrefix + np.base
	np.local = nftLocalPrefix + np.base
	np.external = nftExternalPrefix + np.base
	np.fw = nftFirewallPrefix + np.base
	np.internalChain, np.extPolicyChain = np.cluster, np.cluster
	if pl.p.InternalLocal {
		np.internalChain = np.local
	}
	if pl.extLocal {
		np.extPolicyChain = np.local
	}
	return np
}

func (np *nftPort) endpointBase(ep ProxyEndpoint) string {
	return NftEndpointBase(np.p.Namespace, np.p.Name, np.proto, np.p.PortName, endpointAddrPort(ep))
}

// EndpointChain is the nftables endpoint-… chain (session affinity only) of one endpoint.
func (np *nftPort) endpointChain(ep ProxyEndpoint) string {
	return nftEndpointPrefix + np.endpointBase(ep)
}

func (np *nftPort) affinitySet(ep ProxyEndpoint) string {
	return nftAffinityPrefix + np.endpointBase(ep)
}

// filterVerdict turns portPlan's REJECT/DROP into the verdict-map value.
func filterVerdict(target string) NftVerdict {
	if target == TargetReject {
		return NftVerdict{Kind: "goto", Chain: nftRejectChain}
	}
	return NftVerdict{Kind: "drop"}
}

// port writes one Service port, in syncProxyRules' order: the set and map elements, then
// the Service's chains.
func (b *nftBuilder) port(pl portPlan) {
	np := newNftPort(pl)
	b.elements(&np)
	b.externalChain(&np)
	b.firewallChain(&np)
	if np.p.AffinityClientIP {
		for _, ep := range np.reachableEPs {
			b.set(&NftSet{Name: np.affinitySet(ep), Key: KeyAddr, Size: 65535, Flags: []string{"dynamic", "timeout"},
				Timeout: np.affinitySeconds(), Service: np.name})
		}
	}
	if np.usesClusterChain {
		b.dispatch(&np, np.cluster, np.clusterEPs)
	}
	if np.usesLocalChain {
		b.dispatch(&np, np.local, np.localEPs)
	}
	for _, ep := range np.reachableEPs {
		if np.p.AffinityClientIP {
			c := b.chain(np.endpointChain(ep), np.name)
			c.Rules = append(c.Rules,
				&NftRule{Exprs: []NftExpr{{Op: OpUpdateSet, Set: np.affinitySet(ep)}}},
				&NftRule{Exprs: []NftExpr{{Op: OpL4Proto, Proto: np.proto}, {Op: OpDNAT, To: []netip.AddrPort{endpointAddrPort(ep)}}}})
		}
		// A Pod on this node that reaches itself through the Service must be masqueraded,
		// or its reply would bypass the DNAT's conntrack entry.
		if ep.NodeName != "" && ep.NodeName == b.node.Name {
			b.element(nftHairpinSet, NftElement{Addr: ep.IP, Addr2: ep.IP, Proto: np.proto, Port: uint16(ep.Port), Service: np.name})
		}
	}
}

// elements adds the port's entries to cluster-ips, service-ips, service-nodeports,
// firewall-ips and the no-endpoint maps.
func (b *nftBuilder) elements(np *nftPort) {
	port := uint16(np.p.Port)
	key := func(ip netip.Addr) NftElement {
		return NftElement{Addr: ip, Proto: np.proto, Port: port, Service: np.name}
	}
	withVerdict := func(el NftElement, v NftVerdict, comment string) NftElement {
		el.Verdict, el.Comment = v, comment
		return el
	}
	b.element(nftClusterIPsSet, NftElement{Addr: np.p.ClusterIP, Service: np.name})
	if np.hasInternal {
		b.element(nftServiceIPsMap, withVerdict(key(np.p.ClusterIP), NftVerdict{"goto", np.internalChain}, ""))
	} else {
		b.element(nftNoEndpointServices, withVerdict(key(np.p.ClusterIP), filterVerdict(np.internalFilterTarget), np.name))
	}
	toExternal := NftVerdict{"goto", np.external}
	for _, ip := range np.externalIPs {
		if np.hasEndpoints {
			b.element(nftServiceIPsMap, withVerdict(key(ip), toExternal, ""))
		}
		if !np.hasExternal {
			b.element(nftNoEndpointServices, withVerdict(key(ip), filterVerdict(np.externalFilterTarget), np.name))
		}
	}
	usesFW := len(np.lbIPs) > 0 && len(np.p.SourceRanges) > 0
	for _, ip := range np.lbIPs {
		if np.hasEndpoints {
			b.element(nftServiceIPsMap, withVerdict(key(ip), toExternal, ""))
		}
		if usesFW {
			b.element(nftFirewallIPsMap, withVerdict(key(ip), NftVerdict{"goto", np.fw}, ""))
		}
	}
	if !np.hasExternal {
		for _, ip := range np.lbIPs {
			b.element(nftNoEndpointServices, withVerdict(key(ip), filterVerdict(np.externalFilterTarget), np.name))
		}
	}
	if np.p.NodePort != 0 {
		el := NftElement{Proto: np.proto, Port: uint16(np.p.NodePort), Service: np.name}
		if np.hasEndpoints {
			// NodePorts are not subject to loadBalancerSourceRanges.
			b.element(nftServiceNodePortsMap, withVerdict(el, toExternal, ""))
		}
		if !np.hasExternal {
			b.element(nftNoEndpointNodePorts, withVerdict(el, filterVerdict(np.externalFilterTarget), np.name))
		}
	}
}

// externalChain is external-…: Cluster policy marks everything for masquerade (the
// endpoint may be on another node); Local policy keeps the client's address but sends pods
// and the node itself to the Cluster chain, as if they had gone out to the LB and back.
func (b *nftBuilder) externalChain(np *nftPort) {
	if !np.usesExtChain {
		return
	}
	c := b.chain(np.external, np.name)
	add := func(comment string, exprs ...NftExpr) {
		c.Rules = append(c.Rules, &NftRule{Exprs: exprs, Comment: comment})
	}
	markOr := NftExpr{Op: OpMarkOr, Mark: masqMark}
	if !np.extLocal {
		add("masquerade", markOr)
	} else {
		if b.node.ClusterCIDR.IsValid() {
			add("short-circuit pod traffic", NftExpr{Op: OpAddrPrefix, Field: "saddr", Prefixes: []netip.Prefix{b.node.ClusterCIDR.Masked()}},
				NftExpr{Op: OpGoto, Chain: np.cluster})
		}
		add("masquerade local traffic", NftExpr{Op: OpFibSaddrLocal}, markOr)
		add("short-circuit local traffic", NftExpr{Op: OpFibSaddrLocal}, NftExpr{Op: OpGoto, Chain: np.cluster})
	}
	if np.hasExternal {
		add("", NftExpr{Op: OpGoto, Chain: np.extPolicyChain})
	}
}

// firewallChain is firewall-…: loadBalancerSourceRanges, checked before DNAT. A range that
// holds the node's own IP also lets in the LB IPs (a VIP bound on the node loops back with
// itself as source).
func (b *nftBuilder) firewallChain(np *nftPort) {
	if len(np.lbIPs) == 0 || len(np.p.SourceRanges) == 0 {
		return
	}
	sources := append([]netip.Prefix(nil), np.p.SourceRanges...)
	allowNode := false
	for _, r := range np.p.SourceRanges {
		if r.Contains(b.node.IP) {
			allowNode = true
		}
	}
	if allowNode {
		for _, ip := range np.lbIPs {
			sources = append(sources, hostPrefix(ip))
		}
	}
	c := b.chain(np.fw, np.name)
	c.Rules = append(c.Rules, &NftRule{Exprs: []NftExpr{{Op: OpAddrPrefix, Field: "saddr", Not: true, Prefixes: sources}, {Op: OpDrop}}})
}

// dispatch writes a service-…/local-… chain. Without affinity the chain DNATs itself: one
// endpoint directly, several through `numgen random mod N` over an inline map. With
// affinity each endpoint keeps a chain that records the client in its affinity set, and a
// client found in a set goes back to that endpoint.
func (b *nftBuilder) dispatch(np *nftPort, chain string, eps []ProxyEndpoint) {
	c := b.chain(chain, np.name)
	if np.p.AffinityClientIP {
		chains := make([]string, len(eps))
		for i, ep := range eps {
			chains[i] = np.endpointChain(ep)
			c.Rules = append(c.Rules, &NftRule{Exprs: []NftExpr{
				{Op: OpAddrInSet, Field: "saddr", Set: np.affinitySet(ep)}, {Op: OpGoto, Chain: chains[i]}}})
		}
		c.Rules = append(c.Rules, &NftRule{Exprs: []NftExpr{{Op: OpNumgenVmap, Chains: chains}}})
		return
	}
	to := make([]netip.AddrPort, len(eps))
	for i, ep := range eps {
		to[i] = endpointAddrPort(ep)
	}
	c.Rules = append(c.Rules, &NftRule{Exprs: []NftExpr{{Op: OpL4Proto, Proto: np.proto}, {Op: OpDNAT, To: to}}})
}
