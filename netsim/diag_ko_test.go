package netsim

import (
	"strconv"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/internal/i18n"
	"github.com/svcviz/svcviz/internal/i18n/i18ntest"
	"github.com/svcviz/svcviz/model"
)

// TestDiagnosticTemplatesHaveKorean: every template netsim words a diagnostic with (the string
// literal opening each model.W(…) and model.WW(…) call) has its Korean entry, keeps its
// placeholders, has no semicolon, and leaves no two-way particle with arguments ending in each
// digit or in a Hangul or Latin word.
func TestDiagnosticTemplatesHaveKorean(t *testing.T) {
	templates := i18ntest.Literals(t, i18ntest.GoFiles(t, "*.go"), true,
		i18ntest.Call{Name: "model.W"}, i18ntest.Call{Name: "model.WW"})
	if len(templates) < 10 {
		t.Fatalf("found only %d templates", len(templates))
	}
	samples := []string{"web", "노드", "10.244.0.1", "TCP"}
	for d := 0; d <= 9; d++ {
		samples = append(samples, "3000"+strconv.Itoa(d))
	}
	for _, tmpl := range templates {
		ko, ok := diagKO[tmpl]
		if !ok || !i18n.Has("ko", tmpl) {
			t.Errorf("no Korean for %q", tmpl)
			continue
		}
		if strings.Contains(ko, ";") {
			t.Errorf("semicolon in Korean prose: %q", ko)
		}
		for _, s := range samples {
			got := model.W(tmpl, s, s, s, s).In("ko")
			for _, p := range []string{"은(는)", "이(가)", "을(를)", "과(와)", "(으)로"} {
				if strings.Contains(got, p) {
					t.Errorf("%q with %q: two-way particle left: %q", tmpl, s, got)
				}
			}
			if strings.Contains(got, "{") {
				t.Errorf("placeholder left: %q", got)
			}
		}
	}
}
