package main

// The real inputs about DNS, names and the API server's judgement (see realinputs_test.go).

import (
	"strings"
	"testing"

	"github.com/svcviz/svcviz/model"
)

func TestRealInputDupPortName(t *testing.T) {
	f := realInput("dup-port-name.yaml")
	_, r := checkOf(t, f)
	busy := r.service(t, "default", "busy")
	if got := endpointAddrs(busy.Ports[0]); got != "10.244.0.2:81" {
		t.Errorf("named-port endpoints %s, want the first container's http, 81", got)
	}
	if got := endpointAddrs(busy.Ports[1]); got != "10.244.0.2:80" {
		t.Errorf("numbered-port-80 endpoints %s", got)
	}
	d := r.mustDiag(t, model.CodeDuplicatePortName, "Pod/default/busy", "",
		`spec.containers[1].ports[0]: duplicate port name "http" with spec.containers[0].ports[0], services and probes that select ports by name will use spec.containers[0].ports[0]`)
	if d.Severity != model.Warning || d.Line != 22 {
		t.Errorf("%+v, want a warning at line 22", d)
	}
	if code, tr := traceOf(t, f, "--port", "named-port"); code != 0 || tr.hop(t, "dnat").After.Dst != "10.244.0.2:81" {
		t.Errorf("named-port trace: exit %d", code)
	}
}

func TestRealInputIPFamilies(t *testing.T) {
	f := realInput("ip-families.yaml")
	code, r := checkOf(t, f)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, c := range []struct{ svc, msg string }{
		{"v6-only", `spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster`},
		{"dual-required", `spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured for dual-stack services`},
		{"dual-preferred", `spec.ipFamilies[1]: Invalid value: "IPv6": not configured on this cluster`},
		{"v6-fixed-ip", `spec.clusterIPs[0]: Invalid value: ["fd00:10:96::20"]: IPv6 is not configured on this cluster`},
	} {
		ds := r.diags(model.CodeIPFamily, "Service/default/"+c.svc)
		if len(ds) != 1 || ds[0].Message != c.msg || ds[0].Severity != model.Error {
			t.Errorf("%s: %+v, want one error %q", c.svc, ds, c.msg)
		}
		if s := r.service(t, "default", c.svc); s.Valid {
			t.Errorf("%s is valid", c.svc)
		}
		if code, _, stderr := svcviz(t, "", "trace", f, "--service", c.svc); code != 2 || !strings.Contains(stderr, "would refuse") {
			t.Errorf("trace %s: exit %d %q", c.svc, code, stderr)
		}
	}
	_, rules, _ := svcviz(t, "", "rules", f)
	if strings.Contains(rules, "KUBE-SVC-") {
		t.Errorf("rules for refused Services:\n%s", rules)
	}
}

func TestRealInputNotReadyPodDNS(t *testing.T) {
	f := realInput("notready-pod-dns.yaml")
	code, tr := traceOf(t, f, "--via", "dns", "--name", "server-1.ms", "--from", "client")
	if code != 1 || tr.Verdict != "unresolved" {
		t.Fatalf("server-1.ms: exit %d verdict %s", code, tr.Verdict)
	}
	for _, h := range tr.Hops {
		if h.Action == "dns-answer" || strings.Contains(h.Narration, "10.244.0.6") {
			t.Errorf("hop %d answers with the not-ready Pod: %q", h.Step, h.Narration)
		}
	}
	nx := tr.hop(t, "unresolved")
	if !strings.Contains(nx.Narration, "Pod server-1 is not ready (Ready=False)") || !strings.Contains(tr.Hint, "publishNotReadyAddresses: true") {
		t.Errorf("NXDOMAIN %q, hint %q", nx.Narration, tr.Hint)
	}
	code, tr = traceOf(t, f, "--via", "dns", "--name", "server-0.ms", "--from", "client")
	if code != 0 || tr.Verdict != "delivered" || tr.hop(t, "dns-answer").After.Dst != "10.244.0.9:52000" || tr.hop(t, "deliver").After.Dst != "10.244.0.5:7000" {
		t.Errorf("server-0.ms: exit %d verdict %s", code, tr.Verdict)
	}
	_, r := checkOf(t, f)
	if got := endpointAddrs(r.service(t, "default", "ms").Ports[0]); got != "10.244.0.5:7000" {
		t.Errorf("ms endpoints %s, want the Ready Pod only", got)
	}
}

func TestRealInputStatefulSetNormalService(t *testing.T) {
	f := realInput("statefulset-normal-service.yaml")
	_, r := checkOf(t, f)
	d := r.mustDiag(t, model.CodeGoverningService, "StatefulSet/default/web", "spec.serviceName", `names Service "nginx", which is not headless`)
	if d.Line != 23 {
		t.Errorf("diagnostic at line %d, want 23 (spec.serviceName)", d.Line)
	}
	code, tr := traceOf(t, f, "--via", "dns", "--name", "web-0.nginx", "--from", "client")
	if code != 1 || tr.Verdict != "unresolved" {
		t.Fatalf("exit %d verdict %s", code, tr.Verdict)
	}
	nx := tr.hop(t, "unresolved")
	if nx.Diag == nil || nx.Diag.Code != model.CodeGoverningService || nx.Line != 23 || !strings.Contains(nx.Narration, "not headless") {
		t.Errorf("NXDOMAIN hop %+v, want the cause at statefulset-normal-service.yaml:23", nx)
	}
	if strings.Contains(tr.Hint, "did you mean") || !strings.Contains(tr.Hint, "clusterIP: None") {
		t.Errorf("hint %q", tr.Hint)
	}
	// The Service itself still resolves to its ClusterIP.
	if code, tr = traceOf(t, f, "--via", "dns", "--name", "nginx", "--from", "client"); code != 0 {
		t.Errorf("nginx: exit %d verdict %s", code, tr.Verdict)
	}
}

func TestRealInputExternalNamePorts(t *testing.T) {
	f := realInput("externalname-ports.yaml")
	_, r := checkOf(t, f)
	r.mustDiag(t, model.CodeExternalNamePorts, "Service/default/alias", "spec.ports[0].targetPort", `a client connecting to "alias" on 8080 reaches www.example.org on 8080`)
	_, text, _ := svcviz(t, "", "check", f)
	if !strings.Contains(text, "http :8080 → www.example.org:8080 (a DNS alias") || strings.Contains(text, "targetPort 80)") {
		t.Errorf("check text:\n%s", text)
	}
	code, tr := traceOf(t, f, "--from", "client", "--port", "http")
	if code != 0 || tr.Verdict != "answered" {
		t.Fatalf("exit %d verdict %s", code, tr.Verdict)
	}
	if a := tr.hop(t, "dns-answer"); !strings.Contains(a.Narration, "www.example.org on the port it dials, 8080") || !strings.Contains(a.Narration, "ports are not used") {
		t.Errorf("answer %q", a.Narration)
	}
	_, rules, _ := svcviz(t, "", "rules", f)
	if strings.Contains(rules, "alias") {
		t.Errorf("rules for an ExternalName:\n%s", rules)
	}
}
