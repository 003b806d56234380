package main

import (
	"fmt"
	"strings"

	"github.com/svcviz/svcviz/internal/i18n"
)

// langError checks a --lang value against the narration catalogues (en, ko): nil, or the
// error naming the flag that the commands return as a usage error (exit 2).
func langError(lang string) error {
	if i18n.Known(lang) {
		return nil
	}
	return fmt.Errorf("--lang must be %s, not %q", strings.Join(i18n.Languages(), " or "), lang)
}

// checkWords are the words `svcviz check` prints around the facts, in one language. The
// diagnostics themselves are printed as the model words them; JSON is never translated.
type checkWords struct {
	noServices, noPorts, refused string
	noEndpoints                  func(targetPort string) string // targetPort already escaped
	alias                        string                         // after an ExternalName port
	more                         func(n int) string
	summary                      func(n summaryJSON) string
}

var checkLanguages = map[string]checkWords{
	"en": {
		noServices:  "no Services in the input",
		noPorts:     "(no ports)",
		refused:     "(refused by the API server: not created, see the errors below)",
		noEndpoints: func(tp string) string { return "(no endpoints; targetPort " + tp + ")" },
		alias:       "(a DNS alias: nothing is proxied, port and targetPort are not used)",
		more:        func(n int) string { return fmt.Sprintf("… (%d more)", n) },
		summary: func(n summaryJSON) string {
			return plural(n.Services, "Service") + ", " + plural(n.Errors, "error") + ", " +
				plural(n.Warnings, "warning") + ", " + fmt.Sprintf("%d info", n.Info)
		},
	},
	// Korean: counted with 개, no plurals; no semicolons in Korean prose.
	"ko": {
		noServices:  "입력에 Service가 없습니다",
		noPorts:     "(포트 없음)",
		refused:     "(API 서버가 거부하는 Service라 만들어지지 않습니다. 아래 오류를 보세요)",
		noEndpoints: func(tp string) string { return "(엔드포인트 없음, targetPort " + tp + ")" },
		alias:       "(DNS 별칭일 뿐이라 중계하지 않고 port와 targetPort도 쓰이지 않습니다)",
		more:        func(n int) string { return fmt.Sprintf("… (%d개 더)", n) },
		summary: func(n summaryJSON) string {
			return fmt.Sprintf("Service %d개, 오류 %d개, 경고 %d개, 정보 %d개", n.Services, n.Errors, n.Warnings, n.Info)
		},
	},
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
