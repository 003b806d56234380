package netsim

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strconv"

	"github.com/svcviz/svcviz/model"
)

// DefaultSourcePort is the first ephemeral port clients use in traces.
const DefaultSourcePort = 51000

// tracer builds one trace.
type tracer struct {
	s    *Sim
	t    *Trace
	si   *ServiceInfo
	sp   *model.ServicePort
	from origin
	pkt  Packet
	rng  *rand.Rand
	// choice is the endpoint asked for (a DNS answer naming one Pod forces it too); chosen
	// counts statistic decisions per chain, to force that choice.
	choice EndpointChoice
	chosen map[string]int
	// portErr is a requested port the Service a DNS name resolved to does not have.
	portErr error
}

// Trace computes the path of one packet, as kube-proxy's rules and the node's routing would
// send it. The error is for a request that names nothing (an unknown Service, port or origin)
// or asks for a way in the Service does not have.
func (s *Sim) Trace(req Request) (*Trace, error) {
	tr, err := s.newTracer(req)
	if err != nil {
		return nil, err
	}
	s.priorConnection(tr, req)
	if tr.t.Request.Via == ViaDNS {
		goOn := tr.dns()
		// The name decided the Service only now: a --port it lacks is still a bad request.
		if tr.portErr != nil {
			return nil, tr.portErr
		}
		if !goOn {
			return tr.finish(), nil
		}
	}
	if tr.si.Svc.Headless() {
		tr.direct()
		return tr.finish(), nil
	}
	if tr.t.Request.Mode == ModeNFTables {
		tr.viaNftables()
	} else {
		tr.viaRules()
	}
	return tr.finish(), nil
}

func (s *Sim) newTracer(req Request) (*tracer, error) {
	if req.SourcePort == 0 {
		req.SourcePort = DefaultSourcePort
	}
	si, err := s.requestedService(req)
	if err != nil {
		return nil, err
	}
	if !s.Valid(si) {
		return nil, fmt.Errorf("the API server would refuse Service %s/%s (run svcviz check): it exists in no cluster, so no packet can reach it", si.Svc.Namespace, si.Svc.Name)
	}
	sp, err := findPort(si, req.Port)
	if err != nil && req.Via != ViaDNS {
		return nil, err
	}
	loopback, err := s.loopbackNodePort(&req, si, sp)
	if err != nil {
		return nil, err
	}
	if req.ToNode != "" && s.Node(req.ToNode) == nil {
		return nil, fmt.Errorf("no node %q to send to; the nodes are %s", req.ToNode, joinNames(s.nodeNames(), 8))
	}
	req.Via = defaultVia(si, sp, req.Via)
	from, err := s.origin(req, si, sp)
	if err != nil {
		return nil, err
	}
	if loopback && (from.node == nil || from.pod != nil) {
		return nil, fmt.Errorf("127.0.0.1 is the node's own loopback: trace it --from a node (%s)", joinNames(s.nodeNames(), 4))
	}
	if err := checkVia(si, sp, req.Via, from); err != nil {
		return nil, err
	}
	tr := &tracer{s: s, si: si, sp: sp, from: from, rng: rand.New(rand.NewPCG(uint64(req.Seed), 0x5eed)), choice: req.Endpoint, chosen: map[string]int{}}
	tr.t = &Trace{Request: req, Service: si, Port: sp, Hops: make([]Hop, 0, 16), Origin: Origin{IP: from.ip, Node: from.node, Pod: from.pod}}
	proto := "TCP"
	if sp != nil {
		proto = string(sp.Protocol)
	}
	tr.pkt = Packet{Src: netip.AddrPortFrom(from.ip, req.SourcePort), Proto: proto}
	return tr, nil
}

// add appends a hop, numbering it and filling the facts every hop has: the kind of its chain
// and the Service port (which a DNS query does not know yet).
func (tr *tracer) add(h Hop) *Hop {
	h.Step = len(tr.t.Hops) + 1
	if h.ChainKind == "" {
		h.ChainKind = KindOfChain(h.Chain)
	}
	if h.Port == nil && h.Action != ActDNSQuery && h.Action != ActUnresolved {
		h.Port = tr.sp
	}
	if h.Before == (Packet{}) {
		h.Before = tr.pkt
	}
	if h.After == (Packet{}) {
		h.After = h.Before
	}
	tr.t.Hops = append(tr.t.Hops, h)
	return &tr.t.Hops[len(tr.t.Hops)-1]
}

// svcField points a hop at a field of the traced Service.
func (tr *tracer) svcField(h *Hop, field string) {
	h.Field = field
	h.Object = tr.si.Svc.Ref()
	h.Pos = tr.si.Svc.Pos(field)
	h.Defaulted = !tr.si.Svc.Has(field)
	if h.Defaulted {
		h.Value, h.Allocated = tr.svcValue(field)
	}
}

// svcValue is the value the API server gives a Service field the YAML leaves out, as YAML
// would write it, and whether it was allocated rather than defaulted; "" when svcviz does
// not model it (see model/defaults.go for the defaults).
func (tr *tracer) svcValue(field string) (string, bool) {
	spec := tr.si.Svc.Obj.Spec
	switch field {
	case "spec.externalTrafficPolicy":
		return string(spec.ExternalTrafficPolicy), false
	case "spec.internalTrafficPolicy":
		if spec.InternalTrafficPolicy != nil {
			return string(*spec.InternalTrafficPolicy), false
		}
	case "spec.sessionAffinity":
		return string(spec.SessionAffinity), false
	case "spec.type":
		return string(spec.Type), false
	case "spec.clusterIP":
		if tr.si.ClusterIP.IsValid() {
			return tr.si.ClusterIP.String(), true
		}
	}
	if tr.sp == nil {
		return "", false
	}
	switch field {
	case tr.portPath("nodePort"):
		if np := tr.si.NodePorts[tr.sp.Index]; np > 0 {
			return itoa32(np), true
		}
	case tr.portPath("targetPort"):
		return tr.sp.TargetPort.String(), false
	case tr.portPath("protocol"):
		return string(tr.sp.Protocol), false
	}
	return "", false
}

func (tr *tracer) portPath(sub string) string {
	if tr.sp == nil {
		return "spec.ports"
	}
	return tr.sp.Path() + "." + sub
}

func (tr *tracer) stop(v Verdict) {
	tr.t.Verdict = v
	if len(tr.t.Hops) > 0 {
		tr.t.StopStep = tr.t.Hops[len(tr.t.Hops)-1].Step
	}
}

func (tr *tracer) finish() *Trace {
	if tr.t.Verdict == "" {
		tr.t.Verdict = Delivered
	}
	return tr.t
}

// fromLabel names the sender in narration, worded by each catalogue (see phrase).
func (tr *tracer) fromLabel() string {
	switch {
	case tr.from.pod != nil:
		return "@pod:" + tr.from.name
	case tr.from.node != nil:
		return "@node:" + tr.from.name
	}
	return "@client:" + tr.from.ip.String()
}

func (tr *tracer) svcName() string { return tr.si.Svc.Name }

func itoa32(v int32) string { return strconv.Itoa(int(v)) }
