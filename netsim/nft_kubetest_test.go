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
	{"kube-overall.yaml", "kube-overall.nft", "test-node", kubeTestConfig},
	// TestClusterIPGeneral: one local endpoint; TCP, UDP and SCTP on one port number; a
	// targetPort; endpoints on this node and another.
	{"kube-clusterip.yaml", "kube-clusterip.nft", "test-node", kubeTestConfig},
}

// kubeTestConfig is kube-proxy's fake proxier's world: pods 10.0.0.0/8, Services 172.30.0.0/16.
func kubeTestConfig() Config {
	cfg := DefaultConfig()
	cfg.PodCIDR = netip.MustParsePrefix("10.0.0.0/8")
	cfg.ServiceCIDR = netip.MustParsePrefix("172.30.0.0/16")
	return cfg
}

func kubeScenarioTable(t *testing.T, yaml, node string, cfg Config) string {
	t.Helper()
	tb, err := kubeScenarioSim(t, yaml, cfg).Nftables(node)
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

func kubeScenarioSim(t *testing.T, yaml string, cfg Config) *Sim {
	t.Helper()
	c, err := model.Load([]string{filepath.Join("..", "testdata", "nftables", yaml)}, model.Options{Nodes: NodeNames(1)})
	if err != nil {
		t.Fatal(err)
	}
	return New(c, cfg)
}

// TestNftTraceKubeProxyFlows walks the scenarios' tables with the packets of kube-proxy's
// packet-flow tests (runPacketFlowTests in pkg/proxy/nftables/proxier_test.go): the blocked
// client 203.0.113.130 of TestLoadBalancer, TestNoEndpointsReject, the Local policy of
// kube-overall's svc2 (its only endpoint is on another node), and TestClusterIPGeneral.
func TestNftTraceKubeProxyFlows(t *testing.T) {
	cfg := kubeTestConfig()
	cfg.ClientIP = netip.MustParseAddr("203.0.113.130")
	overall, clusterIP := kubeScenarioSim(t, "kube-overall.yaml", cfg), kubeScenarioSim(t, "kube-clusterip.yaml", cfg)
	for _, tc := range []struct {
		name     string
		s        *Sim
		req      Request
		verdict  Verdict
		endpoint string // "ip:port" when delivered
		chain    string // the chain of the last hop at a rule (masquerading: masq: true)
	}{
		// "nodePort bypasses LoadBalancerSourceRanges", masq: true (the masquerading chain
		// is the last one whose rule the packet matched).
		{"nodePort bypasses source ranges", overall, Request{Service: "ns5/svc5", Via: ViaNodePort, ToNode: "test-node"}, Delivered, "10.180.0.3:80", "masquerading"},
		// "blocked external to LB1"
		{"blocked client to LB IP", overall, Request{Service: "ns5/svc5", Via: ViaLB, ToNode: "test-node"}, Dropped, "", "firewall-HVFWP5L3-ns5/svc5/tcp/p80"},
		// externalTrafficPolicy Local without a local endpoint: external traffic is dropped.
		{"Local policy, no local endpoint", overall, Request{Service: "ns2/svc2", Via: ViaNodePort, ToNode: "test-node"}, Dropped, "", "nodeport-endpoints-check"},
		// "pod to cluster IP with no endpoints"
		{"no endpoints", overall, Request{Service: "ns6/svc6", Via: ViaClusterIP, From: "test-node"}, Rejected, "", "reject-chain"},
		// TestClusterIPGeneral: "simple clusterIP" (masq: false), "hairpin to cluster IP"
		// (masq: true), "svc1 does not accept svc2's ports", "packet to unallocated cluster ip".
		{"simple clusterIP", clusterIP, Request{Service: "ns1/svc1", From: "ns1/client"}, Delivered, "10.180.0.1:80", "service-VTO5ESCN-ns1/svc1/tcp/http"},
		{"hairpin", clusterIP, Request{Service: "ns1/svc1", From: "ns1/endpoint"}, Delivered, "10.180.0.1:80", "masquerading"},
		{"another Service's port", clusterIP, Request{Service: "ns1/svc1", From: "ns1/client", Dst: netip.MustParseAddrPort("172.30.0.41:443")}, Rejected, "", "cluster-ips-check"},
		{"unallocated ClusterIP", clusterIP, Request{Service: "ns1/svc1", From: "ns1/client", Dst: netip.MustParseAddrPort("172.30.0.50:80")}, Dropped, "", "cluster-ips-check"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := nftTrace(t, tc.s, tc.req)
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
