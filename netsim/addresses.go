package netsim

import (
	"fmt"
	"net/netip"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/svcviz/svcviz/model"
)

// How Services get their addresses: ClusterIPs (both families on a dual-stack cluster),
// nodePorts and LoadBalancer IPs, as the API server's allocators and a MetalLB-style pool do.

// addressServices gives every Service its ClusterIP, nodePorts and LoadBalancer IPs.
func (s *Sim) addressServices(c *model.Cluster) {
	base := s.Config.ServiceCIDR.Masked().Addr()
	s.KubernetesIP = addOffset(base, 1)
	s.DNS = addOffset(base, 10)
	usedIP := map[netip.Addr]bool{s.KubernetesIP: true, s.DNS: true}
	usedNP := map[int32]bool{}
	s.explicitIPs = map[netip.Addr]string{s.KubernetesIP: "default/kubernetes", s.DNS: "kube-system/kube-dns"}
	for _, svc := range c.Services {
		for _, v4 := range []bool{true, false} {
			if ip := writtenIP(svc, v4); ip.IsValid() {
				usedIP[ip] = true
			}
		}
		for _, p := range svc.Obj.Spec.Ports {
			usedNP[p.NodePort] = true
		}
	}
	nextIP := addOffset(base, 11)
	var nextIPv6 netip.Addr
	nextNP := int32(model.NodePortMin)
	lb := s.Config.LBPool
	refused := refusedByModel(c)
	for _, svc := range c.Services {
		si := &ServiceInfo{Svc: svc, DNSName: svc.Name + "." + svc.Namespace + ".svc.cluster.local", NodePorts: make([]int32, len(svc.Obj.Spec.Ports))}
		s.Services = append(s.Services, si)
		if svc.Type() == corev1.ServiceTypeExternalName || refused[svc.Ref()] {
			continue // a refused Service exists nowhere: the allocators give it nothing
		}
		si.ClusterIP = s.clusterIP(svc, &nextIP, usedIP)
		si.ClusterIPs = s.clusterIPs(svc, si.ClusterIP, s.clusterIPv6(svc, &nextIPv6, usedIP))
		external := model.HasNodePorts(svc.Type())
		// spec.allocateLoadBalancerNodePorts: false keeps only the nodePorts written in the YAML.
		allocate := svc.Obj.Spec.AllocateLoadBalancerNodePorts == nil || *svc.Obj.Spec.AllocateLoadBalancerNodePorts ||
			svc.Type() != corev1.ServiceTypeLoadBalancer
		// The API server gives ports of one number (53/TCP and 53/UDP) one nodePort.
		byNumber := map[int32]int32{}
		for i, p := range svc.Obj.Spec.Ports {
			if !external {
				continue
			}
			np := p.NodePort
			if np == 0 {
				np = byNumber[p.Port]
			}
			if np == 0 && allocate {
				for usedNP[nextNP] {
					nextNP++
				}
				np = nextNP
				usedNP[np] = true
			}
			si.NodePorts[i] = np
			if np != 0 {
				byNumber[p.Port] = np
			}
		}
		if svc.Type() == corev1.ServiceTypeLoadBalancer {
			si.LBIPs, si.LBProxied = lbIPs(svc, &lb)
		}
	}
}

func (s *Sim) clusterIP(svc *model.Service, next *netip.Addr, used map[netip.Addr]bool) netip.Addr {
	if svc.Headless() || !hasFamily(svc, corev1.IPv4Protocol) {
		return netip.Addr{}
	}
	if ip := writtenIP(svc, true); ip.IsValid() {
		if !s.Config.ServiceCIDR.Contains(ip) {
			d := model.Diagnostic{Severity: model.Error, Code: model.CodeInvalidClusterIP, Object: svc.Ref(),
				Field: "spec.clusterIPs", File: svc.File, Line: svc.Pos("spec.clusterIP").Line,
				Message: fmt.Sprintf("spec.clusterIPs: Invalid value: []string{%q}: failed to allocate IP %s: the provided IP (%s) is not in the valid range. The range of valid IPs is %s", ip.String(), ip, ip, s.Config.ServiceCIDR)}
			d.SetWords(model.Words{}, model.W("leave clusterIP out to have one allocated, or pass --service-cidr to match the cluster"))
			s.Diagnostics = append(s.Diagnostics, d)
		}
		s.claimClusterIP(svc, ip)
		return ip
	}
	for used[*next] {
		*next = next.Next()
	}
	ip := *next
	used[ip] = true
	*next = ip.Next()
	return ip
}

