package netsim_test

import (
	"fmt"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// load builds a simulated cluster of n nodes from one inline YAML file named x.yaml.
func load(t testing.TB, nodes int, doc string) *netsim.Sim {
	t.Helper()
	return loadCfg(t, doc, netsim.Config{Nodes: nodes})
}

func loadCfg(t testing.TB, doc string, cfg netsim.Config) *netsim.Sim {
	t.Helper()
	n := max(cfg.Nodes, 1)
	// More than one node stands for --nodes on the command line: those nodes, plus any the
	// input names.
	c := model.LoadSources([]*model.Source{{Name: "x.yaml", Data: []byte(doc)}}, model.Options{Nodes: netsim.NodeNames(n), NodesGiven: n > 1})
	return netsim.New(c, cfg)
}

// lineOf is the 1-based line of the first line of data whose content (comments left out)
// contains s; a trailing "$" in s anchors it at the end of that content.
func lineOf(t testing.TB, data, s string) int {
	t.Helper()
	anchored := strings.HasSuffix(s, "$")
	s = strings.TrimSuffix(s, "$")
	for i, l := range strings.Split(data, "\n") {
		if c := strings.Index(l, "#"); c >= 0 {
			l = l[:c]
		}
		l = strings.TrimRight(l, " ")
		if anchored && strings.HasSuffix(l, s) || !anchored && strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%q not in the input", s)
	return 0
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func pod(t testing.TB, s *netsim.Sim, name string) *netsim.PodInfo {
	t.Helper()
	for _, pi := range s.Pods {
		if pi.Pod.Name == name {
			return pi
		}
	}
	t.Fatalf("no Pod %q", name)
	return nil
}

func svc(t testing.TB, s *netsim.Sim, ref string) *netsim.ServiceInfo {
	t.Helper()
	si, err := s.FindService(ref)
	if err != nil {
		t.Fatal(err)
	}
	return si
}

func diagsWith(s *netsim.Sim, code string) []model.Diagnostic {
	var out []model.Diagnostic
	for _, d := range s.Diagnostics {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

func TestNodeNames(t *testing.T) {
	for n, want := range map[int][]string{
		-1: {"node01"},
		0:  {"node01"},
		1:  {"node01"},
		3:  {"node01", "node02", "node03"},
	} {
		if got := netsim.NodeNames(n); !reflect.DeepEqual(got, want) {
			t.Errorf("NodeNames(%d) = %v, want %v", n, got, want)
		}
	}
	if got := netsim.NodeNames(12)[11]; got != "node12" {
		t.Errorf("NodeNames(12)[11] = %q, want node12", got)
	}
}

func TestNodeAddresses(t *testing.T) {
	s := load(t, 3, "")
	want := []struct{ name, ip, cidr, bridge string }{
		{"node01", "192.168.1.2", "10.244.0.0/24", "10.244.0.1"},
		{"node02", "192.168.1.3", "10.244.1.0/24", "10.244.1.1"},
		{"node03", "192.168.1.4", "10.244.2.0/24", "10.244.2.1"},
	}
	if len(s.Nodes) != len(want) {
		t.Fatalf("%d nodes, want %d", len(s.Nodes), len(want))
	}
	for i, w := range want {
		n := s.Nodes[i]
		if n.Name != w.name || n.IP != addr(w.ip) || n.PodCIDR != netip.MustParsePrefix(w.cidr) || n.Bridge != addr(w.bridge) {
			t.Errorf("node %d = %s %s %s %s, want %s %s %s %s", i, n.Name, n.IP, n.PodCIDR, n.Bridge, w.name, w.ip, w.cidr, w.bridge)
		}
		if s.Node(w.name) != n {
			t.Errorf("Node(%q) does not find it", w.name)
		}
	}
	if s.Node("node04") != nil {
		t.Error("Node(node04) found a node that does not exist")
	}
	if s.DNS != addr("10.96.0.10") || s.KubernetesIP != addr("10.96.0.1") {
		t.Errorf("DNS %s, kubernetes %s; want 10.96.0.10 and 10.96.0.1", s.DNS, s.KubernetesIP)
	}
}

func TestZeroConfigIsTheWorkedExample(t *testing.T) {
	s := loadCfg(t, "", netsim.Config{})
	if s.Config != netsim.DefaultConfig() {
		t.Errorf("Config = %+v, want DefaultConfig %+v", s.Config, netsim.DefaultConfig())
	}
	if len(s.Nodes) != 1 || s.Nodes[0].IP != addr("192.168.1.2") {
		t.Errorf("nodes = %+v, want node01 at 192.168.1.2", s.Nodes)
	}
}

func TestConfiguredNetworks(t *testing.T) {
	doc := `
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  selector: {app: a}
  ports: [{port: 80}]
`
	s := loadCfg(t, doc, netsim.Config{Nodes: 2, NodeIP: addr("10.0.0.20"), PodCIDR: netip.MustParsePrefix("172.16.0.0/16"), ServiceCIDR: netip.MustParsePrefix("10.100.0.0/16")})
	if s.Config.NodeNet != netip.MustParsePrefix("10.0.0.0/24") {
		t.Errorf("NodeNet = %s, want 10.0.0.0/24 (from the node IP)", s.Config.NodeNet)
	}
	if n := s.Nodes[1]; n.IP != addr("10.0.0.21") || n.PodCIDR != netip.MustParsePrefix("172.16.1.0/24") {
		t.Errorf("node02 = %s %s, want 10.0.0.21 172.16.1.0/24", n.IP, n.PodCIDR)
	}
	if ip := pod(t, s, "a").IP; ip != addr("172.16.0.2") {
		t.Errorf("Pod a at %s, want 172.16.0.2", ip)
	}
	if ip := svc(t, s, "s").ClusterIP; ip != addr("10.100.0.11") {
		t.Errorf("ClusterIP %s, want 10.100.0.11", ip)
	}
	if s.DNS != addr("10.100.0.10") || s.KubernetesIP != addr("10.100.0.1") {
		t.Errorf("DNS %s, kubernetes %s; want 10.100.0.10 and 10.100.0.1", s.DNS, s.KubernetesIP)
	}
}

const podsYAML = `
apiVersion: v1
kind: Pod
metadata: {name: a}
spec:
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: pinned}
spec:
  nodeName: node01
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: b}
spec:
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: host}
spec:
  hostNetwork: true
  containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: dumped}
spec:
  nodeName: node01
  containers: [{name: c, image: nginx}]
status:
  podIP: 10.244.0.3
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: elsewhere}
spec:
  nodeName: worker-9
  containers: [{name: c, image: nginx}]
status:
  hostIP: 10.1.2.3
`

func TestPodPlacementAndAddresses(t *testing.T) {
	s := load(t, 2, podsYAML)
	// Round-robin over node01, node02 in file order for Pods without spec.nodeName; a
	// status.podIP is kept and never handed out again; hostNetwork Pods take the node's IP.
	want := map[string][2]string{
		"a":         {"node01", "10.244.0.2"},
		"pinned":    {"node01", "10.244.0.4"}, // .3 belongs to "dumped"
		"b":         {"node02", "10.244.1.2"},
		"host":      {"node01", "192.168.1.2"},
		"dumped":    {"node01", "10.244.0.3"},
		"elsewhere": {"worker-9", "10.244.2.2"},
	}
	web := []string{"node02", "10.244.1.3", "node01", "10.244.0.5", "node02", "10.244.1.4"}
	if len(s.Pods) != 9 {
		t.Fatalf("%d Pods, want 9", len(s.Pods))
	}
	k := 0
	for i, pi := range s.Pods {
		if pi.Pod != s.Cluster.Pods[i] || s.PodInfo(pi.Pod) != pi {
			t.Errorf("Pods[%d] is not Cluster.Pods[%d]", i, i)
		}
		got := [2]string{pi.Node.Name, pi.IP.String()}
		if pi.Pod.Owner != nil {
			if w := [2]string{web[2*k], web[2*k+1]}; got != w {
				t.Errorf("replica %d (%s) on %v, want %v", k, pi.Pod.Name, got, w)
			}
			k++
			continue
		}
		if got != want[pi.Pod.Name] {
			t.Errorf("Pod %s on %v, want %v", pi.Pod.Name, got, want[pi.Pod.Name])
		}
	}
	if k != 3 {
		t.Errorf("%d replicas of web, want 3", k)
	}
	// A node named only by spec.nodeName joins the network after the configured ones, at its
	// status.hostIP, with the next pod subnet.
	n := s.Node("worker-9")
	if n == nil || n.IP != addr("10.1.2.3") || n.PodCIDR != netip.MustParsePrefix("10.244.2.0/24") || len(s.Nodes) != 3 {
		t.Errorf("worker-9 = %+v (of %d nodes), want 10.1.2.3 with 10.244.2.0/24 as the third node", n, len(s.Nodes))
	}
	if ds := diagsWith(s, model.CodeAddressOutside); len(ds) != 0 {
		t.Errorf("unexpected address diagnostics: %+v", ds)
	}
}

func TestPodIPsUniqueWhenDumpedIPsInterleave(t *testing.T) {
	doc := podsYAML + `
---
apiVersion: v1
kind: Pod
metadata: {name: late}
spec:
  nodeName: node02
  containers: [{name: c, image: nginx}]
status:
  podIP: 10.244.1.2
`
	s := load(t, 2, doc)
	seen := map[netip.Addr]string{}
	for _, pi := range s.Pods {
		if pi.Pod.Obj.Spec.HostNetwork {
			continue
		}
		if other, dup := seen[pi.IP]; dup {
			t.Errorf("Pods %s and %s share %s", other, pi.Pod.Name, pi.IP)
		}
		seen[pi.IP] = pi.Pod.Name
	}
	if ip := pod(t, s, "b").IP; ip != addr("10.244.1.3") {
		t.Errorf("Pod b at %s, want 10.244.1.3 (10.244.1.2 is written in Pod late's status)", ip)
	}
}

func TestPodIPOutsideThePodNetwork(t *testing.T) {
	doc := `apiVersion: v1
kind: Pod
metadata: {name: docker}
spec:
  containers: [{name: c, image: nginx}]
status:
  podIP: 172.17.0.5
---
apiVersion: v1
kind: Pod
metadata: {name: host}
spec:
  hostNetwork: true
  containers: [{name: c, image: nginx}]
status:
  podIP: 192.168.1.2
`
	s := load(t, 1, doc)
	ds := diagsWith(s, model.CodeAddressOutside)
	if len(ds) != 1 {
		t.Fatalf("address-outside-network diagnostics = %+v, want exactly one (not for the hostNetwork Pod)", ds)
	}
	d := ds[0]
	if d.Severity != model.Warning || d.Object != "Pod/default/docker" || d.Field != "status.podIP" || d.File != "x.yaml" || d.Line != lineOf(t, doc, "podIP: 172.17.0.5") {
		t.Errorf("diagnostic = %+v", d)
	}
	if !strings.Contains(d.Message, "172.17.0.5") || !strings.Contains(d.Message, "10.244.0.0/16") || d.Hint == "" {
		t.Errorf("message %q / hint %q should name the address and the network", d.Message, d.Hint)
	}
	if ip := pod(t, s, "docker").IP; ip != addr("172.17.0.5") {
		t.Errorf("Pod docker at %s, want its status.podIP 172.17.0.5", ip)
	}
	s = loadCfg(t, doc, netsim.Config{PodCIDR: netip.MustParsePrefix("172.17.0.0/16")})
	if ds := diagsWith(s, model.CodeAddressOutside); len(ds) != 0 {
		t.Errorf("with --pod-cidr 172.17.0.0/16: %+v, want none", ds)
	}
}

const servicesYAML = `
apiVersion: v1
kind: Service
metadata: {name: a}
spec:
  selector: {app: a}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: b}
spec:
  clusterIP: 10.96.0.11
  selector: {app: a}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: headless}
spec:
  clusterIP: None
  selector: {app: a}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: alias}
spec:
  type: ExternalName
  externalName: example.com
---
apiVersion: v1
kind: Service
metadata: {name: np}
spec:
  type: NodePort
  selector: {app: a}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: np-fixed}
spec:
  type: NodePort
  selector: {app: a}
  ports: [{port: 80, nodePort: 30000}]
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  selector: {app: a}
  ports:
    - {name: http, port: 80}
    - {name: https, port: 443, nodePort: 30001}
---
apiVersion: v1
kind: Service
metadata: {name: lb-status}
spec:
  type: LoadBalancer
  selector: {app: a}
  ports: [{port: 80}]
status:
  loadBalancer:
    ingress: [{ip: 203.0.113.7}]
---
apiVersion: v1
kind: Service
metadata: {name: lb-hostname}
spec:
  type: LoadBalancer
  selector: {app: a}
  ports: [{port: 80}]
status:
  loadBalancer:
    ingress: [{hostname: lb.example.com}]
---
apiVersion: v1
kind: Service
metadata: {name: lb-proxy}
spec:
  type: LoadBalancer
  selector: {app: a}
  ports: [{port: 80}]
status:
  loadBalancer:
    ingress: [{ip: 198.51.100.9, ipMode: Proxy}, {ip: 203.0.113.8, ipMode: VIP}]
`

func TestServiceAddresses(t *testing.T) {
	s := load(t, 1, servicesYAML)
	if model.HasErrors(s.Diagnostics) {
		t.Fatalf("unexpected errors: %+v", s.Diagnostics)
	}
	type want struct {
		clusterIP string
		nodePorts []int32
		lb        []string
	}
	wants := map[string]want{
		"a":         {"10.96.0.12", []int32{0}, nil}, // .11 is b's, written in the YAML
		"b":         {"10.96.0.11", []int32{0}, nil},
		"headless":  {"invalid IP", []int32{0}, nil},
		"alias":     {"invalid IP", []int32{}, nil},
		"np":        {"10.96.0.13", []int32{30002}, nil}, // 30000, 30001 are written in the YAML
		"np-fixed":  {"10.96.0.14", []int32{30000}, nil},
		"lb":        {"10.96.0.15", []int32{30003, 30001}, []string{"192.168.1.240"}},
		"lb-status": {"10.96.0.16", []int32{30004}, []string{"203.0.113.7"}},
		// A status that lists ingress is the controller's answer (DESIGN: the pool only
		// "unless status.loadBalancer is set"); kube-proxy serves none of a hostname, nor
		// an address of ipMode Proxy (newBaseServiceInfo, pkg/proxy/serviceport.go).
		"lb-hostname": {"10.96.0.17", []int32{30005}, nil},
		"lb-proxy":    {"10.96.0.18", []int32{30006}, []string{"203.0.113.8"}},
	}
	if len(s.Services) != len(wants) {
		t.Fatalf("%d Services, want %d", len(s.Services), len(wants))
	}
	for i, si := range s.Services {
		if si.Svc != s.Cluster.Services[i] {
			t.Errorf("Services[%d] is not Cluster.Services[%d]", i, i)
		}
		w := wants[si.Svc.Name]
		var lb []string
		for _, ip := range si.LBIPs {
			lb = append(lb, ip.String())
		}
		if si.ClusterIP.String() != w.clusterIP || !reflect.DeepEqual(si.NodePorts, w.nodePorts) || !reflect.DeepEqual(lb, w.lb) {
			t.Errorf("%s: clusterIP %s nodePorts %v LB %v; want %s %v %v", si.Svc.Name, si.ClusterIP, si.NodePorts, lb, w.clusterIP, w.nodePorts, w.lb)
		}
		if proxied := fmt.Sprint(si.LBProxied); si.Svc.Name == "lb-proxy" && proxied != "[198.51.100.9]" {
			t.Errorf("lb-proxy: proxied %s, want [198.51.100.9]", proxied)
		}
		if want := si.Svc.Name + ".default.svc.cluster.local"; si.DNSName != want {
			t.Errorf("DNSName %q, want %q", si.DNSName, want)
		}
	}
}

func TestReservedServiceIPsNeverAllocated(t *testing.T) {
	// A /28 holds .0-.15: .1 and .10 are kube-apiserver's and kube-dns's, .11 up are free.
	var b strings.Builder
	for _, name := range []string{"s1", "s2", "s3", "s4"} {
		b.WriteString("---\napiVersion: v1\nkind: Service\nmetadata: {name: " + name + "}\nspec:\n  selector: {app: a}\n  ports: [{port: 80}]\n")
	}
	s := loadCfg(t, b.String(), netsim.Config{ServiceCIDR: netip.MustParsePrefix("10.96.0.0/28")})
	for i, si := range s.Services {
		if want := addr("10.96.0.11").As4(); si.ClusterIP != netip.AddrFrom4([4]byte{want[0], want[1], want[2], want[3] + byte(i)}) {
			t.Errorf("%s got %s", si.Svc.Name, si.ClusterIP)
		}
		if si.ClusterIP == s.DNS || si.ClusterIP == s.KubernetesIP {
			t.Errorf("%s was given the reserved %s", si.Svc.Name, si.ClusterIP)
		}
	}
}

const invalidYAML = `apiVersion: v1
kind: Service
metadata: {name: outside}
spec:
  type: NodePort
  clusterIP: 10.0.0.5
  selector: {app: a}
  ports: [{port: 80, nodePort: 30050}]
---
apiVersion: v1
kind: Service
metadata: {name: lowport}
spec:
  type: NodePort
  selector: {app: a}
  ports: [{port: 81, nodePort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: good}
spec:
  type: NodePort
  selector: {app: a}
  ports: [{port: 82, nodePort: 30052}]
---
apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: a}}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
`

func TestInvalidClusterIP(t *testing.T) {
	s := load(t, 1, invalidYAML)
	ds := diagsWith(s, model.CodeInvalidClusterIP)
	if len(ds) != 1 {
		t.Fatalf("invalid-cluster-ip diagnostics = %+v, want one", ds)
	}
	d := ds[0]
	if d.Severity != model.Error || d.Object != "Service/default/outside" || d.Field != "spec.clusterIPs" || d.Line != lineOf(t, invalidYAML, "clusterIP: 10.0.0.5") {
		t.Errorf("diagnostic = %+v", d)
	}
	const msg = `spec.clusterIPs: Invalid value: []string{"10.0.0.5"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12`
	if d.Message != msg {
		t.Errorf("message\n got %s\nwant %s", d.Message, msg)
	}
	if s.Valid(svc(t, s, "outside")) || s.Valid(svc(t, s, "lowport")) || !s.Valid(svc(t, s, "good")) {
		t.Error("Valid: want outside and lowport refused, good accepted")
	}
}

func TestRulesOmitInvalidServices(t *testing.T) {
	s := load(t, 1, invalidYAML)
	rs, err := s.Rules("node01")
	if err != nil {
		t.Fatal(err)
	}
	save := rs.Save()
	for _, bad := range []string{"default/outside", "default/lowport", "10.0.0.5", "30050"} {
		if strings.Contains(save, bad) {
			t.Errorf("rules mention %s, which the API server would refuse", bad)
		}
	}
	for _, good := range []string{`"default/good cluster IP"`, "--dport 30052"} {
		if !strings.Contains(save, good) {
			t.Errorf("rules lack %s", good)
		}
	}
	var names []string
	for _, p := range s.ProxyPorts() {
		names = append(names, p.Name)
	}
	if !reflect.DeepEqual(names, []string{"good"}) {
		t.Errorf("ProxyPorts for %v, want only good", names)
	}
	if _, err := s.Trace(netsim.Request{Service: "outside"}); err == nil || !strings.Contains(err.Error(), "refuse") {
		t.Errorf("Trace of a refused Service: err %v, want a refusal", err)
	}
	again, _ := s.Rules("node01")
	if again != rs {
		t.Error("Rules is not kept between calls")
	}
	if _, err := s.Rules("node02"); err == nil || !strings.Contains(err.Error(), "node01") {
		t.Errorf("Rules(node02) on one node: err %v, want one naming node01", err)
	}
}

func TestFindService(t *testing.T) {
	doc := `apiVersion: v1
kind: Service
metadata: {name: api, namespace: dev}
spec:
  selector: {app: a}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: prod}
spec:
  selector: {app: a}
  ports: [{port: 80}]
`
	s := load(t, 1, doc)
	for ref, ns := range map[string]string{"": "dev", "api": "dev", "dev/api": "dev", "prod/api": "prod"} {
		if si := svc(t, s, ref); si.Svc.Namespace != ns {
			t.Errorf("FindService(%q) = %s/%s, want namespace %s", ref, si.Svc.Namespace, si.Svc.Name, ns)
		}
	}
	if _, err := s.FindService("test/api"); err == nil || !strings.Contains(err.Error(), "dev/api, prod/api") {
		t.Errorf("FindService(test/api): %v, want an error listing dev/api, prod/api", err)
	}
	if _, err := load(t, 1, "").FindService(""); err == nil {
		t.Error("FindService on an empty input: want an error")
	}
}

// A node's /24 holds 253 Pods (.2 to .254); more get no address, never one of another node's
// subnet nor one already taken, and a diagnostic per node says so.
func TestPodSubnetOverflow(t *testing.T) {
	doc := `apiVersion: apps/v1
kind: Deployment
metadata: {name: bulk}
spec:
  replicas: 600
  selector: {matchLabels: {app: bulk}}
  template:
    metadata: {labels: {app: bulk}}
    spec:
      containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: dumped}
spec:
  nodeName: node02
  containers: [{name: c, image: nginx}]
status:
  podIP: 10.244.1.3
`
	s := load(t, 2, doc)
	if len(s.Pods) != 601 {
		t.Fatalf("%d Pods", len(s.Pods))
	}
	seen := map[netip.Addr]string{}
	addressed := map[string]int{}
	for _, pi := range s.Pods {
		if !pi.IP.IsValid() {
			continue
		}
		if other, dup := seen[pi.IP]; dup {
			t.Errorf("%s and %s share %s", other, pi.Pod.Name, pi.IP)
		}
		seen[pi.IP] = pi.Pod.Name
		if !pi.Node.PodCIDR.Contains(pi.IP) {
			t.Errorf("%s runs on %s but has %s, outside its subnet %s", pi.Pod.Name, pi.Node.Name, pi.IP, pi.Node.PodCIDR)
		}
		if pi.IP == pi.Node.Bridge || pi.IP == pi.Node.PodCIDR.Addr() || pi.IP.As4()[3] == 255 {
			t.Errorf("%s has its node's reserved address %s", pi.Pod.Name, pi.IP)
		}
		addressed[pi.Node.Name]++
	}
	if addressed["node01"] != 253 || addressed["node02"] != 253 {
		t.Errorf("addressed Pods per node: %v, want 253 each", addressed)
	}
	var msgs []string
	for _, d := range diagsWith(s, model.CodePodSubnetFull) {
		msgs = append(msgs, d.Message)
	}
	// node02 also runs the dumped Pod: 301 Pods there.
	want := []string{"node node01's pod subnet 10.244.0.0/24 has no address left for 47 Pod(s)", "node node02's pod subnet 10.244.1.0/24 has no address left for 48 Pod(s)"}
	if len(msgs) != 2 || !strings.HasPrefix(msgs[0], want[0]) || !strings.HasPrefix(msgs[1], want[1]) {
		t.Errorf("diagnostics %q, want prefixes %q", msgs, want)
	}
	if got := s.Pods[0].IP; got != addr("10.244.0.2") {
		t.Errorf("first replica at %s", got)
	}
	if got := s.Pods[1].IP; got != addr("10.244.1.2") {
		t.Errorf("second replica at %s", got)
	}
}

func TestAllocateLoadBalancerNodePortsFalse(t *testing.T) {
	doc := `apiVersion: v1
kind: Pod
metadata: {name: a, labels: {app: a}}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}, {containerPort: 443}]}]
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  allocateLoadBalancerNodePorts: false
  selector: {app: a}
  ports:
    - {name: http, port: 80}
    - {name: https, port: 443, nodePort: 30443}
---
apiVersion: v1
kind: Service
metadata: {name: np}
spec:
  type: NodePort
  selector: {app: a}
  ports: [{port: 80}]
`
	s := load(t, 1, doc)
	if got := svc(t, s, "lb").NodePorts; !reflect.DeepEqual(got, []int32{0, 30443}) {
		t.Errorf("lb nodePorts %v, want [0 30443]: only the written one", got)
	}
	if got := svc(t, s, "np").NodePorts; !reflect.DeepEqual(got, []int32{30000}) {
		t.Errorf("np nodePorts %v, want [30000]", got)
	}
	rs, _ := s.Rules("node01")
	var np []string
	for _, r := range rs.ForService("default", "lb").Chain("nat", "KUBE-NODEPORTS").Rules {
		np = append(np, r.Service+" "+strconv.Itoa(int(r.DPort)))
	}
	if want := []string{"default/lb:https 30443", "default/lb:https 30443"}; !reflect.DeepEqual(np, want) {
		t.Errorf("lb's KUBE-NODEPORTS rules %v, want %v (localhost and any address, https only)", np, want)
	}
	tr, err := s.Trace(netsim.Request{Service: "lb"})
	if err != nil || tr.Request.Via != netsim.ViaLB || tr.Verdict != netsim.Delivered {
		t.Errorf("default way into lb:http: %v %+v", err, tr)
	}
	if _, err := s.Trace(netsim.Request{Service: "lb", Via: netsim.ViaNodePort}); err == nil || !strings.Contains(err.Error(), "allocateLoadBalancerNodePorts") {
		t.Errorf("--via nodeport to lb:http: %v", err)
	}
	tr, err = s.Trace(netsim.Request{Service: "lb", Port: "https", Via: netsim.ViaNodePort})
	if err != nil || tr.Hops[0].Before.Dst.Port() != 30443 || tr.Verdict != netsim.Delivered {
		t.Errorf("--via nodeport to lb:https: %v %+v", err, tr)
	}
}
