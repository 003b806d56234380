package netsim

import (
	"net/netip"
	"slices"
	"strconv"

	"github.com/svcviz/svcviz/model"
)

// layoutNodes creates the cluster's nodes (model.Cluster.Nodes) with their addresses: a Node
// object's InternalIP and spec.podCIDR; else, for a node of a dump, the status.hostIP of its
// Pods and the /24 their status.podIP lie in; else the next free address from --node-ip and
// the next free /24 of --pod-cidr.
func (s *Sim) layoutNodes(c *model.Cluster) {
	names := c.Nodes
	if !c.NodesFromInput || len(names) == 0 {
		names = NodeNames(s.Config.Nodes)
	}
	ips := make([]netip.Addr, len(names))
	cidrs := make([]netip.Prefix, len(names))
	fromPods := s.podFacts(c)
	for i, name := range names {
		ips[i], cidrs[i] = s.nodeFacts(c, name, fromPods[name])
	}
	taken := func(list []netip.Addr, a netip.Addr) bool {
		for _, b := range list {
			if b == a {
				return true
			}
		}
		return false
	}
	next := s.Config.NodeIP
	for i := range names {
		if ips[i].IsValid() {
			continue
		}
		for taken(ips, next) {
			next = next.Next()
		}
		ips[i] = next
		next = next.Next()
	}
	k := uint32(0)
	base := s.Config.PodCIDR.Masked().Addr()
	for i := range names {
		if cidrs[i].IsValid() {
			continue
		}
		for {
			p := netip.PrefixFrom(addOffset(base, k*256), 24)
			k++
			if !overlapsAny(cidrs, p) || !s.Config.PodCIDR.Contains(p.Addr()) {
				cidrs[i] = p
				break
			}
		}
	}
	s.nodeByName = make(map[string]*Node, len(names))
	for i, name := range names {
		n := &Node{Name: name, IP: ips[i], PodCIDR: cidrs[i], Bridge: cidrs[i].Addr().Next()}
		s.Nodes = append(s.Nodes, n)
		s.nodeByName[name] = n
		s.checkNodeCIDR(c, n)
	}
	// A dump's nodes stand on their own network: the external client and the LoadBalancer
	// pool go there.
	if first := s.Nodes[0].IP; !s.Config.NodeNet.Contains(first) {
		s.Config.NodeNet = netip.PrefixFrom(first, 24).Masked()
	}
}

// nodeFacts is what the input says of a node: its address and pod subnet (invalid if unsaid),
// from its Node object, else from its Pods.
func (s *Sim) nodeFacts(c *model.Cluster, name string, pods nodeAddrs) (netip.Addr, netip.Prefix) {
	ip, cidr := pods.ip, pods.cidr
	if n := c.NodeObject(name); n != nil {
		if a, err := parseAddr(n.InternalIP); err == nil {
			ip = a
		}
		if p, err := netip.ParsePrefix(n.PodCIDR); err == nil {
			cidr = p.Masked()
		}
	}
	return ip, cidr
}

// nodeAddrs is what a dump's Pods say of their node: the first status.hostIP and the /24 of
// the first status.podIP in the pod network.
type nodeAddrs struct {
	ip   netip.Addr
	cidr netip.Prefix
}

// podFacts reads every Pod once for what it says of its node.
func (s *Sim) podFacts(c *model.Cluster) map[string]nodeAddrs {
	out := map[string]nodeAddrs{}
	for _, p := range c.Pods {
		name := p.Obj.Spec.NodeName
		if name == "" {
			continue
		}
		f := out[name]
		if h, err := parseAddr(p.Obj.Status.HostIP); err == nil && h.Is4() && !f.ip.IsValid() {
			f.ip = h
		}
		if pip, err := parseAddr(p.Obj.Status.PodIP); err == nil && pip.Is4() && !p.Obj.Spec.HostNetwork && !f.cidr.IsValid() && s.Config.PodCIDR.Contains(pip) {
			f.cidr = netip.PrefixFrom(pip, 24).Masked()
		}
		out[name] = f
	}
	return out
}

