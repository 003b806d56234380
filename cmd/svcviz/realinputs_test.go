package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/model"
)

// The files of testdata/real-inputs are manifests people really had; each test asserts what
// the README there says Kubernetes does, through check -o json, trace -o json and rules.

const realInputsDir = "../../testdata/real-inputs"

func realInput(name string) string { return filepath.Join(realInputsDir, name) }

// checkOf runs check -o json and decodes the report.
func checkOf(t *testing.T, args ...string) (int, checkReport) {
	t.Helper()
	code, out, stderr := svcviz(t, "", append([]string{"check", "-o", "json"}, args...)...)
	var r checkReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("check %v: exit %d, %v\nstdout %s\nstderr %s", args, code, err, out, stderr)
	}
	return code, r
}

// traceOf runs trace -o json and decodes the trace.
func traceOf(t *testing.T, args ...string) (int, traceJSON) {
	t.Helper()
	code, out, stderr := svcviz(t, "", append([]string{"trace", "-o", "json"}, args...)...)
	var r traceJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("trace %v: exit %d, %v\nstdout %s\nstderr %s", args, code, err, out, stderr)
	}
	return code, r
}

func (r checkReport) service(t *testing.T, ns, name string) serviceJSON {
	t.Helper()
	for _, s := range r.Services {
		if s.Namespace == ns && s.Name == name {
			return s
		}
	}
	t.Fatalf("no Service %s/%s in %+v", ns, name, r.Services)
	return serviceJSON{}
}

// diags returns the diagnostics with a code, about an object ("" for any).
func (r checkReport) diags(code, object string) []model.Diagnostic {
	var out []model.Diagnostic
	for _, d := range r.Diagnostics {
		if d.Code == code && (object == "" || d.Object == object) {
			out = append(out, d)
		}
	}
	return out
}

func (r checkReport) mustDiag(t *testing.T, code, object, field, contains string) model.Diagnostic {
	t.Helper()
	for _, d := range r.diags(code, object) {
		if (field == "" || d.Field == field) && strings.Contains(d.Message, contains) {
			return d
		}
	}
	t.Fatalf("no %s diagnostic on %s %s containing %q in\n%s", code, object, field, contains, diagList(r.Diagnostics))
	return model.Diagnostic{}
}

func diagList(ds []model.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(formatDiagnostic(d) + "\n")
	}
	return b.String()
}

func endpointAddrs(p portJSON) string {
	var out []string
	for _, e := range p.Endpoints {
		out = append(out, e.IP+":"+itoaTest(e.Port))
	}
	return strings.Join(out, ",")
}

func itoaTest(v int32) string { b, _ := json.Marshal(v); return string(b) }

// hop finds the first hop with an action.
func (tj traceJSON) hop(t *testing.T, action string) hopJSON {
	t.Helper()
	for _, h := range tj.Hops {
		if h.Action == action {
			return h
		}
	}
	t.Fatalf("no %s hop in %+v", action, tj.Hops)
	return hopJSON{}
}

func (tj traceJSON) has(action string) bool {
	for _, h := range tj.Hops {
		if h.Action == action {
			return true
		}
	}
	return false
}

