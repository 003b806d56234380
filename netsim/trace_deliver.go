package netsim

import (
	"net/netip"
	"strings"

	"github.com/svcviz/svcviz/model"
	corev1 "k8s.io/api/core/v1"
)

// routeAndDeliver carries the DNATed packet to its endpoint: over cni0 on this node, or over
// the overlay to another node first; then a container takes it, or the Pod refuses it.
func (tr *tracer) routeAndDeliver(node *Node) {
	ep := tr.t.Endpoint
	var pi *PodInfo
	if ep != nil && ep.Pod != nil {
		pi = tr.s.PodInfo(ep.Pod)
	}
	if pi == nil {
		tr.add(Hop{Where: node.Name, Node: node.Name, Action: ActRoute, Wire: true, Teaching: true, Narration: "route.outside", Args: []string{tr.pkt.Dst.String()}})
		tr.stop(Delivered)
		tr.reply(true)
		return
	}
	tr.route(node, pi)
	tr.deliver(pi, ep)
}

func (tr *tracer) route(from *Node, pi *PodInfo) {
	if pi.Node != from {
		tr.add(Hop{Where: from.Name + " → " + pi.Node.Name, Node: from.Name, Action: ActRoute, Pod: pi, Wire: true, Teaching: true, Narration: "route.overlay",
			Args: []string{from.Name, pi.Node.Name, pi.Node.PodCIDR.String()}})
	}
	if pi.Pod.Obj.Spec.HostNetwork {
		return
	}
	tr.add(Hop{Where: "cni0", Node: pi.Node.Name, Action: ActRoute, Pod: pi, Wire: true, Narration: "route.local",
		Args: []string{pi.Node.Bridge.String(), pi.Pod.Name}})
}

// deliver hands the packet to the container that declares the port. containerPort is
// informational in Kubernetes, so an undeclared port is judged by what the Pod does declare:
// containers that declare other ports are taken to listen only there (connection refused);
// containers that declare none give no evidence, and the packet is delivered with that said.
func (tr *tracer) deliver(pi *PodInfo, ep *model.Endpoint) {
	p := pi.Pod
	switch {
	case ep.Declared():
		h := tr.add(Hop{Where: p.Name + "/" + ep.Container, Node: pi.Node.Name, Action: ActDeliver, Pod: pi, Wire: true, Teaching: true, Narration: "deliver",
			Args: []string{p.Name, ep.Container, itoa32(ep.Port)}})
		if p.Obj.Spec.HostNetwork {
			h.Narration = "deliver.host"
		}
		// A named targetPort is matched by the container port's name: that line decides it.
		field := ".containerPort"
		if ep.Named {
			field = ".name"
		}
		tr.podField(h, p, ep.PortField+field)
	case !declaresPorts(p):
		h := tr.add(Hop{Where: p.Name, Node: pi.Node.Name, Action: ActDeliver, Pod: pi, Wire: true, Teaching: true, Narration: "deliver.undeclared",
			Args: []string{p.Name, itoa32(ep.Port) + "/" + tr.pkt.Proto}})
		if tr.sp != nil {
			tr.svcField(h, tr.portPath("targetPort"))
		}
		h.Diagnostic = tr.explain(model.CodeTargetPortUndecl)
	default:
		tr.refuse(pi, ep)
		return
	}
	tr.stop(Delivered)
	tr.reply(tr.natted())
}

