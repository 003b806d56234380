package netlab

import (
	"fmt"
	"math"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	corev1 "k8s.io/api/core/v1"
)

// firstSport is where the lab's source ports start; each packet gets its own, above the ports
// the generated Pods listen on and outside the nodePort range.
const firstSport = 40000

// sent is a packet of a Service with session affinity and the Pod the kernel sent it to.
type sent struct {
	req netsim.Request
	pod *model.Pod
}

// runner sends one cluster's requests and compares.
type runner struct {
	l     *Lab
	lim   Limits
	sport uint16
	seq   int64
	rep   *Report
	// affinity is, per Service, every packet the kernel sent to a Pod, in order: replayed
	// into a fresh Sim with the kernel's choices, it gives kube-proxy's recent lists (or
	// nftables' affinity sets) the state the kernel's have.
	affinity  map[string][]sent
	lbRouteTo map[netip.Addr]netip.Addr
}

// Compare sends every request's packets and compares each outcome with svcviz's.
func (l *Lab) Compare(reqs []netsim.Request, lim Limits) (*Report, error) {
	r := &runner{l: l, lim: lim, sport: firstSport, rep: &Report{}, affinity: map[string][]sent{}, lbRouteTo: map[netip.Addr]netip.Addr{}}
	for _, req := range reqs {
		if err := r.request(req); err != nil {
			return r.rep, fmt.Errorf("%s %s from %s via %s: %w", req.Service, req.Port, req.From, req.Via, err)
		}
	}
	return r.rep, nil
}

func (r *runner) next(req netsim.Request) netsim.Request {
	r.sport++
	r.seq++
	req.SourcePort, req.Seed = r.sport, r.seq
	if si, err := r.l.Sim.FindService(req.Service); err == nil && si.Svc.Obj.Spec.SessionAffinity == corev1.ServiceAffinityClientIP {
		// For a Service with affinity, --seed N > 0 means a later connection of a client
		// whose first one svcviz then makes unseen; the lab's packets are each what they are.
		req.Seed = 0
	}
	return req
}

func (r *runner) request(req netsim.Request) error {
	first := r.next(req)
	exp, err := Expect(r.l.Sim, first)
	if err != nil || !sends(exp.Trace) {
		return nil // a request svcviz refuses, or a name DNS does not resolve, is not a packet
	}
	r.rep.Requests++
	affinity := exp.Trace.Service.Svc.Obj.Spec.SessionAffinity == corev1.ServiceAffinityClientIP
	sends := 1
	if len(exp.Possible) > 1 {
		sends = r.lim.MaxSends
		if affinity {
			sends = 3
		}
	}
	hit := map[string]bool{}
	for i := 0; i < sends; i++ {
		q, e := first, exp
		if i > 0 {
			q = r.next(req)
			tr, err := r.l.Sim.Trace(q)
			if err != nil {
				return err
			}
			e = &Expected{Trace: tr, Natural: traceOutcome(tr, q.SourcePort), Possible: exp.Possible}
		}
		got, err := r.send(q, e)
		if err != nil {
			return err
		}
		r.rep.Packets++
		if got.Pod != "" {
			hit[got.Pod] = true
		}
		if d := r.check(q, e, got, affinity); d != nil {
			repeated, err := r.confirm(req, affinity)
			if err != nil {
				return err
			}
			if repeated {
				r.rep.Disagreements = append(r.rep.Disagreements, *d)
			}
		}
		// A choice the kernel has not made yet may just be unlucky: send more before saying so.
		if i == sends-1 && !affinity && len(hit) < len(exp.Possible) && sends < coverSends(len(exp.Possible)) && len(hit) > 0 {
			sends++
		}
	}
	if !affinity && len(hit) > 0 && len(hit) < len(exp.Possible) {
		var missing []string
		for p := range exp.Possible {
			if !hit[p] {
				missing = append(missing, p)
			}
		}
		slices.Sort(missing)
		r.disagree(first, exp.Natural.String(), fmt.Sprintf("reached only %s", keys(hit)),
			fmt.Sprintf("svcviz says %s can answer too; the kernel never chose it in %d packets", strings.Join(missing, ", "), sends))
	}
	return nil
}

