// Package i18n holds what svcviz needs to speak Korean naturally.
//
// particle.go chooses Korean particles (조사) by how the word before them is read aloud:
// 은/는, 이/가, 을/를, 과/와, 으로/로, 이다/다 and 이에요/예요 depend on whether the last
// syllable read has a final consonant (받침), and 으로/로 also on whether that consonant is ㄹ.
// Narration is full of numbers, addresses and Latin names (`30008`, `192.168.1.10`,
// `myapp-pod`, `DNS`), which are read in Korean, so the reading is what counts:
//
//   - Hangul: the last syllable's final consonant (jongseong).
//   - Numbers: read in Sino-Korean, the way Koreans read ports and addresses. A number ending
//     in a digit other than 0 ends with that digit's name: 영 일 이 삼 사 오 육 칠 팔 구
//     (1, 7, 8 end in ㄹ: `30008로`; 2, 4, 5, 9 in a vowel: `2는`). A number ending in 0 ends
//     with its last unit: 십 백 천 (10, 100, 1000: `80으로`, `192.168.1.10으로`), then 만 억
//     조 경 … for every four more zeros (`10000으로`); 0 alone is 영. Commas between digits are
//     ignored. Dotted addresses and IP:port end with their last number (`192.168.1.2:30008로`).
//   - Latin letters, taking the last camelCase part (`targetPort` → Port, `ClusterIP` → IP)
//     of the last run of letters (`myapp-pod` → pod, `node01` → 01, a number):
//     a single letter or an upper-case run of up to three letters, or any run without a vowel
//     letter, is read letter by letter, ending with the last letter's Korean name (`DNS` → 에스,
//     `TCP` → 피, `URL` → 엘, `svc` → 씨); L and R end in ㄹ, M and N in another consonant.
//     Other words are read as Korean writes them as loanwords: a short list of words that
//     spelling does not tell (`NAT` 냇, `type` 타입, `check` 체크, `bit` 비트 …), else by the
//     spelling of the end — l/le → ㄹ (`label` 레이블, `mysql`); m/me → ㅁ; n/ne → ㄴ;
//     ng → ㅇ; ck, ook → ㄱ (`conntrack`); one vowel then p or b → ㅂ (`app`, `web`, `drop`);
//     one vowel then t → ㅅ (`packet` 패킷, `output` 아웃풋); everything else ends in a vowel
//     (`pod` 파드, `port` 포트, `node` 노드, `nginx` 엔진엑스, `server` 서버).
//   - Closing quotes and trailing spaces are skipped, and so are the separators that end a name
//     without being read (/ - _): an nftables chain `service-…/tcp/` reads as tcp (티씨피로).
//     Text in parentheses or brackets at the end is not read: the particle follows the word
//     before them, as Korean writes it (`브리지(10.244.0.1)를`, `규칙(KUBE-EXT-…)으로`), or
//     what is inside when nothing comes before. `%` reads 퍼센트.
//
// Anything else (an empty word, an emoji, trailing punctuation) has no known reading: the
// particle is then written in the form Korean software uses when it cannot tell, such as
// 은(는) or (으)로, which reads correctly either way.
package i18n

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Final is how a word ends when read aloud.
type Final uint8

const (
	Unknown   Final = iota // no known reading: particles take their two-way form
	Vowel                  // no final consonant (받침): 2 이, DNS 에스, pod 파드
	Consonant              // a final consonant other than ㄹ: 80 팔십, 10000 만, web 웹
	Rieul                  // final ㄹ: 1 일, 30008 팔, URL 엘
)

// form is one particle pair: after a final consonant, after a vowel, after ㄹ, and the
// two-way form for an unknown reading.
type form struct{ consonant, vowel, rieul, either string }

// pairs are the particle pairs by their "after consonant/after vowel" name. 입니다 follows
// every word (80입니다, 2입니다) and so needs no pair.
var pairs = map[string]form{
	"은/는":    {"은", "는", "은", "은(는)"},
	"이/가":    {"이", "가", "이", "이(가)"},
	"을/를":    {"을", "를", "을", "을(를)"},
	"과/와":    {"과", "와", "과", "과(와)"},
	"으로/로":   {"으로", "로", "로", "(으)로"},
	"이다/다":   {"이다", "다", "이다", "(이)다"},
	"이에요/예요": {"이에요", "예요", "이에요", "(이)에요"},
}

// Particle returns the form of pair that follows word: Particle("80", "으로/로") is "으로",
// Particle("30008", "으로/로") is "로". pair is one of 은/는, 이/가, 을/를, 과/와, 으로/로,
// 이다/다, 이에요/예요, in either order ("는/은" too). A pair not in that list comes back as
// written, so a typo shows in the text instead of vanishing.
func Particle(word, pair string) string {
	f, ok := lookup(pair)
	if !ok {
		return pair
	}
	return f.pick(Read(word))
}

