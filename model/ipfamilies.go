package model

import (
	"net/netip"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// validateIPFamilies is what the API server decides about ipFamilyPolicy, ipFamilies and
// clusterIPs, with its own field paths and words: ValidateService's checks of the values, then
// the Service REST storage's initIPFamilyFields against the families the cluster has
// (--service-cluster-ip-range: IPv4, or IPv4 and IPv6). It fills in the families the API
// server would (ipFamilies from clusterIPs, the secondary family of a dual-stack request on a
// dual-stack cluster) and reports refusals as errors.
func validateIPFamilies(s *Service, families []corev1.IPFamily) []Diagnostic {
	spec := &s.Obj.Spec
	if spec.Type == corev1.ServiceTypeExternalName {
		return nil
	}
	var el field.ErrorList
	famPath := field.NewPath("spec", "ipFamilies")
	seen := map[corev1.IPFamily]bool{}
	for i, f := range spec.IPFamilies {
		switch {
		case f != corev1.IPv4Protocol && f != corev1.IPv6Protocol:
			el = append(el, field.NotSupported(famPath.Index(i), f, []string{"IPv4", "IPv6"}))
		case seen[f]:
			el = append(el, field.Duplicate(famPath.Index(i), f))
		}
		seen[f] = true
	}
	if len(spec.IPFamilies) > 2 {
		el = append(el, field.TooMany(famPath, len(spec.IPFamilies), 2))
	}
	policyPath := field.NewPath("spec", "ipFamilyPolicy")
	if p := spec.IPFamilyPolicy; p != nil {
		switch *p {
		case corev1.IPFamilyPolicySingleStack, corev1.IPFamilyPolicyPreferDualStack, corev1.IPFamilyPolicyRequireDualStack:
		default:
			el = append(el, field.NotSupported(policyPath, *p, []string{"PreferDualStack", "RequireDualStack", "SingleStack"}))
		}
	}
	ips := clusterIPs(spec)
	ipsPath := field.NewPath("spec", "clusterIPs")
	for i, ip := range ips {
		if i >= len(spec.IPFamilies) || ip == corev1.ClusterIPNone {
			continue
		}
		if a, err := netip.ParseAddr(ip); err == nil && familyOf(a) != spec.IPFamilies[i] && (spec.IPFamilies[i] == corev1.IPv4Protocol || spec.IPFamilies[i] == corev1.IPv6Protocol) {
			el = append(el, field.Invalid(ipsPath.Index(i), ip, "expected an "+string(spec.IPFamilies[i])+" value as indicated by `ipFamilies["+itoa(i)+"]`"))
		}
	}
	if len(el) > 0 {
		return s.familyErrors(el)
	}
	return s.familyErrors(initIPFamilyFields(s, ips, families))
}

// initIPFamilyFields follows the API server's REST allocator (pkg/registry/core/service/
// storage/alloc.go): its checks, in its order, and the families it fills in.
func initIPFamilyFields(s *Service, ips []string, families []corev1.IPFamily) field.ErrorList {
	spec := &s.Obj.Spec
	configured := func(f corev1.IPFamily) bool {
		for _, c := range families {
			if c == f {
				return true
			}
		}
		return false
	}
	headlessSelectorless := spec.ClusterIP == corev1.ClusterIPNone && len(spec.Selector) == 0
	policy := corev1.IPFamilyPolicySingleStack
	if spec.IPFamilyPolicy != nil {
		policy = *spec.IPFamilyPolicy
	} else if headlessSelectorless {
		policy = corev1.IPFamilyPolicyRequireDualStack
	}
	var el field.ErrorList
	policyPath := field.NewPath("spec", "ipFamilyPolicy")
	if policy == corev1.IPFamilyPolicySingleStack {
		if len(ips) == 2 {
			el = append(el, field.Invalid(policyPath, policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"))
		}
		if len(spec.IPFamilies) == 2 {
			el = append(el, field.Invalid(policyPath, policy, "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"))
		}
	}
	for i, ip := range ips {
		if ip == corev1.ClusterIPNone {
			break
		}
		a, err := netip.ParseAddr(ip)
		if err != nil || i < len(spec.IPFamilies) {
			continue
		}
		if fam := familyOf(a); !configured(fam) {
			el = append(el, field.Invalid(field.NewPath("spec", "clusterIPs").Index(i), ips, string(fam)+" is not configured on this cluster"))
		} else {
			spec.IPFamilies = append(spec.IPFamilies, fam)
		}
	}
	if len(el) > 0 {
		return el
	}
	if headlessSelectorless {
		return nil // the API server allows any families here, even on a single-stack cluster
	}
	if policy == corev1.IPFamilyPolicyRequireDualStack && len(families) < 2 {
		el = append(el, field.Invalid(policyPath, policy, "this cluster is not configured for dual-stack services"))
	}
	for i, f := range spec.IPFamilies {
		if !configured(f) {
			el = append(el, field.Invalid(field.NewPath("spec", "ipFamilies").Index(i), f, "not configured on this cluster"))
		}
	}
	if len(el) > 0 {
		return el
	}
	if len(spec.IPFamilies) == 0 {
		spec.IPFamilies = []corev1.IPFamily{families[0]}
	}
	if policy != corev1.IPFamilyPolicySingleStack && len(spec.IPFamilies) == 1 && len(families) == 2 {
		other := corev1.IPv6Protocol
		if spec.IPFamilies[0] == corev1.IPv6Protocol {
			other = corev1.IPv4Protocol
		}
		spec.IPFamilies = append(spec.IPFamilies, other)
	}
	return nil
}

// clusterIPs is spec.clusterIPs, or spec.clusterIP alone as the API server's defaulting makes it.
func clusterIPs(spec *corev1.ServiceSpec) []string {
	if len(spec.ClusterIPs) > 0 {
		return spec.ClusterIPs
	}
	if spec.ClusterIP != "" {
		return []string{spec.ClusterIP}
	}
	return nil
}

func familyOf(a netip.Addr) corev1.IPFamily {
	if a.Is4() || a.Is4In6() {
		return corev1.IPv4Protocol
	}
	return corev1.IPv6Protocol
}

// familyErrors turns the API server's family errors into diagnostics at the lines they name.
func (s *Service) familyErrors(el field.ErrorList) []Diagnostic {
	var out []Diagnostic
	for _, e := range el {
		line := ""
		if e.Field == "spec.clusterIPs[0]" && !s.Has("spec.clusterIPs") {
			line = "spec.clusterIP"
		}
		out = append(out, s.apiError(CodeIPFamily, e, line, familyHint(e.Detail)))
	}
	return out
}

func familyHint(detail string) Words {
	switch detail {
	case "this cluster is not configured for dual-stack services":
		return W("the cluster's --service-cidr has one family: use PreferDualStack (falls back to one family) or SingleStack; svcviz takes --service-cidr IPV4,IPV6 for a dual-stack cluster")
	case "not configured on this cluster":
		return W("the cluster's --service-cidr has no range of this family: leave ipFamilies out, or pass --service-cidr with both ranges")
	}
	return W("leave ipFamilyPolicy, ipFamilies and clusterIPs out to get the cluster's default")
}
