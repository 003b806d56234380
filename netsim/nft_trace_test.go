package netsim

import (
	"net/netip"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/model"
)

func refSim(t *testing.T, file string) *Sim {
	t.Helper()
	c, err := model.Load([]string{filepath.Join("..", "testdata", "kube-reference", file)}, model.Options{Nodes: NodeNames(1)})
	if err != nil {
		t.Fatal(err)
	}
	return New(c, DefaultConfig())
}

func nftTrace(t *testing.T, s *Sim, req Request) *Trace {
	t.Helper()
	if req.Mode == "" {
		req.Mode = ModeNFTables
	}
	tr, err := s.Trace(req)
	if err != nil {
		t.Fatal(err)
	}
	checkNftHops(t, tr)
	return tr
}

// checkNftHops: every hop at a rule of the table names its chain and rule as nft prints
// them, and every lookup its element.
func checkNftHops(t *testing.T, tr *Trace) {
	t.Helper()
	for _, h := range tr.Hops {
		if h.Table == "" {
			continue
		}
		if h.Table != NftTableName || h.Chain == "" || h.Rule == "" {
			t.Errorf("hop %d (%s): table %q chain %q rule %q", h.Step, h.Narration, h.Table, h.Chain, h.Rule)
		}
		if strings.Contains(h.Rule, "vmap @") && h.Element == "" && h.Action != ActMatch {
			t.Errorf("hop %d (%s) looked up a map but names no element: %q", h.Step, h.Narration, h.Rule)
		}
	}
}

func hopBy(t *testing.T, tr *Trace, narration string) Hop {
	t.Helper()
	for _, h := range tr.Hops {
		if h.Narration == narration {
			return h
		}
	}
	t.Fatalf("no %q hop in %s", narration, narrations(tr))
	return Hop{}
}

func narrations(tr *Trace) []string {
	var out []string
	for _, h := range tr.Hops {
		out = append(out, h.Narration)
	}
	return out
}

func TestNftTraceNodePort(t *testing.T) {
	tr := nftTrace(t, refSim(t, "nodeport.yaml"), Request{})
	want := []string{"send.nodeport", "nft.arrive.node", "match.jump", "match.nodeport", "mark.external", "match.ext",
		"teach.serviceport", "choose.one", "nft.dnat", "snat", "route.local", "deliver", "reply"}
	if got := narrations(tr); !reflect.DeepEqual(got, want) {
		t.Fatalf("hops %v\nwant %v", got, want)
	}
	np := hopBy(t, tr, "match.nodeport")
	if np.Chain != "services" || np.Set != "service-nodeports" || np.Element != "tcp . 30008 : goto external-VTKG5A3G-default/myapp-service/tcp/" ||
		np.Rule != "ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports" || np.Field != "spec.ports[0].nodePort" {
		t.Errorf("nodePort hop: %+v", np)
	}
	dn := hopBy(t, tr, "nft.dnat")
	if dn.Chain != "service-VTKG5A3G-default/myapp-service/tcp/" || dn.Rule != "meta l4proto tcp dnat to 10.244.0.2:80" ||
		dn.After.Dst.String() != "10.244.0.2:80" || dn.Field != "spec.ports[0].targetPort" {
		t.Errorf("dnat hop: %+v", dn)
	}
	sn := hopBy(t, tr, "snat")
	if sn.Chain != "masquerading" || !strings.HasPrefix(sn.Rule, "meta mark & 0x00004000 != 0x00000000") || sn.After.Src.Addr().String() != "10.244.0.1" {
		t.Errorf("snat hop: %+v", sn)
	}
	if tr.Verdict != Delivered {
		t.Errorf("verdict %s", tr.Verdict)
	}
}

// TestNftTeachingSameAsIPTables: where the fate is the same, the teaching view says the same
// sentences in both modes; only the DNAT (in the Service chain, not a KUBE-SEP chain) differs.
func TestNftTeachingSameAsIPTables(t *testing.T) {
	s := refSim(t, "nodeport.yaml")
	teaching := func(tr *Trace) []string {
		var out []string
		for _, h := range tr.Hops {
			if h.Teaching {
				out = append(out, strings.Replace(h.Narration, "nft.dnat", "dnat", 1))
			}
		}
		return out
	}
	ipt, err := s.Trace(Request{})
	if err != nil {
		t.Fatal(err)
	}
	nft := nftTrace(t, s, Request{})
	if a, b := teaching(ipt), teaching(nft); !reflect.DeepEqual(a, b) {
		t.Errorf("teaching view differs:\niptables %v\nnftables %v", a, b)
	}
	if hopBy(t, nft, "nft.dnat").Text("en") == hopBy(t, ipt, "dnat").Text("en") {
		t.Error("the nftables DNAT hop should say where iptables mode DNATs")
	}
}