// coverSends is how many packets may be sent before an endpoint the kernel never chose counts as
// a disagreement: enough that n endpoints chosen uniformly at random leave one out with a
// probability below 1e-9 (n·(1−1/n)^k < 1e-9), so the lab does not fail by bad luck. Sending
// stops as soon as every endpoint answered, about n·H(n) packets (9 for 4 endpoints).
func coverSends(n int) int {
	if n < 2 {
		return 1
	}
	return int(math.Ceil(math.Log(float64(n)/1e-9) / -math.Log1p(-1/float64(n))))
}

// sends reports whether a trace puts a packet on the wire.
func sends(tr *netsim.Trace) bool {
	for _, h := range tr.Hops {
		if h.Action == netsim.ActSend {
			return true
		}
	}
	return false
}

// send puts one request's packet on the wire and reads what came of it.
func (r *runner) send(q netsim.Request, e *Expected) (Outcome, error) {
	var dst netip.AddrPort
	for _, h := range e.Trace.Hops {
		if h.Action == netsim.ActSend {
			dst = h.Before.Dst
			break
		}
	}
	if !dst.IsValid() {
		return Outcome{}, fmt.Errorf("the trace sends no packet")
	}
	ns, src, err := r.l.sender(q.From)
	if err != nil {
		return Outcome{}, err
	}
	entry := r.l.entryNode(q)
	if q.Via == netsim.ViaLB && q.From == "external" {
		if err := r.routeLB(dst.Addr(), entry); err != nil {
			return Outcome{}, err
		}
	}
	obs, err := Send(Probe{From: ns, Src: src, Sport: q.SourcePort, Dst: dst, Proto: string(e.Trace.Port.Protocol)})
	if err != nil {
		return Outcome{}, err
	}
	// A packet that reached a Pod has an entry (its NEW event is out before the Pod answers);
	// so may a UDP datagram a Pod answered with ICMP. A TCP packet a REJECT or DROP stopped in
	// the filter table has none: its entry is never confirmed.
	proto := string(e.Trace.Port.Protocol)
	if obs.Verdict == netsim.Delivered || obs.Verdict == netsim.Refused || obs.ICMP && proto == "UDP" {
		obs.Conntrack = r.l.ct[entry.Name].wait(proto, q.SourcePort, dst, 250*time.Millisecond)
		if obs.Conntrack == nil { // the event stream is the fast path; the table is the record
			if obs.Conntrack, err = Conntrack(r.l.Nodes[entry.Name], proto, q.SourcePort, dst); err != nil {
				return Outcome{}, err
			}
		}
	}
	return r.l.observed(obs, q.SourcePort), nil
}

// routeLB points the client's route for a LoadBalancer IP at the node the request enters,
// as a load balancer (or MetalLB's ARP answer) would.
func (r *runner) routeLB(ip netip.Addr, n *netsim.Node) error {
	if r.lbRouteTo[ip] == n.IP {
		return nil
	}
	r.lbRouteTo[ip] = n.IP
	return r.l.Client.IP("route", "replace", ip.String()+"/32", "via", n.IP.String(), "dev", "eth0")
}

// entryNode is the node whose rules see the request's packet first.
func (l *Lab) entryNode(q netsim.Request) *netsim.Node {
	if n := l.Sim.Node(q.From); n != nil {
		return n
	}
	for _, pi := range l.Sim.Pods {
		if podName(pi.Pod) == q.From {
			return pi.Node
		}
	}
	if n := l.Sim.Node(q.ToNode); n != nil {
		return n
	}
	return l.Sim.Nodes[0]
}

