package i18n

import (
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The catalogue: every message svcviz words, by language. The packages that own the words add
// them (netsim its narration, keyed "send.nodeport"; the TUI its chrome, keyed by the English
// text itself) and everyone words them through Text, so the CLI, the TUI and their tests speak
// from one place, with one fallback and one way of filling arguments.

var (
	mu        sync.RWMutex
	catalogue = map[string][]map[string]string{"en": nil}
)

// Add puts words (message key → wording) into lang's catalogue. The packages that own the
// words call it from an init function; the map is kept, not copied, so words added to it by
// the same package's later init functions are there too.
func Add(lang string, words map[string]string) {
	mu.Lock()
	defer mu.Unlock()
	catalogue[lang] = append(catalogue[lang], words)
}

// Languages lists the languages that have a catalogue, sorted ("en", "ko").
func Languages() []string {
	mu.RLock()
	defer mu.RUnlock()
	out := make([]string, 0, len(catalogue))
	for l := range catalogue {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// Known reports whether lang has a catalogue.
func Known(lang string) bool {
	mu.RLock()
	defer mu.RUnlock()
	_, ok := catalogue[lang]
	return ok
}

// Has reports whether lang's own catalogue words key (without falling back to English).
func Has(lang, key string) bool {
	_, ok := find(lang, key)
	return ok
}

func find(lang, key string) (string, bool) {
	mu.RLock()
	defer mu.RUnlock()
	for _, words := range catalogue[lang] {
		if w, ok := words[key]; ok {
			return w, true
		}
	}
	return "", false
}

// Wording is key's wording in lang as the catalogue holds it (else English's, else key itself),
// neither filled nor with its particles chosen: for callers that fill arguments themselves
// and then call Apply, since a particle after a placeholder can only be chosen once the
// placeholder holds its argument.
func Wording(lang, key string) string {
	if msg, ok := find(lang, key); ok {
		return msg
	}
	if msg, ok := find("en", key); ok {
		return msg
	}
	return key
}

// Text words key in lang: lang's wording, else English's, else the key itself (the TUI's
// words are written in English and looked up by their text). Arguments replace {0}, {1}, …;
// an argument "@kind:value" is itself worded by the catalogue's "who.kind" entry, whose {v} is
// value ("@pod:default/web" → "Pod default/web", "파드 default/web"). In Korean the two-way
// particles of the result are then chosen by what precedes them (Apply).
func Text(lang, key string, args ...string) string {
	msg, ok := find(lang, key)
	if !ok {
		if msg, ok = find("en", key); !ok {
			msg = key
		}
	}
	if len(args) > 0 && strings.Contains(msg, "{") {
		pairs := make([]string, 0, 2*len(args))
		for i, a := range args {
			pairs = append(pairs, "{"+strconv.Itoa(i)+"}", phrase(lang, a))
		}
		msg = strings.NewReplacer(pairs...).Replace(msg)
	}
	if lang == "ko" {
		msg = Apply(msg)
	}
	return msg
}

// phrase words an argument "@kind:value" by the catalogue's "who.kind"; other arguments are
// kept as they are.
func phrase(lang, arg string) string {
	kind, value, ok := strings.Cut(strings.TrimPrefix(arg, "@"), ":")
	if !ok || !strings.HasPrefix(arg, "@") {
		return arg
	}
	tmpl, found := find(lang, "who."+kind)
	if !found {
		tmpl, _ = find("en", "who."+kind)
	}
	return strings.ReplaceAll(tmpl, "{v}", value)
}

// Conflicts lists the keys two of lang's word lists both word, differently: one message must
// have one wording (the TUI's tests check the whole catalogue with it).
func Conflicts(lang string) []string {
	mu.RLock()
	defer mu.RUnlock()
	seen := map[string]string{}
	var out []string
	for _, words := range catalogue[lang] {
		for k, w := range words {
			if prev, ok := seen[k]; ok && prev != w {
				out = append(out, k)
			}
			seen[k] = w
		}
	}
	slices.Sort(out)
	return out
}