// TestNftTraceSpread: numgen random mod 3 over 1,000 seeds reaches each endpoint about a
// third of the time, and the choice hop names the map element taken.
func TestNftTraceSpread(t *testing.T) {
	s := refSim(t, "named-port-replicas.yaml")
	counts := map[string]int{}
	for seed := int64(0); seed < 1000; seed++ {
		tr := nftTrace(t, s, Request{Service: "web", From: "node01", Seed: seed})
		if tr.Verdict != Delivered {
			t.Fatalf("seed %d: %s", seed, tr.Verdict)
		}
		ch := hopBy(t, tr, "choose")
		dst := hopBy(t, tr, "nft.dnat.named").After.Dst
		if !strings.HasSuffix(ch.Element, " : "+dst.Addr().String()+" . 8080") || ch.Chain != "service-SUSTUHLJ-default/web/tcp/http" {
			t.Fatalf("seed %d: choice %q, dnat to %s", seed, ch.Element, dst)
		}
		counts[tr.Endpoint.Pod.Name]++
	}
	for _, name := range []string{"web-1", "web-2", "web-3"} {
		if n := counts[name]; n < 290 || n > 380 {
			t.Errorf("%s chosen %d times of 1000: %v", name, n, counts)
		}
	}
	// --endpoint forces the map element.
	tr := nftTrace(t, s, Request{Service: "web", From: "node01", Endpoint: ChooseNth(3)})
	if ch := hopBy(t, tr, "choose.forced"); ch.Element != "2 : 10.244.0.4 . 8080" || tr.Endpoint.Pod.Name != "web-3" {
		t.Errorf("forced endpoint 3: %q %s", ch.Element, tr.Endpoint.Pod.Name)
	}
	// … and so does a chosen Pod.
	tr = nftTrace(t, s, Request{Service: "web", From: "node01", Endpoint: ChoosePod(tr.Endpoint.Pod)})
	if ch := hopBy(t, tr, "choose.forced"); ch.Element != "2 : 10.244.0.4 . 8080" || ch.ChainKind != ChainServicePort {
		t.Errorf("chosen Pod web-3: %q %s", ch.Element, ch.ChainKind)
	}
}

func TestNftTraceNoEndpoints(t *testing.T) {
	s := refSim(t, "named-port-replicas.yaml")
	tr := nftTrace(t, s, Request{Service: "orphan"})
	rj := hopBy(t, tr, "reject")
	if tr.Verdict != Rejected || rj.Chain != "reject-chain" || rj.Rule != "reject" || rj.Set != "no-endpoint-nodeports" ||
		rj.Element != `tcp . 30080 comment "default/orphan:http" : goto reject-chain` || rj.Diagnostic == nil {
		t.Errorf("nodePort without endpoints: %s %+v", tr.Verdict, rj)
	}
	hopBy(t, tr, "reply.icmp")
	tr = nftTrace(t, s, Request{Service: "orphan", Via: ViaClusterIP, From: "web-1"})
	if rj := hopBy(t, tr, "reject"); tr.Verdict != Rejected || rj.Set != "no-endpoint-services" ||
		rj.Element != `10.96.0.13 . tcp . 8080 comment "default/orphan:http" : goto reject-chain` {
		t.Errorf("ClusterIP without endpoints: %s %+v", tr.Verdict, rj)
	}
}

func TestNftTraceLoadBalancerAndExternalIP(t *testing.T) {
	s := everythingSim(t)
	tr := nftTrace(t, s, Request{Service: "shop", Via: ViaLB})
	fw := hopBy(t, tr, "nft.firewall.allow")
	if fw.Set != "firewall-ips" || fw.Element != "192.168.1.240 . tcp . 80 : goto firewall-EMNFMILR-default/shop/tcp/" || fw.Field != "spec.loadBalancerSourceRanges" {
		t.Errorf("firewall hop: %+v", fw)
	}
	if lb := hopBy(t, tr, "match.lb"); lb.Element != "192.168.1.240 . tcp . 80 : goto external-EMNFMILR-default/shop/tcp/" || tr.Verdict != Delivered {
		t.Errorf("LB hop: %+v (%s)", lb, tr.Verdict)
	}
	// A Pod's address is outside loadBalancerSourceRanges: dropped before DNAT.
	tr = nftTrace(t, s, Request{Service: "shop", Via: ViaLB, From: "client"})
	if d := hopBy(t, tr, "nft.drop.firewall"); tr.Verdict != Dropped || d.Chain != "firewall-EMNFMILR-default/shop/tcp/" ||
		d.Rule != "ip saddr != { 192.168.1.0/24, 203.0.113.0/24 } drop" {
		t.Errorf("firewall drop: %s %+v", tr.Verdict, d)
	}
	tr = nftTrace(t, s, Request{Service: "shop", Via: ViaClusterIP, From: "client", Dst: mustAddrPort("192.168.1.50:80")})
	if h := hopBy(t, tr, "nft.match.externalip"); h.Field != "spec.externalIPs" || tr.Verdict != Delivered {
		t.Errorf("externalIP: %+v %s", h, tr.Verdict)
	}
}