// check compares one packet's kernel outcome with svcviz's; nil when they agree.
func (r *runner) check(q netsim.Request, e *Expected, got Outcome, affinity bool) *Disagreement {
	want := e.Natural
	if got.Pod != "" && e.Possible[got.Pod].Verdict != "" {
		want = e.Possible[got.Pod]
	}
	if got.Pod != "" && len(e.Possible) > 0 && e.Possible[got.Pod].Verdict == "" {
		return &Disagreement{q, possibleString(e), got.String(), "the kernel chose an endpoint svcviz does not"}
	}
	if diff := outcomeDiff(want, got); diff != "" {
		return &Disagreement{q, want.String(), got.String(), diff}
	}
	if !affinity || got.Pod == "" {
		return nil
	}
	defer func() { r.affinity[q.Service] = append(r.affinity[q.Service], sent{q, r.l.podByName(got.Pod)}) }()
	if want := r.affinityChoice(q); want != nil && podName(want) != got.Pod {
		return &Disagreement{q, "delivered by " + podName(want) + " (session affinity: the Pod this client reached before)", got.String(), "affinity: the kernel chose another Pod"}
	}
	return nil
}

// affinityChoice is the Pod svcviz says the rules' affinity state sends q to, or nil when
// no affinity entry decides (the rules choose afresh). The state is rebuilt by replaying the
// Service's earlier packets with the kernel's choices into a fresh Sim.
func (r *runner) affinityChoice(q netsim.Request) *model.Pod {
	sim := netsim.New(r.l.Sim.Cluster, r.l.Sim.Config)
	for _, s := range r.affinity[q.Service] {
		if s.pod == nil {
			continue
		}
		replay := s.req
		replay.Endpoint, replay.Seed = netsim.ChoosePod(s.pod), 0
		_, _ = sim.Trace(replay)
	}
	tr, err := sim.Trace(q)
	if err != nil || tr.Endpoint == nil {
		return nil
	}
	for _, h := range tr.Hops {
		if h.Action == netsim.ActChoose && h.Narration == "choose.affinity" {
			return tr.Endpoint.Pod
		}
	}
	return nil
}

// retries is how often a packet that disagreed is sent again (each time as a new request
// with its own source port) before the disagreement counts: a loaded machine can delay an
// answer or a conntrack event past the lab's timeouts. A disagreement of the model repeats.
const retries = 2

// confirm sends the request again after a disagreement; it reports whether every attempt
// disagreed too.
func (r *runner) confirm(req netsim.Request, affinity bool) (bool, error) {
	for i := 0; i < retries; i++ {
		q := r.next(req)
		tr, err := r.l.Sim.Trace(q)
		if err != nil {
			return false, err
		}
		exp, err := Expect(r.l.Sim, q)
		if err != nil {
			return false, err
		}
		exp.Trace, exp.Natural = tr, traceOutcome(tr, q.SourcePort)
		got, err := r.send(q, exp)
		if err != nil {
			return false, err
		}
		r.rep.Packets++
		if r.check(q, exp, got, affinity) == nil {
			r.rep.Retried++
			return false, nil
		}
	}
	return true, nil
}

// outcomeDiff names the fields in which two outcomes differ, "" when they agree.
func outcomeDiff(want, got Outcome) string {
	var d []string
	if want.Verdict != got.Verdict {
		d = append(d, "verdict")
	}
	if want.Pod != got.Pod {
		d = append(d, "endpoint")
	}
	if want.SeenAddr != got.SeenAddr {
		d = append(d, "source address seen")
	}
	if want.SeenPort != got.SeenPort {
		d = append(d, "source port kept/changed")
	}
	if want.ReplyFrom != got.ReplyFrom {
		d = append(d, "reply source")
	}
	switch {
	case (want.CT == nil) != (got.CT == nil):
		d = append(d, "conntrack entry present")
	case want.CT != nil && *want.CT != *got.CT:
		d = append(d, "conntrack tuple")
	}
	return strings.Join(d, ", ")
}

func (r *runner) disagree(q netsim.Request, want, got, why string) {
	r.rep.Disagreements = append(r.rep.Disagreements, Disagreement{Request: q, Expected: want, Kernel: got, Why: why})
}

func possibleString(e *Expected) string {
	var s []string
	for _, o := range e.Possible {
		s = append(s, o.Pod)
	}
	slices.Sort(s)
	return "one of " + strings.Join(s, ", ")
}

func keys(m map[string]bool) string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	slices.Sort(s)
	return strings.Join(s, ", ")
}
