package main

import (
	"testing"

	"github.com/svcviz/svcviz/internal/i18n"
	"github.com/svcviz/svcviz/netsim"
)

// TestWordsOneCatalogue: the CLI's words live in the same catalogue as netsim's narration and
// the TUI's words, with one wording per message, and trace's verdict words are the TUI's.
func TestWordsOneCatalogue(t *testing.T) {
	if c := i18n.Conflicts("ko"); len(c) > 0 {
		t.Errorf("messages worded twice, differently: %q", c)
	}
	ko := words{"ko"}
	if got := ko.verdictLine(netsim.Rejected, 5); got != "결과: 거부됨(REJECT), 홉 5에서 멈춤" {
		t.Errorf("verdict line %q", got)
	}
	if got := (words{"en"}).summary(summaryJSON{Services: 1, Errors: 2, Warnings: 1}); got != "1 Service, 2 errors, 1 warning, 0 info" {
		t.Errorf("summary %q", got)
	}
	if got := ko.summary(summaryJSON{Services: 1, Errors: 2, Warnings: 1}); got != "Service 1개, 오류 2개, 경고 1개, 정보 0개" {
		t.Errorf("Korean summary %q", got)
	}
	if got := ko.header("default/web", "80", "", "nodeport"); got != "추적 default/web 포트 80 경로 nodeport" {
		t.Errorf("Korean header %q", got)
	}
}
