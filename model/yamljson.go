package model

// YAML to JSON with positions: the front end of the loader. One pass of go.yaml.in/yaml/v3's
// parser (internal/yamlevents) records a document's events in a flat, reused slice; a walk over
// them, guided by the schema of the object's k8s.io/api type, then
//   - checks every field of the whole object as `kubectl apply`'s strict field validation does
//     (unknown fields, scalars of the wrong type), with the path and line of each;
//   - writes the JSON the typed decoder reads, leaving out fields the simulation does not use;
//   - records the line of every field it writes (posTree).
// No node tree is built. Scalars resolve as kubectl reads them (YAML 1.1, see scalar.go);
// repeated keys and merge keys (<<) resolve as go-yaml v2, which kubectl uses, resolves them:
// in order, the last value of a key winning.

import (
	"errors"
	"slices"
	"strconv"

	"github.com/svcviz/svcviz/internal/yamlevents"
)

// walker writes one object's JSON and positions. Its buffers are reused across documents.
type walker struct {
	f      *frontEnd
	buf    []byte
	budget int // nodes that may still be visited
	depth  int
	path   []pathSeg
	issues []fieldIssue
	ps     []pair // a stack of mappings' pairs
	// structs are the struct-typed mappings being walked, with the path length at each: an
	// unknown field is looked up in them for a hint.
	structs []structAt
	pos     posTree // the object's positions, copied out at the end of the walk
	keys    keyCache
}

type structAt struct {
	s     *schema
	depth int
}

// pathSeg is a mapping key, or a sequence index when key is nil.
type pathSeg struct {
	key []byte
	idx int
}

// fieldIssue is a finding of the walk about one field.
type fieldIssue struct {
	sev        Severity
	code       string
	path, msg  string
	msgW       Words // msg as svcviz's words, when it is not the decoder's or the API server's
	hint       Words
	line       int
	notDecoded bool // the object cannot be decoded (kubectl refuses it)
}

// pair is one entry of a mapping, after merge keys are expanded.
type pair struct {
	key      []byte
	keyLine  int32
	val      int32
	explicit bool // written in the mapping itself, not merged in
	shadowed bool // a later pair has the same key: go-yaml v2 keeps the last
}

const maxDepth = 200

var errTooLarge = errors.New("document expands to too many values (alias bomb?)")
var errTooDeep = errors.New("document is nested too deeply")

// convert walks the object at root against s. It returns the JSON to decode and its
// positions; findings are in w.issues. The budget is proportional to the document's size, so
// honest documents never hit it and aliases cannot multiply a small file into gigabytes.
func (w *walker) convert(f *frontEnd, root int32, s *schema, size int) ([]byte, posTree, error) {
	keys := w.keys
	if keys == nil {
		keys = keyCache{}
	}
	*w = walker{f: f, buf: w.buf[:0], path: w.path[:0], issues: w.issues[:0], ps: w.ps[:0], structs: w.structs[:0],
		pos: append(w.pos[:0], posEnt{line: f.evs[root].line}), keys: keys, budget: 4*size + 10000}
	if err := w.walk(root, s, true, f.evs[root].line, 0); err != nil {
		return nil, nil, err
	}
	return w.buf, slices.Clone(w.pos), nil
}

// reserve appends n entries for a node's children and returns the first.
func (w *walker) reserve(slot int32, n int, seq bool) int32 {
	first := int32(len(w.pos))
	w.pos = append(w.pos, make([]posEnt, n)...)
	w.pos[slot].first, w.pos[slot].kids = first, uint32(n)
	if seq {
		w.pos[slot].kids |= seqBit
	}
	return first
}

var anySchema = &schema{kind: schemaAny}

// enter counts one more value against the document's budget and depth (alias bombs, deep
// nesting and self-merging anchors end here); leave undoes the depth.
func (w *walker) enter() error {
	w.budget--
	if w.budget < 0 {
		return errTooLarge
	}
	w.depth++
	if w.depth > maxDepth {
		w.depth--
		return errTooDeep
	}
	return nil
}

func (w *walker) leave() { w.depth-- }

// walk visits the node at i, whose field has schema s, and writes it when emit is set. line is
// the line of its field; slot is its entry in w.pos when it is written.
func (w *walker) walk(i int32, s *schema, emit bool, line, slot int32) error {
	if err := w.enter(); err != nil {
		return err
	}
	defer w.leave()
	e := &w.f.evs[i]
	switch e.kind {
	case yamlevents.Alias:
		return w.walk(e.link, s, emit, line, slot)
	case yamlevents.Scalar:
		return w.scalar(e, s, emit, line)
	case yamlevents.SequenceStart:
		if s.kind != schemaSlice && s.kind != schemaAny {
			if !w.mismatch(s, "array", emit, line) {
				return nil
			}
			s = anySchema
		}
		return w.sequence(i, s, emit, slot)
	case yamlevents.MappingStart:
		if s.kind != schemaStruct && s.kind != schemaMap && s.kind != schemaAny {
			if !w.mismatch(s, "object", emit, line) {
				return nil
			}
			s = anySchema
		}
		return w.mapping(i, s, emit, slot)
	}
	return errors.New("unsupported YAML node at line " + strconv.Itoa(int(line)))
}

