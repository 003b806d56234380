package model

import (
	"strconv"
	"strings"

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
func (m *Meta) apiError(code string, e *field.Error, linePath string, hint Words) Diagnostic {
	d := m.diagH(Error, code, e.Field, e.Error(), hint)
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
	out = append(out, validateNamespace(&s.Meta)...)
	out = append(out, validateLabels(&s.Meta, s.Obj.Labels, "metadata.labels", "metadata.labels")...)
	specPath := field.NewPath("spec")
	if len(spec.Ports) == 0 && !s.Headless() && spec.Type != corev1.ServiceTypeExternalName {
		out = append(out, s.apiError(CodePortsRequired, field.Required(specPath.Child("ports"), ""), "spec",
			W("a {0} Service needs at least one port; only headless and ExternalName Services may have none", string(spec.Type))))
	}
	for i := range spec.Ports {
		out = append(out, validatePort(s, i)...)
	}
	out = append(out, duplicatePorts(s)...)
	out = append(out, validateClusterIP(s)...)
	out = append(out, validateLabels(&s.Meta, spec.Selector, "spec.selector", "spec.selector")...)
	out = append(out, validateServiceValues(s)...)
	if spec.ExternalTrafficPolicy != "" && !externallyAccessible(s) {
		e := field.Invalid(specPath.Child("externalTrafficPolicy"), string(spec.ExternalTrafficPolicy), "may only be set for externally-accessible services")
		out = append(out, s.apiError(CodeTrafficPolicy, e, "", W("externalTrafficPolicy applies to NodePort and LoadBalancer Services (or externalIPs); remove it, or change the type")))
	}
	return out
}

func externallyAccessible(s *Service) bool {
	return HasNodePorts(s.Obj.Spec.Type) || len(s.Obj.Spec.ExternalIPs) > 0
}

// HasNodePorts reports the Service types that open a nodePort on every node and can take
// traffic from outside the cluster: NodePort and LoadBalancer.
func HasNodePorts(t corev1.ServiceType) bool {
	return t == corev1.ServiceTypeNodePort || t == corev1.ServiceTypeLoadBalancer
}

// validateLabels checks label keys (qualified names) and values as the API server's
// ValidateLabels does, in key order. apiPath is the path the API server names (a template's
// labels are "spec.template.labels"), linePath where they are written; each error points at
// its key's line.
func validateLabels(m *Meta, labels map[string]string, apiPath, linePath string) []Diagnostic {
	if len(labels) == 0 {
		return nil
	}
	valid := true
	for k, v := range labels {
		if !labelKeyOK(k) || !labelValueOK(v) {
			valid = false
			break
		}
	}
	if valid {
		return nil
	}
	var out []Diagnostic
	p := field.NewPath(apiPath)
	for _, k := range sortedKeys(labels) {
		keyLine := linePath + "[" + k + "]"
		for _, msg := range validation.IsQualifiedName(k) {
			out = append(out, m.apiError(CodeInvalidLabel, field.Invalid(p, k, msg), keyLine,
				W("a label key is an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit")))
		}
		for _, msg := range validation.IsValidLabelValue(labels[k]) {
			out = append(out, m.apiError(CodeInvalidLabel, field.Invalid(p, labels[k], msg), keyLine,
				W("a label value is empty or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit")))
		}
	}
	return out
}

func validateName(m *Meta, check func(string) []string) []Diagnostic {
	p := field.NewPath("metadata", "name")
	if m.Name == "" {
		return []Diagnostic{m.apiError(CodeInvalidName, field.Required(p, "name or generateName is required"), "metadata", Words{})}
	}
	var out []Diagnostic
	for _, msg := range check(m.Name) {
		out = append(out, m.apiError(CodeInvalidName, field.Invalid(p, m.Name, msg), "", W("names are lower case letters, digits and '-'")))
	}
	return out
}

func validatePort(s *Service, i int) []Diagnostic {
	var out []Diagnostic
	sp := &s.Obj.Spec.Ports[i]
	path := field.NewPath("spec", "ports").Index(i)
	if len(s.Obj.Spec.Ports) > 1 && sp.Name == "" {
		out = append(out, s.apiError(CodePortNameRequired, field.Required(path.Child("name"), ""), path.String(),
			W("when a Service has more than one port, every port needs a name")))
	}
	if sp.Name != "" {
		// A Service port's name is a DNS-1123 label (kubectl's "80-80" is valid); only
		// container port names, and so named targetPorts, are IANA_SVC_NAMEs.
		for _, msg := range validation.IsDNS1123Label(sp.Name) {
			out = append(out, s.apiError(CodeInvalidPortName, field.Invalid(path.Child("name"), sp.Name, msg), "", W("Service port names are at most 63 lower case letters, digits and '-', starting and ending with a letter or digit")))
		}
	}
	for _, msg := range validation.IsValidPortNum(int(sp.Port)) {
		out = append(out, s.apiError(CodeInvalidPort, field.Invalid(path.Child("port"), sp.Port, msg), "", Words{}))
	}
	switch sp.Protocol {
	case corev1.ProtocolTCP, corev1.ProtocolUDP, corev1.ProtocolSCTP:
	default:
		e := field.NotSupported(path.Child("protocol"), sp.Protocol, []string{"SCTP", "TCP", "UDP"})
		out = append(out, s.apiError(CodeInvalidPort, e, "", Words{}))
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
			out = append(out, s.apiError(CodeInvalidPortName, field.Invalid(p, tp.StrVal, msg), line, W("a named targetPort must be the name of a container port (lower case, at most 15 characters)")))
		}
		return out
	}
	for _, msg := range validation.IsValidPortNum(int(tp.IntVal)) {
		out = append(out, s.apiError(CodeInvalidPort, field.Invalid(p, tp.IntVal, msg), line, Words{}))
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
		return []Diagnostic{s.apiError(CodeNodePortNotAllowed, e, "", W("nodePort only exists on NodePort and LoadBalancer Services: set type: NodePort, or remove nodePort"))}
	}
	if np < NodePortMin || np > NodePortMax {
		e := field.Invalid(p, np, "provided port is not in the valid range. The range of valid ports is 30000-32767")
		return []Diagnostic{s.apiError(CodeInvalidNodePort, e, "", W("pick a nodePort between 30000 and 32767, or leave it out to have one allocated"))}
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
				out = append(out, s.apiError(CodeDuplicatePort, field.Duplicate(path.Child("name"), sp.Name), "", W("port names must be unique within a Service")))
			}
			names[sp.Name] = true
		}
		k := key{sp.Port, sp.Protocol}
		if seen[k] {
			v := apiServicePort{Protocol: string(sp.Protocol), Port: sp.Port}
			out = append(out, s.apiError(CodeDuplicatePort, field.Duplicate(path, v), path.Child("port").String(),
				W("port {0} is listed twice; give each port its own number", strconv.Itoa(int(sp.Port))+"/"+string(sp.Protocol))))
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
			return []Diagnostic{s.apiError(CodeInvalidClusterIP, e, "spec.clusterIP", W("a headless Service has no virtual IP, so it cannot have a nodePort: use type ClusterIP, or drop clusterIP: None"))}
		}
		return nil
	}
	// The API server's own check: it refuses what netip accepts but Kubernetes does not (zones,
	// IPv4-mapped IPv6) and words leading zeros its own way.
	var out []Diagnostic
	for _, e := range validation.IsValidIPForLegacyField(p, ip, true, nil) {
		out = append(out, s.apiError(CodeInvalidClusterIP, e, "spec.clusterIP", W("leave clusterIP out to have one allocated")))
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
				out = append(out, s.apiError(CodeDuplicateNodePort, e, "", W("nodePort {0} is already used by {1}; pick another or leave it out", strconv.Itoa(int(sp.NodePort)), first.name)))
				continue
			}
			owner[sp.NodePort] = user{s, sp.Port, s.Namespace + "/" + s.Name + " " + "spec.ports[" + strconv.Itoa(i) + "]"}
		}
	}
	return out
}

