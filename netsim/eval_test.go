package netsim

import (
	"math/rand/v2"
	"net/netip"
	"strconv"
	"strings"
	"testing"
)

var clientIP = netip.MustParseAddr("192.168.1.10")

// nodeLocal is addrtype LOCAL on node01: its address and loopback.
func nodeLocal(a netip.Addr) bool { return a == refNode.IP || a.IsLoopback() }

func tcp(src, dst string) Packet {
	return Packet{Src: netip.MustParseAddrPort(src), Dst: netip.MustParseAddrPort(dst), Proto: "TCP"}
}

// seeded is a statistic decision from a seeded RNG, as the trace uses.
func seeded(seed uint64) func(string, float64) bool {
	r := rand.New(rand.NewPCG(seed, 1))
	return func(_ string, p float64) bool { return r.Float64() < p }
}

// chainsOf lists the chain of every step, with the target of the last one.
func chainsOf(res Result) []string {
	var out []string
	for _, s := range res.Steps {
		out = append(out, s.Chain)
	}
	return out
}

func TestRunNodePort(t *testing.T) {
	rs := BuildRules(refNode, nodeportPorts())
	ctx := &EvalContext{Local: nodeLocal, Random: seeded(1)}
	res := rs.Run(TableNAT, "PREROUTING", tcp("192.168.1.10:51000", "192.168.1.2:30008"), ctx)

	name := "default/myapp-service"
	svc, ext := SVCChain(name, "tcp"), EXTChain(name, "tcp")
	sep := SEPChain(name, "tcp", netip.MustParseAddrPort("10.244.0.2:80"))
	equalLines(t, "chains", chainsOf(res), []string{"PREROUTING", chainServices, chainNodePorts, ext, chainMarkMasq, ext, svc, sep})
	var targets []string
	for _, s := range res.Steps {
		targets = append(targets, s.Rule.Target)
	}
	equalLines(t, "targets", targets, []string{chainServices, chainNodePorts, ext, chainMarkMasq, TargetMark, svc, sep, TargetDNAT})
	// KUBE-NODEPORTS rule 0 is the localhost rule; the client's packet takes rule 1.
	if s := res.Steps[2]; s.Index != 1 || s.Rule.Dest.IsValid() {
		t.Errorf("KUBE-NODEPORTS step: index %d, rule %s", s.Index, s.Rule)
	}
	if res.Final != TargetDNAT || res.Packet.Dst != netip.MustParseAddrPort("10.244.0.2:80") || res.Packet.Src.Addr() != clientIP {
		t.Errorf("final %q, packet %s", res.Final, res.Packet)
	}
	if ctx.Mark != masqMark || !ctx.DNAT {
		t.Errorf("mark %#x, DNAT %v after PREROUTING", ctx.Mark, ctx.DNAT)
	}

	// POSTROUTING masquerades the marked packet and clears the mark.
	post := rs.Run(TableNAT, "POSTROUTING", res.Packet, ctx)
	if post.Final != TargetMasquerade || ctx.Mark != 0 {
		t.Errorf("POSTROUTING: final %q, mark %#x", post.Final, ctx.Mark)
	}
	// FORWARD runs between PREROUTING and POSTROUTING, while the mark is still set:
	// KUBE-FORWARD accepts the marked packet.
	fwd := rs.Run(TableFilter, "FORWARD", res.Packet, &EvalContext{Local: nodeLocal, Mark: masqMark, DNAT: true})
	if fwd.Final != TargetAccept || fwd.Steps[len(fwd.Steps)-1].Chain != chainForward {
		t.Errorf("FORWARD: final %q, steps %v", fwd.Final, chainsOf(fwd))
	}
}

func TestRunReturnAndPolicy(t *testing.T) {
	rs := BuildRules(refNode, nodeportPorts())
	// An unmarked packet: KUBE-POSTROUTING returns at once and the policy accepts.
	res := rs.Run(TableNAT, "POSTROUTING", tcp("10.244.0.5:40000", "10.244.0.2:80"), &EvalContext{})
	equalLines(t, "chains", chainsOf(res), []string{"POSTROUTING", chainPostrouting})
	if res.Final != "" || res.Steps[1].Rule.Target != TargetReturn {
		t.Errorf("final %q, last %s", res.Final, res.Steps[1].Rule)
	}
	if res := rs.Run(TableNAT, "NO-SUCH-CHAIN", tcp("1.1.1.1:1", "2.2.2.2:2"), nil); len(res.Steps) != 0 || res.Final != "" {
		t.Errorf("unknown chain: %+v", res)
	}
}

func TestRunStatisticSpread(t *testing.T) {
	rs := BuildRules(refNode, namedPortPorts())
	const runs = 3000
	counts := map[netip.AddrPort]int{}
	for seed := range uint64(runs) {
		ctx := &EvalContext{Local: nodeLocal, Random: seeded(seed)}
		res := rs.Run(TableNAT, "OUTPUT", tcp("10.244.0.9:40000", "10.96.0.12:80"), ctx)
		if res.Final != TargetDNAT {
			t.Fatalf("seed %d: final %q", seed, res.Final)
		}
		counts[res.Packet.Dst]++
	}
	if len(counts) != 3 {
		t.Fatalf("endpoints chosen: %v", counts)
	}
	for dst, n := range counts {
		if share := float64(n) / runs; share < 0.30 || share > 0.37 {
			t.Errorf("%s chosen %.3f of the time, want about 1/3", dst, share)
		}
	}
}

