package model

import (
	"encoding/json"
	"reflect"
	"strings"
)

type kjsonTypeError = json.UnmarshalTypeError

// suggestField names the field a mistyped one probably meant ("targetport" → "targetPort"):
// the fields that exist where the unknown one stands, compared case-insensitively and then by
// edit distance.
func suggestField(obj any, path string) string {
	segs := splitPath(path)
	if len(segs) == 0 {
		return ""
	}
	t := reflect.TypeOf(obj)
	for _, seg := range segs[:len(segs)-1] {
		t = elem(t)
		if strings.HasPrefix(seg, "[") {
			continue
		}
		f, ok := jsonField(t, seg)
		if !ok {
			return ""
		}
		t = f
	}
	t = elem(t)
	if t.Kind() != reflect.Struct {
		return ""
	}
	bad := segs[len(segs)-1]
	best, bestDist := "", 3
	for _, name := range jsonNames(t) {
		if strings.EqualFold(name, bad) {
			return name
		}
		if d := EditDistance(strings.ToLower(name), strings.ToLower(bad)); d < bestDist {
			best, bestDist = name, d
		}
	}
	return best
}

// elem strips pointers, slices and maps down to the type a path segment addresses.
func elem(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	return t
}

func jsonField(t reflect.Type, name string) (reflect.Type, bool) {
	if t.Kind() != reflect.Struct {
		return nil, false
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")
		if tag[0] == name {
			return f.Type, true
		}
		if f.Anonymous && (tag[0] == "" || len(tag) > 1 && tag[1] == "inline") {
			if ft, ok := jsonField(elem(f.Type), name); ok {
				return ft, true
			}
		}
	}
	return nil, false
}

func jsonNames(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := strings.Split(f.Tag.Get("json"), ",")
		if f.Anonymous && (tag[0] == "" || len(tag) > 1 && tag[1] == "inline") {
			out = append(out, jsonNames(elem(f.Type))...)
			continue
		}
		if tag[0] != "" && tag[0] != "-" {
			out = append(out, tag[0])
		}
	}
	return out
}

// EditDistance is the Levenshtein distance between two strings, counted in bytes (netsim uses it
// to suggest the nearest Service name too).
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
