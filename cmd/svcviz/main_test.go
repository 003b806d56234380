package main

import (
	"bytes"
	"encoding/json"
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

func TestCheckForCI(t *testing.T) {
	code, out, _ := svcviz(t, "", "check", sample("broken-selector.yaml"), "-o", "json")
	var r checkReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if code != 0 || r.Summary != (summaryJSON{Services: 1, Warnings: 1}) {
		t.Errorf("exit %d, summary %+v", code, r.Summary)
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

func TestHostileTextIsEscaped(t *testing.T) {
	yaml := "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"evil\\e[2J\\a\"\nspec:\n  selector: {app: \"x\\e]0;pwned\\a\"}\n  ports: [{port: 80, name: \"a\\e[31m\"}]\n"
	for _, args := range [][]string{{"check", "-"}, {"check", "-", "-o", "json"}, {"trace", "-"}, {"rules", "-"}} {
		_, out, stderr := svcviz(t, yaml, args...)
		if strings.ContainsAny(out+stderr, "\x1b\a") {
			t.Errorf("%v printed a raw control character:\n%q", args, out+stderr)
		}
	}
}
