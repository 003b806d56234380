// Package netsim is the simulated cluster: nodes and their addresses, Pod and Service IPs,
// nodePorts, kube-proxy's iptables rules on every node, and packet traces through them. It is
// computed once from a model.Cluster and holds plain data; nothing here knows of terminals.
package netsim

import (
	"net/netip"
	"strings"

	"github.com/svcviz/svcviz/model"
)

// Config is the simulated world (DESIGN §3).
type Config struct {
	Nodes       int          // number of nodes, node01.. (default 1)
	NodeIP      netip.Addr   // first node's IP (default 192.168.1.2); more nodes count up
	NodeNet     netip.Prefix // the node network (default 192.168.1.0/24)
	PodCIDR     netip.Prefix // the cluster's pod network (default 10.244.0.0/16); node k gets /24 k
	ServiceCIDR netip.Prefix // default 10.96.0.0/12
	// ServiceCIDRv6 is the IPv6 Service range of a dual-stack cluster; invalid when single-stack.
	ServiceCIDRv6 netip.Prefix
	ClientIP      netip.Addr // the external client (default 192.168.1.10)
	LBPool        netip.Addr // first LoadBalancer IP (default 192.168.1.240)
	Seed          int64
}

// DefaultConfig is the course's worked example.
func DefaultConfig() Config {
	return Config{
		Nodes:       1,
		NodeIP:      netip.MustParseAddr("192.168.1.2"),
		NodeNet:     netip.MustParsePrefix("192.168.1.0/24"),
		PodCIDR:     netip.MustParsePrefix("10.244.0.0/16"),
		ServiceCIDR: netip.MustParsePrefix("10.96.0.0/12"),
		ClientIP:    netip.MustParseAddr("192.168.1.10"),
		LBPool:      netip.MustParseAddr("192.168.1.240"),
	}
}

// Node is one simulated node.
type Node struct {
	Name    string
	IP      netip.Addr
	PodCIDR netip.Prefix // this node's slice of the pod network, e.g. 10.244.0.0/24
	Bridge  netip.Addr   // cni0, the first address of PodCIDR (.1)
}

// PodInfo is a Pod's place in the simulated network.
type PodInfo struct {
	Pod  *model.Pod
	IP   netip.Addr
	Node *Node
}

// ServiceInfo is a Service's addresses in the simulated network.
type ServiceInfo struct {
	Svc       *model.Service
	ClusterIP netip.Addr // the IPv4 ClusterIP; invalid for headless, ExternalName and IPv6-only Services
	// ClusterIPs are all the Service's ClusterIPs in spec.ipFamilies order: the IPv4 one, and an
	// IPv6 one on a dual-stack cluster (--service-cidr IPV4,IPV6). svcviz simulates the IPv4 side.
	ClusterIPs []netip.Addr
	// LBIPs are the LoadBalancer addresses kube-proxy serves (ingress IPs of ipMode VIP, the
	// default); LBProxied the ingress IPs of ipMode Proxy, which it leaves to the load balancer.
	LBIPs     []netip.Addr
	LBProxied []netip.Addr
	NodePorts []int32 // per spec.ports index; 0 where the type has none
	DNSName   string  // NAME.NAMESPACE.svc.cluster.local
}

// Packet is what is on the wire at one moment: addresses, ports and protocol.
type Packet struct {
	Src   netip.AddrPort `json:"-"`
	Dst   netip.AddrPort `json:"-"`
	Proto string         `json:"protocol"` // "TCP", "UDP", "SCTP"
}

// String prints "192.168.1.10:51000 → 192.168.1.2:30008".
func (p Packet) String() string { return p.SrcString() + " → " + p.DstString() }

// SrcString is the source as "ip:port", or just the address for ICMP, which has no ports.
func (p Packet) SrcString() string { return p.endpoint(p.Src) }

// DstString is the destination as "ip:port", or just the address for ICMP.
func (p Packet) DstString() string { return p.endpoint(p.Dst) }

func (p Packet) endpoint(a netip.AddrPort) string {
	if p.Proto == "ICMP" {
		return a.Addr().String()
	}
	return a.String()
}

// Verdict is how a trace ends.
type Verdict string

const (
	Delivered  Verdict = "delivered"  // a container listens on the destination port
	Refused    Verdict = "refused"    // the Pod has no such port: TCP RST
	Rejected   Verdict = "rejected"   // no endpoints: kube-proxy's REJECT, ICMP port unreachable
	Dropped    Verdict = "dropped"    // Local policy with no local endpoint; a nodePort nobody owns
	Unresolved Verdict = "unresolved" // a DNS name no Service has
	Answered   Verdict = "answered"   // DNS answered (headless: Pod IPs; ExternalName: a CNAME)
)

// Action is what happens at one hop.
type Action string

