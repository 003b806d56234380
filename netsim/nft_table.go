package netsim

import (
	"fmt"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// ProxyMode is kube-proxy's --proxy-mode: which kernel interface its rules are written in.
type ProxyMode string

const (
	// ModeIPTables is kube-proxy v1.37's default: chains in the nat and filter tables.
	ModeIPTables ProxyMode = "iptables"
	// ModeNFTables is the nftables mode (GA since 1.33, the default from 1.40): one table,
	// `ip kube-proxy`, dispatching through sets and verdict maps.
	ModeNFTables ProxyMode = "nftables"
)

// ParseProxyMode reads a --proxy-mode value; "" is the default, iptables.
func ParseProxyMode(s string) (ProxyMode, error) {
	switch ProxyMode(strings.ToLower(strings.TrimSpace(s))) {
	case "", ModeIPTables:
		return ModeIPTables, nil
	case ModeNFTables:
		return ModeNFTables, nil
	}
	return "", fmt.Errorf("unknown proxy mode %q: use iptables or nftables", s)
}

// NftTable is one nftables table as data: what `nft list table` prints and what a trace
// walks. Sets holds sets and maps (Map true), Chains base and regular chains.
type NftTable struct {
	Family, Name, Comment string
	Sets                  []*NftSet
	Chains                []*NftChain

	setIdx   map[string]*NftSet // by name, rebuilt when Sets changes length
	chainIdx map[string]*NftChain
}

// NftKeyKind is the shape of a set's (or a verdict map's) key.
type NftKeyKind int

const (
	KeyAddr              NftKeyKind = iota // ipv4_addr
	KeyAddrProtoPort                       // ipv4_addr . inet_proto . inet_service
	KeyProtoPort                           // inet_proto . inet_service
	KeyAddrAddrProtoPort                   // ipv4_addr . ipv4_addr . inet_proto . inet_service
)

// NftSet is a named set or map. Timeout is in seconds (0: none); Size 0 prints nothing.
type NftSet struct {
	Name     string
	Map      bool // a verdict map: elements carry a Verdict
	Key      NftKeyKind
	Flags    []string
	Size     int
	Timeout  int
	Comment  string
	Elements []*NftElement
	// Service is the servicePortName the set belongs to ("" for kube-proxy's fixed sets).
	Service string

	idx map[nftKey]*NftElement // by key, rebuilt when Elements changes length
}

// nftKey is an element's key with only the fields its set's key type has.
type nftKey struct {
	a, a2 netip.Addr
	proto string
	port  uint16
}

// NftElement is one element of a set or map: the key's fields that its set's Key uses.
type NftElement struct {
	Addr, Addr2 netip.Addr
	Proto       string // "tcp", "udp", "sctp"
	Port        uint16
	Comment     string
	Verdict     NftVerdict // maps only
	// Service is the servicePortName that put the element there (not printed).
	Service string
}

// NftVerdict is a verdict map's value: "goto chain", "jump chain", "drop", "accept".
type NftVerdict struct {
	Kind  string
	Chain string
}

func (v NftVerdict) String() string {
	if v.Chain != "" {
		return v.Kind + " " + v.Chain
	}
	return v.Kind
}

// NftChain is a chain; Type, Hook and Priority are set for base chains only.
type NftChain struct {
	Name                 string
	Type, Hook, Priority string
	Comment              string
	Rules                []*NftRule
	Service              string // servicePortName for per-Service chains
}

// Base reports whether the chain is attached to a netfilter hook.
func (c *NftChain) Base() bool { return c.Hook != "" }

// NftRule is one rule: expressions in the order nft prints them, and its comment.
type NftRule struct {
	Exprs   []NftExpr
	Comment string
}

// NftOp is the kind of one expression of a rule.
type NftOp int

const (
	OpCtStateNew    NftOp = iota // ct state new
	OpCtStatusDNAT               // ct status dnat
	OpFibSaddrLocal              // fib saddr type local
	OpAddrInSet                  // ip {saddr|daddr} @set
	OpAddrPrefix                 // ip {saddr|daddr} [!=] prefix | { prefixes }
	OpL4Proto                    // meta l4proto tcp
	OpMarkBitSet                 // meta mark & M != 0
	OpTupleInSet                 // ip saddr . ip daddr . meta l4proto . th dport @set
	OpVmap                       // KEY vmap @map
	OpJump                       // jump chain
	OpGoto                       // goto chain
	OpMarkOr                     // meta mark set meta mark | M
	OpMarkXor                    // meta mark set meta mark ^ M
	OpMasquerade                 // masquerade fully-random
	OpReject                     // reject (ICMP port unreachable)
	OpDrop                       // drop
	OpDNAT                       // dnat to one endpoint, or numgen random mod N over a map
	OpNumgenVmap                 // numgen random mod N vmap { i : goto chain }
	OpUpdateSet                  // update @set { ip saddr }
)

// NftExpr is one match or statement of a rule; which fields count depends on Op.
type NftExpr struct {
	Op       NftOp
	Not      bool
	Field    string // "saddr" or "daddr"
	Set      string
	Prefixes []netip.Prefix
	Proto    string
	Chain    string
	Chains   []string
	To       []netip.AddrPort
	Mark     uint32
	Key      NftKeyKind
}

// Set finds a set or map by name.
func (t *NftTable) Set(name string) *NftSet {
	if t.setIdx == nil || len(t.setIdx) != len(t.Sets) {
		t.setIdx = make(map[string]*NftSet, len(t.Sets))
		for _, s := range t.Sets {
			t.setIdx[s.Name] = s
		}
	}
	return t.setIdx[name]
}

// Chain finds a chain by name.
func (t *NftTable) Chain(name string) *NftChain {
	if t.chainIdx == nil || len(t.chainIdx) != len(t.Chains) {
		t.chainIdx = make(map[string]*NftChain, len(t.Chains))
		for _, c := range t.Chains {
			t.chainIdx[c.Name] = c
		}
	}
	return t.chainIdx[name]
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

func addrU32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func u32Addr(v uint64) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
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

// Lookup finds the element whose key the packet's fields give, or nil.
func (s *NftSet) Lookup(key NftElement) *NftElement {
	if s.idx == nil || len(s.idx) != len(s.Elements) {
		s.idx = make(map[nftKey]*NftElement, len(s.Elements))
		for _, el := range s.Elements {
			s.idx[s.key(el)] = el
		}
	}
	return s.idx[s.key(&key)]
}

// add appends an element unless one with its key is there, keeping the index.
func (s *NftSet) add(el *NftElement) {
	if s.Lookup(*el) != nil {
		return
	}
	s.Elements = append(s.Elements, el)
	s.idx[s.key(el)] = el
}

// addSet and addChain append, keeping the indexes, so a table is never re-indexed while it
// is built; once built it is only read (traces may walk it concurrently).
func (t *NftTable) addSet(s *NftSet) {
	t.Set(s.Name)
	t.Sets = append(t.Sets, s)
	t.setIdx[s.Name] = s
}

func (t *NftTable) addChain(c *NftChain) {
	t.Chain(c.Name)
	t.Chains = append(t.Chains, c)
	t.chainIdx[c.Name] = c
}

// index builds every lookup index, so that later lookups only read.
func (t *NftTable) index() {
	t.Set("")
	t.Chain("")
	for _, s := range t.Sets {
		s.Lookup(NftElement{})
	}
}

func (s *NftSet) key(el *NftElement) nftKey {
	switch s.Key {
	case KeyAddr:
		return nftKey{a: el.Addr}
	case KeyProtoPort:
		return nftKey{proto: el.Proto, port: el.Port}
	case KeyAddrAddrProtoPort:
		return nftKey{a: el.Addr, a2: el.Addr2, proto: el.Proto, port: el.Port}
	}
	return nftKey{a: el.Addr, proto: el.Proto, port: el.Port}
}