// refuse is a packet for a port no container of the Pod declares, for the packet's protocol.
// svcviz takes the declared ports as the ones the app listens on, says so, and answers as the
// Pod's kernel does for a closed port: a TCP RST, ICMP port unreachable for a UDP datagram,
// an SCTP ABORT for an SCTP INIT.
func (tr *tracer) refuse(pi *PodInfo, ep *model.Endpoint) {
	p := pi.Pod
	port := itoa32(ep.Port) + "/" + tr.pkt.Proto
	fix := "containerPort: " + itoa32(ep.Port) + ", protocol: " + tr.pkt.Proto
	h := tr.add(Hop{Where: p.Name, Node: pi.Node.Name, Action: ActRefuse, Pod: pi, Wire: true, Teaching: true, Narration: "refuse" + protoSuffix(tr.pkt.Proto),
		Args: []string{p.Name, port, declaredPorts(p), fix}})
	if tr.sp != nil {
		tr.svcField(h, tr.portPath("targetPort"))
	}
	h.Diagnostic = tr.explain(model.CodeProtocolMismatch, model.CodeTargetPortUndecl)
	tr.stop(Refused)
	back := Packet{Src: tr.pkt.Dst, Dst: tr.pkt.Src, Proto: tr.pkt.Proto}
	seen := tr.clientView()
	key := "reply.rst"
	switch tr.pkt.Proto {
	case "UDP":
		// The kernel's ICMP error quotes the datagram; conntrack finds the connection in it
		// and undoes the NAT, so the client sees it come from the address it sent to.
		back = Packet{Src: netip.AddrPortFrom(tr.pkt.Dst.Addr(), 0), Dst: netip.AddrPortFrom(tr.pkt.Src.Addr(), 0), Proto: "ICMP"}
		seen = Packet{Src: netip.AddrPortFrom(seen.Src.Addr(), 0), Dst: netip.AddrPortFrom(seen.Dst.Addr(), 0), Proto: "ICMP"}
		key = "reply.icmp.pod"
	case "SCTP":
		key = "reply.abort"
	}
	tr.add(Hop{Where: p.Name, Node: pi.Node.Name, Action: ActReply, Pod: pi, Wire: true, Teaching: true, Narration: key,
		Before: back, After: seen, Args: []string{seen.Dst.Addr().String(), seen.Src.Addr().String()}})
}

// protoSuffix picks the narration for a protocol: "" for TCP, ".udp", ".sctp".
func protoSuffix(proto string) string {
	switch proto {
	case "UDP":
		return ".udp"
	case "SCTP":
		return ".sctp"
	}
	return ""
}

// declaresPorts reports whether any container of the Pod declares a port.
func declaresPorts(p *model.Pod) bool { return declaredPorts(p) != "" }

// declaredPorts lists the Pod's declared ports: "8080/TCP, 9090/TCP".
func declaredPorts(p *model.Pod) string {
	var out []string
	for _, cs := range [][]corev1.Container{p.Obj.Spec.Containers, p.Obj.Spec.InitContainers} {
		for _, c := range cs {
			for _, cp := range c.Ports {
				out = append(out, itoa32(cp.ContainerPort)+"/"+string(cp.Protocol))
			}
		}
	}
	return strings.Join(out, ", ")
}

// podField points a hop at a field of a Pod, or of the workload template that made it.
func (tr *tracer) podField(h *Hop, p *model.Pod, sub string) {
	h.Field = p.SpecPath() + "." + sub
	h.Pos = p.FieldPos(sub)
	h.Object = p.Ref()
	if p.Owner != nil {
		h.Object = p.Owner.Ref()
	}
}

// natted reports whether any hop rewrote an address, so the reply needs conntrack.
func (tr *tracer) natted() bool {
	for _, h := range tr.t.Hops {
		if h.Action == ActDNAT || h.Action == ActSNAT {
			return true
		}
	}
	return false
}

// clientView is the reply as the sender sees it: from the address it sent to, to itself.
func (tr *tracer) clientView() Packet {
	orig := tr.original()
	return Packet{Src: orig.Dst, Dst: orig.Src, Proto: orig.Proto}
}

// original is the packet as first sent (after any DNS lookup).
func (tr *tracer) original() Packet {
	for _, h := range tr.t.Hops {
		if h.Action == ActSend {
			return h.Before
		}
	}
	return tr.pkt
}

func (tr *tracer) reply(viaConntrack bool) {
	before := Packet{Src: tr.pkt.Dst, Dst: tr.pkt.Src, Proto: tr.pkt.Proto}
	key := "reply"
	if !viaConntrack {
		key = "reply.direct"
	}
	tr.add(Hop{Where: "conntrack", Action: ActReply, Wire: true, Teaching: true, Narration: key, Before: before, After: tr.clientView(),
		Args: []string{tr.clientView().Src.String(), tr.clientView().Dst.String()}})
}

