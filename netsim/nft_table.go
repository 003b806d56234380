package netsim

import (
	"fmt"
	"net/netip"
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

func addrU32(a netip.Addr) uint32 {
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}

func u32Addr(v uint64) netip.Addr {
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)})
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
