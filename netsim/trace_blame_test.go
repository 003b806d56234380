package netsim_test

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/netsim"
)

// A Service whose selector matches but whose named targetPort no container declares (or
// declares only with another protocol) is rejected because of that port: the reject hop points
// at the field that decided, as its diagnostic does, in both proxy modes, never at the selector.
func TestRejectBlamesTheDecidingField(t *testing.T) {
	const doc = `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports:
  - name: a
    port: 81
    targetPort: nope
  - name: b
    port: 80
    protocol: PROTO
    targetPort: TARGET
`
	for _, tc := range []struct {
		proto, target, field, code string
		line                       int
	}{
		{"TCP", "http-web", "spec.ports[1].targetPort", "named-port-not-found", 23},
		{"UDP", "http", "spec.ports[1].protocol", "protocol-mismatch", 22},
	} {
		y := strings.NewReplacer("PROTO", tc.proto, "TARGET", tc.target).Replace(doc)
		for _, mode := range []netsim.ProxyMode{netsim.ModeIPTables, netsim.ModeNFTables} {
			tr := trace(t, load(t, 1, y), netsim.Request{Service: "web", Port: "b", From: "node01", Mode: mode})
			r := hop(t, tr, netsim.ActReject)
			wantVerdict(t, tr, netsim.Rejected, r.Step)
			if r.Field != tc.field || r.Pos.Line != tc.line || r.Diagnostic == nil || r.Diagnostic.Code != tc.code || r.Diagnostic.Line != r.Pos.Line {
				t.Errorf("%s %s: reject hop at %s line %d with %+v, want %s line %d with %s", tc.proto, mode, r.Field, r.Pos.Line, r.Diagnostic, tc.field, tc.line, tc.code)
			}
		}
	}
}

// An endpoint forced by --endpoint (or the Pod clicked on screen) is not "picked at random":
// the choose hop says it was forced, in both modes and languages; the rules' own choice says
// random.
func TestForcedChoiceSaysSo(t *testing.T) {
	s, _, _ := loadSample(t, "clusterip.yaml", 1)
	for _, mode := range []netsim.ProxyMode{netsim.ModeIPTables, netsim.ModeNFTables} {
		forced := trace(t, s, netsim.Request{Service: "backend", Endpoint: netsim.ChooseNth(2), Mode: mode})
		c := hop(t, forced, netsim.ActChoose)
		if c.Narration != "choose.forced" || strings.Contains(c.Text("en"), "picks") || !strings.Contains(c.Text("en"), "forced") || !strings.Contains(c.Text("ko"), "--endpoint") {
			t.Errorf("%s forced: %s: %s / %s", mode, c.Narration, c.Text("en"), c.Text("ko"))
		}
		byRules := hop(t, trace(t, s, netsim.Request{Service: "backend", Mode: mode}), netsim.ActChoose)
		if byRules.Narration != "choose" || !strings.Contains(byRules.Text("en"), "at random") {
			t.Errorf("%s by the rules: %s: %s", mode, byRules.Narration, byRules.Text("en"))
		}
	}
}

// A packet to a port of the node's own address that no rule knows goes up the node's stack,
// where nothing listens: the kernel answers with a RST (refused), in both modes, and no Service
// field is blamed.
func TestNodeAddressNoRuleIsRefusedByTheKernel(t *testing.T) {
	s, _, _ := loadSample(t, "nodeport.yaml", 1)
	for _, mode := range []netsim.ProxyMode{netsim.ModeIPTables, netsim.ModeNFTables} {
		tr := trace(t, s, netsim.Request{Service: "myapp-service", Dst: netip.MustParseAddrPort("192.168.1.2:30099"), Mode: mode})
		r := hop(t, tr, netsim.ActRefuse)
		wantVerdict(t, tr, netsim.Refused, r.Step)
		last := tr.Hops[len(tr.Hops)-1]
		if r.Narration != "refuse.node" || r.Field != "" || last.Narration != "reply.rst" || !strings.Contains(r.Text("en"), "TCP RST") {
			t.Errorf("%s: %s field %q, then %s: %s", mode, r.Narration, r.Field, last.Narration, r.Text("en"))
		}
	}
}

// A Pod that declares the targetPort only for TCP refuses a UDP datagram: the refuse hop points
// at the port's protocol, as its protocol-mismatch diagnostic does.
func TestRefuseBlamesTheProtocol(t *testing.T) {
	s := load(t, 1, `apiVersion: v1
kind: Pod
metadata: {name: dns, labels: {app: dns}}
spec:
  containers: [{name: dns, image: coredns, ports: [{containerPort: 53}]}]
---
apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: dns}
  ports:
  - port: 53
    protocol: UDP
`)
	for _, mode := range []netsim.ProxyMode{netsim.ModeIPTables, netsim.ModeNFTables} {
		tr := trace(t, s, netsim.Request{Service: "dns", From: "node01", Mode: mode})
		r := hop(t, tr, netsim.ActRefuse)
		if r.Field != "spec.ports[0].protocol" || r.Pos.Line != 14 || r.Diagnostic == nil || r.Diagnostic.Code != "protocol-mismatch" {
			t.Errorf("%s: refuse hop at %s line %d with %+v", mode, r.Field, r.Pos.Line, r.Diagnostic)
		}
	}
}
