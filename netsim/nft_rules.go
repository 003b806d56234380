package netsim

import (
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"net/netip"
	"strings"
)

// kube-proxy's nftables objects (pkg/proxy/nftables/proxier.go, v1.37).
const (
	nftTable               = "kube-proxy"
	nftServicesChain       = "services"
	nftServiceIPsMap       = "service-ips"
	nftServiceNodePortsMap = "service-nodeports"
	nftNodePortIPsSet      = "nodeport-ips"
	nftClusterIPsSet       = "cluster-ips"
	nftSvcEndpointsCheck   = "service-endpoints-check"
	nftNPEndpointsCheck    = "nodeport-endpoints-check"
	nftNoEndpointServices  = "no-endpoint-services"
	nftNoEndpointNodePorts = "no-endpoint-nodeports"
	nftRejectChain         = "reject-chain"
	nftClusterIPsCheck     = "cluster-ips-check"
	nftFirewallIPsMap      = "firewall-ips"
	nftFirewallCheck       = "firewall-check"
	nftMasquerading        = "masquerading"
	nftHairpinSet          = "hairpin-connections"
)

// kube-proxy's per-Service chain prefixes in nftables mode.
const (
	nftClusterPrefix  = "service-"
	nftLocalPrefix    = "local-"
	nftExternalPrefix = "external-"
	nftFirewallPrefix = "firewall-"
	nftEndpointPrefix = "endpoint-"
	nftAffinityPrefix = "affinity-"
)

// nftBaseChains are kube-proxy's base chains, "${type}-${hook}": the firewall check runs
// before DNAT (it must see the LoadBalancer IP), the endpoint checks after it.
var nftBaseChains = []NftChain{
	{Name: "filter-prerouting-pre-dnat", Type: "filter", Hook: "prerouting", Priority: "dstnat - 10"},
	{Name: "filter-output-pre-dnat", Type: "filter", Hook: "output", Priority: "-110"},
	{Name: "filter-input", Type: "filter", Hook: "input", Priority: "filter"},
	{Name: "filter-forward", Type: "filter", Hook: "forward", Priority: "filter"},
	{Name: "filter-output", Type: "filter", Hook: "output", Priority: "filter"},
	{Name: "nat-prerouting", Type: "nat", Hook: "prerouting", Priority: "dstnat"},
	{Name: "nat-output", Type: "nat", Hook: "output", Priority: "-100"},
	{Name: "nat-postrouting", Type: "nat", Hook: "postrouting", Priority: "srcnat"},
}

// nftJumps are the rules in the base chains, in kube-proxy's order (nftablesJumpChains).
var nftJumps = []struct {
	from, to string
	ctNew    bool
}{
	{"filter-input", nftNPEndpointsCheck, true},
	{"filter-input", nftSvcEndpointsCheck, true},
	{"filter-forward", nftSvcEndpointsCheck, true},
	{"filter-output", nftSvcEndpointsCheck, true},
	{"filter-prerouting-pre-dnat", nftFirewallCheck, true},
	{"filter-output-pre-dnat", nftFirewallCheck, true},
	{"nat-output", nftServicesChain, false},
	{"nat-prerouting", nftServicesChain, false},
	{"nat-postrouting", nftMasquerading, false},
	{"filter-forward", nftClusterIPsCheck, true},
	{"filter-output", nftClusterIPsCheck, true},
}

// nftChainBase is kube-proxy's hashAndTruncate: 8 characters of base32(sha256(name)), a
// dash, then the readable name "ns/name/proto/port" (plus "__ip/port" for an endpoint).
func nftChainBase(name string) string {
	sum := sha256.Sum256([]byte(name))
	out := base32.StdEncoding.EncodeToString(sum[:])[:8] + "-" + name
	const max = 240 // chainNameBaseLengthMax
	if len(out) > max {
		out = out[:max-3] + "..."
	}
	return out
}

// NftServiceBase is the chain-name base of a Service port: "VTKG5A3G-default/myapp-service/tcp/".
func NftServiceBase(namespace, name, proto, portName string) string {
	return nftChainBase(namespace + "/" + name + "/" + strings.ToLower(proto) + "/" + portName)
}

