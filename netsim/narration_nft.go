package netsim

// The nftables mode's own sentences. Where a packet's fate is the same in both modes the
// hops reuse the iptables keys, so a class hears the same sentence; these are the hops that
// only nftables has, and the ones where the modes differ, which say how iptables mode does it.
func init() {
	for k, v := range narrationNftEN {
		narrationEN[k] = v
	}
	for k, v := range narrationNftKO {
		narrationKO[k] = v
	}
}

var narrationNftEN = map[string]string{
	"send.addr":            "{0} sends the packet to {1}, an address chosen for this trace rather than one {2} owns.",
	"nft.arrive.node":      "The packet arrives at {0}; the prerouting hook runs kube-proxy's nftables chains: filter-prerouting-pre-dnat (the LoadBalancer firewall), then nat-prerouting, which jumps to services.",
	"nft.arrive.pod":       "The packet leaves the Pod through its veth into {0}'s cni0 bridge; the prerouting hook runs kube-proxy's nat-prerouting, which jumps to services.",
	"nft.match.externalip": "The destination {0} is an externalIPs address of {1}: the service-ips verdict map sends it to {2}.",
	"nft.affinity.update":  "The endpoint chain records the client {0} in the set {1}: until sessionAffinity's timeout, its next connections go to the same Pod.",
	"nft.dnat":             "DNAT in the Service chain itself: the destination becomes {0}, Pod {1} on targetPort {2}. (iptables mode first jumps to a KUBE-SEP- chain for the endpoint and DNATs there.)",
	"nft.dnat.slice":       "DNAT in the Service chain itself: the destination becomes {0}, the address and port its {3} lists. (iptables mode first jumps to a KUBE-SEP- chain for the endpoint and DNATs there.)",
	"nft.dnat.named":       "DNAT in the Service chain itself: the destination becomes {0}: the named targetPort {2} resolves to Pod {1}'s containerPort. (iptables mode DNATs in a per-endpoint KUBE-SEP- chain.)",
	"nft.snat.hairpin":     "Masquerade: the Pod reached itself through the Service and the connection is in the hairpin-connections set, so the source becomes {0}:{3} (was {1}:{4}) and the reply comes back through {2}. (iptables mode marks such packets in the KUBE-SEP- chain instead.)",
	"nft.reject.badport":   "{0} is a ClusterIP, but no Service serves port {1} on it: cluster-ips-check rejects the packet (ICMP port unreachable). iptables mode has no such rule: the packet would leave the node by its default route and time out.",
	"nft.drop.unallocated": "{0} is inside the Service CIDR {1}, but no Service has it: cluster-ips-check drops the packet. iptables mode has no such rule: the packet would leave the node by its default route and time out.",
	"nft.localhost":        "{0} is a localhost nodePort: nftables mode accepts NodePorts only on the node's own IPs (the nodeport-ips set, here {1}), so no rule matches and nothing listens there: the node answers with a TCP RST. iptables mode serves localhost nodePorts (route_localnet).",
	"nft.firewall.allow":   "The source {0} is inside loadBalancerSourceRanges of {1}: firewall-check, which runs before DNAT and so still sees the LoadBalancer IP, lets it through.",
	"nft.drop.firewall":    "The source {0} is outside loadBalancerSourceRanges of {1}: the firewall chain drops the packet before DNAT.",
}

var narrationNftKO = map[string]string{
	"send.addr":            "{0}에서 패킷을 {1}(으)로 보냅니다: {2}의 주소가 아니라 이 추적을 위해 고른 주소입니다.",
	"nft.arrive.node":      "패킷이 {0}에 도착합니다. prerouting 훅이 kube-proxy의 nftables 체인을 실행합니다: 먼저 filter-prerouting-pre-dnat(LoadBalancer 방화벽), 다음으로 services로 점프하는 nat-prerouting입니다.",
	"nft.arrive.pod":       "패킷이 Pod의 veth를 지나 {0}의 cni0 브리지로 나옵니다. prerouting 훅이 kube-proxy의 nat-prerouting을 실행하고, 이것이 services로 점프합니다.",
	"nft.match.externalip": "목적지 {0}은(는) {1}의 externalIPs 주소입니다: service-ips 판정 맵이 패킷을 {2}(으)로 보냅니다.",
	"nft.affinity.update":  "엔드포인트 체인이 클라이언트 {0}을(를) 집합 {1}에 기록합니다: sessionAffinity의 타임아웃까지 이 클라이언트의 다음 연결도 같은 Pod로 갑니다.",
	"nft.dnat":             "서비스 체인 안에서 바로 DNAT합니다: 목적지가 {0}(으)로 바뀝니다. Pod {1}의 targetPort {2}입니다. (iptables 모드에서는 먼저 엔드포인트별 KUBE-SEP- 체인으로 점프한 뒤 그곳에서 DNAT합니다.)",
	"nft.dnat.slice":       "서비스 체인 안에서 바로 DNAT합니다: 목적지가 {0}(으)로 바뀝니다. {3}에 적힌 주소와 포트입니다. (iptables 모드에서는 먼저 엔드포인트별 KUBE-SEP- 체인으로 점프한 뒤 그곳에서 DNAT합니다.)",
	"nft.dnat.named":       "서비스 체인 안에서 바로 DNAT합니다: 목적지가 {0}(으)로 바뀝니다. 이름 있는 targetPort {2}이(가) Pod {1}의 containerPort로 풀립니다. (iptables 모드에서는 엔드포인트별 KUBE-SEP- 체인에서 DNAT합니다.)",
	"nft.snat.hairpin":     "마스커레이드: Pod가 서비스를 통해 자기 자신에게 연결했고 그 연결이 hairpin-connections 집합에 있으므로 출발지가 {0}:{3}(으)로 바뀝니다(원래 {1}:{4}). 그래서 응답이 {2}을(를) 거쳐 돌아옵니다. (iptables 모드에서는 KUBE-SEP- 체인에서 이런 패킷에 마스커레이드 표시를 붙입니다.)",
	"nft.reject.badport":   "{0}은(는) ClusterIP이지만 그 IP에서 포트 {1}을(를) 제공하는 서비스가 없습니다: cluster-ips-check가 패킷을 거부합니다(ICMP port unreachable). iptables 모드에는 이런 규칙이 없어서 패킷이 기본 경로로 노드를 떠나고 시간 초과로 끝납니다.",
	"nft.drop.unallocated": "{0}은(는) 서비스 CIDR {1} 안에 있지만 어떤 서비스도 이 IP를 쓰지 않습니다: cluster-ips-check가 패킷을 버립니다. iptables 모드에는 이런 규칙이 없어서 패킷이 기본 경로로 노드를 떠나고 시간 초과로 끝납니다.",
	"nft.localhost":        "{0}은(는) localhost NodePort입니다: nftables 모드는 노드 자신의 IP(nodeport-ips 집합, 여기서는 {1})에서만 NodePort를 받으므로 맞는 규칙이 없고, 그곳에서 수신 대기하는 것도 없어 노드가 TCP RST로 답합니다. iptables 모드는 localhost NodePort도 받아 줍니다(route_localnet).",
	"nft.firewall.allow":   "출발지 {0}은(는) {1}의 loadBalancerSourceRanges 안에 있습니다: DNAT보다 먼저 실행되어 아직 LoadBalancer IP를 보는 firewall-check가 통과시킵니다.",
	"nft.drop.firewall":    "출발지 {0}은(는) {1}의 loadBalancerSourceRanges 밖에 있습니다: 방화벽 체인이 DNAT 전에 패킷을 버립니다.",
}
