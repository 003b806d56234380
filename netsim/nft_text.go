// How nft list writes the pieces of the table: rules, expressions, verdicts, set types, keys and
// elements (nft 1.0.6 as kube-reference/*.nft shows it). nft_print.go orders and assembles them.

package netsim

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

func (v NftVerdict) String() string {
	if v.Chain != "" {
		return v.Kind + " " + v.Chain
	}
	return v.Kind
}

// String prints the rule as `nft list` does.
func (r *NftRule) String() string {
	parts := make([]string, 0, len(r.Exprs)+1)
	for _, e := range r.Exprs {
		parts = append(parts, e.String())
	}
	if r.Comment != "" {
		parts = append(parts, "comment "+strconv.Quote(r.Comment))
	}
	return strings.Join(parts, " ")
}

// String prints one expression in nft's output syntax.
func (e NftExpr) String() string {
	switch e.Op {
	case OpCtStateNew:
		return "ct state new"
	case OpCtStatusDNAT:
		return "ct status dnat"
	case OpFibSaddrLocal:
		return "fib saddr type local"
	case OpAddrInSet:
		return "ip " + e.Field + " @" + e.Set
	case OpAddrPrefix:
		return "ip " + e.Field + " " + notOp(e.Not) + anonPrefixes(e.Prefixes)
	case OpL4Proto:
		return "meta l4proto " + e.Proto
	case OpMarkBitSet:
		return fmt.Sprintf("meta mark & 0x%08x != 0x00000000", e.Mark)
	case OpTupleInSet:
		return "ip saddr . ip daddr . meta l4proto . th dport @" + e.Set
	case OpVmap:
		return keyExpr(e.Key) + " vmap @" + e.Set
	case OpJump:
		return "jump " + e.Chain
	case OpGoto:
		return "goto " + e.Chain
	case OpMarkOr:
		return fmt.Sprintf("meta mark set meta mark | 0x%08x", e.Mark)
	case OpMarkXor:
		return fmt.Sprintf("meta mark set meta mark ^ 0x%08x", e.Mark)
	case OpMasquerade:
		return "masquerade fully-random"
	case OpReject:
		return "reject"
	case OpDrop:
		return "drop"
	case OpDNAT:
		return dnatString(e.To)
	case OpNumgenVmap:
		els := make([]string, len(e.Chains))
		for i, c := range e.Chains {
			els[i] = strconv.Itoa(i) + " : goto " + c
		}
		return "numgen random mod " + strconv.Itoa(len(e.Chains)) + " vmap { " + strings.Join(els, ", ") + " }"
	case OpUpdateSet:
		return "update @" + e.Set + " { ip saddr }"
	}
	return fmt.Sprintf("?op%d", e.Op)
}

func notOp(not bool) string {
	if not {
		return "!= "
	}
	return ""
}

// anonPrefixes prints an anonymous set of IPv4 prefixes as nft prints it back: overlapping
// and adjacent ranges merged, sorted, each a prefix when it is one (a host as a bare
// address) or else a range "a-b", a single element without braces.
func anonPrefixes(ps []netip.Prefix) string {
	type span struct{ lo, hi uint64 }
	spans := make([]span, 0, len(ps))
	for _, p := range ps {
		p = p.Masked()
		lo := uint64(addrU32(p.Addr()))
		spans = append(spans, span{lo, lo + (uint64(1) << (32 - p.Bits())) - 1})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].lo < spans[j].lo })
	var merged []span
	for _, sp := range spans {
		if n := len(merged); n > 0 && sp.lo <= merged[n-1].hi+1 {
			merged[n-1].hi = max(merged[n-1].hi, sp.hi)
			continue
		}
		merged = append(merged, sp)
	}
	out := make([]string, len(merged))
	for i, sp := range merged {
		out[i] = spanString(sp.lo, sp.hi)
	}
	if len(out) == 1 {
		return out[0]
	}
	return "{ " + strings.Join(out, ", ") + " }"
}

// spanString prints lo..hi as nft does: a prefix when the span is one, else a range.
func spanString(lo, hi uint64) string {
	size := hi - lo + 1
	if size&(size-1) == 0 && lo%size == 0 {
		bits := 32
		for s := size; s > 1; s >>= 1 {
			bits--
		}
		if bits == 32 {
			return u32Addr(lo).String()
		}
		return netip.PrefixFrom(u32Addr(lo), bits).String()
	}
	return u32Addr(lo).String() + "-" + u32Addr(hi).String()
}

func keyExpr(k NftKeyKind) string {
	switch k {
	case KeyProtoPort:
		return "meta l4proto . th dport"
	case KeyAddrAddrProtoPort:
		return "ip saddr . ip daddr . meta l4proto . th dport"
	case KeyAddr:
		return "ip daddr"
	}
	return "ip daddr . meta l4proto . th dport"
}

// dnatString is one endpoint's `dnat to ip:port`, or the numgen map over several.
func dnatString(to []netip.AddrPort) string {
	if len(to) == 1 {
		return "dnat to " + to[0].String()
	}
	els := make([]string, len(to))
	for i, ap := range to {
		els[i] = strconv.Itoa(i) + " : " + ap.Addr().String() + " . " + strconv.Itoa(int(ap.Port()))
	}
	return "dnat ip to numgen random mod " + strconv.Itoa(len(to)) + " map { " + strings.Join(els, ", ") + " }"
}

// typeString is the set's `type` line.
func (s *NftSet) typeString() string {
	var t string
	switch s.Key {
	case KeyAddr:
		t = "ipv4_addr"
	case KeyProtoPort:
		t = "inet_proto . inet_service"
	case KeyAddrAddrProtoPort:
		t = "ipv4_addr . ipv4_addr . inet_proto . inet_service"
	default:
		t = "ipv4_addr . inet_proto . inet_service"
	}
	if s.Map {
		t += " : verdict"
	}
	return t
}

// keyString prints an element's key.
func (s *NftSet) keyString(el *NftElement) string {
	port := strconv.Itoa(int(el.Port))
	switch s.Key {
	case KeyAddr:
		return el.Addr.String()
	case KeyProtoPort:
		return el.Proto + " . " + port
	case KeyAddrAddrProtoPort:
		return el.Addr.String() + " . " + el.Addr2.String() + " . " + el.Proto + " . " + port
	}
	return el.Addr.String() + " . " + el.Proto + " . " + port
}

func (s *NftSet) elementString(el *NftElement) string {
	out := s.keyString(el)
	if el.Comment != "" {
		out += " comment " + strconv.Quote(el.Comment)
	}
	if s.Map {
		out += " : " + el.Verdict.String()
	}
	return out
}
