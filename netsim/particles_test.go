package netsim

import (
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/internal/i18n"
)

// particleAfter are the particles a Korean reader expects after a number ending in each digit,
// read in Sino-Korean (30000 삼만, 30001 삼만 일, …, 30008 삼만 팔), and after 80 (팔십) and the
// addresses narration is full of: consonant, vowel or ㄹ decide 은/는, 이/가, 을/를, 과/와, 으로/로.
var particleAfter = []struct {
	word string
	ends string // "c" a consonant, "v" a vowel, "r" ㄹ
}{
	{"30000", "c"}, {"30001", "r"}, {"30002", "v"}, {"30003", "c"}, {"30004", "v"},
	{"30005", "v"}, {"30006", "c"}, {"30007", "r"}, {"30008", "r"}, {"30009", "v"},
	{"80", "c"}, {"192.168.1.10", "c"}, {"192.168.1.2:30008", "r"}, {"10.244.0.2:80", "c"},
}

var particleWant = map[string]map[string]string{
	"(으)로": {"c": "으로", "v": "로", "r": "로"},
	"은(는)": {"c": "은", "v": "는", "r": "은"},
	"이(가)": {"c": "이", "v": "가", "r": "이"},
	"을(를)": {"c": "을", "v": "를", "r": "을"},
	"과(와)": {"c": "과", "v": "와", "r": "과"},
}

var (
	placeholderMarker = regexp.MustCompile(`\{(\d)\}(\)?)(\(으\)로|은\(는\)|이\(가\)|을\(를\)|과\(와\))`)
	// a particle written fixed right after a placeholder: wrong for half the words
	fixedParticle = regexp.MustCompile(`\}\)?(으로|로|은|는|이|가|을|를|과|와)([^가-힣(]|$)`)
)

// TestKoreanParticlesEveryTemplate fills every Korean narration template with numbers ending
// in each digit (and with addresses) and checks each particle after a placeholder is the one
// that number takes when read aloud (80으로, 30008로, 30008은, 192.168.1.10으로); no template
// writes a particle fixed after a placeholder, and no Korean sentence uses a semicolon.
func TestKoreanParticlesEveryTemplate(t *testing.T) {
	checkKoreanTemplates(t, narrationKO, narrationNftKO)
}

func checkKoreanTemplates(t *testing.T, cats ...map[string]string) {
	t.Helper()
	checked := 0
	for _, cat := range cats {
		keys := make([]string, 0, len(cat))
		for k := range cat {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, key := range keys {
			tmpl := cat[key]
			if m := fixedParticle.FindString(tmpl); m != "" {
				t.Errorf("%s: a fixed particle after a placeholder (%q): %s", key, m, tmpl)
			}
			if strings.Contains(tmpl, ";") {
				t.Errorf("%s: a semicolon in Korean prose: %s", key, tmpl)
			}
			if !placeholderMarker.MatchString(tmpl) {
				continue
			}
			for _, w := range particleAfter {
				args := make([]string, 10)
				for i := range args {
					args[i] = w.word
				}
				want := replaceWithIndex(placeholderMarker, tmpl, func(at int, sm []string) string {
					ends := w.ends
					if sm[2] == ")" {
						ends = hangulBefore(tmpl[:at], ends)
					}
					return w.word + sm[2] + particleWant[sm[3]][ends]
				})
				want = regexp.MustCompile(`\{\d\}`).ReplaceAllString(want, w.word)
				if got := i18n.Text("ko", key, args...); got != want {
					t.Errorf("%s with %s:\n got  %s\n want %s", key, w.word, got, want)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d fillings checked", checked)
	}
}

// replaceWithIndex is re.ReplaceAllStringFunc with the match's offset and submatches.
func replaceWithIndex(re *regexp.Regexp, s string, f func(at int, sm []string) string) string {
	var b strings.Builder
	last := 0
	for _, ix := range re.FindAllStringSubmatchIndex(s, -1) {
		sm := make([]string, len(ix)/2)
		for i := range sm {
			if ix[2*i] >= 0 {
				sm[i] = s[ix[2*i]:ix[2*i+1]]
			}
		}
		b.WriteString(s[last:ix[0]])
		b.WriteString(f(ix[0], sm))
		last = ix[1]
	}
	return b.String() + s[last:]
}

// hangulBefore is how the Hangul word before a placeholder in parentheses ends — 브리지({0})
// takes the particle of 브리지, as Korean writes it — or ends when no Hangul syllable comes
// right before the "(".
func hangulBefore(prefix, ends string) string {
	if !strings.HasSuffix(prefix, "(") {
		return ends
	}
	rs := []rune(strings.TrimSuffix(prefix, "("))
	if len(rs) == 0 || rs[len(rs)-1] < 0xAC00 || rs[len(rs)-1] > 0xD7A3 {
		return ends
	}
	switch (rs[len(rs)-1] - 0xAC00) % 28 {
	case 0:
		return "v"
	case 8:
		return "r"
	}
	return "c"
}
