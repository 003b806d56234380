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
	r.mustDiag(t, model.CodeHeadlessTargetPort, "Service/default/db-wrong", "spec.ports[0].targetPort", `targetPort 5432 is ignored for clusterIP: None`)
	// A targetPort equal to port, or a name every Pod resolves to port, changes nothing.
	for _, ok := range []string{"db-same", "db-hl"} {
		if ds := r.diags(model.CodeHeadlessTargetPort, "Service/default/"+ok); len(ds) != 0 {
			t.Errorf("%s warned: %+v", ok, ds)
		}
	}
	s := r.service(t, "default", "db-hl")
	if endpointAddrs(s.Ports[0]) != "10.244.0.2:5432" {
		t.Errorf("db-hl endpoints %s, want the Service port 5432", endpointAddrs(s.Ports[0]))
	}
	code, tr := traceOf(t, f, "--service", "db-hl", "--from", "client")
	if code != 0 || tr.Verdict != "delivered" || tr.hop(t, "send").After.Dst != "10.244.0.2:5432" {
		t.Errorf("db-hl: exit %d %+v", code, tr)
	}
	// The API server's own warnings about fields a headless Service ignores.
	r.mustDiag(t, model.CodeIgnoredField, "Service/default/db-sticky", "spec.sessionAffinity", "spec.SessionAffinity is ignored for headless services")
	r.mustDiag(t, model.CodeIgnoredField, "Service/default/db-sticky", "spec.externalName", `spec.externalName is ignored when spec.type is not "ExternalName"`)
	if n := len(r.diags(model.CodeIgnoredField, "")); n != 2 {
		t.Errorf("%d ignored-field warnings, want 2", n)
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
	if d := r.mustDiag(t, model.CodeDeprecatedEndpoints, "Endpoints/default/legacy", "", "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"); d.Severity != model.Info {
		t.Errorf("%+v, want info", d)
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

func TestNodesFromNodeObjects(t *testing.T) {
	f := semantics("nodes.yaml")
	_, r := checkOf(t, f)
	api := r.service(t, "default", "api").Ports[0]
	got := map[string]string{}
	for _, e := range api.Endpoints {
		got[e.Pod] = e.IP + "@" + e.Node
	}
	want := map[string]string{"api": "10.244.9.2@worker-1", "api-moved": "10.244.9.40@cp-1"}
	if len(got) != 2 || got["api"] != want["api"] || got["api-moved"] != want["api-moved"] {
		t.Errorf("endpoints %v, want %v (Pod addresses from the node's spec.podCIDR)", got, want)
	}
	d := r.mustDiag(t, model.CodeAddressOutside, "Pod/default/api-moved", "status.podIP", "outside the pod subnet 10.244.8.0/24 of node cp-1")
	if d.Line != 49 {
		t.Errorf("diagnostic at line %d, want 49", d.Line)
	}
	if n := len(r.diags(model.CodeAddressOutside, "")); n != 1 {
		t.Errorf("%d address diagnostics, want 1", n)
	}
	code, tr := traceOf(t, f, "--service", "api", "--to-node", "worker-1", "--endpoint", "2")
	if code != 0 || tr.hop(t, "send").After.Dst != "10.0.0.12:30080" {
		t.Errorf("to worker-1: exit %d send %+v", code, tr.hop(t, "send"))
	}
	// The Pod with an address outside its node's subnet is still reached on its node.
	if dl := tr.hop(t, "deliver"); dl.Node != "cp-1" || dl.After.Dst != "10.244.9.40:8080" {
		t.Errorf("deliver %+v, want Pod api-moved on cp-1", dl)
	}
	// The input that names no node keeps the configured node01; --nodes adds to named nodes.
	_, tr = traceOf(t, sample("nodeport.yaml"))
	if tr.hop(t, "arrive").Node != "node01" {
		t.Errorf("a manifest without nodes runs on %s, want node01", tr.hop(t, "arrive").Node)
	}
	if code, _, stderr := svcviz(t, "", "rules", f, "--nodes", "2", "--node", "node02"); code != 0 {
		t.Errorf("--nodes 2 adds node01 and node02 to the input's nodes: exit %d %s", code, stderr)
	}
}

func TestRandomFullyPortFollowsSeed(t *testing.T) {
	f := sample("nodeport.yaml")
	ports := map[string]bool{}
	for _, seed := range []string{"1", "2", "3", "1"} {
		_, tr := traceOf(t, f, "--seed", seed)
		sn := tr.hop(t, "snat")
		if sn.Before.Src != "192.168.1.10:51000" || !strings.HasPrefix(sn.After.Src, "10.244.0.1:") || sn.After.Src == "10.244.0.1:51000" {
			t.Errorf("seed %s: snat %+v", seed, sn)
		}
		if !strings.Contains(sn.Narration, "random in a real cluster") {
			t.Errorf("snat narration %q", sn.Narration)
		}
		ports[sn.After.Src] = true
		if dl := tr.hop(t, "deliver"); dl.After.Src != sn.After.Src {
			t.Errorf("the Pod sees %s, masquerade gave %s", dl.After.Src, sn.After.Src)
		}
	}
	if len(ports) != 3 {
		t.Errorf("seeds 1, 2, 3, 1 gave source ports %v, want three different, seed 1 twice the same", ports)
	}
}

func TestValidationOwnCases(t *testing.T) {
	f := semantics("validation.yaml")
	_, r := checkOf(t, f)
	for _, want := range []struct{ code, object, msg string }{
		{model.CodeInvalidName, "Pod/team-a/many-errors", `spec.nodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain`},
		{model.CodeInvalidPort, "Pod/team-a/many-errors", `spec.containers[0].ports[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive`},
		{model.CodeInvalidName, "Service/Team_B/web", `metadata.namespace: Invalid value: "Team_B": a lowercase RFC 1123 label`},
		{model.CodeDuplicatePortName, "Deployment/team-a/agent", `spec.template.spec.containers[0].ports[0]: duplicate port name "metrics" with spec.template.spec.initContainers[0].ports[0]`},
	} {
		r.mustDiag(t, want.code, want.object, "", want.msg)
	}
	if ds := model.ForObject(r.Diagnostics, "Pod/team-a/good"); len(ds) != 0 {
		t.Errorf("the valid hostNetwork Pod got %+v", ds)
	}
	if got := endpointAddrs(r.service(t, "team-a", "web").Ports[0]); got != "192.168.1.2:8080" {
		t.Errorf("team-a/web endpoints %s: the good Pod only, the refused one nowhere", got)
	}
	// A sidecar's port named like an app container's is a warning, not a refusal.
	if model.HasErrors(model.ForObject(r.Diagnostics, "Deployment/team-a/agent")) {
		t.Errorf("the Deployment is refused:\n%s", diagList(r.Diagnostics))
	}
}

func TestDNSOwnCases(t *testing.T) {
	f := semantics("dns.yaml")
	_, r := checkOf(t, f)
	r.mustDiag(t, model.CodeGoverningService, "StatefulSet/default/cache", "spec.serviceName", `"cache-hl" names no Service`)
	if n := len(r.diags(model.CodeGoverningService, "")); n != 1 {
		t.Errorf("%d governing-service diagnostics, want 1 (db is headless, peer-0's subdomain is)", n)
	}
	if n := len(r.diags(model.CodeExternalNamePorts, "")); n != 0 {
		t.Errorf("an ExternalName without targetPort warned")
	}
	// publishNotReadyAddresses: the not-ready Pod's own name resolves.
	code, tr := traceOf(t, f, "--via", "dns", "--name", "peer-0.peers", "--from", "client")
	if code != 0 || tr.hop(t, "deliver").After.Dst != "10.244.0.40:7946" {
		t.Errorf("peer-0.peers: exit %d verdict %s", code, tr.Verdict)
	}
	code, tr = traceOf(t, f, "--via", "dns", "--name", "cache-1.cache-hl", "--from", "client")
	if code != 1 || tr.hop(t, "unresolved").Diag == nil || !strings.Contains(tr.Hint, "names no Service") {
		t.Errorf("cache-1.cache-hl: exit %d hint %q", code, tr.Hint)
	}
	code, tr = traceOf(t, f, "--via", "dns", "--name", "db-0.db", "--from", "client")
	if code != 0 || tr.hop(t, "dns-answer").Narration == "" || tr.hop(t, "deliver").After.Dst == "" {
		t.Errorf("db-0.db: exit %d verdict %s", code, tr.Verdict)
	}
}

func TestAffinityLocalhostAndSimulatedLB(t *testing.T) {
	f := semantics("affinity-lb.yaml")
	_, r := checkOf(t, f)
	sticky := r.mustDiag(t, model.CodeMultipleWorkloads, "Service/default/sticky", "", "selects Pods of 2 workloads")
	if strings.Contains(sticky.Hint, "spread over all") || !strings.Contains(sticky.Hint, "each client sticks") {
		t.Errorf("sticky hint %q", sticky.Hint)
	}
	if spread := r.mustDiag(t, model.CodeMultipleWorkloads, "Service/default/spread", "", "selects"); !strings.Contains(spread.Hint, "spread over all") {
		t.Errorf("spread hint %q", spread.Hint)
	}
	lb := r.mustDiag(t, model.CodeSimulatedLB, "Service/default/sticky", "", "simulated address 192.168.1.240")
	if lb.Severity != model.Info || !strings.Contains(lb.Message, "<pending>") || !strings.Contains(lb.Message, "nodePort 30000") {
		t.Errorf("simulated LB note %+v", lb)
	}
	if n := len(r.diags(model.CodeSimulatedLB, "")); n != 1 {
		t.Errorf("%d simulated-lb notes, want 1 (spread has status.loadBalancer)", n)
	}

	// Every connection of one client lands where its first did, whatever the seed.
	_, first := traceOf(t, f, "--service", "sticky", "--seed", "0")
	if c := first.hop(t, "choose"); !strings.Contains(c.Narration, "records 192.168.1.10") || !strings.Contains(c.Narration, "600s") || c.Field != "spec.sessionAffinity" {
		t.Errorf("first choice %+v", c)
	}
	pods := map[string]bool{}
	for _, seed := range []string{"1", "2", "3", "4", "5", "6"} {
		_, tr := traceOf(t, f, "--service", "sticky", "--seed", seed)
		if tr.Endpoint != first.Endpoint {
			t.Errorf("seed %s reached %s, the first connection %s", seed, tr.Endpoint, first.Endpoint)
		}
		if c := tr.hop(t, "choose"); !strings.Contains(c.Rule, "--rcheck --seconds 600") {
			t.Errorf("seed %s choose %+v, want the recent list's rule", seed, c)
		}
		_, sp := traceOf(t, f, "--service", "spread", "--seed", seed)
		pods[sp.Endpoint] = true
	}
	if len(pods) < 2 {
		t.Errorf("without affinity six seeds all reached %v", pods)
	}

	// A node reaching its own nodePort on 127.0.0.1 goes through kube-proxy's localhost rule.
	code, tr := traceOf(t, f, "--service", "sticky", "--from", "node01", "--dst", "127.0.0.1:30000")
	if code != 0 || tr.Verdict != "delivered" {
		t.Fatalf("localhost nodePort: exit %d verdict %s", code, tr.Verdict)
	}
	var local hopJSON
	for _, h := range tr.Hops {
		if h.Chain == "KUBE-NODEPORTS" {
			local = h
		}
	}
	if !strings.Contains(local.Rule, "-d 127.0.0.0/8") || !strings.Contains(local.Narration, "route_localnet") {
		t.Errorf("KUBE-NODEPORTS hop %+v", local)
	}
}

func TestAddressFlagsAreUsageErrors(t *testing.T) {
	f := sample("nodeport.yaml")
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--node-ip", "127.0.0.1"}, "--node-ip 127.0.0.1 is not usable as a node's address: a loopback address"},
		{[]string{"--node-ip", "10.0.0.255"}, "--node-ip 10.0.0.255 is not usable"},
		{[]string{"--pod-cidr", "10.96.0.0/16"}, "--pod-cidr 10.96.0.0/16 overlaps --service-cidr 10.96.0.0/12"},
		{[]string{"--node-ip", "10.244.3.4"}, "must lie outside --pod-cidr 10.244.0.0/16"},
		{[]string{"--node-ip", "10.96.5.5"}, "must lie outside --service-cidr 10.96.0.0/12"},
		{[]string{"--node-ip", "192.168.1.250", "--nodes", "8"}, "--node-ip 192.168.1.250 leaves no room for 8 nodes"},
		{[]string{"--service-cidr", "10.96.0.0/12,10.1.0.0/16"}, "--service-cidr"},
		{[]string{"--service-cidr", "fd00::/112"}, "--service-cidr"},
		{[]string{"--endpoint", "2"}, "--endpoint 2 is out of range: Service default/myapp-service port 80 has 1 endpoint(s)"},
		{[]string{"--endpoint", "-1"}, "--endpoint must be 1 or more"},
	} {
		code, out, stderr := svcviz(t, "", append([]string{"trace", f}, c.args...)...)
		if code != 2 || out != "" || !strings.Contains(stderr, c.msg) || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want exit 2 and one line with %q", c.args, code, stderr, c.msg)
		}
	}
	// Usable settings still work.
	for _, args := range [][]string{{"--endpoint", "1"}, {"--node-ip", "10.0.0.5", "--nodes", "3"}, {"--pod-cidr", "10.32.0.0/16", "--service-cidr", "10.96.0.0/16"}} {
		if code, _, stderr := svcviz(t, "", append([]string{"trace", f}, args...)...); code != 0 {
			t.Errorf("%v: exit %d %s", args, code, stderr)
		}
	}
}

