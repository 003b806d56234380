package netsim

import (
	"net/netip"
	"strings"
	"testing"
)

func TestRuleString(t *testing.T) {
	for _, tc := range []struct {
		rule Rule
		want string
	}{
		{
			// header (-s, -d, -p) before every match, whatever the field order
			Rule{Chain: "KUBE-SVC-X", Protocol: "tcp", DPort: 80, Comment: "ns/a cluster IP", Target: chainMarkMasq,
				Source: netip.MustParsePrefix("10.244.0.0/16"), NotSource: true, Dest: netip.MustParsePrefix("10.96.0.1/32")},
			`-A KUBE-SVC-X ! -s 10.244.0.0/16 -d 10.96.0.1/32 -p tcp -m comment --comment "ns/a cluster IP" -m tcp --dport 80 -j KUBE-MARK-MASQ`,
		},
		{
			Rule{Chain: "INPUT", CtState: "NEW", ConntrackFirst: true, Comment: "kubernetes load balancer firewall", Target: chainProxyFirewall},
			`-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL`,
		},
		{
			Rule{Chain: "KUBE-FORWARD", Comment: "kubernetes forwarding conntrack rule", CtState: "RELATED,ESTABLISHED", Target: TargetAccept},
			`-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
		},
		{
			Rule{Chain: chainPostrouting, MatchMark: &Mark{0x4000, 0x4000}, NotMark: true, Target: TargetReturn},
			`-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN`,
		},
		{
			Rule{Chain: chainPostrouting, Target: TargetMark, SetXMark: &Mark{0x4000, 0}},
			`-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0`,
		},
		{
			Rule{Chain: "KUBE-SVC-X", Comment: "ns/a -> 10.0.0.1:80", Probability: 1.0 / 3, Target: "KUBE-SEP-Y"},
			`-A KUBE-SVC-X -m comment --comment "ns/a -> 10.0.0.1:80" -m statistic --mode random --probability 0.33333333349 -j KUBE-SEP-Y`,
		},
		{
			Rule{Chain: "KUBE-SEP-Y", Comment: "ns/a", Protocol: "tcp", Recent: &RecentMatch{Name: "KUBE-SEP-Y", Set: true},
				Target: TargetDNAT, ToDestination: netip.MustParseAddrPort("10.0.0.1:80")},
			`-A KUBE-SEP-Y -p tcp -m comment --comment "ns/a" -m recent --set --name KUBE-SEP-Y --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.0.0.1:80`,
		},
		{
			Rule{Chain: chainNodePorts, Dest: netip.MustParsePrefix("127.0.0.0/8"), Protocol: "tcp", DPort: 30008, Comment: "ns/a",
				Nfacct: nfacctLocalhostNodePort, Target: "KUBE-EXT-X"},
			`-A KUBE-NODEPORTS -d 127.0.0.0/8 -p tcp -m comment --comment "ns/a" -m tcp --dport 30008 -m nfacct --nfacct-name  localhost_nps_accepted_pkts -j KUBE-EXT-X`,
		},
		{
			Rule{Chain: chainExternalServices, Protocol: "tcp", DPort: 30080, Comment: "x has no endpoints", DstTypeLocal: true,
				Target: TargetReject, RejectWith: "icmp-port-unreachable"},
			`-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "x has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30080 -j REJECT --reject-with icmp-port-unreachable`,
		},
		{
			Rule{Chain: chainPostrouting, Comment: "kubernetes service traffic requiring SNAT", Target: TargetMasquerade, RandomFully: true},
			`-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`,
		},
		{
			// a rule with no target (kube-proxy's KUBE-FW- tail) prints no -j
			Rule{Chain: "KUBE-FW-X", Comment: "other traffic"},
			`-A KUBE-FW-X -m comment --comment "other traffic"`,
		},
		{
			// an address is printed masked, with its prefix length
			Rule{Chain: "C", Source: netip.MustParsePrefix("10.244.3.7/16"), Target: TargetAccept},
			`-A C -s 10.244.0.0/16 -j ACCEPT`,
		},
	} {
		if got := tc.rule.String(); got != tc.want {
			t.Errorf("\n got: %s\nwant: %s", got, tc.want)
		}
	}
}

