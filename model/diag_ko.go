package model

import "github.com/svcviz/svcviz/internal/i18n"

func init() { i18n.Add("ko", koDiagWords) }

// koDiagWords words svcviz's diagnostic explanations and hints in Korean, keyed by their
// English template (Words; diag_ko_test.go checks that every template has its entry). Kubernetes
// terms, field paths, names and values stay as written; a particle after an argument is written
// in its two-way form (을(를), (으)로 …) and chosen by how the argument is read (i18n.Apply).
// Where English writes a semicolon, Korean ends the sentence.
var koDiagWords = map[string]string{
	// Joining parts.
	"{0}; {1}":          "{0}. {1}",
	"{0}, {1}":          "{0}, {1}",
	"{0}, … ({1} more)": "{0}, … (외 {1}개)",

	// Selectors and endpoints.
	"selector {0} matches no Pod in namespace {1}":                                                                      "selector {0}에 맞는 Pod가 namespace {1}에 없습니다",
	"selector {0} matches {1} Pod(s) in namespace {2}, but none is ready, so the Service has no ready endpoint: {3}":    "selector {0}에 맞는 Pod가 namespace {2}에 {1}개 있지만 준비된 Pod가 없어 Service에 준비된 endpoint가 없습니다: {3}",
	"{0}; kube-proxy falls back to the {1} terminating Pod(s) still passing readiness":                                  "{0}. kube-proxy는 아직 readiness를 통과하는 종료 중 Pod {1}개로 대신 보냅니다",
	"selector {0} selects Pods of {1} workloads: {2}":                                                                   "selector {0}이(가) 워크로드 {1}개의 Pod를 고릅니다: {2}",
	"Service has no selector, and no Endpoints or EndpointSlice object names it, so it has no endpoints":                "Service에 selector가 없고 이 Service를 가리키는 Endpoints나 EndpointSlice 객체도 없어서 endpoint가 없습니다",
	"targetPort {0} names no {1} container port of {2}, so those Pods get no endpoint on this port":                     "targetPort {0}은(는) {2}의 {1} 컨테이너 포트 이름이 아니어서 이 Pod들은 이 포트의 endpoint가 되지 못합니다",
	"{0} {1} is not a containerPort of {2}; traffic still goes to port {1}, but nothing says a container listens there": "{0} {1}은(는) {2}의 containerPort가 아닙니다. 트래픽은 그래도 포트 {1}(으)로 가지만 그 포트에서 수신 대기하는 컨테이너가 있다는 선언은 없습니다",
	"port {0} is {1}, but {2} declares targetPort {3} with another protocol: {4}":                                       "포트 {0}은(는) {1}인데 {2}은(는) targetPort {3}을(를) 다른 프로토콜로 선언합니다: {4}",

	// Hints about selectors and endpoints.
	"nearest: {0} has labels {1}; {2}":                                                           "가장 가까운 것: {0}의 레이블은 {1}입니다. {2}",
	"selector wants {0}, the Pod has {1}":                                                        "selector는 {0}을(를) 원하는데 Pod에는 {1}이(가) 있습니다",
	"selector wants {0}, the Pod has no {1} label":                                               "selector는 {0}을(를) 원하는데 Pod에는 {1} 레이블이 없습니다",
	"namespace {0} has no Pods":                                                                  "namespace {0}에 Pod가 없습니다",
	"the Pods in namespace {0} have {1}":                                                         "namespace {0}의 Pod 레이블: {1}",
	"{0} in namespace {1}":                                                                       "namespace {1}의 {0}",
	"would match {0}: a Service only selects Pods in its own namespace":                          "{0}에는 맞습니다. 하지만 Service는 자기 namespace의 Pod만 고릅니다",
	"it matches {0} {1}, which runs no Pods (replicas: 0)":                                       "{0} {1}에 맞지만 이 워크로드는 Pod를 실행하지 않습니다 (replicas: 0)",
	"it matches {0} {1}, which the API server refuses (see its diagnostics), so it runs no Pods": "{0} {1}에 맞지만 API 서버가 이 객체를 거부하므로(그 진단을 보세요) Pod가 실행되지 않습니다",
	"it matches Pod {0}, which the API server refuses (see its diagnostics), so it exists nowhere and is no endpoint":                                                                                                                            "Pod {0}에 맞지만 API 서버가 이 Pod를 거부하므로(그 진단을 보세요) 어디에도 없고 endpoint도 되지 못합니다",
	"kube-proxy sends traffic only to Pods whose Ready condition is True: see why with kubectl describe pod (readiness probe, containers not started)":                                                                                           "kube-proxy는 Ready 조건이 True인 Pod에만 트래픽을 보냅니다. 이유는 kubectl describe pod로 확인하세요 (readiness probe, 시작되지 않은 컨테이너)",
	"kube-proxy sends traffic only to Pods whose Ready condition is True: see why with kubectl describe pod (readiness probe, containers not started), or set spec.publishNotReadyAddresses: true if they must be reached before they are ready": "kube-proxy는 Ready 조건이 True인 Pod에만 트래픽을 보냅니다. 이유는 kubectl describe pod로 확인하세요 (readiness probe, 시작되지 않은 컨테이너). 준비되기 전에도 도달해야 한다면 spec.publishNotReadyAddresses: true를 설정하세요",
	"traffic is spread over all of them; narrow the selector if that is not meant":                                                                                                                                                               "트래픽은 이들 모두에 나뉘어 갑니다. 의도한 것이 아니라면 selector를 좁히세요",
	"with sessionAffinity: ClientIP each client sticks to the Pod its first connection reached (for sessionAffinityConfig.clientIP.timeoutSeconds); different clients land on any of them; narrow the selector if that is not meant":             "sessionAffinity: ClientIP이면 각 클라이언트는 첫 연결이 닿은 Pod에 (sessionAffinityConfig.clientIP.timeoutSeconds 동안) 붙어 있고 클라이언트마다 이들 중 아무 Pod에나 닿습니다. 의도한 것이 아니라면 selector를 좁히세요",
	"add spec.selector with the labels of the Pods to reach, or an EndpointSlice labelled kubernetes.io/service-name: {0} (or an Endpoints object named {1}, deprecated since 1.33)":                                                             "도달할 Pod의 레이블로 spec.selector를 추가하거나 kubernetes.io/service-name: {0} 레이블이 붙은 EndpointSlice를 추가하세요 (또는 이름이 {1}인 Endpoints 객체, 1.33부터 사용 중단)",
	"declared: {0}": "선언된 포트: {0}",
	"the selected containers declare no ports at all": "선택된 컨테이너가 포트를 하나도 선언하지 않습니다",
	"did you mean {0}? {1}":                           "{0}을(를) 뜻했나요? {1}",
	"did you mean {0}?":                               "{0}을(를) 뜻했나요?",
	"did you mean {0}? values are case-sensitive":     "{0}을(를) 뜻했나요? 값은 대소문자를 구분합니다",
	"containerPort's protocol defaults to TCP: if the app listens on {0}, declare protocol: {0} on the container port; list the port twice to serve both": "containerPort의 protocol 기본값은 TCP입니다. 앱이 {0}(으)로 수신 대기한다면 컨테이너 포트에 protocol: {0}을(를) 선언하세요. 둘 다 받으려면 포트를 두 번 적으세요",

	// Hints to errors the API server would return.
	"a {0} Service needs at least one port; only headless and ExternalName Services may have none":                                                          "{0} Service에는 포트가 하나 이상 있어야 합니다. 포트가 없어도 되는 것은 headless와 ExternalName Service뿐입니다",
	"externalTrafficPolicy applies to NodePort and LoadBalancer Services (or externalIPs); remove it, or change the type":                                   "externalTrafficPolicy는 NodePort와 LoadBalancer Service(또는 externalIPs)에 적용됩니다. 지우거나 type을 바꾸세요",
	"a label key is an optional DNS subdomain prefix and '/', then at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit": "레이블 키는 생략할 수 있는 DNS 서브도메인 접두사와 '/' 뒤에 문자, 숫자, '-', '_', '.'로 된 63자 이하의 이름이 오며 문자나 숫자로 시작하고 끝나야 합니다",
	"a label value is empty or at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit":                                     "레이블 값은 비어 있거나 문자, 숫자, '-', '_', '.'로 된 63자 이하이며 문자나 숫자로 시작하고 끝나야 합니다",
	"names are lower case letters, digits and '-'":                                                                                                                               "이름은 소문자, 숫자, '-'로 씁니다",
	"when a Service has more than one port, every port needs a name":                                                                                                             "Service에 포트가 둘 이상이면 모든 포트에 이름이 있어야 합니다",
	"Service port names are at most 63 lower case letters, digits and '-', starting and ending with a letter or digit":                                                           "Service 포트 이름은 소문자, 숫자, '-'로 된 63자 이하이며 문자나 숫자로 시작하고 끝나야 합니다",
	"a named targetPort must be the name of a container port (lower case, at most 15 characters)":                                                                                "이름으로 쓴 targetPort는 컨테이너 포트의 이름이어야 합니다 (소문자, 15자 이하)",
	"nodePort only exists on NodePort and LoadBalancer Services: set type: NodePort, or remove nodePort":                                                                         "nodePort는 NodePort와 LoadBalancer Service에만 있습니다. type: NodePort로 설정하거나 nodePort를 지우세요",
	"pick a nodePort between 30000 and 32767, or leave it out to have one allocated":                                                                                             "30000에서 32767 사이의 nodePort를 고르거나 적지 말고 할당받으세요",
	"port names must be unique within a Service":                                                                                                                                 "포트 이름은 Service 안에서 겹치지 않아야 합니다",
	"port {0} is listed twice; give each port its own number":                                                                                                                    "포트 {0}이(가) 두 번 적혀 있습니다. 포트마다 다른 번호를 주세요",
	"a headless Service has no virtual IP, so it cannot have a nodePort: use type ClusterIP, or drop clusterIP: None":                                                            "headless Service에는 가상 IP가 없어서 nodePort를 가질 수 없습니다. type ClusterIP를 쓰거나 clusterIP: None을 지우세요",
	"leave clusterIP out to have one allocated":                                                                                                                                  "clusterIP를 적지 말고 할당받으세요",
	"nodePort {0} is already used by {1}; pick another or leave it out":                                                                                                          "nodePort {0}은(는) 이미 {1}에서 쓰고 있습니다. 다른 값을 고르거나 적지 마세요",
	"an EndpointSlice's addressType is IPv4, IPv6 or FQDN":                                                                                                                       "EndpointSlice의 addressType은 IPv4, IPv6, FQDN 중 하나입니다",
	"an endpoint address is an IP address such as 10.244.0.5":                                                                                                                    "endpoint 주소는 10.244.0.5 같은 IP 주소입니다",
	"namespace names are at most 63 lower case letters, digits and '-'":                                                                                                          "namespace 이름은 소문자, 숫자, '-'로 된 63자 이하입니다",
	"spec.nodeName names a Node: lower case letters, digits, '-' and '.'":                                                                                                        "spec.nodeName은 Node의 이름입니다: 소문자, 숫자, '-', '.'",
	"a hostNetwork Pod listens on the node's own ports: leave hostPort out, or set it to {0}":                                                                                    "hostNetwork Pod는 노드 자신의 포트에서 수신 대기합니다. hostPort를 적지 않거나 {0}(으)로 설정하세요",
	"container port names are at most 15 lower case letters, digits and '-'":                                                                                                     "컨테이너 포트 이름은 소문자, 숫자, '-'로 된 15자 이하입니다",
	"port names are unique within a container":                                                                                                                                   "포트 이름은 컨테이너 안에서 겹치지 않아야 합니다",
	"every container port needs a containerPort":                                                                                                                                 "모든 컨테이너 포트에는 containerPort가 있어야 합니다",
	"every container needs a name":                                                                                                                                               "모든 컨테이너에는 이름이 있어야 합니다",
	"container names are at most 63 lower case letters, digits and '-'":                                                                                                          "컨테이너 이름은 소문자, 숫자, '-'로 된 63자 이하입니다",
	"container names must be unique within a Pod, init containers included":                                                                                                      "컨테이너 이름은 init 컨테이너를 포함해 Pod 안에서 겹치지 않아야 합니다",
	"set spec.selector.matchLabels to labels of spec.template.metadata.labels":                                                                                                   "spec.selector.matchLabels를 spec.template.metadata.labels의 레이블로 설정하세요",
	"the API server refuses this {0}, so it creates no Pods: make spec.selector match spec.template.metadata.labels":                                                             "API 서버가 이 {0}을(를) 거부하므로 Pod가 만들어지지 않습니다. spec.selector가 spec.template.metadata.labels에 맞게 하세요",
	"an ExternalName Service is a DNS CNAME: set spec.externalName to the host name it aliases, e.g. db.example.com":                                                             "ExternalName Service는 DNS CNAME입니다. spec.externalName을 가리킬 호스트 이름(예: db.example.com)으로 설정하세요",
	"externalName is a DNS name (lower case letters, digits, '-' and '.'), not a URL or an IP address":                                                                           "externalName은 URL이나 IP 주소가 아니라 DNS 이름(소문자, 숫자, '-', '.')입니다",
	"appProtocol is an IANA service name (http, h2c) or a prefixed name such as kubernetes.io/ws":                                                                                "appProtocol은 IANA 서비스 이름(http, h2c)이거나 kubernetes.io/ws 같은 접두사가 붙은 이름입니다",
	"set type: LoadBalancer, or remove it":                                                                                                                                       "type: LoadBalancer로 설정하거나 이 필드를 지우세요",
	"a load balancer class is a prefixed name such as example.com/internal-vip":                                                                                                  "load balancer class는 example.com/internal-vip 같은 접두사가 붙은 이름입니다",
	"healthCheckNodePort is allocated for a LoadBalancer with externalTrafficPolicy: Local; remove it":                                                                           "healthCheckNodePort는 externalTrafficPolicy: Local인 LoadBalancer에 할당됩니다. 지우세요",
	"the ClientIP affinity timeout is 1 to 86400 seconds (one day); leave it out for 10800 (3 hours)":                                                                            "ClientIP affinity 제한 시간은 1초에서 86400초(하루)입니다. 적지 않으면 10800초(3시간)입니다",
	"set sessionAffinity: ClientIP, or remove sessionAffinityConfig":                                                                                                             "sessionAffinity: ClientIP로 설정하거나 sessionAffinityConfig를 지우세요",
	"source ranges filter a load balancer's clients: set type: LoadBalancer, or remove them":                                                                                     "source range는 load balancer의 클라이언트를 거릅니다. type: LoadBalancer로 설정하거나 지우세요",
	"a source range is a CIDR such as 10.0.0.0/8 (prefix length at most 32 for IPv4, 128 for IPv6)":                                                                              "source range는 10.0.0.0/8 같은 CIDR입니다 (prefix 길이는 IPv4에서 32, IPv6에서 128 이하)",
	"externalIPs are addresses routed to a node, such as 192.0.2.10":                                                                                                             "externalIPs는 192.0.2.10처럼 노드로 라우팅되는 주소입니다",
	"the cluster's --service-cidr has one family: use PreferDualStack (falls back to one family) or SingleStack; svcviz takes --service-cidr IPV4,IPV6 for a dual-stack cluster": "클러스터의 --service-cidr에는 family가 하나뿐입니다. PreferDualStack(family 하나로 물러남)이나 SingleStack을 쓰세요. dual-stack 클러스터라면 svcviz에 --service-cidr IPV4,IPV6을 주세요",
	"the cluster's --service-cidr has no range of this family: leave ipFamilies out, or pass --service-cidr with both ranges":                                                    "클러스터의 --service-cidr에 이 family의 범위가 없습니다. ipFamilies를 적지 않거나 두 범위를 모두 담은 --service-cidr를 주세요",
	"leave ipFamilyPolicy, ipFamilies and clusterIPs out to get the cluster's default":                                                                                           "클러스터 기본값을 쓰려면 ipFamilyPolicy, ipFamilies, clusterIPs를 적지 마세요",
}
