package tui

import (
	"fmt"
	"strconv"

	"github.com/svcviz/svcviz/netsim"
)

// rulesRows is the rules pane: the kube-proxy chain the packet is in, every rule of it as
// iptables-save prints it, the one that matched highlighted.
func (m *Model) rulesRows(w, h int) []string {
	hop := m.hop()
	chain := m.hopChain(hop)
	if chain == nil {
		out := []string{m.paneHeading(m.tr("Rules"), m.tr("(i: close)")+"  "+m.tr("hop {0}", m.hopNo())+" "+string(hop.Action), w)}
		for _, l := range wrapText(m.noChainReason(hop), w-2*m.theme.Gap, "") {
			out = append(out, m.margin()+l)
		}
		return fitRows(out, w, h)
	}
	about := fmt.Sprintf("%s  %s  -t %s  %s  %s", m.tr("(i: close)"), m.text().node, hop.Table, chain.Name, m.tr("{0} rules", strconv.Itoa(len(chain.Rules))))
	body, at := m.ruleLines(chain, hop.Rule, w)
	top := scrolled(at-(h-1)/3, m.scrollOf().rules, len(body), h-1)
	out := []string{m.paneHeading(m.tr("Rules"), m.txt(about), w)}
	out = append(out, body[top:min(top+h-1, len(body))]...)
	return fitRows(out, w, h)
}

// ruleLines wraps each rule to the pane; at is the first line of the matched rule.
func (m *Model) ruleLines(chain *netsim.Chain, match string, w int) ([]string, int) {
	var body []string
	at := 0
	g := m.margin()
	for _, r := range chain.Rules {
		s := r.String()
		hit := s == match
		s = safe(s) // a rule's comment names the Service and its port
		if hit {
			at = len(body)
		}
		for k, l := range wrapText(s, w-len(g)-2, "    ") {
			mark := "  "
			if hit && k == 0 {
				mark = m.txt("▸ ")
			}
			row := pad(g[1:]+mark+" "+l, w)
			if hit {
				row = m.theme.Selected.Render(row)
			}
			body = append(body, row)
		}
	}
	if len(chain.Rules) == 0 {
		body = append(body, g+m.tr("(no rules)"))
	}
	return body, at
}

// hopChain finds the hop's chain in the node's ruleset; nil for hops outside kube-proxy.
func (m *Model) hopChain(h *netsim.Hop) *netsim.Chain {
	if h.Chain == "" || h.Table == "" {
		return nil
	}
	rs, err := m.sim.Rules(h.Node)
	if err != nil {
		return nil
	}
	return rs.Chain(h.Table, h.Chain)
}

// noChainReason says why a hop has no rule to show.
func (m *Model) noChainReason(h *netsim.Hop) string {
	s := m.tr("Hop {0} ({1} at {2}) is not in a kube-proxy chain: ", strconv.Itoa(m.cur+1), string(h.Action), m.text().where)
	switch h.Action {
	case netsim.ActSend, netsim.ActDNSQuery:
		return s + m.tr("the packet has not reached a node's netfilter hooks yet.")
	case netsim.ActArrive:
		return s + m.tr("it has just arrived; PREROUTING takes it next.")
	case netsim.ActServicePort:
		return s + m.tr("it is a teaching step. On the wire, KUBE-EXT jumps straight to KUBE-SVC; the ClusterIP is never on the packet.")
	case netsim.ActDNSAnswer, netsim.ActUnresolved:
		return s + m.tr("kube-dns answers from the Service objects; no rule rewrites the packet.")
	case netsim.ActReply:
		return s + m.tr("conntrack undoes the NAT on the reply by itself; no rule is evaluated.")
	}
	return s + m.tr("past kube-proxy's rules, the kernel routes the packet and the Pod answers.")
}
