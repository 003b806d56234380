package netsim

import (
	"net/netip"
	"strings"
)

// EvalContext is what a packet's walk through the rules needs besides the packet.
type EvalContext struct {
	// Local reports whether an address is local to the node (addrtype LOCAL). nil: none is.
	Local func(netip.Addr) bool
	// Random decides a `-m statistic --mode random --probability p` match; p is the
	// probability the kernel applies (KernelProbability). The caller supplies a seeded RNG
	// so traces are reproducible. nil: every statistic match matches (first endpoint wins).
	Random func(chain string, p float64) bool
	// Recent is the `recent` module's state, kept across evaluations for session
	// affinity. nil: --set records nothing and --rcheck never matches.
	Recent *RecentTable
	// Mark is the packet mark, read and written by the rules.
	Mark uint32
	// DNAT reports whether the connection has been DNATed (conntrack state DNAT). Run sets
	// it when it takes a DNAT target, so a later Run in the filter table sees it.
	DNAT bool
}

// Step is a rule whose target was taken.
type Step struct {
	Table, Chain string
	Index        int // the rule's position in its chain, from 0
	Rule         *Rule
}

// Result is the outcome of running a packet through a chain.
type Result struct {
	Steps []Step // every rule whose target was taken, in order
	// Packet is the packet after the chain: DNAT rewrites the destination; MASQUERADE
	// leaves the source as it is, since the new one is the outgoing interface's address,
	// which the rules do not know.
	Packet Packet
	// Final is the terminating target taken ("DNAT", "REJECT", "DROP", "ACCEPT",
	// "MASQUERADE"), or "" when the packet fell off the end of the chain (for a built-in
	// chain, its policy ACCEPT).
	Final string
}

// RecentTable is the state of the `recent` module: for each list name, the source
// addresses recorded. There is no clock in the simulation, so entries never expire.
type RecentTable struct {
	lists map[string]map[netip.Addr]bool
}

// NewRecentTable returns an empty table.
func NewRecentTable() *RecentTable { return &RecentTable{} }

// Set records addr in the named list.
func (t *RecentTable) Set(name string, addr netip.Addr) {
	if t.lists == nil {
		t.lists = map[string]map[netip.Addr]bool{}
	}
	if t.lists[name] == nil {
		t.lists[name] = map[netip.Addr]bool{}
	}
	t.lists[name][addr] = true
}

// Check reports whether addr is in the named list.
func (t *RecentTable) Check(name string, addr netip.Addr) bool {
	return t != nil && t.lists[name][addr]
}

// maxDepth bounds chain nesting; iptables refuses loops, this guards against bad data.
const maxDepth = 64

// frame is a position in a chain on the evaluation stack.
type frame struct {
	chain *Chain
	next  int
}

// Run evaluates pkt from the start of chain in table, as netfilter would: a user-chain
// target is a jump (and the chain's end returns to the caller), RETURN returns, MARK
// changes ctx.Mark and goes on, and DNAT, MASQUERADE, REJECT, DROP and ACCEPT end the
// walk. Conntrack sees every packet as the first of a NEW connection (plus DNAT once
// ctx.DNAT is set): RELATED, ESTABLISHED and INVALID never match.
func (rs *Ruleset) Run(table, chain string, pkt Packet, ctx *EvalContext) Result {
	if ctx == nil {
		ctx = &EvalContext{}
	}
	res := Result{Packet: pkt}
	start := rs.Chain(table, chain)
	if start == nil {
		return res
	}
	stack := []frame{{chain: start}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next >= len(top.chain.Rules) {
			stack = stack[:len(stack)-1] // end of chain: return to the caller
			continue
		}
		idx := top.next
		r := top.chain.Rules[idx]
		top.next++
		if !r.matches(&res.Packet, ctx) || r.Target == "" {
			continue
		}
		res.Steps = append(res.Steps, Step{Table: table, Chain: top.chain.Name, Index: idx, Rule: r})
		switch r.Target {
		case TargetReturn:
			stack = stack[:len(stack)-1]
		case TargetMark:
			if r.SetXMark != nil {
				ctx.Mark = ctx.Mark&^r.SetXMark.Mask ^ r.SetXMark.Value
			}
		case TargetDNAT:
			res.Packet.Dst = dnatDestination(res.Packet.Dst, r.ToDestination)
			ctx.DNAT = true
			res.Final = TargetDNAT
			return res
		case TargetMasquerade, TargetReject, TargetDrop, TargetAccept:
			res.Final = r.Target
			return res
		default:
			next := rs.Chain(table, r.Target)
			if next != nil && len(stack) < maxDepth {
				stack = append(stack, frame{chain: next})
			}
		}
	}
	return res
}

// dnatDestination applies --to-destination; an address without a port keeps the port.
func dnatDestination(dst, to netip.AddrPort) netip.AddrPort {
	if to.Port() == 0 {
		return netip.AddrPortFrom(to.Addr(), dst.Port())
	}
	return to
}

// matches checks the rule against the packet in the order netfilter does: the address and
// protocol header first, then each match in the rule's order, stopping at the first that
// fails, so side effects (recent --set) and RNG draws happen only when reached.
func (r *Rule) matches(pkt *Packet, ctx *EvalContext) bool {
	if !r.headerMatches(pkt) {
		return false
	}
	if r.ConntrackFirst && !r.ctMatches(ctx) {
		return false
	}
	if r.MatchMark != nil && (ctx.Mark&r.MatchMark.Mask == r.MatchMark.Value) == r.NotMark {
		return false
	}
	if !r.ConntrackFirst && !r.ctMatches(ctx) {
		return false
	}
	if r.Recent != nil && !r.recentMatches(pkt, ctx) {
		return false
	}
	if r.Probability != 0 && !random(ctx, r.Chain, r.Probability) {
		return false
	}
	if r.SrcTypeLocal && !isLocal(ctx, pkt.Src.Addr()) || r.DstTypeLocal && !isLocal(ctx, pkt.Dst.Addr()) {
		return false
	}
	if r.DPort != 0 && pkt.Dst.Port() != uint16(r.DPort) {
		return false
	}
	return true // comment and nfacct always match
}

func (r *Rule) headerMatches(pkt *Packet) bool {
	if r.Source.IsValid() && r.Source.Contains(pkt.Src.Addr()) == r.NotSource {
		return false
	}
	if r.Dest.IsValid() && r.Dest.Contains(pkt.Dst.Addr()) == r.NotDest {
		return false
	}
	return r.Protocol == "" || strings.EqualFold(r.Protocol, pkt.Proto)
}

// ctMatches treats the packet as NEW, and as DNAT once a DNAT has happened.
func (r *Rule) ctMatches(ctx *EvalContext) bool {
	if r.CtState == "" {
		return true
	}
	in := false
	for _, s := range strings.Split(r.CtState, ",") {
		if s == "NEW" || s == "DNAT" && ctx.DNAT {
			in = true
		}
	}
	return in != r.NotCtState
}

func (r *Rule) recentMatches(pkt *Packet, ctx *EvalContext) bool {
	src := pkt.Src.Addr()
	switch {
	case r.Recent.Set:
		if ctx.Recent != nil {
			ctx.Recent.Set(r.Recent.Name, src)
		}
		return true
	case r.Recent.Rcheck:
		return ctx.Recent.Check(r.Recent.Name, src)
	}
	return true
}

func random(ctx *EvalContext, chain string, p float64) bool {
	if ctx.Random == nil {
		return true
	}
	return ctx.Random(chain, KernelProbability(p))
}

func isLocal(ctx *EvalContext, a netip.Addr) bool {
	return ctx.Local != nil && ctx.Local(a)
}
