package netsim

import (
	"net/netip"
	"strings"

	"github.com/svcviz/svcviz/model"
	corev1 "k8s.io/api/core/v1"
)

// kube-dns as a Pod's resolver meets it, and the client of a headless Service connecting
// to the address it answered.

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
		h.ArgWords = map[int]model.Words{2: pi.Pod.Readiness().Why}
		tr.si = rec.svc
		tr.svcField(h, "spec.publishNotReadyAddresses")
		tr.hint(model.WW("Pod {0} is {1}: kube-dns publishes a headless Service's Pods only when Ready; set spec.publishNotReadyAddresses: true on Service {2} to publish them before",
			model.Lit(pi.Pod.Name), pi.Pod.Readiness().Why, model.Lit(rec.svc.Svc.Name)))
		return
	}
	if d := tr.s.governingCause(name, ns); d != nil {
		h.Narration = "dns.nxdomain.governing"
		h.Args = []string{rec.fqdn, d.Message}
		if !d.MessageWords.IsZero() {
			h.ArgWords = map[int]model.Words{1: d.MessageWords}
		}
		h.Field, h.Object, h.Pos = d.Field, d.Object, model.Pos{File: d.File, Line: d.Line}
		h.Diagnostic = d
		msg := d.MessageWords
		if msg.IsZero() {
			msg = model.Lit(d.Message)
		}
		tr.hint(model.WW("{0} ({1})", msg, d.HintWords))
		return
	}
	tr.hint(tr.s.nearestName(name, ns))
}

// hint sets the trace's hint: English in Hint, the words in HintWords.
func (tr *tracer) hint(w model.Words) { tr.t.Hint, tr.t.HintWords = w.String(), w }

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
		if b := si.Svc.Backing; len(si.Svc.Obj.Spec.Selector) == 0 && len(b) > 0 {
			// Without a selector the records are the addresses an Endpoints object or
			// EndpointSlice lists, not Pods' IPs.
			h.Narration = "dns.headless.slice"
			h.Args = append(h.Args, b[0].Kind+" "+b[0].Name)
			h.Field, h.Object = backingField(b[0]), b[0].Ref()
			h.Pos, h.Defaulted = b[0].Pos(h.Field), false
		}
		if len(ips) == 0 {
			h.Narration = "dns.noendpoints"
			tr.blameOr(h, "spec.clusterIP", model.CodeNoMatchingPods, model.CodeNoReadyEndpoints, model.CodeNoSelector, model.CodeNamedPortNotFound, model.CodeProtocolMismatch)
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
		// An address outside the simulated pod network (a selectorless Service's Endpoints):
		// the packet leaves the node, as it does through a ClusterIP (routeAndDeliver).
		tr.add(Hop{Where: tr.from.node.Name, Node: tr.from.node.Name, Action: ActRoute, Wire: true, Teaching: true, Narration: "route.outside", Args: []string{tr.pkt.Dst.String()}})
		tr.stop(Delivered)
		tr.reply(false)
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
