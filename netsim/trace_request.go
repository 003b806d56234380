// What a Request means before any packet moves: which Service and port, which way in
// (nodePort, ClusterIP, LoadBalancer, DNS), which sender, and the errors for requests that cannot
// be traced (a refused Service, a way in its type does not have).

package netsim

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/svcviz/svcviz/model"
)

// origin is where a traced packet starts.
type origin struct {
	name string // "client", "node01", "default/frontend-abc"
	ip   netip.Addr
	node *Node    // the node the packet first enters (nil for the external client)
	pod  *PodInfo // when a Pod sends
}

// requestedService resolves req.Service, or the Service a DNS name names.
func (s *Sim) requestedService(req Request) (*ServiceInfo, error) {
	if req.Via == ViaDNS && req.DNSName != "" && req.Service == "" {
		if rec, ok := s.resolve(req.DNSName, s.fromNamespace(req.From)); ok {
			return rec.svc, nil
		}
		for _, si := range s.Services {
			if s.Valid(si) {
				return si, nil // the DNS hop reports the name as unresolved
			}
		}
		return s.FindService("")
	}
	return s.FindService(req.Service)
}

func findPort(si *ServiceInfo, want string) (*model.ServicePort, error) {
	ports := si.Svc.Ports
	if len(ports) == 0 {
		if si.Svc.Type() == corev1.ServiceTypeExternalName || si.Svc.Headless() {
			return nil, nil
		}
		return nil, fmt.Errorf("Service %s/%s has no ports", si.Svc.Namespace, si.Svc.Name)
	}
	if want == "" {
		return ports[0], nil
	}
	var matched []*model.ServicePort
	var have []string
	for _, p := range ports {
		if portMatches(p, want) {
			matched = append(matched, p)
		}
		have = append(have, portLabel(p))
	}
	name := si.Svc.Key()
	switch len(matched) {
	case 0:
		return nil, fmt.Errorf("Service %s has no port %q; its ports are %s", name, want, strings.Join(have, ", "))
	case 1:
		return matched[0], nil
	}
	return nil, fmt.Errorf("Service %s has port %s for several protocols (%s): say which, e.g. %s/%s", name, want, strings.Join(have, ", "), want, matched[1].Protocol)
}

// portMatches reports whether a port is the one asked for: by name, by number, or by
// "number/PROTOCOL" when one number serves several protocols (DNS on 53/TCP and 53/UDP).
func portMatches(p *model.ServicePort, want string) bool {
	if p.Name != "" && p.Name == want {
		return true
	}
	num, proto, hasProto := strings.Cut(want, "/")
	if strconv.Itoa(int(p.Port)) != num {
		return false
	}
	return !hasProto || strings.EqualFold(proto, string(p.Protocol))
}

func portLabel(p *model.ServicePort) string {
	num := strconv.Itoa(int(p.Port)) + "/" + string(p.Protocol)
	if p.Name != "" {
		return p.Name + " (" + num + ")"
	}
	return num
}

// defaultVia is the natural way into each type: a nodePort from outside, the ClusterIP from
// inside, and DNS for Services that have no virtual IP.
func defaultVia(si *ServiceInfo, sp *model.ServicePort, via Via) Via {
	if via != "" {
		return via
	}
	switch {
	case si.Svc.Type() == corev1.ServiceTypeExternalName || si.Svc.Headless():
		return ViaDNS
	case si.Svc.Type() == corev1.ServiceTypeLoadBalancer && sp != nil && si.NodePorts[sp.Index] == 0:
		return ViaLB // allocateLoadBalancerNodePorts: false
	case model.HasNodePorts(si.Svc.Type()):
		return ViaNodePort
	}
	return ViaClusterIP
}

func checkVia(si *ServiceInfo, sp *model.ServicePort, via Via, from origin) error {
	name := si.Svc.Key()
	switch via {
	case ViaNodePort:
		if si.Svc.Type() != corev1.ServiceTypeNodePort && si.Svc.Type() != corev1.ServiceTypeLoadBalancer {
			return fmt.Errorf("Service %s is %s: it has no nodePort (use --via clusterip)", name, si.Svc.Type())
		}
		if sp != nil && si.NodePorts[sp.Index] == 0 {
			return fmt.Errorf("Service %s sets allocateLoadBalancerNodePorts: false, so port %s has no nodePort (use --via lb)", name, portLabel(sp))
		}
	case ViaLB:
		if si.Svc.Type() != corev1.ServiceTypeLoadBalancer {
			return fmt.Errorf("Service %s is %s: it has no LoadBalancer IP", name, si.Svc.Type())
		}
		if len(si.LBIPs) == 0 {
			return noLBIP(si, sp)
		}
	case ViaClusterIP:
		if !si.ClusterIP.IsValid() {
			if len(si.ClusterIPs) > 0 {
				return fmt.Errorf("Service %s has only the IPv6 ClusterIP %s: svcviz simulates the IPv4 side of the cluster (iptables), not ip6tables", name, si.ClusterIPs[0])
			}
			return fmt.Errorf("Service %s has no ClusterIP (headless or ExternalName): use --via dns", name)
		}
		if from.node == nil {
			return fmt.Errorf("a ClusterIP is reachable only from inside the cluster: trace --from a Pod or a node, or --via nodeport")
		}
	case ViaDNS:
		if from.node == nil {
			return fmt.Errorf("cluster DNS (kube-dns) answers only inside the cluster: trace --from a Pod or a node")
		}
	default:
		return fmt.Errorf("unknown way in %q: use nodeport, clusterip, lb or dns", via)
	}
	return nil
}

