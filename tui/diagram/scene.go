package diagram

import (
	"net/netip"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// PodItem is one Pod as the diagram shows it. Pod is the Pod itself, for matching hops and
// clicks; Show, Title and Sub are what is drawn, made canvas-safe (cellSafe).
type PodItem struct {
	Pod   *model.Pod
	NS    string // "dev/" when the input has more than one namespace, else ""
	Show  string // the name as drawn, without NS
	IP    netip.Addr
	Title string // "myapp-pod 10.244.0.2:80": NS and Show, then the address
	Sub   string // "nginx-container :80"
	Bad   string // a red mark under Sub: ":80 nothing declared"
	// SubAlts are wordings of Sub, longest first: the box shows the longest that fits.
	SubAlts []string
	Faded   bool // selected but cannot receive on this port, or the nearest Pod not selected
	// Differs is, on the nearest Pod to a selector that matches none, the labels that differ
	// (Bad is made of them and Marks.Ne).
	Differs []model.LabelDiff
	Origin  bool // the Pod that sends
}

// Scene is what the diagram shows for one trace, independent of the terminal's size. Every
// string in it is canvas-safe (cellSafe); Nodes and PodItem.Pod are references for matching
// hops to places.
type Scene struct {
	Nodes    []*netsim.Node
	NodeName []string // per node, as drawn
	Client   string   // "client 192.168.1.10"
	DNS      string   // "kube-dns 10.96.0.10", when the trace asks DNS
	SvcName  string
	SvcNote  string // " (not on the wire)" after the name: the wire view without colour
	SvcAddr  string // "ClusterIP 10.96.0.11:80"
	Port     string // ":30008", when the port has a nodePort
	Pods     [][]PodItem
	Off      int // Pods left out because they do not fit
	NoPodMsg string
	Mark     SvcMark
	// External: the trace starts at the client; otherwise the client is drawn dimmed and
	// unconnected, since the packet never passes it.
	External bool
	// BadMark starts a red mark in a Pod box: "✗ ", or "x " under --ascii.
	BadMark string
	// Ell marks shortened text: "…", or "..." under --ascii.
	Ell string
	// ClientMark is said beside the client: "✗ no nodePort" when the Service gives it no way in.
	ClientMark string
	// StopRow: the trace is refused at a Pod; its verdict goes on a last line of the Pod boxes.
	StopRow bool
	wordsFn func(string, ...string) string // Marks.Words
}

// SvcMark flags a Service with diagnostics on its box: red for an error.
type SvcMark struct {
	Text string
	Bad  bool
}

// maxPodsPerNode bounds what is laid out; the rest are counted as off screen.
const maxPodsPerNode = 200

// buildScene picks what the diagram centres on: the traced Service and port, its endpoint
// Pods, the selected Pods that cannot receive (faded) and the Pod that sends.
func buildScene(sim *netsim.Sim, tr *netsim.Trace, words func(string, ...string) string) *Scene {
	sc := &Scene{Nodes: sim.Nodes, Client: words("client {0}", sim.Config.ClientIP.String()), Pods: make([][]PodItem, len(sim.Nodes)), wordsFn: words}
	for _, n := range sim.Nodes {
		sc.NodeName = append(sc.NodeName, cellSafe(n.Name))
	}
	si := tr.Service
	multi := MultiNamespace(sim)
	sc.SvcName = cellSafe(si.Svc.Name)
	if multi {
		sc.SvcName = cellSafe(si.Svc.Key())
	}
	sc.SvcAddr = cellSafe(svcAddr(si, tr.Port))
	if tr.Port != nil && si.NodePorts[tr.Port.Index] > 0 {
		sc.Port = ":" + strconv.Itoa(int(si.NodePorts[tr.Port.Index]))
	}
	sc.External = tr.Origin.External()
	if usesDNS(tr) {
		sc.DNS = "kube-dns " + sim.DNS.String()
	}
	seen := map[*model.Pod]bool{}
	add := func(pi *netsim.PodInfo, it PodItem) {
		if pi == nil || seen[pi.Pod] {
			return
		}
		seen[pi.Pod] = true
		if multi {
			it.NS = cellSafe(pi.Pod.Namespace + "/")
			it.Title = it.NS + it.Title
		}
		k := nodeIndex(sim, pi.Node.Name)
		if len(sc.Pods[k]) >= maxPodsPerNode {
			sc.Off++
			return
		}
		sc.Pods[k] = append(sc.Pods[k], it)
	}
	// The sending Pod comes first, on the top row next to the bridge, so its first hop (to the
	// bridge and the Service's rules) is on screen with it.
	origin := tr.Origin.Pod
	if origin != nil {
		it := newPodItem(origin, "", "", false, true)
		it.Sub = words("sends the packet")
		if tr.Port != nil {
			for _, ep := range tr.Port.Endpoints {
				if ep.Pod == origin.Pod {
					it = endpointItem(origin, ep, words)
					it.Origin = true
				}
			}
		}
		add(origin, it)
	}
	if tr.Port != nil {
		for _, ep := range tr.Port.Endpoints {
			pi := sim.PodInfo(ep.Pod)
			if ep.Pod != nil && pi != nil {
				add(pi, endpointItem(pi, ep, words))
			}
		}
		for _, u := range tr.Port.Unready {
			if pi := sim.PodInfo(u.Pod); pi != nil {
				it := newPodItem(pi, "", u.Reason, true, false)
				if u.PortName != "" {
					it.SubAlts = namedPortWords(u, tr.Port.Protocol, words)
					it.Sub = it.SubAlts[0]
				}
				add(pi, it)
			}
		}
	}
	if n := si.Svc.Nearest; len(seen) == 0 && n != nil {
		// the Pod the selector nearly matches, greyed out, with the labels that differ
		if pi := sim.PodInfo(n.Pod); pi != nil {
			it := newPodItem(pi, "", "", true, false)
			it.Differs = n.Diffs
			add(pi, it)
		}
	}
	if len(seen) == 0 {
		sc.NoPodMsg = words("no Pod selected")
		if len(si.Svc.Obj.Spec.Selector) == 0 {
			sc.NoPodMsg = words("no selector")
		}
	}
	return sc
}

// namedPortWords say why a Pod has no endpoint for a named targetPort, with both names,
// longest first: `no port "http-web"; has http=8080`, `no "http-web"; has http=8080`,
// `no port "http-web"`.
func namedPortWords(u model.Unready, proto corev1.Protocol, words func(string, ...string) string) []string {
	var has []string
	for _, c := range u.Pod.Obj.Spec.Containers {
		for _, cp := range c.Ports {
			p := cp.Protocol
			if p == "" {
				p = corev1.ProtocolTCP
			}
			if cp.Name != "" && p == proto {
				has = append(has, cp.Name+"="+strconv.Itoa(int(cp.ContainerPort)))
			}
		}
	}
	name := cellSafe(strconv.Quote(u.PortName))
	if len(has) == 0 {
		return []string{words("no port {0}; has no named port", name), words("no port {0}", name)}
	}
	h := cellSafe(strings.Join(has, ","))
	return []string{words("no port {0}; has {1}", name, h), words("no {0}; has {1}", name, h), words("no port {0}", name)}
}

// differText says how a Pod's labels differ from a selector, the Pod's side first:
// "type: front-end ≠ frontend", "tier ≠ teir: web", "no type ≠ frontend".
func differText(ds []model.LabelDiff, ne string, words func(string, ...string) string) string {
	var parts []string
	for _, d := range ds {
		k, want := cellSafe(d.Key), cellSafe(d.Want)
		switch {
		case d.Missing:
			parts = append(parts, words("no {0}", k)+" "+ne+" "+want)
		case d.HasKey != d.Key:
			parts = append(parts, cellSafe(d.HasKey)+" "+ne+" "+k+": "+want)
		default:
			parts = append(parts, k+": "+cellSafe(d.Has)+" "+ne+" "+want)
		}
	}
	return strings.Join(parts, ", ")
}

// MultiNamespace reports an input whose Services and Pods are in more than one namespace: then
// names are drawn with their namespace ("dev/api"), since dev/api and prod/api look alike.
func MultiNamespace(sim *netsim.Sim) bool {
	ns := ""
	seen := func(n string) bool {
		if ns == "" {
			ns = n
		}
		return n != ns
	}
	for _, si := range sim.Services {
		if seen(si.Svc.Namespace) {
			return true
		}
	}
	for _, pi := range sim.Pods {
		if seen(pi.Pod.Namespace) {
			return true
		}
	}
	return false
}

func endpointItem(pi *netsim.PodInfo, ep model.Endpoint, words func(string, ...string) string) PodItem {
	port := ":" + strconv.Itoa(int(ep.Port))
	if ep.Declared() {
		return newPodItem(pi, port, ep.Container+" "+port, false, false)
	}
	// no container declares the port: show what they do declare, and mark the one asked for
	it := newPodItem(pi, port, declaredPorts(pi.Pod), false, false)
	it.Bad = words("{0} nothing declared", port)
	return it
}

// declaredPorts is a Pod's first container with the ports it declares: "api :8080".
func declaredPorts(p *model.Pod) string {
	cs := p.Obj.Spec.Containers
	if len(cs) == 0 {
		return "no containers"
	}
	c := cs[0]
	for _, x := range cs {
		if len(x.Ports) > 0 {
			c = x
			break
		}
	}
	s := c.Name
	for i, cp := range c.Ports {
		if i == 0 {
			s += " "
		} else {
			s += ","
		}
		s += ":" + strconv.Itoa(int(cp.ContainerPort))
	}
	if len(c.Ports) == 0 {
		s += " (no ports)"
	}
	return s
}

// newPodItem is a Pod's box text: its name and address (with port, e.g. ":80"), and a line
// under them, escaped for the canvas.
func newPodItem(pi *netsim.PodInfo, port, sub string, faded, origin bool) PodItem {
	show := cellSafe(pi.Pod.Name)
	addr := pi.IP.String()
	if !pi.IP.IsValid() {
		addr, port = "(no IP)", "" // its node's pod subnet is full: see the pod-subnet-full diagnostic
	}
	return PodItem{Pod: pi.Pod, Show: show, IP: pi.IP, Title: show + " " + addr + port,
		Sub: cellSafe(sub), Faded: faded, Origin: origin}
}

func svcAddr(si *netsim.ServiceInfo, sp *model.ServicePort) string {
	switch {
	case si.Svc.Type() == corev1.ServiceTypeExternalName:
		return "ExternalName " + si.Svc.Obj.Spec.ExternalName
	case !si.ClusterIP.IsValid():
		return "ClusterIP None"
	case sp == nil:
		return "ClusterIP " + si.ClusterIP.String()
	}
	return "ClusterIP " + netip.AddrPortFrom(si.ClusterIP, uint16(sp.Port)).String()
}

// refusedAtPod reports a trace a Pod refuses: the verdict is marked inside the Pod's box.
func refusedAtPod(tr *netsim.Trace) bool {
	if tr.Verdict != netsim.Refused {
		return false
	}
	for _, h := range tr.Hops {
		if h.Action == netsim.ActRefuse {
			return true
		}
	}
	return false
}

func usesDNS(tr *netsim.Trace) bool {
	for _, h := range tr.Hops {
		if h.Action == netsim.ActDNSQuery || h.Action == netsim.ActDNSAnswer || h.Action == netsim.ActUnresolved {
			return true
		}
	}
	return false
}

func nodeIndex(sim *netsim.Sim, name string) int {
	for i, n := range sim.Nodes {
		if n.Name == name {
			return i
		}
	}
	return 0
}

func (sc *Scene) ell() string {
	if sc.Ell == "" {
		return "…"
	}
	return sc.Ell
}

// cellSafe makes manifest text safe for the diagram's canvas, which holds one single-width rune
// per cell and whose layout measures text in bytes: escaped, and anything outside printable
// ASCII written as a Go escape. Valid Kubernetes names are ASCII and come through unchanged.
func cellSafe(s string) string {
	s = model.Escape(s)
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x7f {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r < 0x7f {
			b.WriteRune(r)
			continue
		}
		q := strconv.QuoteRuneToASCII(r)
		b.WriteString(q[1 : len(q)-1])
	}
	return b.String()
}

// words words a label through Marks.Words, English when the scene was made without it.
func (sc *Scene) words(s string, args ...string) string {
	if sc.wordsFn == nil {
		return english(s, args...)
	}
	return sc.wordsFn(s, args...)
}
