package netsim_test

import (
	"os"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/netsim"
)

// TestSelectorlessServiceNamesItsEndpointSlice: a Service without a selector gets its endpoints
// from an EndpointSlice, so the choice and the DNAT say so and point at the slice's lines, not
// at spec.selector or targetPort (which such a Service does not use), in both proxy modes.
func TestSelectorlessServiceNamesItsEndpointSlice(t *testing.T) {
	data, err := os.ReadFile("../testdata/real-inputs/endpointslices-by-hand.yaml")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	// the line of db-1's own endpoints: list (the file has other slices before it)
	db1 := strings.Index(doc, "name: db-1")
	sliceEndpointsLine := strings.Count(doc[:db1+strings.Index(doc[db1:], "\nendpoints:")+1], "\n") + 1
	s := load(t, 1, doc)
	for _, mode := range []netsim.ProxyMode{netsim.ModeIPTables, netsim.ModeNFTables} {
		tr, err := s.Trace(netsim.Request{Service: "db", Mode: mode})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Verdict != netsim.Delivered && tr.Verdict != netsim.Dropped {
			t.Errorf("%s: verdict %s", mode, tr.Verdict)
		}
		var choose, dnat *netsim.Hop
		for i := range tr.Hops {
			switch tr.Hops[i].Action {
			case netsim.ActChoose:
				choose = &tr.Hops[i]
			case netsim.ActDNAT:
				dnat = &tr.Hops[i]
			}
		}
		if choose == nil || dnat == nil {
			t.Fatalf("%s: no choose or dnat hop: %+v", mode, tr.Hops)
		}
		if choose.Narration != "choose.slice.one" || choose.Object != "EndpointSlice/default/db-1" || choose.Field != "endpoints" ||
			choose.Pos.Line != sliceEndpointsLine {
			t.Errorf("%s: choose hop %s %s %s line %d", mode, choose.Narration, choose.Object, choose.Field, choose.Pos.Line)
		}
		want := map[netsim.ProxyMode]string{netsim.ModeIPTables: "dnat.slice", netsim.ModeNFTables: "nft.dnat.slice"}[mode]
		if dnat.Narration != want || dnat.Object != "EndpointSlice/default/db-1" || dnat.Field != "ports" || dnat.After.Dst.String() != "192.0.2.21:5432" {
			t.Errorf("%s: dnat hop %s %s %s %s", mode, dnat.Narration, dnat.Object, dnat.Field, dnat.After.Dst)
		}
	}
}

// A headless Service without a selector: kube-dns answers with the addresses its Endpoints
// object lists (not "Pod IPs"), pointing at that object, and a packet to an address outside the
// simulated pod network leaves the node, as it does through a ClusterIP, before the verdict.
func TestHeadlessSelectorlessAnswersWithItsEndpoints(t *testing.T) {
	s := load(t, 1, `apiVersion: v1
kind: Service
metadata: {name: redis}
spec:
  clusterIP: None
  ports: [{name: redis, port: 6379}]
---
apiVersion: v1
kind: Endpoints
metadata: {name: redis}
subsets:
- addresses: [{ip: 10.1.1.1}]
  ports: [{name: redis, port: 6379}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: busybox}]
`)
	tr := trace(t, s, netsim.Request{Service: "redis", From: "client"})
	wantPath(t, tr, "dns-query@default/client", "dns-answer@kube-dns", "send@default/client", "route@node01", "reply@conntrack")
	wantVerdict(t, tr, netsim.Delivered, 4)
	a := tr.Hops[1]
	if a.Narration != "dns.headless.slice" || a.Object != "Endpoints/default/redis" || a.Field != "subsets" || a.Pos.Line != 11 ||
		!strings.Contains(a.Text("en"), "the addresses its Endpoints redis lists (10.1.1.1)") {
		t.Errorf("dns answer %s %s %s line %d: %s", a.Narration, a.Object, a.Field, a.Pos.Line, a.Text("en"))
	}
	if r := tr.Hops[3]; r.Narration != "route.outside" || r.After.Dst.String() != "10.1.1.1:6379" {
		t.Errorf("route hop %s to %s", r.Narration, r.After.Dst)
	}
}