const (
	ActSend        Action = "send"
	ActDNSQuery    Action = "dns-query"
	ActDNSAnswer   Action = "dns-answer"
	ActArrive      Action = "arrive"
	ActMatch       Action = "match"        // a rule matched and jumped to another chain
	ActMark        Action = "mark"         // KUBE-MARK-MASQ
	ActServicePort Action = "service-port" // teaching view: the packet reaches the Service port
	ActChoose      Action = "choose"       // KUBE-SVC picks an endpoint
	ActDNAT        Action = "dnat"
	ActSNAT        Action = "snat" // masquerade
	ActKeepSource  Action = "keep-source"
	ActRoute       Action = "route"
	ActDeliver     Action = "deliver"
	ActRefuse      Action = "refuse"
	ActReject      Action = "reject"
	ActDrop        Action = "drop"
	ActReply       Action = "reply"
	ActUnresolved  Action = "unresolved"
)

// Hop is one step of a packet's path. Besides the display strings (Where, Chain, Rule, the
// narration), a hop carries typed facts so that readers never parse meaning back out of
// them: the kind of step (Action), the kind of chain (ChainKind, Jump), the Service port,
// the Pod and the node it is about, and the YAML field that decided it.
type Hop struct {
	Step   int
	Action Action // the kind of step
	// Where names the place for people: "client", "node01", "KUBE-NODEPORTS", "cni0",
	// "myapp-pod/nginx-container". Display only: use Pod, Node and ChainKind for meaning.
	Where string
	// Node is the name of the node the hop happens on (Sim.Node finds it), "" outside any node.
	Node  string
	Table string // "nat" or "filter" when a rule matched
	Chain string // the chain's name as iptables-save prints it
	// ChainKind is what Chain is for in kube-proxy's design; "" when no rule matched.
	ChainKind ChainKind
	// Jump is the kind of chain the matched rule jumps to (ActMatch hops), else "".
	Jump ChainKind
	Rule string // the rule text as iptables-save (nftables mode: nft list) prints it
	// Set and Element name the nftables set or verdict map the rule looked up and the
	// element that matched, as nft prints it ("tcp . 30008 : goto external-…").
	Set     string
	Element string
	// Port is the Service port the packet is addressed to; nil before a DNS answer decides
	// it and for a Service without ports.
	Port *model.ServicePort
	// Pod is the Pod the hop is about: the sender at a Pod's send or DNS query, the Pod the
	// packet is routed to, delivered to or refused by (and its reset). nil elsewhere.
	Pod *PodInfo
	// Field is the YAML field that decided this hop ("spec.ports[0].nodePort"), Object the
	// object it belongs to (model.Meta.Ref, "Service/default/myapp-service") and Pos where it
	// is written.
	Field  string
	Object string
	Pos    model.Pos
	// Defaulted reports a field the YAML leaves out, whose API-server default or allocation
	// decided the hop; Pos then points at the nearest written ancestor. Allocated says the
	// value was allocated (a ClusterIP, a nodePort) rather than a fixed default.
	Defaulted bool
	Allocated bool
	// Value is the field's value as the YAML would write it ("Cluster", "30008"), filled for
	// a defaulted or allocated Service field so a reader can show the line the file leaves
	// out; "" when not known.
	Value  string
	Before Packet
	After  Packet
	// Narration is a message key (see Narrate) and its arguments, so each language can word it.
	Narration string
	Args      []string
	// ArgWords are arguments that are svcviz's own words (a Pod's readiness, a diagnostic's
	// explanation), by the index of Args they word in another language; Args holds English.
	ArgWords map[int]model.Words
	// Wire reports whether the hop is part of what really happens on the wire; teaching-only
	// hops (the Service port on the ClusterIP during a NodePort trace) have Wire false.
	Wire bool
	// Teaching reports whether the teaching view shows the hop.
	Teaching bool
	// Diagnostic explains a hop where the packet dies, when the input has one.
	Diagnostic *model.Diagnostic
}

// FieldKey is the last name of the hop's field path: "nodePort" for
// "spec.ports[0].nodePort"; "" when the hop has no field.
func (h *Hop) FieldKey() string { return h.Field[strings.LastIndex(h.Field, ".")+1:] }

// ChainKind is what a chain is for in kube-proxy's iptables design
// (pkg/proxy/iptables/proxier.go names them), independent of the hashed names.
type ChainKind string

const (
	ChainBuiltin          ChainKind = "builtin"           // PREROUTING, INPUT, FORWARD, OUTPUT, POSTROUTING
	ChainServices         ChainKind = "services"          // KUBE-SERVICES: every ClusterIP and LB IP
	ChainNodePorts        ChainKind = "nodeports"         // KUBE-NODEPORTS
	ChainExternalServices ChainKind = "external-services" // filter KUBE-EXTERNAL-SERVICES
	ChainServicePort      ChainKind = "service"           // KUBE-SVC-: a Service port's endpoint choice
	ChainServiceLocal     ChainKind = "service-local"     // KUBE-SVL-: the choice among local endpoints
	ChainExternal         ChainKind = "external"          // KUBE-EXT-: external traffic policy
	ChainFirewall         ChainKind = "firewall"          // KUBE-FW-: loadBalancerSourceRanges
	ChainEndpoint         ChainKind = "endpoint"          // KUBE-SEP-: one endpoint's DNAT
	ChainMarkMasq         ChainKind = "mark-masq"         // KUBE-MARK-MASQ
	ChainPostrouting      ChainKind = "postrouting"       // KUBE-POSTROUTING: the masquerade
	ChainOther            ChainKind = "other"             // the rest of kube-proxy's and the kubelet's chains
)

