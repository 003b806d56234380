// Package dumpgen writes large, realistic manifest dumps for svcviz's tests and benchmarks:
// Services of every type in front of Deployments and StatefulSets, spread over namespaces, with
// named and numeric target ports, written the way `kubectl get -o yaml` and Helm write them
// (probes, env, resources, status), with the Node objects of a cluster big enough to run their
// Pods, as `kubectl get nodes,namespaces,deployments,statefulsets,services -o yaml` lists them.
// The output depends only on the options, so benchmark runs compare like with like. It is not
// part of the shipped binary.
package dumpgen

import (
	"fmt"
	"strings"
)

// Options size a dump.
type Options struct {
	Services   int // number of Services, each with its own workload
	Replicas   int // Pods per workload (default 5)
	Namespaces int // spread over this many namespaces (default 4; the first is "default")
	// PodsPerNode sizes the cluster: one Node per this many Pods, rounded up (default 200; at
	// most 253, what a node's /24 pod subnet holds).
	PodsPerNode int
}

// Sizes are the dump sizes the benchmarks use.
var Sizes = []int{10, 100, 1000}

// Kinds of Service, chosen by the Service's index modulo 10 so every size has all of them:
// ClusterIP (numeric and named targetPort), session affinity, two ports, NodePort,
// LoadBalancer with externalTrafficPolicy Local, headless in front of a StatefulSet, and an
// ExternalName.
const (
	kindClusterIP = iota
	kindClusterIPNamed
	kindClusterIPNumeric
	kindAffinity
	kindMultiPort
	kindNodePort
	kindNodePortNamed
	kindLoadBalancer
	kindHeadless
	kindExternalName
)

// Generate returns a `---`-separated YAML stream. It panics when the cluster would need more
// nodes than MaxNodes (Nodes says how many it needs).
func Generate(o Options) []byte {
	o = o.withDefaults()
	var b strings.Builder
	b.Grow(o.Services * 3000)
	writeNodes(&b, Nodes(o))
	for i := 1; i < o.Namespaces; i++ {
		fmt.Fprintf(&b, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: %s\n---\n", namespace(i))
	}
	var np nodePorts
	for i := 0; i < o.Services; i++ {
		app := fmt.Sprintf("app-%04d", i)
		ns := namespace(i % o.Namespaces)
		kind := np.fit(i % 10)
		writeWorkload(&b, app, ns, o.Replicas, i, kind == kindHeadless)
		writeService(&b, app, ns, i, kind, &np)
	}
	return []byte(b.String())
}

// nodePortRange is the size of the API server's default --service-node-port-range, 30000-32767.
const nodePortRange = 32767 - 30000 + 1

// nodePorts keeps a dump's nodePorts unique, as a real cluster's are: written nodePorts are
// taken from the top of the range down, allocated ones (svcviz allocates from 30000 up) from
// the bottom, and once the range is full further NodePort and LoadBalancer Services are
// written as ClusterIP ones (about 6,900 Services in, since each ten use four nodePorts).
type nodePorts struct {
	used    int // nodePorts used, written or allocated
	written int // nodePorts written, from 32767 down
}

// fit returns kind, or kindClusterIP when the nodePorts kind needs are no longer free.
func (n *nodePorts) fit(kind int) int {
	need := 0
	switch kind {
	case kindNodePort, kindNodePortNamed:
		need = 1
	case kindLoadBalancer:
		need = 2
	}
	if n.used+need > nodePortRange {
		return kindClusterIP
	}
	n.used += need
	return kind
}

// next returns the next nodePort to write.
func (n *nodePorts) next() int {
	n.written++
	return 32767 - n.written + 1
}

func (o Options) withDefaults() Options {
	if o.Replicas <= 0 {
		o.Replicas = 5
	}
	if o.Namespaces <= 0 {
		o.Namespaces = 4
	}
	if o.PodsPerNode <= 0 || o.PodsPerNode > 253 {
		o.PodsPerNode = 200
	}
	return o
}

func namespace(i int) string {
	if i == 0 {
		return "default"
	}
	return fmt.Sprintf("team-%d", i)
}

func writeWorkload(b *strings.Builder, app, ns string, replicas, i int, stateful bool) {
	kind, extra := "Deployment", "  strategy:\n    type: RollingUpdate\n    rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}\n"
	if stateful {
		kind, extra = "StatefulSet", "  serviceName: "+app+"\n"
	}
	fmt.Fprintf(b, `apiVersion: apps/v1
kind: %[5]s
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
%[6]s  template:
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
        - name: admin
          containerPort: 15000
      restartPolicy: Always
      terminationGracePeriodSeconds: 30
status:
  availableReplicas: %[3]d
  readyReplicas: %[3]d
  replicas: %[3]d
---
`, app, ns, replicas, i%7, kind, extra)
}

func writeService(b *strings.Builder, app, ns string, i, kind int, np *nodePorts) {
	fmt.Fprintf(b, `apiVersion: v1
kind: Service
metadata:
  name: %[1]s
  namespace: %[2]s
  labels:
    app.kubernetes.io/name: %[1]s
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"apiVersion":"v1","kind":"Service","metadata":{"name":"%[1]s"}}'
spec:
`, app, ns)
	selector := "  selector:\n    app: " + app + "\n"
	switch kind {
	case kindClusterIP, kindClusterIPNumeric:
		b.WriteString(selector + "  ports:\n  - port: 80\n    targetPort: 8080\n")
	case kindClusterIPNamed:
		b.WriteString(selector + "  ports:\n  - port: 80\n    targetPort: http\n")
	case kindAffinity:
		b.WriteString(selector + "  sessionAffinity: ClientIP\n  ports:\n  - port: 80\n    targetPort: http\n")
	case kindMultiPort:
		b.WriteString(selector + "  ports:\n  - name: http\n    port: 80\n    targetPort: http\n  - name: metrics\n    port: 9090\n    targetPort: metrics\n")
	case kindNodePort:
		b.WriteString("  type: NodePort\n" + selector + "  ports:\n  - port: 80\n    targetPort: 8080\n")
	case kindNodePortNamed:
		// Every other one has its nodePort written, as in a real dump; the rest are allocated.
		fmt.Fprintf(b, "  type: NodePort\n%s  ports:\n  - port: 80\n    targetPort: http\n    nodePort: %d\n", selector, np.next())
	case kindLoadBalancer:
		b.WriteString("  type: LoadBalancer\n  externalTrafficPolicy: Local\n" + selector +
			"  ports:\n  - name: http\n    port: 80\n    targetPort: http\n  - name: metrics\n    port: 9090\n    targetPort: 9090\n")
	case kindHeadless:
		b.WriteString("  clusterIP: None\n" + selector + "  ports:\n  - port: 8080\n")
	case kindExternalName:
		fmt.Fprintf(b, "  type: ExternalName\n  externalName: %s.example.com\n", app)
	}
	b.WriteString("---\n")
}
