package netsim

import corev1 "k8s.io/api/core/v1"

// sessionAffinity: ClientIP across traces.

// priorConnection gives sessionAffinity: ClientIP its memory across seeds: --seed N > 0 is a
// later connection of the same client, so the client's first one (seed 0) is made first,
// unseen, and the recent list it fills sends this one to the same Pod, as the kernel would
// within timeoutSeconds. A Sim that has seen the client already (the TUI's next packet) has the
// entry in its recent table.
func (s *Sim) priorConnection(tr *tracer, req Request) {
	if req.Seed == 0 || tr.sp == nil || tr.si.Svc.Obj.Spec.SessionAffinity != corev1.ServiceAffinityClientIP || tr.si.Svc.Headless() {
		return
	}
	key := tr.si.Svc.Ref() + "/" + itoa32(tr.sp.Port) + "/" + tr.from.ip.String() + "/" + string(req.Mode) + "/" + tr.entryNode().Name
	s.mu.Lock()
	seen := s.affinitySeen[key]
	if s.affinitySeen == nil {
		s.affinitySeen = map[string]bool{}
	}
	s.affinitySeen[key] = true
	s.mu.Unlock()
	if seen {
		return
	}
	first := req
	first.Seed = 0
	_, _ = s.Trace(first)
}