func TestRunWithoutRandomTakesFirstEndpoint(t *testing.T) {
	rs := BuildRules(refNode, namedPortPorts())
	res := rs.Run(TableNAT, "OUTPUT", tcp("10.244.0.9:40000", "10.96.0.12:80"), &EvalContext{})
	if res.Packet.Dst != netip.MustParseAddrPort("10.244.0.2:8080") {
		t.Errorf("got %s", res.Packet.Dst)
	}
}

func TestRunClusterIPMasquerade(t *testing.T) {
	rs := BuildRules(refNode, namedPortPorts())
	// From a pod: no mark, the pod's address is kept.
	ctx := &EvalContext{Local: nodeLocal}
	rs.Run(TableNAT, "OUTPUT", tcp("10.244.0.9:40000", "10.96.0.12:80"), ctx)
	if ctx.Mark != 0 {
		t.Errorf("pod → ClusterIP marked for masquerade")
	}
	// From the node (outside the cluster CIDR): marked.
	ctx = &EvalContext{Local: nodeLocal}
	rs.Run(TableNAT, "OUTPUT", tcp("192.168.1.2:40000", "10.96.0.12:80"), ctx)
	if ctx.Mark != masqMark {
		t.Errorf("node → ClusterIP not marked")
	}
	// Hairpin: a pod that lands on itself is marked by its KUBE-SEP chain.
	ctx = &EvalContext{Local: nodeLocal} // nil Random: first endpoint, 10.244.0.2
	res := rs.Run(TableNAT, "PREROUTING", tcp("10.244.0.2:40000", "10.96.0.12:80"), ctx)
	if ctx.Mark != masqMark || !strings.HasPrefix(res.Steps[len(res.Steps)-3].Chain, sepChainPrefix) {
		t.Errorf("hairpin not marked: mark %#x, steps %v", ctx.Mark, chainsOf(res))
	}
}

func TestRunOrphanNodePortRejected(t *testing.T) {
	rs := BuildRules(refNode, namedPortPorts())
	ctx := &EvalContext{Local: nodeLocal}
	pkt := tcp("192.168.1.10:51000", "192.168.1.2:30080")
	nat := rs.Run(TableNAT, "PREROUTING", pkt, ctx)
	if nat.Final != "" || nat.Packet != pkt {
		t.Errorf("nat: final %q, packet %s", nat.Final, nat.Packet)
	}
	filter := rs.Run(TableFilter, "INPUT", nat.Packet, ctx)
	last := filter.Steps[len(filter.Steps)-1]
	if filter.Final != TargetReject || last.Chain != chainExternalServices || !strings.Contains(last.Rule.Comment, "default/orphan:http has no endpoints") {
		t.Errorf("filter INPUT: final %q, last step %s %s", filter.Final, last.Chain, last.Rule)
	}
	// ClusterIP of the orphan, from a pod: REJECT in filter OUTPUT's KUBE-SERVICES.
	out := rs.Run(TableFilter, "OUTPUT", tcp("10.244.0.9:40000", "10.96.0.13:8080"), ctx)
	if out.Final != TargetReject || out.Steps[len(out.Steps)-1].Chain != chainServices {
		t.Errorf("filter OUTPUT: final %q, steps %v", out.Final, chainsOf(out))
	}
}

func TestRunLocalPolicyWithoutLocalEndpoint(t *testing.T) {
	rs := BuildRules(refNode, []ProxyPort{localPort(false)})
	ctx := &EvalContext{Local: nodeLocal}
	pkt := tcp("192.168.1.10:51000", "192.168.1.2:30100")
	nat := rs.Run(TableNAT, "PREROUTING", pkt, ctx)
	if nat.Final != "" || ctx.Mark != 0 {
		t.Errorf("external client: nat final %q, mark %#x", nat.Final, ctx.Mark)
	}
	if f := rs.Run(TableFilter, "INPUT", pkt, ctx); f.Final != TargetDrop {
		t.Errorf("external client: filter final %q", f.Final)
	}
	// The node itself is short-circuited to KUBE-SVC and reaches the remote endpoint.
	ctx = &EvalContext{Local: nodeLocal}
	res := rs.Run(TableNAT, "OUTPUT", tcp("192.168.1.2:40000", "192.168.1.2:30100"), ctx)
	if res.Final != TargetDNAT || res.Packet.Dst != netip.MustParseAddrPort("10.244.1.2:80") || ctx.Mark != masqMark {
		t.Errorf("node: final %q, packet %s, mark %#x", res.Final, res.Packet, ctx.Mark)
	}
}

