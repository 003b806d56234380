package netsim

import (
	"net/netip"
	"testing"
)

var refServiceCIDR = netip.MustParsePrefix("10.96.0.0/12")

// TestBuildNftablesMatchesReference compares with what kube-proxy v1.37's nftables proxier
// wrote for the reference manifests, loaded into a kernel and listed by nft 1.0.6.
func TestBuildNftablesMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		file  string
		ports []ProxyPort
	}{
		{"nodeport.nft", nodeportPorts()},
		{"named-port-replicas.nft", namedPortPorts()},
	} {
		t.Run(tc.file, func(t *testing.T) {
			got := BuildNftables(refNode, refServiceCIDR, tc.ports).List()
			want := readReference(t, tc.file)
			if got != want {
				diffLines(t, got, want)
			}
		})
	}
}
