package main

import "github.com/svcviz/svcviz/internal/i18n"

// The Korean of the CLI's own words (words.go): counted with 개, no plurals, no semicolons in
// Korean prose; a step is a 홉 as on screen.
func init() {
	i18n.Add("ko", map[string]string{
		"no Services in the input": "입력에 Service가 없습니다",
		"(no ports)":               "(포트 없음)",
		"(refused by the API server: not created, see the errors below)":      "(API 서버가 거부하는 Service라 만들어지지 않습니다. 아래 오류를 보세요)",
		"(no endpoints; targetPort {0})":                                      "(엔드포인트 없음, targetPort {0})",
		"(a DNS alias: nothing is proxied, port and targetPort are not used)": "(DNS 별칭일 뿐이라 중계하지 않고 port와 targetPort도 쓰이지 않습니다)",
		"… ({0} more)": "… ({0}개 더)",
		"{0} Services, {1} errors, {2} warnings, {3} info": "Service {0}개, 오류 {1}개, 경고 {2}개, 정보 {3}개",
		"trace {0} --dst {1} via {2}":                      "추적 {0} --dst {1} 경로 {2}",
		"trace {0} port {1} via {2}":                       "추적 {0} 포트 {1} 경로 {2}",
		"trace {0} via {1}":                                "추적 {0} 경로 {1}",
		"(kube-proxy nftables mode)":                       "(kube-proxy nftables 모드)",
		"(teaching view only)":                             "(교육용 보기에만)",
		"(default)":                                        "(기본값)",
		"verdict: {0} at step {1}":                         "결과: {0}, 홉 {1}에서 멈춤",
	})
}
