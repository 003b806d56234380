// Package yamlevents is the YAML parser of go.yaml.in/yaml/v3 v3.0.4 (libyaml's reader, scanner
// and parser, ported to Go), with its event stream exported.
//
// yaml.v3 builds a node tree from these events and keeps the events themselves unexported;
// svcviz turns YAML into JSON and a line index in one pass over the events, without the tree
// (BENCHMARKS.md says why and what it saves). The files readerc.go, scannerc.go, parserc.go,
// yamlh.go, yamlprivateh.go and apic.go are upstream's, unchanged but for the package name
// (hence their length); LICENSE and NOTICE are upstream's. Only this file is svcviz's. Keeping
// upstream's parser, rather than another one, keeps every YAML behaviour and error message svcviz
// had with yaml.v3: its tests and fuzz corpus were written against them.
package yamlevents

import "strconv"

// Kind is an event's type.
type Kind int8

// Event kinds, as libyaml names them.
const (
	StreamStart   = Kind(yaml_STREAM_START_EVENT)
	StreamEnd     = Kind(yaml_STREAM_END_EVENT)
	DocumentStart = Kind(yaml_DOCUMENT_START_EVENT)
	DocumentEnd   = Kind(yaml_DOCUMENT_END_EVENT)
	Alias         = Kind(yaml_ALIAS_EVENT)
	Scalar        = Kind(yaml_SCALAR_EVENT)
	SequenceStart = Kind(yaml_SEQUENCE_START_EVENT)
	SequenceEnd   = Kind(yaml_SEQUENCE_END_EVENT)
	MappingStart  = Kind(yaml_MAPPING_START_EVENT)
	MappingEnd    = Kind(yaml_MAPPING_END_EVENT)
	TailComment   = Kind(yaml_TAIL_COMMENT_EVENT)
)

func (k Kind) String() string { return yaml_event_type_t(k).String() }

// Style is how a scalar or collection was written.
type Style uint8

// Styles; Plain is the zero value.
const (
	Plain Style = iota
	SingleQuoted
	DoubleQuoted
	Literal
	Folded
	Flow // a flow sequence or mapping ([a, b], {a: b})
)

// Event is one parser event. Its byte slices are the event's own (the parser does not reuse
// them), so they stay valid after the next call.
type Event struct {
	Kind   Kind
	Style  Style
	Line   int    // 1-based line the event starts on, as yaml.v3 gives it in Node.Line
	Anchor []byte // &name on a node, or the name an alias refers to
	Tag    []byte // the full tag ("tag:yaml.org,2002:int" for !!int); nil when none is written
	Value  []byte // a scalar's value
}

// Error is a syntax error, with the line yaml.v3 reports for it (0 when it gives none).
type Error struct {
	Line int
	Msg  string
}

// Error reads as yaml.v3's error without its "yaml: " prefix: "line 3: mapping values are
// not allowed in this context".
func (e *Error) Error() string {
	if e.Line == 0 {
		return e.Msg
	}
	return "line " + strconv.Itoa(e.Line) + ": " + e.Msg
}

// Parser reads events from a byte slice. The zero value is ready for Reset.
type Parser struct {
	p  yaml_parser_t
	ev yaml_event_t
}

// Reset starts parsing input, keeping the buffers of the previous input. The previous input's
// event values (Value, Anchor, Tag) must no longer be in use: their memory is reused.
func (p *Parser) Reset(input []byte) {
	raw, buf := p.p.raw_buffer, p.p.buffer
	if cap(raw) == 0 {
		raw, buf = make([]byte, 0, input_raw_buffer_size), make([]byte, 0, input_buffer_size)
	}
	tokens, indents, keys, states, marks := p.p.tokens, p.p.indents, p.p.simple_keys, p.p.states, p.p.marks
	p.p = yaml_parser_t{
		// the previous input's event values are dead (Reset's contract): its slab is reused
		scalar_slab: p.p.scalar_slab_base, scalar_slab_base: p.p.scalar_slab_base,
		raw_buffer: raw[:0], buffer: buf[:0],
		tokens: tokens[:0], indents: indents[:0], simple_keys: keys[:0], states: states[:0], marks: marks[:0],
	}
	if len(input) == 0 {
		input = []byte{'\n'} // as yaml.v3 does
	}
	yaml_parser_set_input_string(&p.p, input)
}

// Next returns the next event. After StreamEnd or an error it keeps returning the same.
func (p *Parser) Next() (Event, error) {
	if !yaml_parser_parse(&p.p, &p.ev) || p.p.error != yaml_NO_ERROR {
		return Event{}, p.fail()
	}
	ev := &p.ev
	out := Event{Kind: Kind(ev.typ), Line: ev.start_mark.line + 1, Anchor: ev.anchor, Tag: ev.tag, Value: ev.value}
	switch ev.typ {
	case yaml_SCALAR_EVENT:
		switch s := yaml_scalar_style_t(ev.style); {
		case s&yaml_DOUBLE_QUOTED_SCALAR_STYLE != 0:
			out.Style = DoubleQuoted
		case s&yaml_SINGLE_QUOTED_SCALAR_STYLE != 0:
			out.Style = SingleQuoted
		case s&yaml_LITERAL_SCALAR_STYLE != 0:
			out.Style = Literal
		case s&yaml_FOLDED_SCALAR_STYLE != 0:
			out.Style = Folded
		}
	case yaml_SEQUENCE_START_EVENT:
		if yaml_sequence_style_t(ev.style)&yaml_FLOW_SEQUENCE_STYLE != 0 {
			out.Style = Flow
		}
	case yaml_MAPPING_START_EVENT:
		if yaml_mapping_style_t(ev.style)&yaml_FLOW_MAPPING_STYLE != 0 {
			out.Style = Flow
		}
	}
	return out, nil
}

// fail is yaml.v3's parser.fail: the line of the error's context, else of the problem.
func (p *Parser) fail() *Error {
	line := 0
	if p.p.context_mark.line != 0 {
		line = p.p.context_mark.line
		if p.p.error == yaml_SCANNER_ERROR {
			line++ // scanner errors don't iterate line before returning error
		}
	} else if p.p.problem_mark.line != 0 {
		line = p.p.problem_mark.line
		if p.p.error == yaml_SCANNER_ERROR {
			line++
		}
	}
	msg := p.p.problem
	if msg == "" {
		msg = "unknown problem parsing YAML content"
	}
	return &Error{Line: line, Msg: msg}
}
