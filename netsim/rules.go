package netsim

import (
	"fmt"
	"net/netip"
	"strings"
)

// Table names.
const (
	TableNAT    = "nat"
	TableFilter = "filter"
)

// Targets that are not chains.
const (
	TargetAccept     = "ACCEPT"
	TargetDrop       = "DROP"
	TargetReject     = "REJECT"
	TargetReturn     = "RETURN"
	TargetMark       = "MARK"
	TargetDNAT       = "DNAT"
	TargetMasquerade = "MASQUERADE"
)

// builtinChains are the kernel's chains of each table, in the order iptables-save lists them.
var builtinChains = map[string][]string{
	TableNAT:    {"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"},
	TableFilter: {"INPUT", "FORWARD", "OUTPUT"},
}

// Ruleset is kube-proxy's rules on one node: the nat table, then the filter table, in the
// order iptables-save prints them.
type Ruleset struct {
	Tables []*Table
}

// Table is one iptables table.
type Table struct {
	Name   string
	Chains []*Chain

	index map[string]*Chain // Chains by name, rebuilt when it falls out of step
}

// Chain is one chain and its rules in evaluation order.
type Chain struct {
	Name string
	// Policy is "ACCEPT" for a built-in chain and "" for a user chain (printed "-").
	Policy string
	// Service is the servicePortName the chain exists for (KUBE-SVC-, KUBE-SEP-, …), or ""
	// for kube-proxy's fixed chains.
	Service string
	Rules   []*Rule
}

// Mark is a packet mark value and mask: "0x4000/0x4000".
type Mark struct {
	Value, Mask uint32
}

func (m Mark) String() string { return fmt.Sprintf("0x%x/0x%x", m.Value, m.Mask) }

// RecentMatch is the `recent` module, which kube-proxy uses for sessionAffinity: ClientIP.
// A KUBE-SEP- chain records the client (--set) and KUBE-SVC- checks for it (--rcheck).
type RecentMatch struct {
	Name    string // the list, named after the KUBE-SEP- chain
	Set     bool   // record the source address
	Rcheck  bool   // match if the source address is in the list
	Seconds int    // with Rcheck: only if seen within this many seconds
	Reap    bool   // with Seconds: purge older entries
	// Mask is applied to the address before it is recorded; invalid means the IPv4 all-ones mask.
	Mask netip.Addr
}

// Rule is one iptables rule as structured data. Zero values mean "no such match".
type Rule struct {
	Chain string // the chain the rule is appended to
	// Service is the servicePortName ("ns/name:port" or "ns/name") the rule was written
	// for, or "" for kube-proxy's fixed rules.
	Service string

	Source    netip.Prefix // -s; invalid when absent
	NotSource bool
	Dest      netip.Prefix // -d; invalid when absent
	NotDest   bool
	Protocol  string // -p and -m <proto>, lower case ("tcp"); "" for any protocol
	DPort     int32  // --dport of the protocol match; 0 when absent

	Comment string
	// ConntrackFirst puts the conntrack match before the comment: iptables-save keeps the
	// order in which matches were given, and kube-proxy's jump rules from the built-in
	// chains give `-m conntrack` first, while its other rules give the comment first.
	ConntrackFirst bool
	MatchMark      *Mark // -m mark --mark
	NotMark        bool
	CtState        string // -m conntrack --ctstate, e.g. "NEW", "RELATED,ESTABLISHED"
	NotCtState     bool
	Recent         *RecentMatch
	// Probability is the `-m statistic --mode random` probability as kube-proxy computes it,
	// 1/(n-i); 0 when the rule has no statistic match.
	Probability  float64
	SrcTypeLocal bool   // -m addrtype --src-type LOCAL
	DstTypeLocal bool   // -m addrtype --dst-type LOCAL
	Nfacct       string // -m nfacct --nfacct-name

	// Target is a chain name or one of the Target* constants; "" for a rule without -j.
	Target        string
	SetXMark      *Mark          // MARK --set-xmark
	ToDestination netip.AddrPort // DNAT --to-destination
	RandomFully   bool           // MASQUERADE --random-fully
	RejectWith    string         // REJECT --reject-with
}

// Table returns the named table, or nil.
func (rs *Ruleset) Table(name string) *Table {
	for _, t := range rs.Tables {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// Chain returns the named chain of a table, or nil.
func (rs *Ruleset) Chain(table, name string) *Chain {
	t := rs.Table(table)
	if t == nil {
		return nil
	}
	return t.Chain(name)
}

// Chain returns the named chain, or nil.
func (t *Table) Chain(name string) *Chain {
	// A table holds thousands of chains for a large dump; keep lookups O(1).
	if len(t.index) != len(t.Chains) {
		t.index = make(map[string]*Chain, len(t.Chains))
		for _, c := range t.Chains {
			t.index[c.Name] = c
		}
	}
	return t.index[name]
}

// Builtin reports whether the chain is one of the kernel's own (it has a policy).
func (c *Chain) Builtin() bool { return c.Policy != "" }

// ForService returns a copy holding only what belongs to one Service (all its ports): its
// own chains, and the fixed chains that hold at least one of its rules, with only those
// rules. Both tables are always present, so Save still prints a loadable dump.
func (rs *Ruleset) ForService(namespace, name string) *Ruleset {
	owned := func(service string) bool { return serviceBelongs(service, namespace, name) }
	out := &Ruleset{}
	for _, t := range rs.Tables {
		nt := &Table{Name: t.Name}
		for _, c := range t.Chains {
			nc := &Chain{Name: c.Name, Policy: c.Policy, Service: c.Service}
			for _, r := range c.Rules {
				if owned(r.Service) {
					nc.Rules = append(nc.Rules, r)
				}
			}
			if owned(c.Service) || len(nc.Rules) > 0 {
				nt.Chains = append(nt.Chains, nc)
			}
		}
		out.Tables = append(out.Tables, nt)
	}
	return out
}

// serviceBelongs reports whether a servicePortName ("ns/name" or "ns/name:port") names a
// port of the Service ns/name.
func serviceBelongs(servicePortName, namespace, name string) bool {
	svc := namespace + "/" + name
	return servicePortName == svc || strings.HasPrefix(servicePortName, svc+":")
}

// newRuleset is an empty ruleset with both tables and their built-in chains.
func newRuleset() *Ruleset {
	rs := &Ruleset{}
	for _, name := range []string{TableNAT, TableFilter} {
		t := &Table{Name: name}
		for _, c := range builtinChains[name] {
			t.Chains = append(t.Chains, &Chain{Name: c, Policy: TargetAccept})
		}
		rs.Tables = append(rs.Tables, t)
	}
	return rs
}

// ensureChain returns the named chain, creating it as a user chain owned by service.
func (rs *Ruleset) ensureChain(table, name, service string) *Chain {
	t := rs.Table(table)
	if c := t.Chain(name); c != nil {
		return c
	}
	c := &Chain{Name: name, Service: service}
	t.Chains = append(t.Chains, c)
	t.index[name] = c
	return c
}

// add appends r to its chain in table, creating a user chain if needed.
func (rs *Ruleset) add(table string, r *Rule) {
	c := rs.ensureChain(table, r.Chain, "")
	c.Rules = append(c.Rules, r)
}
