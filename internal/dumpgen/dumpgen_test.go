package dumpgen_test

import (
	"bytes"
	"testing"

	"github.com/svcviz/svcviz/internal/dumpgen"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

func TestGenerateIsDeterministicAndValid(t *testing.T) {
	o := dumpgen.Options{Services: 100}
	a, b := dumpgen.Generate(o), dumpgen.Generate(o)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same options differ")
	}
	c := model.LoadSources([]*model.Source{{Name: "dump.yaml", Data: a}}, model.Options{})
	if len(c.Services) != 100 || len(c.Pods) != 500 {
		t.Fatalf("%d Services and %d Pods, want 100 and 500", len(c.Services), len(c.Pods))
	}
	for _, d := range c.Diagnostics {
		if d.Severity != model.Info {
			t.Errorf("generated dump has %s %s: %s", d.Severity, d.Code, d.Message)
		}
	}
	types := map[string]int{}
	for _, s := range c.Services {
		types[string(s.Type())]++
		for _, p := range s.Ports {
			if len(p.Endpoints) != 5 && s.Type() != "ExternalName" {
				t.Errorf("%s port %s: %d endpoints, want 5", s.Name, p.Name, len(p.Endpoints))
			}
		}
	}
	want := map[string]int{"ClusterIP": 60, "NodePort": 20, "LoadBalancer": 10, "ExternalName": 10}
	for typ, n := range want {
		if types[typ] != n {
			t.Errorf("%d %s Services, want %d", types[typ], typ, n)
		}
	}
}

// TestLargeDumpNodePortsUnique checks that no nodePort is written twice and that the nodePort
// Services fit the default range, so a 20,000-Service dump loads without duplicate-node-port
// errors.
func TestLargeDumpNodePortsUnique(t *testing.T) {
	data := dumpgen.Generate(dumpgen.Options{Services: 20000, Replicas: 1})
	seen := map[string]bool{}
	needed := 0
	for _, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		switch {
		case bytes.HasPrefix(line, []byte("nodePort: ")):
			if seen[string(line)] {
				t.Fatalf("%s written twice", line)
			}
			seen[string(line)] = true
		case bytes.Equal(line, []byte("type: NodePort")):
			needed++
		case bytes.Equal(line, []byte("type: LoadBalancer")):
			needed += 2
		}
	}
	if needed > 32767-30000+1 || needed < 2700 {
		t.Errorf("%d nodePorts needed, the range holds %d", needed, 32767-30000+1)
	}
}

// TestLargeDumpLoadsClean loads a dump past the size where allocated nodePorts ran out, with
// the simulation's allocation of the nodePorts left out. Its 7,500 Pods need 30 nodes: a node's
// /24 holds 253.
func TestLargeDumpLoadsClean(t *testing.T) {
	const nodes = 30
	c := model.LoadSources([]*model.Source{{Name: "dump.yaml", Data: dumpgen.Generate(dumpgen.Options{Services: 7500, Replicas: 1})}}, model.Options{Nodes: netsim.NodeNames(nodes)})
	for _, d := range netsim.New(c, netsim.Config{Nodes: nodes}).Diagnostics {
		if d.Severity != model.Info {
			t.Fatalf("generated dump has %s %s: %s", d.Severity, d.Code, d.Message)
		}
	}
}
