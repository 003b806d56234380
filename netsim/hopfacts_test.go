package netsim_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/netsim"
)

// ChoosePod sends the packet to that Pod, on one node and across three, whatever the seed.
func TestChoosePodDeliversToThatPod(t *testing.T) {
	for _, nodes := range []int{1, 3} {
		s, _, _ := loadSample(t, "deployment.yaml", nodes)
		for _, pi := range s.Pods {
			for seed := range int64(3) {
				tr := trace(t, s, netsim.Request{Service: "web", Seed: seed, Endpoint: netsim.ChoosePod(pi.Pod)})
				if tr.Endpoint == nil || tr.Endpoint.Pod != pi.Pod {
					t.Fatalf("%d nodes, seed %d: ChoosePod(%s) chose %+v", nodes, seed, pi.Pod.Name, tr.Endpoint)
				}
				d := hop(t, tr, netsim.ActDeliver)
				if d.Pod != pi || d.After.Dst.Addr() != pi.IP {
					t.Errorf("%d nodes: delivered to %v at %s, want %s at %s", nodes, d.Pod, d.After.Dst, pi.Pod.Name, pi.IP)
				}
			}
		}
	}
}

// ChooseNth counts in the Service chain's rule order, 1-based; the zero value lets the seed decide.
func TestChooseNthFollowsRuleOrder(t *testing.T) {
	s, _, _ := loadSample(t, "deployment.yaml", 1)
	seen := map[string]bool{}
	for n := 1; n <= 3; n++ {
		tr := trace(t, s, netsim.Request{Service: "web", Endpoint: netsim.ChooseNth(n)})
		dst := hop(t, tr, netsim.ActDNAT).After.Dst.String()
		rs, _ := s.Rules("node01")
		var order []string
		for _, r := range rs.Chain(netsim.TableNAT, hop(t, tr, netsim.ActChoose).Chain).Rules {
			if to, ok := strings.CutPrefix(r.Comment, "default/web -> "); ok {
				order = append(order, to)
			}
		}
		if len(order) != 3 || order[n-1] != dst {
			t.Errorf("ChooseNth(%d) went to %s; the endpoint rules go to %v", n, dst, order)
		}
		seen[dst] = true
	}
	if len(seen) != 3 {
		t.Errorf("three choices reached %d endpoints", len(seen))
	}
	if !(netsim.EndpointChoice{}).ByRules() || !netsim.ChooseNth(0).ByRules() || netsim.ChooseNth(2).ByRules() {
		t.Error("ByRules: the zero value and ChooseNth(0) let the rules choose; ChooseNth(2) does not")
	}
}

// Every hop says the kind of its chain and, for a jump, of the chain it jumps to.
func TestHopsCarryChainKinds(t *testing.T) {
	s, _, _ := loadSample(t, "nodeport.yaml", 1)
	tr := trace(t, s, netsim.Request{})
	want := map[string]netsim.ChainKind{"PREROUTING": netsim.ChainBuiltin, "KUBE-SERVICES": netsim.ChainServices,
		"KUBE-NODEPORTS": netsim.ChainNodePorts}
	kinds := map[netsim.ChainKind]bool{}
	for _, h := range tr.Hops {
		if h.Chain == "" {
			if h.ChainKind != "" {
				t.Errorf("step %d has no chain but kind %q", h.Step, h.ChainKind)
			}
			continue
		}
		if k, ok := want[h.Chain]; ok && h.ChainKind != k {
			t.Errorf("step %d chain %s kind %q, want %q", h.Step, h.Chain, h.ChainKind, k)
		}
		if h.ChainKind != netsim.KindOfChain(h.Chain) {
			t.Errorf("step %d chain %s kind %q, KindOfChain says %q", h.Step, h.Chain, h.ChainKind, netsim.KindOfChain(h.Chain))
		}
		kinds[h.ChainKind] = true
		if h.Action == netsim.ActMatch && h.Jump == "" {
			t.Errorf("step %d jumps without a Jump kind", h.Step)
		}
	}
	for _, k := range []netsim.ChainKind{netsim.ChainExternal, netsim.ChainServicePort, netsim.ChainEndpoint, netsim.ChainPostrouting} {
		if !kinds[k] {
			t.Errorf("a nodePort trace meets no %q chain: %v", k, path(tr))
		}
	}
	for _, m := range tr.Hops {
		if m.Chain == "KUBE-NODEPORTS" && m.Jump != netsim.ChainExternal {
			t.Errorf("KUBE-NODEPORTS jumps to kind %q", m.Jump)
		}
	}
	if !netsim.ChainEndpoint.ServiceOwned() || netsim.ChainServices.ServiceOwned() {
		t.Error("KUBE-SEP- belongs to a Service port; KUBE-SERVICES to the node")
	}
}

