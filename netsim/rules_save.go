package netsim

import (
	"fmt"
	"math"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// The rules as text, exactly as iptables-save prints them: a rule's matches in the order the
// kernel's iptables-save writes them, the probabilities as it rounds them, the chains in the
// order it lists them.

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
