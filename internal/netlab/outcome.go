package netlab

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/svcviz/svcviz/netsim"
)

// Outcome is what one packet's fate comes to, in the terms both svcviz and the kernel can
// state: it is what the lab compares. Ports the kernel may rewrite at random (MASQUERADE
// --random-fully) are compared as kept or changed, not by value.
type Outcome struct {
	Verdict netsim.Verdict
	Pod     string // the endpoint that answered (delivered, refused): "NAMESPACE/NAME" or its IP
	// SeenAddr is the source address the Pod saw; SeenPort says whether the source port was
	// kept ("kept") or rewritten ("changed").
	SeenAddr  netip.Addr
	SeenPort  string
	ReplyFrom netip.Addr // the answer's source as the sender saw it
	// Conntrack is the entry on the node whose rules handled the packet (delivered, refused).
	CT *CTOutcome
	// Err is the sender's socket error, for reports only (not compared).
	Err string
}

// CTOutcome is a conntrack entry with the masquerade port reduced to kept/changed.
type CTOutcome struct {
	OrigSrc   netip.Addr // the original source port is the probe's by construction
	OrigDst   netip.AddrPort
	ReplySrc  netip.AddrPort
	ReplyDst  netip.Addr
	ReplyPort string // "kept" or "changed", against the original source port
}

func portFate(p, sport uint16) string {
	if p == sport {
		return "kept"
	}
	return "changed"
}

func (o Outcome) String() string {
	s := string(o.Verdict)
	if o.Pod != "" {
		s += " by " + o.Pod
	}
	if o.SeenAddr.IsValid() {
		s += fmt.Sprintf(", Pod saw %s (port %s)", o.SeenAddr, o.SeenPort)
	}
	if o.ReplyFrom.IsValid() {
		s += ", reply from " + o.ReplyFrom.String()
	}
	if o.CT != nil {
		s += fmt.Sprintf(", conntrack %s → %s reply %s → %s (port %s)", o.CT.OrigSrc, o.CT.OrigDst, o.CT.ReplySrc, o.CT.ReplyDst, o.CT.ReplyPort)
	}
	if o.Err != "" {
		s += " [" + o.Err + "]"
	}
	return s
}

// Expected is svcviz's outcome for one packet: the trace's own result, and, when kube-proxy
// chooses at random, every outcome a choice can lead to, by endpoint.
type Expected struct {
	Trace    *netsim.Trace
	Natural  Outcome
	Possible map[string]Outcome // by Pod; empty when no endpoint is involved
}

// traceOutcome reduces a trace to an Outcome for a packet sent from source port sport.
func traceOutcome(tr *netsim.Trace, sport uint16) Outcome {
	o := Outcome{Verdict: tr.Verdict}
	var sent, atPod *netsim.Packet
	podSaw := false // a node's own stack may refuse too (a localhost nodePort in nftables mode)
	for i := range tr.Hops {
		h := &tr.Hops[i]
		switch h.Action {
		case netsim.ActSend:
			sent = &h.Before
		case netsim.ActDeliver, netsim.ActRefuse:
			atPod, podSaw = &h.Before, h.Pod != nil
		case netsim.ActReply:
			o.ReplyFrom = h.After.Src.Addr()
		}
	}
	if ep := tr.Endpoint; ep != nil && atPod != nil {
		o.Pod = ep.IP
		if ep.Pod != nil {
			o.Pod = podName(ep.Pod)
		}
	} else if atPod != nil && sent != nil {
		// The node's own stack answered (nftables mode's 127.0.0.1:nodePort): no NAT.
		o.CT = &CTOutcome{OrigSrc: sent.Src.Addr(), OrigDst: sent.Dst, ReplySrc: sent.Dst, ReplyDst: sent.Src.Addr(), ReplyPort: "kept"}
		return o
	}
	if atPod != nil {
		if podSaw {
			o.SeenAddr, o.SeenPort = atPod.Src.Addr(), portFate(atPod.Src.Port(), sport)
		}
		if sent != nil {
			o.CT = &CTOutcome{OrigSrc: sent.Src.Addr(), OrigDst: sent.Dst, ReplySrc: atPod.Dst, ReplyDst: atPod.Src.Addr(), ReplyPort: portFate(atPod.Src.Port(), sport)}
		}
	}
	return o
}

// Expect traces the request on sim (whose affinity state follows the lab's packets) and, on
// fresh copies of the cluster, once per endpoint forced, for the set of possible outcomes.
func Expect(sim *netsim.Sim, req netsim.Request) (*Expected, error) {
	tr, err := sim.Trace(req)
	if err != nil {
		return nil, err
	}
	e := &Expected{Trace: tr, Natural: traceOutcome(tr, req.SourcePort), Possible: map[string]Outcome{}}
	// A headless Service's client picks the Pod itself (the lab dials the one svcviz's client
	// picked); only kube-proxy's choices are sets.
	if tr.Port == nil || tr.Service.Svc.Headless() {
		if e.Natural.Pod != "" {
			e.Possible[e.Natural.Pod] = e.Natural
		}
		return e, nil
	}
	for i, ep := range tr.Port.Endpoints {
		fresh := netsim.New(sim.Cluster, sim.Config)
		r := req
		r.Endpoint = netsim.ChooseNth(i + 1)
		if ep.Pod != nil {
			r.Endpoint = netsim.ChoosePod(ep.Pod)
		}
		ftr, err := fresh.Trace(r)
		if err != nil {
			return nil, err
		}
		if o := traceOutcome(ftr, req.SourcePort); o.Pod != "" {
			e.Possible[o.Pod] = o
		}
	}
	if e.Natural.Pod != "" {
		e.Possible[e.Natural.Pod] = e.Natural
	}
	return e, nil
}

// observed reduces a kernel observation to an Outcome. An ICMP error or RST from an endpoint
// (the node's conntrack entry shows the packet DNATed to it) is the Pod refusing; an answer
// of a node's canary (see nodeCanaries) is the node's own stack, where nothing listens on a
// real node; any other ICMP error is a REJECT rule's.
func (l *Lab) observed(obs Observation, sport uint16) Outcome {
	o := Outcome{Verdict: obs.Verdict, Pod: obs.Pod, ReplyFrom: obs.ReplyFrom, Err: obs.Err}
	if obs.Pod != "" {
		o.SeenAddr, o.SeenPort = obs.Seen.Addr(), portFate(obs.Seen.Port(), sport)
	}
	ct := obs.Conntrack
	if ct != nil {
		o.CT = &CTOutcome{OrigSrc: ct.Orig.Src.Addr(), OrigDst: ct.Orig.Dst, ReplySrc: ct.Reply.Src, ReplyDst: ct.Reply.Dst.Addr(), ReplyPort: portFate(ct.Reply.Dst.Port(), sport)}
		if pi := l.PodNS[ct.Reply.Src.Addr()]; pi != nil && (obs.Verdict == netsim.Rejected || obs.Verdict == netsim.Refused) {
			o.Verdict, o.Pod = netsim.Refused, podName(pi.Pod)
			o.SeenAddr, o.SeenPort = ct.Reply.Dst.Addr(), portFate(ct.Reply.Dst.Port(), sport)
		}
	}
	if strings.HasPrefix(obs.Pod, canaryPrefix) {
		o.Verdict, o.Pod, o.SeenAddr, o.SeenPort = netsim.Refused, "", netip.Addr{}, ""
	}
	if o.Verdict == netsim.Rejected || o.Verdict == netsim.Dropped {
		o.CT = nil // a packet a rule refused leaves no confirmed entry worth comparing
	}
	return o
}
