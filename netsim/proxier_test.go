package netsim

import (
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// refNode is the node of kube-reference/: node01, 192.168.1.2, cluster CIDR 10.244.0.0/16.
var refNode = ProxyNode{
	Name:        "node01",
	IP:          netip.MustParseAddr("192.168.1.2"),
	ClusterCIDR: netip.MustParsePrefix("10.244.0.0/16"),
}

func ep(ip string, port int32, node string) ProxyEndpoint {
	return ProxyEndpoint{IP: netip.MustParseAddr(ip), Port: port, NodeName: node}
}

// nodeportPorts is kube-reference/nodeport.yaml as kube-proxy sees it.
func nodeportPorts() []ProxyPort {
	return []ProxyPort{{
		Namespace: "default", Name: "myapp-service", Protocol: "TCP",
		ClusterIP: netip.MustParseAddr("10.96.0.11"), Port: 80, NodePort: 30008,
		Endpoints: []ProxyEndpoint{ep("10.244.0.2", 80, "node01")},
	}}
}

// namedPortPorts is kube-reference/named-port-replicas.yaml: targetPort http-web resolves to
// 8080 on three Pods; the orphan NodePort selects nothing. The input order is deliberately
// not kube-proxy's, which sorts Services and endpoints itself.
func namedPortPorts() []ProxyPort {
	return []ProxyPort{
		{
			Namespace: "default", Name: "web", PortName: "http", Protocol: "TCP",
			ClusterIP: netip.MustParseAddr("10.96.0.12"), Port: 80,
			Endpoints: []ProxyEndpoint{ep("10.244.0.4", 8080, "node01"), ep("10.244.0.2", 8080, "node01"), ep("10.244.0.3", 8080, "node01")},
		},
		{
			Namespace: "default", Name: "orphan", PortName: "http", Protocol: "TCP",
			ClusterIP: netip.MustParseAddr("10.96.0.13"), Port: 8080, NodePort: 30080,
		},
	}
}

// readReference reads a file of testdata/kube-reference (a copy of shared/kube-reference: what
// Kubernetes v1.37 writes, printed back by a real kernel).
func readReference(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "kube-reference", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// diffLines reports the first line where got and want differ, with both texts' lines.
func diffLines(t *testing.T, got, want string) {
	t.Helper()
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			t.Errorf("line %d differs:\n got: %q\nwant: %q\n--- got ---\n%s", i+1, gl, wl, got)
			return
		}
	}
}

func TestBuildRulesMatchesReference(t *testing.T) {
	for _, tc := range []struct {
		file  string
		ports []ProxyPort
	}{
		{"nodeport.iptables-save", nodeportPorts()},
		{"named-port-replicas.iptables-save", namedPortPorts()},
	} {
		t.Run(tc.file, func(t *testing.T) {
			want := readReference(t, tc.file)
			got := BuildRules(refNode, tc.ports).Save()
			if got != want {
				diffLines(t, got, want)
			}
		})
	}
}

// rulesOf returns the rules of a chain as iptables-save lines.
func rulesOf(t *testing.T, rs *Ruleset, table, chain string) []string {
	t.Helper()
	c := rs.Chain(table, chain)
	if c == nil {
		t.Fatalf("no chain %s in %s", chain, table)
	}
	var out []string
	for _, r := range c.Rules {
		out = append(out, r.String())
	}
	return out
}

func equalLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got:\n  %s\nwant:\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestNoEndpointsGetsNoNATChains(t *testing.T) {
	rs := BuildRules(refNode, namedPortPorts())
	name := "default/orphan:http"
	for _, c := range []string{SVCChain(name, "tcp"), EXTChain(name, "tcp"), SVLChain(name, "tcp")} {
		if rs.Chain(TableNAT, c) != nil {
			t.Errorf("orphan port has chain %s", c)
		}
	}
	for _, r := range rs.Chain(TableNAT, chainNodePorts).Rules {
		t.Errorf("KUBE-NODEPORTS has a rule for a port without endpoints: %s", r)
	}
}

func TestProbabilities(t *testing.T) {
	for n, want := range map[int][]string{
		2: {"0.50000000000"},
		3: {"0.33333333349", "0.50000000000"},
		4: {"0.25000000000", "0.33333333349", "0.50000000000"},
	} {
		p := ProxyPort{Namespace: "ns", Name: "s", Protocol: "TCP", ClusterIP: netip.MustParseAddr("10.96.0.20"), Port: 80}
		for i := range n {
			p.Endpoints = append(p.Endpoints, ep("10.244.0."+strconv.Itoa(2+i), 80, "node01"))
		}
		rs := BuildRules(refNode, []ProxyPort{p})
		var got []string
		for _, line := range rulesOf(t, rs, TableNAT, SVCChain("ns/s", "tcp")) {
			if _, prob, ok := strings.Cut(line, "--probability "); ok {
				got = append(got, strings.Fields(prob)[0])
			}
		}
		equalLines(t, "probabilities", got, want)
	}
}