func TestDualStackServiceCIDR(t *testing.T) {
	f := realInput("ip-families.yaml")
	code, r := checkOf(t, f, "--service-cidr", "10.96.0.0/12,fd00:10:96::/112")
	if code != 0 || len(r.diags(model.CodeIPFamily, "")) != 0 {
		t.Fatalf("a dual-stack cluster accepts every family request: exit %d\n%s", code, diagList(r.Diagnostics))
	}
	want := map[string]string{
		"v6-only":        "fd00:10:96::b",
		"dual-required":  "10.96.0.11,fd00:10:96::c",
		"dual-preferred": "10.96.0.12,fd00:10:96::d",
		"v6-fixed-ip":    "fd00:10:96::20",
	}
	for name, ips := range want {
		if s := r.service(t, "default", name); strings.Join(s.ClusterIPs, ",") != ips || !s.Valid {
			t.Errorf("%s clusterIPs %v, want %s", name, s.ClusterIPs, ips)
		}
	}
	// The IPv4 side is simulated: dual-stack Services trace on IPv4, IPv6-only ones say why not.
	if code, tr := traceOf(t, f, "--service-cidr", "10.96.0.0/12,fd00:10:96::/112", "--service", "dual-required"); code != 0 || tr.hop(t, "send").After.Dst != "10.96.0.11:80" {
		t.Errorf("dual-required: exit %d", code)
	}
	if code, _, stderr := svcviz(t, "", "trace", f, "--service-cidr", "10.96.0.0/12,fd00:10:96::/112", "--service", "v6-only"); code != 2 || !strings.Contains(stderr, "only the IPv6 ClusterIP fd00:10:96::b") {
		t.Errorf("v6-only: exit %d %q", code, stderr)
	}
	// A single-stack cluster accepts PreferDualStack (falling back to IPv4 alone), SingleStack
	// IPv4 and a headless selectorless dual-stack Service; two families need a dual-stack policy.
	f = semantics("families.yaml")
	_, r = checkOf(t, f)
	for _, name := range []string{"prefer", "single", "hl"} {
		if ds := r.diags(model.CodeIPFamily, "Service/default/"+name); len(ds) != 0 || !r.service(t, "default", name).Valid {
			t.Errorf("%s refused: %+v", name, ds)
		}
	}
	if s := r.service(t, "default", "prefer"); strings.Join(s.ClusterIPs, ",") != "10.96.0.11" {
		t.Errorf("prefer clusterIPs %v", s.ClusterIPs)
	}
	r.mustDiag(t, model.CodeIPFamily, "Service/default/two-singles", "spec.ipFamilyPolicy",
		`spec.ipFamilyPolicy: Invalid value: "SingleStack": must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified`)
	_, r = checkOf(t, f, "--service-cidr", "10.96.0.0/12,fd00:10:96::/112")
	if s := r.service(t, "default", "prefer"); len(s.ClusterIPs) != 2 {
		t.Errorf("dual-stack prefer clusterIPs %v, want two", s.ClusterIPs)
	}
}

