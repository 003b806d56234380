package dumpgen_test

import (
	"bytes"
	"testing"

	"github.com/svcviz/svcviz/internal/dumpgen"
	"github.com/svcviz/svcviz/model"
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