func TestRealInputUDPPortDeclaredTCP(t *testing.T) {
	f := realInput("udp-port-declared-tcp.yaml")
	_, r := checkOf(t, f)
	num := r.service(t, "default", "resolver-udp-numeric").Ports[0]
	if num.Protocol != "UDP" || endpointAddrs(num) != "10.244.0.2:53" {
		t.Errorf("numeric UDP port: %+v, want one endpoint 10.244.0.2:53/UDP", num)
	}
	named := r.service(t, "default", "resolver-udp-named").Ports[0]
	if len(named.Endpoints) != 0 {
		t.Errorf("named UDP port has endpoints %+v: the name matches a TCP port only", named.Endpoints)
	}
	r.mustDiag(t, model.CodeProtocolMismatch, "Service/default/resolver-udp-numeric", "spec.ports[0].protocol", "declares 53/TCP but not 53/UDP")
	// The name exists, only for TCP: one cause, one warning (the protocol), not a "no such name" beside it.
	r.mustDiag(t, model.CodeProtocolMismatch, "Service/default/resolver-udp-named", "spec.ports[0].protocol", `declares dns=53/TCP but no UDP port named dns`)
	for _, d := range r.Diagnostics {
		if d.Code == model.CodeNamedPortNotFound {
			t.Errorf("named-port-not-found beside protocol-mismatch: %+v", d)
		}
	}

	code, tr := traceOf(t, f, "--service", "resolver-udp-numeric")
	if code != 1 || tr.Verdict != "refused" {
		t.Fatalf("numeric: exit %d verdict %s", code, tr.Verdict)
	}
	dnat := tr.hop(t, "dnat")
	if dnat.After.Dst != "10.244.0.2:53" || dnat.Protocol != "UDP" {
		t.Errorf("DNAT %+v, want 10.244.0.2:53/UDP", dnat)
	}
	refuse := tr.hop(t, "refuse")
	for _, want := range []string{"declares 53/TCP but not 53/UDP", "svcviz assumes", "ICMP port unreachable", "protocol: UDP"} {
		if !strings.Contains(refuse.Narration, want) {
			t.Errorf("refuse narration %q lacks %q", refuse.Narration, want)
		}
	}
	reply := tr.Hops[len(tr.Hops)-1]
	if reply.Action != "reply" || reply.Protocol != "ICMP" || reply.After.Src != "10.96.0.12" || reply.After.Dst != "10.244.0.3" {
		t.Errorf("reply %+v, want ICMP from the ClusterIP to the client", reply)
	}
	for _, h := range tr.Hops {
		if strings.Contains(h.Narration, "RST") || strings.Contains(h.Narration, "connect()") {
			t.Errorf("hop %d speaks of TCP: %q", h.Step, h.Narration)
		}
	}

	code, tr = traceOf(t, f, "--service", "resolver-udp-named")
	if code != 1 || tr.Verdict != "rejected" || tr.has("dnat") {
		t.Fatalf("named: exit %d verdict %s", code, tr.Verdict)
	}
	if rej := tr.hop(t, "reject"); !strings.Contains(rej.Rule, "-p udp") || !strings.Contains(rej.Rule, "icmp-port-unreachable") {
		t.Errorf("reject rule %q", rej.Rule)
	}
	if last := tr.Hops[len(tr.Hops)-1]; strings.Contains(last.Narration, "connect()") {
		t.Errorf("UDP reject reply speaks of connect(): %q", last.Narration)
	}

	_, rules, _ := svcviz(t, "", "rules", f)
	for _, want := range []string{
		`-A KUBE-SERVICES -d 10.96.0.11/32 -p udp -m comment --comment "default/resolver-udp-named:dns-udp has no endpoints" -m udp --dport 53 -j REJECT --reject-with icmp-port-unreachable`,
		`-m udp -j DNAT --to-destination 10.244.0.2:53`,
	} {
		if !strings.Contains(rules, want) {
			t.Errorf("rules lack %q", want)
		}
	}
}

func TestRealInputHeadlessEndpointsPort(t *testing.T) {
	f := realInput("headless-endpoints-port.yaml")
	_, r := checkOf(t, f)
	s := r.service(t, "dev", "vault")
	if s.ClusterIP != "None" || endpointAddrs(s.Ports[0]) != "203.0.113.20:8200" {
		t.Errorf("vault %+v: the client reaches 203.0.113.20 on the Service port 8200", s)
	}
	d := r.mustDiag(t, model.CodeHeadlessTargetPort, "Service/dev/vault", "spec.ports[0].targetPort", "ignored for clusterIP: None")
	if d.Line != 10 || d.Severity != model.Warning {
		t.Errorf("diagnostic %+v, want a warning at line 10", d)
	}
	code, tr := traceOf(t, f, "--service", "dev/vault", "--from", "dev/client")
	if code != 0 || tr.Verdict != "delivered" {
		t.Fatalf("exit %d verdict %s", code, tr.Verdict)
	}
	send := tr.hop(t, "send")
	if send.After.Dst != "203.0.113.20:8200" || send.Field != "spec.ports[0].port" {
		t.Errorf("send %+v, want 203.0.113.20:8200 decided by spec.ports[0].port", send)
	}
	for _, h := range tr.Hops {
		if h.Rule != "" || h.Action == "dnat" || strings.Contains(h.After.Dst, ":32001") {
			t.Errorf("hop %+v: a headless Service has no rules and no DNAT", h)
		}
	}
	_, rules, _ := svcviz(t, "", "rules", f)
	if strings.Contains(rules, "dev/vault") {
		t.Errorf("rules mention the headless Service:\n%s", rules)
	}
}

