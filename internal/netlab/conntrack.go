package netlab

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
)

// CTEntry is one conntrack entry: the tuple of the packet as first seen and the tuple a reply
// must have, as `conntrack -L` prints them. NAT shows as a reply tuple that is not the mirror
// of the original: its source is the DNAT target, its destination the SNAT address and port.
type CTEntry struct {
	Proto     string // "tcp", "udp"
	Orig      Tuple
	Reply     Tuple
	State     string // TCP state ("TIME_WAIT", "CLOSE"), "" for UDP
	Unreplied bool
}

// Tuple is one direction of a connection.
type Tuple struct{ Src, Dst netip.AddrPort }

func (t Tuple) String() string { return t.Src.String() + " → " + t.Dst.String() }

func (e CTEntry) String() string {
	return fmt.Sprintf("%s orig %s reply %s", e.Proto, e.Orig, e.Reply)
}

// Conntrack finds the entry of a connection in a namespace's table, by protocol, original
// source port (each probe has its own) and original destination.
func Conntrack(ns NS, proto string, sport uint16, dst netip.AddrPort) (*CTEntry, error) {
	out, err := ns.Exec("", "conntrack", "-L", "-p", strings.ToLower(proto), "--sport", strconv.Itoa(int(sport)))
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(out, "\n") {
		if e, ok := parseCT(line); ok && e.Orig.Src.Port() == sport && e.Orig.Dst == dst {
			return e, nil
		}
	}
	return nil, nil
}

// parseCT reads one line of `conntrack -L`:
// "tcp 6 119 TIME_WAIT src=A dst=B sport=1 dport=2 src=C dst=D sport=3 dport=4 [ASSURED] mark=0 use=1".
func parseCT(line string) (*CTEntry, bool) {
	f := strings.Fields(line)
	if len(f) < 4 {
		return nil, false
	}
	e := &CTEntry{Proto: f[0]}
	var vals [2]map[string]string
	n := -1
	for _, w := range f[3:] {
		k, v, ok := strings.Cut(w, "=")
		switch {
		case w == "[UNREPLIED]":
			e.Unreplied = true
		case !ok && n < 0 && strings.ToUpper(w) == w:
			e.State = w
		case ok && k == "src":
			n++
			if n < 2 {
				vals[n] = map[string]string{}
			}
			fallthrough
		case ok && n >= 0 && n < 2:
			vals[n][k] = v
		}
	}
	if n < 1 {
		return nil, false
	}
	var ts [2]Tuple
	for i, m := range vals {
		src, err1 := netip.ParseAddr(m["src"])
		dst, err2 := netip.ParseAddr(m["dst"])
		sp, err3 := strconv.Atoi(m["sport"])
		dp, err4 := strconv.Atoi(m["dport"])
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			return nil, false
		}
		ts[i] = Tuple{netip.AddrPortFrom(src, uint16(sp)), netip.AddrPortFrom(dst, uint16(dp))}
	}
	e.Orig, e.Reply = ts[0], ts[1]
	return e, true
}