// noLBIP says why a LoadBalancer Service has no address kube-proxy serves: its status names
// only ipMode Proxy addresses (the load balancer forwards to the nodes itself) or hostnames.
func noLBIP(si *ServiceInfo, sp *model.ServicePort) error {
	way := "use --via nodeport"
	if sp != nil && si.NodePorts[sp.Index] == 0 {
		way = "it has no nodePort either (allocateLoadBalancerNodePorts: false)"
	}
	if len(si.LBProxied) > 0 {
		return fmt.Errorf("Service %s: status.loadBalancer.ingress %s has ipMode: Proxy, so the load balancer proxies to the nodes itself and kube-proxy writes no rules for it: %s",
			si.Svc.Key(), si.LBProxied[0], way)
	}
	return fmt.Errorf("Service %s: status.loadBalancer.ingress names no IP (a hostname only), so kube-proxy writes no rules for it: %s", si.Svc.Key(), way)
}

// origin resolves req.From: "external", a node name, or a Pod ("NAME" or "NS/NAME"). The
// default is the external client for nodePort and LB traffic, else the first Pod that is not
// behind the Service (or node01).
func (s *Sim) origin(req Request, si *ServiceInfo, sp *model.ServicePort) (origin, error) {
	from := req.From
	if from == "" {
		if req.Via == ViaNodePort || req.Via == ViaLB {
			from = "external"
		} else {
			from = s.defaultClient(si)
		}
	}
	external := origin{name: "client", ip: s.Config.ClientIP}
	if from == "external" {
		return external, nil
	}
	if n := s.Node(from); n != nil {
		return origin{name: n.Name, ip: n.IP, node: n}, nil
	}
	// A Pod named "client" (samples/namespaces.yaml has one) wins over the alias.
	if pi := s.findPod(from); pi != nil {
		return origin{name: pi.Pod.Key(), ip: pi.IP, node: pi.Node, pod: pi}, nil
	}
	if from == "client" {
		return external, nil
	}
	return origin{}, fmt.Errorf("no origin %q: use external, a node (%s) or a Pod name", from, joinNames(s.nodeNames(), 4))
}

// defaultClient is the Pod a ClusterIP Service is called from when the request names none:
// never one behind the Service itself; a Pod of another Service's workload in the same
// namespace first (an application's front end calling its back end), then any Pod of the
// namespace, then any other Pod, then the first node.
func (s *Sim) defaultClient(si *ServiceInfo) string {
	behind := map[*model.Pod]bool{}
	for _, p := range si.Svc.Selected {
		behind[p] = true
	}
	// behind some Service the API server accepts: for a Pod not behind si, some other one
	serves := s.servedPods()
	sameNS, other := "", ""
	for _, pi := range s.Pods {
		if behind[pi.Pod] {
			continue
		}
		name := pi.Pod.Key()
		switch {
		case pi.Pod.Namespace == si.Svc.Namespace && serves[pi.Pod]:
			return name
		case pi.Pod.Namespace == si.Svc.Namespace && sameNS == "":
			sameNS = name
		case other == "":
			other = name
		}
	}
	switch {
	case sameNS != "":
		return sameNS
	case other != "":
		return other
	}
	return s.Nodes[0].Name
}

// findPod finds a Pod by "NAME" or "NS/NAME", or by its workload's name (its first Pod), since
// generated Pod names such as web-7c5d9f8b6-x2x4q are not what people type.
func (s *Sim) findPod(ref string) *PodInfo {
	ns, name, hasNS := strings.Cut(ref, "/")
	if !hasNS {
		ns, name = "", ref
	}
	var byOwner *PodInfo
	for _, pi := range s.Pods {
		p := pi.Pod
		if ns != "" && p.Namespace != ns {
			continue
		}
		if p.Name == name {
			return pi
		}
		if byOwner == nil && p.Owner != nil && p.Owner.Name == name {
			byOwner = pi
		}
	}
	return byOwner
}

func (s *Sim) fromNamespace(from string) string {
	if pi := s.findPod(from); pi != nil {
		return pi.Pod.Namespace
	}
	return corev1.NamespaceDefault
}

// loopbackNodePort reads --to-node 127.0.0.1 (any loopback address): a process on the node
// reaching the Service's nodePort on the node's loopback, through kube-proxy's localhost rule.
// It sends from the first node unless --from names one, to loopback:nodePort.
func (s *Sim) loopbackNodePort(req *Request, si *ServiceInfo, sp *model.ServicePort) (bool, error) {
	a, err := netip.ParseAddr(req.ToNode)
	if err != nil || !a.IsLoopback() {
		return false, nil
	}
	if sp == nil || sp.Index >= len(si.NodePorts) || si.NodePorts[sp.Index] == 0 {
		return false, fmt.Errorf("Service %s/%s has no nodePort to reach on %s", si.Svc.Namespace, si.Svc.Name, a)
	}
	req.ToNode = ""
	if req.From == "" {
		req.From = s.Nodes[0].Name
	}
	if req.Via == "" {
		req.Via = ViaNodePort
	}
	req.Dst = netip.AddrPortFrom(a, uint16(si.NodePorts[sp.Index]))
	return true, nil
}

// servedPods are the Pods behind some Service the API server accepts, gathered once: every
// trace without an origin asks, and gathering them per trace cost 5,000 map entries a trace
// on the 1,000-Service dump.
func (s *Sim) servedPods() map[*model.Pod]bool {
	s.servedOnce.Do(func() {
		s.served = map[*model.Pod]bool{}
		for _, o := range s.Services {
			if s.Valid(o) {
				for _, p := range o.Svc.Selected {
					s.served[p] = true
				}
			}
		}
	})
	return s.served
}
