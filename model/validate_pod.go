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
			path := sp.Child("containers").Index(ci).Child("ports").Index(pi)
			if spec.HostNetwork && (isPod || cp.HostPort != 0) && cp.HostPort != cp.ContainerPort {
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
	first := map[string]string{}
	sp := field.NewPath(specPath)
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
				path := sp.Child(list).Index(ci).Child("ports").Index(pi).String()
				if other, dup := first[cp.Name]; dup {
					msg := path + ": duplicate port name " + strconv.Quote(cp.Name) + " with " + other + ", services and probes that select ports by name will use " + other
					d := m.diag(Warning, CodeDuplicatePortName, path+".name", msg, "rename one of the ports: a Service's targetPort "+strconv.Quote(cp.Name)+" reaches "+other)
					out = append(out, d)
					continue
				}
				first[cp.Name] = path
			}
		}
	}
	visit("initContainers", spec.InitContainers, true)
	visit("containers", spec.Containers, false)
	return out
}
