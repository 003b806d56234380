package netlab

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Generated is one random cluster: its manifest and the number of nodes to simulate.
type Generated struct {
	Name  string
	Nodes int
	YAML  string
}

// Generate makes cluster i of the corpus seeded by seed: 1–3 nodes; 1–3 Services of random
// types with 1–2 ports (TCP, UDP, SCTP; numeric and named targetPorts); Pods behind them from
// bare Pods pinned to nodes or Deployments spread by svcviz, with 0–3 replicas (0: no
// endpoints); externalTrafficPolicy and internalTrafficPolicy Local, session affinity,
// loadBalancerSourceRanges that admit the client or not; Pods that declare the wrong port or
// protocol, or none, or are not Ready; and a client Pod. The same (seed, i) always gives the same cluster.
func Generate(seed int64, i int) Generated {
	g := &gen{rng: rand.New(rand.NewPCG(uint64(seed), uint64(i))), b: &strings.Builder{}}
	nodes := 1 + g.rng.IntN(3)
	g.nodes = nodes
	nsvc := 1 + g.rng.IntN(3)
	for s := 0; s < nsvc; s++ {
		g.service(s)
	}
	g.pod("client", "app: client", nil, g.node())
	return Generated{Name: fmt.Sprintf("generated seed %d cluster %d", seed, i), Nodes: nodes, YAML: g.b.String()}
}

type gen struct {
	rng   *rand.Rand
	b     *strings.Builder
	nodes int
}

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

func (g *gen) pick(s ...string) string { return s[g.rng.IntN(len(s))] }

// node is a spec.nodeName, or "" to let svcviz place the Pod.
func (g *gen) node() string {
	if g.chance(0.3) {
		return ""
	}
	return fmt.Sprintf("node%02d", 1+g.rng.IntN(g.nodes))
}

type genPort struct {
	name, proto string
	port        int
	target      string // number or name
	targetNum   int
}

func (g *gen) ports(s int) []genPort {
	n := 1 + g.rng.IntN(2)
	var out []genPort
	used := map[string]bool{}
	for len(out) < n {
		p := genPort{proto: g.pick("TCP", "TCP", "TCP", "UDP", "UDP", "SCTP")}
		p.port = []int{80, 443, 53, 8080, 9000 + g.rng.IntN(100)}[g.rng.IntN(5)]
		if used[fmt.Sprint(p.port, p.proto)] {
			continue
		}
		used[fmt.Sprint(p.port, p.proto)] = true
		if n > 1 || g.chance(0.5) {
			p.name = fmt.Sprintf("p%d-%s", len(out), strings.ToLower(p.proto))
		}
		p.targetNum = p.port
		if g.chance(0.5) {
			p.targetNum = 1024 + g.rng.IntN(8000)
		}
		p.target = fmt.Sprint(p.targetNum)
		if g.chance(0.3) {
			p.target = fmt.Sprintf("t%d%s", s, p.name)
			if p.name == "" {
				p.target = fmt.Sprintf("t%dp%d", s, len(out))
			}
		}
		out = append(out, p)
	}
	return out
}

func (g *gen) service(s int) {
	ns := "default"
	if g.chance(0.2) {
		ns = "team-b"
	}
	typ := g.pick("ClusterIP", "NodePort", "NodePort", "LoadBalancer")
	ports := g.ports(s)
	b := g.b
	fmt.Fprintf(b, "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc%d\n  namespace: %s\nspec:\n  type: %s\n  selector:\n    app: svc%d\n", s, ns, typ, s)
	if typ != "ClusterIP" && g.chance(0.35) {
		b.WriteString("  externalTrafficPolicy: Local\n")
	}
	if g.chance(0.2) {
		b.WriteString("  internalTrafficPolicy: Local\n")
	}
	if g.chance(0.25) {
		b.WriteString("  sessionAffinity: ClientIP\n")
	}
	if typ == "LoadBalancer" && g.chance(0.4) {
		fmt.Fprintf(b, "  loadBalancerSourceRanges:\n    - %s\n", g.pick("192.168.1.10/32", "10.0.0.0/8"))
	}
	b.WriteString("  ports:\n")
	for _, p := range ports {
		b.WriteString("    - port: " + fmt.Sprint(p.port) + "\n      protocol: " + p.proto + "\n      targetPort: " + p.target + "\n")
		if p.name != "" {
			b.WriteString("      name: " + p.name + "\n")
		}
	}
	g.backends(s, ns, ports)
}

// backends are the Pods behind Service s: their container ports as the Service expects, or
// (sometimes) another port, another protocol, or none declared.
func (g *gen) backends(s int, ns string, ports []genPort) {
	replicas := g.rng.IntN(4)
	var decl []string
	seen := map[string]bool{}
	if !g.chance(0.1) {
		for _, p := range ports {
			num, proto := p.targetNum, p.proto
			switch {
			case g.chance(0.1):
				num++ // not where the Service sends
			case g.chance(0.1):
				proto = map[string]string{"TCP": "UDP", "UDP": "TCP", "SCTP": "TCP"}[proto]
			}
			if seen[fmt.Sprint(num, proto)] {
				continue
			}
			seen[fmt.Sprint(num, proto)] = true
			d := fmt.Sprintf("            - containerPort: %d\n              protocol: %s\n", num, proto)
			if strings.HasPrefix(p.target, "t") && !g.chance(0.1) {
				d += "              name: " + p.target + "\n"
			}
			decl = append(decl, d)
		}
	}
	labels := fmt.Sprintf("app: svc%d", s)
	if g.chance(0.5) {
		g.deployment(s, ns, replicas, labels, decl)
		return
	}
	for r := 0; r < replicas; r++ {
		g.podIn(ns, fmt.Sprintf("svc%d-pod%d", s, r), labels, decl, g.node())
	}
}

func (g *gen) pod(name, labels string, decl []string, node string) {
	g.podIn("default", name, labels, decl, node)
}

func (g *gen) podIn(ns, name, labels string, decl []string, node string) {
	fmt.Fprintf(g.b, "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: %s\n  namespace: %s\n  labels:\n    %s\nspec:\n", name, ns, labels)
	if node != "" {
		fmt.Fprintf(g.b, "  nodeName: %s\n", node)
	}
	g.b.WriteString("  containers:\n    - name: app\n      image: registry.k8s.io/e2e-test-images/agnhost:2.53\n")
	g.containerPorts(decl, "      ")
	if strings.HasPrefix(name, "svc") && g.chance(0.15) {
		// Running but not Ready: no endpoint, though its listener answers if reached.
		g.b.WriteString("status:\n  phase: Running\n  conditions:\n    - type: Ready\n      status: \"False\"\n")
	}
}

func (g *gen) deployment(s int, ns string, replicas int, labels string, decl []string) {
	fmt.Fprintf(g.b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc%d-deploy\n  namespace: %s\nspec:\n  replicas: %d\n  selector:\n    matchLabels:\n      %s\n  template:\n    metadata:\n      labels:\n        %s\n    spec:\n      containers:\n        - name: app\n          image: registry.k8s.io/e2e-test-images/agnhost:2.53\n", s, ns, replicas, labels, labels)
	g.containerPorts(decl, "          ")
}

// containerPorts writes the declarations, re-indented for where the container sits.
func (g *gen) containerPorts(decl []string, indent string) {
	if len(decl) == 0 {
		return
	}
	g.b.WriteString(indent + "ports:\n")
	for _, d := range decl {
		for _, line := range strings.Split(strings.TrimRight(d, "\n"), "\n") {
			g.b.WriteString(indent + strings.TrimPrefix(line, "          ") + "\n")
		}
	}
}
