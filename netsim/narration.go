package netsim

import (
	"slices"

	"github.com/svcviz/svcviz/internal/i18n"
)

// The narration is worded through the one catalogue, internal/i18n: netsim adds its
// sentences there, each under the key a hop's Narration names.
func init() {
	i18n.Add("en", narrationEN)
	i18n.Add("ko", narrationKO)
}

// Text is the hop's one plain sentence in a language ("en", "ko"); unknown languages get
// English. Arguments fill {0}, {1}, … in the message (see i18n.Text).
func (h Hop) Text(lang string) string {
	args := h.Args
	if lang != "en" && len(h.ArgWords) > 0 {
		args = slices.Clone(args)
		for i, w := range h.ArgWords {
			if i < len(args) {
				args[i] = w.In(lang)
			}
		}
	}
	return i18n.Text(lang, h.Narration, args...)
}

// narrationEN is the English catalogue: one plain sentence per kind of hop.
var narrationEN = map[string]string{
	"who.client":                 "The client {v}",
	"who.pod":                    "Pod {v}",
	"who.node":                   "Node {v}",
	"send.nodeport":              "{0} sends the packet to {1}: the node's IP and the nodePort of {2}.",
	"send.nodeport.loopback":     "{0} sends the packet to {1}: the nodePort of {2} on the node's own loopback address.",
	"send.lb":                    "{0} sends the packet to {1}, the LoadBalancer IP of {2}.",
	"send.clusterip":             "{0} sends the packet to {1}: the ClusterIP and port of {2}.",
	"send.direct":                "{0} connects straight to Pod {2} at {1}, on the Service port it dialled: a headless Service has no virtual IP, so no rule rewrites anything and targetPort is not used.",
	"send.direct.addr":           "{0} connects straight to {1}, an address of the Service's endpoints, on the Service port it dialled: a headless Service has no virtual IP, so no rule rewrites anything and targetPort is not used.",
	"arrive.node":                "The packet arrives at {0}; netfilter's PREROUTING hook hands it to kube-proxy's KUBE-SERVICES chain.",
	"arrive.pod":                 "The packet leaves the Pod through its veth into {0}'s cni0 bridge; PREROUTING hands it to KUBE-SERVICES.",
	"match.tonodeports":          "No ClusterIP matches {1}'s destination, and it is an address of this node, so the last rule sends it to KUBE-NODEPORTS.",
	"match.nodeport":             "kube-proxy sends the packet that came in on NodePort {0} to the rules of {1} ({2}).",
	"match.nodeport.localhost":   "The node sends to 127.0.0.1:{0}: kube-proxy's localhost rule (-d 127.0.0.0/8) takes the nodePort of {1} too ({2}). It works because kube-proxy sets net.ipv4.conf.all.route_localnet=1, so the kernel may route a loopback address out to a Pod.",
	"match.clusterip":            "The destination {0} is the ClusterIP and port of {1}, so kube-proxy jumps to {2}.",
	"match.lb":                   "The destination {0} is the LoadBalancer IP of {1}, so kube-proxy jumps to {2}.",
	"match.ext":                  "External traffic for {1} goes on to the Service chain {0}.",
	"match.jump":                 "{0} jumps to {1}.",
	"mark.external":              "The packet came from outside, so it is marked for masquerade (externalTrafficPolicy: Cluster): its source will be rewritten.",
	"mark.nodeself":              "The node is sending to its own nodePort, so the packet is marked for masquerade.",
	"mark.outside":               "The source {0} is outside the pod network, so the packet is marked for masquerade.",
	"mark.hairpin":               "The Pod is talking to itself through the Service (hairpin), so the packet is marked for masquerade.",
	"teach.serviceport.lb":       "The LoadBalancer address {0} leads to the Service port {1} of {2}: the same chain the ClusterIP uses. On the wire the packet never carries the ClusterIP.",
	"teach.serviceport":          "NodePort {0} leads to the Service port {1} of {2}: the same chain the ClusterIP uses. On the wire the packet never carries the ClusterIP.",
	"choose":                     "kube-proxy picks {0} at random among the {1} endpoints of {2}, the Pods its selector chose.",
	"choose.forced":              "{0} is chosen among the {1} endpoints of {2}, the Pods its selector chose: forced (by --endpoint or the Pod picked on screen), where kube-proxy would pick one at random.",
	"choose.slice.forced":        "{0} is chosen among the {1} endpoints of {2}, the addresses its {3} lists since {2} has no selector: forced (by --endpoint or the Pod picked on screen), where kube-proxy would pick one at random.",
	"choose.affinity.set.forced": "{0} is chosen among the {1} endpoints of {2}: forced (by --endpoint or the Pod picked on screen), where kube-proxy would pick one at random; sessionAffinity: ClientIP records {4} in that endpoint's recent list: every connection from {4} in the next {3}s goes to {0} too.",
	"choose.one":                 "kube-proxy picks {0}, the only endpoint of {2}: the one Pod its selector chose.",
	"choose.slice":               "kube-proxy picks {0} at random among the {1} endpoints of {2}: the addresses its {3} lists, since {2} has no selector.",
	"choose.slice.one":           "kube-proxy picks {0}, the only endpoint of {2}: the address its {3} lists, since {2} has no selector.",
	"choose.internal":            "internalTrafficPolicy: Local: kube-proxy picks {0} among the endpoints on this node only.",
	"choose.local":               "externalTrafficPolicy: Local: kube-proxy picks {0} among the endpoints on this node only.",
	"choose.affinity":            "sessionAffinity: ClientIP: this client went to {0} before, so it goes there again.",
	"choose.affinity.set":        "kube-proxy picks {0} at random among the {1} endpoints of {2}, and sessionAffinity: ClientIP records {4} in that endpoint's recent list: every connection from {4} in the next {3}s goes to {0} too.",
	"choose.affinity.set.one":    "kube-proxy picks {0}, the only endpoint of {2}, and sessionAffinity: ClientIP records {4} in that endpoint's recent list: every connection from {4} in the next {3}s goes to {0} too.",
	"dnat":                       "DNAT: the destination becomes {0}, Pod {1} on targetPort {2}.",
	"dnat.slice":                 "DNAT: the destination becomes {0}, the address and port its {3} lists (a Service without a selector does not use targetPort).",
	"dnat.named":                 "DNAT: the destination becomes {0}: the named targetPort {2} resolves to Pod {1}'s containerPort.",
	"reject":                     "{0} has no endpoints, so kube-proxy's REJECT rule answers {1} with ICMP port unreachable.",
	"drop.local":                 "externalTrafficPolicy: Local and no endpoint of {0} runs on {1}: the packet is dropped.",
	"drop.filter":                "The filter table drops the packet in {0}.",
	"snat":                       "Masquerade: the source becomes {0}:{3} (was {1}:{4}), so the reply comes back through this node. --random-fully also gives the connection a new source port: random in a real cluster, here derived from --seed. conntrack remembers the mapping.",
	"snat.overlay":               "Masquerade: the source becomes {0}:{3} (was {1}:{4}), node {2}'s flannel.1 (VXLAN) address toward the other nodes' Pods, so the reply comes back through this node. --random-fully also gives the connection a new source port: random in a real cluster, here derived from --seed. conntrack remembers the mapping.",
	"keepsource":                 "externalTrafficPolicy: Local: no masquerade, the Pod sees the client's own address {0}.",
	"route.local":                "The packet crosses the cni0 bridge ({0}) to Pod {1}'s veth.",
	"route.overlay":              "The endpoint runs on {1}: the packet crosses the node network from {0} to {1}'s pod subnet {2}.",
	"refuse.node":                "No kube-proxy rule knows {0}, an address of {1}: the packet goes up {1}'s own network stack, where nothing in the simulated cluster listens on that port, so the kernel answers with a TCP RST (connection refused).",
	"refuse.node.udp":            "No kube-proxy rule knows {0}, an address of {1}: the datagram goes up {1}'s own network stack, where no socket in the simulated cluster takes it, so the kernel answers with ICMP port unreachable.",
	"refuse.node.sctp":           "No kube-proxy rule knows {0}, an address of {1}: the packet goes up {1}'s own network stack, where nothing in the simulated cluster listens on that port, so the kernel answers with an SCTP ABORT.",
	"route.default":              "No kube-proxy rule knows {0}: {1} routes the packet by its default route, out of the simulated cluster. Nothing there answers, so the client's connection times out.",
	"route.default.badport":      "No kube-proxy rule knows {0}: the ClusterIP serves other ports only, so {1} routes the packet by its default route, out of the simulated cluster. Nothing there answers, so the client's connection times out.",
	"route.outside":              "The packet leaves the node toward {0}, outside the simulated pod network.",
	"deliver":                    "Delivered: container {1} of Pod {0} listens on port {2}.",
	"deliver.undeclared":         "Delivered to Pod {0} on port {1}: no container declares any port (containerPort is only informational), so svcviz assumes the app listens there.",
	"deliver.host":               "Delivered: Pod {0} uses the node's network, and container {1} listens on port {2}.",
	"refuse":                     "Pod {0} declares {2} but not {1}. svcviz assumes a container listens only on the ports it declares, so nothing listens on {1} and the Pod answers with a TCP RST (connection refused). If the app does listen there, declare it ({3}).",
	"refuse.udp":                 "Pod {0} declares {2} but not {1}. svcviz assumes a container listens only on the ports it declares, so no socket takes the datagram and the Pod's kernel answers with ICMP port unreachable. If the app does listen there, declare it ({3}).",
	"refuse.sctp":                "Pod {0} declares {2} but not {1}. svcviz assumes a container listens only on the ports it declares, so no socket takes the association and the Pod's kernel answers with an SCTP ABORT. If the app does listen there, declare it ({3}).",
	"reply":                      "The reply goes back; conntrack undoes the NAT, so the client sees it come from {0}.",
	"reply.direct":               "The reply goes straight back from {0} to {1}: nothing was rewritten.",
	"reply.rst":                  "The RST travels back: the client's connect() fails with connection refused.",
	"reply.icmp.pod":             "ICMP port unreachable travels back to {0}; conntrack undoes the NAT inside it, so it comes from {1}: the client's next receive on its UDP socket fails with connection refused.",
	"reply.abort":                "The ABORT travels back: the client's SCTP association fails (connection refused).",
	"reply.icmp":                 "ICMP port unreachable goes back to {0}: its connect() fails at once.",
	"reply.icmp.udp":             "ICMP port unreachable goes back to {0}: its UDP socket's next receive fails with connection refused.",
	"reply.icmp.sctp":            "ICMP port unreachable goes back to {0}: its SCTP association fails at once.",
	"dns.query":                  "Before connecting, the resolver asks kube-dns ({2}) for {0}, searching {1}.",
	"dns.query.node":             "A process on the node asks kube-dns ({2}) directly for {0}: the node's own resolver does not know cluster names; with the default namespace's search path that is {1}.",
	"dns.pod":                    "kube-dns answers {0} with {1}: Pod {2}'s own record, published because the headless Service {3} governs it.",
	"dns.answer":                 "kube-dns answers: {0} is {1}, the Service's ClusterIP.",
	"dns.headless":               "kube-dns answers {0} with the Pod IPs themselves ({1}): a headless Service has no ClusterIP.",
	"dns.headless.slice":         "kube-dns answers {0} with the addresses its {2} lists ({1}): a headless Service has no ClusterIP, and without a selector its records are those addresses.",
	"dns.noendpoints":            "kube-dns has no address for {0}: the headless Service has no ready Pods.",
	"dns.cname":                  "kube-dns answers {0} with a CNAME to {1}: an ExternalName Service is only a DNS alias; no packet is proxied.",
	"dns.cname.port":             "kube-dns answers {0} with a CNAME to {1}: an ExternalName Service is only a DNS alias, so no packet is proxied and its ports are not used: the client connects to {1} on the port it dials, {2} (targetPort plays no part).",
	"dns.nxdomain":               "kube-dns has no Service named {0}: NXDOMAIN.",
	"dns.nxdomain.notready":      "kube-dns has no record {0}: Pod {1} is {2}, and the headless Service {3} publishes only Ready Pods (spec.publishNotReadyAddresses is false): NXDOMAIN.",
	"dns.nxdomain.governing":     "kube-dns has no record {0}: NXDOMAIN. {1}",
}