// ServiceOwned reports a chain that belongs to one Service port (KUBE-SVC-, KUBE-SVL-,
// KUBE-EXT-, KUBE-FW-, KUBE-SEP-) rather than to the whole node.
func (k ChainKind) ServiceOwned() bool {
	switch k {
	case ChainServicePort, ChainServiceLocal, ChainExternal, ChainFirewall, ChainEndpoint:
		return true
	}
	return false
}

// KindOfChain classifies an iptables chain name as kube-proxy writes it; "" for "".
func KindOfChain(name string) ChainKind {
	switch name {
	case "":
		return ""
	case "PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING":
		return ChainBuiltin
	case chainServices:
		return ChainServices
	case chainNodePorts:
		return ChainNodePorts
	case chainExternalServices:
		return ChainExternalServices
	case chainMarkMasq:
		return ChainMarkMasq
	case chainPostrouting:
		return ChainPostrouting
	}
	for prefix, k := range map[string]ChainKind{"KUBE-SVC-": ChainServicePort, "KUBE-SVL-": ChainServiceLocal,
		"KUBE-EXT-": ChainExternal, "KUBE-FW-": ChainFirewall, "KUBE-SEP-": ChainEndpoint} {
		if strings.HasPrefix(name, prefix) {
			return k
		}
	}
	return ChainOther
}

// Origin is where a traced packet starts.
type Origin struct {
	IP   netip.Addr
	Node *Node    // the node the packet enters first; nil for the external client
	Pod  *PodInfo // the sending Pod, when a Pod sends
}

// External reports a packet from the client outside the cluster.
func (o Origin) External() bool { return o.Node == nil }

// Via is the way a packet enters a Service.
type Via string

const (
	ViaNodePort  Via = "nodeport"
	ViaClusterIP Via = "clusterip"
	ViaLB        Via = "lb"
	ViaDNS       Via = "dns"
)

// Request says what to trace.
type Request struct {
	Service string // "NAME" or "NS/NAME"; "" is the first Service
	Port    string // port name or number; "" is the first port
	From    string // "external", a node name, or a Pod name ("NS/NAME" or "NAME")
	Via     Via    // "" picks the default for the Service type
	ToNode  string // node that receives a nodePort/LB packet (default node01)
	DNSName string // for ViaDNS: the name to resolve (default the Service's short name)
	Seed    int64  // the random draws of an endpoint choice left to the rules
	// Endpoint says which endpoint the packet goes to; the zero value lets the rules choose.
	Endpoint EndpointChoice
	// SourcePort is the client's source port (default 51000).
	SourcePort uint16
	// Mode is the kube-proxy mode whose rules the packet walks ("" is iptables).
	Mode ProxyMode
	// Dst, when valid, replaces the destination the Service and Via give: an unallocated
	// ClusterIP, a port the ClusterIP does not serve, 127.0.0.1:nodePort.
	Dst netip.AddrPort
}

// Trace is the result of one traced packet.
type Trace struct {
	Request  Request
	Service  *ServiceInfo
	Port     *model.ServicePort
	Hops     []Hop
	Verdict  Verdict
	Endpoint *model.Endpoint // the chosen endpoint, if any
	// Origin is where the packet started (the request's From, or the default sender).
	Origin Origin
	// StopStep is the hop where the packet stopped (its last forward hop), for non-delivered traces.
	StopStep int
	Hint     string // for unresolved names: the nearest name that exists
	// HintWords is Hint as svcviz's words, for wording it in another language (Words.In).
	HintWords model.Words
}

// View is a way of looking at a trace: the teaching view (the Service port a step of its own),
// the wire view (only what happens on the wire), or every hop. The TUI and `svcviz trace
// --view` choose hops the same way: through Trace.Steps.
type View string

const (
	ViewAll      View = "all"
	ViewTeaching View = "teaching"
	ViewWire     View = "wire"
)

// Shows reports whether view v shows hop h.
func (v View) Shows(h *Hop) bool {
	switch v {
	case ViewTeaching:
		return h.Teaching
	case ViewWire:
		return h.Wire
	}
	return true
}

// Steps is the hops view v shows, as indices into t.Hops in order. A view that would show
// none of the trace's hops shows them all, so that no view is ever empty.
func (t *Trace) Steps(v View) []int {
	var out []int
	for i := range t.Hops {
		if v.Shows(&t.Hops[i]) {
			out = append(out, i)
		}
	}
	if len(out) == 0 {
		for i := range t.Hops {
			out = append(out, i)
		}
	}
	return out
}