func TestEndpointOrderIsKubeProxys(t *testing.T) {
	// kube-proxy sorts endpoints by their "ip:port" string: .10 before .9.
	p := ProxyPort{Namespace: "ns", Name: "s", Protocol: "TCP", ClusterIP: netip.MustParseAddr("10.96.0.20"), Port: 80,
		Endpoints: []ProxyEndpoint{ep("10.244.0.9", 80, "node01"), ep("10.244.0.10", 80, "node01"), ep("10.244.0.9", 80, "node01")}}
	rs := BuildRules(refNode, []ProxyPort{p})
	lines := rulesOf(t, rs, TableNAT, SVCChain("ns/s", "tcp"))
	if len(lines) != 3 { // masquerade + two endpoints (the duplicate collapses)
		t.Fatalf("want 3 rules, got:\n%s", strings.Join(lines, "\n"))
	}
	if !strings.Contains(lines[1], "10.244.0.10:80") || !strings.Contains(lines[2], "10.244.0.9:80") {
		t.Errorf("endpoints not in kube-proxy's order:\n%s", strings.Join(lines, "\n"))
	}
}

// localPort is a NodePort Service with externalTrafficPolicy Local and one endpoint on
// node01 (when withLocal) and one on node02.
func localPort(withLocal bool) ProxyPort {
	p := ProxyPort{Namespace: "default", Name: "loc", Protocol: "TCP", ClusterIP: netip.MustParseAddr("10.96.0.30"),
		Port: 80, NodePort: 30100, ExternalLocal: true,
		Endpoints: []ProxyEndpoint{ep("10.244.1.2", 80, "node02")}}
	if withLocal {
		p.Endpoints = append(p.Endpoints, ep("10.244.0.5", 80, "node01"))
	}
	return p
}

func TestExternalPolicyLocalWithLocalEndpoint(t *testing.T) {
	rs := BuildRules(refNode, []ProxyPort{localPort(true)})
	svc, svl, ext := SVCChain("default/loc", "tcp"), SVLChain("default/loc", "tcp"), EXTChain("default/loc", "tcp")
	equalLines(t, "KUBE-EXT", rulesOf(t, rs, TableNAT, ext), []string{
		`-A ` + ext + ` -s 10.244.0.0/16 -m comment --comment "pod traffic for default/loc external destinations" -j ` + svc,
		`-A ` + ext + ` -m comment --comment "masquerade LOCAL traffic for default/loc external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ`,
		`-A ` + ext + ` -m comment --comment "route LOCAL traffic for default/loc external destinations" -m addrtype --src-type LOCAL -j ` + svc,
		`-A ` + ext + ` -j ` + svl,
	})
	// KUBE-SVL has only this node's endpoint, and no masquerade rule (ClusterIP uses KUBE-SVC).
	sepLocal := SEPChain("default/loc", "tcp", netip.MustParseAddrPort("10.244.0.5:80"))
	equalLines(t, "KUBE-SVL", rulesOf(t, rs, TableNAT, svl), []string{
		`-A ` + svl + ` -m comment --comment "default/loc -> 10.244.0.5:80" -j ` + sepLocal,
	})
	// KUBE-SVC still has both: pods and the node itself use every endpoint.
	if n := len(rulesOf(t, rs, TableNAT, svc)); n != 3 {
		t.Errorf("KUBE-SVC has %d rules, want masquerade + 2 endpoints", n)
	}
	if rules := rs.Chain(TableFilter, chainExternalServices).Rules; len(rules) != 0 {
		t.Errorf("filter rules for a port with a local endpoint: %v", rules[0])
	}
}

func TestExternalPolicyLocalWithoutLocalEndpoint(t *testing.T) {
	rs := BuildRules(refNode, []ProxyPort{localPort(false)})
	svc, svl, ext := SVCChain("default/loc", "tcp"), SVLChain("default/loc", "tcp"), EXTChain("default/loc", "tcp")
	if rs.Chain(TableNAT, svl) != nil {
		t.Error("KUBE-SVL exists without local endpoints")
	}
	// The short-circuit rules stay (pods and the node can still reach the Service), but
	// nothing falls through to KUBE-SVL.
	lines := rulesOf(t, rs, TableNAT, ext)
	if len(lines) != 3 || strings.Contains(strings.Join(lines, "\n"), svl) {
		t.Errorf("KUBE-EXT:\n%s", strings.Join(lines, "\n"))
	}
	if rs.Chain(TableNAT, svc) == nil {
		t.Error("KUBE-SVC missing: the remote endpoint still serves ClusterIP traffic")
	}
	equalLines(t, "filter KUBE-EXTERNAL-SERVICES", rulesOf(t, rs, TableFilter, chainExternalServices), []string{
		`-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/loc has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30100 -j DROP`,
	})
}

