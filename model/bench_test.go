package model

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	"github.com/svcviz/svcviz/internal/dumpgen"
	yaml "go.yaml.in/yaml/v3"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	sigsyaml "sigs.k8s.io/yaml"
)

// The benchmark dump (internal/dumpgen): 1,000 Services of every type, each in front of a
// workload of 5 replicas (5,000 Pods), in four namespaces, written as `kubectl get -o yaml`
// writes objects and separated by `---`, with the Node objects of the 25 nodes that run them
// (200 Pods a node). DESIGN §8 compares loading it with bare
// sigs.k8s.io/yaml decoding of the same bytes.
const (
	benchServices = 1000
	benchReplicas = 5
)

var benchDump = sync.OnceValue(func() []byte {
	return dumpgen.Generate(dumpgen.Options{Services: benchServices, Replicas: benchReplicas})
})

func TestBenchDumpLoads(t *testing.T) {
	data := benchDump()
	c := LoadSources([]*Source{{Name: "dump.yaml", Data: data}}, Options{})
	if len(c.Services) != benchServices || len(c.Pods) != benchServices*benchReplicas || len(c.Workloads) != benchServices {
		t.Fatalf("%d Services, %d Pods, %d workloads", len(c.Services), len(c.Pods), len(c.Workloads))
	}
	noDiags(t, c)
	types := map[corev1.ServiceType]int{}
	for _, s := range c.Services {
		types[s.Type()]++
		for _, p := range s.Ports {
			if len(p.Endpoints) != benchReplicas && s.Type() != corev1.ServiceTypeExternalName {
				t.Fatalf("%s %s: %d endpoints", s.Ref(), p.Path(), len(p.Endpoints))
			}
		}
	}
	if types[corev1.ServiceTypeClusterIP] == 0 || types[corev1.ServiceTypeNodePort] == 0 || types[corev1.ServiceTypeLoadBalancer] == 0 {
		t.Errorf("types %v", types)
	}
	if len(c.Nodes) != 25 || len(c.NodeObjects) != 25 {
		t.Errorf("%d nodes, %d Node objects, want 25", len(c.Nodes), len(c.NodeObjects))
	}
	if docs := len(splitDump(data)); docs != 2*benchServices+3+25 { // Services, workloads, Namespaces, Nodes
		t.Errorf("%d documents", docs)
	}
}

// splitDump cuts the dump at its separators, as cheaply as possible.
func splitDump(data []byte) [][]byte {
	var docs [][]byte
	for _, d := range bytes.Split(data, []byte("\n---\n")) {
		if len(bytes.TrimSpace(d)) > 0 && !bytes.Equal(bytes.TrimSpace(d), []byte("---")) {
			docs = append(docs, d)
		}
	}
	return docs
}

// docKind reads the kind line of a generated document.
func docKind(doc []byte) string {
	i := bytes.Index(doc, []byte("\nkind: "))
	if i < 0 {
		return ""
	}
	rest := doc[i+len("\nkind: "):]
	if j := bytes.IndexByte(rest, '\n'); j >= 0 {
		rest = rest[:j]
	}
	return strings.TrimSpace(string(rest))
}

// BenchmarkDecodeBaseline is what any loader must do at least: decode every document of the
// dump into its typed object with sigs.k8s.io/yaml.
func BenchmarkDecodeBaseline(b *testing.B) {
	data := benchDump()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, doc := range splitDump(data) {
			var obj any
			switch docKind(doc) {
			case "Service":
				obj = &corev1.Service{}
			case "Deployment":
				obj = &appsv1.Deployment{}
			case "StatefulSet":
				obj = &appsv1.StatefulSet{}
			case "Namespace":
				obj = &corev1.Namespace{}
			case "Node":
				obj = &corev1.Node{}
			default:
				b.Fatalf("unexpected document %.40q", doc)
			}
			if err := sigsyaml.Unmarshal(doc, obj); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkLoad is svcviz's loader on the same bytes: decoding with positions, defaults,
// validation, expansion into 5,000 Pods, selection and endpoints.
func BenchmarkLoad(b *testing.B) {
	data := benchDump()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		c := LoadSources([]*Source{{Name: "dump.yaml", Data: data}}, Options{})
		if len(c.Services) != benchServices {
			b.Fatal(len(c.Services))
		}
	}
}

// BenchmarkParseFloor is the floor of issue 13: go.yaml.in/yaml/v3 parsing every document of the
// dump into its node tree, and nothing else.
func BenchmarkParseFloor(b *testing.B) {
	data := benchDump()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, doc := range splitDump(data) {
			var n yaml.Node
			if err := yaml.Unmarshal(doc, &n); err != nil {
				b.Fatal(err)
			}
		}
	}
}
