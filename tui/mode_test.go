package tui

import (
	"strings"
	"testing"

	"github.com/svcviz/svcviz/netsim"
)

// TestProxyModeKey: m sends the same packet through the other kube-proxy mode's rules; the
// header says which mode is shown, and the rules pane shows that mode's chain.
func TestProxyModeKey(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	if !strings.Contains(m.View(), "teaching view · iptables") {
		t.Fatalf("the header should name the mode:\n%s", m.View())
	}
	m.Update(keyMsg("m"))
	if m.trace.Request.Mode != netsim.ModeNFTables || !strings.Contains(m.View(), "teaching view · nftables") {
		t.Fatalf("m did not switch to nftables:\n%s", m.View())
	}
	for m.hop().Action != netsim.ActDNAT {
		if k, n := m.Step(); k >= n {
			t.Fatal("no DNAT hop")
		}
		m.Update(keyMsg("right"))
	}
	m.Update(keyMsg("i"))
	v := m.View()
	if !strings.Contains(v, "table ip kube-proxy") || !strings.Contains(v, "meta l4proto tcp dnat to 10.244.0.2:80") {
		t.Fatalf("rules pane in nftables mode:\n%s", v)
	}
	m.Update(keyMsg("m"))
	if m.trace.Request.Mode != netsim.ModeIPTables || !strings.Contains(m.View(), "· iptables") {
		t.Fatalf("m did not switch back:\n%s", m.View())
	}
}

// TestGoldenNftablesRules is the nftables DNAT hop with the rules pane open: the service-…
// chain's one rule, in the table nft lists, after m switched the mode.
func TestGoldenNftablesRules(t *testing.T) {
	runGolden(t, sampleNodePort, 120, 36, "m", "right", "right", "right", "right", "i")
}

// TestGoldenNftablesKorean: the same packet in Korean, at the Service-chain DNAT, whose
// sentence says where iptables mode DNATs instead.
func TestGoldenNftablesKorean(t *testing.T) {
	runGoldenOpts(t, sampleNodePort, 120, 36, Options{Lang: "ko", Request: netsim.Request{Mode: netsim.ModeNFTables}}, "right", "right", "right", "right")
}

// TestProxyModeKeepsHop: m keeps the hop on screen — the one of the other mode that does the
// same (the choice, the DNAT, the masquerade, the delivery), in either view — as w does, so an
// instructor can step both modes to the same hop; back again it is the same hop.
func TestProxyModeKeepsHop(t *testing.T) {
	for _, view := range [][]string{nil, {"w"}} {
		m := newApp(t, sampleNodePort, 120, 36, Options{})
		for _, k := range view {
			m.Update(keyMsg(k))
		}
		_, n := m.Step()
		for k := range n {
			jumpTo(m, k)
			act := m.hop().Action
			m.Update(keyMsg("m"))
			if m.trace.Request.Mode != netsim.ModeNFTables {
				t.Fatal("m did not switch to nftables")
			}
			switch act {
			case netsim.ActSend, netsim.ActChoose, netsim.ActDNAT, netsim.ActSNAT, netsim.ActDeliver, netsim.ActReply, netsim.ActServicePort:
				if got := m.hop().Action; got != act {
					t.Errorf("%v hop %d %s: nftables shows %s (hop %d)", view, k+1, act, got, m.cur+1)
				}
			}
			if m.cur == 0 && k > 0 {
				t.Errorf("%v hop %d %s: m went back to hop 1", view, k+1, act)
			}
			m.Update(keyMsg("m"))
			if got := m.hop().Action; got != act {
				t.Errorf("%v hop %d %s: back in iptables at %s (hop %d)", view, k+1, act, got, m.cur+1)
			}
		}
	}
}
