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
	for _, fqdn := range searchNames(name, ns) {
		if r, ok := s.lookup(fqdn); ok {
			return r, true
		}
	}
	return dnsRecord{fqdn: searchNames(name, ns)[0]}, false
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
		if pi := s.namedPod(si, host); pi != nil {
			return dnsRecord{fqdn: fqdn, svc: si, pod: pi}, true
		}
	}
	return dnsRecord{}, false
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
func (s *Sim) nearestName(name, ns string) string {
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
		return ""
	}
	return "did you mean " + best + "?"
}
