package model

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	sigsyaml "sigs.k8s.io/yaml"
)

// The benchmark dump: 1,000 Services and 1,000 Deployments of 5 replicas (5,000 Pods) in five
// namespaces, written as `kubectl get -o yaml` writes objects, separated by `---`. DESIGN §8
// compares loading it with bare sigs.k8s.io/yaml decoding of the same bytes.
const (
	benchServices   = 1000
	benchReplicas   = 5
	benchNamespaces = 5
)

var (
	benchOnce sync.Once
	benchData []byte
)

func benchDump() []byte {
	benchOnce.Do(func() { benchData = generateDump(benchServices, benchReplicas, benchNamespaces) })
	return benchData
}

// generateDump writes n Service/Deployment pairs. It is deterministic: the same arguments give
// the same bytes. Service i is ClusterIP, NodePort or LoadBalancer by i%3, its targetPort is
// named ("http") for even i and a number (8080) for odd i, and every fourth Service has a
// second port to the metrics container.
func generateDump(n, replicas, namespaces int) []byte {
	var b bytes.Buffer
	b.Grow(n * 2600)
	for i := 0; i < n; i++ {
		ns := fmt.Sprintf("team-%d", i%namespaces)
		app := fmt.Sprintf("app-%04d", i)
		if i > 0 {
			b.WriteString("---\n")
		}
		fmt.Fprintf(&b, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: %[1]s
  namespace: %[2]s
  labels:
    app.kubernetes.io/name: %[1]s
    app.kubernetes.io/part-of: shop
  annotations:
    deployment.kubernetes.io/revision: "3"
spec:
  replicas: %[3]d
  revisionHistoryLimit: 10
  selector:
    matchLabels:
      app: %[1]s
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%%, maxUnavailable: 25%%}
  template:
    metadata:
      labels:
        app: %[1]s
        tier: backend
        version: v%[4]d
    spec:
      containers:
      - name: server
        image: registry.example.com/shop/%[1]s:1.%[4]d.0
        imagePullPolicy: IfNotPresent
        args: ["--port=8080", "--metrics-port=9090"]
        env:
        - name: LOG_LEVEL
          value: info
        - name: POD_IP
          valueFrom:
            fieldRef: {fieldPath: status.podIP}
        ports:
        - name: http
          containerPort: 8080
          protocol: TCP
        - name: metrics
          containerPort: 9090
        readinessProbe:
          httpGet: {path: /healthz, port: http}
          periodSeconds: 10
        resources:
          requests: {cpu: 100m, memory: 128Mi}
          limits: {memory: 256Mi}
      - name: sidecar
        image: registry.example.com/proxy:2.1
        ports:
        - containerPort: 15001
      restartPolicy: Always
      terminationGracePeriodSeconds: 30
status:
  availableReplicas: %[3]d
  readyReplicas: %[3]d
  replicas: %[3]d
---
`, app, ns, replicas, i%7)
		typ := [...]string{"ClusterIP", "NodePort", "LoadBalancer"}[i%3]
		target := "http"
		if i%2 == 1 {
			target = "8080"
		}
		fmt.Fprintf(&b, `apiVersion: v1
kind: Service
metadata:
  name: %[1]s
  namespace: %[2]s
  labels:
    app.kubernetes.io/name: %[1]s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Service","metadata":{"name":"%[1]s"}}'
spec:
  type: %[3]s
  selector:
    app: %[1]s
  sessionAffinity: None
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: %[4]s
`, app, ns, typ, target)
		if typ != "ClusterIP" && i%2 == 0 {
			fmt.Fprintf(&b, "    nodePort: %d\n", NodePortMin+i)
		}
		if i%4 == 0 {
			b.WriteString("  - name: metrics\n    port: 9090\n    targetPort: metrics\n")
		}
		if typ != "ClusterIP" {
			b.WriteString("  externalTrafficPolicy: Cluster\n")
		}
	}
	return b.Bytes()
}

func TestBenchDumpLoads(t *testing.T) {
	data := benchDump()
	if !bytes.Equal(data, generateDump(benchServices, benchReplicas, benchNamespaces)) {
		t.Fatal("the generator is not deterministic")
	}
	c := LoadSources([]*Source{{Name: "dump.yaml", Data: data}}, Options{})
	if len(c.Services) != benchServices || len(c.Pods) != benchServices*benchReplicas || len(c.Workloads) != benchServices {
		t.Fatalf("%d Services, %d Pods, %d workloads", len(c.Services), len(c.Pods), len(c.Workloads))
	}
	noDiags(t, c)
	types := map[corev1.ServiceType]int{}
	for _, s := range c.Services {
		types[s.Type()]++
		for _, p := range s.Ports {
			if len(p.Endpoints) != benchReplicas {
				t.Fatalf("%s %s: %d endpoints", s.Ref(), p.Path(), len(p.Endpoints))
			}
		}
	}
	if types[corev1.ServiceTypeClusterIP] == 0 || types[corev1.ServiceTypeNodePort] == 0 || types[corev1.ServiceTypeLoadBalancer] == 0 {
		t.Errorf("types %v", types)
	}
	if docs := len(splitDump(data)); docs != 2*benchServices {
		t.Errorf("%d documents", docs)
	}
}

// splitDump cuts the dump at its separators, as cheaply as possible.
func splitDump(data []byte) [][]byte {
	docs := bytes.Split(data, []byte("\n---\n"))
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
