package model

import (
	"sort"
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// podIndex finds the Pods a selector matches without testing every Pod against every Service:
// Pods are filed by namespace and by each label pair, and a selector starts from its rarest pair.
type podIndex struct {
	byNS    map[string][]*Pod
	byLabel map[labelPair][]*Pod
}

// labelPair is one label of an object in a namespace, the key of the selector indexes.
type labelPair struct{ ns, key, value string }

func newPodIndex(pods []*Pod) *podIndex {
	ix := &podIndex{byNS: map[string][]*Pod{}, byLabel: map[labelPair][]*Pod{}}
	for _, p := range pods {
		ix.byNS[p.Namespace] = append(ix.byNS[p.Namespace], p)
		for k, v := range p.Obj.Labels {
			lp := labelPair{p.Namespace, k, v}
			ix.byLabel[lp] = append(ix.byLabel[lp], p)
		}
	}
	return ix
}

// selected returns the Pods of a namespace whose labels the selector matches, in Pod order.
func (ix *podIndex) selected(ns string, sel map[string]string) []*Pod {
	var best []*Pod
	first := true
	for k, v := range sel {
		c := ix.byLabel[labelPair{ns, k, v}]
		if first || len(c) < len(best) {
			best, first = c, false
		}
	}
	set := labels.SelectorFromSet(sel)
	var out []*Pod
	for _, p := range best {
		if set.Matches(labels.Set(p.Obj.Labels)) {
			out = append(out, p)
		}
	}
	return out
}

// nearestHint explains a selector that matches nothing: the closest label set that exists in the
// namespace (a typo in a value or a key counts as close), or the label sets there are, and Pods
// in other namespaces that it would match. It also returns the selector key that differs, so
// the diagnostic can point at its line.
func (ix *podIndex) nearestHint(ns string, sel map[string]string) (Words, string) {
	var parts []Words
	key := ""
	if p, missing, k := ix.nearest(ns, sel); p != nil {
		parts = append(parts, WW("nearest: {0} has labels {1}; {2}", Lit(ownerName(p)), Lit(formatLabels(userLabels(p))), joinWords(missing, ", ")))
		key = k
	} else if len(ix.byNS[ns]) == 0 {
		parts = append(parts, W("namespace {0} has no Pods", quote(ns)))
	} else {
		parts = append(parts, W("the Pods in namespace {0} have {1}", quote(ns), ix.labelSets(ns)))
	}
	var others []Words
	for other := range ix.byNS {
		if other == ns {
			continue
		}
		if m := ix.selected(other, sel); len(m) > 0 {
			others = append(others, W("{0} in namespace {1}", Escape(ownerName(m[0])), Escape(quote(other))))
		}
	}
	sort.Slice(others, func(i, j int) bool { return others[i].String() < others[j].String() })
	if len(others) > 0 {
		parts = append(parts, WW("would match {0}: a Service only selects Pods in its own namespace", joinMaxWords(others, 3)))
	}
	return joinWords(parts, "; "), key
}

// labelSets lists the label sets the Pods of a namespace have, one per workload.
func (ix *podIndex) labelSets(ns string) string {
	var sets []string
	seen := map[string]bool{}
	for _, p := range ix.byNS[ns] {
		d := ownerName(p) + " (" + formatLabels(userLabels(p)) + ")"
		if !seen[d] {
			seen[d] = true
			sets = append(sets, d)
		}
	}
	return joinMax(sets, 3)
}

// nearest is the Pod whose labels come closest to the selector: an equal pair scores 3, a pair
// with a near value (a typo, another case) or a near key scores 2. It returns what differs and
// the first selector key that does.
func (ix *podIndex) nearest(ns string, sel map[string]string) (*Pod, []Words, string) {
	var best *Pod
	bestScore := 0
	for _, p := range ix.byNS[ns] {
		score := 0
		for k, v := range sel {
			score += pairScore(p.Obj.Labels, k, v)
		}
		if score > bestScore {
			best, bestScore = p, score
		}
	}
	if best == nil {
		return nil, nil, ""
	}
	var missing []Words
	key := ""
	for _, k := range sortedKeys(sel) {
		if d := pairDiff(best.Obj.Labels, k, sel[k]); !d.IsZero() {
			missing = append(missing, d)
			if key == "" {
				key = k
			}
		}
	}
	return best, missing, key
}

func pairScore(labels map[string]string, k, v string) int {
	if got, has := labels[k]; has {
		switch {
		case got == v:
			return 3
		case near(got, v):
			return 2
		}
		return 0
	}
	if _, ok := nearKey(labels, k, v); ok {
		return 2
	}
	return 0
}

// pairDiff says how a Pod's labels differ from one selector pair, or empty Words when they do not.
func pairDiff(labels map[string]string, k, v string) Words {
	want := Escape(k) + "=" + Escape(v)
	if got, has := labels[k]; has {
		if got == v {
			return Words{}
		}
		return W("selector wants {0}, the Pod has {1}", want, Escape(k)+"="+Escape(got))
	}
	if other, ok := nearKey(labels, k, v); ok {
		return W("selector wants {0}, the Pod has {1}", want, Escape(other)+"="+Escape(v))
	}
	return W("selector wants {0}, the Pod has no {1} label", want, Escape(k))
}

// nearKey finds a label key close to k (a typo) that carries the value v.
func nearKey(labels map[string]string, k, v string) (string, bool) {
	for lk, lv := range labels {
		if lv == v && near(lk, k) {
			return lk, true
		}
	}
	return "", false
}

// near reports strings that differ by case or by a small typo.
func near(a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	limit := max(1, min(len(a), len(b))/4)
	return EditDistance(a, b) <= limit
}

// generatedLabels are added by controllers, never written by the user: hints leave them out.
var generatedLabels = map[string]bool{
	"pod-template-hash": true, "controller-revision-hash": true, "pod-template-generation": true,
	"statefulset.kubernetes.io/pod-name": true, "apps.kubernetes.io/pod-index": true,
}

// userLabels are a Pod's labels without the controllers' own.
func userLabels(p *Pod) map[string]string {
	out := make(map[string]string, len(p.Obj.Labels))
	for k, v := range p.Obj.Labels {
		if !generatedLabels[k] {
			out[k] = v
		}
	}
	return out
}

// ownerName names a Pod as the user wrote it: its workload, or the bare Pod.
func ownerName(p *Pod) string {
	if p.Owner != nil {
		return p.Owner.Kind + " " + quote(p.Owner.Name)
	}
	return "Pod " + quote(p.Name)
}

// formatLabels prints labels sorted, as kubectl does: app=web,tier=front.
func formatLabels(m map[string]string) string {
	if len(m) == 0 {
		return "(none)"
	}
	var b strings.Builder
	for i, k := range sortedKeys(m) {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(Escape(k) + "=" + Escape(m[k]))
	}
	return b.String()
}

// podContainer is a container a Service can reach, and where it stands in the pod spec.
type podContainer struct {
	c     *corev1.Container
	init  bool // in initContainers
	index int
}

// path is the container's field path in the pod spec: "containers[0]" or "initContainers[1]".
func (pc podContainer) path() string {
	if pc.init {
		return "initContainers[" + strconv.Itoa(pc.index) + "]"
	}
	return "containers[" + strconv.Itoa(pc.index) + "]"
}

// portContainers lists the containers whose ports a Service can reach: app containers and
// restartable (sidecar) init containers, as the endpoints controller's FindPort searches them.
func portContainers(spec *corev1.PodSpec) []podContainer {
	out := make([]podContainer, 0, len(spec.Containers))
	for i := range spec.Containers {
		out = append(out, podContainer{&spec.Containers[i], false, i})
	}
	for i := range spec.InitContainers {
		c := &spec.InitContainers[i]
		if c.RestartPolicy != nil && *c.RestartPolicy == corev1.ContainerRestartPolicyAlways {
			out = append(out, podContainer{c, true, i})
		}
	}
	return out
}

// portDecl is a container port that a targetPort resolved through.
type portDecl struct {
	container string
	path      string // "containers[0].ports[1]"
}

// findPort resolves a targetPort on one Pod: the port number, the declaring container port
// (ok false when none declares it), and whether a declaration with the same name or number
// has another protocol.
func findPort(spec *corev1.PodSpec, tp intstr.IntOrString, proto corev1.Protocol) (port int32, decl portDecl, ok, mismatch bool) {
	for _, pc := range portContainers(spec) {
		for pi := range pc.c.Ports {
			cp := &pc.c.Ports[pi]
			same := (tp.Type == intstr.String && cp.Name == tp.StrVal) || (tp.Type == intstr.Int && cp.ContainerPort == tp.IntVal)
			if !same {
				continue
			}
			if cp.Protocol == proto {
				return cp.ContainerPort, portDecl{pc.c.Name, pc.path() + ".ports[" + strconv.Itoa(pi) + "]"}, true, false
			}
			mismatch = true
		}
	}
	if tp.Type == intstr.Int {
		return tp.IntVal, portDecl{}, false, mismatch
	}
	return 0, portDecl{}, false, mismatch
}

// resolvePort builds a port's endpoints from the selected Pods and explains the ones missing.
// As the EndpointSlice controller and kube-proxy do: terminal Pods are no endpoints, Pods that
// are not ready take no traffic (unless the Service publishes not-ready addresses), and when no
// endpoint is ready, kube-proxy falls back to terminating Pods that are still serving.
func resolvePort(s *Service, sp *ServicePort) []Diagnostic {
	var undeclared, unnamed, mismatched []*Pod
	publish := s.Obj.Spec.PublishNotReadyAddresses
	considered := 0
	var fallback []Endpoint
	sp.Endpoints = make([]Endpoint, 0, len(s.Selected))
	for _, p := range s.Selected {
		r := p.Readiness()
		if !r.Endpoint {
			sp.Unready = append(sp.Unready, Unready{Pod: p, Reason: r.Reason})
			continue
		}
		considered++
		port, decl, ok, mismatch := findPort(&p.Obj.Spec, sp.TargetPort, sp.Protocol)
		if mismatch && !ok {
			mismatched = append(mismatched, p)
		}
		if sp.TargetPort.Type == intstr.String && !ok {
			sp.Unready = append(sp.Unready, Unready{Pod: p, Reason: "no container port named " + quote(sp.TargetPort.StrVal) + "/" + string(sp.Protocol), PortName: sp.TargetPort.StrVal})
			unnamed = append(unnamed, p)
			continue
		}
		ep := Endpoint{Pod: p, Port: port, Named: sp.TargetPort.Type == intstr.String, NodeName: p.Obj.Spec.NodeName, Terminating: r.Terminating}
		if ok {
			ep.Container, ep.PortField = decl.container, decl.path
		} else {
			undeclared = append(undeclared, p)
		}
		if !r.Ready && !publish {
			sp.Unready = append(sp.Unready, Unready{Pod: p, Reason: r.Reason})
			if r.Serving {
				fallback = append(fallback, ep)
			}
			continue
		}
		sp.Endpoints = append(sp.Endpoints, ep)
	}
	if len(sp.Endpoints) == 0 && len(fallback) > 0 {
		sp.Endpoints = fallback
		serving := make(map[*Pod]bool, len(fallback))
		for _, ep := range fallback {
			serving[ep.Pod] = true
		}
		kept := sp.Unready[:0]
		for _, u := range sp.Unready {
			if !serving[u.Pod] {
				kept = append(kept, u)
			}
		}
		sp.Unready = kept
	}
	var out []Diagnostic
	field := sp.Path() + ".targetPort"
	if len(mismatched) > 0 {
		out = append(out, s.diagW(Warning, CodeProtocolMismatch, sp.Path()+".protocol",
			W("port {0} is {1}, but {2} declares targetPort {3} with another protocol: {4}", sp.Path(), string(sp.Protocol), ownerName(mismatched[0]), Escape(sp.TargetPort.String()),
				protocolDeclared(mismatched[0], sp)),
			W("containerPort's protocol defaults to TCP: if the app listens on {0}, declare protocol: {0} on the container port; list the port twice to serve both", string(sp.Protocol))))
		undeclared = without(undeclared, mismatched)
		// A name declared only with another protocol is one cause: the protocol.
		unnamed = without(unnamed, mismatched)
		considered -= len(mismatched)
	}
	if len(unnamed) > 0 {
		hint := declaredHint(unnamed)
		if n := nearPortName(unnamed, sp); n != "" {
			hint = WW("did you mean {0}? {1}", Lit(quote(n)), hint)
		}
		out = append(out, s.diagW(Warning, CodeNamedPortNotFound, field,
			W("targetPort {0} names no {1} container port of {2}, so those Pods get no endpoint on this port", quote(sp.TargetPort.StrVal), string(sp.Protocol), ownersOf(unnamed)),
			hint))
	}
	if len(undeclared) > 0 && len(undeclared) == considered {
		word := "targetPort"
		if s.Headless() {
			// Clients of a headless Service dial the Service port itself.
			word, field = "port", sp.Path()+".port"
		}
		n := strconv.Itoa(int(sp.TargetPort.IntVal))
		out = append(out, s.diagW(Warning, CodeTargetPortUndecl, field,
			W("{0} {1} is not a containerPort of {2}; traffic still goes to port {1}, but nothing says a container listens there", word, n, ownersOf(undeclared)),
			declaredHint(undeclared)))
	}
	return out
}

// ownersOf names the distinct workloads (or bare Pods) of a list of Pods.
func ownersOf(pods []*Pod) string {
	var names []string
	seen := map[string]bool{}
	for _, p := range pods {
		n := ownerName(p)
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return joinMax(names, 3)
}

// declaredHint lists the ports the Pods' containers do declare, so the fix is one look away.
func declaredHint(pods []*Pod) Words {
	var decl []string
	seen := map[string]bool{}
	for _, p := range pods {
		for _, pc := range portContainers(&p.Obj.Spec) {
			c := pc.c
			for _, cp := range c.Ports {
				d := strconv.Itoa(int(cp.ContainerPort)) + "/" + string(cp.Protocol)
				if cp.Name != "" {
					d = Escape(cp.Name) + "=" + d
				}
				d += " on " + Escape(c.Name)
				if !seen[d] {
					seen[d] = true
					decl = append(decl, d)
				}
			}
		}
	}
	if len(decl) == 0 {
		return W("the selected containers declare no ports at all")
	}
	return W("declared: {0}", joinMax(decl, 6))
}
