package netlab

import (
	"fmt"
	"net/netip"
	"strconv"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	corev1 "k8s.io/api/core/v1"
)

// Limits bound how many packets a cluster gets.
type Limits struct {
	PodClients int // Pods that send to each ClusterIP (besides the Service's own, for hairpin)
	MaxSends   int // packets per request when kube-proxy chooses at random
	// Unserved adds a packet to a port each ClusterIP does not serve (iptables mode drops it,
	// which costs a probe's whole timeout).
	Unserved bool
}

// Report is the result of running one cluster's requests.
type Report struct {
	Requests int // requests compared (one request may take several packets)
	Packets  int
	Skipped  []string // requests the lab cannot send (SCTP without kernel support)
	// Retried counts packets that disagreed once and agreed when sent again (see retries).
	Retried       int
	Disagreements []Disagreement
}

// Disagreement is a request whose kernel outcome svcviz did not predict.
type Disagreement struct {
	Request  netsim.Request
	Expected string
	Kernel   string
	Why      string
}

// String is the `svcviz trace` command of the request, the fields that differ, and both sides.
func (d Disagreement) String() string {
	r := d.Request
	cmd := fmt.Sprintf("svcviz trace --proxy-mode %s --service %s --port %s --from %s --via %s", r.Mode, r.Service, r.Port, r.From, r.Via)
	if r.ToNode != "" {
		cmd += " --to-node " + r.ToNode
	}
	if r.Dst.IsValid() {
		cmd += " --dst " + r.Dst.String()
	}
	return fmt.Sprintf("%s --seed %d (source port %d): %s\n    svcviz: %s\n    kernel: %s", cmd, r.Seed, r.SourcePort, d.Why, d.Expected, d.Kernel)
}

// Requests lists every way into every Service port of the lab's cluster: each node's nodePort
// from the client, from the node itself and from a Pod; the ClusterIP from every node, from the
// Service's own Pods (hairpin) and from up to lim.PodClients other Pods; the LoadBalancer IP
// from the client through every node and from a Pod; every node's nodePort on 127.0.0.1 from
// the node; a port the ClusterIP does not serve; and a headless Service's Pods as its clients
// reach them (by DNS, on the Service port).
func (l *Lab) Requests(lim Limits) (reqs []netsim.Request, skipped []string) {
	for _, si := range l.Sim.Services {
		if !l.Sim.Valid(si) || !si.ClusterIP.IsValid() && !si.Svc.Headless() {
			continue
		}
		ref := si.Svc.Namespace + "/" + si.Svc.Name
		for _, sp := range si.Svc.Ports {
			port := strconv.Itoa(int(sp.Port)) + "/" + string(sp.Protocol)
			base := netsim.Request{Service: ref, Port: port}
			if sp.Protocol != corev1.ProtocolTCP && sp.Protocol != corev1.ProtocolUDP {
				skipped = append(skipped, ref+" "+port+": the kernel here has no "+string(sp.Protocol)+" sockets")
				continue
			}
			if si.Svc.Headless() {
				reqs = append(reqs, l.headlessRequests(si, base, lim)...)
				continue
			}
			reqs = append(reqs, l.portRequests(si, sp.Index, base, lim)...)
		}
	}
	return reqs, skipped
}