func TestNftTraceLocalPolicyTwoNodes(t *testing.T) {
	s := everythingSim(t)
	tr := nftTrace(t, s, Request{Service: "local"})
	if ch := hopBy(t, tr, "choose.local"); tr.Verdict != Delivered || ch.Chain != "local-O7JKBUXF-default/local/tcp/" {
		t.Errorf("node01: %s %+v", tr.Verdict, ch)
	}
	if ks := hopBy(t, tr, "keepsource"); ks.After.Src.Addr().String() != "192.168.1.10" {
		t.Errorf("Local policy keeps the client's address: %+v", ks)
	}
	tr = nftTrace(t, s, Request{Service: "local", ToNode: "node02"})
	d := hopBy(t, tr, "drop.local")
	if tr.Verdict != Dropped || d.Set != "no-endpoint-nodeports" || d.Element != `tcp . 30200 comment "default/local" : drop` || d.Field != "spec.externalTrafficPolicy" {
		t.Errorf("node02: %s %+v", tr.Verdict, d)
	}
	// A Pod on node02 is short-circuited to the Cluster chain and reaches node01's Pod.
	tr = nftTrace(t, s, Request{Service: "local", From: "client"})
	if ext := hopBy(t, tr, "match.ext"); tr.Verdict != Delivered || ext.Rule != `ip saddr 10.244.0.0/16 goto service-O7JKBUXF-default/local/tcp/ comment "short-circuit pod traffic"` {
		t.Errorf("pod short-circuit: %s %+v", tr.Verdict, ext)
	}
	// internalTrafficPolicy: Local drops ClusterIP traffic on a node without an endpoint.
	tr = nftTrace(t, s, Request{Service: "itp", From: "client"})
	if d := hopBy(t, tr, "drop.filter"); tr.Verdict != Dropped || d.Field != "spec.internalTrafficPolicy" || d.Element != `10.96.0.16 . tcp . 80 comment "default/itp" : drop` {
		t.Errorf("itp on node02: %s %+v", tr.Verdict, d)
	}
}

func TestNftTraceAffinity(t *testing.T) {
	s := everythingSim(t)
	first := nftTrace(t, s, Request{Service: "sticky", From: "client", Seed: 1})
	up := hopBy(t, first, "nft.affinity.update")
	if !strings.HasPrefix(up.Rule, "update @affinity-") || !strings.HasPrefix(up.Chain, "endpoint-") {
		t.Errorf("update hop: %+v", up)
	}
	if dn := hopBy(t, first, "dnat"); !strings.HasPrefix(dn.Chain, "endpoint-") {
		t.Errorf("with affinity the DNAT is in the endpoint chain: %+v", dn)
	}
	for seed := int64(2); seed < 12; seed++ {
		again := nftTrace(t, s, Request{Service: "sticky", From: "client", Seed: seed})
		ch := hopBy(t, again, "choose.affinity")
		if again.Endpoint != first.Endpoint || !strings.HasPrefix(ch.Set, "affinity-") || ch.Field != "spec.sessionAffinity" {
			t.Fatalf("seed %d: went to %v (first %v) %+v", seed, again.Endpoint, first.Endpoint, ch)
		}
	}
}

