package main

import (
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

type traceFlags struct {
	service, port, from, via, toNode, dnsName, view, output, lang, dst string
	endpoint                                                           int
}

func newTrace(g *globals, stdout io.Writer) *cobra.Command {
	var f traceFlags
	cmd := &cobra.Command{
		Use:   "trace FILE...",
		Short: "Print every hop of one packet sent to a Service; exit 1 unless it is delivered",
		Long: "trace prints the hops a packet takes to a Service: each rule of kube-proxy that matched, the YAML field\n" +
			"that decided it (field@file:line), and the packet before → after. Defaults: the first Service and port,\n" +
			"from the external client via the nodePort on node01 for NodePort/LoadBalancer Services, else from the\n" +
			"first other Pod via the ClusterIP.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFormat(f.output); err != nil {
				return err
			}
			if err := checkView(f.view); err != nil {
				return err
			}
			mode, err := g.mode()
			if err != nil {
				return err
			}
			req, err := f.request(g.seed, mode)
			if err != nil {
				return err
			}
			if err := langError(f.lang); err != nil {
				return usageErr(err)
			}
			// Left out, --endpoint lets the rules choose; written, 0 is no endpoint's number.
			if f.endpoint < 0 || f.endpoint == 0 && cmd.Flags().Changed("endpoint") {
				return usageErr(fmt.Errorf("--endpoint must be 1 or more (the N-th endpoint in kube-proxy's order), not %d", f.endpoint))
			}
			sim, err := g.load(args, false)
			if err != nil {
				return err
			}
			t, err := sim.Trace(req)
			if err != nil {
				return usageErr(err)
			}
			if n := endpointCount(t); f.endpoint > n && n >= 0 {
				return usageErr(fmt.Errorf("--endpoint %d is out of range: Service %s/%s port %s has %d endpoint(s)", f.endpoint, t.Service.Svc.Namespace, t.Service.Svc.Name, portName(t.Port), n))
			}
			if f.output == "json" {
				err = writeJSON(stdout, traceReport(t, f.view, f.lang))
			} else {
				err = writeTraceText(stdout, t, f.view, f.lang)
			}
			if err != nil {
				return err
			}
			if t.Verdict != netsim.Delivered && t.Verdict != netsim.Answered {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.service, "service", "", "the Service, NAME or NS/NAME (default: the first)")
	fl.StringVar(&f.port, "port", "", "the Service port, by name or number (default: the first)")
	fl.StringVar(&f.from, "from", "", "where the packet starts: external, a node (node01) or a Pod (NAME or NS/NAME)")
	fl.StringVar(&f.via, "via", "", "the way in: nodeport, clusterip, lb or dns")
	fl.StringVar(&f.toNode, "to-node", "", "the node a nodePort or LB packet arrives at (default node01)")
	fl.StringVar(&f.dnsName, "name", "", "with --via dns: the name to resolve (backend, backend.prod, backend.prod.svc.cluster.local)")
	fl.StringVar(&f.dst, "dst", "", "send to this IP:PORT instead of the Service's address (an unallocated ClusterIP, 127.0.0.1:NODEPORT)")
	fl.IntVar(&f.endpoint, "endpoint", 0, "pick endpoint N (1-based, in kube-proxy's order) instead of a random one")
	fl.StringVar(&f.view, "view", "all", "which hops: all, teaching or wire")
	fl.StringVarP(&f.output, "output", "o", "text", "output format: text or json")
	fl.StringVar(&f.lang, "lang", "en", "narration language: en or ko")
	return cmd
}

func (f *traceFlags) request(seed int64, mode netsim.ProxyMode) (netsim.Request, error) {
	req := netsim.Request{Service: f.service, Port: f.port, From: f.from, Via: netsim.Via(strings.ToLower(f.via)),
		ToNode: f.toNode, DNSName: f.dnsName, Seed: seed, Endpoint: netsim.ChooseNth(f.endpoint), Mode: mode}
	if f.dst != "" {
		dst, err := netip.ParseAddrPort(f.dst)
		if err != nil || !dst.Addr().Is4() {
			return req, usageErr(fmt.Errorf("--dst %q is not an IPv4 address and port such as 10.96.0.99:80", f.dst))
		}
		req.Dst = dst
	}
	return req, nil
}

// modeOf is the request's proxy mode, "" read as the default iptables.
func modeOf(r netsim.Request) netsim.ProxyMode {
	if r.Mode == "" {
		return netsim.ModeIPTables
	}
	return r.Mode
}

func checkView(v string) error {
	switch v {
	case "all", "teaching", "wire":
		return nil
	}
	return usageErr(fmt.Errorf("--view must be all, teaching or wire, not %q", v))
}

// hopJSON is one hop in `svcviz trace -o json` (README documents it).
type hopJSON struct {
	Step      int               `json:"step"`
	Where     string            `json:"where"`
	Node      string            `json:"node,omitempty"`
	Action    string            `json:"action"`
	Table     string            `json:"table,omitempty"`
	Chain     string            `json:"chain,omitempty"`
	Rule      string            `json:"rule,omitempty"`
	Set       string            `json:"set,omitempty"`
	Element   string            `json:"element,omitempty"`
	Field     string            `json:"field,omitempty"`
	Object    string            `json:"object,omitempty"`
	File      string            `json:"file,omitempty"`
	Line      int               `json:"line,omitempty"`
	Defaulted bool              `json:"defaulted,omitempty"`
	Protocol  string            `json:"protocol"`
	Before    packetJSON        `json:"before"`
	After     packetJSON        `json:"after"`
	Teaching  bool              `json:"teaching"`
	Wire      bool              `json:"wire"`
	Narration string            `json:"narration"`
	Diag      *model.Diagnostic `json:"diagnostic,omitempty"`
}

type packetJSON struct {
	Src string `json:"src"`
	Dst string `json:"dst"`
}

type traceJSON struct {
	Mode     string    `json:"proxyMode"`
	Service  string    `json:"service"`
	Port     string    `json:"port"`
	Via      string    `json:"via"`
	Verdict  string    `json:"verdict"`
	StopStep int       `json:"stopStep,omitempty"`
	Endpoint string    `json:"endpoint,omitempty"`
	Hint     string    `json:"hint,omitempty"`
	Hops     []hopJSON `json:"hops"`
}

func traceReport(t *netsim.Trace, view, lang string) traceJSON {
	out := traceJSON{Mode: string(modeOf(t.Request)), Service: t.Service.Svc.Key(), Via: string(t.Request.Via), Verdict: string(t.Verdict), StopStep: t.StopStep, Hint: stopHint(t, "en"), Hops: []hopJSON{}}
	if t.Port != nil {
		out.Port = portName(t.Port)
	}
	if t.Endpoint != nil && t.Endpoint.Pod != nil {
		out.Endpoint = t.Endpoint.Pod.Key()
	}
	for _, i := range t.Steps(netsim.View(view)) {
		h := t.Hops[i]
		out.Hops = append(out.Hops, hopJSON{Step: h.Step, Where: h.Where, Node: h.Node, Action: string(h.Action), Table: h.Table, Chain: h.Chain,
			Rule: h.Rule, Set: h.Set, Element: h.Element, Field: h.Field, Object: h.Object, File: h.Pos.File, Line: h.Pos.Line, Defaulted: h.Defaulted, Protocol: h.After.Proto,
			Before: packetJSON{h.Before.SrcString(), h.Before.DstString()}, After: packetJSON{h.After.SrcString(), h.After.DstString()},
			Teaching: h.Teaching, Wire: h.Wire, Narration: h.Text(lang), Diag: h.Diagnostic})
	}
	return out
}

// stopHint says what to do about a packet that did not arrive, in lang: the trace's own hint
// (a DNS name), else the hint of the diagnostic on the hop where it stopped.
func stopHint(t *netsim.Trace, lang string) string {
	if t.Hint != "" || t.StopStep == 0 {
		if lang != "en" && !t.HintWords.IsZero() {
			return t.HintWords.In(lang)
		}
		return t.Hint
	}
	for _, h := range t.Hops {
		if h.Step == t.StopStep && h.Diagnostic != nil {
			return h.Diagnostic.MessageIn(lang) + " (" + h.Diagnostic.HintIn(lang) + ")"
		}
	}
	return ""
}

func portName(p *model.ServicePort) string {
	if p.Name != "" {
		return p.Name
	}
	return strconv.Itoa(int(p.Port))
}

// writeTraceText prints the event list: step, where, action, before → after, field@file:line,
// the rule, and the narration; then the verdict.
func writeTraceText(out io.Writer, t *netsim.Trace, view, lang string) error {
	w := words{lang}
	var b strings.Builder
	port, dst := "", ""
	if t.Port != nil {
		port = model.Escape(portName(t.Port))
	}
	if t.Request.Dst.IsValid() {
		// The packet goes where --dst says, which may be no port of the Service at all.
		dst = t.Request.Dst.String()
	}
	b.WriteString(w.header(model.Escape(t.Service.Svc.Namespace)+"/"+model.Escape(t.Service.Svc.Name), port, dst, string(t.Request.Via)))
	if modeOf(t.Request) == netsim.ModeNFTables {
		b.WriteString(" " + w.say("(kube-proxy nftables mode)"))
	}
	b.WriteString("\n")
	for _, i := range t.Steps(netsim.View(view)) {
		writeHopText(&b, t.Hops[i], lang, w)
	}
	step := 0
	if t.StopStep > 0 && t.Verdict != netsim.Delivered {
		step = t.StopStep
	}
	b.WriteString(w.verdictLine(t.Verdict, step))
	if h := stopHint(t, lang); h != "" && t.Verdict != netsim.Delivered {
		fmt.Fprintf(&b, " (%s)", model.Escape(h))
	}
	b.WriteString("\n")
	_, err := io.WriteString(out, b.String())
	return err
}

func writeHopText(b *strings.Builder, h netsim.Hop, lang string, w words) {
	tag := ""
	if !h.Wire {
		tag = " " + w.say("(teaching view only)")
	}
	fmt.Fprintf(b, "%2d  %-26s %-12s %s", h.Step, model.Escape(h.Where), h.Action, packetText(h))
	if h.Field != "" {
		def := ""
		if h.Defaulted {
			def = " " + w.say("(default)")
		}
		fmt.Fprintf(b, "  %s%s@%s:%d", model.Escape(h.Field), def, model.Escape(h.Pos.File), h.Pos.Line)
	}
	b.WriteString(tag + "\n")
	if h.Rule != "" {
		fmt.Fprintf(b, "    %s\n", model.Escape(h.Rule))
	}
	if h.Element != "" {
		fmt.Fprintf(b, "    @%s: %s\n", model.Escape(h.Set), model.Escape(h.Element))
	}
	fmt.Fprintf(b, "    %s\n", model.Escape(h.Text(lang)))
	if d := h.Diagnostic; d != nil {
		fmt.Fprintf(b, "    %s\n", formatDiagnosticIn(*d, lang))
	}
}

// packetText is "src → dst", or "src → dst ⇒ src' → dst'" when the hop rewrote the packet.
func packetText(h netsim.Hop) string {
	if h.Before == h.After {
		return h.After.String()
	}
	return h.Before.String() + " ⇒ " + h.After.String()
}

// endpointCount is how many endpoints --endpoint chooses among, or -1 when the trace has no
// Service port (a DNS answer without one).
func endpointCount(t *netsim.Trace) int {
	if t.Port == nil {
		return -1
	}
	return len(t.Port.Endpoints)
}
