package netlab

import (
	"fmt"
	"net/netip"
	"testing"

	"github.com/svcviz/svcviz/netsim"
)

// TestKernelAgreesOnAddressesNoServiceOwns sends where the two proxy modes part ways
// (trace --dst): an unallocated ClusterIP, a port a ClusterIP does not serve, and a localhost
// nodePort from the node itself, in both modes, and compares with the kernel.
func TestKernelAgreesOnAddressesNoServiceOwns(t *testing.T) {
	needLab(t)
	reqs := []netsim.Request{
		{Service: "web", From: "default/client", Via: netsim.ViaClusterIP, Dst: netip.MustParseAddrPort("10.96.0.99:80")},
		{Service: "web", From: "default/client", Via: netsim.ViaClusterIP, Dst: netip.MustParseAddrPort("10.96.0.12:81")},
		{Service: "web", From: "default/web-1", Via: netsim.ViaClusterIP, Dst: netip.MustParseAddrPort("10.96.0.99:80")},
		{Service: "shop", From: "node01", Via: netsim.ViaNodePort, Dst: netip.MustParseAddrPort("127.0.0.1:30100")},
		{Service: "orphan", From: "node01", Via: netsim.ViaNodePort, Dst: netip.MustParseAddrPort("127.0.0.1:30080")},
	}
	var sum tally
	for _, b := range Backends() {
		sim := loadSim(t, 2, "../../testdata/nftables/everything.yaml")
		label := b.Name() + ": everything.yaml --dst"
		lab, err := New(sim, b, RunPrefix()+fmt.Sprintf("d%d-", labSeq.Add(1)))
		if err != nil {
			t.Fatalf("%s: building the lab: %v", label, err)
		}
		var rs []netsim.Request
		for _, r := range reqs {
			r.Mode = b.Mode()
			rs = append(rs, r)
		}
		rep, err := lab.Compare(rs, defaultLimits)
		lab.Close()
		if err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		if rep.Requests != len(reqs) {
			t.Errorf("%s: compared %d requests of %d", label, rep.Requests, len(reqs))
		}
		for _, d := range rep.Disagreements {
			t.Errorf("%s: %s", label, d)
		}
		sum.add(rep)
	}
	t.Log(sum)
	addTotal(sum)
}