// Attach returns word followed by its particle: Attach("30008", "은/는") is "30008은".
func Attach(word, pair string) string { return word + Particle(word, pair) }

func lookup(pair string) (form, bool) {
	if f, ok := pairs[pair]; ok {
		return f, true
	}
	if a, b, ok := strings.Cut(pair, "/"); ok {
		f, ok := pairs[b+"/"+a]
		return f, ok
	}
	return form{}, false
}

func (f form) pick(r Final) string {
	switch r {
	case Consonant:
		return f.consonant
	case Vowel:
		return f.vowel
	case Rieul:
		return f.rieul
	}
	return f.either
}

// markers are the two-way forms Apply resolves, longest first where one begins another.
var markers = []string{"(이)에요", "(이)다", "(으)로", "은(는)", "이(가)", "을(를)", "과(와)"}

// Apply resolves every two-way particle in s — 은(는), 이(가), 을(를), 과(와), (으)로, (이)다,
// (이)에요 — by the text just before it. A catalogue message "{0}(으)로 보냅니다" filled with
// 30008 reads "30008로 보냅니다"; with a word that has no known reading the two-way form stays.
func Apply(s string) string {
	if !strings.Contains(s, "(") {
		return s
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(s); {
		m := markerAt(s[i:])
		if m == "" {
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(pairs[pairOf(m)].pick(Read(s[:i])))
		i += len(m)
		last = i
	}
	b.WriteString(s[last:])
	return b.String()
}

func markerAt(s string) string {
	for _, m := range markers {
		if strings.HasPrefix(s, m) {
			return m
		}
	}
	return ""
}

func pairOf(marker string) string {
	for name, f := range pairs {
		if f.either == marker {
			return name
		}
	}
	return ""
}

// Read tells how the end of word is read aloud in Korean (see the package comment).
func Read(word string) Final {
	word = readable(word)
	r, _ := utf8.DecodeLastRuneInString(word)
	switch {
	case word == "":
		return Unknown
	case r >= 0xAC00 && r <= 0xD7A3: // a Hangul syllable: 28 final consonants per vowel
		switch (r - 0xAC00) % 28 {
		case 0:
			return Vowel
		case 8:
			return Rieul
		}
		return Consonant
	case r >= 'ㄱ' && r <= 'ㅎ': // a consonant letter read by its name: 기역, 리을, …
		if r == 'ㄹ' {
			return Rieul
		}
		return Consonant
	case r >= 'ㅏ' && r <= 'ㅣ':
		return Vowel
	case r >= '0' && r <= '9':
		return readNumber(word)
	case r < utf8.RuneSelf && unicode.IsLetter(r):
		return readLatin(word)
	case r == '%':
		return Vowel // 퍼센트
	}
	return Unknown
}

// digitFinal is how each digit's Sino-Korean name ends: 영 일 이 삼 사 오 육 칠 팔 구.
var digitFinal = [10]Final{Consonant, Rieul, Vowel, Consonant, Vowel, Vowel, Consonant, Rieul, Rieul, Vowel}

// myriadFinal is how the unit of each further four zeros ends: 만 억 조 경 해 자 양 구 간 정
// 재 극 (10^4 … 10^48).
var myriadFinal = []Final{Consonant, Consonant, Vowel, Consonant, Vowel, Vowel, Consonant, Vowel, Consonant, Consonant, Vowel, Consonant}

// readNumber reads the number word ends with. word's last rune is a digit.
func readNumber(word string) Final {
	// the numeric tail: digits, commas and dots
	start := len(word)
	for start > 0 && strings.IndexByte("0123456789,.", word[start-1]) >= 0 {
		start--
	}
	tail := word[start:]
	// the last number of a dotted address; a decimal's last digit ends the same way whether
	// its digits are read one by one or whole (0.50: 영 or 오십, both a final consonant)
	digits := tail[strings.LastIndexByte(tail, '.')+1:]
	digits = strings.TrimLeft(strings.ReplaceAll(digits, ",", ""), "0")
	if digits == "" {
		return Consonant // 영
	}
	zeros := len(digits) - len(strings.TrimRight(digits, "0"))
	switch {
	case zeros == 0:
		return digitFinal[digits[len(digits)-1]-'0']
	case zeros < 4:
		return Consonant // 십 백 천
	case zeros/4 <= len(myriadFinal):
		return myriadFinal[zeros/4-1]
	}
	return Unknown
}

// letterFinal is how each Latin letter's Korean name ends: 에이 비 씨 디 이 에프 지 에이치
// 아이 제이 케이 엘 엠 엔 오 피 큐 알 에스 티 유 브이 더블유 엑스 와이 제트.
var letterFinal = [26]Final{
	Vowel, Vowel, Vowel, Vowel, Vowel, Vowel, Vowel, Vowel, Vowel, Vowel, Vowel, Rieul, Consonant,
	Consonant, Vowel, Vowel, Vowel, Rieul, Vowel, Vowel, Vowel, Vowel, Vowel, Vowel, Vowel, Vowel,
}

// loanwords are the words whose Korean reading their spelling does not tell, lower case.
var loanwords = map[string]Final{
	"nat":  Consonant,                                                            // 냇
	"type": Consonant, "check": Vowel, "bit": Vowel, "kit": Vowel, "suit": Vowel, // 타입 체크 비트 키트 슈트
	"cidr": Vowel, // 사이더
	"ip":   Vowel, // 아이피, also in lower case (node-ip)
}

// readLatin reads the Latin word that word ends with. word's last rune is an ASCII letter.
func readLatin(word string) Final {
	start := len(word)
	for start > 0 && isASCIILetter(word[start-1]) {
		start--
	}
	w := lastCamelPart(word[start:])
	lower := strings.ToLower(w)
	if f, ok := loanwords[lower]; ok {
		return f
	}
	upper := strings.ToUpper(w) == w
	if len(w) == 1 || upper && len(w) <= 3 || !strings.ContainsAny(lower, "aeiou") {
		return letterFinal[lower[len(lower)-1]-'a']
	}
	return spellingFinal(lower)
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// lastCamelPart is the last part of a camelCase or PascalCase word: targetPort → Port,
// ClusterIP → IP, IPv → v. An all-lower or all-upper word is one part.
func lastCamelPart(w string) string {
	i := len(w) - 1
	if w[i] >= 'a' && w[i] <= 'z' {
		for i > 0 && w[i-1] >= 'a' && w[i-1] <= 'z' {
			i--
		}
		if i > 0 && w[i-1] >= 'A' && w[i-1] <= 'Z' {
			i-- // the capital that starts the part
		}
		return w[i:]
	}
	for i > 0 && w[i-1] >= 'A' && w[i-1] <= 'Z' {
		i--
	}
	return w[i:]
}

// spellingFinal reads a lower-case loanword's end by its spelling (the package comment gives
// the rules, from Korean's loanword orthography: short vowels keep a final p, t, k as a
// consonant, long vowels and clusters add 으).
func spellingFinal(w string) Final {
	if n := len(w); n >= 3 && w[n-1] == w[n-2] {
		w = w[:n-1] // a doubled letter is one sound: app 앱, mitt 밋
	}
	n := len(w)
	end := func(s string) bool { return strings.HasSuffix(w, s) }
	vowel := func(i int) bool { return i >= 0 && strings.IndexByte("aeiouy", w[i]) >= 0 }
	// one vowel letter before the last (a y before it is a consonant: myapp 마이앱)
	shortVowelBefore := n >= 2 && vowel(n-2) && (n < 3 || strings.IndexByte("aeiou", w[n-3]) < 0)
	switch {
	case end("l") || end("le"):
		return Rieul // label 레이블, table 테이블, file 파일, mysql
	case end("ng"):
		return Consonant // ㅇ: routing 라우팅
	case end("m") || end("n") || end("me") || end("ne"):
		return Consonant // name 네임, line 라인, return 리턴
	case end("ck") || end("ook"):
		return Consonant // ㄱ: conntrack 콘트랙, webhook 웹훅
	case (end("p") || end("b") || end("t")) && shortVowelBefore:
		return Consonant // ㅂ ㅅ: app 앱, web 웹, drop 드롭, packet 패킷, output 아웃풋
	}
	return Vowel
}

// readable is the part of word whose end is read aloud before a particle: trailing spaces and
// closing quotes dropped; a parenthesised end is not read, so the particle follows the word
// before the parentheses (브리지(10.244.0.1)를, 규칙(KUBE-EXT-…)으로, connect()가), or what is
// inside when nothing comes before them; and the separators that end a name without being
// read — / - _ — are dropped, so an nftables chain such as service-…/tcp/ is read by its last
// word (tcp: 티씨피로).
func readable(word string) string {
	for {
		word = strings.TrimRightFunc(word, func(r rune) bool {
			return unicode.IsSpace(r) || strings.ContainsRune(`"'}>»”’」』/-_`+"`", r)
		})
		if word == "" {
			return word
		}
		c := word[len(word)-1]
		if c != ')' && c != ']' {
			return word
		}
		open := openingBracket(word)
		if open < 0 {
			word = word[:len(word)-1] // an unmatched bracket is not read
			continue
		}
		if before := strings.TrimRightFunc(word[:open], unicode.IsSpace); before != "" {
			word = before
		} else {
			word = word[open+1 : len(word)-1]
		}
	}
}

// openingBracket is the index of the bracket that opens the one word ends with, or -1.
func openingBracket(word string) int {
	closing := word[len(word)-1]
	opening := byte('(')
	if closing == ']' {
		opening = '['
	}
	depth := 0
	for i := len(word) - 1; i >= 0; i-- {
		switch word[i] {
		case closing:
			depth++
		case opening:
			if depth--; depth == 0 {
				return i
			}
		}
	}
	return -1
}
