package netsim

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"sync"

	"github.com/svcviz/svcviz/model"
	corev1 "k8s.io/api/core/v1"
)

// Sim is the simulated cluster: every address decided, rules built on demand per node.
type Sim struct {
	Config   Config
	Cluster  *model.Cluster
	Nodes    []*Node
	Pods     []*PodInfo     // in Cluster.Pods order
	Services []*ServiceInfo // in Cluster.Services order
	// Diagnostics are the model's plus those that need the address plan.
	Diagnostics []model.Diagnostic
	// DNS is the built-in kube-dns Service address, KubernetesIP the API server's.
	DNS          netip.Addr
	KubernetesIP netip.Addr

	podByModel map[*model.Pod]*PodInfo
	// explicitIPs are the ClusterIPs written in the YAML (and the built-ins), by owner.
	explicitIPs map[netip.Addr]string
	refused     map[string]bool // Services the API server would refuse, by Ref()
	mu          sync.Mutex
	rules       map[string]*Ruleset
	nftables    map[string]*NftTable
	// recent is the `recent` lists (nftables mode: the affinity sets) of each node's kernel,
	// by node name: a client's affinity on one node says nothing on another (netlab).
	recent     map[string]*RecentTable
	nodeByName map[string]*Node // filled once the nodes are laid out
	// affinitySeen are the clients whose first connection to a ClientIP-affinity port was made.
	affinitySeen map[string]bool
	// recentMu makes each walk through the nat table one step of the recent table, as the
	// kernel does per packet: concurrent traces neither race nor both miss an affinity entry.
	recentMu sync.Mutex
	// served are the Pods behind a Service the API server accepts (servedPods), once asked.
	served     map[*model.Pod]bool
	servedOnce sync.Once
}

// New lays out the simulated cluster for a loaded model.
func New(c *model.Cluster, cfg Config) *Sim {
	cfg = withDefaults(cfg)
	s := &Sim{Config: cfg, Cluster: c, podByModel: map[*model.Pod]*PodInfo{}, rules: map[string]*Ruleset{}, nftables: map[string]*NftTable{}, recent: map[string]*RecentTable{}}
	s.Diagnostics = append(s.Diagnostics, c.Diagnostics...)
	s.layoutNodes(c)
	s.placeClient()
	s.placePods(c)
	s.dropUnaddressed(c)
	s.addressServices(c)
	s.simulatedLB()
	model.SortDiagnostics(s.Diagnostics)
	s.markRefused()
	return s
}

func withDefaults(cfg Config) Config {
	d := DefaultConfig()
	if cfg.Nodes < 1 {
		cfg.Nodes = d.Nodes
	}
	if !cfg.NodeIP.IsValid() {
		cfg.NodeIP = d.NodeIP
	}
	if !cfg.NodeNet.IsValid() {
		cfg.NodeNet = netip.PrefixFrom(cfg.NodeIP, 24).Masked()
	}
	if !cfg.PodCIDR.IsValid() {
		cfg.PodCIDR = d.PodCIDR
	}
	if !cfg.ServiceCIDR.IsValid() {
		cfg.ServiceCIDR = d.ServiceCIDR
	}
	if !cfg.ClientIP.IsValid() {
		cfg.ClientIP = d.ClientIP
	}
	if !cfg.LBPool.IsValid() {
		cfg.LBPool = d.LBPool
	}
	return cfg
}

// placeClient keeps the external client and the LoadBalancer pool on the node network and off
// the nodes' own addresses (with --node-ip elsewhere, or more nodes than .2–.9 hold).
func (s *Sim) placeClient() {
	base := s.Config.NodeNet.Masked().Addr()
	if !s.Config.NodeNet.Contains(s.Config.ClientIP) {
		s.Config.ClientIP = addOffset(base, 10)
	}
	if !s.Config.NodeNet.Contains(s.Config.LBPool) {
		s.Config.LBPool = addOffset(base, 240)
	}
	for s.nodeAt(s.Config.ClientIP) != nil {
		s.Config.ClientIP = s.Config.ClientIP.Next()
	}
	for s.nodeAt(s.Config.LBPool) != nil {
		s.Config.LBPool = s.Config.LBPool.Next()
	}
}

func (s *Sim) nodeAt(ip netip.Addr) *Node {
	for _, n := range s.Nodes {
		if n.IP == ip {
			return n
		}
	}
	return nil
}

// NodeNames lists the configured nodes' names: node01, node02, …
func NodeNames(n int) []string {
	if n < 1 {
		n = 1
	}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("node%02d", i+1)
	}
	return out
}

