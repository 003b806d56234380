package tui

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/svcviz/svcviz/model"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/svcviz/svcviz/netsim"
)

// rulesPane shows the kube-proxy chain the packet is in, every rule of it as iptables-save
// prints it, the one that matched highlighted; for a hop outside kube-proxy's chains it says
// why there is none. With the focus, the arrows and page keys scroll it; the scrolling holds
// until the hop changes.
type rulesPane struct {
	*ui
	keys    KeyMap
	sim     *netsim.Sim
	hop     *netsim.Hop
	text    hopText // the hop's place and node, terminal-safe
	no      int     // the hop's position in the view, 1-based
	of      int     // the view's length
	at      any     // the position on screen, for the scrolling
	scroll  scroller
	focused bool
	w, h    int
	nft     bool // the trace walks kube-proxy's nftables table
	// body is the chain's rules wrapped to the pane (hit: the matched rule's first row), made
	// again only when the hop or the width changes: KUBE-SERVICES has a rule per Service port.
	body    []string
	hit     int
	bodyFor struct {
		hop *netsim.Hop
		w   int
	}
}

func newRulesPane(u *ui, keys KeyMap) *rulesPane {
	return &rulesPane{ui: u, keys: keys, scroll: newScroller(keys)}
}

// SetHop shows hop h, the no-th of the view's of hops; at identifies the position on screen
// (a new one resets the scrolling).
func (p *rulesPane) SetHop(sim *netsim.Sim, h *netsim.Hop, text hopText, no, of int, at any) {
	p.sim, p.hop, p.text, p.no, p.of, p.at = sim, h, text, no, of, at
	p.layout()
}

// SetMode says which kube-proxy mode the trace walks, for the words of a hop without a rule.
func (p *rulesPane) SetMode(mode netsim.ProxyMode) { p.nft = mode == netsim.ModeNFTables }

func (p *rulesPane) SetFocus(f bool) { p.focused = f }

func (p *rulesPane) SetSize(w, h int) {
	p.w, p.h = w, h
	p.layout()
}

// layout wraps the chain's rules to the pane and puts the matched one a third down.
func (p *rulesPane) layout() {
	if p.hop == nil {
		return
	}
	if p.bodyFor.hop != p.hop || p.bodyFor.w != p.w {
		p.body, p.hit = nil, 0
		if c := p.chain(); c != nil {
			p.body, p.hit = p.ruleLines(c.rules, p.hop.Rule, p.hop.Element)
		}
		p.bodyFor.hop, p.bodyFor.w = p.hop, p.w
	}
	p.scroll.set(len(p.body), p.h-1, p.hit-(p.h-1)/3, p.at)
}

// Scroll moves the pane by d rows.
func (p *rulesPane) Scroll(d int) { p.scroll.scroll(d) }

// KeyMap is what the pane answers with the focus.
func (p *rulesPane) KeyMap() []key.Binding {
	return []key.Binding{p.keys.Up, p.keys.Down, p.keys.PageUp, p.keys.PageDown}
}

// Update scrolls the pane.
func (p *rulesPane) Update(msg tea.Msg) (handled bool) { return p.scroll.update(msg) }

func (p *rulesPane) hopNo() string { return strconv.Itoa(p.no) + "/" + strconv.Itoa(p.of) }

// View is the heading and the chain's rules, the matched one a third down the pane.
func (p *rulesPane) View() string {
	hop := p.hop
	chain := p.chain()
	if chain == nil {
		out := []string{p.paneHeading(p.tr("Rules"), p.tr("(i: close)")+"  "+p.tr("hop {0}", p.hopNo())+" "+p.action(hop.Action), p.focused, p.w)}
		for _, l := range wrapText(p.noChainReason(), p.w-2*p.theme.Gap, "") {
			out = append(out, p.margin()+l)
		}
		return strings.Join(fitRows(out, p.w, p.h), "\n")
	}
	table := "-t " + hop.Table
	if hop.Table == netsim.NftTableName {
		table = "table " + hop.Table
	}
	about := fmt.Sprintf("%s  %s  %s  %s  %s", p.tr("(i: close)"), p.text.node, table, chain.name, p.tr("{0} rules", strconv.Itoa(len(chain.rules))))
	top := min(p.scroll.top(), len(p.body))
	out := []string{p.paneHeading(p.tr("Rules"), p.txt(about), p.focused, p.w)}
	out = append(out, p.body[top:min(top+p.h-1, len(p.body))]...)
	return strings.Join(fitRows(out, p.w, p.h), "\n")
}

