package i18n

import (
	"strings"
	"testing"
)

// order is the order of the forms in the tables below.
var order = []string{"은/는", "이/가", "을/를", "과/와", "으로/로", "이다/다", "이에요/예요"}

// checkForms checks word with every pair against want, the seven forms in order.
func checkForms(t *testing.T, word, reading, want string) {
	t.Helper()
	forms := strings.Fields(want)
	if len(forms) != len(order) {
		t.Fatalf("%s: the table has %d forms", word, len(forms))
	}
	for i, pair := range order {
		if got := Attach(word, pair); got != forms[i] {
			t.Errorf("%s (read %s) + %s: %q, want %q", word, reading, pair, got, forms[i])
		}
	}
}

// TestParticleNumbers: numbers ending in every digit and in every unit, read in Sino-Korean.
func TestParticleNumbers(t *testing.T) {
	for _, tc := range []struct{ number, reading, forms string }{
		{"0", "영", "0은 0이 0을 0과 0으로 0이다 0이에요"},
		{"1", "일", "1은 1이 1을 1과 1로 1이다 1이에요"},
		{"2", "이", "2는 2가 2를 2와 2로 2다 2예요"},
		{"3", "삼", "3은 3이 3을 3과 3으로 3이다 3이에요"},
		{"4", "사", "4는 4가 4를 4와 4로 4다 4예요"},
		{"5", "오", "5는 5가 5를 5와 5로 5다 5예요"},
		{"6", "육", "6은 6이 6을 6과 6으로 6이다 6이에요"},
		{"7", "칠", "7은 7이 7을 7과 7로 7이다 7이에요"},
		{"8", "팔", "8은 8이 8을 8과 8로 8이다 8이에요"},
		{"9", "구", "9는 9가 9를 9와 9로 9다 9예요"},
		{"10", "십", "10은 10이 10을 10과 10으로 10이다 10이에요"},
		{"100", "백", "100은 100이 100을 100과 100으로 100이다 100이에요"},
		{"1000", "천", "1000은 1000이 1000을 1000과 1000으로 1000이다 1000이에요"},
		{"10000", "만", "10000은 10000이 10000을 10000과 10000으로 10000이다 10000이에요"},
		// what narration says: ports, nodePorts, addresses
		{"80", "팔십", "80은 80이 80을 80과 80으로 80이다 80이에요"},
		{"30008", "삼만 팔", "30008은 30008이 30008을 30008과 30008로 30008이다 30008이에요"},
		{"30009", "삼만 구", "30009는 30009가 30009를 30009와 30009로 30009다 30009예요"},
		{"53", "오십삼", "53은 53이 53을 53과 53으로 53이다 53이에요"},
		{"8082", "팔천팔십이", "8082는 8082가 8082를 8082와 8082로 8082다 8082예요"},
		{"32767", "삼만 이천칠백육십칠", "32767은 32767이 32767을 32767과 32767로 32767이다 32767이에요"},
		{"65535", "육만 오천오백삼십오", "65535는 65535가 65535를 65535와 65535로 65535다 65535예요"},
		{"100000", "십만", "100000은 100000이 100000을 100000과 100000으로 100000이다 100000이에요"},
		{"100000000", "억", "100000000은 100000000이 100000000을 100000000과 100000000으로 100000000이다 100000000이에요"},
		{"1000000000000", "조", "1000000000000는 1000000000000가 1000000000000를 1000000000000와 1000000000000로 1000000000000다 1000000000000예요"},
		{"30,000", "삼만", "30,000은 30,000이 30,000을 30,000과 30,000으로 30,000이다 30,000이에요"},
		{"01", "영일", "01은 01이 01을 01과 01로 01이다 01이에요"},
		{"00", "영영", "00은 00이 00을 00과 00으로 00이다 00이에요"},
		{"0.5", "영 점 오", "0.5는 0.5가 0.5를 0.5와 0.5로 0.5다 0.5예요"},
		{"0.3333333333", "영 점 삼삼…삼", "0.3333333333은 0.3333333333이 0.3333333333을 0.3333333333과 0.3333333333으로 0.3333333333이다 0.3333333333이에요"},
	} {
		checkForms(t, tc.number, tc.reading, tc.forms)
	}
}