func (tr *tracer) replyICMP(node *Node) {
	after := Packet{Src: netip.AddrPortFrom(tr.icmpSource(node), 0), Dst: tr.original().Src, Proto: "ICMP"}
	tr.add(Hop{Where: node.Name, Node: node.Name, Action: ActReply, Wire: true, Teaching: true, Narration: "reply.icmp" + protoSuffix(tr.pkt.Proto),
		Before: after, After: after, Args: []string{tr.original().Src.Addr().String()}})
}

// icmpSource is the source of the ICMP error a REJECT rule sends, as the kernel picks it
// (icmp_send, net/ipv4/icmp.c): the rejected packet's destination when that is one of the
// node's own addresses (a nodePort, 127.0.0.1), else the node's address on the route back
// to the sender: cni0's for a Pod of this node, the node IP for the node's own process and
// for a client outside. Measured with netlab (internal/netlab/testdata/cases/reject-icmp-source.yaml).
func (tr *tracer) icmpSource(node *Node) netip.Addr {
	dst := tr.original().Dst.Addr()
	switch {
	case dst == node.IP || dst == node.Bridge || dst.IsLoopback():
		return dst
	case tr.from.pod != nil && !tr.from.pod.Pod.Obj.Spec.HostNetwork && tr.from.pod.Node == node:
		return node.Bridge
	}
	return node.IP
}

// dns resolves the request's name with kube-dns. It reports whether the packet goes on.
func (tr *tracer) dns() bool {
	name := tr.t.Request.DNSName
	ns := corev1.NamespaceDefault
	if tr.from.pod != nil {
		ns = tr.from.pod.Pod.Namespace
	}
	if name == "" {
		name = tr.si.Svc.Name
		if tr.si.Svc.Namespace != ns {
			name += "." + tr.si.Svc.Namespace
		}
	}
	dnsSrc := netip.AddrPortFrom(tr.from.ip, tr.t.Request.SourcePort+1000)
	query := Packet{Src: dnsSrc, Dst: netip.AddrPortFrom(tr.s.DNS, 53), Proto: "UDP"}
	answer := Packet{Src: query.Dst, Dst: query.Src, Proto: "UDP"}
	// The query shows the search-path name that answers (the resolver's earlier tries get
	// NXDOMAIN), or the first one tried when none does.
	rec, found := tr.s.resolve(name, ns)
	tr.add(Hop{Where: tr.from.name, Node: tr.from.node.Name, Action: ActDNSQuery, Pod: tr.from.pod, Wire: true, Teaching: true, Narration: tr.queryKey(),
		Before: query, After: query, Args: []string{name, rec.fqdn, tr.s.DNS.String()}})
	if !found {
		tr.unresolved(name, ns, rec, answer)
		return false
	}
	si, fqdn := rec.svc, rec.fqdn
	tr.si = si
	if tr.sp == nil || tr.t.Service != si {
		tr.sp, tr.portErr = findPort(si, tr.t.Request.Port)
		tr.t.Service, tr.t.Port = si, tr.sp
		if tr.sp != nil {
			tr.pkt.Proto = string(tr.sp.Protocol) // the name may lead to a UDP Service
		}
	}
	if rec.pod != nil {
		return tr.podAnswer(rec, answer)
	}
	return tr.dnsAnswer(si, fqdn, answer)
}