// mismatch notes a value of the wrong type in a field that is not decoded, and reports
// whether the walk goes on; in a decoded field the typed decoder names it.
func (w *walker) mismatch(s *schema, got string, emit bool, line int32) bool {
	if emit {
		return true
	}
	p := w.pathString()
	w.issues = append(w.issues, fieldIssue{sev: Error, code: CodeInvalidObject, path: p, line: int(line), notDecoded: true,
		msg: p + ": cannot use " + got + " as " + s.goType, hint: W("the field has the wrong type; quote strings and write numbers bare")})
	return false
}

func (w *walker) sequence(i int32, s *schema, emit bool, slot int32) error {
	ev := w.f.evs
	end := ev[i].link
	var first int32
	if emit {
		n := 0
		for j := i + 1; j < end; j = w.f.next(j) {
			n++
		}
		first = w.reserve(slot, n, true)
		w.buf = append(w.buf, '[')
	}
	elem := s.elem
	if s.kind == schemaAny {
		elem = anySchema
	}
	w.path = append(w.path, pathSeg{})
	for j, n := i+1, 0; j < end; j, n = w.f.next(j), n+1 {
		if emit && n > 0 {
			w.buf = append(w.buf, ',')
		}
		w.path[len(w.path)-1] = pathSeg{idx: n}
		kid := first + int32(n)
		if emit {
			w.pos[kid].line = ev[j].line
		}
		if err := w.walk(j, elem, emit, ev[j].line, kid); err != nil {
			return err
		}
	}
	w.path = w.path[:len(w.path)-1]
	if emit {
		w.buf = append(w.buf, ']')
	}
	return nil
}

// fieldOf returns the schema of a mapping's key, whether it is decoded, and the name to record;
// nil for an unknown field of a struct.
func fieldOf(s *schema, key []byte) (*schema, bool, *sfield) {
	switch s.kind {
	case schemaStruct:
		f := s.fields[string(key)]
		if f == nil {
			return nil, false, nil
		}
		return f.t, !f.drop, f
	case schemaMap:
		return s.elem, true, nil
	}
	return anySchema, true, nil
}

func (w *walker) mapping(i int32, s *schema, emit bool, slot int32) error {
	start := len(w.ps)
	ps, err := w.pairs(i)
	if err != nil {
		return err
	}
	end := len(w.ps)
	defer func() { w.ps = w.ps[:start] }()
	_ = ps
	if s.kind == schemaStruct {
		w.structs = append(w.structs, structAt{s, len(w.path)})
		defer func() { w.structs = w.structs[:len(w.structs)-1] }()
	}
	var first, written int32
	if emit {
		n := 0
		for k := start; k < end; k++ {
			if fs, keep, _ := fieldOf(s, w.ps[k].key); fs != nil && keep && !w.ps[k].shadowed {
				n++
			}
		}
		first = w.reserve(slot, n, false)
		w.buf = append(w.buf, '{')
	}
	for k := start; k < end; k++ {
		kv := w.ps[k]
		if kv.shadowed {
			continue
		}
		fs, keep, field := fieldOf(s, kv.key)
		w.path = append(w.path, pathSeg{key: kv.key, idx: -1})
		if fs == nil {
			w.unknown(s, kv)
			w.path = w.path[:len(w.path)-1]
			continue
		}
		emitKid := emit && keep
		kid := first + written
		if emitKid {
			if written > 0 {
				w.buf = append(w.buf, ',')
			}
			if field == nil { // a key of a map (labels, selector): interned through the cache
				w.buf = appendJSONBytes(w.buf, kv.key)
				w.pos[kid].key = w.keys.id(kv.key)
			} else { // a struct field: its id is the schema's
				w.buf = appendJSONString(w.buf, field.name)
				w.pos[kid].key = field.key
			}
			w.buf = append(w.buf, ':')
			w.pos[kid].line = kv.keyLine
			written++
		}
		err := w.walk(kv.val, fs, emitKid, kv.keyLine, kid)
		w.path = w.path[:len(w.path)-1]
		if err != nil {
			return err
		}
	}
	if emit {
		w.buf = append(w.buf, '}')
	}
	return nil
}

// unknown notes a field that the object's type does not have: `kubectl apply` refuses the
// object (strict field validation is its default).
func (w *walker) unknown(s *schema, kv pair) {
	p := w.pathString()
	var hint Words
	if sug := s.suggest(string(kv.key)); sug != "" {
		hint = W("did you mean {0}?", sug)
	} else if at := w.ancestorWith(kv.key); at != "" {
		hint = W("{0} is a field of {1}: is it indented too far?", Escape(string(kv.key)), at)
	}
	msg := W("unknown field {0}: kubectl apply refuses the object (strict field validation, its default)", strconv.Quote(Escape(p)))
	w.issues = append(w.issues, fieldIssue{sev: Error, code: CodeUnknownField, path: p, line: int(kv.keyLine), notDecoded: true,
		msg: msg.String(), msgW: msg, hint: hint})
}
