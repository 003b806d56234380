package netsim_test

import (
	"strings"
	"testing"

	"github.com/svcviz/svcviz/netsim"
)

// containerPort is informational: a Pod that declares no port at all gets the packet (the
// app may well listen), and the trace says it assumed so; one that declares other ports
// refuses it.
func TestUndeclaredPortDelivery(t *testing.T) {
	const doc = `apiVersion: v1
kind: Pod
metadata: {name: bare, labels: {app: web}}
spec:
  containers: [{name: nginx, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`
	tr := trace(t, load(t, 1, doc), netsim.Request{Service: "web", From: "node01"})
	wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
	d := hop(t, tr, netsim.ActDeliver)
	if d.Narration != "deliver.undeclared" || d.Diagnostic == nil || d.Diagnostic.Code != "target-port-not-declared" {
		t.Errorf("delivery to an undeclared port: %s %+v", d.Narration, d.Diagnostic)
	}
	declared := strings.Replace(doc, "image: nginx}", "image: nginx, ports: [{containerPort: 8080}]}", 1)
	tr = trace(t, load(t, 1, declared), netsim.Request{Service: "web", From: "node01"})
	r := hop(t, tr, netsim.ActRefuse)
	wantVerdict(t, tr, netsim.Refused, r.Step)
	if !strings.Contains(r.Text("en"), "8080/TCP") {
		t.Errorf("refusal does not say what is declared: %s", r.Text("en"))
	}
}

// The allocator refuses a written clusterIP that another Service (or kube-dns) already has;
// the built-in Services themselves, in a full dump, keep theirs.
func TestDuplicateClusterIP(t *testing.T) {
	s := load(t, 1, `apiVersion: v1
kind: Service
metadata: {name: b}
spec: {clusterIP: 10.96.0.50, selector: {app: x}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: c}
spec: {clusterIP: 10.96.0.50, selector: {app: x}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: a}
spec: {clusterIP: 10.96.0.10, selector: {app: x}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: kube-dns, namespace: kube-system}
spec: {clusterIP: 10.96.0.10, selector: {k8s-app: kube-dns}, ports: [{name: dns, port: 53, protocol: UDP}]}
`)
	var refused []string
	for _, d := range diagsWith(s, "invalid-cluster-ip") {
		refused = append(refused, d.Object)
		if !strings.HasSuffix(d.Message, "failed to allocate IP "+map[string]string{"Service/default/c": "10.96.0.50", "Service/default/a": "10.96.0.10"}[d.Object]+": provided IP is already allocated") {
			t.Errorf("message %q", d.Message)
		}
	}
	if strings.Join(refused, ",") != "Service/default/c,Service/default/a" && strings.Join(refused, ",") != "Service/default/a,Service/default/c" {
		t.Errorf("refused %v, want c and a", refused)
	}
}

// Ports of one number on two protocols share one nodePort, as the API server allocates them.
func TestOneNodePortPerPortNumber(t *testing.T) {
	s := load(t, 1, `apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  type: NodePort
  selector: {app: dns}
  ports: [{name: dns-tcp, port: 53}, {name: dns, port: 53, protocol: UDP}, {name: metrics, port: 9153}]
`)
	np := svc(t, s, "dns").NodePorts
	if np[0] != np[1] || np[0] == np[2] || np[0] == 0 {
		t.Errorf("nodePorts %v: want 53/TCP and 53/UDP to share one, 9153 another", np)
	}
}