func TestHeadlessSelectorlessAnswersFromSlices(t *testing.T) {
	code, tr := traceOf(t, semantics("headless-selectorless.yaml"), "--from", "client")
	if code != 0 || tr.Verdict != "answered" {
		t.Fatalf("exit %d verdict %s", code, tr.Verdict)
	}
	if a := tr.hop(t, "dns-answer"); !strings.Contains(a.Narration, "(192.0.2.5)") {
		t.Errorf("answer %q, want the slice's ready address only", a.Narration)
	}
	_, r := checkOf(t, semantics("headless-selectorless.yaml"))
	if ds := r.diags(model.CodeNoSelector, ""); len(ds) != 0 {
		t.Errorf("the slice backs the Service, yet %+v", ds)
	}
}

func TestLoopbackNodePortByToNode(t *testing.T) {
	f := sample("nodeport.yaml")
	code, tr := traceOf(t, f, "--to-node", "127.0.0.1")
	if code != 0 || tr.Verdict != "delivered" {
		t.Fatalf("exit %d verdict %s", code, tr.Verdict)
	}
	send := tr.hop(t, "send")
	if send.Node != "node01" || send.Before.Src != "127.0.0.1:51000" || send.After.Dst != "127.0.0.1:30008" || send.Field != "spec.ports[0].nodePort" {
		t.Errorf("send %+v, want node01 to its own 127.0.0.1:30008", send)
	}
	var rule string
	for _, h := range tr.Hops {
		if h.Chain == "KUBE-NODEPORTS" {
			rule = h.Rule
		}
	}
	if !strings.Contains(rule, "-d 127.0.0.0/8") || !strings.Contains(rule, "localhost_nps_accepted_pkts") {
		t.Errorf("KUBE-NODEPORTS rule %q, want the localhost rule", rule)
	}
	if code, _, stderr := svcviz(t, "", "trace", f, "--to-node", "127.0.0.1", "--from", "external"); code != 2 || !strings.Contains(stderr, "node's own loopback") {
		t.Errorf("from outside: exit %d %q", code, stderr)
	}
}