// NftEndpointBase is the chain-name base of one endpoint of a Service port.
func NftEndpointBase(namespace, name, proto, portName string, ep netip.AddrPort) string {
	ip := strings.ReplaceAll(ep.Addr().String(), ":", ".")
	return nftChainBase(namespace + "/" + name + "/" + strings.ToLower(proto) + "/" + portName + "__" + ip + "/" + itoa(int(ep.Port())))
}

// nftBuilder accumulates the table while kube-proxy's sync is replayed.
type nftBuilder struct {
	t    *NftTable
	node ProxyNode
}

func (b *nftBuilder) set(s *NftSet) *NftSet {
	if old := b.t.Set(s.Name); old != nil {
		return old
	}
	b.t.addSet(s)
	return s
}

func (b *nftBuilder) chain(name, service string) *NftChain {
	if c := b.t.Chain(name); c != nil {
		return c
	}
	c := &NftChain{Name: name, Service: service}
	b.t.addChain(c)
	return c
}

func (b *nftBuilder) rule(chain string, comment string, exprs ...NftExpr) {
	c := b.chain(chain, "")
	c.Rules = append(c.Rules, &NftRule{Exprs: exprs, Comment: comment})
}

// element adds an element to a set or map unless an equal key is there (a set holds a key
// once: two Services with the same Pod port share one hairpin element).
func (b *nftBuilder) element(set string, el NftElement) {
	b.t.Set(set).add(&el)
}

// BuildNftables returns the `ip kube-proxy` table kube-proxy v1.37's nftables proxier
// writes on node after one full sync: --nodeport-addresses unset (which nftables mode reads
// as "primary": the node IP only), masqueradeAll off, the cluster-CIDR local-traffic
// detector, and serviceCIDR from kube-proxy's ServiceCIDR watch. IPv6 ports belong to the
// ip6 table and are left out.
func BuildNftables(node ProxyNode, serviceCIDR netip.Prefix, ports []ProxyPort) *NftTable {
	b := &nftBuilder{t: &NftTable{Family: "ip", Name: nftTable, Comment: "rules for kube-proxy"}, node: node}
	b.setup(serviceCIDR)
	for _, p := range sortedPorts(ports) {
		if !p.ClusterIP.IsValid() || !p.ClusterIP.Is4() {
			continue
		}
		b.port(planPort(node, p))
	}
	b.t.index()
	return b.t
}