// Node finds a node by name.
func (s *Sim) Node(name string) *Node {
	if s.nodeByName != nil {
		return s.nodeByName[name]
	}
	for _, n := range s.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// PodInfo returns a Pod's place in the network.
func (s *Sim) PodInfo(p *model.Pod) *PodInfo { return s.podByModel[p] }

// errNoAddr is what parseAddr answers for a field left empty.
var errNoAddr = errors.New("no address")

// parseAddr is netip.ParseAddr without the cost of an error value for the common empty field
// (thousands of Pods without status.podIP).
func parseAddr(s string) (netip.Addr, error) {
	if s == "" {
		return netip.Addr{}, errNoAddr
	}
	return netip.ParseAddr(s)
}

// addOffset adds n to an IPv4 address.
func addOffset(a netip.Addr, n uint32) netip.Addr {
	if !a.Is4() {
		return a
	}
	b := a.As4()
	v := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	v += n
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
}

// FindService looks a Service up by "NAME" or "NS/NAME"; "" is the first Service.
func (s *Sim) FindService(ref string) (*ServiceInfo, error) {
	if len(s.Services) == 0 {
		return nil, fmt.Errorf("no Service in the input")
	}
	if ref == "" {
		// The first Service that exists and that svcviz can send to: one the API server
		// refuses cannot be traced, nor an IPv6-only one (the IPv4 side is simulated).
		for _, si := range s.Services {
			if s.Valid(si) && (si.ClusterIP.IsValid() || len(si.ClusterIPs) == 0) {
				return si, nil
			}
		}
		for _, si := range s.Services {
			if s.Valid(si) {
				return si, nil
			}
		}
		return s.Services[0], nil
	}
	ns, name, hasNS := strings.Cut(ref, "/")
	if !hasNS {
		ns, name = "", ref
	}
	for _, si := range s.Services {
		if si.Svc.Name == name && (ns == "" || si.Svc.Namespace == ns) {
			return si, nil
		}
	}
	names := make([]string, 0, len(s.Services))
	for _, si := range s.Services {
		names = append(names, si.Svc.Key())
	}
	return nil, fmt.Errorf("no Service %q; the input has %s", ref, joinNames(names, 8))
}

func joinNames(names []string, max int) string {
	if len(names) > max {
		return strings.Join(names[:max], ", ") + fmt.Sprintf(", … (%d more)", len(names)-max)
	}
	return strings.Join(names, ", ")
}

// Rules returns kube-proxy's rules on one node, built once and kept.
func (s *Sim) Rules(node string) (*Ruleset, error) {
	n := s.Node(node)
	if n == nil {
		return nil, fmt.Errorf("no node %q; the nodes are %s", node, joinNames(s.nodeNames(), 8))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if rs, ok := s.rules[node]; ok {
		return rs, nil
	}
	rs := BuildRules(ProxyNode{Name: n.Name, IP: n.IP, ClusterCIDR: s.Config.PodCIDR}, s.ProxyPorts())
	s.rules[node] = rs
	return rs, nil
}

func (s *Sim) nodeNames() []string {
	out := make([]string, len(s.Nodes))
	for i, n := range s.Nodes {
		out[i] = n.Name
	}
	return out
}

// Valid reports whether the API server would accept the Service; refused Services exist in
// no cluster, so kube-proxy writes no rules for them.
func (s *Sim) Valid(si *ServiceInfo) bool { return !s.refused[si.Svc.Ref()] }

// markRefused notes the Services with an error diagnostic, once all diagnostics are in.
func (s *Sim) markRefused() {
	s.refused = map[string]bool{}
	for _, d := range s.Diagnostics {
		// A duplicate-object error is about the second definition, which was dropped; the
		// first one, which the model kept, is fine.
		if d.Severity == model.Error && strings.HasPrefix(d.Object, "Service/") && d.Code != model.CodeDuplicateObject {
			s.refused[d.Object] = true
		}
	}
}

// ProxyPorts is what kube-proxy learns from the API: every port of every Service that has a
// virtual IP, with its ready endpoints.
func (s *Sim) ProxyPorts() []ProxyPort {
	var out []ProxyPort
	for _, si := range s.Services {
		if !si.ClusterIP.IsValid() || !s.Valid(si) {
			continue
		}
		for _, sp := range si.Svc.Ports {
			out = append(out, s.proxyPort(si, sp))
		}
	}
	return out
}

func (s *Sim) proxyPort(si *ServiceInfo, sp *model.ServicePort) ProxyPort {
	spec := &si.Svc.Obj.Spec
	pp := ProxyPort{
		Namespace: si.Svc.Namespace, Name: si.Svc.Name, PortName: sp.Name, Protocol: string(sp.Protocol),
		ClusterIP: si.ClusterIP, Port: sp.Port, NodePort: si.NodePorts[sp.Index], LoadBalancerIPs: si.LBIPs,
		ExternalLocal:    spec.ExternalTrafficPolicy == corev1.ServiceExternalTrafficPolicyLocal,
		InternalLocal:    spec.InternalTrafficPolicy != nil && *spec.InternalTrafficPolicy == corev1.ServiceInternalTrafficPolicyLocal,
		AffinityClientIP: spec.SessionAffinity == corev1.ServiceAffinityClientIP,
	}
	if pp.AffinityClientIP {
		pp.AffinitySeconds = *spec.SessionAffinityConfig.ClientIP.TimeoutSeconds
	}
	for _, r := range spec.LoadBalancerSourceRanges {
		if pr, err := netip.ParsePrefix(strings.TrimSpace(r)); err == nil {
			pp.SourceRanges = append(pp.SourceRanges, pr)
		}
	}
	for _, e := range spec.ExternalIPs {
		if ip, err := netip.ParseAddr(e); err == nil {
			pp.ExternalIPs = append(pp.ExternalIPs, ip)
		}
	}
	for _, ep := range sp.Endpoints {
		ip, node := s.EndpointAddr(ep)
		if ip.IsValid() {
			pp.Endpoints = append(pp.Endpoints, ProxyEndpoint{IP: ip, Port: ep.Port, NodeName: node})
		}
	}
	return pp
}

// EndpointAddr is an endpoint's IP and node in the simulated network.
func (s *Sim) EndpointAddr(ep model.Endpoint) (netip.Addr, string) {
	if ep.Pod != nil {
		if pi := s.podByModel[ep.Pod]; pi != nil {
			return pi.IP, pi.Node.Name
		}
		return netip.Addr{}, ""
	}
	ip, _ := parseAddr(ep.IP)
	return ip, ep.NodeName
}

// recentOn is node n's recent table (created empty on first use).
func (s *Sim) recentOn(n *Node) *RecentTable {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := s.recent[n.Name]
	if t == nil {
		t = NewRecentTable()
		s.recent[n.Name] = t
	}
	return t
}
