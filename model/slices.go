package model

import (
	"strconv"
	"strings"

	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
)

// LabelSkipMirror marks an Endpoints object the EndpointSlice mirroring controller leaves alone.
const LabelSkipMirror = "endpointslice.kubernetes.io/skip-mirror"

// endpointsFrom reads a v1 Endpoints object as the mirroring controller turns it into a slice:
// addresses are ready endpoints, notReadyAddresses endpoints that are neither ready nor serving.
//
//lint:ignore SA1019 people still write v1 Endpoints; svcviz reads them as the EndpointSlice mirroring controller does
func endpointsFrom(meta *Meta, o *corev1.Endpoints) *EndpointsObject {
	e := &EndpointsObject{Meta: *meta, Service: meta.Name, AddressType: string(discoveryv1.AddressTypeIPv4), SkipMirror: o.Labels[LabelSkipMirror] == "true"}
	for _, ss := range o.Subsets {
		first := len(e.Ports)
		for _, p := range ss.Ports {
			e.Ports = append(e.Ports, SlicePort{Index: len(e.Ports), Name: p.Name, Port: p.Port, Protocol: protocolOr(p.Protocol)})
		}
		add := func(as []corev1.EndpointAddress, ready bool) {
			for _, a := range as {
				node := ""
				if a.NodeName != nil {
					node = *a.NodeName
				}
				for _, p := range e.Ports[first:] {
					e.Addresses = append(e.Addresses, EndpointAddress{IP: a.IP, Port: p.Port, PortName: p.Name, Protocol: p.Protocol, NodeName: node, Ready: ready, Serving: ready})
				}
				if len(e.Ports) == first {
					e.Addresses = append(e.Addresses, EndpointAddress{IP: a.IP, NodeName: node, Ready: ready, Serving: ready})
				}
			}
		}
		add(ss.Addresses, true)
		add(ss.NotReadyAddresses, false)
	}
	return e
}

// endpointSliceFrom reads an EndpointSlice. Conditions follow the API's rules: ready and
// serving left out mean true, terminating left out means false.
func endpointSliceFrom(meta *Meta, o *discoveryv1.EndpointSlice) *EndpointsObject {
	e := &EndpointsObject{Meta: *meta, Service: o.Labels[discoveryv1.LabelServiceName], AddressType: string(o.AddressType)}
	for i, p := range o.Ports {
		sp := SlicePort{Index: i, Protocol: corev1.ProtocolTCP}
		if p.Name != nil {
			sp.Name = *p.Name
		}
		if p.Port == nil {
			continue // a nil port means "all ports": nothing kube-proxy can DNAT to
		}
		sp.Port = *p.Port
		if p.Protocol != nil {
			sp.Protocol = *p.Protocol
		}
		e.Ports = append(e.Ports, sp)
	}
	for _, ep := range o.Endpoints {
		node := ""
		if ep.NodeName != nil {
			node = *ep.NodeName
		}
		c := ep.Conditions
		ready := c.Ready == nil || *c.Ready
		serving := ready
		if c.Serving != nil {
			serving = *c.Serving
		}
		terminating := c.Terminating != nil && *c.Terminating
		for _, ip := range ep.Addresses {
			for _, p := range e.Ports {
				e.Addresses = append(e.Addresses, EndpointAddress{IP: ip, Port: p.Port, PortName: p.Name, Protocol: p.Protocol, NodeName: node,
					Ready: ready, Serving: serving, Terminating: terminating})
			}
			if len(e.Ports) == 0 {
				// A port-less address (a headless Service without ports): DNS only.
				e.Addresses = append(e.Addresses, EndpointAddress{IP: ip, NodeName: node, Ready: ready, Serving: serving, Terminating: terminating})
			}
		}
	}
	return e
}

// backing finds the objects that give a selectorless Service its endpoints, as kube-proxy
// reads them: every EndpointSlice whose kubernetes.io/service-name label names the Service;
// without any, its Endpoints object, which the mirroring controller (or, with skip-mirror,
// the object's own writer) turns into a slice.
func (l *loader) backing(s *Service) []*EndpointsObject {
	var slices, endpoints []*EndpointsObject
	for _, e := range l.c.Endpoints {
		if e.Namespace != s.Namespace || e.Service != s.Name {
			continue
		}
		if e.Kind == "EndpointSlice" {
			slices = append(slices, e)
		} else {
			endpoints = append(endpoints, e)
		}
	}
	if len(slices) > 0 {
		return slices
	}
	return endpoints
}

