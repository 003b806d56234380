package netsim

import (
	"strings"

	"github.com/svcviz/svcviz/model"
)

// clusterDomain is the cluster's DNS domain (kubelet's --cluster-domain default).
const clusterDomain = "cluster.local"

// ndots is the Pod resolv.conf option kubelet writes: a name with fewer dots is tried with
// the search domains first.
const ndots = 5

// dnsRecord is kube-dns's answer for one name: a Service's name, or a Pod's own name under a
// headless Service (StatefulSet Pods: web-0.nginx.default.svc.cluster.local).
type dnsRecord struct {
	fqdn string
	svc  *ServiceInfo
	pod  *PodInfo
	// unpublished is a Pod that would own the name but kube-dns does not publish: it is not
	// Ready and the Service does not publish not-ready addresses (the record is then absent).
	unpublished *PodInfo
}

// searchNames is the order in which a Pod's resolver tries a name: with the search domains of
// its namespace first when the name has fewer than ndots dots, the name as it is last (or
// first otherwise). A trailing dot makes the name absolute. DNS names are case-insensitive.
func searchNames(name, ns string) []string {
	name = strings.ToLower(name)
	if strings.HasSuffix(name, ".") {
		return []string{strings.TrimSuffix(name, ".")}
	}
	search := []string{ns + ".svc." + clusterDomain, "svc." + clusterDomain, clusterDomain}
	var out []string
	if strings.Count(name, ".") >= ndots {
		out = append(out, name)
	}
	for _, d := range search {
		out = append(out, name+"."+d)
	}
	if strings.Count(name, ".") < ndots {
		out = append(out, name)
	}
	return out
}

// resolve answers a name as kube-dns would for a Pod in namespace ns. It also returns the
// first name tried, which is what the narration shows when nothing answers.
func (s *Sim) resolve(name, ns string) (dnsRecord, bool) {
	miss := dnsRecord{fqdn: searchNames(name, ns)[0]}
	for _, fqdn := range searchNames(name, ns) {
		r, ok := s.lookup(fqdn)
		if ok {
			return r, true
		}
		if r.unpublished != nil && miss.unpublished == nil {
			miss = r
		}
	}
	return miss, false
}

// lookup finds the record of one fully qualified name. Services the API server would refuse
// exist in no cluster, so kube-dns knows no name of theirs.
func (s *Sim) lookup(fqdn string) (dnsRecord, bool) {
	for _, si := range s.Services {
		if si.DNSName == fqdn && s.Valid(si) {
			return dnsRecord{fqdn: fqdn, svc: si}, true
		}
	}
	host, rest, ok := strings.Cut(fqdn, ".")
	if !ok {
		return dnsRecord{}, false
	}
	for _, si := range s.Services {
		if !si.Svc.Headless() || si.DNSName != rest || !s.Valid(si) {
			continue
		}
		pi := s.namedPod(si, host)
		if pi == nil {
			continue
		}
		// CoreDNS publishes a Pod's own name from the Service's endpoints: Ready Pods only,
		// unless the Service publishes not-ready addresses.
		if r := pi.Pod.Readiness(); !r.Ready && !(si.Svc.Obj.Spec.PublishNotReadyAddresses && r.Endpoint) {
			return dnsRecord{fqdn: fqdn, svc: si, unpublished: pi}, false
		}
		return dnsRecord{fqdn: fqdn, svc: si, pod: pi}, true
	}
	return dnsRecord{}, false
}

// governingCause finds why a per-Pod name (web-0.nginx) has no record although a Pod has that
// hostname: the model's diagnostic that its StatefulSet's serviceName (or its spec.subdomain)
// names no headless Service.
func (s *Sim) governingCause(name, ns string) *model.Diagnostic {
	host, rest, ok := strings.Cut(strings.ToLower(strings.TrimSuffix(name, ".")), ".")
	if !ok {
		return nil
	}
	sub, _, _ := strings.Cut(rest, ".")
	for _, pi := range s.Pods {
		spec := &pi.Pod.Obj.Spec
		if !strings.EqualFold(spec.Hostname, host) || !strings.EqualFold(spec.Subdomain, sub) {
			continue
		}
		ref := pi.Pod.Ref()
		if pi.Pod.Owner != nil {
			ref = pi.Pod.Owner.Ref()
		}
		for i := range s.Diagnostics {
			if d := &s.Diagnostics[i]; d.Object == ref && d.Code == model.CodeGoverningService {
				return d
			}
		}
	}
	return nil
}

// namedPod is the Pod a headless Service publishes as host: one it selects whose hostname
// and subdomain (set by the StatefulSet controller, or written in the Pod) match.
func (s *Sim) namedPod(si *ServiceInfo, host string) *PodInfo {
	for _, p := range si.Svc.Selected {
		spec := &p.Obj.Spec
		if spec.Subdomain == si.Svc.Name && strings.EqualFold(spec.Hostname, host) {
			return s.PodInfo(p)
		}
	}
	return nil
}

// nearestName suggests the Service name closest to one that did not resolve.
func (s *Sim) nearestName(name, ns string) model.Words {
	want := searchNames(name, ns)[0]
	best, bestD := "", 1<<30
	for _, si := range s.Services {
		if !s.Valid(si) {
			continue
		}
		if d := model.EditDistance(si.DNSName, want); d < bestD {
			best, bestD = si.DNSName, d
		}
	}
	if best == "" {
		return model.Words{}
	}
	return model.W("did you mean {0}?", best)
}