func TestRunLocalPolicyKeepsClientAddress(t *testing.T) {
	rs := BuildRules(refNode, []ProxyPort{localPort(true)})
	ctx := &EvalContext{Local: nodeLocal, Random: func(string, float64) bool { return false }}
	res := rs.Run(TableNAT, "PREROUTING", tcp("192.168.1.10:51000", "192.168.1.2:30100"), ctx)
	if res.Packet.Dst != netip.MustParseAddrPort("10.244.0.5:80") || ctx.Mark != 0 {
		t.Errorf("got %s, mark %#x; want the local endpoint and no masquerade", res.Packet, ctx.Mark)
	}
	if post := rs.Run(TableNAT, "POSTROUTING", res.Packet, ctx); post.Final == TargetMasquerade {
		t.Error("Local policy masqueraded the client")
	}
}

func TestRunSessionAffinity(t *testing.T) {
	p := namedPortPorts()[0]
	p.AffinityClientIP = true
	rs := BuildRules(refNode, []ProxyPort{p})
	recent := NewRecentTable()
	run := func(src string, seed uint64) Result {
		ctx := &EvalContext{Local: nodeLocal, Random: seeded(seed), Recent: recent}
		return rs.Run(TableNAT, "PREROUTING", tcp(src, "10.96.0.12:80"), ctx)
	}
	first := run("192.168.1.10:51000", 0)
	for seed := uint64(1); seed < 50; seed++ {
		res := run("192.168.1.10:"+strconv.Itoa(51000+int(seed)), seed) // new connection, same client
		if res.Packet.Dst != first.Packet.Dst {
			t.Fatalf("seed %d: client moved from %s to %s", seed, first.Packet.Dst, res.Packet.Dst)
		}
		// the choice came from the affinity rule, not the statistic rules
		svcStep := res.Steps[len(res.Steps)-2]
		if svcStep.Rule.Recent == nil || !svcStep.Rule.Recent.Rcheck {
			t.Fatalf("seed %d: chosen by %s", seed, svcStep.Rule)
		}
	}
	// Other clients still spread over every endpoint.
	seen := map[netip.AddrPort]bool{}
	for i := range 60 {
		src := netip.AddrPortFrom(netip.AddrFrom4([4]byte{192, 168, 2, byte(i + 1)}), 40000)
		seen[run(src.String(), uint64(i)).Packet.Dst] = true
	}
	if len(seen) != 3 {
		t.Errorf("60 clients reached %d endpoints", len(seen))
	}
	// Without a recent table, affinity cannot hold and nothing panics.
	res := rs.Run(TableNAT, "PREROUTING", tcp("192.168.1.10:51000", "10.96.0.12:80"), &EvalContext{Random: seeded(3)})
	if res.Final != TargetDNAT {
		t.Errorf("nil Recent: final %q", res.Final)
	}
}

func TestRunLocalnetGuard(t *testing.T) {
	rs := BuildRules(refNode, nodeportPorts())
	pkt := tcp("192.168.1.10:51000", "127.0.0.1:8080")
	if res := rs.Run(TableFilter, "INPUT", pkt, &EvalContext{Local: nodeLocal}); res.Final != TargetDrop || res.Steps[1].Chain != chainKubeletFirewall {
		t.Errorf("martian to 127.0.0.1: final %q, steps %v", res.Final, chainsOf(res))
	}
	if res := rs.Run(TableFilter, "INPUT", pkt, &EvalContext{Local: nodeLocal, DNAT: true}); res.Final == TargetDrop {
		t.Error("a DNATed connection was dropped by the localnet guard")
	}
}

func TestRunNetfilterSemantics(t *testing.T) {
	rs := newRuleset()
	add := func(r *Rule) { rs.ensureChain(TableFilter, r.Chain, ""); rs.add(TableFilter, r) }
	add(&Rule{Chain: "INPUT", Target: "A"})
	add(&Rule{Chain: "INPUT", Target: TargetAccept})
	add(&Rule{Chain: "A", Target: "B"})
	add(&Rule{Chain: "A", Target: TargetMark, SetXMark: &Mark{0x1, 0x1}}) // MARK goes on
	add(&Rule{Chain: "A", Comment: "no target: counted only"})
	add(&Rule{Chain: "A", MatchMark: &Mark{0x1, 0x1}, Target: "C"})
	add(&Rule{Chain: "B", Target: TargetReturn})
	add(&Rule{Chain: "B", Target: TargetDrop}) // never reached
	add(&Rule{Chain: "C", Protocol: "udp", Target: TargetDrop})
	rs.ensureChain(TableFilter, "C", "") // falls off its end back into A, then A into INPUT

	ctx := &EvalContext{}
	res := rs.Run(TableFilter, "INPUT", tcp("1.1.1.1:1", "2.2.2.2:2"), ctx)
	var got []string
	for _, s := range res.Steps {
		got = append(got, s.Chain+"#"+strconv.Itoa(s.Index)+"->"+s.Rule.Target)
	}
	equalLines(t, "steps", got, []string{"INPUT#0->A", "A#0->B", "B#0->RETURN", "A#1->MARK", "A#3->C", "INPUT#1->ACCEPT"})
	if res.Final != TargetAccept || ctx.Mark != 1 {
		t.Errorf("final %q, mark %#x", res.Final, ctx.Mark)
	}
}