func TestSaveStringQuoting(t *testing.T) {
	for in, want := range map[string]string{
		"kube-system_dns-1": "kube-system_dns-1",
		"ns/a":              `"ns/a"`,
		"a b":               `"a b"`,
		`say "hi"`:          `"say \"hi\""`,
		`it's`:              `"it\'s"`,
		`back\slash`:        `"back\\slash"`,
		"":                  `""`,
	} {
		if got := saveString(in); got != want {
			t.Errorf("saveString(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestKernelProbability(t *testing.T) {
	for p, want := range map[float64]string{
		1.0 / 2: "0.50000000000",
		1.0 / 3: "0.33333333349",
		1.0 / 4: "0.25000000000",
		1.0 / 5: "0.20000000019",
		1.0 / 7: "0.14285714272",
	} {
		if got := SavedProbability(p); got != want {
			t.Errorf("SavedProbability(%v) = %s, want %s", p, got, want)
		}
	}
	if k := KernelProbability(1.0 / 3); k == 1.0/3 || k < 0.3333333 || k > 0.3333334 {
		t.Errorf("KernelProbability(1/3) = %v, want the 31-bit rounded value", k)
	}
}

func TestSaveChainOrder(t *testing.T) {
	rs := newRuleset()
	for _, c := range []string{"KUBE-SVC-B", "KUBE-SERVICES", "KUBE-A", "KUBE-NODEPORTS", "OTHER"} {
		rs.ensureChain(TableNAT, c, "")
	}
	rs.add(TableNAT, &Rule{Chain: "KUBE-SVC-B", Target: TargetAccept})
	rs.add(TableNAT, &Rule{Chain: "PREROUTING", Target: "KUBE-SERVICES"})
	rs.add(TableNAT, &Rule{Chain: "KUBE-A", Target: TargetAccept})
	want := strings.Join([]string{
		"*nat",
		":PREROUTING ACCEPT [0:0]", ":INPUT ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", ":POSTROUTING ACCEPT [0:0]",
		":KUBE-A - [0:0]", ":KUBE-NODEPORTS - [0:0]", ":KUBE-SERVICES - [0:0]", ":KUBE-SVC-B - [0:0]", ":OTHER - [0:0]",
		"-A PREROUTING -j KUBE-SERVICES", "-A KUBE-A -j ACCEPT", "-A KUBE-SVC-B -j ACCEPT",
		"COMMIT",
		"*filter", ":INPUT ACCEPT [0:0]", ":FORWARD ACCEPT [0:0]", ":OUTPUT ACCEPT [0:0]", "COMMIT", "",
	}, "\n")
	if got := rs.Save(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

func TestChainLookup(t *testing.T) {
	rs := BuildRules(refNode, nodeportPorts())
	if c := rs.Chain(TableNAT, "PREROUTING"); c == nil || !c.Builtin() || c.Policy != "ACCEPT" {
		t.Errorf("nat PREROUTING: %+v", c)
	}
	if c := rs.Chain(TableNAT, SVCChain("default/myapp-service", "tcp")); c == nil || c.Builtin() || c.Service != "default/myapp-service" {
		t.Errorf("KUBE-SVC chain: %+v", c)
	}
	if rs.Chain(TableFilter, chainMarkMasq) != nil || rs.Chain("mangle", "PREROUTING") != nil {
		t.Error("lookup found a chain that does not exist")
	}
	// the index stays right when chains are added directly
	tab := rs.Table(TableNAT)
	tab.Chains = append(tab.Chains, &Chain{Name: "KUBE-NEW"})
	if rs.Chain(TableNAT, "KUBE-NEW") == nil {
		t.Error("chain appended to Chains not found")
	}
}

func TestForService(t *testing.T) {
	ports := append(namedPortPorts(), nodeportPorts()...)
	// a Service whose name has "web" as a prefix must not be taken for web
	ports = append(ports, ProxyPort{Namespace: "default", Name: "web2", Protocol: "TCP",
		ClusterIP: netip.MustParseAddr("10.96.0.14"), Port: 80, Endpoints: []ProxyEndpoint{ep("10.244.0.9", 80, "node01")}})
	rs := BuildRules(refNode, ports)
	before := rs.Save()

	web := rs.ForService("default", "web")
	want := strings.Join([]string{
		"*nat",
		":KUBE-SEP-MQPSSF2DIKDEHI3U - [0:0]",
		":KUBE-SEP-QA4PSDNF5R2OJOPA - [0:0]",
		":KUBE-SEP-TCD3IFXQZW3ZEZQU - [0:0]",
		":KUBE-SERVICES - [0:0]",
		":KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]",
	}, "\n")
	got := web.Save()
	if !strings.HasPrefix(got, want+"\n-A KUBE-SEP-MQPSSF2DIKDEHI3U -s 10.244.0.4/32") {
		t.Errorf("ForService(default, web):\n%s", got)
	}
	if strings.Contains(got, "web2") || strings.Contains(got, "myapp") || strings.Contains(got, "KUBE-MARK-MASQ -j") {
		t.Errorf("ForService(default, web) has other rules:\n%s", got)
	}
	if n := strings.Count(got, "\n-A "); n != 11 { // 1 in KUBE-SERVICES, 4 in KUBE-SVC, 2 in each KUBE-SEP
		t.Errorf("ForService(default, web) has %d rules, want 11:\n%s", n, got)
	}
	if !strings.HasSuffix(got, "COMMIT\n*filter\nCOMMIT\n") {
		t.Errorf("filter table should be empty for web:\n%s", got)
	}

	orphan := rs.ForService("default", "orphan").Save()
	for _, want := range []string{
		`-A KUBE-SERVICES -d 10.96.0.13/32 -p tcp -m comment --comment "default/orphan:http has no endpoints"`,
		`-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/orphan:http has no endpoints"`,
	} {
		if !strings.Contains(orphan, want) {
			t.Errorf("ForService(default, orphan) lacks %q:\n%s", want, orphan)
		}
	}
	if rs.Save() != before {
		t.Error("ForService changed the ruleset it was called on")
	}
	if none := rs.ForService("default", "nothing").Save(); none != "*nat\nCOMMIT\n*filter\nCOMMIT\n" {
		t.Errorf("ForService of an unknown Service:\n%s", none)
	}
}
