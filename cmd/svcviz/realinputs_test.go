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
	r.mustDiag(t, model.CodeNamedPortNotFound, "Service/default/resolver-udp-named", "", `names no UDP container port`)

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
