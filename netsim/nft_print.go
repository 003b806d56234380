package netsim

import (
	"bytes"
	"net/netip"
	"sort"
	"strconv"
	"strings"
)

// protoNumbers are the IP protocol numbers nft stores for inet_proto.
var protoNumbers = map[string]byte{"tcp": 6, "udp": 17, "sctp": 132}

// List prints the table as `nft list table` (nft 1.0.6) prints it: sets, then maps, then
// chains, each group sorted by name (on a node nft lists them in creation order, which for
// per-Service objects follows kube-proxy's map iteration and is not fixed); set elements in
// nft's own sorted order, wrapped as nft wraps them.
func (t *NftTable) List() string {
	var b strings.Builder
	b.WriteString("table " + t.Family + " " + t.Name + " {\n")
	if t.Comment != "" {
		b.WriteString("\tcomment " + strconv.Quote(t.Comment) + "\n")
	}
	var blocks []string
	for _, s := range t.sortedSets(false) {
		blocks = append(blocks, s.declaration())
	}
	for _, s := range t.sortedSets(true) {
		blocks = append(blocks, s.declaration())
	}
	chains := append([]*NftChain(nil), t.Chains...)
	sort.Slice(chains, func(i, j int) bool { return chains[i].Name < chains[j].Name })
	for _, c := range chains {
		blocks = append(blocks, c.declaration())
	}
	b.WriteString(strings.Join(blocks, "\n"))
	b.WriteString("}\n")
	return b.String()
}

func (t *NftTable) sortedSets(maps bool) []*NftSet {
	var out []*NftSet
	for _, s := range t.Sets {
		if s.Map == maps {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (s *NftSet) declaration() string {
	var b strings.Builder
	kind := "set"
	if s.Map {
		kind = "map"
	}
	b.WriteString("\t" + kind + " " + s.Name + " {\n")
	b.WriteString("\t\ttype " + s.typeString() + "\n")
	if s.Size > 0 {
		b.WriteString("\t\tsize " + strconv.Itoa(s.Size) + "\n")
	}
	if len(s.Flags) > 0 {
		b.WriteString("\t\tflags " + strings.Join(s.Flags, ",") + "\n")
	}
	if s.Timeout > 0 {
		b.WriteString("\t\ttimeout " + nftDuration(s.Timeout) + "\n")
	}
	if s.Comment != "" {
		b.WriteString("\t\tcomment " + strconv.Quote(s.Comment) + "\n")
	}
	if len(s.Elements) > 0 {
		b.WriteString("\t\telements = { " + s.elementsString() + " }\n")
	}
	b.WriteString("\t}\n")
	return b.String()
}

// elementsString joins the sorted elements as nft 1.0.6 does: addresses two to a line,
// concatenations and map entries one to a line.
func (s *NftSet) elementsString() string {
	els := s.sortedElements()
	var b strings.Builder
	perLine := 1
	if s.Key == KeyAddr && !s.Map {
		perLine = 2
	}
	for i, el := range els {
		if i > 0 {
			if i%perLine == 0 {
				b.WriteString(",\n\t\t\t     ")
			} else {
				b.WriteString(", ")
			}
		}
		b.WriteString(s.elementString(el))
	}
	return b.String()
}

// sortedElements orders elements as nft lists them: single addresses by value; a
// concatenation by its key bytes (each field padded to 4 bytes) read as one little-endian
// number, so the last field (the port) counts most and within it the low byte first.
func (s *NftSet) sortedElements() []*NftElement {
	out := append([]*NftElement(nil), s.Elements...)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := s.keyBytes(out[i]), s.keyBytes(out[j])
		if s.Key == KeyAddr {
			return bytes.Compare(a, b) < 0
		}
		for k := len(a) - 1; k >= 0; k-- {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return false
	})
	return out
}

func (s *NftSet) keyBytes(el *NftElement) []byte {
	addr := func(a netip.Addr) []byte { b := a.As4(); return b[:] }
	proto := []byte{protoNumbers[el.Proto], 0, 0, 0}
	port := []byte{byte(el.Port >> 8), byte(el.Port), 0, 0}
	switch s.Key {
	case KeyAddr:
		return addr(el.Addr)
	case KeyProtoPort:
		return append(proto, port...)
	case KeyAddrAddrProtoPort:
		return append(append(append(addr(el.Addr), addr(el.Addr2)...), proto...), port...)
	}
	return append(append(addr(el.Addr), proto...), port...)
}

// nftDuration prints seconds as nft does: 3h, 1m40s, 1d.
func nftDuration(sec int) string {
	var b strings.Builder
	for _, u := range []struct {
		n    int
		unit string
	}{{86400, "d"}, {3600, "h"}, {60, "m"}, {1, "s"}} {
		if sec >= u.n {
			b.WriteString(strconv.Itoa(sec/u.n) + u.unit)
			sec %= u.n
		}
	}
	return b.String()
}

func (c *NftChain) declaration() string {
	var b strings.Builder
	b.WriteString("\tchain " + c.Name + " {\n")
	if c.Base() {
		b.WriteString("\t\ttype " + c.Type + " hook " + c.Hook + " priority " + c.Priority + "; policy accept;\n")
	}
	if c.Comment != "" {
		b.WriteString("\t\tcomment " + strconv.Quote(c.Comment) + "\n")
	}
	for _, r := range c.Rules {
		b.WriteString("\t\t" + r.String() + "\n")
	}
	b.WriteString("\t}\n")
	return b.String()
}

// ForService returns a copy holding kube-proxy's fixed sets, maps and chains with only the
// elements one Service (all its ports) put there, and that Service's own chains and sets:
// still a table `nft -f` loads.
func (t *NftTable) ForService(namespace, name string) *NftTable {
	owned := func(service string) bool { return serviceBelongs(service, namespace, name) }
	out := &NftTable{Family: t.Family, Name: t.Name, Comment: t.Comment}
	for _, s := range t.Sets {
		if s.Service != "" && !owned(s.Service) {
			continue
		}
		ns := *s
		ns.Elements, ns.idx = nil, nil
		for _, el := range s.Elements {
			if el.Service == "" || owned(el.Service) {
				ns.Elements = append(ns.Elements, el)
			}
		}
		out.Sets = append(out.Sets, &ns)
	}
	for _, c := range t.Chains {
		if c.Service == "" || owned(c.Service) {
			out.Chains = append(out.Chains, c)
		}
	}
	return out
}