// The sender, the Pod the packet is routed to and the Pod that receives it are references,
// and the trace says where it started.
func TestHopsCarryPodsAndOrigin(t *testing.T) {
	s, _, _ := loadSample(t, "deployment.yaml", 3)
	sender := s.Pods[0]
	tr := trace(t, s, netsim.Request{Service: "web", From: sender.Pod.Namespace + "/" + sender.Pod.Name, Via: netsim.ViaClusterIP})
	if tr.Origin.Pod != sender || tr.Origin.Node != sender.Node || tr.Origin.External() {
		t.Errorf("origin %+v, want Pod %s on %s", tr.Origin, sender.Pod.Name, sender.Node.Name)
	}
	if h := tr.Hops[0]; h.Action != netsim.ActSend || h.Pod != sender {
		t.Errorf("first hop %s carries Pod %v, want the sender", h.Action, h.Pod)
	}
	recv := s.PodInfo(tr.Endpoint.Pod)
	for _, h := range tr.Hops {
		switch h.Action {
		case netsim.ActRoute, netsim.ActDeliver:
			if h.Pod != recv {
				t.Errorf("step %d %s carries %v, want %s", h.Step, h.Action, h.Pod, recv.Pod.Name)
			}
		case netsim.ActMatch, netsim.ActChoose, netsim.ActDNAT:
			if h.Pod != nil || h.Port != tr.Port {
				t.Errorf("step %d %s: Pod %v Port %v", h.Step, h.Action, h.Pod, h.Port)
			}
		}
	}
	ext := trace(t, s, netsim.Request{Service: "web"})
	if !ext.Origin.External() || ext.Origin.IP != s.Config.ClientIP {
		t.Errorf("external origin %+v", ext.Origin)
	}
}

// A field the YAML leaves out carries its value, and an allocated one says so.
func TestHopsCarryDefaultedAndAllocatedValues(t *testing.T) {
	s := load(t, 1, `apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: a}}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: a}
spec:
  type: NodePort
  selector: {app: a}
  ports: [{port: 80}]
`)
	tr := trace(t, s, netsim.Request{})
	send := hop(t, tr, netsim.ActSend)
	np := s.Services[0].NodePorts[0]
	if send.FieldKey() != "nodePort" || !send.Defaulted || !send.Allocated || send.Value != itoa(int(np)) {
		t.Errorf("send: field %s defaulted %v allocated %v value %q, want the allocated nodePort %d", send.Field, send.Defaulted, send.Allocated, send.Value, np)
	}
	mark := hop(t, tr, netsim.ActMark)
	if mark.Field != "spec.externalTrafficPolicy" || !mark.Defaulted || mark.Allocated || mark.Value != "Cluster" {
		t.Errorf("mark: field %s defaulted %v allocated %v value %q", mark.Field, mark.Defaulted, mark.Allocated, mark.Value)
	}
	dnat := hop(t, tr, netsim.ActDNAT)
	if dnat.FieldKey() != "targetPort" || !dnat.Defaulted || dnat.Value != "80" {
		t.Errorf("dnat: field %s defaulted %v value %q", dnat.Field, dnat.Defaulted, dnat.Value)
	}
	if d := hop(t, tr, netsim.ActDeliver); d.Defaulted || d.Value != "" {
		t.Errorf("deliver: a written containerPort reads as defaulted %v / %q", d.Defaulted, d.Value)
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

// The teaching view shows the Service port as a step of its own and the wire view does not;
// every view keeps the hops' order, and all shows every hop.
func TestTraceStepsByView(t *testing.T) {
	s, _, _ := loadSample(t, "nodeport.yaml", 1)
	tr := trace(t, s, netsim.Request{})
	teach, wire, all := tr.Steps(netsim.ViewTeaching), tr.Steps(netsim.ViewWire), tr.Steps(netsim.ViewAll)
	if len(all) != len(tr.Hops) {
		t.Fatalf("all shows %d of %d hops", len(all), len(tr.Hops))
	}
	has := func(steps []int, a netsim.Action) bool {
		for _, i := range steps {
			if tr.Hops[i].Action == a {
				return true
			}
		}
		return false
	}
	if !has(teach, netsim.ActServicePort) || has(wire, netsim.ActServicePort) || !has(wire, netsim.ActArrive) {
		t.Errorf("teaching %v, wire %v", teach, wire)
	}
	for _, v := range [][]int{teach, wire} {
		for k := 1; k < len(v); k++ {
			if v[k] <= v[k-1] {
				t.Fatalf("view out of order: %v", v)
			}
		}
	}
	empty := &netsim.Trace{Hops: []netsim.Hop{{Action: netsim.ActSend}}}
	if got := empty.Steps(netsim.ViewWire); len(got) != 1 {
		t.Errorf("a view showing none of the hops shows %v, want them all", got)
	}
}