// TestParticleAddresses: an address ends with its last number.
func TestParticleAddresses(t *testing.T) {
	for _, tc := range []struct{ word, pair, want string }{
		{"192.168.1.10", "으로/로", "192.168.1.10으로"}, // 십
		{"192.168.1.2", "으로/로", "192.168.1.2로"},    // 이
		{"192.168.1.2", "은/는", "192.168.1.2는"},
		{"10.96.0.11", "으로/로", "10.96.0.11로"}, // 십일
		{"10.96.0.11", "이/가", "10.96.0.11이"},
		{"10.244.0.2:80", "으로/로", "10.244.0.2:80으로"},
		{"192.168.1.2:30008", "으로/로", "192.168.1.2:30008로"},
		{"192.168.1.2:30008", "은/는", "192.168.1.2:30008은"},
		{"10.244.0.0/24", "은/는", "10.244.0.0/24는"}, // 이십사
		{"10.96.0.0/12", "과/와", "10.96.0.0/12와"},   // 십이
	} {
		if got := Attach(tc.word, tc.pair); got != tc.want {
			t.Errorf("%s + %s: %q, want %q", tc.word, tc.pair, got, tc.want)
		}
	}
}

// TestParticleWords: Hangul by its final consonant; Latin names as Koreans read them.
func TestParticleWords(t *testing.T) {
	for _, tc := range []struct{ word, reading, forms string }{
		{"파드", "파드", "파드는 파드가 파드를 파드와 파드로 파드다 파드예요"},
		{"규칙", "규칙", "규칙은 규칙이 규칙을 규칙과 규칙으로 규칙이다 규칙이에요"},
		{"서울", "서울", "서울은 서울이 서울을 서울과 서울로 서울이다 서울이에요"},
		{"ㄹ", "리을", "ㄹ은 ㄹ이 ㄹ을 ㄹ과 ㄹ로 ㄹ이다 ㄹ이에요"},
		{"DNS", "디엔에스", "DNS는 DNS가 DNS를 DNS와 DNS로 DNS다 DNS예요"},
		{"TCP", "티씨피", "TCP는 TCP가 TCP를 TCP와 TCP로 TCP다 TCP예요"},
		{"URL", "유알엘", "URL은 URL이 URL을 URL과 URL로 URL이다 URL이에요"},
		{"ClusterIP", "클러스터아이피", "ClusterIP는 ClusterIP가 ClusterIP를 ClusterIP와 ClusterIP로 ClusterIP다 ClusterIP예요"},
		{"myapp-pod", "마이앱 파드", "myapp-pod는 myapp-pod가 myapp-pod를 myapp-pod와 myapp-pod로 myapp-pod다 myapp-pod예요"},
		{"node01", "노드 영일", "node01은 node01이 node01을 node01과 node01로 node01이다 node01이에요"},
		{"web", "웹", "web은 web이 web을 web과 web으로 web이다 web이에요"},
		{"label", "레이블", "label은 label이 label을 label과 label로 label이다 label이에요"},
		{"NAT", "냇", "NAT은 NAT이 NAT을 NAT과 NAT으로 NAT이다 NAT이에요"},
		{"POSTROUTING", "포스트라우팅", "POSTROUTING은 POSTROUTING이 POSTROUTING을 POSTROUTING과 POSTROUTING으로 POSTROUTING이다 POSTROUTING이에요"},
	} {
		checkForms(t, tc.word, tc.reading, tc.forms)
	}
	for _, tc := range []struct{ word, pair, want string }{
		{"targetPort", "을/를", "targetPort를"}, // 타깃포트
		{"NodePort", "은/는", "NodePort는"},
		{"ExternalName", "으로/로", "ExternalName으로"}, // 네임
		{"myapp-service", "은/는", "myapp-service는"},
		{"nginx-container", "이/가", "nginx-container가"},
		{"conntrack", "으로/로", "conntrack으로"}, // 콘트랙
		{"packet", "을/를", "packet을"},         // 패킷
		{"DNAT", "을/를", "DNAT을"},
		{"MASQUERADE", "을/를", "MASQUERADE를"},
		{"KUBE-SVC-HV6ZLHAS4ESLVA6M", "으로/로", "KUBE-SVC-HV6ZLHAS4ESLVA6M으로"}, // … 엠
		{"KUBE-SEP-Q5JOY2FZ4AU5CVTC", "으로/로", "KUBE-SEP-Q5JOY2FZ4AU5CVTC로"},  // … 씨
		{"YAML", "으로/로", "YAML로"},                                            // 야믈
		{"JSON", "으로/로", "JSON으로"},                                           // 제이슨
		{"iptables", "은/는", "iptables는"},
		{"kube-proxy", "이/가", "kube-proxy가"},
		{"type", "은/는", "type은"}, // 타입
		{"check", "은/는", "check는"},
		{"file", "으로/로", "file로"},
		{"name", "으로/로", "name으로"},
		{"app=myapp", "과/와", "app=myapp과"},
		{"app", "을/를", "app을"},
		{"drop", "으로/로", "drop으로"},
		{"shell", "으로/로", "shell로"},
		{"output", "으로/로", "output으로"},
		{"port", "으로/로", "port로"},
		{`"front-end"`, "과/와", `"front-end"와`}, // 엔드, past the quote
		{"(80)", "으로/로", "(80)으로"},
		{"노드 192.168.1.2 ", "으로/로", "노드 192.168.1.2 로"},
	} {
		if got := Attach(tc.word, tc.pair); got != tc.want {
			t.Errorf("%s + %s: %q, want %q", tc.word, tc.pair, got, tc.want)
		}
	}
}

