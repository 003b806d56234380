package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	samplesDir = "../../samples"
	kubeRefDir = "../../testdata/kube-reference"
)

// svcviz runs the CLI in-process and returns its exit code, stdout and stderr.
func svcviz(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func sample(name string) string { return filepath.Join(samplesDir, name) }

func TestCheckNodePortJSON(t *testing.T) {
	code, out, stderr := svcviz(t, "", "check", sample("nodeport.yaml"), "-o", "json")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var r checkReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Services) != 1 {
		t.Fatalf("%d services", len(r.Services))
	}
	s := r.Services[0]
	if s.Name != "myapp-service" || s.Type != "NodePort" || !s.Valid || !strings.HasPrefix(s.ClusterIP, "10.96.") {
		t.Errorf("service %+v", s)
	}
	p := s.Ports[0]
	if p.Port != 80 || p.TargetPort != "80" || p.NodePort != 30008 || p.Protocol != "TCP" {
		t.Errorf("port %+v", p)
	}
	if len(p.Endpoints) != 1 || p.Endpoints[0].Pod != "myapp-pod" || p.Endpoints[0].IP != "10.244.0.2" || p.Endpoints[0].Port != 80 || p.Endpoints[0].Node != "node01" {
		t.Errorf("endpoints %+v", p.Endpoints)
	}
	if len(r.Diagnostics) != 0 {
		t.Errorf("diagnostics %+v", r.Diagnostics)
	}
}

func TestCheckText(t *testing.T) {
	code, out, _ := svcviz(t, "", "check", sample("nodeport.yaml"))
	if code != 0 || !strings.Contains(out, ":30008 → :80 → myapp-pod 10.244.0.2:80") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestCheckExitCodes(t *testing.T) {
	cases := []struct {
		name string
		args []string
		code int
		want string // in stdout or stderr
	}{
		{"warning only", []string{"check", sample("broken-selector.yaml")}, 0, "warning no-matching-pods"},
		{"api errors", []string{"check", filepath.Join(kubeRefDir, "validation.yaml")}, 1, "error invalid-node-port"},
		{"missing file", []string{"check", "no-such-file.yaml"}, 2, "no-such-file.yaml: no such file or directory"},
		{"bad flag", []string{"check", "--bogus", sample("nodeport.yaml")}, 2, "unknown flag: --bogus"},
		{"bad output", []string{"check", "-o", "xml", sample("nodeport.yaml")}, 2, "-o must be text or json"},
		{"no input", []string{"check"}, 2, "no input"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, out, stderr := svcviz(t, "", c.args...)
			if code != c.code || !strings.Contains(out+stderr, c.want) {
				t.Errorf("exit %d (want %d), want %q in\n%s%s", code, c.code, c.want, out, stderr)
			}
			if c.code == 2 && strings.Count(strings.TrimSpace(stderr), "\n") != 0 {
				t.Errorf("error is not one line: %q", stderr)
			}
		})
	}
}

func TestCheckMarksRefusedServices(t *testing.T) {
	yaml := "apiVersion: v1\nkind: Service\nmetadata: {name: low}\nspec: {type: NodePort, selector: {a: b}, ports: [{port: 80, nodePort: 80}]}\n"
	code, out, _ := svcviz(t, yaml, "check", "-")
	if code != 1 || !strings.Contains(out, "low NodePort 10.96.0.11  (refused by the API server") {
		t.Errorf("exit %d\n%s", code, out)
	}
	_, out, _ = svcviz(t, yaml, "check", "-", "-o", "json")
	if !strings.Contains(out, `"valid": false`) {
		t.Errorf("JSON does not say the Service is refused:\n%s", out)
	}
}