func overlapsAny(list []netip.Prefix, p netip.Prefix) bool {
	for _, q := range list {
		if q.IsValid() && q.Overlaps(p) {
			return true
		}
	}
	return false
}

// checkNodeCIDR warns about a Node object's pod subnet outside the cluster's pod network.
func (s *Sim) checkNodeCIDR(c *model.Cluster, n *Node) {
	obj := c.NodeObject(n.Name)
	if obj == nil || obj.PodCIDR == "" || s.Config.PodCIDR.Contains(n.PodCIDR.Addr()) {
		return
	}
	field := "spec.podCIDR"
	if !obj.Has(field) {
		field = "spec.podCIDRs"
	}
	d := model.Diagnostic{Severity: model.Warning, Code: model.CodeAddressOutside, Object: obj.Ref(), Field: field,
		File: obj.File, Line: obj.Pos(field).Line}
	d.SetWords(model.W("node {0}'s pod subnet {1} is outside the pod network {2}", model.Escape(n.Name), n.PodCIDR.String(), s.Config.PodCIDR.String()),
		model.W("pass --pod-cidr to match the cluster the dump came from"))
	s.Diagnostics = append(s.Diagnostics, d)
}

// nodeOfPodIP is the node whose pod subnet holds an address, or nil.
func (s *Sim) nodeOfPodIP(ip netip.Addr) *Node {
	for _, n := range s.Nodes {
		if n.PodCIDR.Contains(ip) {
			return n
		}
	}
	return nil
}

// placePods puts each Pod on a node and gives it an address. The node is spec.nodeName, else
// the node whose subnet holds its status.podIP, else the next node round-robin in file order.
// The address is status.podIP when written, the node's IP for hostNetwork Pods, else the next
// free address of the node's pod subnet from .2. A subnet that runs out leaves the Pod without
// an address, as the CNI's IPAM would (the Pod never starts): a diagnostic says so.
func (s *Sim) placePods(c *model.Cluster) {
	used := make(map[netip.Addr]bool, len(c.Pods))
	for _, p := range c.Pods {
		if ip, err := parseAddr(p.Obj.Status.PodIP); err == nil {
			used[ip] = true
		}
	}
	next := map[*Node]netip.Addr{}
	full := map[*Node][]*model.Pod{}
	var spread []*Node
	for _, name := range c.Schedule {
		if !c.NodesFromInput {
			break
		}
		if n := s.Node(name); n != nil {
			spread = append(spread, n)
		}
	}
	if len(spread) == 0 {
		spread = s.Nodes
	}
	rr := 0
	// sized once: a large dump has 100,000 Pods, whose lists would otherwise be regrown
	infos := make([]PodInfo, len(c.Pods))
	s.Pods = slices.Grow(s.Pods, len(c.Pods))
	if len(s.podByModel) == 0 {
		s.podByModel = make(map[*model.Pod]*PodInfo, len(c.Pods))
	}
	for i, p := range c.Pods {
		node := s.Node(p.Obj.Spec.NodeName)
		ip, ipErr := parseAddr(p.Obj.Status.PodIP)
		if node == nil && ipErr == nil && !p.Obj.Spec.HostNetwork {
			node = s.nodeOfPodIP(ip)
		}
		if node == nil {
			node = spread[rr%len(spread)]
			rr++
		}
		pi := &infos[i]
		*pi = PodInfo{Pod: p, Node: node}
		switch {
		case ipErr == nil:
			pi.IP = ip
			s.checkPodIP(pi)
		case p.Obj.Spec.HostNetwork:
			pi.IP = node.IP
		default:
			pi.IP = s.nextPodIP(node, next, used)
			if !pi.IP.IsValid() {
				full[node] = append(full[node], p)
			}
		}
		s.Pods = append(s.Pods, pi)
		s.podByModel[p] = pi
	}
	for _, n := range s.Nodes {
		if pods := full[n]; len(pods) > 0 {
			s.subnetFull(n, pods)
		}
	}
}

