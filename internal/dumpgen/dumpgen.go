// Package dumpgen writes large, realistic manifest dumps for svcviz's tests and benchmarks:
// Services of every type in front of Deployments and StatefulSets, spread over namespaces, with
// named and numeric target ports. The output depends only on the options, so benchmark runs
// compare like with like. It is not part of the shipped binary.
package dumpgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Options size a dump.
type Options struct {
	Services   int   // number of Services (and of workloads behind them)
	Replicas   int   // Pods per workload (default 5)
	Namespaces int   // spread over this many namespaces (default 4)
	Seed       int64 // varies types and port styles
}

// Sizes are the dump sizes the benchmarks use.
var Sizes = []int{10, 100, 1000}

// Generate returns a `---`-separated YAML stream, as `kubectl get -o yaml` of many objects
// would be split into documents.
func Generate(o Options) []byte {
	if o.Replicas <= 0 {
		o.Replicas = 5
	}
	if o.Namespaces <= 0 {
		o.Namespaces = 4
	}
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 42))
	var b strings.Builder
	b.Grow(o.Services * 1600)
	nodePort := 30000
	for i := 0; i < o.Services; i++ {
		app := fmt.Sprintf("app-%04d", i)
		ns := fmt.Sprintf("team-%d", i%o.Namespaces)
		named := rng.IntN(2) == 0
		stateful := i%10 == 9
		writeWorkload(&b, app, ns, o.Replicas, named, stateful)
		typ := serviceType(rng)
		writeService(&b, app, ns, typ, named, &nodePort)
	}
	return []byte(b.String())
}

func serviceType(rng *rand.Rand) string {
	switch n := rng.IntN(10); {
	case n < 6:
		return "ClusterIP"
	case n < 9:
		return "NodePort"
	}
	return "LoadBalancer"
}

func writeWorkload(b *strings.Builder, app, ns string, replicas int, named, stateful bool) {
	kind := "Deployment"
	extra := ""
	if stateful {
		kind, extra = "StatefulSet", "  serviceName: "+app+"\n"
	}
	portName := ""
	if named {
		portName = "        - name: http\n          containerPort: 8080\n          protocol: TCP\n"
	} else {
		portName = "        - containerPort: 8080\n          protocol: TCP\n"
	}
	fmt.Fprintf(b, `apiVersion: apps/v1
kind: %s
metadata:
  name: %s
  namespace: %s
  labels:
    app.kubernetes.io/name: %s
spec:
  replicas: %d
%s  selector:
    matchLabels:
      app: %s
  template:
    metadata:
      labels:
        app: %s
        tier: backend
    spec:
      containers:
      - name: server
        image: registry.example.com/%s:1.0
        ports:
%s        - name: metrics
          containerPort: 9090
          protocol: TCP
      - name: sidecar
        image: registry.example.com/proxy:2.3
        ports:
        - name: admin
          containerPort: 15000
---
`, kind, app, ns, app, replicas, extra, app, app, app, portName)
}

func writeService(b *strings.Builder, app, ns, typ string, named bool, nodePort *int) {
	target := "8080"
	if named {
		target = "http"
	}
	np := ""
	if typ != "ClusterIP" && *nodePort <= 32767 {
		np = fmt.Sprintf("\n    nodePort: %d", *nodePort)
		*nodePort++
	}
	fmt.Fprintf(b, `apiVersion: v1
kind: Service
metadata:
  name: %s
  namespace: %s
spec:
  type: %s
  selector:
    app: %s
  ports:
  - name: http
    port: 80
    targetPort: %s%s
  - name: metrics
    port: 9090
    targetPort: metrics
---
`, app, ns, typ, app, target, np)
}
