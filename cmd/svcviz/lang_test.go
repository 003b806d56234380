package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLangFlagEverywhere: every command takes --lang en|ko; anything else is a usage error
// (exit 2) that names the flag and the values it takes, before any output.
func TestLangFlagEverywhere(t *testing.T) {
	np := sample("nodeport.yaml")
	for _, args := range [][]string{
		{"check", np}, {"rules", np}, {"trace", np}, {np}, // the TUI: refused before the terminal
	} {
		for _, lang := range []string{"en", "ko"} {
			code, _, errs := svcviz(t, "", append(append([]string{}, args...), "--lang", lang)...)
			if args[0] == np { // accepted: what stops the TUI here is the missing terminal
				code, errs = code-exitUsage, strings.Replace(errs, "svcviz: the TUI needs a terminal", "", 1)
			}
			if code != 0 || strings.Contains(errs, "--lang") {
				t.Errorf("%v --lang %s: exit %d, stderr %q", args, lang, code, errs)
			}
		}
		code, out, errs := svcviz(t, "", append(append([]string{}, args...), "--lang", "fr")...)
		if code != exitUsage || out != "" || errs != "svcviz: --lang must be en or ko, not \"fr\"\n" {
			t.Errorf("%v --lang fr: exit %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

// TestCheckKorean: check --lang ko writes its own words in Korean (counted with 개, no
// semicolon); the facts, the diagnostics and the JSON are the same as in English.
func TestCheckKorean(t *testing.T) {
	args := []string{"check", sample("broken-selector.yaml"), sample("multi-port.yaml")}
	_, en, _ := svcviz(t, "", args...)
	code, ko, _ := svcviz(t, "", append(args, "--lang", "ko")...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, ko)
	}
	for _, want := range []string{
		"  :30008 → :80 → (엔드포인트 없음, targetPort 80)\n",
		"  http :80 → blog-5f4cdc678f-54877 10.244.0.3:8080\n",
		"\nService 2개, 오류 0개, 경고 1개, 정보 0개\n",
	} {
		if !strings.Contains(ko, want) {
			t.Errorf("no %q in:\n%s", want, ko)
		}
	}
	if !strings.HasSuffix(en, "\n2 Services, 0 errors, 1 warning, 0 info\n") || !strings.Contains(en, "(no endpoints; targetPort 80)") {
		t.Errorf("English check changed:\n%s", en)
	}
	// the diagnostic's location, severity and code stay, its explanation and hint are Korean
	const diagKO = "/samples/broken-selector.yaml:42: warning no-matching-pods: selector app=myapp,type=frontend에 맞는 Pod가 namespace \"default\"에 없습니다 " +
		"(가장 가까운 것: Pod \"myapp-pod\"의 레이블은 app=myapp,type=front-end입니다. selector는 type=frontend를 원하는데 Pod에는 type=front-end가 있습니다)\n"
	if !strings.Contains(filepath.ToSlash(ko), diagKO) {
		t.Errorf("no %q in:\n%s", diagKO, ko)
	}
	if strings.Contains(ko, ";") {
		t.Errorf("a semicolon in Korean prose:\n%s", ko)
	}
	_, none, _ := svcviz(t, "kind: ConfigMap\nmetadata: {name: x}\n", "check", "--lang", "ko", "-")
	if !strings.Contains(none, "입력에 Service가 없습니다\n") {
		t.Errorf("no Services, in Korean:\n%s", none)
	}
	_, jsonEN, _ := svcviz(t, "", append(args, "-o", "json")...)
	_, jsonKO, _ := svcviz(t, "", append(args, "-o", "json", "--lang", "ko")...)
	if jsonEN != jsonKO {
		t.Error("check -o json depends on --lang")
	}
}

// TestCheckKoreanRealInputs: on the manifests people really had, check --lang ko words
// svcviz's explanations and hints in Korean, leaves the API server's messages exactly as
// kubectl prints them, and writes the same JSON as in English.
func TestCheckKoreanRealInputs(t *testing.T) {
	for _, c := range []struct{ file, want string }{
		// svcviz's own message and hint, with particles read from the numbers (80으로)
		{"duplicate-keys.yaml", "warning target-port-not-declared: targetPort 80은 Pod \"p\"의 containerPort가 아닙니다. 트래픽은 그래도 포트 80으로 가지만 그 포트에서 수신 대기하는 컨테이너가 있다는 선언은 없습니다 (선택된 컨테이너가 포트를 하나도 선언하지 않습니다)\n"},
		// the API server's message verbatim, svcviz's hint in Korean
		{"hostnetwork-hostport.yaml", "error invalid-port: spec.containers[0].ports[0].hostPort: Invalid value: 9201: must match `containerPort` when `hostNetwork` is true (hostNetwork Pod는 노드 자신의 포트에서 수신 대기합니다. hostPort를 적지 않거나 9200으로 설정하세요)\n"},
		{"ip-families.yaml", "error invalid-ip-family: spec.ipFamilies[0]: Invalid value: \"IPv6\": not configured on this cluster (클러스터의 --service-cidr에 이 family의 범위가 없습니다. ipFamilies를 적지 않거나 두 범위를 모두 담은 --service-cidr를 주세요)\n"},
		{"udp-port-declared-tcp.yaml", "(containerPort의 protocol 기본값은 TCP입니다. 앱이 UDP로 수신 대기한다면 컨테이너 포트에 protocol: UDP를 선언하세요. 둘 다 받으려면 포트를 두 번 적으세요)\n"},
	} {
		f := filepath.Join(realInputsDir, c.file)
		_, ko, _ := svcviz(t, "", "check", "--lang", "ko", f)
		if !strings.Contains(ko, c.want) {
			t.Errorf("%s: no %q in:\n%s", c.file, c.want, ko)
		}
		_, jsonEN, _ := svcviz(t, "", "check", "-o", "json", f)
		_, jsonKO, _ := svcviz(t, "", "check", "-o", "json", "--lang", "ko", f)
		if jsonEN != jsonKO || strings.ContainsFunc(jsonKO, func(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }) {
			t.Errorf("%s: check -o json depends on --lang", c.file)
		}
	}
}

// TestRulesNeverTranslated: rules --lang ko prints kube-proxy's text byte for byte.
func TestRulesNeverTranslated(t *testing.T) {
	for _, mode := range []string{"iptables", "nftables"} {
		args := []string{"rules", sample("deployment.yaml"), "--proxy-mode", mode}
		_, en, _ := svcviz(t, "", args...)
		code, ko, _ := svcviz(t, "", append(args, "--lang", "ko")...)
		if code != 0 || en != ko || en == "" {
			t.Errorf("%s: exit %d, rules differ with --lang ko", mode, code)
		}
	}
}

// TestTraceKoreanParticles: trace --lang ko on every sample, in both proxy modes, resolves
// every particle (no 을(를), (으)로 … left, also after a parenthesised address or an nftables
// chain name) and writes its own words in Korean (the header, the verdict line); JSON stays
// English.
func TestTraceKoreanParticles(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "samples", "*.yaml"))
	if err != nil || len(files) < 10 {
		t.Fatalf("samples: %v %v", files, err)
	}
	twoWay := []string{"(으)로", "을(를)", "이(가)", "은(는)", "과(와)", "(이)"}
	for _, f := range files {
		for _, mode := range []string{"iptables", "nftables"} {
			_, out, _ := svcviz(t, "", "trace", f, "--proxy-mode", mode, "--lang", "ko")
			for _, w := range twoWay {
				if strings.Contains(out, w) {
					t.Errorf("%s %s: an unresolved %s in:\n%s", filepath.Base(f), mode, w, out)
				}
			}
			if !strings.HasPrefix(out, "추적 ") || !strings.Contains(out, "\n결과: ") || strings.Contains(out, "verdict:") || strings.Contains(out, " at step ") {
				t.Errorf("%s %s: header or verdict line not in Korean:\n%s", filepath.Base(f), mode, out)
			}
		}
	}
	_, ko, _ := svcviz(t, "", "trace", sample("nodeport.yaml"), "--lang", "ko")
	if !strings.Contains(ko, "cni0 브리지(10.244.0.1)를 지나") || !strings.Contains(ko, "규칙(KUBE-EXT-") || !strings.Contains(ko, ")으로 보냅니다") {
		t.Errorf("particles after parentheses:\n%s", ko)
	}
	_, nft, _ := svcviz(t, "", "trace", sample("nodeport.yaml"), "--lang", "ko", "--proxy-mode", "nftables")
	if !strings.Contains(nft, "/tcp/로 이어집니다") {
		t.Errorf("particle after an nftables chain:\n%s", nft)
	}
	_, bad, _ := svcviz(t, "", "trace", sample("broken-named-port.yaml"), "--lang", "ko")
	if !strings.Contains(bad, "\n결과: 거부됨(REJECT), 홉 5에서 멈춤 (targetPort") {
		t.Errorf("Korean verdict line:\n%s", bad)
	}
	_, jsonEN, _ := svcviz(t, "", "trace", sample("broken-named-port.yaml"), "-o", "json")
	_, jsonKO, _ := svcviz(t, "", "trace", sample("broken-named-port.yaml"), "-o", "json", "--lang", "ko")
	if !strings.Contains(jsonKO, `"verdict": "rejected"`) && !strings.Contains(jsonKO, `"verdict":"rejected"`) || len(jsonEN) == 0 {
		t.Errorf("trace -o json --lang ko: the verdict is not English:\n%s", jsonKO)
	}
}

// TestTraceKoreanHint: the hint after trace's verdict is svcviz's words, so --lang ko words it
// in Korean (a DNS name that does not resolve, a Pod not published because it is not ready);
// -o json keeps the English hint.
func TestTraceKoreanHint(t *testing.T) {
	f := filepath.Join(realInputsDir, "notready-pod-dns.yaml")
	for _, c := range []struct{ name, want string }{
		{"server-1.ms", "(Pod server-1의 상태: 준비되지 않음 (Ready=False). kube-dns는 headless Service의 Pod를 Ready일 때만 알립니다. 그 전에 알리려면 Service ms에 spec.publishNotReadyAddresses: true를 설정하세요)\n"},
		{"servr.ms", "(ms.default.svc.cluster.local을 뜻했나요?)\n"},
	} {
		args := []string{"trace", f, "--via", "dns", "--name", c.name, "--from", "client"}
		_, ko, _ := svcviz(t, "", append(args, "--lang", "ko")...)
		if !strings.HasSuffix(ko, c.want) {
			t.Errorf("%s: no %q at the end of:\n%s", c.name, c.want, ko)
		}
		if c.name == "server-1.ms" && !strings.Contains(ko, "Pod server-1은 준비되지 않음 (Ready=False) 상태이고") {
			t.Errorf("%s: the narration words the Pod's readiness in English:\n%s", c.name, ko)
		}
		_, jsonEN, _ := svcviz(t, "", append(args, "-o", "json")...)
		_, jsonKO, _ := svcviz(t, "", append(args, "-o", "json", "--lang", "ko")...)
		hint := func(js string) string {
			for _, l := range strings.Split(js, "\n") {
				if strings.HasPrefix(strings.TrimSpace(l), `"hint": "`) {
					return l
				}
			}
			return ""
		}
		if h := hint(jsonEN); h == "" || h != hint(jsonKO) || strings.ContainsFunc(h, func(r rune) bool { return r >= 0xAC00 && r <= 0xD7A3 }) {
			t.Errorf("%s: trace -o json's hint depends on --lang: %q, %q", c.name, h, hint(jsonKO))
		}
	}
}
