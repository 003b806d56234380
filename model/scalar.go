package model

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	yaml "go.yaml.in/yaml/v3"

	"github.com/svcviz/svcviz/internal/yamlevents"
)

// Scalars as kubectl resolves them. kubectl reads YAML with sigs.k8s.io/yaml, which parses with
// go-yaml v2 (YAML 1.1 rules) and sends the API server the JSON that comes out. yaml.v3's
// resolution (YAML 1.2) agrees on plain scalars (null, ints with 0x/0o/0b/leading-0 octal, signs
// and '_', floats) but for booleans: v2 also reads y, yes, on, n, no, off (in the spellings of
// its resolve table) as true and false, so `canary: yes` is a bool that a string field refuses.
// Explicitly tagged scalars (!!int 1) must resolve to their tag, as in v2; !!binary is decoded;
// quoted and block scalars are strings. Numbers are written as encoding/json writes them, and
// NaN and infinities, which JSON cannot hold, make the document fail as kubectl's conversion
// does.

// tagOf returns the tag a scalar resolves to.
func tagOf(e *yev) (string, error) {
	switch {
	case e.tag != "":
		return taggedScalar(e.tag, e.value)
	case e.style != yamlevents.Plain:
		return "!!str", nil
	}
	return plainTagBytes(e.value), nil
}

// plainTagBytes resolves a plain scalar, without allocating for the common cases.
func plainTagBytes(v []byte) string {
	if len(v) == 0 {
		return "!!null"
	}
	if _, ok := yaml11Bool(string(v)); ok {
		return "!!bool"
	}
	c := v[0]
	switch {
	case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		switch string(v) {
		case "null", "Null", "NULL":
			return "!!null"
		}
		return "!!str"
	case c >= '1' && c <= '9' && len(v) <= 18 && allDigits(v):
		return "!!int"
	case bytes.ContainsAny(v, notNumeric):
		return "!!str" // 100m, 128Mi, /healthz: no number, timestamp, null or bool has these
	}
	return plainTag(string(v))
}

// notNumeric are characters that no int, float, timestamp, .inf or .nan yaml.v3 resolves
// contains (hex digits, e, x, o, b, inf, nan, t and z do appear in them; ~ and << are handled
// by plainTag). A plain scalar that starts with no letter and holds one is a string.
const notNumeric = "ghjklmpqrsuvwyGHJKLMPQRSUVWY/%=@,"

