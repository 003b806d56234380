package netsim

import (
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strconv"
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

// String renders the rule exactly as iptables-save prints it: "-A CHAIN ...".
func (r *Rule) String() string {
	var b strings.Builder
	r.writeTo(&b)
	return b.String()
}

func (r *Rule) writeTo(b *strings.Builder) {
	b.WriteString("-A ")
	b.WriteString(r.Chain)
	r.writeHeader(b)
	r.writeMatches(b)
	r.writeTarget(b)
}

// writeHeader writes the parts iptables-save prints before any -m match.
func (r *Rule) writeHeader(b *strings.Builder) {
	writeAddr(b, "-s", r.Source, r.NotSource)
	writeAddr(b, "-d", r.Dest, r.NotDest)
	if r.Protocol != "" {
		b.WriteString(" -p " + r.Protocol)
	}
}

func writeAddr(b *strings.Builder, flag string, p netip.Prefix, not bool) {
	if !p.IsValid() {
		return
	}
	if not {
		b.WriteString(" !")
	}
	b.WriteString(" " + flag + " " + p.Masked().String())
}

// writeMatches writes the -m matches in the order kube-proxy gives them (see ConntrackFirst).
func (r *Rule) writeMatches(b *strings.Builder) {
	if r.ConntrackFirst {
		r.writeConntrack(b)
	}
	if r.Comment != "" {
		b.WriteString(" -m comment --comment ")
		b.WriteString(saveString(r.Comment))
	}
	if r.MatchMark != nil {
		b.WriteString(" -m mark")
		if r.NotMark {
			b.WriteString(" !")
		}
		b.WriteString(" --mark " + r.MatchMark.String())
	}
	if !r.ConntrackFirst {
		r.writeConntrack(b)
	}
	if r.Recent != nil {
		r.writeRecent(b)
	}
	if r.Probability != 0 {
		b.WriteString(" -m statistic --mode random --probability ")
		b.WriteString(SavedProbability(r.Probability))
	}
	if r.SrcTypeLocal {
		b.WriteString(" -m addrtype --src-type LOCAL")
	}
	if r.DstTypeLocal {
		b.WriteString(" -m addrtype --dst-type LOCAL")
	}
	if r.Protocol != "" {
		b.WriteString(" -m " + r.Protocol)
		if r.DPort != 0 {
			b.WriteString(" --dport " + strconv.Itoa(int(r.DPort)))
		}
	}
	if r.Nfacct != "" {
		// iptables-save (1.8.9, nft backend) prints two spaces after --nfacct-name.
		b.WriteString(" -m nfacct --nfacct-name  " + r.Nfacct)
	}
}

func (r *Rule) writeConntrack(b *strings.Builder) {
	if r.CtState == "" {
		return
	}
	b.WriteString(" -m conntrack")
	if r.NotCtState {
		b.WriteString(" !")
	}
	b.WriteString(" --ctstate " + r.CtState)
}

// writeRecent follows libxt_recent's save order: mode, --seconds, --reap, --name, --mask, side.
func (r *Rule) writeRecent(b *strings.Builder) {
	rc := r.Recent
	b.WriteString(" -m recent")
	if rc.Set {
		b.WriteString(" --set")
	}
	if rc.Rcheck {
		b.WriteString(" --rcheck")
	}
	if rc.Seconds != 0 {
		b.WriteString(" --seconds " + strconv.Itoa(rc.Seconds))
	}
	if rc.Reap {
		b.WriteString(" --reap")
	}
	b.WriteString(" --name " + rc.Name)
	mask := "255.255.255.255"
	if rc.Mask.IsValid() {
		mask = rc.Mask.String()
	}
	b.WriteString(" --mask " + mask + " --rsource")
}

func (r *Rule) writeTarget(b *strings.Builder) {
	if r.Target == "" {
		return
	}
	b.WriteString(" -j " + r.Target)
	switch r.Target {
	case TargetMark:
		if r.SetXMark != nil {
			b.WriteString(" --set-xmark " + r.SetXMark.String())
		}
	case TargetDNAT:
		b.WriteString(" --to-destination " + r.ToDestination.String())
	case TargetMasquerade:
		if r.RandomFully {
			b.WriteString(" --random-fully")
		}
	case TargetReject:
		if r.RejectWith != "" {
			b.WriteString(" --reject-with " + r.RejectWith)
		}
	}
}

// saveString quotes a comment the way iptables-save does (xtables_save_string): bare when
// it is only letters, digits, '-' and '_', else in double quotes with " \ ' escaped.
func saveString(s string) string {
	bare := s != ""
	for _, c := range s {
		if !(c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			bare = false
			break
		}
	}
	if bare {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		if c == '"' || c == '\\' || c == '\'' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	b.WriteByte('"')
	return b.String()
}

// KernelProbability is the probability the kernel really applies to a statistic match
// kube-proxy wrote as 1/(n-i): kube-proxy prints it with %0.10f, iptables stores
// round(p·2³¹) as a 31-bit integer, and the match compares it with a random 31-bit number.
func KernelProbability(p float64) float64 {
	written, _ := strconv.ParseFloat(fmt.Sprintf("%0.10f", p), 64)
	stored := uint32(math.Round(written * (1 << 31)))
	return float64(stored) / (1 << 31)
}

// SavedProbability is how iptables-save prints that stored probability ("0.33333333349").
func SavedProbability(p float64) string {
	return fmt.Sprintf("%.11f", KernelProbability(p))
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

// Save renders the whole ruleset as iptables-save prints it.
func (rs *Ruleset) Save() string {
	var b strings.Builder
	for _, t := range rs.Tables {
		t.save(&b)
	}
	return b.String()
}

func (t *Table) save(b *strings.Builder) {
	chains := t.sortedChains()
	b.WriteString("*" + t.Name + "\n")
	for _, c := range chains {
		policy := c.Policy
		if policy == "" {
			policy = "-"
		}
		b.WriteString(":" + c.Name + " " + policy + " [0:0]\n")
	}
	for _, c := range chains {
		for _, r := range c.Rules {
			r.writeTo(b)
			b.WriteByte('\n')
		}
	}
	b.WriteString("COMMIT\n")
}

// sortedChains is the order iptables-save (nft backend) prints: the table's built-in chains in
// kernel order, then every other chain sorted by name (shared/kube-reference/README.md). Rules
// follow in the same chain order.
func (t *Table) sortedChains() []*Chain {
	chains := append([]*Chain(nil), t.Chains...)
	sort.SliceStable(chains, func(i, j int) bool {
		ri, rj := t.chainRank(chains[i].Name), t.chainRank(chains[j].Name)
		if ri != rj {
			return ri < rj
		}
		return chains[i].Name < chains[j].Name
	})
	return chains
}

// chainRank is a built-in chain's kernel position; every other chain ranks after them all.
func (t *Table) chainRank(name string) int {
	builtins := builtinChains[t.Name]
	for i, b := range builtins {
		if b == name {
			return i
		}
	}
	return len(builtins)
}

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