func TestRealInputEndpointSlicesByHand(t *testing.T) {
	f := realInput("endpointslices-by-hand.yaml")
	_, r := checkOf(t, f)
	if db := r.service(t, "default", "db").Ports[0]; endpointAddrs(db) != "192.0.2.21:5432" {
		t.Errorf("db endpoints %s: only the ready one, not the not-ready or terminating ones (one is ready)", endpointAddrs(db))
	}
	if ext := r.service(t, "default", "ext").Ports[0]; len(ext.Endpoints) != 0 {
		t.Errorf("ext endpoints %+v: the slice's unnamed port does not join the port named http", ext.Endpoints)
	}
	d := r.mustDiag(t, model.CodeSlicePortMismatch, "EndpointSlice/default/ext-1", "", `Service "ext" has no TCP port of that name`)
	if d.Line != 36 {
		t.Errorf("port mismatch at line %d, want 36 (the slice's port)", d.Line)
	}
	r.mustDiag(t, model.CodeSliceNoService, "EndpointSlice/default/orphan-abc12", "", `names Service "orphan"`)
	for _, s := range r.Services {
		if s.Name == "orphan" {
			t.Errorf("a Service came out of an orphan slice: %+v", s)
		}
	}

	_, rules, _ := svcviz(t, "", "rules", f)
	for _, ip := range []string{"192.0.2.22", "192.0.2.23", "10.244.0.50", "192.0.2.10"} {
		if strings.Contains(rules, ip) {
			t.Errorf("rules DNAT to %s, which kube-proxy never uses", ip)
		}
	}
	if !strings.Contains(rules, "-j DNAT --to-destination 192.0.2.21:5432") || !strings.Contains(rules, `"default/ext:http has no endpoints"`) {
		t.Errorf("rules:\n%s", rules)
	}

	code, tr := traceOf(t, f, "--service", "ext")
	if code != 1 || tr.Verdict != "rejected" {
		t.Fatalf("ext: exit %d verdict %s", code, tr.Verdict)
	}
	if rej := tr.hop(t, "reject"); rej.Diag == nil || rej.Diag.Code != model.CodeSlicePortMismatch {
		t.Errorf("reject hop explains %+v, want the slice's port mismatch", rej.Diag)
	}
	for seed := 0; seed < 8; seed++ {
		code, tr = traceOf(t, f, "--service", "db", "--seed", itoaTest(int32(seed)))
		if code != 0 || tr.hop(t, "dnat").After.Dst != "192.0.2.21:5432" {
			t.Errorf("db seed %d: exit %d dnat %+v", seed, code, tr.hop(t, "dnat"))
		}
	}
}

