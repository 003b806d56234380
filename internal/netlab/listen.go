package netlab

import (
	"fmt"
	"net"
	"strconv"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	corev1 "k8s.io/api/core/v1"
)

// server is one Pod's listeners; each answers a connection or datagram with one line:
// "NAMESPACE/NAME SRC-IP:SRC-PORT", the Pod's name and the source address it saw.
type server struct {
	closers []func()
}

func (s *server) close() {
	for _, c := range s.closers {
		c()
	}
}

// listenPort is one port a Pod listens on.
type listenPort struct {
	Port  int32
	Proto corev1.Protocol
}

// podPorts are the ports a Pod listens on: exactly those its containers (and sidecar init
// containers) declare. A Pod that declares none gives no evidence, and svcviz then takes it
// to listen where its Services send (trace_deliver.go); the lab makes the same assumption.
func podPorts(sim *netsim.Sim, pi *netsim.PodInfo) []listenPort {
	var out []listenPort
	seen := map[listenPort]bool{}
	add := func(p listenPort) {
		if p.Proto == "" {
			p.Proto = corev1.ProtocolTCP
		}
		if !seen[p] && p.Port > 0 {
			seen[p] = true
			out = append(out, p)
		}
	}
	spec := pi.Pod.Obj.Spec
	for _, cs := range [][]corev1.Container{spec.Containers, spec.InitContainers} {
		for _, c := range cs {
			for _, cp := range c.Ports {
				add(listenPort{cp.ContainerPort, cp.Protocol})
			}
		}
	}
	if len(out) > 0 {
		return out
	}
	for _, si := range sim.Services {
		for _, sp := range si.Svc.Ports {
			for _, ep := range sp.Endpoints {
				if ep.Pod == pi.Pod {
					add(listenPort{ep.Port, sp.Protocol})
				}
			}
		}
	}
	return out
}

// podName is how a Pod names itself in its answers.
func podName(p *model.Pod) string { return p.Namespace + "/" + p.Name }

// listen starts every Pod's listeners in its namespace (hostNetwork Pods in their node's).
// SCTP is skipped where the kernel has no SCTP sockets.
func (l *Lab) listen() error {
	for _, pi := range l.Sim.Pods {
		if l.PodNS[pi.IP] != pi {
			continue // a duplicate address, or a Pod with none
		}
		ns, ok := l.Pods[pi]
		if !ok {
			ns = l.Nodes[pi.Node.Name]
		}
		srv := &server{}
		l.servers = append(l.servers, srv)
		for _, p := range podPorts(l.Sim, pi) {
			if err := srv.start(ns, podName(pi.Pod), p); err != nil {
				return err
			}
		}
	}
	l.nodeCanaries()
	return nil
}

// canaryPrefix starts the answer of a node's canary: "node:node01".
const canaryPrefix = "node:"

// nodeCanaries listen on every UDP nodePort in each node's own stack. A datagram that no rule
// rewrote reaches that stack, where on a real node nothing listens and the kernel answers ICMP
// port unreachable, as a REJECT rule does: the canary's answer tells the two apart. (TCP needs
// none: the stack answers with a RST, a REJECT rule with ICMP.)
func (l *Lab) nodeCanaries() {
	for _, n := range l.Sim.Nodes {
		srv := &server{}
		l.servers = append(l.servers, srv)
		seen := map[int32]bool{}
		for _, si := range l.Sim.Services {
			for _, sp := range si.Svc.Ports {
				np := si.NodePorts[sp.Index]
				if np == 0 || sp.Protocol != corev1.ProtocolUDP || seen[np] {
					continue
				}
				seen[np] = true
				// A hostNetwork Pod may hold the port already; then it answers instead.
				_ = srv.start(l.Nodes[n.Name], canaryPrefix+n.Name, listenPort{np, corev1.ProtocolUDP})
			}
		}
	}
}

func (s *server) start(ns NS, name string, p listenPort) error {
	addr := ":" + strconv.Itoa(int(p.Port))
	switch p.Proto {
	case corev1.ProtocolTCP:
		var ln net.Listener
		err := ns.Do(func() (err error) { ln, err = net.Listen("tcp4", addr); return err })
		if err != nil {
			return fmt.Errorf("listen %s tcp%s in %s: %w", name, addr, ns.Name, err)
		}
		s.closers = append(s.closers, func() { ln.Close() })
		go serveTCP(ln, name)
	case corev1.ProtocolUDP:
		var pc net.PacketConn
		err := ns.Do(func() (err error) { pc, err = net.ListenPacket("udp4", addr); return err })
		if err != nil {
			return fmt.Errorf("listen %s udp%s in %s: %w", name, addr, ns.Name, err)
		}
		s.closers = append(s.closers, func() { pc.Close() })
		go serveUDP(pc, name)
	}
	return nil
}

func serveTCP(ln net.Listener, name string) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		_, _ = c.Write([]byte(name + " " + c.RemoteAddr().String() + "\n"))
		c.Close()
	}
}

func serveUDP(pc net.PacketConn, name string) {
	buf := make([]byte, 512)
	for {
		_, from, err := pc.ReadFrom(buf)
		if err != nil {
			return
		}
		_, _ = pc.WriteTo([]byte(name+" "+from.String()+"\n"), from)
	}
}
