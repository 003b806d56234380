package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/model"
)

// Cases of our own for each kind of fault of testdata/real-inputs: one input that triggers the
// behaviour, one that must not.

func semantics(name string) string { return filepath.Join("../../testdata/semantics", name) }

func TestProtocolsSCTPAndUDP(t *testing.T) {
	f := semantics("protocols.yaml")
	_, r := checkOf(t, f)
	r.mustDiag(t, model.CodeProtocolMismatch, "Service/default/sctp-tcp", "spec.ports[0].protocol", "declares 9999/TCP but not 9999/SCTP")
	for _, ok := range []string{"Service/default/sctp-ok", "Service/default/dns"} {
		if ds := r.diags(model.CodeProtocolMismatch, ok); len(ds) != 0 {
			t.Errorf("%s declares its protocol, yet %+v", ok, ds)
		}
	}

	code, tr := traceOf(t, f, "--service", "sctp-tcp")
	if code != 1 || tr.Verdict != "refused" {
		t.Fatalf("sctp-tcp: exit %d verdict %s", code, tr.Verdict)
	}
	if n := tr.hop(t, "refuse").Narration; !strings.Contains(n, "SCTP ABORT") || !strings.Contains(n, "declares 9999/TCP but not 9999/SCTP") {
		t.Errorf("refuse narration %q", n)
	}
	if dn := tr.hop(t, "dnat"); !strings.Contains(dn.Rule, "-p sctp") || dn.Protocol != "SCTP" {
		t.Errorf("SCTP DNAT %+v", dn)
	}

	code, tr = traceOf(t, f, "--service", "sctp-ok")
	if code != 0 || tr.Verdict != "delivered" || tr.hop(t, "deliver").Protocol != "SCTP" {
		t.Errorf("sctp-ok: exit %d verdict %s", code, tr.Verdict)
	}
	for _, port := range []string{"dns", "dns-tcp"} {
		code, tr = traceOf(t, f, "--service", "dns", "--port", port)
		if code != 0 || tr.Verdict != "delivered" {
			t.Errorf("dns port %s: exit %d verdict %s", port, code, tr.Verdict)
		}
	}
	// A TCP Service port whose container declares another port still answers with an RST.
	code, tr = traceOf(t, realInput("udp-port-declared-tcp.yaml"), "--service", "resolver-udp-numeric", "--lang", "ko")
	if code != 1 || !strings.Contains(tr.hop(t, "refuse").Narration, "ICMP port unreachable") {
		t.Errorf("Korean UDP refuse narration: %+v", tr.hop(t, "refuse"))
	}
}

func TestHeadlessPortsOwnCases(t *testing.T) {
	f := semantics("headless.yaml")
	_, r := checkOf(t, f)
	r.mustDiag(t, model.CodeHeadlessTargetPort, "Service/default/db-hl", "spec.ports[0].targetPort", `targetPort "pg" is ignored`)
	if ds := r.diags(model.CodeHeadlessTargetPort, "Service/default/db-same"); len(ds) != 0 {
		t.Errorf("targetPort equal to port warned: %+v", ds)
	}
	s := r.service(t, "default", "db-hl")
	if endpointAddrs(s.Ports[0]) != "10.244.0.2:5432" {
		t.Errorf("db-hl endpoints %s, want the Service port 5432", endpointAddrs(s.Ports[0]))
	}
	code, tr := traceOf(t, f, "--service", "db-hl", "--from", "client")
	if code != 0 || tr.Verdict != "delivered" || tr.hop(t, "send").After.Dst != "10.244.0.2:5432" {
		t.Errorf("db-hl: exit %d %+v", code, tr)
	}
	code, tr = traceOf(t, f, "--service", "db-wrong", "--from", "client")
	if code != 1 || tr.Verdict != "refused" || tr.hop(t, "send").After.Dst != "10.244.0.2:15432" {
		t.Errorf("db-wrong: a client dials 15432 where the Pod declares 5432: exit %d %+v", code, tr)
	}
}

func TestEndpointSlicesOwnCases(t *testing.T) {
	f := semantics("endpointslices.yaml")
	_, r := checkOf(t, f)
	multi := r.service(t, "default", "multi")
	if got := endpointAddrs(multi.Ports[0]); got != "10.244.0.51:8080,10.244.0.53:8080" {
		t.Errorf("multi http endpoints %s: the ready ones of both slices, once each, no IPv6", got)
	}
	if got := endpointAddrs(multi.Ports[1]); got != "10.244.0.54:9100" {
		t.Errorf("multi metrics endpoints %s", got)
	}
	if got := endpointAddrs(r.service(t, "default", "drain").Ports[0]); got != "10.244.0.61:80" {
		t.Errorf("drain endpoints %s: with none ready, the serving terminating one only", got)
	}
	if got := endpointAddrs(r.service(t, "default", "legacy").Ports[0]); got != "10.244.0.71:8000" {
		t.Errorf("legacy endpoints %s: an Endpoints object's addresses, not its notReadyAddresses", got)
	}
	for _, code := range []string{model.CodeSlicePortMismatch, model.CodeSliceNoService, model.CodeNoSelector} {
		if ds := r.diags(code, ""); len(ds) != 0 {
			t.Errorf("matching slices gave %s: %+v", code, ds)
		}
	}
	_, rules, _ := svcviz(t, "", "rules", f)
	if n := strings.Count(rules, "--to-destination 10.244.0.51:8080"); n != 1 {
		t.Errorf("10.244.0.51:8080 has %d DNAT rules, want 1 (listed by two slices)", n)
	}
	for _, ip := range []string{"10.244.0.52", "10.244.0.62", "10.244.0.63", "10.244.0.72"} {
		if strings.Contains(rules, ip) {
			t.Errorf("rules use %s, which is not ready", ip)
		}
	}
}
