package model

import (
	"encoding/json"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validatePods defaults and validates the bare Pods, and takes those the API server refuses
// out of the cluster: an object it refuses exists nowhere, so it is no endpoint, runs on no
// node and is drawn nowhere. Its diagnostics stay.
func (l *loader) validatePods() {
	c := l.c
	kept := c.Pods[:0]
	for _, p := range c.Pods {
		if p.Owner != nil {
			kept = append(kept, p)
			continue
		}
		defaultPodSpec(&p.Obj.Spec)
		var ds []Diagnostic
		ds = append(ds, validateName(&p.Meta, validation.IsDNS1123Subdomain)...)
		ds = append(ds, validateNamespace(&p.Meta)...)
		ds = append(ds, validateLabels(&p.Meta, p.Obj.Labels, "metadata.labels", "metadata.labels")...)
		ds = append(ds, validatePodSpec(&p.Meta, "spec", &p.Obj.Spec, true)...)
		c.Diagnostics = append(c.Diagnostics, ds...)
		if HasErrors(ds) {
			l.refused = append(l.refused, p)
			continue
		}
		kept = append(kept, p)
	}
	c.Pods = kept
}

// validateNamespace checks metadata.namespace as the API server's ValidateObjectMeta does: a
// DNS-1123 label.
func validateNamespace(m *Meta) []Diagnostic {
	if dns1123LabelOK(m.Namespace) {
		return nil
	}
	var out []Diagnostic
	p := field.NewPath("metadata", "namespace")
	for _, msg := range validation.IsDNS1123Label(m.Namespace) {
		out = append(out, m.apiError(CodeInvalidName, field.Invalid(p, m.Namespace, msg), "", W("namespace names are at most 63 lower case letters, digits and '-'")))
	}
	return out
}

// validatePodSpecNetworking is the part of the API server's ValidatePodSpec about where a Pod
// runs: spec.nodeName (a DNS subdomain), and with hostNetwork a hostPort equal to containerPort (a template may leave it 0, which defaulting
// fills in). isPod: the spec is a Pod's, not a workload template's.
func validatePodSpecNetworking(m *Meta, specPath string, spec *corev1.PodSpec, isPod bool) []Diagnostic {
	var out []Diagnostic
	sp := field.NewPath(specPath)
	if spec.NodeName != "" {
		for _, msg := range validation.IsDNS1123Subdomain(spec.NodeName) {
			out = append(out, m.apiError(CodeInvalidName, field.Invalid(sp.Child("nodeName"), spec.NodeName, msg), "", W("spec.nodeName names a Node: lower case letters, digits, '-' and '.'")))
		}
	}
	for ci, c := range spec.Containers {
		for pi, cp := range c.Ports {
			if spec.HostNetwork && (isPod || cp.HostPort != 0) && cp.HostPort != cp.ContainerPort {
				path := sp.Child("containers").Index(ci).Child("ports").Index(pi) // only for a finding
				e := field.Invalid(path.Child("hostPort"), cp.HostPort, "must match `containerPort` when `hostNetwork` is true")
				out = append(out, m.apiError(CodeInvalidPort, e, "", W("a hostNetwork Pod listens on the node's own ports: leave hostPort out, or set it to {0}", strconv.Itoa(int(cp.ContainerPort)))))
			}
		}
	}
	return out
}

// duplicatePortNames is the API server's warning about a container port name used twice in a
// Pod (sidecar init containers included): Services and probes that select the port by name
// use the first.
func duplicatePortNames(m *Meta, specPath string, spec *corev1.PodSpec) []Diagnostic {
	var out []Diagnostic
	type portAt struct {
		list   string
		ci, pi int
	}
	first := map[string]portAt{} // the path is written only for a duplicate (BENCHMARKS.md, Memory)
	sp := field.NewPath(specPath)
	pathOf := func(at portAt) string { return sp.Child(at.list).Index(at.ci).Child("ports").Index(at.pi).String() }
	visit := func(list string, cs []corev1.Container, sidecarsOnly bool) {
		for ci := range cs {
			c := &cs[ci]
			if sidecarsOnly && (c.RestartPolicy == nil || *c.RestartPolicy != corev1.ContainerRestartPolicyAlways) {
				continue
			}
			for pi, cp := range c.Ports {
				if cp.Name == "" {
					continue
				}
				at := portAt{list, ci, pi}
				if firstAt, dup := first[cp.Name]; dup {
					path, other := pathOf(at), pathOf(firstAt)
					msg := path + ": duplicate port name " + strconv.Quote(cp.Name) + " with " + other + ", services and probes that select ports by name will use " + other
					d := m.diagH(Warning, CodeDuplicatePortName, path+".name", msg, W("rename one of the ports: a Service's targetPort {0} reaches {1}", strconv.Quote(cp.Name), other))
					out = append(out, d)
					continue
				}
				first[cp.Name] = at
			}
		}
	}
	visit("initContainers", spec.InitContainers, true)
	visit("containers", spec.Containers, false)
	return out
}

// validateContainerPorts follows the API server's validateContainerPorts, port by port: a
// name that is an IANA_SVC_NAME and unique within the container, a containerPort (required,
// in range), a hostPort in range, a supported protocol.
func validateContainerPorts(m *Meta, path *field.Path, ports []corev1.ContainerPort) []Diagnostic {
	var out []Diagnostic
	names := map[string]bool{}
	for pi, cp := range ports {
		p := path.Index(pi)
		if cp.Name != "" {
			msgs := validation.IsValidPortName(cp.Name)
			for _, msg := range msgs {
				out = append(out, m.apiError(CodeInvalidPortName, field.Invalid(p.Child("name"), cp.Name, msg), "", W("container port names are at most 15 lower case letters, digits and '-'")))
			}
			if len(msgs) == 0 && names[cp.Name] {
				out = append(out, m.apiError(CodeInvalidPortName, field.Duplicate(p.Child("name"), cp.Name), "", W("port names are unique within a container")))
			}
			names[cp.Name] = true
		}
		if cp.ContainerPort == 0 {
			out = append(out, m.apiError(CodeInvalidPort, field.Required(p.Child("containerPort"), ""), p.String(), W("every container port needs a containerPort")))
		} else {
			for _, msg := range validation.IsValidPortNum(int(cp.ContainerPort)) {
				out = append(out, m.apiError(CodeInvalidPort, field.Invalid(p.Child("containerPort"), cp.ContainerPort, msg), "", Words{}))
			}
		}
		if cp.HostPort != 0 {
			for _, msg := range validation.IsValidPortNum(int(cp.HostPort)) {
				out = append(out, m.apiError(CodeInvalidPort, field.Invalid(p.Child("hostPort"), cp.HostPort, msg), "", Words{}))
			}
		}
		switch cp.Protocol {
		case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
		default:
			out = append(out, m.apiError(CodeInvalidPort, field.NotSupported(p.Child("protocol"), cp.Protocol, []string{"SCTP", "TCP", "UDP"}), "", Words{}))
		}
	}
	return out
}

// validatePodSpec checks the container names and the container ports a Pod (or a workload's
// template) declares.
func validatePodSpec(m *Meta, specPath string, spec *corev1.PodSpec, isPod bool) (out []Diagnostic) {
	out = validateContainerNames(m, specPath, spec)
	out = append(out, validatePodSpecNetworking(m, specPath, spec, isPod)...)
	defer func() { out = append(out, duplicatePortNames(m, specPath, spec)...) }()
	for _, list := range []struct {
		name string
		cs   []corev1.Container
	}{{"initContainers", spec.InitContainers}, {"containers", spec.Containers}} {
		for ci := range list.cs {
			path := field.NewPath(specPath).Child(list.name).Index(ci).Child("ports")
			out = append(out, validateContainerPorts(m, path, list.cs[ci].Ports)...)
		}
	}
	return out
}

// validateWorkload checks a workload's name and that its selector selects its own template.
func validateWorkload(w *Workload) []Diagnostic {
	out := validateName(&w.Meta, validation.IsDNS1123Subdomain)
	ok, why := w.selectorMatchesTemplate()
	if w.Kind == "ReplicationController" && w.LabelSelector != nil && len(w.LabelSelector.MatchLabels) == 0 {
		ok, why = false, "empty"
	}
	switch {
	case why == "missing" || why == "empty":
		e := field.Required(field.NewPath("spec", "selector"), "")
		out = append(out, w.apiError(CodeSelectorMismatch, e, "spec", W("set spec.selector.matchLabels to labels of spec.template.metadata.labels")))
	case !ok:
		labelsJSON, _ := json.Marshal(w.Template.Labels)
		e := field.Invalid(field.NewPath("spec", "template", "metadata", "labels"), json.RawMessage(labelsJSON), "`selector` does not match template `labels`")
		out = append(out, w.apiError(CodeSelectorMismatch, e, "", W("the API server refuses this {0}, so it creates no Pods: make spec.selector match spec.template.metadata.labels", w.Kind)))
	}
	// The API server names a template's labels spec.template.labels (ValidatePodTemplateSpec).
	out = append(out, validateLabels(&w.Meta, w.Template.Labels, "spec.template.labels", "spec.template.metadata.labels")...)
	out = append(out, validateNamespace(&w.Meta)...)
	return append(out, validatePodSpec(&w.Meta, "spec.template.spec", &w.Template.Spec, false)...)
}

// validateContainerNames: every container and init container has a name that is a DNS-1123
// label, unique among them, as the API server's validateContainers requires.
func validateContainerNames(m *Meta, specPath string, spec *corev1.PodSpec) []Diagnostic {
	if containerNamesOK(spec) {
		return nil
	}
	var out []Diagnostic
	names := make(map[string]bool, len(spec.Containers)+len(spec.InitContainers))
	check := func(list string, cs []corev1.Container) {
		for i := range cs {
			name := cs[i].Name
			p := field.NewPath(specPath).Child(list).Index(i).Child("name")
			if name == "" {
				out = append(out, m.apiError(CodeInvalidName, field.Required(p, ""), specPath+"."+list+"["+strconv.Itoa(i)+"]", W("every container needs a name")))
				continue
			}
			for _, msg := range validation.IsDNS1123Label(name) {
				out = append(out, m.apiError(CodeInvalidName, field.Invalid(p, name, msg), "", W("container names are at most 63 lower case letters, digits and '-'")))
			}
			if names[name] {
				out = append(out, m.apiError(CodeInvalidName, field.Duplicate(p, name), "", W("container names must be unique within a Pod, init containers included")))
			}
			names[name] = true
		}
	}
	check("initContainers", spec.InitContainers)
	check("containers", spec.Containers)
	return out
}

// containerNamesOK is the common case of validateContainerNames without allocating: a few
// distinct names that are plainly DNS-1123 labels.
func containerNamesOK(spec *corev1.PodSpec) bool {
	n := len(spec.InitContainers) + len(spec.Containers)
	if n > 16 {
		return false
	}
	name := func(i int) string {
		if i < len(spec.InitContainers) {
			return spec.InitContainers[i].Name
		}
		return spec.Containers[i-len(spec.InitContainers)].Name
	}
	for i := 0; i < n; i++ {
		a := name(i)
		if !dns1123LabelOK(a) {
			return false
		}
		for j := 0; j < i; j++ {
			if name(j) == a {
				return false
			}
		}
	}
	return true
}
