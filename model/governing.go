package model

import corev1 "k8s.io/api/core/v1"

// governingServices checks what gives Pods their own DNS names (web-0.nginx.NS.svc): a
// StatefulSet's spec.serviceName, or a Pod's spec.subdomain, must name a headless Service of
// the namespace. The API server accepts either way, but kube-dns publishes per-Pod names only
// behind a headless Service, so the names do not resolve.
func governingServices(c *Cluster) []Diagnostic {
	byName := make(map[string]*Service, len(c.Services))
	for _, s := range c.Services {
		byName[s.Namespace+"/"+s.Name] = s
	}
	var out []Diagnostic
	check := func(m *Meta, field, name, example string) {
		if name == "" {
			return
		}
		s := byName[m.Namespace+"/"+name]
		switch {
		case s == nil:
			out = append(out, m.diagW(Warning, CodeGoverningService, field,
				W("{0} {1} names no Service in namespace {2}, so the Pods' own DNS names ({3}) do not resolve", field, quote(name), quote(m.Namespace), Escape(example)),
				W("create a headless Service (clusterIP: None) named {0} that selects the Pods", quote(name))))
		case !s.Headless():
			out = append(out, m.diagW(Warning, CodeGoverningService, field,
				W("{0} {1} names Service {1}, which is not headless ({2}): per-Pod DNS names such as {3} exist only behind a headless Service (clusterIP: None)", field, quote(name), s.File+":"+itoa(s.Line), Escape(example)),
				W("set clusterIP: None on Service {0}, or add a headless Service for the Pods and name it in {1}", quote(name), field)))
		}
	}
	for _, w := range c.Workloads {
		if w.Kind == "StatefulSet" {
			check(&w.Meta, "spec.serviceName", w.ServiceName, w.Name+"-0."+w.ServiceName)
		}
	}
	for _, p := range c.Pods {
		if p.Owner == nil && p.Obj.Spec.Subdomain != "" {
			host := p.Obj.Spec.Hostname
			if host == "" {
				host = p.Name
			}
			check(&p.Meta, "spec.subdomain", p.Obj.Spec.Subdomain, host+"."+p.Obj.Spec.Subdomain)
		}
	}
	return out
}

// externalNamePorts warns about the targetPorts of an ExternalName Service: it is only a DNS
// CNAME, nothing proxies its traffic, so a client reaches the external name on the port it
// dials and targetPort is not used.
func externalNamePorts(s *Service) []Diagnostic {
	if s.Type() != corev1.ServiceTypeExternalName {
		return nil
	}
	var out []Diagnostic
	for i, sp := range s.Obj.Spec.Ports {
		path := "spec.ports[" + itoa(i) + "].targetPort"
		if !s.Has(path) || (sp.TargetPort.IntVal == sp.Port && sp.TargetPort.StrVal == "") {
			continue
		}
		out = append(out, s.diagW(Warning, CodeExternalNamePorts, path,
			W("targetPort {0} is not used: an ExternalName Service is only a DNS CNAME to {1}, so a client connecting to {2} on {3} reaches {4} on {3}",
				targetPortText(sp.TargetPort), quote(s.Obj.Spec.ExternalName), quote(s.Name), itoa(int(sp.Port)), Escape(s.Obj.Spec.ExternalName)),
			W("remove targetPort; to reach another port, the client must dial it (or use a selectorless Service with an EndpointSlice)")))
	}
	return out
}

// serviceWarnings are the API server's own warnings about Service fields it ignores
// (GetWarningsForService), with its words.
func serviceWarnings(s *Service) []Diagnostic {
	spec := &s.Obj.Spec
	var out []Diagnostic
	warn := func(field, msg string) {
		out = append(out, s.diagH(Warning, CodeIgnoredField, field, msg, W("remove the field: it has no effect")))
	}
	if spec.Type == corev1.ServiceTypeClusterIP && s.Headless() {
		if spec.LoadBalancerIP != "" {
			warn("spec.loadBalancerIP", "spec.loadBalancerIP is ignored for headless services")
		}
		if len(spec.ExternalIPs) > 0 {
			warn("spec.externalIPs", "spec.externalIPs is ignored for headless services")
		}
		if spec.SessionAffinity != corev1.ServiceAffinityNone {
			warn("spec.sessionAffinity", "spec.SessionAffinity is ignored for headless services")
		}
	}
	if spec.Type == corev1.ServiceTypeExternalName && len(spec.ExternalIPs) > 0 {
		warn("spec.externalIPs", `spec.externalIPs is ignored when spec.type is "ExternalName"`)
	}
	if spec.Type != corev1.ServiceTypeExternalName && spec.ExternalName != "" {
		warn("spec.externalName", `spec.externalName is ignored when spec.type is not "ExternalName"`)
	}
	return out
}
