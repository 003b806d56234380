package model

import (
	"encoding/json"
	"strconv"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// NodePortMin and NodePortMax are the API server's default --service-node-port-range.
const (
	NodePortMin = 30000
	NodePortMax = 32767
)

// apiError turns a field error into a diagnostic worded exactly as the API server words it.
// linePath is where to point when the API's path is not written as such (clusterIPs[0]).
func (m *Meta) apiError(code string, e *field.Error, linePath, hint string) Diagnostic {
	d := m.diag(Error, code, e.Field, e.Error(), hint)
	if linePath != "" {
		d.Line = m.Pos(linePath).Line
	}
	return d
}

// validateService reports what the API server would refuse, in its order, but all at once.
func validateService(s *Service) []Diagnostic {
	var out []Diagnostic
	spec := &s.Obj.Spec
	out = append(out, validateName(&s.Meta, validation.IsDNS1123Label)...)
	specPath := field.NewPath("spec")
	if len(spec.Ports) == 0 && !s.Headless() && spec.Type != corev1.ServiceTypeExternalName {
		out = append(out, s.apiError(CodePortsRequired, field.Required(specPath.Child("ports"), ""), "spec",
			"a "+string(spec.Type)+" Service needs at least one port; only headless and ExternalName Services may have none"))
	}
	for i := range spec.Ports {
		out = append(out, validatePort(s, i)...)
	}
	out = append(out, duplicatePorts(s)...)
	out = append(out, validateClusterIP(s)...)
	if spec.ExternalTrafficPolicy != "" && !externallyAccessible(s) {
		e := field.Invalid(specPath.Child("externalTrafficPolicy"), string(spec.ExternalTrafficPolicy), "may only be set for externally-accessible services")
		out = append(out, s.apiError(CodeTrafficPolicy, e, "", "externalTrafficPolicy applies to NodePort and LoadBalancer Services (or externalIPs); remove it, or change the type"))
	}
	return out
}

func externallyAccessible(s *Service) bool {
	t := s.Obj.Spec.Type
	return t == corev1.ServiceTypeNodePort || t == corev1.ServiceTypeLoadBalancer || len(s.Obj.Spec.ExternalIPs) > 0
}

func validateName(m *Meta, check func(string) []string) []Diagnostic {
	p := field.NewPath("metadata", "name")
	if m.Name == "" {
		return []Diagnostic{m.apiError(CodeInvalidName, field.Required(p, "name or generateName is required"), "metadata", "")}
	}
	var out []Diagnostic
	for _, msg := range check(m.Name) {
		out = append(out, m.apiError(CodeInvalidName, field.Invalid(p, m.Name, msg), "", "names are lower case letters, digits and '-'"))
	}
	return out
}

func validatePort(s *Service, i int) []Diagnostic {
	var out []Diagnostic
	sp := &s.Obj.Spec.Ports[i]
	path := field.NewPath("spec", "ports").Index(i)
	if len(s.Obj.Spec.Ports) > 1 && sp.Name == "" {
		out = append(out, s.apiError(CodePortNameRequired, field.Required(path.Child("name"), ""), path.String(),
			"when a Service has more than one port, every port needs a name"))
	}
	if sp.Name != "" {
		// A Service port's name is a DNS-1123 label (kubectl's "80-80" is valid); only
		// container port names, and so named targetPorts, are IANA_SVC_NAMEs.
		for _, msg := range validation.IsDNS1123Label(sp.Name) {
			out = append(out, s.apiError(CodeInvalidPortName, field.Invalid(path.Child("name"), sp.Name, msg), "", "Service port names are at most 63 lower case letters, digits and '-', starting and ending with a letter or digit"))
		}
	}
	for _, msg := range validation.IsValidPortNum(int(sp.Port)) {
		out = append(out, s.apiError(CodeInvalidPort, field.Invalid(path.Child("port"), sp.Port, msg), "", ""))
	}
	switch sp.Protocol {
	case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
	default:
		e := field.NotSupported(path.Child("protocol"), sp.Protocol, []string{"SCTP", "TCP", "UDP"})
		out = append(out, s.apiError(CodeInvalidPort, e, "", ""))
	}
	out = append(out, validateTargetPort(s, i, path)...)
	out = append(out, validateNodePort(s, i, path)...)
	return out
}

func validateTargetPort(s *Service, i int, path *field.Path) []Diagnostic {
	tp := s.Obj.Spec.Ports[i].TargetPort
	p := path.Child("targetPort")
	// A defaulted targetPort is reported at the port it was copied from.
	line := ""
	if !s.Has(p.String()) {
		line = path.Child("port").String()
	}
	var out []Diagnostic
	if tp.Type == intstr.String {
		for _, msg := range validation.IsValidPortName(tp.StrVal) {
			out = append(out, s.apiError(CodeInvalidPortName, field.Invalid(p, tp.StrVal, msg), line, "a named targetPort must be the name of a container port (lower case, at most 15 characters)"))
		}
		return out
	}
	for _, msg := range validation.IsValidPortNum(int(tp.IntVal)) {
		out = append(out, s.apiError(CodeInvalidPort, field.Invalid(p, tp.IntVal, msg), line, ""))
	}
	return out
}

func validateNodePort(s *Service, i int, path *field.Path) []Diagnostic {
	np := s.Obj.Spec.Ports[i].NodePort
	if np == 0 {
		return nil
	}
	p := path.Child("nodePort")
	switch s.Obj.Spec.Type {
	case corev1.ServiceTypeClusterIP, corev1.ServiceTypeExternalName:
		e := field.Forbidden(p, "may not be used when `type` is '"+string(s.Obj.Spec.Type)+"'")
		return []Diagnostic{s.apiError(CodeNodePortNotAllowed, e, "", "nodePort only exists on NodePort and LoadBalancer Services: set type: NodePort, or remove nodePort")}
	}
	if np < NodePortMin || np > NodePortMax {
		e := field.Invalid(p, np, "provided port is not in the valid range. The range of valid ports is 30000-32767")
		return []Diagnostic{s.apiError(CodeInvalidNodePort, e, "", "pick a nodePort between 30000 and 32767, or leave it out to have one allocated")}
	}
	return nil
}

// apiServicePort mirrors the API server's internal ServicePort, whose JSON form its Duplicate
// errors print.
type apiServicePort struct {
	Name        string
	Protocol    string
	AppProtocol *string
	Port        int32
	TargetPort  intstr.IntOrString
	NodePort    int32
}

func duplicatePorts(s *Service) []Diagnostic {
	var out []Diagnostic
	type key struct {
		port  int32
		proto corev1.Protocol
	}
	seen := map[key]bool{}
	names := map[string]bool{}
	for i, sp := range s.Obj.Spec.Ports {
		path := field.NewPath("spec", "ports").Index(i)
		if sp.Name != "" {
			if names[sp.Name] {
				out = append(out, s.apiError(CodeDuplicatePort, field.Duplicate(path.Child("name"), sp.Name), "", "port names must be unique within a Service"))
			}
			names[sp.Name] = true
		}
		k := key{sp.Port, sp.Protocol}
		if seen[k] {
			v := apiServicePort{Protocol: string(sp.Protocol), Port: sp.Port}
			out = append(out, s.apiError(CodeDuplicatePort, field.Duplicate(path, v), path.Child("port").String(),
				"port "+strconv.Itoa(int(sp.Port))+"/"+string(sp.Protocol)+" is listed twice; give each port its own number"))
		}
		seen[k] = true
	}
	return out
}

func validateClusterIP(s *Service) []Diagnostic {
	ip := s.Obj.Spec.ClusterIP
	if ip == "" || s.Obj.Spec.Type == corev1.ServiceTypeExternalName {
		return nil
	}
	p := field.NewPath("spec", "clusterIPs").Index(0)
	if ip == corev1.ClusterIPNone {
		switch s.Obj.Spec.Type {
		case corev1.ServiceTypeNodePort, corev1.ServiceTypeLoadBalancer:
			e := field.Invalid(p, ip, "may not be set to 'None' for "+string(s.Obj.Spec.Type)+" services")
			return []Diagnostic{s.apiError(CodeInvalidClusterIP, e, "spec.clusterIP", "a headless Service has no virtual IP, so it cannot have a nodePort: use type ClusterIP, or drop clusterIP: None")}
		}
		return nil
	}
	// The API server's own check: it refuses what netip accepts but Kubernetes does not (zones,
	// IPv4-mapped IPv6) and words leading zeros its own way.
	var out []Diagnostic
	for _, e := range validation.IsValidIPForLegacyField(p, ip, true, nil) {
		out = append(out, s.apiError(CodeInvalidClusterIP, e, "spec.clusterIP", "leave clusterIP out to have one allocated"))
	}
	return out
}

// duplicateNodePorts finds nodePorts written twice, within one Service or across Services: the
// allocator gives each port once per cluster.
//
// Within one Service the allocator takes a nodePort once per Service port number, so ports with
// the same number and different protocols (DNS over TCP and UDP) may share one nodePort.
func duplicateNodePorts(svcs []*Service) []Diagnostic {
	var out []Diagnostic
	type user struct {
		svc  *Service
		port int32
		name string
	}
	owner := map[int32]user{}
	for _, s := range svcs {
		if !externalType(s) {
			continue // node-port-not-allowed says it already
		}
		for i, sp := range s.Obj.Spec.Ports {
			if sp.NodePort == 0 || sp.NodePort < NodePortMin || sp.NodePort > NodePortMax {
				continue
			}
			if first, taken := owner[sp.NodePort]; taken {
				if first.svc == s && first.port == sp.Port {
					continue
				}
				p := field.NewPath("spec", "ports").Index(i).Child("nodePort")
				e := field.Invalid(p, sp.NodePort, "provided port is already allocated")
				out = append(out, s.apiError(CodeDuplicateNodePort, e, "", "nodePort "+strconv.Itoa(int(sp.NodePort))+" is already used by "+first.name+"; pick another or leave it out"))
				continue
			}
			owner[sp.NodePort] = user{s, sp.Port, s.Namespace + "/" + s.Name + " " + "spec.ports[" + strconv.Itoa(i) + "]"}
		}
	}
	return out
}

// externalType reports the Service types that have nodePorts.
func externalType(s *Service) bool {
	t := s.Obj.Spec.Type
	return t == corev1.ServiceTypeNodePort || t == corev1.ServiceTypeLoadBalancer
}

// validatePodSpec checks the container ports a Pod (or a workload's template) declares.
func validatePodSpec(m *Meta, specPath string, spec *corev1.PodSpec) []Diagnostic {
	var out []Diagnostic
	for ci, c := range spec.Containers {
		for pi, cp := range c.Ports {
			path := field.NewPath(specPath).Child("containers").Index(ci).Child("ports").Index(pi)
			for _, msg := range validation.IsValidPortNum(int(cp.ContainerPort)) {
				out = append(out, m.apiError(CodeInvalidPort, field.Invalid(path.Child("containerPort"), cp.ContainerPort, msg), "", ""))
			}
			if cp.Name != "" {
				for _, msg := range validation.IsValidPortName(cp.Name) {
					out = append(out, m.apiError(CodeInvalidPortName, field.Invalid(path.Child("name"), cp.Name, msg), "", "container port names are at most 15 lower case letters, digits and '-'"))
				}
			}
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
		out = append(out, w.apiError(CodeSelectorMismatch, e, "spec", "set spec.selector.matchLabels to labels of spec.template.metadata.labels"))
	case !ok:
		labelsJSON, _ := json.Marshal(w.Template.Labels)
		e := field.Invalid(field.NewPath("spec", "template", "metadata", "labels"), json.RawMessage(labelsJSON), "`selector` does not match template `labels`")
		out = append(out, w.apiError(CodeSelectorMismatch, e, "", "the API server refuses this "+w.Kind+", so it creates no Pods: make spec.selector match spec.template.metadata.labels"))
	}
	return append(out, validatePodSpec(&w.Meta, "spec.template.spec", &w.Template.Spec)...)
}