// TestParticleUnknown: with no known reading the two-way form is written; a pair given the
// other way round works; a pair that is not one comes back as written.
func TestParticleUnknown(t *testing.T) {
	for _, tc := range []struct{ word, pair, want string }{
		{"", "은/는", "은(는)"},
		{"🙂", "이/가", "🙂이(가)"},
		{"80.", "으로/로", "80.(으)로"},
		{"→", "이다/다", "→(이)다"},
		{"\xff", "을/를", "\xff을(를)"},
		{"80", "는/은", "80은"},
		{"80", "로/으로", "80으로"},
		{"80", "의", "80의"},
		{"80", "요/이요", "80요/이요"},
	} {
		if got := Attach(tc.word, tc.pair); got != tc.want {
			t.Errorf("%q + %s: %q, want %q", tc.word, tc.pair, got, tc.want)
		}
	}
}

// TestApply resolves the two-way forms a catalogue writes after its placeholders.
func TestApply(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"30008(으)로 보냅니다", "30008로 보냅니다"},
		{"80(으)로 보냅니다", "80으로 보냅니다"},
		{"클라이언트 192.168.1.10이(가) 192.168.1.2:30008(으)로 패킷을 보냅니다",
			"클라이언트 192.168.1.10이 192.168.1.2:30008로 패킷을 보냅니다"},
		{"nodePort 30008은(는) port 80(으)로, port 80은(는) targetPort 8080(으)로 이어집니다",
			"nodePort 30008은 port 80으로, port 80은 targetPort 8080으로 이어집니다"},
		{"myapp-pod을(를) 고릅니다", "myapp-pod를 고릅니다"},
		{"DNS 이름은 backend.prod.svc.cluster.local(이)다", "DNS 이름은 backend.prod.svc.cluster.local이다"},
		{"엔드포인트는 2개(이)에요", "엔드포인트는 2개예요"},
		{"web과(와) api", "web과 api"},
		{"🙂은(는)", "🙂은(는)"},
		{"(으)로 시작", "(으)로 시작"},
		{"괄호 (메모) 그대로", "괄호 (메모) 그대로"},
		// parentheses at the end are not read: the particle follows the word before them
		{"cni0 브리지(10.244.0.1)을(를) 지나", "cni0 브리지(10.244.0.1)를 지나"},
		{"api의 규칙(KUBE-EXT-BL4VTDSJDQ5TV32O)(으)로 보냅니다", "api의 규칙(KUBE-EXT-BL4VTDSJDQ5TV32O)으로 보냅니다"},
		{"규칙(external-CDROZJMR-default/api/tcp/)(으)로", "규칙(external-CDROZJMR-default/api/tcp/)으로"},
		{"connect()이(가) 실패", "connect()가 실패"},
		{"(10.244.0.1)을(를)", "(10.244.0.1)을"},
		{"Pod IP들(10.244.0.2, (10.244.0.3))(으)로", "Pod IP들(10.244.0.2, (10.244.0.3))로"},
		// a name's trailing separators are not read: an nftables chain reads by its last word
		{"서비스 체인 service-CDROZJMR-default/api/tcp/(으)로", "서비스 체인 service-CDROZJMR-default/api/tcp/로"},
		{"service-CDROZJMR-default/api/tcp/http(으)로", "service-CDROZJMR-default/api/tcp/http로"},
		{"endpoint-5OJB2KTY-default/web/tcp/__10.244.0.2/80(으)로", "endpoint-5OJB2KTY-default/web/tcp/__10.244.0.2/80으로"},
		{"30008)(으)로", "30008)로"}, // an unmatched bracket is skipped
		{"no markers at all", "no markers at all"},
	} {
		if got := Apply(tc.in); got != tc.want {
			t.Errorf("Apply(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// FuzzRead: any text reads without a panic, and Attach keeps the word as it is.
func FuzzRead(f *testing.F) {
	for _, s := range []string{"", "0", ",", ".", "..9", ",,,", "9,,", "0,", "a1.b2:3", "\xff9", "Ab", "aB", "ZZZZ", "x.0000000000000000000000000000000000000000000000000000000000"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if r := Read(s); r > Rieul {
			t.Fatalf("Read(%q) = %d", s, r)
		}
		if got := Attach(s, "으로/로"); !strings.HasPrefix(got, s) {
			t.Fatalf("Attach(%q) = %q", s, got)
		}
		_ = Apply(s + "(으)로")
	})
}
