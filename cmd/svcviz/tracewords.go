package main

import (
	"fmt"

	"github.com/svcviz/svcviz/netsim"
)

// traceWords are the words `svcviz trace` prints around the facts in one language: the
// header, the marks after a hop and the verdict line. Names, addresses, fields, rules and
// diagnostics are printed as they are; JSON is never translated.
type traceWords struct {
	// header is the first line: dst (the --dst address) or port, "" when the trace names none
	header       func(svc, port, dst, via string) string
	nftables     string
	teachingOnly string
	defaulted    string
	verdict      map[netsim.Verdict]string
	line         func(verdict string, step int) string // step 0: the packet arrived
}

var traceLanguages = map[string]traceWords{
	"en": {
		header: func(svc, port, dst, via string) string {
			switch {
			case dst != "":
				port = " --dst " + dst
			case port != "":
				port = " port " + port
			}
			return "trace " + svc + port + " via " + via
		},
		nftables: " (kube-proxy nftables mode)", teachingOnly: " (teaching view only)", defaulted: " (default)",
		line: func(v string, step int) string {
			if step > 0 {
				return fmt.Sprintf("verdict: %s at step %d", v, step)
			}
			return "verdict: " + v
		},
	},
	// Korean: the verdict words are the TUI's (tui/i18n_ko.go); a step is a 홉 as on screen.
	"ko": {
		header: func(svc, port, dst, via string) string {
			switch {
			case dst != "":
				port = " --dst " + dst
			case port != "":
				port = " 포트 " + port
			}
			return "추적 " + svc + port + " 경로 " + via
		},
		nftables: " (kube-proxy nftables 모드)", teachingOnly: " (교육용 보기에만)", defaulted: " (기본값)",
		verdict: map[netsim.Verdict]string{
			netsim.Delivered: "전달됨", netsim.Refused: "연결 거부", netsim.Rejected: "거부됨(REJECT)",
			netsim.Dropped: "버려짐(DROP)", netsim.Unresolved: "이름 해석 실패", netsim.Answered: "DNS 응답",
		},
		line: func(v string, step int) string {
			if step > 0 {
				return fmt.Sprintf("결과: %s, 홉 %d에서 멈춤", v, step)
			}
			return "결과: " + v
		},
	},
}

// wordsFor is lang's trace words, English for a language without them.
func wordsFor(lang string) traceWords {
	if w, ok := traceLanguages[lang]; ok {
		return w
	}
	return traceLanguages["en"]
}

// verdictWord is verdict v in these words (as JSON writes it when they have none).
func (w traceWords) verdictWord(v netsim.Verdict) string {
	if s, ok := w.verdict[v]; ok {
		return s
	}
	return string(v)
}