// externalType reports the Service types that have nodePorts.
func externalType(s *Service) bool { return HasNodePorts(s.Obj.Spec.Type) }

// The checks below accept a subset of what apimachinery's validators accept, without regular
// expressions or allocations; anything they refuse is checked again by apimachinery, which
// words the error.

func isLowerAlnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

func isAlnum(c byte) bool { return isLowerAlnum(c) || c >= 'A' && c <= 'Z' }

// dns1123LabelOK: 1-63 of [a-z0-9-], starting and ending with a letter or digit.
func dns1123LabelOK(s string) bool {
	if len(s) == 0 || len(s) > 63 || !isLowerAlnum(s[0]) || !isLowerAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// labelValueOK: empty, or 1-63 of [A-Za-z0-9-_.], starting and ending with a letter or digit.
func labelValueOK(s string) bool {
	if len(s) == 0 {
		return true
	}
	if len(s) > 63 || !isAlnum(s[0]) || !isAlnum(s[len(s)-1]) {
		return false
	}
	for i := 1; i < len(s)-1; i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// labelKeyOK: a non-empty label name, optionally after a DNS-1123 subdomain prefix and '/'.
func labelKeyOK(k string) bool {
	name := k
	if i := strings.IndexByte(k, '/'); i >= 0 {
		prefix := k[:i]
		name = k[i+1:]
		if len(prefix) == 0 || len(prefix) > 253 {
			return false
		}
		for prefix != "" {
			part := prefix
			if j := strings.IndexByte(prefix, '.'); j >= 0 {
				part, prefix = prefix[:j], prefix[j+1:]
				if prefix == "" {
					return false // a trailing dot
				}
			} else {
				prefix = ""
			}
			if !dns1123LabelOK(part) {
				return false
			}
		}
	}
	return name != "" && labelValueOK(name)
}
