package model

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/internal/i18n"
	"github.com/svcviz/svcviz/internal/i18n/i18ntest"
)

// diagTemplates collects every template model words a diagnostic with: the string literal that
// opens each W(…) and WW(…) call in the package's source, and the separators joinWords and
// joinMaxWords build.
func diagTemplates(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, f := range i18ntest.GoFiles(t, "*.go") {
		if f != "words.go" { // words.go: the separators below, and W itself
			files = append(files, f)
		}
	}
	ts := i18ntest.Literals(t, files, true, i18ntest.Call{Name: "W"}, i18ntest.Call{Name: "WW"})
	ts = append(ts, "{0}; {1}", "{0}, {1}", "{0}, … ({1} more)")
	slices.Sort(ts)
	return slices.Compact(ts)
}

func TestEveryDiagnosticTemplateHasKorean(t *testing.T) {
	ts := diagTemplates(t)
	if len(ts) < 40 {
		t.Fatalf("found only %d templates: the collector misses calls", len(ts))
	}
	for _, tmpl := range ts {
		ko, ok := koDiagWords[tmpl]
		if !ok {
			t.Errorf("no Korean for %q", tmpl)
			continue
		}
		for i := 0; strings.Contains(tmpl, "{"+strconv.Itoa(i)+"}"); i++ {
			if !strings.Contains(ko, "{"+strconv.Itoa(i)+"}") {
				t.Errorf("Korean for %q drops {%d}: %q", tmpl, i, ko)
			}
		}
		if strings.Contains(ko, ";") {
			t.Errorf("Korean prose has a semicolon: %q", ko)
		}
	}
	for k := range koDiagWords {
		if !slices.Contains(ts, k) {
			t.Errorf("Korean for a template no diagnostic uses: %q", k)
		}
	}
	if c := i18n.Conflicts("ko"); len(c) > 0 {
		t.Errorf("two wordings for %q", c)
	}
}

// TestDiagnosticParticles fills every template with arguments ending in each digit, in a
// Hangul word and in Latin words: no two-way particle (을(를), (으)로 …) is left.
func TestDiagnosticParticles(t *testing.T) {
	samples := []string{"myapp-pod", "web", "app=web", "\"http\"", "TCP", "노드", "서비스", "10.244.0.1", "spec.ports[0]"}
	for d := 0; d <= 9; d++ {
		samples = append(samples, "3000"+strconv.Itoa(d), "8"+strconv.Itoa(d))
	}
	twoWay := []string{"은(는)", "이(가)", "을(를)", "과(와)", "(으)로", "(이)다", "(이)에요"}
	for _, tmpl := range diagTemplates(t) {
		for _, s := range samples {
			args := make([]string, 4)
			for i := range args {
				args[i] = s
			}
			got := W(tmpl, args...).In("ko")
			for _, p := range twoWay {
				if strings.Contains(got, p) {
					t.Errorf("%q with %q: two-way particle left: %q", tmpl, s, got)
				}
			}
			if strings.Contains(got, "{") && !strings.Contains(tmpl, "{") {
				t.Errorf("placeholder left: %q", got)
			}
		}
	}
}

// TestWordsParticlesFollowArguments: a particle right after a placeholder is chosen by the
// argument put there, not by the word before the placeholder (`포트 80으로`, not `포트 80로`).
func TestWordsParticlesFollowArguments(t *testing.T) {
	for _, c := range []struct{ arg, want string }{
		{"80", "포트 80으로 보내고 80을 씁니다"},
		{"30008", "포트 30008로 보내고 30008을 씁니다"},
		{"dns", "포트 dns로 보내고 dns를 씁니다"},
		{"UDP", "포트 UDP로 보내고 UDP를 씁니다"},
		{"노드", "포트 노드로 보내고 노드를 씁니다"},
	} {
		if got := W("port {0} then {0}", c.arg).in("ko", "포트 {0}(으)로 보내고 {0}을(를) 씁니다"); got != c.want {
			t.Errorf("%s: got %q, want %q", c.arg, got, c.want)
		}
	}
}
