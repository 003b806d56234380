package netsim_test

import (
	"fmt"
	"path/filepath"
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
		if _, err := s.Nftables("node001"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTraceOneNftables(b *testing.B) {
	s := benchSim()
	req := netsim.Request{Service: "team-1/app-0005", Mode: netsim.ModeNFTables}
	tr, err := s.Trace(req) // builds node001's table
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

// TestSamplesBothModes: every port of every sample, every way in it has, from outside, a node
// and a Pod, ends the same way in both modes, with every narration filled in both languages.
func TestSamplesBothModes(t *testing.T) {
	files, _ := filepath.Glob("../samples/*.yaml")
	if len(files) == 0 {
		t.Fatal("no samples")
	}
	compared := 0
	for _, f := range files {
		s, _, _ := loadSample(t, filepath.Base(f), 2)
		for _, si := range s.Services {
			ref := si.Svc.Namespace + "/" + si.Svc.Name
			for _, p := range si.Svc.Ports {
				for _, via := range []netsim.Via{"", netsim.ViaNodePort, netsim.ViaClusterIP, netsim.ViaLB, netsim.ViaDNS} {
					for _, from := range []string{"", "node02"} {
						req := netsim.Request{Service: ref, Port: fmt.Sprintf("%d/%s", p.Port, p.Protocol), Via: via, From: from}
						ipt, err := s.Trace(req)
						if err != nil {
							continue // a way in this Service lacks
						}
						req.Mode = netsim.ModeNFTables
						nft := trace(t, s, req)
						compared++
						if ipt.Verdict != nft.Verdict {
							t.Errorf("%s %s %+v: iptables %s, nftables %s", filepath.Base(f), ref, req, ipt.Verdict, nft.Verdict)
						}
					}
				}
			}
		}
	}
	if compared < 50 {
		t.Errorf("only %d traces compared", compared)
	}
}
