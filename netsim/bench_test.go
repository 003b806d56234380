package netsim_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/svcviz/svcviz/internal/dumpgen"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// The generated dump (internal/dumpgen): benchServices Services of every kind, each with a
// workload of 5 replicas behind it, over four namespaces (DESIGN §8's 1,000 Services / 5,000
// Pods), with the Node objects of its 25 nodes (200 Pods a node), which svcviz takes as the
// cluster's nodes (node001..node025). The same bytes every run.
const (
	benchServices = 1000
	benchNodes    = 25
)

var benchCluster = sync.OnceValue(func() *model.Cluster {
	data := dumpgen.Generate(dumpgen.Options{Services: benchServices})
	return model.LoadSources([]*model.Source{{Name: "dump.yaml", Data: data}}, model.Options{Nodes: netsim.NodeNames(1)})
})

func benchSim() *netsim.Sim {
	return netsim.New(benchCluster(), netsim.Config{})
}

// portRequests is one request per Service port of the dump, each the natural way in.
func portRequests(s *netsim.Sim) []netsim.Request {
	var reqs []netsim.Request
	for _, si := range s.Services {
		ref := si.Svc.Namespace + "/" + si.Svc.Name
		if len(si.Svc.Ports) == 0 {
			reqs = append(reqs, netsim.Request{Service: ref})
		}
		for _, p := range si.Svc.Ports {
			req := netsim.Request{Service: ref, Port: fmt.Sprint(p.Port)}
			// externalTrafficPolicy: Local answers only on a node that runs an endpoint.
			if si.Svc.Obj.Spec.ExternalTrafficPolicy == "Local" && len(p.Endpoints) > 0 {
				if _, node := s.EndpointAddr(p.Endpoints[0]); node != "" {
					req.ToNode = node
				}
			}
			reqs = append(reqs, req)
		}
	}
	return reqs
}

// TestGeneratedDump checks the benchmark's input is what it says, and that every port of it
// traces to an end that makes sense.
func TestGeneratedDump(t *testing.T) {
	c := benchCluster()
	if len(c.Services) != benchServices || len(c.Pods) != 5*benchServices {
		t.Fatalf("%d Services, %d Pods; want %d and %d", len(c.Services), len(c.Pods), benchServices, 5*benchServices)
	}
	if model.HasErrors(c.Diagnostics) {
		t.Fatalf("the dump has errors: %+v", c.Diagnostics[0])
	}
	s := benchSim()
	if len(s.Nodes) != benchNodes || s.Nodes[0].Name != "node001" {
		t.Errorf("%d nodes from node %s, want %d from node001", len(s.Nodes), s.Nodes[0].Name, benchNodes)
	}
	for _, d := range s.Diagnostics { // every Pod has an address: no pod-subnet-full
		if d.Severity != model.Info {
			t.Errorf("the dump has %s %s: %s", d.Severity, d.Code, d.Message)
		}
	}
	reqs := portRequests(s)
	if len(reqs) != 1200 {
		t.Errorf("%d Service ports, want 1200", len(reqs))
	}
	verdicts := map[netsim.Verdict]int{}
	for _, req := range reqs {
		tr, err := s.Trace(req)
		if err != nil {
			t.Fatalf("%+v: %v", req, err)
		}
		verdicts[tr.Verdict]++
	}
	// externalTrafficPolicy: Local is sent to a node that runs an endpoint, so every port
	// delivers; ExternalName answers.
	want := map[netsim.Verdict]int{netsim.Delivered: 1100, netsim.Answered: 100}
	if fmt.Sprint(verdicts) != fmt.Sprint(want) {
		t.Errorf("verdicts %v, want %v", verdicts, want)
	}
	checkNarration(t, trace(t, s, reqs[len(reqs)-1]))
}

func BenchmarkNew(b *testing.B) {
	c := benchCluster()
	b.ReportAllocs()
	for b.Loop() {
		netsim.New(c, netsim.Config{})
	}
}

func BenchmarkRules(b *testing.B) {
	benchCluster()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s := benchSim()
		b.StartTimer()
		if _, err := s.Rules("node001"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTraceOne(b *testing.B) {
	s := benchSim()
	req := netsim.Request{Service: "team-1/app-0005"} // a NodePort Service
	tr, err := s.Trace(req)                           // builds node001's rules
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

func BenchmarkTraceAllPorts(b *testing.B) {
	s := benchSim()
	reqs := portRequests(s)
	for _, req := range reqs { // builds every node's rules and sets affinity entries
		if _, err := s.Trace(req); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, req := range reqs {
			if _, err := s.Trace(req); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(reqs)), "ns/trace")
}
