package model

import (
	"strconv"

	"k8s.io/apimachinery/pkg/labels"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// resolve runs once all documents are read: defaults, workload expansion, validation, and
// Service → Pod mapping.
func (l *loader) resolve() {
	c := l.c
	l.validatePods()
	l.placeNodes()
	l.expandWorkloads()
	for _, s := range c.Services {
		defaultService(s.Obj)
		c.Diagnostics = append(c.Diagnostics, validateService(s)...)
		c.Diagnostics = append(c.Diagnostics, validateIPFamilies(s, l.opts.ServiceFamilies)...)
		if !HasErrors(ForObject(c.Diagnostics, s.Ref())) {
			c.Diagnostics = append(c.Diagnostics, serviceWarnings(s)...) // warnings come with an accepted object
		}
	}
	c.Diagnostics = append(c.Diagnostics, duplicateNodePorts(c.Services)...)
	idx := newPodIndex(c.Pods)
	for _, s := range c.Services {
		ds := l.mapService(s, idx)
		if HasErrors(ForObject(c.Diagnostics, s.Ref())) {
			// A refused Service exists nowhere: what its endpoints would be is no finding
			// (and a misspelt selector would read as "no selector").
			continue
		}
		c.Diagnostics = append(c.Diagnostics, ds...)
	}
	c.Diagnostics = append(c.Diagnostics, orphanSlices(c)...)
	c.Diagnostics = append(c.Diagnostics, deprecatedEndpoints(c)...)
	c.Diagnostics = append(c.Diagnostics, governingServices(c)...)
}

// expandWorkloads replaces each workload's place in the Pod list with the Pods it creates, so
// that Pods keep file order (and so get addresses in file order).
func (l *loader) expandWorkloads() {
	c := l.c
	pods := make([]*Pod, 0, len(c.Pods))
	total := 0
	for _, p := range c.Pods {
		if p.Owner == nil {
			pods = append(pods, p)
			continue
		}
		w := p.Owner
		defaultPodSpec(&w.Template.Spec)
		diags := validateWorkload(w)
		c.Diagnostics = append(c.Diagnostics, diags...)
		if HasErrors(diags) {
			continue // refused: the workload exists nowhere, so it creates no Pods
		}
		if int(w.Replicas) > MaxReplicas {
			c.Diagnostics = append(c.Diagnostics, w.diagW(Warning, CodeInvalidObject, "spec.replicas",
				W("replicas {0} is more than svcviz draws; it shows the first {1}", strconv.Itoa(int(w.Replicas)), strconv.Itoa(MaxReplicas)), Words{}))
		}
		if total > maxPods {
			continue
		}
		w.Pods = w.expand(c.Nodes)
		total += len(w.Pods)
		pods = append(pods, w.Pods...)
	}
	c.Pods = pods
}

// maxPods bounds the Pods all workloads together expand into.
const maxPods = 200000

// mapService selects the Service's Pods and resolves every port to endpoints, as the endpoints
// controller would, and says why a port reaches no Pod.
func (l *loader) mapService(s *Service, idx *podIndex) []Diagnostic {
	spec := &s.Obj.Spec
	if spec.Type == corev1.ServiceTypeExternalName {
		// An ExternalName Service is a DNS alias: its ports have no endpoints.
		for i := range spec.Ports {
			s.Ports = append(s.Ports, newServicePort(spec, i))
		}
		return externalNamePorts(s)
	}
	if len(spec.Selector) == 0 {
		out := l.selectorless(s)
		if s.Headless() {
			out = append(out, headlessPorts(s)...)
		}
		return out
	}
	s.Selected = idx.selected(s.Namespace, spec.Selector)
	s.Workloads = l.selectedWorkloads(s)
	var out []Diagnostic
	if len(s.Selected) == 0 {
		hint, key := l.noPodsHint(s, idx)
		d := s.diagW(Warning, CodeNoMatchingPods, "spec.selector",
			W("selector {0} matches no Pod in namespace {1}", formatLabels(spec.Selector), quote(s.Namespace)), hint)
		if key != "" {
			// Point at the selector line that differs from the nearest Pod's labels.
			d.Line = s.Pos("spec.selector[" + key + "]").Line
			s.Nearest = idx.nearestPod(s.Namespace, spec.Selector)
		}
		out = append(out, d)
	}
	for i := range spec.Ports {
		sp := newServicePort(spec, i)
		s.Ports = append(s.Ports, sp)
		if s.Headless() {
			// targetPort is not used without a virtual IP: clients dial the Service port.
			tp := sp.TargetPort
			sp.TargetPort = intstr.FromInt32(sp.Port)
			out = append(out, resolvePort(s, sp)...)
			sp.TargetPort = tp
			continue
		}
		out = append(out, resolvePort(s, sp)...)
	}
	if s.Headless() {
		out = append(out, headlessPorts(s)...)
	}
	if d, ok := noReadyEndpoints(s); ok {
		out = append(out, d)
	}
	if d, ok := multipleWorkloads(s); ok {
		out = append(out, d)
	}
	return out
}

// noReadyEndpoints warns about a Service whose selected Pods all exist but none can take
// traffic: not ready, terminating or terminated (from the status of a `kubectl get -o yaml`).
func noReadyEndpoints(s *Service) (Diagnostic, bool) {
	if len(s.Selected) == 0 {
		return Diagnostic{}, false
	}
	publish := s.Obj.Spec.PublishNotReadyAddresses
	var why []Words
	serving := 0
	for _, p := range s.Selected {
		r := p.Readiness()
		if r.Endpoint && (r.Ready || publish) {
			return Diagnostic{}, false
		}
		if r.Endpoint && r.Serving {
			serving++
		}
		why = append(why, WW("{0} {1}", Lit(Escape(p.Name)), r.Why))
	}
	n := strconv.Itoa(len(s.Selected))
	msg := WW("selector {0} matches {1} Pod(s) in namespace {2}, but none is ready, so the Service has no ready endpoint: {3}", Lit(formatLabels(s.Obj.Spec.Selector)), Lit(n), Lit(quote(s.Namespace)), joinMaxWords(why, 3))
	if serving > 0 {
		msg = WW("{0}; kube-proxy falls back to the {1} terminating Pod(s) still passing readiness", msg, Lit(strconv.Itoa(serving)))
	}
	hint := W("kube-proxy sends traffic only to Pods whose Ready condition is True: see why with kubectl describe pod (readiness probe, containers not started)")
	if !publish {
		hint = W("kube-proxy sends traffic only to Pods whose Ready condition is True: see why with kubectl describe pod (readiness probe, containers not started), or set spec.publishNotReadyAddresses: true if they must be reached before they are ready")
	}
	return s.diagW(Warning, CodeNoReadyEndpoints, "spec.selector", msg, hint), true
}

// selectedWorkloads are the workloads whose Pod template the selector matches, whether or not
// they run any Pods (replicas: 0), as the endpoints controller would see them once scaled up.
func (l *loader) selectedWorkloads(s *Service) []*Workload {
	if l.workloadsByLabel == nil {
		// Filed by each template label, so that a selector starts from its rarest pair instead
		// of testing every workload.
		l.workloadsByLabel = map[labelPair][]*Workload{}
		for _, w := range l.c.Workloads {
			for k, v := range w.Template.Labels {
				lp := labelPair{w.Namespace, k, v}
				l.workloadsByLabel[lp] = append(l.workloadsByLabel[lp], w)
			}
		}
	}
	var candidates []*Workload
	first := true
	for k, v := range s.Obj.Spec.Selector {
		c := l.workloadsByLabel[labelPair{s.Namespace, k, v}]
		if first || len(c) < len(candidates) {
			candidates, first = c, false
		}
	}
	sel := labels.SelectorFromSet(s.Obj.Spec.Selector)
	var out []*Workload
	for _, w := range candidates {
		if sel.Matches(labels.Set(w.Template.Labels)) {
			out = append(out, w)
		}
	}
	return out
}

// noPodsHint says why a selector has no Pods: its workloads run none, or the nearest labels
// (with the selector key that differs).
func (l *loader) noPodsHint(s *Service, idx *podIndex) (Words, string) {
	for _, w := range s.Workloads {
		if len(w.Pods) == 0 {
			if w.Replicas == 0 {
				return W("it matches {0} {1}, which runs no Pods (replicas: 0)", w.Kind, quote(w.Name)), ""
			}
			return W("it matches {0} {1}, which the API server refuses (see its diagnostics), so it runs no Pods", w.Kind, quote(w.Name)), ""
		}
	}
	sel := labels.SelectorFromSet(s.Obj.Spec.Selector)
	for _, p := range l.refused {
		if p.Namespace == s.Namespace && sel.Matches(labels.Set(p.Obj.Labels)) {
			return W("it matches Pod {0}, which the API server refuses (see its diagnostics), so it exists nowhere and is no endpoint", quote(p.Name)), ""
		}
	}
	return idx.nearestHint(s.Namespace, s.Obj.Spec.Selector)
}

func newServicePort(spec *corev1.ServiceSpec, i int) *ServicePort {
	p := spec.Ports[i]
	return &ServicePort{Index: i, Name: p.Name, Protocol: p.Protocol, Port: p.Port, TargetPort: p.TargetPort, NodePort: p.NodePort}
}

// selectorless Services take their endpoints from EndpointSlices or an Endpoints object.
func (l *loader) selectorless(s *Service) []Diagnostic {
	s.Backing = l.backing(s)
	for i := range s.Obj.Spec.Ports {
		sp := newServicePort(&s.Obj.Spec, i)
		s.Ports = append(s.Ports, sp)
		sliceEndpoints(s, sp)
	}
	if len(s.Backing) > 0 {
		return slicePortMismatch(s)
	}
	return []Diagnostic{s.diagW(Warning, CodeNoSelector, "spec",
		W("Service has no selector, and no Endpoints or EndpointSlice object names it, so it has no endpoints"),
		W("add spec.selector with the labels of the Pods to reach, or an EndpointSlice labelled kubernetes.io/service-name: {0} (or an Endpoints object named {1}, deprecated since 1.33)", Escape(s.Name), quote(s.Name)))}
}

// multipleWorkloads notes a Service whose Pods come from several workloads: often a canary on
// purpose (reviews-v1/v2/v3), sometimes a selector too broad.
func multipleWorkloads(s *Service) (Diagnostic, bool) {
	owners := []string{}
	seen := map[string]bool{}
	for _, p := range s.Selected {
		if r := p.Readiness(); !r.Endpoint || !(r.Ready || s.Obj.Spec.PublishNotReadyAddresses) {
			continue // takes no traffic
		}
		ref := "Pod/" + p.Name // kubectl's KIND/NAME
		if p.Owner != nil {
			ref = p.Owner.Kind + "/" + p.Owner.Name
		}
		if !seen[ref] {
			seen[ref] = true
			owners = append(owners, ref)
		}
	}
	if len(owners) < 2 {
		return Diagnostic{}, false
	}
	msg := W("selector {0} selects Pods of {1} workloads: {2}", formatLabels(s.Obj.Spec.Selector), strconv.Itoa(len(owners)), joinMax(owners, 4))
	hint := W("traffic is spread over all of them; narrow the selector if that is not meant")
	if s.Obj.Spec.SessionAffinity == corev1.ServiceAffinityClientIP {
		hint = W("with sessionAffinity: ClientIP each client sticks to the Pod its first connection reached (for sessionAffinityConfig.clientIP.timeoutSeconds); different clients land on any of them; narrow the selector if that is not meant")
	}
	return s.diagW(Info, CodeMultipleWorkloads, "spec.selector", msg, hint), true
}

func joinMax(xs []string, n int) string {
	out := ""
	for i, x := range xs {
		if i == n {
			return out + ", … (" + strconv.Itoa(len(xs)-n) + " more)"
		}
		if i > 0 {
			out += ", "
		}
		out += Escape(x)
	}
	return out
}
