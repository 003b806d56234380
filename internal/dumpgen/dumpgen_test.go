package dumpgen_test

import (
	"bytes"
	"net/netip"
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
	c := model.LoadSources([]*model.Source{{Name: "dump.yaml", Data: a}}, model.Options{Nodes: netsim.NodeNames(1)})
	if len(c.Services) != 100 || len(c.Pods) != 500 {
		t.Fatalf("%d Services and %d Pods, want 100 and 500", len(c.Services), len(c.Pods))
	}
	// 500 Pods at 200 a node: three Node objects, and the cluster is exactly those nodes.
	if len(c.NodeObjects) != 3 || len(c.Nodes) != 3 || c.Nodes[0] != "node001" || c.Nodes[2] != "node003" {
		t.Fatalf("Node objects %d, nodes %v; want node001..node003", len(c.NodeObjects), c.Nodes)
	}
	s := netsim.New(c, netsim.Config{})
	for _, d := range s.Diagnostics {
		if d.Severity != model.Info {
			t.Errorf("generated dump has %s %s: %s", d.Severity, d.Code, d.Message)
		}
	}
	wantNodes := map[string]string{"node001": "10.0.0.11 10.244.0.0/24", "node003": "10.0.0.13 10.244.2.0/24"}
	for name, want := range wantNodes {
		if n := s.Node(name); n == nil || n.IP.String()+" "+n.PodCIDR.String() != want {
			t.Errorf("%s: %+v, want %s", name, n, want)
		}
	}
	perNode := map[string]int{}
	for _, p := range s.Pods {
		if !p.IP.IsValid() || !p.Node.PodCIDR.Contains(p.IP) {
			t.Fatalf("Pod %s: address %v not in %s's subnet", p.Pod.Name, p.IP, p.Node.Name)
		}
		perNode[p.Node.Name]++
	}
	if perNode["node001"] != 167 || perNode["node003"] != 166 {
		t.Errorf("Pods per node %v, want 167, 167, 166 (round-robin)", perNode)
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
	// The LoadBalancer IPs svcviz hands out from 10.0.0.240 up must stay in the first rack's
	// /22, which holds no node past 10.0.0.239.
	lbs := bytes.Count(data, []byte("type: LoadBalancer"))
	if lbs > 16+3*256 {
		t.Errorf("%d LoadBalancer Services, the first rack's spare addresses hold %d", lbs, 16+3*256)
	}
}

// TestLargeClusterAddresses builds a dump of more than 512 nodes (one Pod a node): the pod
// network widens to a /14 that svcviz is told of, every node has its own address and /24, no
// LoadBalancer IP is a node's, and the dump loads without a warning.
func TestLargeClusterAddresses(t *testing.T) {
	o := dumpgen.Options{Services: 300, Replicas: 2, PodsPerNode: 1}
	if n, cidr := dumpgen.Nodes(o), dumpgen.PodCIDR(o); n != 600 || cidr != "10.244.0.0/14" {
		t.Fatalf("%d nodes in %s, want 600 in 10.244.0.0/14", n, cidr)
	}
	if f := dumpgen.SvcvizFlags(o); len(f) != 2 || f[0] != "--pod-cidr" || f[1] != "10.244.0.0/14" {
		t.Fatalf("svcviz flags %q", f)
	}
	if f := dumpgen.SvcvizFlags(dumpgen.Options{Services: 1000}); f != nil {
		t.Errorf("1,000 Services (25 nodes) need no flags, got %q", f)
	}
	c := model.LoadSources([]*model.Source{{Name: "dump.yaml", Data: dumpgen.Generate(o)}}, model.Options{Nodes: netsim.NodeNames(1)})
	s := netsim.New(c, netsim.Config{PodCIDR: netip.MustParsePrefix("10.244.0.0/14")})
	for _, d := range s.Diagnostics {
		if d.Severity != model.Info {
			t.Fatalf("generated dump has %s %s: %s", d.Severity, d.Code, d.Message)
		}
	}
	if len(s.Nodes) != 600 {
		t.Fatalf("%d nodes, want 600", len(s.Nodes))
	}
	owner := map[netip.Addr]string{}
	subnets := map[netip.Prefix]bool{}
	for _, n := range s.Nodes {
		if owner[n.IP] != "" || subnets[n.PodCIDR] {
			t.Fatalf("%s: address %s or subnet %s taken twice", n.Name, n.IP, n.PodCIDR)
		}
		owner[n.IP], subnets[n.PodCIDR] = n.Name, true
	}
	// node230 opens the second rack; node600 has the 600th /24.
	if n := s.Node("node230"); n.IP.String() != "10.0.4.11" {
		t.Errorf("node230 at %s, want 10.0.4.11", n.IP)
	}
	if n := s.Node("node600"); n.PodCIDR.String() != "10.246.87.0/24" {
		t.Errorf("node600's pod subnet %s, want 10.246.87.0/24", n.PodCIDR)
	}
	for _, si := range s.Services {
		for _, ip := range si.LBIPs {
			if owner[ip] != "" {
				t.Errorf("%s's LoadBalancer IP %s is %s's address", si.Svc.Name, ip, owner[ip])
			}
		}
	}
	if owner[s.Config.ClientIP] != "" {
		t.Errorf("the client %s is a node's address", s.Config.ClientIP)
	}
}

// TestLargeDumpLoadsClean loads a dump past the size where allocated nodePorts ran out. Its
// 7,500 Pods run on the dump's own 38 nodes (200 a node), as svcviz loads it by default.
func TestLargeDumpLoadsClean(t *testing.T) {
	c := model.LoadSources([]*model.Source{{Name: "dump.yaml", Data: dumpgen.Generate(dumpgen.Options{Services: 7500, Replicas: 1})}}, model.Options{Nodes: netsim.NodeNames(1)})
	s := netsim.New(c, netsim.Config{})
	if len(s.Nodes) != 38 {
		t.Errorf("%d nodes, want 38", len(s.Nodes))
	}
	for _, d := range s.Diagnostics {
		if d.Severity != model.Info {
			t.Fatalf("generated dump has %s %s: %s", d.Severity, d.Code, d.Message)
		}
	}
}
