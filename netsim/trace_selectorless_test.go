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
