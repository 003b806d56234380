// The endpoint choice, the same in both proxy modes: which endpoint a KUBE-SVC (or nftables
// service) rule chose, what limited the choice, and where the endpoint comes from (a Pod the
// selector chose, or an address an EndpointSlice lists).

package netsim

import (
	"net/netip"
	"strings"

	"github.com/svcviz/svcviz/model"
	corev1 "k8s.io/api/core/v1"
)

func (tr *tracer) chooseHop(h *Hop, st Step) {
	tr.chooseFacts(h, tr.endpointFor(st.Rule.Target), st.Rule.Recent != nil, strings.HasPrefix(st.Chain, "KUBE-SVL-"))
}

// chooseFacts fills an endpoint-choice hop, the same in both proxy modes: the endpoint, and
// the field that limited the choice (sessionAffinity, a Local traffic policy, the selector).
func (tr *tracer) chooseFacts(h *Hop, ep *model.Endpoint, affinity, localOnly bool) {
	h.Action, h.Teaching = ActChoose, true
	tr.t.Endpoint = ep
	defer func() {
		// --endpoint, or the Pod clicked in the TUI, forced the choice: the rules' random draw
		// did not make it.
		if !tr.choice.ByRules() && forcedNarration[h.Narration] {
			h.Narration += ".forced"
		}
	}()
	h.Narration = "choose"
	n := len(tr.sp.Endpoints)
	one := ""
	if n == 1 {
		one = ".one" // a word for one, not "1 endpoint(s)"
		h.Narration += one
	}
	h.Args = []string{endpointName(ep), itoa(n), tr.svcName()}
	if affinity {
		h.Narration = "choose.affinity"
		tr.svcField(h, "spec.sessionAffinity")
		return
	}
	if spec := &tr.si.Svc.Obj.Spec; spec.SessionAffinity == corev1.ServiceAffinityClientIP && spec.SessionAffinityConfig != nil && spec.SessionAffinityConfig.ClientIP != nil && !localOnly {
		// The first connection: chosen at random, and remembered for the client.
		h.Narration = "choose.affinity.set" + one
		h.Args = append(h.Args, itoa32(*spec.SessionAffinityConfig.ClientIP.TimeoutSeconds), tr.pkt.Src.Addr().String())
		tr.svcField(h, "spec.sessionAffinity")
		return
	}
	if localOnly {
		// Only this node's endpoints: by internalTrafficPolicy for traffic to the ClusterIP,
		// by externalTrafficPolicy for traffic from outside.
		if tr.t.Request.Via == ViaClusterIP || tr.t.Request.Via == ViaDNS {
			h.Narration = "choose.internal"
			tr.svcField(h, "spec.internalTrafficPolicy")
		} else {
			h.Narration = "choose.local"
			tr.svcField(h, "spec.externalTrafficPolicy")
		}
		return
	}
	if b := tr.backingOf(ep); b != nil {
		// A selectorless Service: its endpoints are the addresses an EndpointSlice (or a
		// mirrored Endpoints object) lists, not Pods a selector chose.
		h.Narration = "choose.slice" + one
		h.Args = append(h.Args, b.Kind+" "+b.Name)
		h.Field, h.Object = backingField(b), b.Ref()
		h.Pos = b.Pos(h.Field)
		return
	}
	tr.svcField(h, "spec.selector")
}

// backingOf is the EndpointSlice or Endpoints object that lists ep for a Service without a
// selector (nil for a Service with one).
func (tr *tracer) backingOf(ep *model.Endpoint) *model.EndpointsObject {
	if ep == nil || len(tr.si.Svc.Obj.Spec.Selector) > 0 {
		return nil
	}
	for _, b := range tr.si.Svc.Backing {
		for _, a := range b.Addresses {
			if a.IP == ep.IP && a.Port == ep.Port {
				return b
			}
		}
	}
	return nil
}

// backingField is where an endpoints object lists its addresses.
func backingField(b *model.EndpointsObject) string {
	if b.Kind == "Endpoints" {
		return "subsets"
	}
	return "endpoints"
}

// endpointFor finds the endpoint a KUBE-SEP chain stands for, from its DNAT rule.
func (tr *tracer) endpointFor(sep string) *model.Endpoint {
	rs, _ := tr.s.Rules(tr.entryNode().Name)
	c := rs.Chain(TableNAT, sep)
	if c == nil {
		return nil
	}
	for _, r := range c.Rules {
		if r.Target == TargetDNAT {
			return tr.endpointAt(r.ToDestination)
		}
	}
	return nil
}

// endpointAt finds the traced port's endpoint at a DNAT destination.
func (tr *tracer) endpointAt(ap netip.AddrPort) *model.Endpoint {
	for i := range tr.sp.Endpoints {
		ep := &tr.sp.Endpoints[i]
		ip, _ := tr.s.EndpointAddr(*ep)
		if ip == ap.Addr() && uint16(ep.Port) == ap.Port() {
			return ep
		}
	}
	return nil
}

func endpointName(ep *model.Endpoint) string {
	if ep == nil {
		return "?"
	}
	if ep.Pod != nil {
		return ep.Pod.Name
	}
	return ep.IP
}
