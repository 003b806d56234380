package netsim

import (
	"net/netip"
	"testing"
)

func TestServicePortName(t *testing.T) {
	if got := ServicePortName("default", "myapp-service", ""); got != "default/myapp-service" {
		t.Errorf("unnamed port: got %q", got)
	}
	if got := ServicePortName("ns1", "svc1", "p80"); got != "ns1/svc1:p80" {
		t.Errorf("named port: got %q", got)
	}
}

func TestChainNames(t *testing.T) {
	sep := func(ip string, port uint16) netip.AddrPort {
		return netip.AddrPortFrom(netip.MustParseAddr(ip), port)
	}
	for _, tc := range []struct{ got, want string }{
		// kube-proxy's own test vectors (pkg/proxy/iptables/proxier_test.go).
		{SVCChain("ns1/svc1:p80", "tcp"), "KUBE-SVC-XPGD46QRK7WJZT7O"},
		{SVCChain("default/myapp-service", "tcp"), "KUBE-SVC-HV6ZUR45AI72VIJI"},
		// The protocol is hashed in lower case whatever the caller passes.
		{SVCChain("default/myapp-service", "TCP"), "KUBE-SVC-HV6ZUR45AI72VIJI"},
		// kube-reference/nodeport.iptables-save
		{EXTChain("default/myapp-service", "tcp"), "KUBE-EXT-HV6ZUR45AI72VIJI"},
		{SEPChain("default/myapp-service", "tcp", sep("10.244.0.2", 80)), "KUBE-SEP-Q5JOQ2TNM742LKJL"},
		// kube-reference/named-port-replicas.iptables-save
		{SVCChain("default/web:http", "tcp"), "KUBE-SVC-CDGGSHYLG3RE2FKL"},
		{SEPChain("default/web:http", "tcp", sep("10.244.0.2", 8080)), "KUBE-SEP-QA4PSDNF5R2OJOPA"},
		{SEPChain("default/web:http", "tcp", sep("10.244.0.3", 8080)), "KUBE-SEP-TCD3IFXQZW3ZEZQU"},
		{SEPChain("default/web:http", "tcp", sep("10.244.0.4", 8080)), "KUBE-SEP-MQPSSF2DIKDEHI3U"},
		// SVL/FW share the SVC hash and differ only in prefix.
		{SVLChain("ns1/svc1:p80", "tcp"), "KUBE-SVL-XPGD46QRK7WJZT7O"},
		{FWChain("ns1/svc1:p80", "tcp"), "KUBE-FW-XPGD46QRK7WJZT7O"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %s, want %s", tc.got, tc.want)
		}
	}
}

func TestChainNamesDifferByProtocolAndEndpoint(t *testing.T) {
	if SVCChain("ns/a:dns", "tcp") == SVCChain("ns/a:dns", "udp") {
		t.Error("tcp and udp ports share a chain name")
	}
	a := SEPChain("ns/a", "tcp", netip.MustParseAddrPort("10.0.0.1:80"))
	b := SEPChain("ns/a", "tcp", netip.MustParseAddrPort("10.0.0.1:81"))
	if a == b {
		t.Error("endpoints with different ports share a chain name")
	}
	if len(a) > 28 {
		t.Errorf("%s is longer than iptables' 28 characters", a)
	}
}