func TestInternalPolicyLocal(t *testing.T) {
	p := ProxyPort{Namespace: "default", Name: "itp", Protocol: "TCP", ClusterIP: netip.MustParseAddr("10.96.0.31"),
		Port: 80, InternalLocal: true, Endpoints: []ProxyEndpoint{ep("10.244.1.2", 80, "node02")}}
	rs := BuildRules(refNode, []ProxyPort{p})
	equalLines(t, "filter KUBE-SERVICES", rulesOf(t, rs, TableFilter, chainServices), []string{
		`-A KUBE-SERVICES -d 10.96.0.31/32 -p tcp -m comment --comment "default/itp has no local endpoints" -m tcp --dport 80 -j DROP`,
	})
	if rs.Chain(TableNAT, SVCChain("default/itp", "tcp")) != nil || rs.Chain(TableNAT, SVLChain("default/itp", "tcp")) != nil {
		t.Error("a ClusterIP-only Service with internalTrafficPolicy Local and no local endpoint has NAT chains")
	}

	p.Endpoints = append(p.Endpoints, ep("10.244.0.7", 80, "node01"))
	rs = BuildRules(refNode, []ProxyPort{p})
	svl := SVLChain("default/itp", "tcp")
	equalLines(t, "KUBE-SVL", rulesOf(t, rs, TableNAT, svl), []string{
		`-A ` + svl + ` ! -s 10.244.0.0/16 -d 10.96.0.31/32 -p tcp -m comment --comment "default/itp cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
		`-A ` + svl + ` -m comment --comment "default/itp -> 10.244.0.7:80" -j ` + SEPChain("default/itp", "tcp", netip.MustParseAddrPort("10.244.0.7:80")),
	})
}

func TestSessionAffinityRules(t *testing.T) {
	p := ProxyPort{Namespace: "default", Name: "sticky", Protocol: "TCP", ClusterIP: netip.MustParseAddr("10.96.0.40"),
		Port: 80, AffinityClientIP: true,
		Endpoints: []ProxyEndpoint{ep("10.244.0.2", 80, "node01"), ep("10.244.0.3", 80, "node01")}}
	rs := BuildRules(refNode, []ProxyPort{p})
	svc := SVCChain("default/sticky", "tcp")
	sep2 := SEPChain("default/sticky", "tcp", netip.MustParseAddrPort("10.244.0.2:80"))
	sep3 := SEPChain("default/sticky", "tcp", netip.MustParseAddrPort("10.244.0.3:80"))
	equalLines(t, "KUBE-SVC", rulesOf(t, rs, TableNAT, svc), []string{
		`-A ` + svc + ` ! -s 10.244.0.0/16 -d 10.96.0.40/32 -p tcp -m comment --comment "default/sticky cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
		`-A ` + svc + ` -m comment --comment "default/sticky -> 10.244.0.2:80" -m recent --rcheck --seconds 10800 --reap --name ` + sep2 + ` --mask 255.255.255.255 --rsource -j ` + sep2,
		`-A ` + svc + ` -m comment --comment "default/sticky -> 10.244.0.3:80" -m recent --rcheck --seconds 10800 --reap --name ` + sep3 + ` --mask 255.255.255.255 --rsource -j ` + sep3,
		`-A ` + svc + ` -m comment --comment "default/sticky -> 10.244.0.2:80" -m statistic --mode random --probability 0.50000000000 -j ` + sep2,
		`-A ` + svc + ` -m comment --comment "default/sticky -> 10.244.0.3:80" -j ` + sep3,
	})
	equalLines(t, "KUBE-SEP", rulesOf(t, rs, TableNAT, sep2), []string{
		`-A ` + sep2 + ` -s 10.244.0.2/32 -m comment --comment "default/sticky" -j KUBE-MARK-MASQ`,
		`-A ` + sep2 + ` -p tcp -m comment --comment "default/sticky" -m recent --set --name ` + sep2 + ` --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.244.0.2:80`,
	})

	p.AffinitySeconds = 60
	rs = BuildRules(refNode, []ProxyPort{p})
	if !strings.Contains(rulesOf(t, rs, TableNAT, svc)[1], "--rcheck --seconds 60 --reap") {
		t.Error("sessionAffinityConfig timeout not used")
	}
}