func (l *Lab) portRequests(si *netsim.ServiceInfo, idx int, base netsim.Request, lim Limits) []netsim.Request {
	var out []netsim.Request
	add := func(from string, via netsim.Via, to string) {
		r := base
		r.From, r.Via, r.ToNode, r.Mode = from, via, to, l.Backend.Mode()
		out = append(out, r)
	}
	clients := l.podClients(si, lim.PodClients)
	if np := si.NodePorts[idx]; np != 0 {
		for _, n := range l.Sim.Nodes {
			add("external", netsim.ViaNodePort, n.Name)
			add(n.Name, netsim.ViaNodePort, "")
			add(n.Name, netsim.ViaNodePort, "")
			out[len(out)-1].Dst = netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), uint16(np))
		}
		for _, c := range clients[:min(1, len(clients))] {
			add(c, netsim.ViaNodePort, "")
		}
	}
	for _, n := range l.Sim.Nodes {
		add(n.Name, netsim.ViaClusterIP, "")
	}
	for _, c := range clients {
		add(c, netsim.ViaClusterIP, "")
	}
	if idx == 0 && len(clients) > 0 && lim.Unserved {
		// A port the Service does not have: nftables mode rejects it (cluster-ips-check);
		// iptables mode has no rule for it.
		add(clients[0], netsim.ViaClusterIP, "")
		out[len(out)-1].Dst = netip.AddrPortFrom(si.ClusterIP, unservedPort(si))
	}
	if len(si.LBIPs) > 0 {
		for _, n := range l.Sim.Nodes {
			add("external", netsim.ViaLB, n.Name)
		}
		for _, c := range clients[:min(1, len(clients))] {
			add(c, netsim.ViaLB, "")
		}
	}
	return out
}

// unservedPort is a port number the Service has on no protocol.
func unservedPort(si *netsim.ServiceInfo) uint16 {
	p := uint16(si.Svc.Ports[0].Port)
	for {
		p++
		used := false
		for _, sp := range si.Svc.Ports {
			used = used || uint16(sp.Port) == p
		}
		if !used {
			return p
		}
	}
}

// headlessRequests: a client of a headless Service asks DNS and dials a Pod's address on
// the Service port; no rule is involved, so the kernel only routes and delivers.
func (l *Lab) headlessRequests(si *netsim.ServiceInfo, base netsim.Request, lim Limits) []netsim.Request {
	var out []netsim.Request
	add := func(from string) {
		r := base
		r.From, r.Via, r.Mode = from, netsim.ViaDNS, l.Backend.Mode()
		out = append(out, r)
	}
	for _, n := range l.Sim.Nodes {
		add(n.Name)
	}
	for _, c := range l.podClients(si, lim.PodClients) {
		add(c)
	}
	return out
}

// podClients are the Service's own Pods (a Pod reaching itself through its Service is the
// hairpin case) and up to max others, preferring one per node.
func (l *Lab) podClients(si *netsim.ServiceInfo, max int) []string {
	var own, others []string
	behind := map[string]bool{}
	for _, p := range si.Svc.Selected {
		behind[podName(p)] = true
	}
	seenNode := map[string]bool{}
	for _, pi := range l.Sim.Pods {
		if l.PodNS[pi.IP] != pi {
			continue
		}
		name := podName(pi.Pod)
		switch {
		case behind[name]:
			if len(own) < max {
				own = append(own, name)
			}
		case !seenNode[pi.Node.Name] && len(others) < max:
			seenNode[pi.Node.Name] = true
			others = append(others, name)
		}
	}
	return append(others, own...)
}

// podByName finds a Pod of the cluster by "NAMESPACE/NAME".
func (l *Lab) podByName(name string) *model.Pod {
	for _, pi := range l.Sim.Pods {
		if podName(pi.Pod) == name {
			return pi.Pod
		}
	}
	return nil
}

// sender is the namespace and address a request's packet leaves from.
func (l *Lab) sender(from string) (NS, netip.Addr, error) {
	if from == "external" {
		return l.Client, l.Sim.Config.ClientIP, nil
	}
	if ns, ok := l.Nodes[from]; ok {
		return ns, netip.Addr{}, nil // the kernel picks the source, as for a node's own process
	}
	for _, pi := range l.Sim.Pods {
		if podName(pi.Pod) == from && l.PodNS[pi.IP] == pi {
			if ns, ok := l.Pods[pi]; ok {
				return ns, pi.IP, nil
			}
			return l.Nodes[pi.Node.Name], pi.IP, nil
		}
	}
	return NS{}, netip.Addr{}, fmt.Errorf("no sender %q in the lab", from)
}
