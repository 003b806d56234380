package netsim_test

import (
	"fmt"
	"testing"

	"github.com/svcviz/svcviz/netsim"
)

// TestGeneratedDumpNftables: every port of the 1,000-Service dump ends the same way in
// nftables mode as in iptables mode (the fates are the same; only the rules differ).
func TestGeneratedDumpNftables(t *testing.T) {
	s := benchSim()
	for _, req := range portRequests(s) {
		ipt, err := s.Trace(req)
		if err != nil {
			t.Fatal(err)
		}
		req.Mode = netsim.ModeNFTables
		nft, err := s.Trace(req)
		if err != nil {
			t.Fatal(err)
		}
		if ipt.Verdict != nft.Verdict || fmt.Sprint(ipt.Endpoint != nil) != fmt.Sprint(nft.Endpoint != nil) {
			t.Errorf("%s port %s: iptables %s, nftables %s", req.Service, req.Port, ipt.Verdict, nft.Verdict)
		}
	}
}

func BenchmarkNftables(b *testing.B) {
	benchCluster()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := benchSim()
		b.StartTimer()
		if _, err := s.Nftables("node01"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTraceOneNftables(b *testing.B) {
	s := benchSim()
	req := netsim.Request{Service: "team-1/app-0005", Mode: netsim.ModeNFTables}
	tr, err := s.Trace(req) // builds node01's table
	if err != nil || tr.Verdict != netsim.Delivered || tr.Request.Via != netsim.ViaNodePort {
		b.Fatalf("%v %+v", err, tr)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Trace(req); err != nil {
			b.Fatal(err)
		}
	}
}
