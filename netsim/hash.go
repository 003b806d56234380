package netsim

import (
	"crypto/sha256"
	"encoding/base32"
	"net/netip"
	"strings"
)

// Chain-name prefixes, as kube-proxy's iptables proxier spells them.
const (
	svcChainPrefix = "KUBE-SVC-" // Cluster traffic policy: all endpoints
	svlChainPrefix = "KUBE-SVL-" // Local traffic policy: this node's endpoints only
	extChainPrefix = "KUBE-EXT-" // NodePort, externalIPs and LoadBalancer traffic
	fwChainPrefix  = "KUBE-FW-"  // loadBalancerSourceRanges filtering
	sepChainPrefix = "KUBE-SEP-" // one endpoint: the DNAT
)

// ServicePortName is kube-proxy's name for a Service port, the string every chain name and
// rule comment is derived from: "namespace/name:portname", or "namespace/name" when the
// port has no name (a single-port Service may leave it empty).
func ServicePortName(namespace, name, portName string) string {
	if portName == "" {
		return namespace + "/" + name
	}
	return namespace + "/" + name + ":" + portName
}

// portProtoHash is the 16-character tag kube-proxy puts after a chain prefix. Chain names
// must fit in 28 characters, so kube-proxy hashes instead of spelling the Service out.
func portProtoHash(servicePortName, protocol string) string {
	sum := sha256.Sum256([]byte(servicePortName + strings.ToLower(protocol)))
	return base32.StdEncoding.EncodeToString(sum[:])[:16]
}

// SVCChain is the KUBE-SVC- chain of a Service port (Cluster traffic policy).
func SVCChain(servicePortName, protocol string) string {
	return svcChainPrefix + portProtoHash(servicePortName, protocol)
}

// SVLChain is the KUBE-SVL- chain of a Service port (Local traffic policy).
func SVLChain(servicePortName, protocol string) string {
	return svlChainPrefix + portProtoHash(servicePortName, protocol)
}

// EXTChain is the KUBE-EXT- chain of a Service port (external destinations).
func EXTChain(servicePortName, protocol string) string {
	return extChainPrefix + portProtoHash(servicePortName, protocol)
}

// FWChain is the KUBE-FW- chain of a Service port (loadBalancerSourceRanges).
func FWChain(servicePortName, protocol string) string {
	return fwChainPrefix + portProtoHash(servicePortName, protocol)
}

// SEPChain is the KUBE-SEP- chain of one endpoint of a Service port. The endpoint is hashed
// as "ip:port" ("[ip]:port" for IPv6), the form net.JoinHostPort gives kube-proxy.
func SEPChain(servicePortName, protocol string, endpoint netip.AddrPort) string {
	return sepChainPrefix + portProtoHash(servicePortName+strings.ToLower(protocol)+endpoint.String(), "")
}