// hasFamily reports whether a Service has an address of the family: spec.ipFamilies as the
// API server filled them in (none written: the cluster's default, IPv4).
func hasFamily(svc *model.Service, f corev1.IPFamily) bool {
	fams := svc.Obj.Spec.IPFamilies
	if len(fams) == 0 {
		return f == corev1.IPv4Protocol
	}
	for _, g := range fams {
		if g == f {
			return true
		}
	}
	return false
}

// writtenIP is the Service's written clusterIP (spec.clusterIPs, else spec.clusterIP) of one
// family, or an invalid address.
func writtenIP(svc *model.Service, v4 bool) netip.Addr {
	ips := svc.Obj.Spec.ClusterIPs
	if len(ips) == 0 && svc.Obj.Spec.ClusterIP != "" {
		ips = []string{svc.Obj.Spec.ClusterIP}
	}
	for _, s := range ips {
		if ip, err := netip.ParseAddr(s); err == nil && ip.Is4() == v4 {
			return ip
		}
	}
	return netip.Addr{}
}

// clusterIPv6 is a dual-stack Service's IPv6 ClusterIP: written, or the next free address of
// the IPv6 Service range (from ::b, as the IPv4 side starts at .11).
func (s *Sim) clusterIPv6(svc *model.Service, next *netip.Addr, used map[netip.Addr]bool) netip.Addr {
	if svc.Headless() || !s.Config.ServiceCIDRv6.IsValid() || !hasFamily(svc, corev1.IPv6Protocol) {
		return netip.Addr{}
	}
	if ip := writtenIP(svc, false); ip.IsValid() {
		return ip
	}
	if !next.IsValid() {
		*next = s.Config.ServiceCIDRv6.Masked().Addr()
		for i := 0; i < 11; i++ {
			*next = next.Next()
		}
	}
	for used[*next] {
		*next = next.Next()
	}
	ip := *next
	used[ip] = true
	*next = ip.Next()
	return ip
}

// claimClusterIP records a written clusterIP; a second Service with the same address (or one
// that takes the built-in kubernetes or kube-dns address) is refused, as the allocator does.
// The built-ins themselves, present in a full `kubectl get -A -o yaml` dump, are theirs.
func (s *Sim) claimClusterIP(svc *model.Service, ip netip.Addr) {
	me := svc.Key()
	owner, taken := s.explicitIPs[ip]
	if !taken {
		s.explicitIPs[ip] = me
		return
	}
	if owner == me {
		return
	}
	d := model.Diagnostic{Severity: model.Error, Code: model.CodeInvalidClusterIP, Object: svc.Ref(),
		Field: "spec.clusterIPs", File: svc.File, Line: svc.Pos("spec.clusterIP").Line,
		Message: fmt.Sprintf("spec.clusterIPs: Invalid value: []string{%q}: failed to allocate IP %s: provided IP is already allocated", ip.String(), ip)}
	d.SetWords(model.Words{}, model.W("clusterIP {0} belongs to {1}; leave clusterIP out to have one allocated", ip.String(), owner))
	s.Diagnostics = append(s.Diagnostics, d)
}

