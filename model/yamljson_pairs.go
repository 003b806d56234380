package model

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/svcviz/svcviz/internal/yamlevents"
)

// pairs appends the entries of the mapping at i to w.ps, with merge keys expanded as go-yaml
// v2 (kubectl's reader) expands them: in place, a list of merged mappings in reverse so that the
// first one wins; then marks every entry that a later one with the same key overrides. It
// returns the entries appended.
func (w *walker) pairs(i int32) ([]pair, error) {
	start := len(w.ps)
	if err := w.expand(i, true); err != nil {
		return nil, err
	}
	ps := w.ps[start:]
	w.shadow(ps)
	return ps, nil
}

// expand appends the pairs of the mapping at i.
func (w *walker) expand(i int32, explicit bool) error {
	f := w.f
	for j := i + 1; j < f.evs[i].link; {
		k := f.deref(j)
		v := f.next(j)
		ke := &f.evs[k]
		if ke.kind != yamlevents.Scalar {
			return &parseError{line: int(f.evs[j].line), msg: "line " + strconv.Itoa(int(f.evs[j].line)) + ": a mapping key must be a plain value"}
		}
		if ke.style == yamlevents.Plain && (ke.tag == "" && string(ke.value) == "<<" || ke.tag == "!!merge") {
			if err := w.merge(v); err != nil {
				return err
			}
			j = f.next(v)
			continue
		}
		// Every entry counts against the budget: merges of merges multiply entries.
		w.budget--
		if w.budget < 0 {
			return errTooLarge
		}
		key, err := jsonKey(ke)
		if err != nil {
			return &scalarError{line: ke.line, msg: err.Error()}
		}
		w.ps = append(w.ps, pair{key: key, keyLine: f.evs[j].line, val: v, explicit: explicit})
		j = f.next(v)
	}
	return nil
}

// merge expands the value of a merge key (<<): a mapping, or a list of them.
func (w *walker) merge(v int32) error {
	// Merges count against the same budget and depth as values: an anchor may merge itself
	// (`c: &c {<<: *c}`), which is a cycle.
	if err := w.enter(); err != nil {
		return err
	}
	defer w.leave()
	f := w.f
	line := f.evs[v].line
	v = f.deref(v)
	switch f.evs[v].kind {
	case yamlevents.MappingStart:
		return w.expand(v, false)
	case yamlevents.SequenceStart:
		var items []int32
		for j := v + 1; j < f.evs[v].link; j = f.next(j) {
			items = append(items, j)
		}
		for n := len(items) - 1; n >= 0; n-- {
			if f.evs[f.deref(items[n])].kind != yamlevents.MappingStart {
				return &parseError{line: int(line), msg: "line " + strconv.Itoa(int(line)) + ": merge key (<<) needs a mapping"}
			}
			if err := w.merge(items[n]); err != nil {
				return err
			}
		}
		return nil
	}
	return &parseError{line: int(line), msg: "line " + strconv.Itoa(int(line)) + ": merge key (<<) needs a mapping"}
}

// shadow marks pairs overridden by a later one, and notes a key written twice in one mapping.
func (w *walker) shadow(ps []pair) {
	if len(ps) <= 16 {
		for a := range ps {
			for b := a + 1; b < len(ps); b++ {
				if bytes.Equal(ps[a].key, ps[b].key) {
					w.shadowed(&ps[a], &ps[b])
					break
				}
			}
		}
		return
	}
	last := make(map[string]int, len(ps))
	for b := len(ps) - 1; b >= 0; b-- {
		if a, ok := last[string(ps[b].key)]; ok {
			w.shadowed(&ps[b], &ps[a])
		}
		last[string(ps[b].key)] = b
	}
}

// shadowed marks a as overridden by b, and says so when both are written in the mapping.
func (w *walker) shadowed(a, b *pair) {
	a.shadowed = true
	if !a.explicit || !b.explicit {
		return
	}
	w.path = append(w.path, pathSeg{key: b.key, idx: -1})
	p := w.pathString()
	w.path = w.path[:len(w.path)-1]
	msg := W("duplicate field {0}: the last value wins", strconv.Quote(Escape(p)))
	w.issues = append(w.issues, fieldIssue{sev: Warning, code: CodeUnknownField, path: p, line: int(b.keyLine),
		msg: msg.String(), msgW: msg, hint: W("remove one of the two")})
}

// pathString writes the walk's path as Meta.Pos reads it and kubectl prints it:
// spec.ports[0].targetPort; keys with dots or brackets go in brackets.
func (w *walker) pathString() string {
	return segsString(w.path)
}

func segsString(segs []pathSeg) string {
	var b strings.Builder
	for _, s := range segs {
		switch {
		case s.key == nil:
			b.WriteString("[" + strconv.Itoa(s.idx) + "]")
		case bytes.ContainsAny(s.key, ".[]"):
			b.WriteString("[")
			b.Write(s.key)
			b.WriteString("]")
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.Write(s.key)
		}
	}
	return b.String()
}

// ancestorWith returns the path of the nearest enclosing object, above the current one, that
// has a field named key: `ports` under a livenessProbe belongs to the container.
func (w *walker) ancestorWith(key []byte) string {
	for n := len(w.structs) - 2; n >= 0; n-- {
		if _, ok := w.structs[n].s.fields[string(key)]; ok {
			if d := w.structs[n].depth; d > 0 {
				return segsString(w.path[:d])
			}
			return "the object"
		}
	}
	return ""
}