func TestCheckForCI(t *testing.T) {
	code, out, _ := svcviz(t, "", "check", sample("broken-selector.yaml"), "-o", "json")
	var r checkReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if code != 0 || r.Summary != (summaryJSON{Services: 1, Warnings: 1}) {
		t.Errorf("exit %d, summary %+v", code, r.Summary)
	}
	if code, _, _ := svcviz(t, "", "check", sample("broken-selector.yaml"), "--fail-on", "warning"); code != 1 {
		t.Errorf("--fail-on warning: exit %d, want 1", code)
	}
	if code, _, _ := svcviz(t, "", "check", sample("nodeport.yaml"), "--fail-on", "warning"); code != 0 {
		t.Errorf("--fail-on warning on a clean file: exit %d", code)
	}
	if code, _, _ := svcviz(t, "", "check", sample("nodeport.yaml"), "--fail-on", "info"); code != 2 {
		t.Errorf("--fail-on info: exit %d, want 2", code)
	}
	_, out, _ = svcviz(t, "", "trace", sample("broken-selector.yaml"), "-o", "json")
	var tr traceJSON
	if err := json.Unmarshal([]byte(out), &tr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(tr.Hint, "nearest: Pod \"myapp-pod\"") {
		t.Errorf("a rejected trace's hint: %q", tr.Hint)
	}
}

func TestCheckStdin(t *testing.T) {
	data, err := os.ReadFile(sample("nodeport.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := svcviz(t, string(data), "check", "-")
	if code != 0 || !strings.Contains(out, "myapp-service NodePort") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestTraceNodePort(t *testing.T) {
	code, out, stderr := svcviz(t, "", "trace", sample("nodeport.yaml"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{
		"192.168.1.10:51000 → 192.168.1.2:30008",
		"KUBE-NODEPORTS",
		"spec.ports[0].nodePort@" + sample("nodeport.yaml") + ":",
		"KUBE-EXT-HV6ZUR45AI72VIJI", "KUBE-SVC-HV6ZUR45AI72VIJI",
		"⇒ 192.168.1.10:51000 → 10.244.0.2:80",
		"MASQUERADE", "myapp-pod/nginx-container",
		"⇒ 192.168.1.2:30008 → 192.168.1.10:51000",
		"verdict: delivered",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in\n%s", want, out)
		}
	}
}

func TestTraceJSONRejected(t *testing.T) {
	code, out, _ := svcviz(t, "", "trace", sample("broken-selector.yaml"), "-o", "json")
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	var r traceJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	last := r.Hops[len(r.Hops)-1]
	stop := r.Hops[0]
	for _, h := range r.Hops {
		if h.Step == r.StopStep {
			stop = h
		}
	}
	if r.Verdict != "rejected" || stop.Action != "reject" || !strings.Contains(stop.Rule, "REJECT --reject-with icmp-port-unreachable") {
		t.Errorf("verdict %s, stop %+v", r.Verdict, stop)
	}
	if stop.Diag == nil || stop.Diag.Code != "no-matching-pods" {
		t.Errorf("the rejecting hop does not carry the diagnostic: %+v", stop.Diag)
	}
	if last.Protocol != "ICMP" {
		t.Errorf("last hop %+v, want the ICMP answer", last)
	}
}

func TestTraceViews(t *testing.T) {
	_, all, _ := svcviz(t, "", "trace", sample("nodeport.yaml"), "-o", "json")
	_, teach, _ := svcviz(t, "", "trace", sample("nodeport.yaml"), "-o", "json", "--view", "teaching")
	_, wire, _ := svcviz(t, "", "trace", sample("nodeport.yaml"), "-o", "json", "--view", "wire")
	n := func(s string) int {
		var r traceJSON
		if err := json.Unmarshal([]byte(s), &r); err != nil {
			t.Fatal(err)
		}
		return len(r.Hops)
	}
	if !(n(teach) < n(wire) && n(wire) < n(all)) {
		t.Errorf("hops: teaching %d, wire %d, all %d", n(teach), n(wire), n(all))
	}
}

func TestTraceBadRequest(t *testing.T) {
	code, _, stderr := svcviz(t, "", "trace", sample("nodeport.yaml"), "--service", "nope")
	if code != 2 || !strings.Contains(stderr, `no Service "nope"`) {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// TestRulesMatchKubeProxy checks `svcviz rules` prints exactly what kube-proxy v1.37 writes.
func TestRulesMatchKubeProxy(t *testing.T) {
	for _, name := range []string{"nodeport", "named-port-replicas"} {
		want, err := os.ReadFile(filepath.Join(kubeRefDir, name+".iptables-save"))
		if err != nil {
			t.Fatal(err)
		}
		code, out, stderr := svcviz(t, "", "rules", filepath.Join(kubeRefDir, name+".yaml"))
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		if out != string(want) {
			t.Errorf("%s: rules differ from kube-proxy's\n--- got\n%s\n--- want\n%s", name, out, want)
		}
	}
}

func TestRulesProbabilities(t *testing.T) {
	_, out, _ := svcviz(t, "", "rules", sample("deployment.yaml"))
	if !strings.Contains(out, "--probability 0.33333333349") || !strings.Contains(out, "--probability 0.50000000000") {
		t.Errorf("probabilities missing:\n%s", out)
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	yaml := "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"evil\\e[2J\\a\"\nspec:\n  selector: {app: \"x\\e]0;pwned\\a\"}\n  ports: [{port: 80, name: \"a\\e[31m\"}]\n"
	for _, args := range [][]string{{"check", "-"}, {"check", "-", "-o", "json"}, {"trace", "-"}, {"rules", "-"}} {
		_, out, stderr := svcviz(t, yaml, args...)
		if strings.ContainsAny(out+stderr, "\x1b\a") {
			t.Errorf("%v printed a raw control character:\n%q", args, out+stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := svcviz(t, "", "version")
	if code != 0 || !strings.HasPrefix(out, "svcviz ") {
		t.Errorf("exit %d: %q", code, out)
	}
}
