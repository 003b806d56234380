package model

import (
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
)

// The API server's judgement of the EndpointSlice and Endpoints fields svcviz decodes
// (pkg/apis/discovery/validation ValidateEndpointSlice; pkg/apis/core/validation
// validateEndpointSubsets): addressType, the addresses, the ports' protocols. An object it
// refuses exists nowhere, so its endpoints are nobody's. Errors are CodeInvalidValue.

var portProtocols = []string{"SCTP", "TCP", "UDP"}

func validProtocol(p corev1.Protocol) bool {
	return p == corev1.ProtocolTCP || p == corev1.ProtocolUDP || p == corev1.ProtocolSCTP
}

// validateEndpointSlice: addressType is IPv4, IPv6 or FQDN; an IP address type's addresses are
// IP addresses, not special ones; ports' protocols (TCP when left out) are supported ones.
func validateEndpointSlice(m *Meta, o *discoveryv1.EndpointSlice) []Diagnostic {
	var out []Diagnostic
	add := func(e *field.Error, hint Words) { out = append(out, m.apiError(CodeInvalidValue, e, "", hint)) }
	at := o.AddressType
	switch at {
	case discoveryv1.AddressTypeIPv4, discoveryv1.AddressTypeIPv6, discoveryv1.AddressTypeFQDN:
	case "":
		add(field.Required(field.NewPath("addressType"), ""), W("an EndpointSlice's addressType is IPv4, IPv6 or FQDN"))
	default:
		add(field.NotSupported(field.NewPath("addressType"), at, []string{"FQDN", "IPv4", "IPv6"}), nearestHint(string(at), []string{"FQDN", "IPv4", "IPv6"}))
	}
	if at == discoveryv1.AddressTypeIPv4 || at == discoveryv1.AddressTypeIPv6 {
		for i := range o.Endpoints {
			for j, a := range o.Endpoints[i].Addresses {
				p := field.NewPath("endpoints").Index(i).Child("addresses").Index(j)
				for _, e := range ipErrors(p, a) {
					add(e, W("an endpoint address is an IP address such as 10.244.0.5"))
				}
			}
		}
	}
	for i, sp := range o.Ports {
		if sp.Protocol != nil && !validProtocol(*sp.Protocol) {
			p := field.NewPath("ports").Index(i).Child("protocol")
			add(field.NotSupported(p, *sp.Protocol, portProtocols), nearestHint(string(*sp.Protocol), portProtocols))
		}
	}
	return out
}

// validateEndpoints: every address's ip is an IP address, not a special one; ports' protocols
// (TCP when left out) are supported ones.
//
//lint:ignore SA1019 people still write v1 Endpoints; svcviz reads them as the EndpointSlice mirroring controller does
func validateEndpoints(m *Meta, o *corev1.Endpoints) []Diagnostic {
	var out []Diagnostic
	add := func(e *field.Error, hint Words) { out = append(out, m.apiError(CodeInvalidValue, e, "", hint)) }
	for i, ss := range o.Subsets {
		sp := field.NewPath("subsets").Index(i)
		for _, list := range []struct {
			name string
			as   []corev1.EndpointAddress
		}{{"addresses", ss.Addresses}, {"notReadyAddresses", ss.NotReadyAddresses}} {
			for j, a := range list.as {
				for _, e := range ipErrors(sp.Child(list.name).Index(j).Child("ip"), a.IP) {
					add(e, W("an endpoint address is an IP address such as 10.244.0.5"))
				}
			}
		}
		for j, pt := range ss.Ports {
			if pt.Protocol != "" && !validProtocol(pt.Protocol) {
				add(field.NotSupported(sp.Child("ports").Index(j).Child("protocol"), pt.Protocol, portProtocols), nearestHint(string(pt.Protocol), portProtocols))
			}
		}
	}
	return out
}

// ipErrors is the API server's check of an endpoint address: an IP address, and not an
// unspecified, loopback or link-local one (ValidateNonSpecialIP).
func ipErrors(p *field.Path, ip string) field.ErrorList {
	if errs := validation.IsValidIPForLegacyField(p, ip, true, nil); len(errs) > 0 {
		return errs
	}
	return nonSpecialIP(p, ip)
}