func TestNftTraceWhereModesDiffer(t *testing.T) {
	s := everythingSim(t)
	unalloc := Request{Service: "web", From: "client", Dst: mustAddrPort("10.96.0.99:80")}
	tr := nftTrace(t, s, unalloc)
	d := hopBy(t, tr, "nft.drop.unallocated")
	if tr.Verdict != Dropped || d.Chain != "cluster-ips-check" || d.Rule != `ip daddr 10.96.0.0/12 drop comment "Drop traffic to unallocated ClusterIPs"` {
		t.Errorf("unallocated ClusterIP: %s %+v", tr.Verdict, d)
	}
	if !strings.Contains(d.Text("en"), "iptables mode") || !strings.Contains(d.Text("ko"), "iptables 모드") {
		t.Errorf("the narration should say how iptables mode differs: %q", d.Text("en"))
	}
	unalloc.Mode = ModeIPTables
	// iptables mode has no rule for it: the node routes it out by its default route, blaming no
	// field; an unknown port of the ClusterIP points at the ports it does serve.
	for dst, want := range map[string]string{"10.96.0.99:80": "route.default", "1.2.3.4:80": "route.default", "10.96.0.12:81": "route.default.badport"} {
		unalloc.Dst = mustAddrPort(dst)
		ipt, _ := s.Trace(unalloc)
		last := ipt.Hops[len(ipt.Hops)-1]
		wantField := map[string]string{"route.default": "", "route.default.badport": "spec.ports"}[want]
		if ipt.Verdict != Dropped || last.Narration != want || last.Action != ActRoute || last.Field != wantField ||
			!strings.Contains(last.Text("en"), "default route") || !strings.Contains(last.Text("en"), "times out") {
			t.Errorf("iptables, %s: %v, field %q: %s", dst, narrations(ipt), last.Field, last.Text("en"))
		}
	}

	tr = nftTrace(t, s, Request{Service: "web", From: "client", Dst: mustAddrPort("10.96.0.12:81")})
	if r := hopBy(t, tr, "nft.reject.badport"); tr.Verdict != Rejected || r.Rule != `ip daddr @cluster-ips reject comment "Reject traffic to invalid ports of ClusterIPs"` {
		t.Errorf("unknown port of a ClusterIP: %s %+v", tr.Verdict, r)
	}

	local := Request{Service: "shop", From: "node01", Dst: mustAddrPort("127.0.0.1:30100")}
	tr = nftTrace(t, s, local)
	if h := hopBy(t, tr, "nft.localhost"); tr.Verdict != Refused || !strings.Contains(h.Text("en"), "192.168.1.2") {
		t.Errorf("localhost nodePort in nftables mode: %s %+v", tr.Verdict, h)
	}
	local.Mode = ModeIPTables
	if ipt, _ := s.Trace(local); ipt.Verdict != Delivered {
		t.Errorf("iptables mode serves localhost nodePorts: %s", ipt.Verdict)
	}
}

func TestNftTraceHairpin(t *testing.T) {
	s := everythingSim(t)
	tr := nftTrace(t, s, Request{Service: "web", From: "web-1", Endpoint: ChooseNth(1)})
	h := hopBy(t, tr, "nft.snat.hairpin")
	if h.Set != "hairpin-connections" || h.Element != "10.244.0.2 . 10.244.0.2 . tcp . 8080" || h.After.Src.Addr().String() != "10.244.0.1" || tr.Verdict != Delivered {
		t.Errorf("hairpin: %s %+v", tr.Verdict, h)
	}
}

func TestNftNarrationCatalogues(t *testing.T) {
	for k := range narrationNftEN {
		if narrationKO[k] == "" || strings.Count(narrationKO[k], "{") != strings.Count(narrationEN[k], "{") {
			t.Errorf("Korean %q missing or with other arguments", k)
		}
	}
}

func mustAddrPort(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }

// TestNftTraceMultiPortAndUDP: each port of a multi-port Service has its own chain, named by
// the port's name; a UDP port's element and DNAT say udp.
func TestNftTraceMultiPortAndUDP(t *testing.T) {
	s := everythingSim(t)
	tr := nftTrace(t, s, Request{Service: "web", Port: "metrics", From: "client"})
	if m := hopBy(t, tr, "match.clusterip"); m.Element != "10.96.0.12 . tcp . 9100 : goto service-DAIXODRU-default/web/tcp/metrics" || m.Field != "spec.ports[1].port" {
		t.Errorf("metrics port: %+v", m)
	}
	if d := hopBy(t, tr, "nft.dnat.named"); d.After.Dst.Port() != 9100 || d.Field != "spec.ports[1].targetPort" {
		t.Errorf("metrics DNAT: %+v", d)
	}
	tr = nftTrace(t, s, Request{Service: "dns", From: "client"})
	if m := hopBy(t, tr, "match.clusterip"); m.Element != "10.96.0.19 . udp . 53 : goto service-Z3XHB2ZZ-default/dns/udp/dns" || tr.Verdict != Delivered {
		t.Errorf("UDP: %s %+v", tr.Verdict, m)
	}
	if d := hopBy(t, tr, "nft.dnat.named"); d.Rule != "meta l4proto udp dnat to 10.244.1.3:53" {
		t.Errorf("UDP DNAT: %+v", d)
	}
}
