package model

// The recorded document: one pass of go.yaml.in/yaml/v3's parser (internal/yamlevents) keeps a
// document's events in a flat slice, reused from document to document, with the links that
// let the walk in yamljson.go jump over a node, follow an alias, or find a key. It is not a
// node tree: one small struct per event, no allocation per node.

import (
	"bytes"
	"sync"

	"github.com/svcviz/svcviz/internal/yamlevents"
)

// yev is one recorded event.
type yev struct {
	kind  yamlevents.Kind
	style yamlevents.Style
	line  int32 // the file's line
	// link is, for a collection's start, the index of its end; for an alias, the index of the
	// node it refers to.
	link  int32
	tag   string // the short form of an explicit tag ("!!int"); "" when none
	value []byte
}

// frontEnd holds one worker's parser and event buffer, reused across documents.
type frontEnd struct {
	p       yamlevents.Parser
	evs     []yev
	anchors map[string]int32
	stack   []int32
	w       walker
}

var frontEnds = sync.Pool{New: func() any { return &frontEnd{anchors: map[string]int32{}} }}

// parseError is a syntax error at a line of the file.
type parseError struct {
	line int
	msg  string
}

func (e *parseError) Error() string { return e.msg }

// record parses the first document of ch into f.evs. It returns false for a document with no
// node.
func (f *frontEnd) record(ch *chunk) (bool, error) {
	f.p.Reset(ch.data)
	f.evs, f.stack = f.evs[:0], f.stack[:0]
	clear(f.anchors)
	for {
		ev, err := f.p.Next()
		if err != nil {
			return false, chunkError(ch, err.(*yamlevents.Error))
		}
		switch ev.Kind {
		case yamlevents.StreamStart, yamlevents.DocumentStart, yamlevents.TailComment:
			continue
		case yamlevents.DocumentEnd, yamlevents.StreamEnd:
			return len(f.evs) > 0, nil // yaml.v3's Unmarshal reads the first document only
		}
		i := int32(len(f.evs))
		e := yev{kind: ev.Kind, style: ev.Style, line: int32(ch.fileLine(ev.Line)), value: ev.Value}
		if len(ev.Tag) > 0 && !(len(ev.Tag) == 1 && ev.Tag[0] == '!') {
			e.tag = shortTag(ev.Tag)
		}
		switch ev.Kind {
		case yamlevents.Alias:
			target, ok := f.anchors[string(ev.Anchor)]
			if !ok {
				return false, &parseError{line: int(e.line), msg: "unknown anchor '" + Escape(string(ev.Anchor)) + "' referenced"}
			}
			e.link = target
		case yamlevents.SequenceStart, yamlevents.MappingStart:
			f.stack = append(f.stack, i)
		case yamlevents.SequenceEnd, yamlevents.MappingEnd:
			start := f.stack[len(f.stack)-1]
			f.stack = f.stack[:len(f.stack)-1]
			f.evs[start].link = i
		}
		if len(ev.Anchor) > 0 && ev.Kind != yamlevents.Alias {
			f.anchors[string(ev.Anchor)] = i
		}
		f.evs = append(f.evs, e)
	}
}

// chunkError turns the parser's error into the file's line, as yaml.v3 reported it.
func chunkError(ch *chunk, e *yamlevents.Error) error {
	if e.Line == 0 {
		return &parseError{line: ch.line, msg: e.Msg}
	}
	line := ch.fileLine(e.Line)
	if bytes.Contains([]byte(e.Msg), []byte("tab character")) {
		line = ch.line - 1 + tabLine(ch.data, line-ch.line+1)
	}
	return &parseError{line: line, msg: e.Msg}
}

func shortTag(tag []byte) string {
	const long = "tag:yaml.org,2002:"
	if bytes.HasPrefix(tag, []byte(long)) {
		return "!!" + string(tag[len(long):])
	}
	return string(tag)
}

// next returns the index after the node at i.
func (f *frontEnd) next(i int32) int32 {
	switch f.evs[i].kind {
	case yamlevents.SequenceStart, yamlevents.MappingStart:
		return f.evs[i].link + 1
	}
	return i + 1
}

// deref follows an alias.
func (f *frontEnd) deref(i int32) int32 {
	if f.evs[i].kind == yamlevents.Alias {
		return f.evs[i].link
	}
	return i
}

// lookup returns the value of a plain key of the mapping at i (the last one written), or -1.
func (f *frontEnd) lookup(i int32, key string) int32 {
	if i < 0 {
		return -1
	}
	i = f.deref(i)
	if f.evs[i].kind != yamlevents.MappingStart {
		return -1
	}
	found := int32(-1)
	for j := i + 1; j < f.evs[i].link; {
		k := f.evs[f.deref(j)]
		v := f.next(j)
		if k.kind == yamlevents.Scalar && string(k.value) == key {
			found = f.deref(v)
		}
		j = f.next(v)
	}
	return found
}

// text returns the scalar at i ("" when it is not one).
func (f *frontEnd) text(i int32) string {
	if i < 0 || f.evs[i].kind != yamlevents.Scalar {
		return ""
	}
	return string(f.evs[i].value)
}

// at finds the node a field path ("spec.ports[0].name") names, following aliases and merge
// keys as the walk does; -1 when it is not written as such.
func (f *frontEnd) at(root int32, path string) int32 {
	i := root
	for _, seg := range splitPath(path) {
		i = f.deref(i)
		e := &f.evs[i]
		switch {
		case e.kind == yamlevents.SequenceStart && len(seg) > 2 && seg[0] == '[':
			n, ok := atoiSafe(seg[1 : len(seg)-1])
			if !ok {
				return -1
			}
			j := i + 1
			for ; n > 0 && j < e.link; n-- {
				j = f.next(j)
			}
			if j >= e.link {
				return -1
			}
			i = j
		case e.kind == yamlevents.MappingStart:
			w := &walker{f: f, budget: 10000}
			ps, err := w.pairs(i)
			if err != nil {
				return -1
			}
			i = -1
			for _, p := range ps {
				if string(p.key) == seg && !p.shadowed {
					i = p.val
				}
			}
			if i < 0 {
				return -1
			}
		default:
			return -1
		}
	}
	return f.deref(i)
}
