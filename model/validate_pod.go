package model

import (
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
		out = append(out, m.apiError(CodeInvalidName, field.Invalid(p, m.Namespace, msg), "", "namespace names are at most 63 lower case letters, digits and '-'"))
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
			out = append(out, m.apiError(CodeInvalidName, field.Invalid(sp.Child("nodeName"), spec.NodeName, msg), "", "spec.nodeName names a Node: lower case letters, digits, '-' and '.'"))
		}
	}
	for ci, c := range spec.Containers {
		for pi, cp := range c.Ports {
			if spec.HostNetwork && (isPod || cp.HostPort != 0) && cp.HostPort != cp.ContainerPort {
				path := sp.Child("containers").Index(ci).Child("ports").Index(pi) // only for a finding
				e := field.Invalid(path.Child("hostPort"), cp.HostPort, "must match `containerPort` when `hostNetwork` is true")
				out = append(out, m.apiError(CodeInvalidPort, e, "", "a hostNetwork Pod listens on the node's own ports: leave hostPort out, or set it to "+strconv.Itoa(int(cp.ContainerPort))))
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
					d := m.diag(Warning, CodeDuplicatePortName, path+".name", msg, "rename one of the ports: a Service's targetPort "+strconv.Quote(cp.Name)+" reaches "+other)
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
				out = append(out, m.apiError(CodeInvalidPortName, field.Invalid(p.Child("name"), cp.Name, msg), "", "container port names are at most 15 lower case letters, digits and '-'"))
			}
			if len(msgs) == 0 && names[cp.Name] {
				out = append(out, m.apiError(CodeInvalidPortName, field.Duplicate(p.Child("name"), cp.Name), "", "port names are unique within a container"))
			}
			names[cp.Name] = true
		}
		if cp.ContainerPort == 0 {
			out = append(out, m.apiError(CodeInvalidPort, field.Required(p.Child("containerPort"), ""), p.String(), "every container port needs a containerPort"))
		} else {
			for _, msg := range validation.IsValidPortNum(int(cp.ContainerPort)) {
				out = append(out, m.apiError(CodeInvalidPort, field.Invalid(p.Child("containerPort"), cp.ContainerPort, msg), "", ""))
			}
		}
		if cp.HostPort != 0 {
			for _, msg := range validation.IsValidPortNum(int(cp.HostPort)) {
				out = append(out, m.apiError(CodeInvalidPort, field.Invalid(p.Child("hostPort"), cp.HostPort, msg), "", ""))
			}
		}
		switch cp.Protocol {
		case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
		default:
			out = append(out, m.apiError(CodeInvalidPort, field.NotSupported(p.Child("protocol"), cp.Protocol, []string{"SCTP", "TCP", "UDP"}), "", ""))
		}
	}
	return out
}
