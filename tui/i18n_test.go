package tui

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/internal/i18n"
	"github.com/svcviz/svcviz/internal/i18n/i18ntest"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// chromeKeys is every string the TUI asks a catalogue for: the literal first argument of each
// call of tr or translate in the package's code, the keymap's help, and the keys made from
// values (verdicts, severities, counted words).
func chromeKeys(t *testing.T) []string {
	t.Helper()
	// the diagram's labels are worded by words(…)
	files := i18ntest.GoFiles(t, "*.go", "diagram/*.go")
	keys := map[string]bool{}
	for _, k := range i18ntest.Literals(t, files, false,
		i18ntest.Call{Name: "tr"}, i18ntest.Call{Name: ".tr"}, i18ntest.Call{Name: "words"},
		i18ntest.Call{Name: ".words"}, i18ntest.Call{Name: "translate", Arg: 1}) {
		keys[k] = true
	}
	for _, col := range DefaultKeyMap().FullHelp() {
		for _, b := range col {
			keys[b.Help().Desc] = true
		}
	}
	for _, a := range []netsim.Action{netsim.ActSend, netsim.ActDNSQuery, netsim.ActDNSAnswer, netsim.ActArrive, netsim.ActMatch,
		netsim.ActMark, netsim.ActServicePort, netsim.ActChoose, netsim.ActDNAT, netsim.ActSNAT, netsim.ActKeepSource, netsim.ActRoute,
		netsim.ActDeliver, netsim.ActRefuse, netsim.ActReject, netsim.ActDrop, netsim.ActReply, netsim.ActUnresolved} {
		keys["action."+string(a)] = true // the event list words each hop's action (ui.action)
	}
	for _, v := range []netsim.Verdict{netsim.Delivered, netsim.Refused, netsim.Rejected, netsim.Dropped, netsim.Unresolved, netsim.Answered} {
		keys[string(v)] = true
	}
	for _, s := range []model.Severity{model.Error, model.Warning, model.Info} {
		keys["{0} "+string(s)] = true
	}
	keys["{0} Service"], keys["{0} diagnostic"] = true, true
	var out []string
	for k := range keys {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var placeholder = regexp.MustCompile(`\{\d\}`)

// TestKoreanChromeComplete: every string of the TUI's chrome has a Korean wording with the
// same placeholders, and the catalogue holds nothing the code no longer asks for.
func TestKoreanChromeComplete(t *testing.T) {
	keys := chromeKeys(t)
	if len(keys) < 80 {
		t.Fatalf("found only %d chrome strings: the scan is broken", len(keys))
	}
	for _, k := range keys {
		ko, ok := chromeKO[k]
		if !ok {
			t.Errorf("no Korean for %q", k)
			continue
		}
		want, got := placeholder.FindAllString(k, -1), placeholder.FindAllString(ko, -1)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(want, got) {
			t.Errorf("%q → %q: placeholders %v, want %v", k, ko, got, want)
		}
	}
	for k := range chromeKO {
		if !slices.Contains(keys, k) {
			t.Errorf("Korean catalogue has %q, which the TUI never asks for", k)
		}
	}
}

// TestKoreanChromeOnScreen: with --lang ko the panes, status bar, explanation line, help and
// pickers speak Korean, and every frame keeps the terminal's size.
func TestKoreanChromeOnScreen(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		m := newApp(t, sampleNodePort, sz[0], sz[1], Options{Lang: "ko"})
		checks := []struct {
			keys []string
			want []string
		}{
			{[]string{"tab"}, []string{"Service 목록 (s)", "이벤트 (tab)"}},
			{[]string{"esc"}, []string{"홉 1/8", "일시 정지", "결과: 진행 중", "교육용 보기", "NodePort 30008 → ClusterIP 10.96.0.11의 port 80"}},
			{[]string{"?"}, []string{"재생/일시 정지", "다음 홉", "(? 또는 esc: 닫기)"}},
			{[]string{"esc", "s"}, []string{"Service와 포트 고르기", "입력해서 거르기"}},
			{[]string{"m", "y"}, []string{"1개 중 1개 일치", "거르기: my"}},
			{[]string{"esc", "esc", "right", "right", "right", "i"}, []string{"규칙"}},
			{[]string{"i", "d"}, []string{"진단", "svcviz check가 보고할 것이 없습니다."}},
		}
		for _, c := range checks {
			for _, k := range c.keys {
				m.Update(keyMsg(k))
			}
			v := m.View()
			checkSize(t, v, sz[0], sz[1])
			for _, w := range c.want {
				if !strings.Contains(v, w) {
					t.Errorf("%dx%d after %v: no %q:\n%s", sz[0], sz[1], c.keys, w, v)
				}
			}
		}
	}
}

// TestOneWordingPerKey: netsim's narration and the TUI's chrome share the one catalogue
// without wording any key twice.
func TestOneWordingPerKey(t *testing.T) {
	for _, lang := range i18n.Languages() {
		if c := i18n.Conflicts(lang); len(c) > 0 {
			t.Errorf("%s: keys worded twice: %v", lang, c)
		}
	}
	if !i18n.Has("ko", "send.nodeport") || !i18n.Has("ko", "paused") {
		t.Error("the catalogue lacks netsim's narration or the TUI's chrome")
	}
}

// TestKoreanChromeParticles: the TUI's Korean words choose their particles after a placeholder
// by what fills it ({0}(으)로: 80으로, 30008로), and use no semicolons.
func TestKoreanChromeParticles(t *testing.T) {
	fixed := regexp.MustCompile(`\}\)?(으로|로|은|는|이|가|을|를|과|와)([^가-힣(]|$)`)
	for en, ko := range chromeKO {
		if m := fixed.FindString(ko); m != "" {
			t.Errorf("%q: a fixed particle after a placeholder (%q): %s", en, m, ko)
		}
		if strings.Contains(ko, ";") {
			t.Errorf("%q: a semicolon in Korean prose: %s", en, ko)
		}
	}
	for _, c := range []struct{ arg, want string }{{"80", "80으로"}, {"30008", "30008로"}, {"192.168.1.10", "192.168.1.10으로"}, {"web", "web으로"}, {"api.example.com", "api.example.com으로"}} {
		if got := translate("ko", "DNS answers a CNAME to {0}; no rule, no NAT, no packet is proxied", c.arg); !strings.Contains(got, c.want) {
			t.Errorf("%s: %s", c.arg, got)
		}
	}
}