func TestLoadBalancerAndExternalIPs(t *testing.T) {
	p := ProxyPort{Namespace: "shop", Name: "front", PortName: "web", Protocol: "TCP",
		ClusterIP: netip.MustParseAddr("10.96.0.50"), Port: 80, NodePort: 31000,
		ExternalIPs:     []netip.Addr{netip.MustParseAddr("192.168.1.100")},
		LoadBalancerIPs: []netip.Addr{netip.MustParseAddr("192.168.1.240")},
		Endpoints:       []ProxyEndpoint{ep("10.244.0.2", 8080, "node01")}}
	name := "shop/front:web"
	svc, ext := SVCChain(name, "tcp"), EXTChain(name, "tcp")
	rs := BuildRules(refNode, []ProxyPort{p})
	equalLines(t, "nat KUBE-SERVICES", rulesOf(t, rs, TableNAT, chainServices), []string{
		`-A KUBE-SERVICES -d 10.96.0.50/32 -p tcp -m comment --comment "shop/front:web cluster IP" -m tcp --dport 80 -j ` + svc,
		`-A KUBE-SERVICES -d 192.168.1.100/32 -p tcp -m comment --comment "shop/front:web external IP" -m tcp --dport 80 -j ` + ext,
		`-A KUBE-SERVICES -d 192.168.1.240/32 -p tcp -m comment --comment "shop/front:web loadbalancer IP" -m tcp --dport 80 -j ` + ext,
		`-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`,
	})
	if rs.Chain(TableNAT, FWChain(name, "tcp")) != nil {
		t.Error("KUBE-FW chain without loadBalancerSourceRanges")
	}

	// Without endpoints: REJECT for every address in the filter table, nothing in nat.
	p.Endpoints = nil
	rs = BuildRules(refNode, []ProxyPort{p})
	equalLines(t, "filter KUBE-EXTERNAL-SERVICES", rulesOf(t, rs, TableFilter, chainExternalServices), []string{
		`-A KUBE-EXTERNAL-SERVICES -d 192.168.1.100/32 -p tcp -m comment --comment "shop/front:web has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`,
		`-A KUBE-EXTERNAL-SERVICES -d 192.168.1.240/32 -p tcp -m comment --comment "shop/front:web has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`,
		`-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "shop/front:web has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 31000 -j REJECT --reject-with icmp-port-unreachable`,
	})
	if n := len(rs.Chain(TableNAT, chainServices).Rules); n != 1 {
		t.Errorf("nat KUBE-SERVICES has %d rules, want only the nodeports jump", n)
	}
}

func TestHeadlessGetsNoRules(t *testing.T) {
	p := ProxyPort{Namespace: "default", Name: "db", Protocol: "TCP", Port: 5432,
		Endpoints: []ProxyEndpoint{ep("10.244.0.2", 5432, "node01")}}
	got := BuildRules(refNode, []ProxyPort{p}).Save()
	want := BuildRules(refNode, nil).Save()
	if got != want {
		t.Errorf("headless Service changed the rules:\n%s", got)
	}
}

func TestServicesSortedByName(t *testing.T) {
	mk := func(name, ip string) ProxyPort {
		return ProxyPort{Namespace: "default", Name: name, Protocol: "TCP", ClusterIP: netip.MustParseAddr(ip), Port: 80,
			Endpoints: []ProxyEndpoint{ep("10.244.0.2", 80, "node01")}}
	}
	rs := BuildRules(refNode, []ProxyPort{mk("zeta", "10.96.0.60"), mk("alpha", "10.96.0.61")})
	lines := rulesOf(t, rs, TableNAT, chainServices)
	if !strings.Contains(lines[0], "default/alpha") || !strings.Contains(lines[1], "default/zeta") {
		t.Errorf("KUBE-SERVICES not sorted by Service:\n%s", strings.Join(lines, "\n"))
	}
}

func TestUDPAndIPv6(t *testing.T) {
	node := ProxyNode{Name: "node01", IP: netip.MustParseAddr("fd00::2"), ClusterCIDR: netip.MustParsePrefix("fd00:10:244::/56")}
	p := ProxyPort{Namespace: "kube-system", Name: "kube-dns", PortName: "dns", Protocol: "UDP",
		ClusterIP: netip.MustParseAddr("fd00:96::a"), Port: 53, NodePort: 30053,
		Endpoints: []ProxyEndpoint{ep("fd00:10:244::2", 53, "node01")}}
	rs := BuildRules(node, []ProxyPort{p})
	save := rs.Save()
	for _, want := range []string{
		`-A KUBE-SERVICES -d fd00:96::a/128 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j ` + SVCChain("kube-system/kube-dns:dns", "udp"),
		`-A KUBE-SERVICES ! -d ::1/128 -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`,
		`-p udp -m comment --comment "kube-system/kube-dns:dns" -m udp -j DNAT --to-destination [fd00:10:244::2]:53`,
	} {
		if !strings.Contains(save, want) {
			t.Errorf("missing %q in:\n%s", want, save)
		}
	}
	if strings.Contains(save, "127.0.0.0/8") {
		t.Error("IPv6 rules mention 127.0.0.0/8")
	}
}