func TestRealInputKubectlGetDumpTwoNodes(t *testing.T) {
	f := realInput("kubectl-get-dump-2-nodes.yaml")
	_, r := checkOf(t, f)
	web := r.service(t, "shop", "web").Ports[0]
	if len(web.Endpoints) != 1 || web.Endpoints[0].IP != "10.244.1.7" || web.Endpoints[0].Node != "kind-worker" {
		t.Errorf("shop/web endpoints %+v: the one Ready Pod, on kind-worker", web.Endpoints)
	}
	if dns := r.service(t, "kube-system", "kube-dns").Ports[0]; len(dns.Endpoints) != 1 || dns.Endpoints[0].Node != "kind-control-plane" {
		t.Errorf("kube-dns endpoints %+v", dns.Endpoints)
	}
	for _, d := range r.Diagnostics {
		if strings.Contains(d.Message, "node01") || d.Code == model.CodeAddressOutside {
			t.Errorf("diagnostic about an invented node or subnet: %s", formatDiagnostic(d))
		}
	}
	_, rules, _ := svcviz(t, "", "rules", f)
	if !strings.Contains(rules, "-A KUBE-NODEPORTS -p tcp -m comment --comment \"shop/web\" -m tcp --dport 31234") {
		t.Errorf("rules on the first node lack shop/web's nodePort:\n%s", rules)
	}
	if code, _, stderr := svcviz(t, "", "rules", f, "--node", "node01"); code != 2 || !strings.Contains(stderr, "kind-control-plane, kind-worker") {
		t.Errorf("rules --node node01: exit %d %q, want no such node (the nodes are kind-control-plane, kind-worker)", code, stderr)
	}

	for _, node := range []string{"kind-control-plane", "kind-worker"} {
		code, tr := traceOf(t, f, "--service", "shop/web", "--to-node", node)
		if code != 0 || tr.Verdict != "delivered" {
			t.Fatalf("to %s: exit %d verdict %s", node, code, tr.Verdict)
		}
		send := tr.hop(t, "send")
		wantDst := map[string]string{"kind-control-plane": "172.18.0.2:31234", "kind-worker": "172.18.0.3:31234"}[node]
		if send.After.Dst != wantDst || !strings.HasPrefix(send.Before.Src, "172.18.0.") {
			t.Errorf("send %+v, want the client on the nodes' network to %s", send, wantDst)
		}
		for _, h := range tr.Hops {
			if h.Node == "node01" || strings.Contains(h.Narration, "node01") {
				t.Errorf("hop %d on an invented node01: %+v", h.Step, h)
			}
			if h.Action == "route" && strings.Contains(h.Where, "→") && !strings.Contains(h.Narration, "kind-worker's pod subnet 10.244.1.0/24") {
				t.Errorf("overlay narration %q, want kind-worker's pod subnet 10.244.1.0/24", h.Narration)
			}
		}
		if dl := tr.hop(t, "deliver"); dl.After.Dst != "10.244.1.7:8080" || dl.Node != "kind-worker" {
			t.Errorf("deliver %+v", dl)
		}
	}
}

func TestRealInputHostNetworkHostPort(t *testing.T) {
	f := realInput("hostnetwork-hostport.yaml")
	code, r := checkOf(t, f)
	if code != 1 {
		t.Errorf("exit %d, want 1 (an error)", code)
	}
	d := r.mustDiag(t, model.CodeInvalidPort, "Pod/default/bad", "spec.containers[0].ports[0].hostPort",
		"spec.containers[0].ports[0].hostPort: Invalid value: 9201: must match `containerPort` when `hostNetwork` is true")
	if d.Severity != model.Error || d.Line != 67 {
		t.Errorf("%+v, want an error at line 67", d)
	}
	if eps := r.service(t, "default", "bad").Ports[0].Endpoints; len(eps) != 0 {
		t.Errorf("the refused Pod is an endpoint: %+v", eps)
	}
	if n := r.mustDiag(t, model.CodeNoMatchingPods, "Service/default/bad", "", "matches no Pod"); !strings.Contains(n.Hint, `Pod "bad", which the API server refuses`) {
		t.Errorf("hint %q does not name the refused Pod", n.Hint)
	}
	if got := endpointAddrs(r.service(t, "default", "exporter").Ports[0]); got != "192.168.1.2:9100" {
		t.Errorf("exporter (hostNetwork, hostPort defaulted to containerPort) endpoints %s", got)
	}
	if len(r.diags(model.CodeInvalidPort, "Pod/default/exporter"))+len(r.diags(model.CodeInvalidPort, "Pod/default/web")) != 0 {
		t.Errorf("valid Pods refused:\n%s", diagList(r.Diagnostics))
	}
	code, tr := traceOf(t, f, "--service", "bad")
	if code != 1 || tr.Verdict != "rejected" {
		t.Errorf("bad: exit %d verdict %s, want rejected (no endpoint)", code, tr.Verdict)
	}
	_, rules, _ := svcviz(t, "", "rules", f)
	if !strings.Contains(rules, `"default/bad has no endpoints"`) || strings.Contains(rules, "9201") {
		t.Errorf("rules for bad:\n%s", rules)
	}
	if code, tr = traceOf(t, f, "--service", "exporter"); code != 0 || tr.hop(t, "deliver").After.Dst != "192.168.1.2:9100" {
		t.Errorf("exporter: exit %d %+v", code, tr)
	}
}
