package netsim

import (
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/svcviz/svcviz/model"
)

// kubeScenarios are scenarios of kube-proxy's own tests (pkg/proxy/nftables/proxier_test.go)
// written as manifests in testdata/nftables, with the table kube-proxy v1.37 writes for them
// beside each (see that folder's README for how the expected tables were derived).
var kubeScenarios = []struct {
	yaml, nft, node string
	cfg             func() Config
}{
	// TestOverallNFTablesRules: ClusterIP; LoadBalancer with externalTrafficPolicy Local and
	// no local endpoint; NodePort; externalIPs with one local endpoint of two;
	// LoadBalancer with loadBalancerSourceRanges and ClientIP affinity; no endpoints.
	{"kube-overall.yaml", "kube-overall.nft", "test-node", func() Config {
		cfg := DefaultConfig()
		cfg.PodCIDR = netip.MustParsePrefix("10.0.0.0/8")
		cfg.ServiceCIDR = netip.MustParsePrefix("172.30.0.0/16")
		return cfg
	}},
}

func kubeScenarioTable(t *testing.T, yaml, node string, cfg Config) string {
	t.Helper()
	c, err := model.Load([]string{filepath.Join("..", "testdata", "nftables", yaml)}, model.Options{Nodes: NodeNames(1)})
	if err != nil {
		t.Fatal(err)
	}
	tb, err := New(c, cfg).Nftables(node)
	if err != nil {
		t.Fatal(err)
	}
	return tb.List()
}

// TestNftablesKubeProxyScenarios compares the tables with kube-proxy's expected rules for the
// same Services, translated to what `nft list table` prints.
func TestNftablesKubeProxyScenarios(t *testing.T) {
	for _, sc := range kubeScenarios {
		t.Run(sc.yaml, func(t *testing.T) {
			want, err := os.ReadFile(filepath.Join("..", "testdata", "nftables", sc.nft))
			if err != nil {
				t.Fatal(err)
			}
			if got := kubeScenarioTable(t, sc.yaml, sc.node, sc.cfg()); got != string(want) {
				diffLines(t, got, string(want))
			}
		})
	}
}

// TestNftTraceKubeProxyFlows walks kube-overall.yaml's table with the packets of kube-proxy's
// packet-flow tests (runPacketFlowTests in pkg/proxy/nftables/proxier_test.go): the blocked
// client 203.0.113.130 of TestLoadBalancer, TestNoEndpointsReject, and the Local policy of
// svc2, whose only endpoint is on another node.
func TestNftTraceKubeProxyFlows(t *testing.T) {
	sc := kubeScenarios[0]
	cfg := sc.cfg()
	cfg.ClientIP = netip.MustParseAddr("203.0.113.130")
	c, err := model.Load([]string{filepath.Join("..", "testdata", "nftables", sc.yaml)}, model.Options{Nodes: NodeNames(1)})
	if err != nil {
		t.Fatal(err)
	}
	s := New(c, cfg)
	for _, tc := range []struct {
		name     string
		req      Request
		verdict  Verdict
		endpoint string // "ip:port" when delivered
		chain    string // the chain of the last hop at a rule (masquerading: masq: true)
	}{
		// "nodePort bypasses LoadBalancerSourceRanges", masq: true (the masquerading chain
		// is the last one whose rule the packet matched).
		{"nodePort bypasses source ranges", Request{Service: "ns5/svc5", Via: ViaNodePort, ToNode: "test-node"}, Delivered, "10.180.0.3:80", "masquerading"},
		// "blocked external to LB1"
		{"blocked client to LB IP", Request{Service: "ns5/svc5", Via: ViaLB, ToNode: "test-node"}, Dropped, "", "firewall-HVFWP5L3-ns5/svc5/tcp/p80"},
		// externalTrafficPolicy Local without a local endpoint: external traffic is dropped.
		{"Local policy, no local endpoint", Request{Service: "ns2/svc2", Via: ViaNodePort, ToNode: "test-node"}, Dropped, "", "nodeport-endpoints-check"},
		// "pod to cluster IP with no endpoints"
		{"no endpoints", Request{Service: "ns6/svc6", Via: ViaClusterIP, From: "test-node"}, Rejected, "", "reject-chain"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := nftTrace(t, s, tc.req)
			var last Hop
			for _, h := range tr.Hops {
				if h.Chain != "" {
					last = h
				}
			}
			got := ""
			if tr.Endpoint != nil {
				got = tr.Endpoint.IP + ":" + strconv.Itoa(int(tr.Endpoint.Port))
			}
			if tr.Verdict != tc.verdict || got != tc.endpoint || last.Chain != tc.chain {
				t.Errorf("%s to %q, last rule in %q; want %s to %q in %q\n%v", tr.Verdict, got, last.Chain, tc.verdict, tc.endpoint, tc.chain, narrations(tr))
			}
		})
	}
}
