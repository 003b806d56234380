package netsim

import (
	"net/netip"
	"strings"
)

// NftContext is what a packet's walk through the nftables table needs besides the packet.
type NftContext struct {
	// Local reports whether an address is the node's own (fib saddr type local).
	Local func(netip.Addr) bool
	// Pick decides `numgen random mod n` in a chain, given the endpoint each value leads
	// to: a value in [0, n). nil: always 0.
	Pick func(chain string, to []netip.AddrPort) int
	// Dynamic holds the dynamic sets' contents (session affinity): `update @set` adds the
	// source address, `ip saddr @set` finds it. No clock: entries never time out.
	Dynamic *RecentTable
	// Mark is the packet mark; DNAT is conntrack's "ct status dnat".
	Mark uint32
	DNAT bool
}

// NftStep is a rule that matched and acted: the chain, the rule, and for lookups the set or
// map consulted and its element; for numgen the value drawn (-1 for none).
type NftStep struct {
	Chain   string
	Index   int
	Rule    *NftRule
	Set     string
	Element *NftElement
	Pick    int
	// Did is the action that ended the rule: "jump", "goto", "mark", "dnat",
	// "masquerade", "reject", "drop", "accept", "update".
	Did string
}

// NftResult is the outcome of one base chain.
type NftResult struct {
	Steps  []NftStep
	Packet Packet
	// Final is "dnat", "masquerade", "reject", "drop", "accept", or "" (the base chain's
	// policy, accept).
	Final string
}

type nftFrame struct {
	chain *NftChain
	next  int
}

// Run evaluates pkt through a base chain as the kernel does: jump pushes a chain (its end
// returns), goto replaces the current one, a verdict map acts on the element it finds (no
// element: the rule does not match), and dnat, masquerade, reject, drop and accept end the
// walk. Every connection is NEW (ct state new matches).
func (t *NftTable) Run(chain string, pkt Packet, ctx *NftContext) NftResult {
	res := NftResult{Packet: pkt}
	start := t.Chain(chain)
	if start == nil {
		return res
	}
	stack := []nftFrame{{chain: start}}
	for len(stack) > 0 && len(stack) < maxDepth {
		top := &stack[len(stack)-1]
		if top.next >= len(top.chain.Rules) {
			stack = stack[:len(stack)-1]
			continue
		}
		idx := top.next
		r := top.chain.Rules[idx]
		top.next++
		st, final, next, isGoto := t.evalRule(top.chain.Name, idx, r, &res.Packet, ctx)
		if st == nil {
			continue
		}
		res.Steps = append(res.Steps, *st)
		switch {
		case final != "":
			res.Final = final
			return res
		case next != nil && isGoto:
			stack[len(stack)-1] = nftFrame{chain: next}
		case next != nil:
			stack = append(stack, nftFrame{chain: next})
		}
	}
	return res
}

// evalRule runs one rule. It returns nil when a match fails; else the step, and either a
// final verdict or the chain to jump or go to.
func (t *NftTable) evalRule(chain string, idx int, r *NftRule, pkt *Packet, ctx *NftContext) (st *NftStep, final string, next *NftChain, isGoto bool) {
	st = &NftStep{Chain: chain, Index: idx, Rule: r, Pick: -1}
	for _, e := range r.Exprs {
		switch e.Op {
		case OpMarkOr:
			ctx.Mark |= e.Mark
			st.Did = "mark"
		case OpMarkXor:
			ctx.Mark ^= e.Mark
		case OpUpdateSet:
			if ctx.Dynamic != nil {
				ctx.Dynamic.Set(e.Set, pkt.Src.Addr())
			}
			st.Set, st.Did = e.Set, "update"
		case OpJump, OpGoto:
			st.Did = map[NftOp]string{OpJump: "jump", OpGoto: "goto"}[e.Op]
			return st, "", t.Chain(e.Chain), e.Op == OpGoto
		case OpVmap:
			el := t.lookup(e.Set, e.Key, *pkt)
			if el == nil {
				return nil, "", nil, false
			}
			st.Set, st.Element = e.Set, el
			return t.verdict(st, el.Verdict)
		case OpNumgenVmap:
			to := make([]netip.AddrPort, len(e.Chains))
			for i, c := range e.Chains {
				to[i] = t.endpointDest(c)
			}
			st.Pick = pick(ctx, chain, to)
			st.Did = "goto"
			return st, "", t.Chain(e.Chains[st.Pick]), true
		case OpDNAT:
			i := 0
			if len(e.To) > 1 {
				i = pick(ctx, chain, e.To)
				st.Pick = i
			}
			pkt.Dst = e.To[i]
			ctx.DNAT = true
			st.Did = "dnat"
			return st, "dnat", nil, false
		case OpMasquerade, OpReject, OpDrop:
			st.Did = map[NftOp]string{OpMasquerade: "masquerade", OpReject: "reject", OpDrop: "drop"}[e.Op]
			return st, st.Did, nil, false
		default:
			if !t.matches(e, st, pkt, ctx) {
				return nil, "", nil, false
			}
		}
	}
	if st.Did == "" {
		return nil, "", nil, false
	}
	return st, "", nil, false
}

