package netsim_test

import (
	"net/netip"
	"os"
	"testing"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// Cases the kernel decided (internal/netlab sends real packets through svcviz's rules); each
// was a disagreement and is kept as a manifest in internal/netlab/testdata/cases.

// TestRejectICMPSource: the ICMP error of a REJECT rule comes from the node's address toward
// the sender, or from the rejected destination when that is the node's own (icmp_send).
func TestRejectICMPSource(t *testing.T) {
	doc, err := os.ReadFile("../internal/netlab/testdata/cases/reject-icmp-source.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sim := load(t, 1, string(doc))
	for _, c := range []struct {
		from string
		via  netsim.Via
		want string
	}{
		{"external", netsim.ViaNodePort, "192.168.1.2"}, // the nodePort's own address
		{"node01", netsim.ViaNodePort, "192.168.1.2"},
		{"client", netsim.ViaNodePort, "192.168.1.2"},
		{"node01", netsim.ViaClusterIP, "192.168.1.2"}, // the node's own process
		{"client", netsim.ViaClusterIP, "10.244.0.1"},  // cni0, the way back to the Pod
	} {
		tr, err := sim.Trace(netsim.Request{Service: "orphan", From: c.from, Via: c.via})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Verdict != netsim.Rejected {
			t.Errorf("%s via %s: verdict %s, want rejected", c.from, c.via, tr.Verdict)
			continue
		}
		last := tr.Hops[len(tr.Hops)-1]
		if last.Action != netsim.ActReply || last.After.Src.Addr() != netip.MustParseAddr(c.want) {
			t.Errorf("%s via %s: last hop %s from %s, want a reply from %s", c.from, c.via, last.Action, last.After.Src.Addr(), c.want)
		}
	}
}

// TestNodeOwnNodePortRejected: a node's packet to its own nodePort leaves by filter OUTPUT and
// comes back by INPUT, where KUBE-EXTERNAL-SERVICES rejects a Service without endpoints.
func TestNodeOwnNodePortRejected(t *testing.T) {
	doc, err := os.ReadFile("../internal/netlab/testdata/cases/reject-icmp-source.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := load(t, 1, string(doc)).Trace(netsim.Request{Service: "orphan", From: "node01", Via: netsim.ViaNodePort})
	if err != nil {
		t.Fatal(err)
	}
	var reject *netsim.Hop
	for i := range tr.Hops {
		if tr.Hops[i].Action == netsim.ActReject {
			reject = &tr.Hops[i]
		}
	}
	want := `-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/orphan has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30090 -j REJECT --reject-with icmp-port-unreachable`
	if reject == nil || reject.Chain != "KUBE-EXTERNAL-SERVICES" || reject.Rule != want {
		t.Fatalf("verdict %s; want the REJECT in KUBE-EXTERNAL-SERVICES:\n%s\ngot hop %+v", tr.Verdict, want, reject)
	}
}

// TestNftNodeOwnNodePortRejected: in nftables mode too, a node's packet to its own nodePort
// comes back in through filter-input, where no-endpoint-nodeports rejects it.
func TestNftNodeOwnNodePortRejected(t *testing.T) {
	doc, err := os.ReadFile("../internal/netlab/testdata/cases/reject-icmp-source.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := load(t, 1, string(doc)).Trace(netsim.Request{Service: "orphan", From: "node01", Via: netsim.ViaNodePort, Mode: netsim.ModeNFTables})
	if err != nil {
		t.Fatal(err)
	}
	last := tr.Hops[len(tr.Hops)-1]
	if tr.Verdict != netsim.Rejected || last.Action != netsim.ActReply || last.After.Src.Addr() != netip.MustParseAddr("192.168.1.2") {
		t.Fatalf("verdict %s, last hop %s from %s; want rejected, ICMP from 192.168.1.2", tr.Verdict, last.Action, last.After.Src.Addr())
	}
}

// TestAffinityPerNode: a client's affinity entry lives in the kernel of the node its packet
// went through; another node's rules choose afresh.
func TestAffinityPerNode(t *testing.T) {
	doc, err := os.ReadFile("../internal/netlab/testdata/cases/affinity-per-node.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []netsim.ProxyMode{netsim.ModeIPTables, netsim.ModeNFTables} {
		sim := load(t, 2, string(doc))
		var b *model.Pod
		for _, pi := range sim.Pods {
			if pi.Pod.Name == "b" {
				b = pi.Pod
			}
		}
		req := netsim.Request{Service: "sticky", From: "external", Via: netsim.ViaNodePort, ToNode: "node01", Mode: mode, Endpoint: netsim.ChoosePod(b)}
		if _, err := sim.Trace(req); err != nil {
			t.Fatal(err)
		}
		affinityHit := func(tr *netsim.Trace) bool {
			for _, h := range tr.Hops {
				if h.Action == netsim.ActChoose && h.Narration == "choose.affinity" {
					return true
				}
			}
			return false
		}
		req.Endpoint = netsim.ChooseByRules()
		again, err := sim.Trace(req)
		if err != nil {
			t.Fatal(err)
		}
		if !affinityHit(again) || again.Endpoint.Pod != b {
			t.Errorf("%s: node01 again: want the affinity entry to send the client to b", mode)
		}
		req.ToNode = "node02"
		other, err := sim.Trace(req)
		if err != nil {
			t.Fatal(err)
		}
		if affinityHit(other) {
			t.Errorf("%s: node02 used node01's affinity entry; its own recent list is empty", mode)
		}
	}
}
