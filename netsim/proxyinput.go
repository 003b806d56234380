package netsim

import "net/netip"

// ProxyPort is what kube-proxy knows about one Service port: the Service's addresses and
// policies, and the endpoints the EndpointSlice controller gave it. It is the input of
// BuildRules, kept free of model types so the rules can be built and tested on their own.
type ProxyPort struct {
	Namespace string
	Name      string
	PortName  string // "" when the Service port has no name
	Protocol  string // "TCP", "UDP", "SCTP"
	ClusterIP netip.Addr
	Port      int32
	NodePort  int32 // 0 for ClusterIP Services
	// ExternalIPs are spec.externalIPs; LoadBalancerIPs are status.loadBalancer.ingress IPs.
	ExternalIPs     []netip.Addr
	LoadBalancerIPs []netip.Addr
	// SourceRanges are spec.loadBalancerSourceRanges (nftables mode's firewall-… chains).
	SourceRanges []netip.Prefix
	// ExternalLocal is externalTrafficPolicy: Local; InternalLocal is internalTrafficPolicy: Local.
	ExternalLocal bool
	InternalLocal bool
	// AffinityClientIP is sessionAffinity: ClientIP, with its timeout in seconds (default 10800).
	AffinityClientIP bool
	AffinitySeconds  int32
	Endpoints        []ProxyEndpoint
}

// ProxyEndpoint is one ready endpoint of a Service port.
type ProxyEndpoint struct {
	IP       netip.Addr
	Port     int32
	NodeName string // the node the Pod runs on; "" when unknown (counts as not local)
}

// ProxyNode is the node the rules are written for.
type ProxyNode struct {
	Name        string
	IP          netip.Addr
	ClusterCIDR netip.Prefix // the cluster's pod network, e.g. 10.244.0.0/16
}
