package netsim

import (
	"net/netip"

	"github.com/svcviz/svcviz/model"
)

// The endpoint a traced packet goes to: left to kube-proxy's rules (their statistic matches
// drawn from the request's seed), or forced, by identity or by position.

// EndpointChoice says which endpoint a traced packet goes to. The zero value lets
// kube-proxy's rules choose, drawing their `-m statistic --mode random` matches from the
// request's Seed; ChoosePod and ChooseNth force one. A forced choice that the rules cannot
// make (the Pod is no endpoint of the port, or not local under a Local policy) falls back to
// the rules' seeded choice.
type EndpointChoice struct {
	pod *model.Pod
	nth int
}

// ChooseByRules lets kube-proxy's rules choose (seeded); it is the zero value.
func ChooseByRules() EndpointChoice { return EndpointChoice{} }

// ChoosePod sends the packet to the endpoint that is Pod p.
func ChoosePod(p *model.Pod) EndpointChoice { return EndpointChoice{pod: p} }

// ChooseNth sends the packet to endpoint n, counted from 1 in the order of the Service
// chain's rules (kube-proxy's order, as `svcviz trace --endpoint N` counts; for a headless
// Service, the order of its endpoints); n < 1 lets the rules choose.
func ChooseNth(n int) EndpointChoice { return EndpointChoice{nth: max(n, 0)} }

// ByRules reports the rules' own (seeded) choice.
func (c EndpointChoice) ByRules() bool { return c.pod == nil && c.nth == 0 }

// Pod is the Pod chosen by ChoosePod, else nil.
func (c EndpointChoice) Pod() *model.Pod { return c.pod }

// Nth is the position chosen by ChooseNth (1-based), else 0.
func (c EndpointChoice) Nth() int { return c.nth }

// random decides one statistic match of a Service chain: the seeded draw, or, for a forced
// choice, true exactly at the rule that leads to the chosen endpoint.
func (tr *tracer) random(chain string, p float64) bool {
	want := tr.wantedRule(chain)
	if want < 0 {
		return tr.rng.Float64() < p
	}
	i := tr.chosen[chain]
	tr.chosen[chain] = i + 1
	return i == want
}

// wantedRule is the position, among the chain's endpoint rules (those jumping to a KUBE-SEP
// chain, the affinity checks left out), of the rule that leads to the chosen endpoint; -1 lets the seeded draw decide.
func (tr *tracer) wantedRule(chain string) int {
	if n := tr.choice.Nth(); n > 0 {
		return n - 1
	}
	dst, ok := tr.podEndpointAddr(tr.choice.Pod())
	if !ok {
		return -1
	}
	rs, _ := tr.s.Rules(tr.entryNode().Name)
	c := rs.Chain(TableNAT, chain)
	if c == nil {
		return -1
	}
	k := 0
	for _, r := range c.Rules {
		to := sepDestination(rs, r.Target)
		if r.Recent != nil || !to.IsValid() {
			continue // an affinity check, or the mark for traffic from outside the pod network
		}
		if to == dst {
			return k
		}
		k++
	}
	return -1
}

// podEndpointAddr is the address and port of Pod p as an endpoint of the traced port.
func (tr *tracer) podEndpointAddr(p *model.Pod) (netip.AddrPort, bool) {
	if p == nil || tr.sp == nil {
		return netip.AddrPort{}, false
	}
	for _, ep := range tr.sp.Endpoints {
		if ep.Pod == p {
			ip, _ := tr.s.EndpointAddr(ep)
			return netip.AddrPortFrom(ip, uint16(ep.Port)), ip.IsValid()
		}
	}
	return netip.AddrPort{}, false
}

// sepDestination is where a KUBE-SEP chain's DNAT sends the packet; invalid for other chains.
func sepDestination(rs *Ruleset, sep string) netip.AddrPort {
	if c := rs.Chain(TableNAT, sep); c != nil {
		for _, r := range c.Rules {
			if r.Target == TargetDNAT {
				return r.ToDestination
			}
		}
	}
	return netip.AddrPort{}
}
