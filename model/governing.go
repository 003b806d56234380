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
			out = append(out, m.diag(Warning, CodeGoverningService, field,
				field+" "+quote(name)+" names no Service in namespace "+quote(m.Namespace)+", so the Pods' own DNS names ("+Escape(example)+") do not resolve",
				"create a headless Service (clusterIP: None) named "+quote(name)+" that selects the Pods"))
		case !s.Headless():
			out = append(out, m.diag(Warning, CodeGoverningService, field,
				field+" "+quote(name)+" names Service "+quote(name)+", which is not headless ("+s.File+":"+itoa(s.Line)+"): per-Pod DNS names such as "+Escape(example)+" exist only behind a headless Service (clusterIP: None)",
				"set clusterIP: None on Service "+quote(name)+", or add a headless Service for the Pods and name it in "+field))
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
		out = append(out, s.diag(Warning, CodeExternalNamePorts, path,
			"targetPort "+targetPortText(sp.TargetPort)+" is not used: an ExternalName Service is only a DNS CNAME to "+quote(s.Obj.Spec.ExternalName)+
				", so a client connecting to "+quote(s.Name)+" on "+itoa(int(sp.Port))+" reaches "+Escape(s.Obj.Spec.ExternalName)+" on "+itoa(int(sp.Port)),
			"remove targetPort; to reach another port, the client must dial it (or use a selectorless Service with an EndpointSlice)"))
	}
	return out
}

// serviceWarnings are the API server's own warnings about Service fields it ignores
// (GetWarningsForService), with its words.
func serviceWarnings(s *Service) []Diagnostic {
	spec := &s.Obj.Spec
	var out []Diagnostic
	warn := func(field, msg string) {
		out = append(out, s.diag(Warning, CodeIgnoredField, field, msg, "remove the field: it has no effect"))
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
