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
		tr.blameOr(h, tr.targetPortPath(), model.CodeTargetPortUndecl)
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
	tr.blameOr(h, tr.targetPortPath(), model.CodeProtocolMismatch, model.CodeTargetPortUndecl)
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

// targetPortPath is the traced port's targetPort field, or "" without a port.
func (tr *tracer) targetPortPath() string {
	if tr.sp == nil {
		return ""
	}
	return tr.portPath("targetPort")
}