func (t *NftTable) verdict(st *NftStep, v NftVerdict) (*NftStep, string, *NftChain, bool) {
	st.Did = v.Kind
	switch v.Kind {
	case "goto", "jump":
		return st, "", t.Chain(v.Chain), v.Kind == "goto"
	}
	return st, v.Kind, nil, false
}

// matches evaluates one match expression; a set lookup records the element it found.
func (t *NftTable) matches(e NftExpr, st *NftStep, pkt *Packet, ctx *NftContext) bool {
	addr := pkt.Dst.Addr()
	if e.Field == "saddr" {
		addr = pkt.Src.Addr()
	}
	switch e.Op {
	case OpCtStateNew:
		return true
	case OpCtStatusDNAT:
		return ctx.DNAT
	case OpFibSaddrLocal:
		return ctx.Local != nil && ctx.Local(pkt.Src.Addr())
	case OpL4Proto:
		return strings.EqualFold(pkt.Proto, e.Proto)
	case OpMarkBitSet:
		return ctx.Mark&e.Mark != 0
	case OpAddrPrefix:
		in := false
		for _, p := range e.Prefixes {
			in = in || p.Contains(addr)
		}
		return in != e.Not
	case OpAddrInSet:
		s := t.Set(e.Set)
		if s != nil && len(s.Flags) > 0 { // a dynamic set (affinity)
			if ctx.Dynamic.Check(e.Set, addr) {
				st.Set = e.Set
				return true
			}
			return false
		}
		if el := t.lookup(e.Set, KeyAddr, Packet{Dst: netip.AddrPortFrom(addr, 0)}); el != nil {
			st.Set, st.Element = e.Set, el
			return true
		}
		return false
	case OpTupleInSet:
		if el := t.lookup(e.Set, KeyAddrAddrProtoPort, *pkt); el != nil {
			st.Set, st.Element = e.Set, el
			return true
		}
		return false
	}
	return false
}

// lookup finds the element of a set or map whose key the packet gives.
func (t *NftTable) lookup(set string, key NftKeyKind, pkt Packet) *NftElement {
	s := t.Set(set)
	if s == nil {
		return nil
	}
	k := NftElement{Addr: pkt.Dst.Addr(), Proto: strings.ToLower(pkt.Proto), Port: pkt.Dst.Port()}
	if key == KeyAddrAddrProtoPort {
		k.Addr, k.Addr2 = pkt.Src.Addr(), pkt.Dst.Addr()
	}
	return s.Lookup(k)
}

func pick(ctx *NftContext, chain string, to []netip.AddrPort) int {
	if ctx.Pick == nil || len(to) <= 1 {
		return 0
	}
	if i := ctx.Pick(chain, to); i >= 0 && i < len(to) {
		return i
	}
	return 0
}

// endpointDest is where an endpoint-… chain DNATs to.
func (t *NftTable) endpointDest(chain string) netip.AddrPort {
	if c := t.Chain(chain); c != nil {
		for _, r := range c.Rules {
			for _, e := range r.Exprs {
				if e.Op == OpDNAT && len(e.To) == 1 {
					return e.To[0]
				}
			}
		}
	}
	return netip.AddrPort{}
}
