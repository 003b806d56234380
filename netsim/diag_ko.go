package netsim

import "github.com/svcviz/svcviz/internal/i18n"

func init() { i18n.Add("ko", diagKO) }

// diagKO words the explanations and hints of the diagnostics netsim adds (addresses it cannot
// give, simulated load balancers) in Korean, keyed by their English template (model.Words;
// diag_ko_test.go checks that each has its entry).
var diagKO = map[string]string{
	// Hints of traces that stop at kube-dns.
	"did you mean {0}?": "{0}을(를) 뜻했나요?",
	"{0} ({1})":         "{0} ({1})",
	"Pod {0} is {1}: kube-dns publishes a headless Service's Pods only when Ready; set spec.publishNotReadyAddresses: true on Service {2} to publish them before": "Pod {0}의 상태: {1}. kube-dns는 headless Service의 Pod를 Ready일 때만 알립니다. 그 전에 알리려면 Service {2}에 spec.publishNotReadyAddresses: true를 설정하세요",

	"leave clusterIP out to have one allocated, or pass --service-cidr to match the cluster": "clusterIP를 적지 말고 할당받거나 클러스터에 맞는 --service-cidr를 주세요",
	"clusterIP {0} belongs to {1}; leave clusterIP out to have one allocated":                "clusterIP {0}은(는) {1}의 것입니다. clusterIP를 적지 말고 할당받으세요",
	"its nodePort on every node":                                         "모든 노드의 nodePort",
	"nodePort {0} ({1}) on every node":                                   "모든 노드의 nodePort {0}({1})",
	"each one's nodePort on every node":                                  "모든 노드에 있는 각 Service의 nodePort",
	"no status.loadBalancer: svcviz gives {0} the simulated address {1}": "status.loadBalancer가 없습니다. svcviz는 {0}에 흉내 낸 주소 {1}을(를) 줍니다",
	"{0} LoadBalancer Services have no status.loadBalancer: svcviz gives them simulated addresses ({1})":                                        "LoadBalancer Service {0}개에 status.loadBalancer가 없습니다. svcviz는 이들에 흉내 낸 주소를 줍니다 ({1})",
	"{0} from a MetalLB-style pool; a cluster without a load-balancer controller shows EXTERNAL-IP <pending>, and {1} is the way in":            "{0}. 주소는 MetalLB 방식의 풀에서 나옵니다. load-balancer 컨트롤러가 없는 클러스터에서는 EXTERNAL-IP가 <pending>으로 보이고 들어오는 길은 {1}입니다",
	"a dump from a cloud cluster carries the real address in status.loadBalancer.ingress":                                                       "클라우드 클러스터에서 뜬 덤프에는 status.loadBalancer.ingress에 실제 주소가 있습니다",
	"node {0}'s pod subnet {1} is outside the pod network {2}":                                                                                  "노드 {0}의 pod subnet {1}이(가) pod network {2} 밖에 있습니다",
	"pass --pod-cidr to match the cluster the dump came from":                                                                                   "덤프를 뜬 클러스터에 맞는 --pod-cidr를 주세요",
	"node {0}'s pod subnet {1} has no address left for {2} Pod(s), starting with {3}: they get no IP and never start, so they are no endpoints": "노드 {0}의 pod subnet {1}에 {3}부터 Pod {2}개에 줄 주소가 남아 있지 않습니다. 이 Pod들은 IP를 받지 못해 시작하지 못하고 endpoint도 되지 못합니다",
	"a /24 holds 253 Pods: add nodes (--nodes), or fewer replicas":                                                                              "/24에는 Pod가 253개 들어갑니다. 노드를 늘리거나(--nodes) replicas를 줄이세요",
	"status.podIP {0} is outside the pod network {1}":                                                                                           "status.podIP {0}이(가) pod network {1} 밖에 있습니다",
	"status.podIP {0} is outside the pod subnet {1} of node {2}, where the Pod runs":                                                            "status.podIP {0}이(가) Pod가 실행되는 노드 {2}의 pod subnet {1} 밖에 있습니다",
	"each node hands out Pod addresses from its own subnet (spec.podCIDR): check spec.nodeName and status.podIP":                                "노드마다 자기 subnet(spec.podCIDR)에서 Pod 주소를 나눠 줍니다. spec.nodeName과 status.podIP를 확인하세요",
}