// sliceEndpoints joins the slices' ports to one Service port by name and protocol, as
// kube-proxy's EndpointSliceCache does, and keeps the endpoints kube-proxy uses: the ready
// ones, or, when none is ready, the serving ones that are terminating. An address listed by
// two slices counts once. Other address families than IPv4 are not this cluster's.
func sliceEndpoints(s *Service, sp *ServicePort) {
	var ready, fallback []Endpoint
	seen := map[string]bool{}
	for _, e := range s.Backing {
		if e.AddressType != string(discoveryv1.AddressTypeIPv4) {
			continue
		}
		for _, a := range e.Addresses {
			if a.Port == 0 || a.PortName != sp.Name || a.Protocol != sp.Protocol {
				continue
			}
			key := a.IP + ":" + strconv.Itoa(int(a.Port))
			ep := Endpoint{IP: a.IP, Port: a.Port, NodeName: a.NodeName, Terminating: a.Terminating}
			switch {
			case a.Ready && !seen[key]:
				seen[key] = true
				ready = append(ready, ep)
			case !a.Ready && a.Serving && a.Terminating:
				fallback = append(fallback, ep)
			}
		}
	}
	sp.Endpoints = ready
	if len(ready) == 0 {
		sp.Endpoints = nil
		for _, ep := range fallback {
			key := ep.IP + ":" + strconv.Itoa(int(ep.Port))
			if !seen[key] {
				seen[key] = true
				sp.Endpoints = append(sp.Endpoints, ep)
			}
		}
	}
}

// slicePortMismatch warns about the ports of a Service's slices that no Service port takes:
// kube-proxy joins them by name (and protocol), so their endpoints are not used.
func slicePortMismatch(s *Service) []Diagnostic {
	var out []Diagnostic
	for _, e := range s.Backing {
		for _, p := range e.Ports {
			if servicePortNamed(s, p.Name, p.Protocol) {
				continue
			}
			field := e.portPath(p)
			port := strconv.Itoa(int(p.Port)) + "/" + string(p.Protocol)
			what := W("port {0} has no name", port)
			if p.Name != "" {
				what = W("port {0} is named {1}", port, quote(p.Name))
			}
			out = append(out, e.diagW(Warning, CodeSlicePortMismatch, field,
				WW("{0} {1} {2}, and Service {3} has no {4} port of that name (its ports: {5}): kube-proxy joins slice ports to Service ports by name, so these endpoints are not used",
					Lit(e.Kind), Lit(quote(e.Name)), what, Lit(quote(s.Name)), Lit(string(p.Protocol)), Lit(servicePortNames(s))),
				W("give the {0} port the name of the Service port it serves", e.Kind)))
		}
	}
	return out
}

// portPath is the field path of a slice port ("ports[0]") or an Endpoints subset port.
func (e *EndpointsObject) portPath(p SlicePort) string {
	if e.Kind == "EndpointSlice" {
		return "ports[" + strconv.Itoa(p.Index) + "].name"
	}
	return "subsets"
}

func servicePortNamed(s *Service, name string, proto corev1.Protocol) bool {
	for _, sp := range s.Obj.Spec.Ports {
		if sp.Name == name && sp.Protocol == proto {
			return true
		}
	}
	return false
}

func servicePortNames(s *Service) string {
	var names []string
	for _, sp := range s.Obj.Spec.Ports {
		n := quote(sp.Name)
		if sp.Name == "" {
			n = "unnamed"
		}
		names = append(names, n+" "+strconv.Itoa(int(sp.Port))+"/"+string(sp.Protocol))
	}
	return strings.Join(names, ", ")
}

// orphanSlices warns about EndpointSlices kube-proxy ignores: no kubernetes.io/service-name
// label, or one that names no Service of the input.
func orphanSlices(c *Cluster) []Diagnostic {
	services := make(map[string]bool, len(c.Services))
	for _, s := range c.Services {
		services[s.Namespace+"/"+s.Name] = true
	}
	var out []Diagnostic
	for _, e := range c.Endpoints {
		if e.Kind != "EndpointSlice" {
			continue
		}
		switch {
		case e.Service == "":
			out = append(out, e.diagW(Warning, CodeSliceNoService, "metadata.labels",
				W("EndpointSlice {0} has no {1} label, so no Service uses it: kube-proxy ignores it", quote(e.Name), discoveryv1.LabelServiceName),
				W("label it {0}: NAME, the Service it serves", discoveryv1.LabelServiceName)))
		case !services[e.Namespace+"/"+e.Service]:
			out = append(out, e.diagW(Warning, CodeSliceNoService, "metadata.labels["+discoveryv1.LabelServiceName+"]",
				W("EndpointSlice {0} names Service {1}, which is not in namespace {2} of the input: kube-proxy ignores a slice whose Service does not exist", quote(e.Name), quote(e.Service), quote(e.Namespace)),
				W("create the Service {0}, or fix the label", quote(e.Service))))
		}
	}
	return out
}

func protocolOr(p corev1.Protocol) corev1.Protocol {
	if p == "" {
		return corev1.ProtocolTCP
	}
	return p
}

// deprecatedEndpoints is the API server's warning on v1 Endpoints, said once for the input (a
// dump holds one per Service): it still works, as the mirroring controller's slices.
func deprecatedEndpoints(c *Cluster) []Diagnostic {
	var first *EndpointsObject
	n := 0
	for _, e := range c.Endpoints {
		if e.Kind == "Endpoints" {
			if first == nil {
				first = e
			}
			n++
		}
	}
	if first == nil {
		return nil
	}
	msg := "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"
	if n > 1 {
		msg += " (" + itoa(n) + " Endpoints objects in the input)"
	}
	return []Diagnostic{first.diagH(Info, CodeDeprecatedEndpoints, "kind", msg,
		W("svcviz reads them as the EndpointSlices the mirroring controller makes of them (notReadyAddresses not ready)"))}
}
