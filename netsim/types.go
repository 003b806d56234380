// Package netsim is the simulated cluster: nodes and their addresses, Pod and Service IPs,
// nodePorts, kube-proxy's iptables rules on every node, and packet traces through them. It is
// computed once from a model.Cluster and holds plain data; nothing here knows of terminals.
package netsim

import (
	"net/netip"

	"github.com/svcviz/svcviz/model"
)

// Config is the simulated world (DESIGN §3).
type Config struct {
	Nodes       int          // number of nodes, node01.. (default 1)
	NodeIP      netip.Addr   // first node's IP (default 192.168.1.2); more nodes count up
	NodeNet     netip.Prefix // the node network (default 192.168.1.0/24)
	PodCIDR     netip.Prefix // the cluster's pod network (default 10.244.0.0/16); node k gets /24 k
	ServiceCIDR netip.Prefix // default 10.96.0.0/12
	ClientIP    netip.Addr   // the external client (default 192.168.1.10)
	LBPool      netip.Addr   // first LoadBalancer IP (default 192.168.1.240)
	Seed        int64
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
	ClusterIP netip.Addr   // invalid for headless and ExternalName Services
	LBIPs     []netip.Addr // LoadBalancer ingress IPs
	NodePorts []int32      // per spec.ports index; 0 where the type has none
	DNSName   string       // NAME.NAMESPACE.svc.cluster.local
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

// Hop is one step of a packet's path.
type Hop struct {
	Step   int
	Where  string // "client", "node01", "KUBE-NODEPORTS", "cni0", "myapp-pod/nginx-container"
	Node   string // the node the hop happens on, "" outside any node
	Action Action
	Table  string // "nat" or "filter" when a rule matched
	Chain  string
	Rule   string // the rule text as iptables-save prints it
	// Field is the YAML field that decided this hop, and Pos where it is written.
	Field  string
	Object string // the object the field belongs to: "Service/default/myapp-service"
	Pos    model.Pos
	// Defaulted reports a field the YAML leaves out, whose API-server default decided the hop;
	// Pos then points at the nearest written ancestor.
	Defaulted bool
	Before    Packet
	After     Packet
	// Narration is a message key (see Narrate) and its arguments, so each language can word it.
	Narration string
	Args      []string
	// Wire reports whether the hop is part of what really happens on the wire; teaching-only
	// hops (the Service port on the ClusterIP during a NodePort trace) have Wire false.
	Wire bool
	// Teaching reports whether the teaching view shows the hop.
	Teaching bool
	// Diagnostic explains a hop where the packet dies, when the input has one.
	Diagnostic *model.Diagnostic
}

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
	Seed    int64  // endpoint choice
	// Endpoint forces the endpoint choice: 0 lets the rules choose (seeded), i+1 picks the
	// i-th endpoint in kube-proxy's order (see ForceEndpoint).
	Endpoint int
	// SourcePort is the client's source port (default 51000).
	SourcePort uint16
}

// Trace is the result of one traced packet.
type Trace struct {
	Request  Request
	Service  *ServiceInfo
	Port     *model.ServicePort
	Hops     []Hop
	Verdict  Verdict
	Endpoint *model.Endpoint // the chosen endpoint, if any
	// StopStep is the hop where the packet stopped (its last forward hop), for non-delivered traces.
	StopStep int
	Hint     string // for unresolved names: the nearest name that exists
}