// ruleLines wraps each rule to the pane; at is the first line of the matched rule. An
// nftables rule that looked up a set or map is followed by the element that matched.
func (p *rulesPane) ruleLines(rules []string, match, element string) ([]string, int) {
	var body []string
	at := 0
	g := p.margin()
	for _, s := range rules {
		hit := s == match
		if hit && element != "" {
			s += p.txt("  ⇒ ") + element
		}
		s = model.Escape(s) // a rule's comment names the Service and its port
		if hit {
			at = len(body)
		}
		for k, l := range wrapText(s, p.w-len(g)-2, "    ") {
			mark := "  "
			if hit && k == 0 {
				mark = p.txt("▸ ")
			}
			row := pad(g[1:]+mark+" "+l, p.w)
			if hit {
				row = p.theme.Selected.Render(row)
			}
			body = append(body, row)
		}
	}
	if len(rules) == 0 {
		body = append(body, g+p.tr("(no rules)"))
	}
	return body, at
}

// paneChain is a chain's name and its rules as iptables-save or nft list prints them.
type paneChain struct {
	name  string
	rules []string
}

// chain finds the hop's chain in the node's rules (iptables or nftables, as the hop's table
// says); nil for hops outside kube-proxy.
func (p *rulesPane) chain() *paneChain {
	h := p.hop
	if h.Chain == "" || h.Table == "" {
		return nil
	}
	if h.Table == netsim.NftTableName {
		t, err := p.sim.Nftables(h.Node)
		if err != nil {
			return nil
		}
		if c := t.Chain(h.Chain); c != nil {
			out := &paneChain{name: c.Name}
			for _, r := range c.Rules {
				out.rules = append(out.rules, r.String())
			}
			return out
		}
		return nil
	}
	rs, err := p.sim.Rules(h.Node)
	if err != nil {
		return nil
	}
	c := rs.Chain(h.Table, h.Chain)
	if c == nil {
		return nil
	}
	out := &paneChain{name: c.Name}
	for _, r := range c.Rules {
		out.rules = append(out.rules, r.String())
	}
	return out
}

// noChainReason says why a hop has no rule to show.
func (p *rulesPane) noChainReason() string {
	h := p.hop
	s := p.tr("Hop {0} ({1} at {2}) is not in a kube-proxy chain: ", strconv.Itoa(p.no), p.action(h.Action), p.text.where)
	switch h.Action {
	case netsim.ActSend, netsim.ActDNSQuery:
		return s + p.tr("the packet has not reached a node's netfilter hooks yet.")
	case netsim.ActArrive:
		if p.nft {
			return s + p.tr("it has just arrived; the prerouting hook runs kube-proxy's nftables chains next.")
		}
		return s + p.tr("it has just arrived; PREROUTING takes it next.")
	case netsim.ActServicePort:
		if p.nft {
			return s + p.tr("it is a teaching step. On the wire, the external- chain goes straight to the service- chain; the ClusterIP is never on the packet.")
		}
		return s + p.tr("it is a teaching step. On the wire, KUBE-EXT jumps straight to KUBE-SVC; the ClusterIP is never on the packet.")
	case netsim.ActDNSAnswer, netsim.ActUnresolved:
		return s + p.tr("kube-dns answers from the Service objects; no rule rewrites the packet.")
	case netsim.ActReply:
		return s + p.tr("conntrack undoes the NAT on the reply by itself; no rule is evaluated.")
	}
	return s + p.tr("past kube-proxy's rules, the kernel routes the packet and the Pod answers.")
}