// lbIPs are the LoadBalancer addresses kube-proxy writes rules for, as its
// newBaseServiceInfo (pkg/proxy/serviceport.go) reads status.loadBalancer.ingress: every
// ingress IP except those of ipMode Proxy (proxyutil.IsVIPMode), which come back as proxied:
// such a load balancer forwards to the nodes itself, and kube-proxy writes nothing for its
// address. A status that lists ingress is a controller's answer, even when it gives no
// address kube-proxy serves (only ipMode Proxy, or only a hostname); only without one does
// the simulated controller hand out spec.loadBalancerIP or the next address of the pool.
func lbIPs(svc *model.Service, pool *netip.Addr) (vips, proxied []netip.Addr) {
	ingress := svc.Obj.Status.LoadBalancer.Ingress
	for _, in := range ingress {
		ip, err := netip.ParseAddr(in.IP)
		if err != nil {
			continue
		}
		if in.IPMode != nil && *in.IPMode != corev1.LoadBalancerIPModeVIP {
			proxied = append(proxied, ip)
			continue
		}
		vips = append(vips, ip)
	}
	if len(ingress) > 0 {
		return vips, proxied
	}
	// spec.loadBalancerIP (deprecated, still honoured by MetalLB and most controllers) asks for
	// one address of the pool.
	if ip, err := netip.ParseAddr(svc.Obj.Spec.LoadBalancerIP); err == nil {
		return []netip.Addr{ip}, nil
	}
	ip := *pool
	*pool = pool.Next()
	return []netip.Addr{ip}, nil
}

// simulatedLB says once, for the whole input, that LoadBalancer addresses came from svcviz's
// own pool: those Services have no status.loadBalancer, so in a real cluster the address is the
// load-balancer controller's to give, and without one the Service stays <pending>.
func (s *Sim) simulatedLB() {
	var made []*ServiceInfo
	for _, si := range s.Services {
		svc := si.Svc
		if svc.Type() == corev1.ServiceTypeLoadBalancer && len(svc.Obj.Status.LoadBalancer.Ingress) == 0 && svc.Obj.Spec.LoadBalancerIP == "" && len(si.LBIPs) > 0 {
			made = append(made, si)
		}
	}
	if len(made) == 0 {
		return
	}
	first := made[0]
	way := model.W("its nodePort on every node")
	for i, np := range first.NodePorts {
		if np != 0 {
			way = model.W("nodePort {0} ({1}) on every node", itoa32(np), "spec.ports["+itoa(i)+"]")
			break
		}
	}
	var names []string
	for _, si := range made {
		names = append(names, si.Svc.Name+" "+si.LBIPs[0].String())
	}
	msg := model.W("no status.loadBalancer: svcviz gives {0} the simulated address {1}", model.Escape(first.Svc.Name), first.LBIPs[0].String())
	if len(made) > 1 {
		msg = model.W("{0} LoadBalancer Services have no status.loadBalancer: svcviz gives them simulated addresses ({1})", itoa(len(made)), model.Escape(joinNames(names, 3)))
		way = model.W("each one's nodePort on every node")
	}
	svc := first.Svc
	d := model.Diagnostic{Severity: model.Info, Code: model.CodeSimulatedLB, Object: svc.Ref(), Field: "status.loadBalancer",
		File: svc.File, Line: svc.Pos("spec.type").Line}
	d.SetWords(model.WW("{0} from a MetalLB-style pool; a cluster without a load-balancer controller shows EXTERNAL-IP <pending>, and {1} is the way in", msg, way),
		model.W("a dump from a cloud cluster carries the real address in status.loadBalancer.ingress"))
	s.Diagnostics = append(s.Diagnostics, d)
}

// clusterIPs are a Service's ClusterIPs in its ipFamilies order (IPv4 only, unless the
// cluster is dual-stack).
func (s *Sim) clusterIPs(svc *model.Service, v4, v6 netip.Addr) []netip.Addr {
	var out []netip.Addr
	fams := svc.Obj.Spec.IPFamilies
	if len(fams) == 0 {
		fams = []corev1.IPFamily{corev1.IPv4Protocol}
	}
	for _, f := range fams {
		if f == corev1.IPv4Protocol && v4.IsValid() {
			out = append(out, v4)
		}
		if f == corev1.IPv6Protocol && v6.IsValid() {
			out = append(out, v6)
		}
	}
	return out
}

// refusedByModel are the Services the API server refuses for what the model found (before
// any address is allocated), as markRefused counts them.
func refusedByModel(c *model.Cluster) map[string]bool {
	out := map[string]bool{}
	for _, d := range c.Diagnostics {
		if d.Severity == model.Error && strings.HasPrefix(d.Object, "Service/") && d.Code != model.CodeDuplicateObject {
			out[d.Object] = true
		}
	}
	return out
}