// unresolved is kube-dns's NXDOMAIN, with its cause when the input has one: a Pod's own name
// withheld because the Pod is not Ready, or a per-Pod name whose governing Service is missing
// or not headless.
func (tr *tracer) unresolved(name, ns string, rec dnsRecord, answer Packet) {
	h := tr.add(Hop{Where: "kube-dns", Action: ActUnresolved, Wire: true, Teaching: true, Narration: "dns.nxdomain", Before: answer, After: answer, Args: []string{rec.fqdn}})
	tr.stop(Unresolved)
	if pi := rec.unpublished; pi != nil {
		h.Narration = "dns.nxdomain.notready"
		h.Pod = pi
		h.Args = []string{rec.fqdn, pi.Pod.Name, pi.Pod.Readiness().Reason, rec.svc.Svc.Name}
		tr.si = rec.svc
		tr.svcField(h, "spec.publishNotReadyAddresses")
		tr.t.Hint = "Pod " + pi.Pod.Name + " is " + pi.Pod.Readiness().Reason + ": kube-dns publishes a headless Service's Pods only when Ready; set spec.publishNotReadyAddresses: true on Service " + rec.svc.Svc.Name + " to publish them before"
		return
	}
	if d := tr.s.governingCause(name, ns); d != nil {
		h.Narration = "dns.nxdomain.governing"
		h.Args = []string{rec.fqdn, d.Message}
		h.Field, h.Object, h.Pos = d.Field, d.Object, model.Pos{File: d.File, Line: d.Line}
		h.Diagnostic = d
		tr.t.Hint = d.Message + " (" + d.Hint + ")"
		return
	}
	tr.t.Hint = tr.s.nearestName(name, ns)
}

// queryKey words the query: a Pod asks with its resolv.conf; a node's own resolver does not
// know cluster names, so a node asks kube-dns directly, as `dig @10.96.0.10 +search` would.
func (tr *tracer) queryKey() string {
	if tr.from.pod == nil {
		return "dns.query.node"
	}
	return "dns.query"
}

// podAnswer is a Pod's own record (a StatefulSet Pod under its headless Service): the client
// then connects to that Pod directly.
func (tr *tracer) podAnswer(rec dnsRecord, answer Packet) bool {
	h := tr.add(Hop{Where: "kube-dns", Action: ActDNSAnswer, Wire: true, Teaching: true, Before: answer, After: answer,
		Narration: "dns.pod", Args: []string{rec.fqdn, rec.pod.IP.String(), rec.pod.Pod.Name, rec.svc.Svc.Name}})
	tr.svcField(h, "spec.clusterIP")
	if tr.sp == nil {
		tr.stop(Answered)
		return false
	}
	// The answer is the Pod's address: the client connects to it on the port it dials.
	tr.choice = ChoosePod(rec.pod.Pod)
	return true
}

func (tr *tracer) dnsAnswer(si *ServiceInfo, fqdn string, answer Packet) bool {
	h := tr.add(Hop{Where: "kube-dns", Action: ActDNSAnswer, Wire: true, Teaching: true, Before: answer, After: answer})
	switch {
	case si.Svc.Type() == corev1.ServiceTypeExternalName:
		h.Narration, h.Args = "dns.cname", []string{fqdn, si.Svc.Obj.Spec.ExternalName}
		tr.svcField(h, "spec.externalName")
		if tr.sp != nil {
			h.Narration = "dns.cname.port"
			h.Args = append(h.Args, itoa32(tr.sp.Port))
		}
		tr.stop(Answered)
		return false
	case si.Svc.Headless():
		ips := tr.headlessIPs()
		h.Narration, h.Args = "dns.headless", []string{fqdn, strings.Join(ips, ", ")}
		tr.svcField(h, "spec.clusterIP")
		if len(ips) == 0 {
			h.Narration = "dns.noendpoints"
			h.Diagnostic = tr.explain(model.CodeNoMatchingPods, model.CodeNoReadyEndpoints, model.CodeNoSelector, model.CodeNamedPortNotFound)
			tr.stop(Unresolved)
			return false
		}
		if tr.sp == nil {
			tr.stop(Answered) // no port to connect to: the answer is the result
			return false
		}
		return true
	}
	h.Narration, h.Args = "dns.answer", []string{fqdn, si.ClusterIP.String()}
	tr.svcField(h, "metadata.name")
	if tr.sp == nil {
		tr.stop(Answered)
		return false
	}
	return true
}