func allDigits(v []byte) bool {
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// scalar checks a scalar against its field's schema and writes it when emit is set.
func (w *walker) scalar(e *yev, s *schema, emit bool, line int32) error {
	tag, err := tagOf(e)
	if err != nil {
		return &scalarError{line: line, msg: err.Error()}
	}
	if !emit {
		return w.checkScalar(e, tag, s, line)
	}
	switch tag {
	case "!!null":
		w.buf = append(w.buf, "null"...)
	case "!!bool":
		b, _ := yaml11Bool(string(e.value))
		w.buf = strconv.AppendBool(w.buf, b)
	case "!!int":
		if e.tag == "" && e.value[0] != '0' && allDigits(e.value) {
			w.buf = append(w.buf, e.value...)
		} else {
			w.buf = appendInt(w.buf, string(e.value))
		}
	case "!!float":
		f, err := scalarFloat(e.value)
		if err != nil {
			return &scalarError{line: line, msg: err.Error()}
		}
		w.buf = appendJSONFloat(w.buf, f)
	case "!!binary":
		data, err := base64.StdEncoding.DecodeString(string(e.value))
		if err != nil {
			return &scalarError{line: line, msg: "!!binary value contains invalid base64 data"}
		}
		w.buf = appendJSONBytes(w.buf, data)
	default:
		w.buf = appendJSONBytes(w.buf, e.value)
	}
	return nil
}

func scalarFloat(v []byte) (float64, error) {
	f, err := parseYAMLFloat(string(v))
	if err == nil && (math.IsInf(f, 0) || math.IsNaN(f)) {
		err = errors.New("json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64) + " (JSON has no NaN or infinity, so kubectl refuses the document)")
	}
	return f, err
}

// checkScalar checks a scalar of a field that is not decoded, as the typed decoder would.
func (w *walker) checkScalar(e *yev, tag string, s *schema, line int32) error {
	got := ""
	switch tag {
	case "!!null":
		return nil
	case "!!str", "!!binary":
		if tag == "!!binary" {
			if _, err := base64.StdEncoding.DecodeString(string(e.value)); err != nil {
				return &scalarError{line: line, msg: "!!binary value contains invalid base64 data"}
			}
		}
		if s.kind == schemaString || s.kind == schemaIntOrString || s.kind == schemaQuantity || s.kind == schemaAny {
			return nil
		}
		got = "string"
	case "!!int":
		if s.kind == schemaInt || s.kind == schemaFloat || s.kind == schemaIntOrString || s.kind == schemaQuantity || s.kind == schemaAny {
			return nil
		}
		got = "number"
	case "!!float":
		f, err := scalarFloat(e.value)
		if err != nil {
			return &scalarError{line: line, msg: err.Error()}
		}
		integral := f == math.Trunc(f)
		if s.kind == schemaFloat || s.kind == schemaQuantity || s.kind == schemaAny || integral && (s.kind == schemaInt || s.kind == schemaIntOrString) {
			return nil
		}
		got = "number"
		if !integral {
			got = "number " + strconv.FormatFloat(f, 'g', -1, 64)
		}
	case "!!bool":
		if s.kind == schemaBool || s.kind == schemaAny {
			return nil
		}
		got = "bool"
	}
	p := w.pathString()
	msg := p + ": cannot use " + got + " as " + s.goType
	hint := W("the field has the wrong type; quote strings and write numbers bare")
	if s.kind == schemaString && e.style == yamlevents.Plain && e.tag == "" {
		if b, ok := yaml11Bool(string(e.value)); ok {
			msg += ": kubectl reads YAML 1.1, where the unquoted " + Escape(string(e.value)) + " is the boolean " + strconv.FormatBool(b)
		}
		hint = W("quote it: {0}", quoteHint(p, string(e.value)))
	}
	w.issues = append(w.issues, fieldIssue{sev: Error, code: CodeInvalidObject, path: p, line: int(line), notDecoded: true, msg: msg, hint: hint})
	return nil
}

// scalarError is a scalar kubectl cannot convert to JSON; the document is refused.
type scalarError struct {
	line int32
	msg  string
}

func (e *scalarError) Error() string { return e.msg }

// yaml11Bool resolves the booleans of go-yaml v2's resolve table (YAML 1.1), in exactly its
// spellings: "yes", "Yes" and "YES" are booleans, "yEs" is a string.
func yaml11Bool(s string) (value, ok bool) {
	switch s {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON":
		return true, true
	case "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF":
		return false, true
	}
	return false, false
}

// plainTag is the tag go-yaml v2 gives s written plain: yaml.v3's resolution (the same tables
// but for booleans) with YAML 1.1's booleans.
func plainTag(s string) string {
	if _, ok := yaml11Bool(s); ok {
		return "!!bool"
	}
	return (&yaml.Node{Kind: yaml.ScalarNode, Value: s}).ShortTag()
}

// taggedScalar checks an explicitly tagged scalar as go-yaml v2 does: a !!bool, !!int, !!float
// or !!null must hold such a value (an int may stand for a float), and returns the tag to
// write it as. Other tags (!!str, !!timestamp, application tags) are strings.
func taggedScalar(tag string, value []byte) (string, error) {
	switch tag {
	case "!!bool", "!!int", "!!float", "!!null":
	case "!!binary":
		return tag, nil
	default:
		return "!!str", nil
	}
	got := plainTag(string(value))
	if got == tag || (tag == "!!float" && got == "!!int") {
		return tag, nil
	}
	return "", fmt.Errorf("cannot decode %s `%s` as a %s", got, Escape(string(value)), tag)
}

// parseYAMLFloat reads a float as go-yaml resolves it, including .nan and .inf.
func parseYAMLFloat(s string) (float64, error) {
	switch s {
	case ".nan", ".NaN", ".NAN":
		return math.NaN(), nil
	case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
		return math.Inf(1), nil
	case "-.inf", "-.Inf", "-.INF":
		return math.Inf(-1), nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(s, "_", ""), 64)
	if err != nil {
		return 0, fmt.Errorf("cannot decode %s as a float", quote(s))
	}
	return f, nil
}

// appendJSONFloat writes f as encoding/json does (1e+06 is 1000000, so it fits an integer field).
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// jsonKey is the JSON key kubectl makes of a mapping key: go-yaml v2 resolves a plain key like
// a value, and sigs.k8s.io/yaml prints non-string keys (yes: → "true", 0x1F: → "31"). The
// result may be the event's own bytes.
func jsonKey(e *yev) ([]byte, error) {
	v := e.value
	if e.tag == "" && e.style != yamlevents.Plain {
		return v, nil
	}
	tag, err := tagOf(e)
	if err != nil {
		return nil, err
	}
	switch tag {
	case "!!bool":
		b, _ := yaml11Bool(string(v))
		return strconv.AppendBool(nil, b), nil
	case "!!int":
		return appendInt(nil, string(v)), nil
	case "!!float":
		f, err := parseYAMLFloat(string(v))
		if err != nil {
			return nil, err
		}
		switch {
		case math.IsNaN(f):
			return []byte(".nan"), nil
		case math.IsInf(f, 1):
			return []byte(".inf"), nil
		case math.IsInf(f, -1):
			return []byte("-.inf"), nil
		}
		return strconv.AppendFloat(nil, f, 'g', -1, 32), nil
	case "!!null":
		return nil, fmt.Errorf("a mapping key is null (%s), which kubectl cannot convert to JSON: quote it", quote(string(v)))
	case "!!binary":
		data, err := base64.StdEncoding.DecodeString(string(v))
		if err != nil {
			return nil, errors.New("!!binary value contains invalid base64 data")
		}
		return data, nil
	}
	return v, nil
}

func appendInt(b []byte, s string) []byte {
	clean := strings.ReplaceAll(s, "_", "")
	if v, err := strconv.ParseInt(clean, 0, 64); err == nil {
		return strconv.AppendInt(b, v, 10)
	}
	if v, err := strconv.ParseUint(clean, 0, 64); err == nil {
		return strconv.AppendUint(b, v, 10)
	}
	// Too large for 64 bits: go-yaml makes it a float, which the typed decoder refuses for an
	// integer field.
	if f, err := strconv.ParseFloat(clean, 64); err == nil && !math.IsInf(f, 0) {
		return appendJSONFloat(b, f)
	}
	if isDigits(strings.TrimPrefix(clean, "-")) {
		return append(b, clean...)
	}
	return appendJSONString(b, s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as JSON; invalid UTF-8 becomes U+FFFD, as encoding/json does.
func appendJSONString(b []byte, s string) []byte {
	return appendJSONBytes(b, unsafe.Slice(unsafe.StringData(s), len(s))) // read only
}

// appendJSONBytes quotes s as JSON; invalid UTF-8 becomes U+FFFD, as encoding/json does.
func appendJSONBytes(b []byte, s []byte) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		ch := s[i]
		if ch < utf8.RuneSelf {
			switch {
			case ch == '"' || ch == '\\':
				b = append(b, '\\', ch)
			case ch < 0x20:
				b = append(b, '\\', 'u', '0', '0', hexDigits[ch>>4], hexDigits[ch&0xF])
			default:
				b = append(b, ch)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}
