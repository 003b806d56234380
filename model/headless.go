package model

// Headless Services, and the words for ports a Pod declares under another protocol.

import (
	"strconv"
	"strings"

	"k8s.io/apimachinery/pkg/util/intstr"
)

// protocolDeclared says what a Pod declares for a targetPort under another protocol:
// "declares 53/TCP but not 53/UDP" (for a name: "declares dns=53/TCP but no UDP port named dns").
func protocolDeclared(p *Pod, sp *ServicePort) string {
	var have []string
	for _, pc := range portContainers(&p.Obj.Spec) {
		for _, cp := range pc.c.Ports {
			if (sp.TargetPort.Type == intstr.String && cp.Name == sp.TargetPort.StrVal) || (sp.TargetPort.Type == intstr.Int && cp.ContainerPort == sp.TargetPort.IntVal) {
				d := strconv.Itoa(int(cp.ContainerPort)) + "/" + string(cp.Protocol)
				if cp.Name != "" && sp.TargetPort.Type == intstr.String {
					d = Escape(cp.Name) + "=" + d
				}
				have = append(have, d)
			}
		}
	}
	if sp.TargetPort.Type == intstr.String {
		return "declares " + strings.Join(have, ", ") + " but no " + string(sp.Protocol) + " port named " + Escape(sp.TargetPort.StrVal)
	}
	return "declares " + strings.Join(have, ", ") + " but not " + strconv.Itoa(int(sp.TargetPort.IntVal)) + "/" + string(sp.Protocol)
}

// without returns the Pods of a that are not in b.
func without(a, b []*Pod) []*Pod {
	drop := make(map[*Pod]bool, len(b))
	for _, p := range b {
		drop[p] = true
	}
	out := a[:0:0]
	for _, p := range a {
		if !drop[p] {
			out = append(out, p)
		}
	}
	return out
}

// headlessPorts makes a headless Service's endpoints what clients reach: with clusterIP: None
// there is no virtual IP and no kube-proxy rule, so a client connects to the address DNS gave
// it on the port it dialled, the Service port; targetPort (and an Endpoints object's own port)
// is not used for traffic. It warns where the YAML says otherwise.
func headlessPorts(s *Service) []Diagnostic {
	var out []Diagnostic
	for _, sp := range s.Ports {
		other := int32(0)
		for i := range sp.Endpoints {
			ep := &sp.Endpoints[i]
			if ep.Port != sp.Port && other == 0 {
				other = ep.Port
			}
			ep.Port, ep.Named = sp.Port, false
			ep.Container, ep.PortField = "", ""
			if ep.Pod != nil {
				if _, decl, ok, _ := findPort(&ep.Pod.Obj.Spec, intstr.FromInt32(sp.Port), sp.Protocol); ok {
					ep.Container, ep.PortField = decl.container, decl.path
				}
			}
		}
		tp := sp.TargetPort
		if s.Has(sp.Path()+".targetPort") && !sameAsPort(s, sp) {
			port := strconv.Itoa(int(sp.Port))
			out = append(out, s.diagW(Warning, CodeHeadlessTargetPort, sp.Path()+".targetPort",
				W("targetPort {0} is ignored for clusterIP: None: a headless Service has no virtual IP and no kube-proxy rules, so a client connects to the address DNS returns on the port it dials, {1} (only the EndpointSlices and DNS SRV records carry targetPort)", targetPortText(tp), port),
				W("set targetPort to {0} (or remove it), or make the app listen on {0}", port)))
			continue
		}
		if other != 0 && len(s.Backing) > 0 {
			out = append(out, s.diagW(Warning, CodeHeadlessTargetPort, sp.Path()+".port",
				W("{0} {1} gives port {2}, but it is not used for clusterIP: None: a client connects to the address DNS returns on the port it dials, {3}", s.Backing[0].Kind, quote(s.Backing[0].Name), strconv.Itoa(int(other)), strconv.Itoa(int(sp.Port))),
				W("make the Service port the port the endpoints listen on")))
		}
	}
	return out
}

// targetPortText prints a targetPort as a message names it: 8080, or "http".
func targetPortText(tp intstr.IntOrString) string {
	if tp.Type == intstr.String {
		return quote(tp.StrVal)
	}
	return strconv.Itoa(int(tp.IntVal))
}

// EndpointOn is the endpoint a client reaches when it connects to Pod p directly on a Service
// port's number (a headless Service's Pod record): the declaring container when there is one.
func EndpointOn(p *Pod, sp *ServicePort) Endpoint {
	ep := Endpoint{Pod: p, Port: sp.Port, NodeName: p.Obj.Spec.NodeName}
	if _, decl, ok, _ := findPort(&p.Obj.Spec, intstr.FromInt32(sp.Port), sp.Protocol); ok {
		ep.Container, ep.PortField = decl.container, decl.path
	}
	return ep
}

// sameAsPort reports a headless Service port whose targetPort comes to the port itself: the
// same number, or a name every selected Pod resolves to that number (kube-prometheus names
// its ports so), where ignoring it changes nothing.
func sameAsPort(s *Service, sp *ServicePort) bool {
	tp := sp.TargetPort
	if tp.Type == intstr.Int {
		return tp.IntVal == sp.Port
	}
	if len(s.Selected) == 0 {
		return false
	}
	for _, p := range s.Selected {
		if n, _, ok, _ := findPort(&p.Obj.Spec, tp, sp.Protocol); !ok || n != sp.Port {
			return false
		}
	}
	return true
}