// The external client stays on the node network and off every node's address.
func TestClientAddressAvoidsNodes(t *testing.T) {
	s := load(t, 9, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n")
	if s.Node("node09").IP.String() != "192.168.1.10" || s.Config.ClientIP.String() != "192.168.1.11" {
		t.Errorf("node09 %s, client %s", s.Node("node09").IP, s.Config.ClientIP)
	}
	cfg := netsim.Config{NodeIP: addr("10.0.0.2")}
	s = loadCfg(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n", cfg)
	if s.Config.ClientIP.String() != "10.0.0.10" || s.Config.LBPool.String() != "10.0.0.240" {
		t.Errorf("client %s, LB pool %s on node network %s", s.Config.ClientIP, s.Config.LBPool, s.Config.NodeNet)
	}
}

// StatefulSet Pods have their own names under the headless Service that governs them; the
// resolver's search path finds them; names are case-insensitive; a trailing dot is absolute.
func TestDNSPodNamesAndSearchPath(t *testing.T) {
	s, _, _ := loadSample(t, "headless.yaml", 1)
	tr := trace(t, s, netsim.Request{Service: "db", Via: netsim.ViaDNS, DNSName: "db-1.db", From: "node01"})
	a := hop(t, tr, netsim.ActDNSAnswer)
	if a.Narration != "dns.pod" || a.Args[0] != "db-1.db.default.svc.cluster.local" || tr.Endpoint == nil || tr.Endpoint.Pod.Name != "db-1" {
		t.Errorf("db-1.db answered %s %v, endpoint %v", a.Narration, a.Args, tr.Endpoint)
	}
	wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
	for name, ok := range map[string]bool{"DB": true, "db.default.svc.cluster.local.": true, "db.": false, "db-9.db": false} {
		tr := trace(t, s, netsim.Request{Via: netsim.ViaDNS, DNSName: name, From: "node01"})
		if got := tr.Verdict != netsim.Unresolved; got != ok {
			t.Errorf("%q resolved %v, want %v (%s)", name, got, ok, tr.Verdict)
		}
	}
}

// A headless Service without ports still has A records: its selected Pods.
func TestHeadlessWithoutPorts(t *testing.T) {
	s := load(t, 1, `apiVersion: v1
kind: Pod
metadata: {name: db-0, labels: {app: db}}
spec: {containers: [{name: db, image: postgres}]}
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec: {clusterIP: None, selector: {app: db}}
`)
	tr := trace(t, s, netsim.Request{Service: "db", From: "node01"})
	a := hop(t, tr, netsim.ActDNSAnswer)
	if a.Narration != "dns.headless" || a.Args[1] != "10.244.0.2" || tr.Verdict != netsim.Answered {
		t.Errorf("answer %s %v, verdict %s", a.Narration, a.Args, tr.Verdict)
	}
}

// With no --service, the first Service the API server accepts is traced; --from takes a
// workload's name for its first Pod.
func TestDefaultsSkipRefusedServicesAndNameWorkloads(t *testing.T) {
	s := load(t, 1, `apiVersion: v1
kind: Service
metadata: {name: bad}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80, nodePort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: good}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend}
spec:
  selector: {matchLabels: {app: fe}}
  template:
    metadata: {labels: {app: fe}}
    spec: {containers: [{name: c, image: nginx}]}
`)
	tr := trace(t, s, netsim.Request{From: "frontend"})
	if tr.Service.Svc.Name != "good" || !strings.HasPrefix(tr.Hops[0].Where, "default/frontend-") {
		t.Errorf("traced %s from %s", tr.Service.Svc.Name, tr.Hops[0].Where)
	}
}

// internalTrafficPolicy: Local is narrated and pointed at as itself.
func TestInternalPolicyNarration(t *testing.T) {
	s := load(t, 1, `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {internalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80}]}
`)
	tr := trace(t, s, netsim.Request{Service: "web", From: "node01"})
	c := hop(t, tr, netsim.ActChoose)
	if c.Narration != "choose.internal" || c.Field != "spec.internalTrafficPolicy" {
		t.Errorf("choose hop %s %s", c.Narration, c.Field)
	}
}

// An LB address comes from status (a dump), else spec.loadBalancerIP, else the pool.
func TestLoadBalancerAddresses(t *testing.T) {
	s := load(t, 1, `apiVersion: v1
kind: Service
metadata: {name: asked}
spec: {type: LoadBalancer, loadBalancerIP: 192.168.1.250, selector: {a: b}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: pooled}
spec: {type: LoadBalancer, selector: {a: b}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: dumped}
spec: {type: LoadBalancer, selector: {a: b}, ports: [{port: 80}]}
status: {loadBalancer: {ingress: [{ip: 203.0.113.7}]}}
`)
	for name, want := range map[string]string{"asked": "192.168.1.250", "pooled": "192.168.1.240", "dumped": "203.0.113.7"} {
		if got := svc(t, s, name).LBIPs; len(got) != 1 || got[0].String() != want {
			t.Errorf("%s: LB IPs %v, want %s", name, got, want)
		}
	}
}

// A Service defined twice keeps its first definition, which is not refused.
func TestDuplicateServiceKeepsTheFirst(t *testing.T) {
	doc := "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n"
	s := load(t, 1, doc+"---\n"+doc)
	if !s.Valid(svc(t, s, "web")) || len(diagsWith(s, "duplicate-object")) != 1 {
		t.Errorf("valid %v, duplicates %v", s.Valid(svc(t, s, "web")), diagsWith(s, "duplicate-object"))
	}
}

// The SNAT toward another node's Pod says what the .0 address is; ICMP has no ports.
func TestOverlaySNATAndICMPWording(t *testing.T) {
	s, _, _ := loadSample(t, "deployment.yaml", 3)
	for i := range 3 {
		tr := trace(t, s, netsim.Request{Service: "web", Endpoint: netsim.ChooseNth(i + 1)})
		sn := hop(t, tr, netsim.ActSNAT)
		remote := tr.Endpoint.NodeName != "node01" && s.PodInfo(tr.Endpoint.Pod).Node.Name != "node01"
		if remote != (sn.Narration == "snat.overlay") || remote && !strings.Contains(sn.Text("en"), "flannel.1") {
			t.Errorf("endpoint %d: SNAT narration %s: %s", i, sn.Narration, sn.Text("en"))
		}
	}
	b, _, _ := loadSample(t, "broken-selector.yaml", 1)
	tr := trace(t, b, netsim.Request{})
	if last := tr.Hops[len(tr.Hops)-1].After; last.String() != "192.168.1.2 → 192.168.1.10" {
		t.Errorf("ICMP answer printed as %q", last.String())
	}
}
