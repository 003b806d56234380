package netsim_test

import (
	"fmt"
	"net/netip"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/svcviz/svcviz/internal/i18n"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// loadSample loads one file of samples/ as the CLI would.
func loadSample(t testing.TB, name string, nodes int) (*netsim.Sim, string, string) {
	t.Helper()
	path := "../samples/" + name
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := model.Load([]string{path}, model.Options{Nodes: netsim.NodeNames(nodes)})
	if err != nil {
		t.Fatal(err)
	}
	return netsim.New(c, netsim.Config{Nodes: nodes}), path, string(data)
}

// trace runs a request that must succeed and checks every hop's narration.
func trace(t testing.TB, s *netsim.Sim, req netsim.Request) *netsim.Trace {
	t.Helper()
	tr, err := s.Trace(req)
	if err != nil {
		t.Fatalf("Trace(%+v): %v", req, err)
	}
	checkNarration(t, tr)
	return tr
}

var placeholder = regexp.MustCompile(`\{\d+\}`)

// checkNarration: every hop speaks both languages, in its own words, with every argument filled.
func checkNarration(t testing.TB, tr *netsim.Trace) {
	t.Helper()
	for _, h := range tr.Hops {
		if h.Narration == "" {
			t.Errorf("step %d (%s at %s) has no narration key", h.Step, h.Action, h.Where)
			continue
		}
		for _, lang := range []string{"en", "ko"} {
			if !i18n.Has(lang, h.Narration) {
				t.Errorf("step %d: key %q missing from the %s catalogue", h.Step, h.Narration, lang)
			}
			text := h.Text(lang)
			if text == "" || text == h.Narration {
				t.Errorf("step %d: Text(%q) = %q for key %q", h.Step, lang, text, h.Narration)
			}
			if m := placeholder.FindString(text); m != "" {
				t.Errorf("step %d: Text(%q) leaves %s unfilled: %q (args %q)", h.Step, lang, m, text, h.Args)
			}
		}
		if h.Text("en") == h.Text("ko") {
			t.Errorf("step %d: Korean narration is the English one: %q", h.Step, h.Text("ko"))
		}
	}
}

// path lists the hops as "action@where".
func path(tr *netsim.Trace) []string {
	out := make([]string, len(tr.Hops))
	for i, h := range tr.Hops {
		out[i] = string(h.Action) + "@" + h.Where
	}
	return out
}

func wantPath(t testing.TB, tr *netsim.Trace, want ...string) {
	t.Helper()
	if got := path(tr); !reflect.DeepEqual(got, want) {
		t.Errorf("hops\n got %s\nwant %s", strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
	for i, h := range tr.Hops {
		if h.Step != i+1 {
			t.Errorf("hop %d numbered %d", i, h.Step)
		}
		if !h.Wire && !h.Teaching {
			t.Errorf("step %d (%s) is in neither view", h.Step, h.Action)
		}
	}
}

func hop(t testing.TB, tr *netsim.Trace, action netsim.Action) netsim.Hop {
	t.Helper()
	var found []netsim.Hop
	for _, h := range tr.Hops {
		if h.Action == action {
			found = append(found, h)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d %s hops, want 1: %v", len(found), action, path(tr))
	}
	return found[0]
}

func hasAction(tr *netsim.Trace, a netsim.Action) bool {
	for _, h := range tr.Hops {
		if h.Action == a {
			return true
		}
	}
	return false
}

func pkt(src, dst string) netsim.Packet {
	return netsim.Packet{Src: netip.MustParseAddrPort(src), Dst: netip.MustParseAddrPort(dst), Proto: "TCP"}
}

func wantPkt(t testing.TB, what string, got, want netsim.Packet) {
	t.Helper()
	if got != want {
		t.Errorf("%s: %s (%s), want %s (%s)", what, got, got.Proto, want, want.Proto)
	}
}

func wantVerdict(t testing.TB, tr *netsim.Trace, v netsim.Verdict, stop int) {
	t.Helper()
	if tr.Verdict != v || tr.StopStep != stop {
		t.Errorf("verdict %s at step %d, want %s at step %d; hops %v", tr.Verdict, tr.StopStep, v, stop, path(tr))
	}
}

func TestNodePortSampleTrace(t *testing.T) {
	s, file, data := loadSample(t, "nodeport.yaml", 1)
	tr := trace(t, s, netsim.Request{})
	const ext, svcChain, sep = "KUBE-EXT-HV6ZUR45AI72VIJI", "KUBE-SVC-HV6ZUR45AI72VIJI", "KUBE-SEP-Q5JOQ2TNM742LKJL"
	wantPath(t, tr,
		"send@client",
		"arrive@node01",
		"match@PREROUTING",
		"match@KUBE-SERVICES",
		"match@KUBE-NODEPORTS",
		"mark@"+ext,
		"match@"+ext,
		"service-port@myapp-service",
		"choose@"+svcChain,
		"dnat@"+sep,
		"snat@POSTROUTING",
		"route@cni0",
		"deliver@myapp-pod/nginx-container",
		"reply@conntrack",
	)
	wantVerdict(t, tr, netsim.Delivered, 13)
	if tr.Request.Via != netsim.ViaNodePort || tr.Service.Svc.Name != "myapp-service" || tr.Port.Port != 80 {
		t.Errorf("defaults: via %s, Service %s, port %d", tr.Request.Via, tr.Service.Svc.Name, tr.Port.Port)
	}
	if tr.Endpoint == nil || tr.Endpoint.Pod == nil || tr.Endpoint.Pod.Name != "myapp-pod" {
		t.Errorf("endpoint %+v, want myapp-pod", tr.Endpoint)
	}
	in := pkt("192.168.1.10:51000", "192.168.1.2:30008")
	natted := pkt("192.168.1.10:51000", "10.244.0.2:80")
	snatted := pkt(masq(t, tr, "10.244.0.1"), "10.244.0.2:80")
	h := tr.Hops
	for i := 0; i < 9; i++ {
		wantPkt(t, fmt.Sprintf("step %d", i+1), h[i].Before, in)
		wantPkt(t, fmt.Sprintf("step %d after", i+1), h[i].After, in)
	}
	pos := func(s string) model.Pos { return model.Pos{File: file, Line: lineOf(t, data, s)} }
	type field struct {
		step   int
		field  string
		object string
		pos    model.Pos
	}
	for _, f := range []field{
		{1, "spec.ports[0].nodePort", "Service/default/myapp-service", pos("nodePort: 30008")},
		{5, "spec.ports[0].nodePort", "Service/default/myapp-service", pos("nodePort: 30008")},
		{8, "spec.ports[0].port", "Service/default/myapp-service", pos(" port: 80$")},
		{10, "spec.ports[0].targetPort", "Service/default/myapp-service", pos("targetPort: 80")},
		{13, "spec.containers[0].ports[0].containerPort", "Pod/default/myapp-pod", pos("containerPort: 80")},
	} {
		got := h[f.step-1]
		if got.Field != f.field || got.Object != f.object || got.Pos != f.pos {
			t.Errorf("step %d points at %s %s %v, want %s %s %v", f.step, got.Object, got.Field, got.Pos, f.object, f.field, f.pos)
		}
	}
	rules := map[int]string{
		3:  `-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES`,
		4:  `-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`,
		5:  `-A KUBE-NODEPORTS -p tcp -m comment --comment "default/myapp-service" -m tcp --dport 30008 -j ` + ext,
		6:  `-A ` + ext + ` -m comment --comment "masquerade traffic for default/myapp-service external destinations" -j KUBE-MARK-MASQ`,
		7:  `-A ` + ext + ` -j ` + svcChain,
		9:  `-A ` + svcChain + ` -m comment --comment "default/myapp-service -> 10.244.0.2:80" -j ` + sep,
		10: `-A ` + sep + ` -p tcp -m comment --comment "default/myapp-service" -m tcp -j DNAT --to-destination 10.244.0.2:80`,
		11: `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully`,
	}
	for i, hh := range h {
		if hh.Rule != rules[i+1] {
			t.Errorf("step %d rule\n got %s\nwant %s", i+1, hh.Rule, rules[i+1])
		}
		if (hh.Rule != "") != (hh.Table == "nat") {
			t.Errorf("step %d: table %q with rule %q", i+1, hh.Table, hh.Rule)
		}
	}
	wantPkt(t, "dnat after", h[9].After, natted)
	wantPkt(t, "snat before", h[10].Before, natted)
	wantPkt(t, "snat after", h[10].After, snatted)
	if h[10].After.Src.Addr() != s.Nodes[0].Bridge {
		t.Errorf("masquerade to %s, want cni0 %s", h[10].After.Src.Addr(), s.Nodes[0].Bridge)
	}
	wantPkt(t, "delivered", h[12].Before, snatted)
	wantPkt(t, "reply before", h[13].Before, pkt("10.244.0.2:80", masq(t, tr, "10.244.0.1")))
	wantPkt(t, "reply after", h[13].After, pkt("192.168.1.2:30008", "192.168.1.10:51000"))
	if got := h[4].Text("en"); !strings.Contains(got, "30008") || !strings.Contains(got, ext) {
		t.Errorf("KUBE-NODEPORTS narration %q should name 30008 and %s", got, ext)
	}
	if got := h[9].Text("en"); !strings.Contains(got, "10.244.0.2:80") {
		t.Errorf("DNAT narration %q should name 10.244.0.2:80", got)
	}
}

func TestTeachingAndWireViews(t *testing.T) {
	s, _, _ := loadSample(t, "nodeport.yaml", 1)
	tr := trace(t, s, netsim.Request{})
	var teaching, wire []string
	for _, h := range tr.Hops {
		if h.Teaching {
			teaching = append(teaching, string(h.Action)+"@"+h.Where)
		}
		if h.Wire {
			wire = append(wire, string(h.Action)+"@"+h.Where)
		}
	}
	wantTeaching := []string{"send@client", "match@KUBE-NODEPORTS", "service-port@myapp-service", "choose@KUBE-SVC-HV6ZUR45AI72VIJI",
		"dnat@KUBE-SEP-Q5JOQ2TNM742LKJL", "snat@POSTROUTING", "deliver@myapp-pod/nginx-container", "reply@conntrack"}
	if !reflect.DeepEqual(teaching, wantTeaching) {
		t.Errorf("teaching view %v, want %v", teaching, wantTeaching)
	}
	if len(wire) != 13 || len(teaching) == len(wire) {
		t.Errorf("wire view has %d hops (want 13), teaching %d", len(wire), len(teaching))
	}
	sp := hop(t, tr, netsim.ActServicePort)
	if sp.Wire || !sp.Teaching {
		t.Errorf("service-port hop: wire %v teaching %v, want teaching only", sp.Wire, sp.Teaching)
	}
	if sp.Before != sp.After || sp.After.Dst != netip.MustParseAddrPort("192.168.1.2:30008") {
		t.Errorf("service-port hop changes the packet or puts the ClusterIP on it: %s ⇒ %s", sp.Before, sp.After)
	}
	if !strings.Contains(sp.Text("en"), "10.96.0.11:80") {
		t.Errorf("service-port narration %q should name the ClusterIP and port", sp.Text("en"))
	}
	for _, h := range tr.Hops {
		if h.Action != netsim.ActServicePort && !h.Wire {
			t.Errorf("step %d (%s) is teaching-only", h.Step, h.Action)
		}
		if h.Before.Dst.Addr() == tr.Service.ClusterIP || h.After.Dst.Addr() == tr.Service.ClusterIP {
			t.Errorf("step %d carries the ClusterIP on a nodePort trace", h.Step)
		}
	}
}

func TestVerdictRefused(t *testing.T) {
	s, file, data := loadSample(t, "broken-targetport.yaml", 1)
	tr := trace(t, s, netsim.Request{Service: "api", Endpoint: netsim.ChooseNth(1)})
	n := len(tr.Hops)
	wantVerdict(t, tr, netsim.Refused, n-1)
	refuse := tr.Hops[n-2]
	if refuse.Action != netsim.ActRefuse || refuse.Where != tr.Endpoint.Pod.Name || refuse.Field != "spec.ports[0].targetPort" ||
		refuse.Pos != (model.Pos{File: file, Line: lineOf(t, data, "targetPort: 80")}) {
		t.Errorf("refuse hop = %+v", refuse)
	}
	if refuse.Diagnostic == nil || refuse.Diagnostic.Code != model.CodeTargetPortUndecl {
		t.Errorf("refuse diagnostic %+v, want %s", refuse.Diagnostic, model.CodeTargetPortUndecl)
	}
	wantPkt(t, "refused", refuse.Before, pkt(masq(t, tr, "10.244.0.1"), "10.244.0.2:80"))
	rst := tr.Hops[n-1]
	if rst.Action != netsim.ActReply || rst.Narration != "reply.rst" {
		t.Errorf("last hop %s %s, want the RST reply", rst.Action, rst.Narration)
	}
	wantPkt(t, "RST as the client sees it", rst.After, pkt("192.168.1.2:30081", "192.168.1.10:51000"))
	if hasAction(tr, netsim.ActDeliver) {
		t.Error("a refused packet was also delivered")
	}
}

func TestVerdictRejected(t *testing.T) {
	s, file, data := loadSample(t, "broken-selector.yaml", 1)
	tr := trace(t, s, netsim.Request{})
	wantPath(t, tr, "send@client", "arrive@node01", "match@PREROUTING", "match@KUBE-SERVICES", "reject@KUBE-EXTERNAL-SERVICES", "reply@node01")
	wantVerdict(t, tr, netsim.Rejected, 5)
	r := tr.Hops[4]
	const rule = `-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/myapp-service has no endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30008 -j REJECT --reject-with icmp-port-unreachable`
	if r.Rule != rule || r.Table != "filter" {
		t.Errorf("reject rule (%s)\n got %s\nwant %s", r.Table, r.Rule, rule)
	}
	if r.Diagnostic == nil || r.Diagnostic.Code != model.CodeNoMatchingPods {
		t.Errorf("diagnostic %+v, want %s", r.Diagnostic, model.CodeNoMatchingPods)
	}
	if r.Field != "spec.selector" || r.Pos.Line != lineOf(t, data, "selector:") || r.Pos.File != file {
		t.Errorf("reject hop points at %s %v", r.Field, r.Pos)
	}
	icmp := tr.Hops[5]
	if icmp.After.Proto != "ICMP" || icmp.After.Dst.Addr() != addr("192.168.1.10") || icmp.After.Src.Addr() != addr("192.168.1.2") {
		t.Errorf("ICMP reply %s (%s)", icmp.After, icmp.After.Proto)
	}
	if tr.Endpoint != nil || hasAction(tr, netsim.ActDNAT) {
		t.Error("a rejected packet was DNATed")
	}

	// From a Pod to the ClusterIP: the same REJECT, met in FORWARD → KUBE-SERVICES.
	s = load(t, 1, nodeportWithClient(strings.Replace(nodeportYAML, "type: front-end\n  ports", "type: frontend\n  ports", 1)))
	tr = trace(t, s, netsim.Request{From: "shell", Via: netsim.ViaClusterIP})
	wantPath(t, tr, "send@default/shell", "arrive@node01", "match@PREROUTING", "reject@KUBE-SERVICES", "reply@node01")
	const rule2 = `-A KUBE-SERVICES -d 10.96.0.11/32 -p tcp -m comment --comment "default/myapp-service has no endpoints" -m tcp --dport 80 -j REJECT --reject-with icmp-port-unreachable`
	if got := tr.Hops[3].Rule; got != rule2 {
		t.Errorf("reject rule\n got %s\nwant %s", got, rule2)
	}
	wantVerdict(t, tr, netsim.Rejected, 4)
}

// nodeportYAML is samples/nodeport.yaml without its comments.
const nodeportYAML = `apiVersion: v1
kind: Pod
metadata:
  name: myapp-pod
  labels:
    app: myapp
    type: front-end
spec:
  containers:
    - name: nginx-container
      image: nginx
      ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: myapp-service
spec:
  type: NodePort
  selector:
    app: myapp
    type: front-end
  ports:
    - targetPort: 80
      port: 80
      nodePort: 30008
`

func nodeportWithClient(doc string) string {
	return doc + `---
apiVersion: v1
kind: Pod
metadata: {name: shell}
spec:
  containers: [{name: sh, image: busybox}]
`
}

// localYAML: externalTrafficPolicy: Local, and the only Pod runs on node02.
const localYAML = `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  nodeName: node02
  containers:
    - name: nginx
      image: nginx
      ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports:
    - port: 80
      nodePort: 30100
`

func TestVerdictDroppedLocalPolicy(t *testing.T) {
	s := load(t, 2, localYAML)
	tr := trace(t, s, netsim.Request{})
	wantPath(t, tr, "send@client", "arrive@node01", "match@PREROUTING", "match@KUBE-SERVICES", "match@KUBE-NODEPORTS", "drop@KUBE-EXTERNAL-SERVICES")
	wantVerdict(t, tr, netsim.Dropped, 6)
	d := tr.Hops[5]
	const rule = `-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "default/web has no local endpoints" -m addrtype --dst-type LOCAL -m tcp --dport 30100 -j DROP`
	if d.Rule != rule || d.Field != "spec.externalTrafficPolicy" || d.Pos.Line != lineOf(t, localYAML, "externalTrafficPolicy: Local") {
		t.Errorf("drop hop: %s at %s line %d", d.Rule, d.Field, d.Pos.Line)
	}
	if !strings.Contains(d.Text("en"), "node01") {
		t.Errorf("drop narration %q should name node01", d.Text("en"))
	}
}

func TestLocalPolicyKeepsClientAddress(t *testing.T) {
	s := load(t, 2, localYAML)
	tr := trace(t, s, netsim.Request{ToNode: "node02"})
	wantPath(t, tr, "send@client", "arrive@node02", "match@PREROUTING", "match@KUBE-SERVICES", "match@KUBE-NODEPORTS",
		"match@KUBE-EXT-LOLE4ISW44XBNF3G", "service-port@web", "choose@KUBE-SVL-LOLE4ISW44XBNF3G", "dnat@KUBE-SEP-MQ4W7Q2CV67URU6Q",
		"keep-source@POSTROUTING", "route@cni0", "deliver@web/nginx", "reply@conntrack")
	wantVerdict(t, tr, netsim.Delivered, 12)
	if hasAction(tr, netsim.ActSNAT) || hasAction(tr, netsim.ActMark) {
		t.Error("Local policy masqueraded the client")
	}
	wantPkt(t, "sent", tr.Hops[0].Before, pkt("192.168.1.10:51000", "192.168.1.3:30100"))
	wantPkt(t, "delivered", tr.Hops[11].Before, pkt("192.168.1.10:51000", "10.244.1.2:80"))
	if k := tr.Hops[9]; k.Field != "spec.externalTrafficPolicy" || !strings.Contains(k.Text("en"), "192.168.1.10") {
		t.Errorf("keep-source hop: %s %q", k.Field, k.Text("en"))
	}
	if c := tr.Hops[7]; c.Narration != "choose.local" {
		t.Errorf("choose narration %s, want choose.local", c.Narration)
	}
	wantPkt(t, "reply", tr.Hops[12].After, pkt("192.168.1.3:30100", "192.168.1.10:51000"))
	for _, h := range tr.Hops[1:12] {
		if h.Node != "node02" {
			t.Errorf("step %d on %q, want node02", h.Step, h.Node)
		}
	}
}

func TestInternalTrafficPolicyLocalDrop(t *testing.T) {
	doc := strings.Replace(strings.Replace(localYAML, "  type: NodePort\n  externalTrafficPolicy: Local\n", "  internalTrafficPolicy: Local\n", 1), "      nodePort: 30100\n", "", 1) + `---
apiVersion: v1
kind: Pod
metadata: {name: shell}
spec:
  nodeName: node01
  containers: [{name: sh, image: busybox}]
`
	s := load(t, 2, doc)
	tr := trace(t, s, netsim.Request{From: "shell"})
	wantPath(t, tr, "send@default/shell", "arrive@node01", "match@PREROUTING", "drop@KUBE-SERVICES")
	wantVerdict(t, tr, netsim.Dropped, 4)
	d := tr.Hops[3]
	if d.Field != "spec.internalTrafficPolicy" || d.Pos.Line != lineOf(t, doc, "internalTrafficPolicy: Local") {
		t.Errorf("drop hop points at %s line %d, want spec.internalTrafficPolicy", d.Field, d.Pos.Line)
	}
	if strings.Contains(d.Text("en"), "externalTrafficPolicy") {
		t.Errorf("drop narration blames externalTrafficPolicy: %q", d.Text("en"))
	}
	// From node02, where the Pod runs, it is delivered without masquerade.
	s = load(t, 2, strings.Replace(doc, "nodeName: node01", "nodeName: node02", 1))
	tr = trace(t, s, netsim.Request{From: "shell"})
	wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
	if hasAction(tr, netsim.ActSNAT) {
		t.Error("Pod-to-Pod through the ClusterIP was masqueraded")
	}
}

func TestVerdictUnresolved(t *testing.T) {
	s, _, _ := loadSample(t, "clusterip.yaml", 1)
	tr := trace(t, s, netsim.Request{Via: netsim.ViaDNS, DNSName: "bakend"})
	wantPath(t, tr, "dns-query@default/"+s.Pods[0].Pod.Name, "unresolved@kube-dns")
	wantVerdict(t, tr, netsim.Unresolved, 2)
	if tr.Hint != "did you mean backend.default.svc.cluster.local?" {
		t.Errorf("hint %q", tr.Hint)
	}
	q := tr.Hops[0]
	wantPkt(t, "query", q.Before, netsim.Packet{Src: netip.MustParseAddrPort("10.244.0.2:52000"), Dst: netip.MustParseAddrPort("10.96.0.10:53"), Proto: "UDP"})
	if !strings.Contains(tr.Hops[1].Text("en"), "bakend.default.svc.cluster.local") {
		t.Errorf("NXDOMAIN narration %q should name the full name", tr.Hops[1].Text("en"))
	}
}

func TestNamedTargetPort(t *testing.T) {
	s, file, data := loadSample(t, "named-ports.yaml", 1)
	for i := range 2 {
		tr := trace(t, s, netsim.Request{Service: "store", Endpoint: netsim.ChooseNth(i + 1)})
		wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
		d := hop(t, tr, netsim.ActDNAT)
		if d.After.Dst.Port() != 8080 || d.Before.Dst.Port() != 30090 {
			t.Errorf("DNAT %s ⇒ %s, want nodePort 30090 to containerPort 8080", d.Before, d.After)
		}
		if d.Narration != "dnat.named" || d.Field != "spec.ports[0].targetPort" || d.Pos != (model.Pos{File: file, Line: lineOf(t, data, "targetPort: http")}) {
			t.Errorf("DNAT hop: %s %s %v", d.Narration, d.Field, d.Pos)
		}
		if !strings.Contains(d.Text("en"), "http") || !strings.Contains(d.Text("en"), ":8080") {
			t.Errorf("DNAT narration %q should name http and 8080", d.Text("en"))
		}
		dl := hop(t, tr, netsim.ActDeliver)
		// The container port's name is what the named targetPort matched.
		if dl.Field != "spec.template.spec.containers[0].ports[0].name" || dl.Object != "Deployment/default/store" ||
			dl.Pos.Line != lineOf(t, data, "name: http") || dl.Where != tr.Endpoint.Pod.Name+"/web" {
			t.Errorf("deliver hop: %s %s %v at %s", dl.Object, dl.Field, dl.Pos, dl.Where)
		}
	}
}

func TestMultiPortService(t *testing.T) {
	s, _, _ := loadSample(t, "multi-port.yaml", 1)
	for _, c := range []struct {
		port, container string
		svcPort, target uint16
	}{
		{"", "web", 80, 8080},
		{"http", "web", 80, 8080},
		{"80", "web", 80, 8080},
		{"metrics", "exporter", 9090, 9090},
		{"9090", "exporter", 9090, 9090},
	} {
		tr := trace(t, s, netsim.Request{Service: "blog", Port: c.port})
		wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
		if tr.Hops[0].Before.Dst != netip.AddrPortFrom(addr("10.96.0.11"), c.svcPort) {
			t.Errorf("--port %q: sent to %s", c.port, tr.Hops[0].Before.Dst)
		}
		if d := hop(t, tr, netsim.ActDNAT); d.After.Dst.Port() != c.target {
			t.Errorf("--port %q: DNAT to %s, want port %d", c.port, d.After.Dst, c.target)
		}
		if dl := hop(t, tr, netsim.ActDeliver); !strings.HasSuffix(dl.Where, "/"+c.container) {
			t.Errorf("--port %q: delivered to %s, want container %s", c.port, dl.Where, c.container)
		}
	}
	_, err := s.Trace(netsim.Request{Service: "blog", Port: "grpc"})
	if err == nil || !strings.Contains(err.Error(), "http (80/TCP), metrics (9090/TCP)") {
		t.Errorf("unknown port: %v", err)
	}
}

// One number on two protocols (DNS) needs the protocol said; either spelling then works.
func TestPortByNumberAndProtocol(t *testing.T) {
	s := load(t, 1, `apiVersion: v1
kind: Pod
metadata: {name: dns, labels: {app: dns}}
spec:
  containers:
  - name: coredns
    image: coredns
    ports: [{name: dns, containerPort: 53, protocol: UDP}, {name: dns-tcp, containerPort: 53}]
---
apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: dns}
  ports: [{name: dns-tcp, port: 53}, {name: dns, port: 53, protocol: UDP}]
`)
	if _, err := s.Trace(netsim.Request{Service: "dns", Port: "53", From: "node01"}); err == nil || !strings.Contains(err.Error(), "e.g. 53/UDP") {
		t.Errorf("ambiguous --port 53: %v", err)
	}
	for _, want := range []string{"53/udp", "53/UDP", "dns"} {
		tr := trace(t, s, netsim.Request{Service: "dns", Port: want, From: "node01"})
		if tr.Port.Protocol != "UDP" || tr.Hops[0].Before.Proto != "UDP" {
			t.Errorf("--port %s traced %s", want, tr.Port.Protocol)
		}
	}
}

func TestLoadBalancerTrace(t *testing.T) {
	s, file, data := loadSample(t, "loadbalancer.yaml", 1)
	tr := trace(t, s, netsim.Request{Service: "shop", Via: netsim.ViaLB})
	wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
	send := tr.Hops[0]
	wantPkt(t, "sent", send.Before, pkt("192.168.1.10:51000", "192.168.1.240:80"))
	if send.Narration != "send.lb" || send.Field != "spec.type" || send.Pos != (model.Pos{File: file, Line: lineOf(t, data, "type: LoadBalancer")}) {
		t.Errorf("send hop: %s %s %v", send.Narration, send.Field, send.Pos)
	}
	m := tr.Hops[3]
	if m.Narration != "match.lb" || !strings.Contains(m.Rule, "-d 192.168.1.240/32") || !strings.Contains(m.Rule, "loadbalancer IP") {
		t.Errorf("LB match hop: %s %s", m.Narration, m.Rule)
	}
	if hop(t, tr, netsim.ActSNAT).After.Src.Addr() != addr("10.244.0.1") {
		t.Error("LB traffic (policy Cluster) not masqueraded to cni0")
	}
	wantPkt(t, "reply", tr.Hops[len(tr.Hops)-1].After, pkt("192.168.1.240:80", "192.168.1.10:51000"))
	if sp := hop(t, tr, netsim.ActServicePort); sp.Narration != "teach.serviceport.lb" || sp.Args[0] != "192.168.1.240:80" {
		t.Errorf("teaching hop of an LB trace speaks of %s %v", sp.Narration, sp.Args)
	}
	// The same Service by its nodePort, which the API allocated.
	tr = trace(t, s, netsim.Request{Service: "shop"})
	wantPkt(t, "nodePort", tr.Hops[0].Before, pkt("192.168.1.10:51000", "192.168.1.2:30000"))
	wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
	// Only LoadBalancer Services have an LB IP.
	s2, _, _ := loadSample(t, "nodeport.yaml", 1)
	if _, err := s2.Trace(netsim.Request{Via: netsim.ViaLB}); err == nil {
		t.Error("--via lb on a NodePort Service: want an error")
	}
}

func TestHeadlessViaDNS(t *testing.T) {
	s, _, _ := loadSample(t, "headless.yaml", 1)
	tr := trace(t, s, netsim.Request{Service: "db", Seed: 1})
	if tr.Request.Via != netsim.ViaDNS {
		t.Errorf("default way into a headless Service: %s, want dns", tr.Request.Via)
	}
	name := tr.Endpoint.Pod.Name
	wantPath(t, tr, "dns-query@node01", "dns-answer@kube-dns", "send@node01", "route@cni0", "deliver@"+name+"/postgres", "reply@conntrack")
	wantVerdict(t, tr, netsim.Delivered, 5)
	a := tr.Hops[1]
	if a.Narration != "dns.headless" || len(a.Args) != 2 || a.Args[1] != "10.244.0.2, 10.244.0.3, 10.244.0.4" || a.Field != "spec.clusterIP" {
		t.Errorf("DNS answer: %s %q %s", a.Narration, a.Args, a.Field)
	}
	ip := s.PodInfo(tr.Endpoint.Pod).IP
	// A process on node01 reaches a Pod there from cni0's address.
	sent := pkt("10.244.0.1:51000", netip.AddrPortFrom(ip, 5432).String())
	for _, h := range tr.Hops[2:5] {
		wantPkt(t, fmt.Sprintf("step %d", h.Step), h.Before, sent)
		wantPkt(t, fmt.Sprintf("step %d after", h.Step), h.After, sent)
	}
	if hasAction(tr, netsim.ActDNAT) || hasAction(tr, netsim.ActSNAT) || hasAction(tr, netsim.ActMatch) {
		t.Error("a headless Service's traffic went through kube-proxy's rules")
	}
	r := tr.Hops[5]
	if r.Narration != "reply.direct" {
		t.Errorf("reply %s, want reply.direct", r.Narration)
	}
	wantPkt(t, "reply", r.After, pkt(netip.AddrPortFrom(ip, 5432).String(), "10.244.0.1:51000"))
	// The other seeds reach the other Pods.
	seen := map[string]bool{}
	for seed := range int64(30) {
		seen[trace(t, s, netsim.Request{Service: "db", Seed: seed}).Endpoint.Pod.Name] = true
	}
	if len(seen) != 3 {
		t.Errorf("30 seeds reached %v, want all three Pods", seen)
	}
}

func TestExternalNameAnswersCNAME(t *testing.T) {
	s, file, data := loadSample(t, "externalname.yaml", 1)
	tr := trace(t, s, netsim.Request{Service: "payments", From: "checkout"})
	wantPath(t, tr, "dns-query@default/checkout", "dns-answer@kube-dns")
	wantVerdict(t, tr, netsim.Answered, 2)
	a := tr.Hops[1]
	if a.Narration != "dns.cname" || a.Args[1] != "api.payments.example.com" || a.Field != "spec.externalName" ||
		a.Pos != (model.Pos{File: file, Line: lineOf(t, data, "externalName: api.payments.example.com")}) {
		t.Errorf("CNAME hop: %s %q %s %v", a.Narration, a.Args, a.Field, a.Pos)
	}
	wantPkt(t, "answer", a.Before, netsim.Packet{Src: netip.MustParseAddrPort("10.96.0.10:53"), Dst: netip.MustParseAddrPort("10.244.0.2:52000"), Proto: "UDP"})
	if _, err := s.Trace(netsim.Request{Service: "payments", From: "checkout", Via: netsim.ViaClusterIP}); err == nil {
		t.Error("--via clusterip to an ExternalName Service: want an error")
	}
}

func TestClusterIPFromPod(t *testing.T) {
	s, _, _ := loadSample(t, "clusterip.yaml", 1)
	client := s.Pods[0]
	tr := trace(t, s, netsim.Request{Service: "backend", Endpoint: netsim.ChooseNth(1)})
	from := "default/" + client.Pod.Name
	svcChain := "KUBE-SVC-NU7AD2CJVNXKF2GF"
	sepChain := hop(t, tr, netsim.ActDNAT).Where
	wantPath(t, tr, "send@"+from, "arrive@node01", "match@PREROUTING", "match@KUBE-SERVICES", "choose@"+svcChain, "dnat@"+sepChain,
		"route@cni0", "deliver@"+tr.Endpoint.Pod.Name+"/api", "reply@conntrack")
	wantVerdict(t, tr, netsim.Delivered, 8)
	wantPkt(t, "sent", tr.Hops[0].Before, pkt("10.244.0.2:51000", "10.96.0.11:80"))
	if m := tr.Hops[3]; m.Narration != "match.clusterip" || m.Field != "spec.ports[0].port" {
		t.Errorf("KUBE-SERVICES hop: %s %s", m.Narration, m.Field)
	}
	rs, _ := s.Rules("node01")
	masq := rs.Chain("nat", svcChain).Rules[0].String()
	if !strings.Contains(masq, "! -s 10.244.0.0/16") || !strings.HasSuffix(masq, "-j KUBE-MARK-MASQ") {
		t.Fatalf("first rule of %s is %s, want the outside-the-pod-network masquerade", svcChain, masq)
	}
	for _, h := range tr.Hops {
		if h.Rule == masq || h.Action == netsim.ActMark || h.Action == netsim.ActSNAT {
			t.Errorf("step %d: %s %s; a Pod's own address must not be masqueraded", h.Step, h.Action, h.Rule)
		}
	}
	d := hop(t, tr, netsim.ActDeliver)
	if d.Before.Src != netip.MustParseAddrPort("10.244.0.2:51000") {
		t.Errorf("the backend sees %s, want the frontend's own 10.244.0.2:51000", d.Before.Src)
	}
	wantPkt(t, "reply", tr.Hops[8].After, pkt("10.96.0.11:80", "10.244.0.2:51000"))
	if tr.Hops[8].Narration != "reply" {
		t.Errorf("reply narration %s", tr.Hops[8].Narration)
	}
	// The ClusterIP is not reachable from outside the cluster.
	if _, err := s.Trace(netsim.Request{Service: "backend", From: "external", Via: netsim.ViaClusterIP}); err == nil {
		t.Error("external client to a ClusterIP: want an error")
	}
}

func TestClusterIPFromNode(t *testing.T) {
	s, _, data := loadSample(t, "clusterip.yaml", 1)
	tr := trace(t, s, netsim.Request{Service: "backend", From: "node01", Endpoint: netsim.ChooseNth(1)})
	svcChain := "KUBE-SVC-NU7AD2CJVNXKF2GF"
	wantPath(t, tr, "send@node01", "match@OUTPUT", "match@KUBE-SERVICES", "mark@"+svcChain, "choose@"+svcChain,
		"dnat@"+hop(t, tr, netsim.ActDNAT).Where, "snat@POSTROUTING", "route@cni0", "deliver@"+tr.Endpoint.Pod.Name+"/api", "reply@conntrack")
	wantVerdict(t, tr, netsim.Delivered, 9)
	mark := tr.Hops[3]
	if !strings.HasPrefix(mark.Rule, "-A "+svcChain+" ! -s 10.244.0.0/16 -d 10.96.0.11/32") || mark.Narration != "mark.outside" {
		t.Errorf("mark hop: %s (%s)", mark.Rule, mark.Narration)
	}
	sn := tr.Hops[6]
	wantPkt(t, "snat", sn.After, netsim.Packet{Src: netip.MustParseAddrPort(masq(t, tr, "10.244.0.1")), Dst: tr.Hops[5].After.Dst, Proto: "TCP"})
	if tr.Hops[5].After.Dst != netip.MustParseAddrPort("10.244.0.3:8080") {
		t.Errorf("the first endpoint in kube-proxy's order is %s, want 10.244.0.3:8080", tr.Hops[5].After.Dst)
	}
	if sn.Field != mark.Field || sn.Field != "spec.clusterIP" {
		t.Errorf("snat hop points at %q, want the mark's %q (spec.clusterIP): a ClusterIP Service has no externalTrafficPolicy", sn.Field, mark.Field)
	}
	if !strings.Contains(data, "externalTrafficPolicy") {
		for _, h := range tr.Hops {
			if h.Field == "spec.externalTrafficPolicy" {
				t.Errorf("step %d points at spec.externalTrafficPolicy, which a ClusterIP Service does not have", h.Step)
			}
		}
	}
	wantPkt(t, "reply", tr.Hops[9].After, pkt("10.96.0.11:80", "192.168.1.2:51000"))
	for _, h := range tr.Hops[:9] {
		if h.Node != "node01" {
			t.Errorf("step %d on %q, want node01", h.Step, h.Node)
		}
	}
}

func TestHairpin(t *testing.T) {
	s, _, _ := loadSample(t, "nodeport.yaml", 1)
	tr := trace(t, s, netsim.Request{From: "myapp-pod", Via: netsim.ViaClusterIP})
	const svcChain, sep = "KUBE-SVC-HV6ZUR45AI72VIJI", "KUBE-SEP-Q5JOQ2TNM742LKJL"
	wantPath(t, tr, "send@default/myapp-pod", "arrive@node01", "match@PREROUTING", "match@KUBE-SERVICES", "choose@"+svcChain,
		"mark@"+sep, "dnat@"+sep, "snat@POSTROUTING", "route@cni0", "deliver@myapp-pod/nginx-container", "reply@conntrack")
	wantVerdict(t, tr, netsim.Delivered, 10)
	m := tr.Hops[5]
	if m.Rule != `-A `+sep+` -s 10.244.0.2/32 -m comment --comment "default/myapp-service" -j KUBE-MARK-MASQ` || m.Narration != "mark.hairpin" {
		t.Errorf("hairpin mark: %s (%s)", m.Rule, m.Narration)
	}
	sn := tr.Hops[7]
	wantPkt(t, "hairpin snat", sn.After, pkt(masq(t, tr, "10.244.0.1"), "10.244.0.2:80"))
	wantPkt(t, "reply", tr.Hops[10].After, pkt("10.96.0.11:80", "10.244.0.2:51000"))
}

// crossNodeYAML: a Deployment whose Pods all run on node02.
const crossNodeYAML = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeName: node02
      containers:
        - name: nginx
          image: nginx
          ports: [{containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, nodePort: 30080}]
---
apiVersion: v1
kind: Pod
metadata: {name: shell}
spec:
  nodeName: node01
  containers: [{name: sh, image: busybox}]
`

func TestCrossNodeEndpoint(t *testing.T) {
	s := load(t, 2, crossNodeYAML)
	tr := trace(t, s, netsim.Request{Seed: 3})
	ep := tr.Endpoint.Pod.Name
	wantPath(t, tr, "send@client", "arrive@node01", "match@PREROUTING", "match@KUBE-SERVICES", "match@KUBE-NODEPORTS",
		"mark@KUBE-EXT-LOLE4ISW44XBNF3G", "match@KUBE-EXT-LOLE4ISW44XBNF3G", "service-port@web", "choose@KUBE-SVC-LOLE4ISW44XBNF3G",
		"dnat@"+tr.Hops[9].Where, "snat@POSTROUTING", "route@node01 → node02", "route@cni0", "deliver@"+ep+"/nginx", "reply@conntrack")
	wantVerdict(t, tr, netsim.Delivered, 14)
	dst := netip.AddrPortFrom(s.PodInfo(tr.Endpoint.Pod).IP, 80)
	if !s.Nodes[1].PodCIDR.Contains(dst.Addr()) {
		t.Fatalf("endpoint %s is not in node02's subnet", dst)
	}
	sn := tr.Hops[10]
	wantPkt(t, "snat", sn.After, netsim.Packet{Src: netip.MustParseAddrPort(masq(t, tr, "10.244.0.0")), Dst: dst, Proto: "TCP"})
	ov := tr.Hops[11]
	if ov.Node != "node01" || ov.Narration != "route.overlay" || !reflect.DeepEqual(ov.Args, []string{"node01", "node02", "10.244.1.0/24"}) {
		t.Errorf("overlay hop: %s %s %q", ov.Node, ov.Narration, ov.Args)
	}
	if c := tr.Hops[12]; c.Node != "node02" || c.Args[0] != "10.244.1.1" {
		t.Errorf("cni0 hop on %s via %q, want node02's bridge 10.244.1.1", c.Node, c.Args)
	}
	if d := tr.Hops[13]; d.Node != "node02" {
		t.Errorf("delivered on %s", d.Node)
	}
	// A Pod on node01 reaching it through the ClusterIP keeps its address across the overlay.
	tr = trace(t, s, netsim.Request{From: "shell", Via: netsim.ViaClusterIP})
	if hasAction(tr, netsim.ActSNAT) {
		t.Error("Pod to a remote endpoint was masqueraded")
	}
	if d := hop(t, tr, netsim.ActDeliver); d.Before.Src != netip.MustParseAddrPort("10.244.0.2:51000") {
		t.Errorf("delivered from %s, want the shell Pod's 10.244.0.2:51000", d.Before.Src)
	}
	if !hasAction(tr, netsim.ActRoute) || tr.Hops[len(tr.Hops)-4].Where != "node01 → node02" {
		t.Errorf("Pod to remote endpoint: %v", path(tr))
	}
}

func TestDNSNamesAcrossNamespaces(t *testing.T) {
	s, _, _ := loadSample(t, "namespaces.yaml", 1)
	dev, prod := svc(t, s, "dev/api"), svc(t, s, "prod/api")
	for _, c := range []struct {
		from, name string
		want       *netsim.ServiceInfo
		fqdn       string
	}{
		{"client", "api", dev, "api.dev.svc.cluster.local"},
		{"dev/client", "api", dev, "api.dev.svc.cluster.local"},
		{"client", "api.dev", dev, "api.dev.svc.cluster.local"},
		{"client", "api.prod", prod, "api.prod.svc.cluster.local"},
		{"client", "api.prod.svc", prod, "api.prod.svc.cluster.local"},
		{"client", "api.prod.svc.cluster.local", prod, "api.prod.svc.cluster.local"},
		{"client", "api.prod.svc.cluster.local.", prod, "api.prod.svc.cluster.local"},
	} {
		tr := trace(t, s, netsim.Request{From: c.from, Via: netsim.ViaDNS, DNSName: c.name})
		if tr.Service != c.want {
			t.Errorf("%s from %s resolved to %s/%s", c.name, c.from, tr.Service.Svc.Namespace, tr.Service.Svc.Name)
			continue
		}
		q, a := tr.Hops[0], tr.Hops[1]
		if q.Action != netsim.ActDNSQuery || q.Args[1] != c.fqdn || a.Action != netsim.ActDNSAnswer || a.Args[1] != c.want.ClusterIP.String() {
			t.Errorf("%s: query %q, answer %q", c.name, q.Args, a.Args)
		}
		if tr.Hops[2].Before.Dst != netip.AddrPortFrom(c.want.ClusterIP, 80) || tr.Hops[2].Before.Src.Addr() != pod(t, s, "client").IP {
			t.Errorf("%s: sent %s", c.name, tr.Hops[2].Before)
		}
		wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
		if tr.Endpoint.Pod.Namespace != c.want.Svc.Namespace {
			t.Errorf("%s: reached a Pod in %s", c.name, tr.Endpoint.Pod.Namespace)
		}
	}
	// A node resolves in "default", where there is no api.
	tr := trace(t, s, netsim.Request{From: "node01", Via: netsim.ViaDNS, DNSName: "api"})
	wantVerdict(t, tr, netsim.Unresolved, 2)
	if tr.Hint != "did you mean api.dev.svc.cluster.local?" {
		t.Errorf("hint %q", tr.Hint)
	}
	// The README's own example: --service prod/api --from client --via dns.
	tr = trace(t, s, netsim.Request{Service: "prod/api", From: "client", Via: netsim.ViaDNS})
	if tr.Service != prod || tr.Hops[0].Args[0] != "api.prod" || tr.Hops[0].Args[1] != "api.prod.svc.cluster.local" {
		t.Errorf("--service prod/api from dev/client asked for %q", tr.Hops[0].Args)
	}
}

func TestFromExternalAndClientAliases(t *testing.T) {
	s, _, _ := loadSample(t, "nodeport.yaml", 1)
	for _, from := range []string{"", "external", "client"} {
		tr := trace(t, s, netsim.Request{From: from})
		if tr.Hops[0].Where != "client" || tr.Hops[0].Before.Src.Addr() != addr("192.168.1.10") {
			t.Errorf("--from %q sent from %s %s", from, tr.Hops[0].Where, tr.Hops[0].Before.Src)
		}
	}
	if _, err := s.Trace(netsim.Request{From: "nobody"}); err == nil || !strings.Contains(err.Error(), "node01") {
		t.Errorf("unknown origin: %v", err)
	}
}

func TestDNSNameOfARefusedServiceDoesNotResolve(t *testing.T) {
	s := load(t, 1, invalidYAML)
	tr := trace(t, s, netsim.Request{Service: "good", From: "a", Via: netsim.ViaDNS, DNSName: "lowport"})
	wantVerdict(t, tr, netsim.Unresolved, 2)
	if tr.Hint != "did you mean good.default.svc.cluster.local?" {
		t.Errorf("hint %q: a Service the API server refused is no suggestion", tr.Hint)
	}
	// Without --service: the first Service in the file is a refused one, which must not turn
	// an unknown name into an error about that Service.
	for _, name := range []string{"lowport", "outside", "gone"} {
		tr = trace(t, s, netsim.Request{From: "a", Via: netsim.ViaDNS, DNSName: name})
		wantVerdict(t, tr, netsim.Unresolved, 2)
	}
	tr = trace(t, s, netsim.Request{From: "a", Via: netsim.ViaDNS, DNSName: "good"})
	if tr.Service.Svc.Name != "good" || !hasAction(tr, netsim.ActDNAT) {
		t.Errorf("good did not resolve: %v", path(tr))
	}
}

func TestDNSSwitchesProtocol(t *testing.T) {
	doc := `apiVersion: v1
kind: Pod
metadata: {name: syslog, labels: {app: syslog}}
spec:
  containers:
    - name: rsyslog
      image: rsyslog
      ports: [{containerPort: 514, protocol: UDP}, {containerPort: 6514}]
---
apiVersion: v1
kind: Service
metadata: {name: tls}
spec:
  selector: {app: syslog}
  ports: [{port: 6514}]
---
apiVersion: v1
kind: Service
metadata: {name: syslog}
spec:
  selector: {app: syslog}
  ports: [{port: 514, protocol: UDP}]
`
	s := load(t, 1, doc)
	tr := trace(t, s, netsim.Request{Service: "tls", From: "node01", Via: netsim.ViaDNS, DNSName: "syslog"})
	wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
	if tr.Service.Svc.Name != "syslog" {
		t.Fatalf("resolved to %s", tr.Service.Svc.Name)
	}
	for _, h := range tr.Hops[2:] {
		if h.Before.Proto != "UDP" {
			t.Errorf("step %d (%s) carries %s to a UDP Service", h.Step, h.Action, h.Before.Proto)
		}
	}
	if d := hop(t, tr, netsim.ActDeliver); d.Before.Dst.Port() != 514 {
		t.Errorf("delivered to %s", d.Before.Dst)
	}
}

// affinityYAML: three replicas behind a ClientIP-affine Service, and two clients.
const affinityYAML = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  sessionAffinity: ClientIP
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: shell}
spec:
  containers: [{name: sh, image: busybox}]
`

func TestSessionAffinityClientIP(t *testing.T) {
	s := load(t, 1, affinityYAML)
	first := trace(t, s, netsim.Request{From: "shell", Seed: 0})
	want := first.Endpoint.Pod.Name
	if c := hop(t, first, netsim.ActChoose); c.Narration != "choose.affinity.set" || !strings.Contains(c.Text("en"), "at random") || !strings.Contains(c.Text("en"), "in the next 10800s") {
		t.Errorf("first choice narrated %s %q, want a random choice that the recent list remembers", c.Narration, c.Text("en"))
	}
	for seed := int64(1); seed < 20; seed++ {
		tr := trace(t, s, netsim.Request{From: "shell", Seed: seed})
		if tr.Endpoint.Pod.Name != want {
			t.Fatalf("seed %d went to %s, want %s again (sessionAffinity: ClientIP)", seed, tr.Endpoint.Pod.Name, want)
		}
		c := hop(t, tr, netsim.ActChoose)
		if c.Narration != "choose.affinity" || c.Field != "spec.sessionAffinity" || c.Pos.Line != lineOf(t, affinityYAML, "sessionAffinity: ClientIP") ||
			!strings.Contains(c.Rule, "--rcheck --seconds 10800 --reap") {
			t.Errorf("seed %d: choose hop %s %s line %d rule %s", seed, c.Narration, c.Field, c.Pos.Line, c.Rule)
		}
	}
	// Without affinity the same seeds spread.
	s = load(t, 1, strings.Replace(affinityYAML, "  sessionAffinity: ClientIP\n", "", 1))
	seen := map[string]bool{}
	for seed := range int64(20) {
		seen[trace(t, s, netsim.Request{From: "shell", Seed: seed}).Endpoint.Pod.Name] = true
	}
	if len(seen) < 2 {
		t.Errorf("without affinity 20 seeds all went to %v", seen)
	}
}

func TestSessionAffinityConcurrentTraces(t *testing.T) {
	s := load(t, 1, affinityYAML)
	var wg sync.WaitGroup
	names := make([]string, 16)
	for i := range names {
		wg.Go(func() {
			tr, err := s.Trace(netsim.Request{From: "shell", Seed: int64(i)})
			if err != nil {
				t.Error(err)
				return
			}
			names[i] = tr.Endpoint.Pod.Name
		})
	}
	wg.Wait()
	for _, n := range names {
		if n != names[0] {
			t.Fatalf("concurrent traces from one client reached %v despite sessionAffinity: ClientIP", names)
		}
	}
}

func TestForcedEndpointFollowsKubeProxyOrder(t *testing.T) {
	s, _, _ := loadSample(t, "deployment.yaml", 1)
	rs, _ := s.Rules("node01")
	svcRules := rs.Chain("nat", "KUBE-SVC-LOLE4ISW44XBNF3G").Rules
	var order []string
	for _, r := range svcRules {
		if strings.HasPrefix(r.Target, "KUBE-SEP-") {
			_, dst, _ := strings.Cut(r.Comment, " -> ")
			order = append(order, dst)
		}
	}
	if len(order) != 3 {
		t.Fatalf("KUBE-SVC has %d endpoint rules", len(order))
	}
	seen := map[string]bool{}
	for i, dst := range order {
		for seed := range int64(5) {
			tr := trace(t, s, netsim.Request{Endpoint: netsim.ChooseNth(i + 1), Seed: seed})
			d := hop(t, tr, netsim.ActDNAT)
			if got := d.After.Dst.String(); got != dst {
				t.Errorf("ForceEndpoint(%d) seed %d: DNAT to %s, want %s", i, seed, got, dst)
			}
			if ip := s.PodInfo(tr.Endpoint.Pod).IP; ip != d.After.Dst.Addr() {
				t.Errorf("Trace.Endpoint %s (%s) is not the DNAT target %s", tr.Endpoint.Pod.Name, ip, d.After.Dst)
			}
			seen[tr.Endpoint.Pod.Name] = true
		}
	}
	if len(seen) != 3 {
		t.Errorf("forcing reached %v, want 3 Pods", seen)
	}
}

func TestDeterministic(t *testing.T) {
	s1, _, _ := loadSample(t, "deployment.yaml", 2)
	s2, _, _ := loadSample(t, "deployment.yaml", 2)
	diff := 0
	var prev []netsim.Hop
	for seed := range int64(20) {
		req := netsim.Request{Seed: seed}
		a, b, c := trace(t, s1, req), trace(t, s1, req), trace(t, s2, req)
		if !reflect.DeepEqual(a.Hops, b.Hops) || !reflect.DeepEqual(a.Hops, c.Hops) || a.Verdict != c.Verdict {
			t.Fatalf("seed %d: two traces differ:\n%v\n%v", seed, path(a), path(c))
		}
		if prev != nil && !reflect.DeepEqual(prev, a.Hops) {
			diff++
		}
		prev = a.Hops
	}
	if diff == 0 {
		t.Error("20 seeds gave 20 identical traces: the seed does not reach the choice")
	}
}

func TestSpreadOverReplicas(t *testing.T) {
	s, _, _ := loadSample(t, "deployment.yaml", 1)
	count := map[string]int{}
	for seed := range int64(1000) {
		tr, err := s.Trace(netsim.Request{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Verdict != netsim.Delivered {
			t.Fatalf("seed %d: %s", seed, tr.Verdict)
		}
		count[tr.Endpoint.Pod.Name]++
	}
	if len(count) != 3 {
		t.Fatalf("reached %v, want 3 Pods", count)
	}
	for name, n := range count {
		if n < 280 || n > 390 {
			t.Errorf("%s got %d of 1000 (want 280-390): %v", name, n, count)
		}
	}
}

func TestTraceRequestErrors(t *testing.T) {
	s, _, _ := loadSample(t, "clusterip.yaml", 1)
	for _, c := range []struct {
		req  netsim.Request
		want string
	}{
		{netsim.Request{Service: "nope"}, `no Service "nope"`},
		{netsim.Request{Service: "backend", Port: "81"}, `no port "81"`},
		{netsim.Request{Service: "backend", Via: netsim.ViaNodePort}, "no nodePort"},
		{netsim.Request{Service: "backend", Via: "carrier-pigeon"}, "unknown way in"},
		{netsim.Request{Service: "backend", From: "external", Via: netsim.ViaDNS}, "inside the cluster"},
		{netsim.Request{Service: "backend", ToNode: "node02"}, `no node "node02"`},
		{netsim.Request{Via: netsim.ViaDNS, DNSName: "backend", Port: "81"}, `no port "81"`},
	} {
		if _, err := s.Trace(c.req); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: err %v, want %q", c.req, err, c.want)
		}
	}
}

// A Pod whose address spilled out of its node's /24 is still a local Pod: masquerade to
// cni0 and no overlay hop.
func TestFullPodSubnetLeavesPodsWithoutAddress(t *testing.T) {
	doc := `apiVersion: apps/v1
kind: Deployment
metadata: {name: bulk}
spec:
  replicas: 300
  selector: {matchLabels: {app: bulk}}
  template:
    metadata: {labels: {app: bulk}}
    spec:
      containers: [{name: c, image: nginx}]
---
apiVersion: v1
kind: Pod
metadata: {name: last, labels: {app: last}}
spec:
  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: last}
spec:
  type: NodePort
  selector: {app: last}
  ports: [{port: 80}]
`
	s := load(t, 1, doc)
	// node01's /24 holds 253 Pods: Pod last gets no address (the CNI's IPAM has none left),
	// never one of another range, and so is no endpoint: the nodePort rejects.
	if ip := pod(t, s, "last").IP; ip.IsValid() {
		t.Fatalf("Pod last at %s, past node01's full /24", ip)
	}
	var full []model.Diagnostic
	for _, d := range s.Diagnostics {
		if d.Code == model.CodePodSubnetFull {
			full = append(full, d)
		}
	}
	if len(full) != 1 || !strings.Contains(full[0].Message, "10.244.0.0/24 has no address left for 48 Pod(s)") {
		t.Errorf("subnet diagnostics %+v", full)
	}
	tr := trace(t, s, netsim.Request{})
	wantVerdict(t, tr, netsim.Rejected, 5)
	if eps := s.Services[0].Svc.Ports[0].Endpoints; len(eps) != 0 {
		t.Errorf("endpoints %+v, want none", eps)
	}
}

// hostNetworkYAML: a DaemonSet on the node's own network behind a NodePort Service.
const hostNetworkYAML = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      hostNetwork: true
      containers:
        - name: agent
          image: agent
          ports: [{containerPort: 9100}]
---
apiVersion: v1
kind: Service
metadata: {name: agent}
spec:
  type: NodePort
  selector: {app: agent}
  ports: [{port: 9100, nodePort: 30910}]
`

func TestHostNetworkEndpoint(t *testing.T) {
	s := load(t, 2, hostNetworkYAML)
	byNode := map[string]*netsim.Trace{}
	for i := range 2 {
		tr := trace(t, s, netsim.Request{Endpoint: netsim.ChooseNth(i + 1)})
		byNode[s.PodInfo(tr.Endpoint.Pod).Node.Name] = tr
	}
	// On the node the packet entered: DNAT to the node's own address, so the packet is
	// delivered locally (INPUT) and never meets POSTROUTING's masquerade.
	tr := byNode["node01"]
	wantPath(t, tr, "send@client", "arrive@node01", "match@PREROUTING", "match@KUBE-SERVICES", "match@KUBE-NODEPORTS",
		"mark@KUBE-EXT-EGV2CNBQD3S7C4VQ", "match@KUBE-EXT-EGV2CNBQD3S7C4VQ", "service-port@agent", "choose@KUBE-SVC-EGV2CNBQD3S7C4VQ",
		"dnat@"+tr.Hops[9].Where, "deliver@"+tr.Endpoint.Pod.Name+"/agent", "reply@conntrack")
	wantVerdict(t, tr, netsim.Delivered, 11)
	wantPkt(t, "delivered", tr.Hops[10].Before, pkt("192.168.1.10:51000", "192.168.1.2:9100"))
	if tr.Hops[10].Narration != "deliver.host" {
		t.Errorf("deliver narration %s", tr.Hops[10].Narration)
	}
	// On the other node: masquerade to node01's address on the node network.
	tr = byNode["node02"]
	wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
	wantPkt(t, "snat", hop(t, tr, netsim.ActSNAT).After, pkt(masq(t, tr, "192.168.1.2"), "192.168.1.3:9100"))
	if hasAction(tr, netsim.ActRoute) && tr.Hops[11].Where != "node01 → node02" {
		t.Errorf("hops %v", path(tr))
	}
	// From node01 itself, the packet goes out through OUTPUT and POSTROUTING, and is masqueraded.
	tr = trace(t, s, netsim.Request{From: "node01", Via: netsim.ViaClusterIP, Endpoint: netsim.ChooseNth(indexOn(t, s, "node01") + 1)})
	if sn := hop(t, tr, netsim.ActSNAT); sn.After.Src.Addr() != addr("192.168.1.2") {
		t.Errorf("node01 to its own hostNetwork endpoint masqueraded to %s", sn.After.Src)
	}
}

// indexOn is the position, in kube-proxy's order, of the agent endpoint that runs on node.
func indexOn(t testing.TB, s *netsim.Sim, node string) int {
	t.Helper()
	for i := range 2 {
		tr := trace(t, s, netsim.Request{Endpoint: netsim.ChooseNth(i + 1)})
		if s.PodInfo(tr.Endpoint.Pod).Node.Name == node {
			return i
		}
	}
	t.Fatalf("no endpoint on %s", node)
	return 0
}

// With no --from, a ClusterIP trace starts at a Pod of the Service's own namespace.
func TestDefaultClientPrefersOwnNamespace(t *testing.T) {
	s, _, _ := loadSample(t, "namespaces.yaml", 1)
	// prod/api's Pods come first in the file, but dev has its own client.
	if tr := trace(t, s, netsim.Request{Service: "dev/api"}); tr.Hops[0].Where != "dev/client" {
		t.Errorf("dev/api traced from %s, want dev/client", tr.Hops[0].Where)
	}
	// Every Pod of prod is behind prod/api: another namespace's Pod is the client.
	if tr := trace(t, s, netsim.Request{Service: "prod/api"}); !strings.HasPrefix(tr.Hops[0].Where, "dev/") {
		t.Errorf("prod/api traced from %s, want a Pod outside the Service", tr.Hops[0].Where)
	}
}

// masq is "addr:port" with the source port MASQUERADE --random-fully gave the trace: a port of
// 1024-65535 other than the client's, the same for the same seed.
func masq(t *testing.T, tr *netsim.Trace, addr string) string {
	t.Helper()
	sn := hop(t, tr, netsim.ActSNAT)
	port := sn.After.Src.Port()
	if port < 1024 || port == sn.Before.Src.Port() {
		t.Errorf("--random-fully source port %d (was %d)", port, sn.Before.Src.Port())
	}
	if !strings.Contains(sn.Text("en"), "random in a real cluster") {
		t.Errorf("snat narration %q does not say the port is random in a real cluster", sn.Text("en"))
	}
	return addr + ":" + strconv.Itoa(int(port))
}