// nextPodIP hands out the next free address of the node's pod subnet, or an invalid address
// when the subnet has none left (never one of another node's range).
func (s *Sim) nextPodIP(n *Node, next map[*Node]netip.Addr, used map[netip.Addr]bool) netip.Addr {
	ip, ok := next[n]
	if !ok {
		ip = n.Bridge.Next()
	}
	last := lastAddr(n.PodCIDR) // the broadcast address
	for used[ip] && n.PodCIDR.Contains(ip) {
		ip = ip.Next()
	}
	if !n.PodCIDR.Contains(ip) || ip == last {
		next[n] = ip
		return netip.Addr{}
	}
	used[ip] = true
	next[n] = ip.Next()
	return ip
}

func lastAddr(p netip.Prefix) netip.Addr {
	a := p.Masked().Addr()
	if !a.Is4() {
		return a
	}
	return addOffset(a, uint32(1)<<(32-p.Bits())-1)
}

// subnetFull reports Pods left without an address: the node's pod subnet has none left.
func (s *Sim) subnetFull(n *Node, pods []*model.Pod) {
	p := pods[0]
	ref, file, line := p.Ref(), p.File, p.Line
	if p.Owner != nil {
		ref, file, line = p.Owner.Ref(), p.Owner.File, p.Owner.Pos("spec.replicas").Line
	}
	d := model.Diagnostic{Severity: model.Warning, Code: model.CodePodSubnetFull, Object: ref, Field: "spec.replicas", File: file, Line: line}
	d.SetWords(model.W("node {0}'s pod subnet {1} has no address left for {2} Pod(s), starting with {3}: they get no IP and never start, so they are no endpoints",
		model.Escape(n.Name), n.PodCIDR.String(), strconv.Itoa(len(pods)), model.Escape(p.Name)),
		model.W("a /24 holds 253 Pods: add nodes (--nodes), or fewer replicas"))
	s.Diagnostics = append(s.Diagnostics, d)
}

// checkPodIP warns about a written status.podIP outside the pod network, or outside its
// node's pod subnet: the Pod keeps its address, and the packet goes to its node.
func (s *Sim) checkPodIP(pi *PodInfo) {
	if pi.Pod.Obj.Spec.HostNetwork {
		return
	}
	p := pi.Pod
	d := model.Diagnostic{Severity: model.Warning, Code: model.CodeAddressOutside, Object: p.Ref(), Field: "status.podIP",
		File: p.File, Line: p.Pos("status.podIP").Line}
	switch {
	case !s.Config.PodCIDR.Contains(pi.IP):
		d.SetWords(model.W("status.podIP {0} is outside the pod network {1}", pi.IP.String(), s.Config.PodCIDR.String()),
			model.W("pass --pod-cidr to match the cluster the dump came from"))
	case !pi.Node.PodCIDR.Contains(pi.IP):
		d.SetWords(model.W("status.podIP {0} is outside the pod subnet {1} of node {2}, where the Pod runs", pi.IP.String(), pi.Node.PodCIDR.String(), model.Escape(pi.Node.Name)),
			model.W("each node hands out Pod addresses from its own subnet (spec.podCIDR): check spec.nodeName and status.podIP"))
	default:
		return
	}
	s.Diagnostics = append(s.Diagnostics, d)
}

// dropUnaddressed takes Pods left without an address (their node's subnet ran out) out of the
// endpoints: a Pod that never starts is in no EndpointSlice.
func (s *Sim) dropUnaddressed(c *model.Cluster) {
	// One reason string per full node, shared by its Pods: a large dump has 100,000 of them.
	reasons := map[*Node]string{}
	reason := func(n *Node) string {
		r, ok := reasons[n]
		if !ok {
			r = "no IP: node " + n.Name + "'s pod subnet " + n.PodCIDR.String() + " is full"
			reasons[n] = r
		}
		return r
	}
	for _, svc := range c.Services {
		for _, sp := range svc.Ports {
			kept := sp.Endpoints[:0]
			for _, ep := range sp.Endpoints {
				if ep.Pod != nil {
					if pi := s.podByModel[ep.Pod]; pi != nil && !pi.IP.IsValid() {
						sp.Unready = append(sp.Unready, model.Unready{Pod: ep.Pod, Reason: reason(pi.Node)})
						continue
					}
				}
				kept = append(kept, ep)
			}
			sp.Endpoints = kept
		}
	}
}