// setup is kube-proxy's setupNFTables: base chains, the jumps into kube-proxy's own chains,
// and the sets, maps and rules that do not depend on any Service.
func (b *nftBuilder) setup(serviceCIDR netip.Prefix) {
	for _, bc := range nftBaseChains {
		c := bc
		b.t.addChain(&c)
	}
	for _, j := range nftJumps {
		b.chain(j.to, "")
		var exprs []NftExpr
		if j.ctNew {
			exprs = append(exprs, NftExpr{Op: OpCtStateNew})
		}
		b.rule(j.from, "", append(exprs, NftExpr{Op: OpJump, Chain: j.to})...)
	}
	mark := NftExpr{Mark: masqMark}
	b.rule(nftMasquerading, "", NftExpr{Op: OpMarkBitSet, Mark: masqMark}, withOp(mark, OpMarkXor), NftExpr{Op: OpMasquerade})
	b.set(&NftSet{Name: nftHairpinSet, Key: KeyAddrAddrProtoPort, Comment: "service hairpin connections"})
	b.rule(nftMasquerading, "", NftExpr{Op: OpCtStatusDNAT}, NftExpr{Op: OpTupleInSet, Set: nftHairpinSet}, NftExpr{Op: OpMasquerade})

	b.set(&NftSet{Name: nftClusterIPsSet, Key: KeyAddr, Comment: "Active ClusterIPs"})
	b.rule(nftClusterIPsCheck, "Reject traffic to invalid ports of ClusterIPs",
		NftExpr{Op: OpAddrInSet, Field: "daddr", Set: nftClusterIPsSet}, NftExpr{Op: OpReject})
	if serviceCIDR.IsValid() {
		b.rule(nftClusterIPsCheck, "Drop traffic to unallocated ClusterIPs",
			NftExpr{Op: OpAddrPrefix, Field: "daddr", Prefixes: []netip.Prefix{serviceCIDR.Masked()}}, NftExpr{Op: OpDrop})
	}

	np := b.set(&NftSet{Name: nftNodePortIPsSet, Key: KeyAddr, Comment: "IPs that accept NodePort traffic"})
	if b.node.IP.Is4() && !b.node.IP.IsLoopback() {
		np.add(&NftElement{Addr: b.node.IP})
	}

	b.set(&NftSet{Name: nftNoEndpointServices, Map: true, Key: KeyAddrProtoPort, Comment: "vmap to drop or reject packets to services with no endpoints"})
	b.set(&NftSet{Name: nftNoEndpointNodePorts, Map: true, Key: KeyProtoPort, Comment: "vmap to drop or reject packets to service nodeports with no endpoints"})
	b.chain(nftRejectChain, "").Comment = "helper for @no-endpoint-services / @no-endpoint-nodeports"
	b.rule(nftRejectChain, "", NftExpr{Op: OpReject})
	b.rule(nftSvcEndpointsCheck, "", NftExpr{Op: OpVmap, Key: KeyAddrProtoPort, Set: nftNoEndpointServices})
	b.rule(nftNPEndpointsCheck, "", NftExpr{Op: OpAddrInSet, Field: "daddr", Set: nftNodePortIPsSet},
		NftExpr{Op: OpVmap, Key: KeyProtoPort, Set: nftNoEndpointNodePorts})

	b.set(&NftSet{Name: nftFirewallIPsMap, Map: true, Key: KeyAddrProtoPort, Comment: "destinations that are subject to LoadBalancerSourceRanges"})
	b.rule(nftFirewallCheck, "", NftExpr{Op: OpVmap, Key: KeyAddrProtoPort, Set: nftFirewallIPsMap})

	b.set(&NftSet{Name: nftServiceIPsMap, Map: true, Key: KeyAddrProtoPort, Comment: "ClusterIP, ExternalIP and LoadBalancer IP traffic"})
	b.set(&NftSet{Name: nftServiceNodePortsMap, Map: true, Key: KeyProtoPort, Comment: "NodePort traffic"})
	if b.node.ClusterCIDR.IsValid() {
		// Off-cluster traffic to a ClusterIP (a static route to the Service range via a node)
		// may bounce to another node, so it is masqueraded.
		b.rule(nftServicesChain, "masquerade clusterIP traffic from outside cluster",
			NftExpr{Op: OpAddrInSet, Field: "daddr", Set: nftClusterIPsSet},
			NftExpr{Op: OpAddrPrefix, Field: "saddr", Not: true, Prefixes: []netip.Prefix{b.node.ClusterCIDR.Masked()}},
			withOp(mark, OpMarkOr))
	}
	b.rule(nftServicesChain, "", NftExpr{Op: OpVmap, Key: KeyAddrProtoPort, Set: nftServiceIPsMap})
	b.rule(nftServicesChain, "", NftExpr{Op: OpAddrInSet, Field: "daddr", Set: nftNodePortIPsSet},
		NftExpr{Op: OpVmap, Key: KeyProtoPort, Set: nftServiceNodePortsMap})
}

func withOp(e NftExpr, op NftOp) NftExpr {
	e.Op = op
	return e
}

// Nftables returns kube-proxy's `ip kube-proxy` table on one node (nftables mode), built
// once and kept.
func (s *Sim) Nftables(node string) (*NftTable, error) {
	n := s.Node(node)
	if n == nil {
		return nil, fmt.Errorf("no node %q; the nodes are %s", node, joinNames(s.nodeNames(), 8))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.nftables[node]; ok {
		return t, nil
	}
	t := BuildNftables(ProxyNode{Name: n.Name, IP: n.IP, ClusterCIDR: s.Config.PodCIDR}, s.Config.ServiceCIDR, s.ProxyPorts())
	s.nftables[node] = t
	return t, nil
}