// headlessIPs are the A records of a headless Service: every ready endpoint address of any of
// its ports, or, with no ports at all, every selected Pod (the endpoints controller publishes
// port-less addresses for headless Services).
func (tr *tracer) headlessIPs() []string {
	seen := map[string]bool{}
	var ips []string
	addIP := func(ip netip.Addr) {
		if ip.IsValid() && !seen[ip.String()] {
			seen[ip.String()] = true
			ips = append(ips, ip.String())
		}
	}
	for _, sp := range tr.si.Svc.Ports {
		for _, ep := range sp.Endpoints {
			ip, _ := tr.s.EndpointAddr(ep)
			addIP(ip)
		}
	}
	if len(tr.si.Svc.Ports) == 0 {
		publishAll := tr.si.Svc.Obj.Spec.PublishNotReadyAddresses
		for _, p := range tr.si.Svc.Selected {
			r := p.Readiness()
			if pi := tr.s.PodInfo(p); pi != nil && (r.Ready || publishAll && r.Endpoint) {
				addIP(pi.IP)
			}
		}
		// A selectorless one answers with the ready addresses of its EndpointSlices.
		for _, e := range tr.si.Svc.Backing {
			for _, a := range e.Addresses {
				if ip, err := netip.ParseAddr(a.IP); err == nil && ip.Is4() && (a.Ready || publishAll) {
					addIP(ip)
				}
			}
		}
	}
	return ips
}

// direct connects straight to one of a headless Service's Pods: no virtual IP, no rule.
func (tr *tracer) direct() {
	if tr.sp == nil {
		return
	}
	ep := tr.directEndpoint()
	if ep == nil {
		return
	}
	tr.t.Endpoint = ep
	ip, _ := tr.s.EndpointAddr(*ep)
	tr.pkt.Dst = netip.AddrPortFrom(ip, uint16(ep.Port))
	pi := tr.s.PodInfo(ep.Pod)
	if tr.from.pod == nil && pi != nil {
		// A process on the node reaches Pods through the node's route to the pod network, so
		// the kernel picks that interface's address as the source (cni0, or the overlay's).
		tr.pkt.Src = netip.AddrPortFrom(nodeSourceToward(tr.from.node, pi), tr.pkt.Src.Port())
	}
	h := tr.add(Hop{Where: tr.from.name, Node: tr.from.node.Name, Action: ActSend, Pod: tr.from.pod, Wire: true, Teaching: true, Narration: "send.direct",
		Args: []string{tr.fromLabel(), tr.pkt.Dst.String(), endpointName(ep)}})
	if ep.Pod == nil {
		h.Narration = "send.direct.addr"
	}
	// No rule rewrites the port: the client dials the Service port (targetPort is ignored
	// without a virtual IP).
	tr.svcField(h, tr.portPath("port"))
	if pi == nil {
		tr.stop(Delivered)
		return
	}
	tr.route(tr.from.node, pi)
	tr.deliver(pi, ep)
}

// nodeSourceToward is the address a node's own process sends from toward a Pod: cni0's for a
// Pod on the node, the overlay interface's (the node subnet's .0) for another node's Pod.
func nodeSourceToward(n *Node, pi *PodInfo) netip.Addr {
	switch {
	case pi.Pod.Obj.Spec.HostNetwork:
		return n.IP
	case pi.Node == n:
		return n.Bridge
	}
	return n.PodCIDR.Addr()
}

// directEndpoint is where a headless Service's client connects: the Pod its DNS name named,
// the endpoint asked for, or one of the addresses DNS answered at random. A Pod named by its
// own record that has no endpoint on the port (its named port is another protocol's) is
// still where the client connects, on the Service port.
func (tr *tracer) directEndpoint() *model.Endpoint {
	if p := tr.choice.Pod(); p != nil {
		for i := range tr.sp.Endpoints {
			if tr.sp.Endpoints[i].Pod == p {
				return &tr.sp.Endpoints[i]
			}
		}
		ep := model.EndpointOn(p, tr.sp)
		return &ep
	}
	if len(tr.sp.Endpoints) == 0 {
		return nil
	}
	i := tr.rng.IntN(len(tr.sp.Endpoints))
	if k := tr.choice.Nth(); k > 0 && k <= len(tr.sp.Endpoints) {
		i = k - 1
	}
	return &tr.sp.Endpoints[i]
}
