package model

import (
	"net/netip"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// maxAffinitySeconds is core.MaxClientIPServiceAffinitySeconds (one day).
const maxAffinitySeconds = 86400

// validateServiceValues is the part of the API server's ValidateService
// (pkg/apis/core/validation/validation.go) about the values of the enum and format fields
// svcviz decodes: type, externalName, sessionAffinity and its config, externalIPs,
// loadBalancerSourceRanges, loadBalancerClass, allocateLoadBalancerNodePorts, the traffic
// policies, healthCheckNodePort, trafficDistribution and ports' appProtocol, in the API
// server's order. Every error
// is CodeInvalidValue, worded by apimachinery's field.Error constructors.
func validateServiceValues(s *Service) []Diagnostic {
	spec := &s.Obj.Spec
	sp := field.NewPath("spec")
	var out []Diagnostic
	add := func(e *field.Error, linePath string, hint Words) {
		out = append(out, s.apiError(CodeInvalidValue, e, linePath, hint))
	}
	if spec.Type == corev1.ServiceTypeExternalName {
		// The value (a CNAME) may end in a dot to mark it fully qualified.
		cname := strings.TrimSuffix(spec.ExternalName, ".")
		p := sp.Child("externalName")
		if cname == "" {
			add(field.Required(p, ""), "spec", W("an ExternalName Service is a DNS CNAME: set spec.externalName to the host name it aliases, e.g. db.example.com"))
		}
		for _, msg := range validation.IsDNS1123Subdomain(cname) {
			if cname != "" {
				add(field.Invalid(p, cname, msg), "", W("externalName is a DNS name (lower case letters, digits, '-' and '.'), not a URL or an IP address"))
			}
		}
	}
	for i := range spec.Ports {
		if ap := spec.Ports[i].AppProtocol; ap != nil {
			p := sp.Child("ports").Index(i).Child("appProtocol")
			for _, msg := range validation.IsQualifiedName(*ap) {
				add(field.Invalid(p, *ap, msg), "", W("appProtocol is an IANA service name (http, h2c) or a prefixed name such as kubernetes.io/ws"))
			}
		}
	}
	out = append(out, validateAffinity(s)...)
	out = append(out, validateExternalIPs(s)...)
	if t := spec.Type; !validServiceType(t) {
		add(field.NotSupported(sp.Child("type"), t, []string{"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}), "",
			nearestHint(string(t), []string{"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"}))
	}
	out = append(out, validateSourceRanges(s)...)
	lbOnly := func(p *field.Path, linePath string) {
		add(field.Forbidden(p, "may only be used when `type` is 'LoadBalancer'"), linePath, W("set type: LoadBalancer, or remove it"))
	}
	if spec.AllocateLoadBalancerNodePorts != nil && spec.Type != corev1.ServiceTypeLoadBalancer {
		lbOnly(sp.Child("allocateLoadBalancerNodePorts"), "")
	}
	if c := spec.LoadBalancerClass; c != nil {
		p := sp.Child("loadBalancerClass")
		if spec.Type != corev1.ServiceTypeLoadBalancer {
			lbOnly(p, "")
		} else {
			for _, msg := range validation.IsQualifiedName(*c) {
				add(field.Invalid(p, *c, msg), "", W("a load balancer class is a prefixed name such as example.com/internal-vip"))
			}
		}
	}
	if v := spec.ExternalTrafficPolicy; v != "" && externallyAccessible(s) && v != corev1.ServiceExternalTrafficPolicyCluster && v != corev1.ServiceExternalTrafficPolicyLocal {
		add(field.NotSupported(sp.Child("externalTrafficPolicy"), v, []string{"Cluster", "Local"}), "", nearestHint(string(v), []string{"Cluster", "Local"}))
	}
	if hc := spec.HealthCheckNodePort; hc != 0 {
		p := sp.Child("healthCheckNodePort")
		if spec.Type != corev1.ServiceTypeLoadBalancer || spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyLocal {
			add(field.Invalid(p, hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"), "", W("healthCheckNodePort is allocated for a LoadBalancer with externalTrafficPolicy: Local; remove it"))
		} else {
			for _, msg := range validation.IsValidPortNum(int(hc)) {
				add(field.Invalid(p, hc, msg), "", Words{})
			}
		}
	}
	if v := spec.InternalTrafficPolicy; v != nil && *v != corev1.ServiceInternalTrafficPolicyCluster && *v != corev1.ServiceInternalTrafficPolicyLocal {
		add(field.NotSupported(sp.Child("internalTrafficPolicy"), *v, []string{"Cluster", "Local"}), "", nearestHint(string(*v), []string{"Cluster", "Local"}))
	}
	if v := spec.TrafficDistribution; v != nil {
		supported := []string{"PreferClose", "PreferSameNode", "PreferSameZone"}
		if !contains(supported, *v) {
			add(field.NotSupported(sp.Child("trafficDistribution"), *v, supported), "", nearestHint(*v, supported))
		}
	}
	return out
}

func validServiceType(t corev1.ServiceType) bool {
	switch t {
	case corev1.ServiceTypeClusterIP, corev1.ServiceTypeNodePort, corev1.ServiceTypeLoadBalancer, corev1.ServiceTypeExternalName:
		return true
	}
	return false
}

// nearestHint is "did you mean X" for an enum value written in the wrong case or misspelt.
func nearestHint(v string, supported []string) Words {
	for _, s := range supported {
		if strings.EqualFold(s, v) {
			return W("did you mean {0}? values are case-sensitive", s)
		}
	}
	if s := closest(v, supported); s != "" {
		return W("did you mean {0}?", s)
	}
	return Words{}
}

// validateAffinity: sessionAffinity is None or ClientIP; ClientIP's timeout (which defaulting
// fills in when it is missing) is 1 to 86400 seconds; None takes no sessionAffinityConfig
// (validateClientIPAffinityConfig, validateAffinityTimeout).
func validateAffinity(s *Service) []Diagnostic {
	spec := &s.Obj.Spec
	sp := field.NewPath("spec")
	switch spec.SessionAffinity {
	case corev1.ServiceAffinityClientIP:
		c := spec.SessionAffinityConfig
		if c == nil || c.ClientIP == nil || c.ClientIP.TimeoutSeconds == nil {
			return nil // defaulted to 10800
		}
		if t := c.ClientIP.TimeoutSeconds; *t <= 0 || *t > maxAffinitySeconds {
			p := sp.Child("sessionAffinityConfig", "clientIP", "timeoutSeconds")
			e := field.Invalid(p, t, "must be greater than 0 and less than 86400")
			return []Diagnostic{s.apiError(CodeInvalidValue, e, "", W("the ClientIP affinity timeout is 1 to 86400 seconds (one day); leave it out for 10800 (3 hours)"))}
		}
	case corev1.ServiceAffinityNone:
		if spec.SessionAffinityConfig != nil {
			e := field.Forbidden(sp.Child("sessionAffinityConfig"), "must not be set when session affinity is None")
			return []Diagnostic{s.apiError(CodeInvalidValue, e, "", W("set sessionAffinity: ClientIP, or remove sessionAffinityConfig"))}
		}
	default:
		e := field.NotSupported(sp.Child("sessionAffinity"), spec.SessionAffinity, []string{"ClientIP", "None"})
		return []Diagnostic{s.apiError(CodeInvalidValue, e, "", nearestHint(string(spec.SessionAffinity), []string{"ClientIP", "None"}))}
	}
	return nil
}

// validateExternalIPs: each is an IP address, and not an unspecified, loopback, link-local or
// link-local multicast one (ValidateNonSpecialIP).
func validateExternalIPs(s *Service) []Diagnostic {
	var out []Diagnostic
	for i, ip := range s.Obj.Spec.ExternalIPs {
		p := field.NewPath("spec", "externalIPs").Index(i)
		errs := validation.IsValidIPForLegacyField(p, ip, true, nil)
		if len(errs) == 0 {
			errs = nonSpecialIP(p, ip)
		}
		for _, e := range errs {
			out = append(out, s.apiError(CodeInvalidValue, e, "", W("externalIPs are addresses routed to a node, such as 192.0.2.10")))
		}
	}
	return out
}

func nonSpecialIP(p *field.Path, ip string) field.ErrorList {
	a, err := netip.ParseAddr(ip)
	if err != nil {
		return field.ErrorList{field.Invalid(p, ip, "must be a valid IP address")}
	}
	var el field.ErrorList
	if a.IsUnspecified() {
		el = append(el, field.Invalid(p, ip, "may not be unspecified ("+ip+")"))
	}
	if a.IsLoopback() {
		el = append(el, field.Invalid(p, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)"))
	}
	if a.IsLinkLocalUnicast() {
		el = append(el, field.Invalid(p, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"))
	}
	if a.IsLinkLocalMulticast() {
		el = append(el, field.Invalid(p, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"))
	}
	return el
}

// validateSourceRanges: loadBalancerSourceRanges only on a LoadBalancer, each a CIDR (spaces
// around it allowed). The API server names the field "spec.LoadBalancerSourceRanges", with a
// capital L; the line is where it is written.
func validateSourceRanges(s *Service) []Diagnostic {
	spec := &s.Obj.Spec
	if len(spec.LoadBalancerSourceRanges) == 0 {
		return nil
	}
	var out []Diagnostic
	p := field.NewPath("spec", "LoadBalancerSourceRanges")
	if spec.Type != corev1.ServiceTypeLoadBalancer {
		e := field.Forbidden(p, "may only be used when `type` is 'LoadBalancer'")
		out = append(out, s.apiError(CodeInvalidValue, e, "spec.loadBalancerSourceRanges", W("source ranges filter a load balancer's clients: set type: LoadBalancer, or remove them")))
	}
	for i, v := range spec.LoadBalancerSourceRanges {
		for _, e := range validation.IsValidCIDRForLegacyField(p.Index(i), strings.TrimSpace(v), true, nil) {
			out = append(out, s.apiError(CodeInvalidValue, e, "spec.loadBalancerSourceRanges["+itoa(i)+"]", W("a source range is a CIDR such as 10.0.0.0/8 (prefix length at most 32 for IPv4, 128 for IPv6)")))
		}
	}
	return out
}
