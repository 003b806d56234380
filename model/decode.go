package model

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"
)

// chunk is one YAML document of a file, with the line it starts on.
type chunk struct {
	data  []byte
	line  int // 1-based line of the chunk's first byte
	index int // 1-based document number
	// lines maps the YAML parser's line numbers to the file's when they differ: the parser also
	// breaks lines at a lone CR, NEL, U+2028 and U+2029, which editors and the YAML pane do not.
	// nil when the chunk has none of them.
	lines []int32
}

// fileLine turns a line number of the YAML parser (1-based, within the chunk) into the file's.
func (c *chunk) fileLine(yamlLine int) int {
	if yamlLine < 1 {
		yamlLine = 1
	}
	if c.lines == nil {
		return c.line + yamlLine - 1
	}
	if yamlLine > len(c.lines) {
		return int(c.lines[len(c.lines)-1])
	}
	return int(c.lines[yamlLine-1])
}

// yamlLines builds chunk.lines, counting breaks as the parser does (CRLF is one), or returns nil
// when every break is a plain newline.
func yamlLines(data []byte, first int) []int32 {
	odd := bytes.Contains(data, []byte("\xc2\x85")) || bytes.Contains(data, []byte("\xe2\x80\xa8")) || bytes.Contains(data, []byte("\xe2\x80\xa9"))
	for i := bytes.IndexByte(data, '\r'); i >= 0 && !odd; {
		if i+1 >= len(data) || data[i+1] != '\n' {
			odd = true
			break
		}
		j := bytes.IndexByte(data[i+1:], '\r')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	if !odd {
		return nil
	}
	lines := []int32{int32(first)}
	file := int32(first)
	for i := 0; i < len(data); i++ {
		switch {
		case data[i] == '\n':
			file++
		case data[i] == '\r':
			if i+1 < len(data) && data[i+1] == '\n' {
				i++
				file++
			}
		case data[i] == 0xc2 && i+1 < len(data) && data[i+1] == 0x85:
			i++
		case data[i] == 0xe2 && i+2 < len(data) && data[i+1] == 0x80 && (data[i+2] == 0xa8 || data[i+2] == 0xa9):
			i += 2
		default:
			continue
		}
		lines = append(lines, file)
	}
	return lines
}

// splitDocuments cuts a stream at `---` lines and `...` document-end lines, as kubectl's YAML
// reader does, so that one broken document does not hide the others and every line number stays
// true to the file. Chunks with nothing but blanks and comments are dropped.
func splitDocuments(data []byte) []chunk {
	var out []chunk
	start, startLine, line := 0, 1, 1
	index := 0
	flush := func(end int) {
		index++
		if !blankDocument(data[start:end]) {
			out = append(out, chunk{data: data[start:end], line: startLine, index: index, lines: yamlLines(data[start:end], startLine)})
		}
	}
	for pos := 0; pos < len(data); {
		next := bytes.IndexByte(data[pos:], '\n')
		lineEnd := len(data)
		if next >= 0 {
			lineEnd = pos + next + 1
		}
		if isSeparator(data[pos:lineEnd]) {
			if pos > start || index > 0 {
				flush(pos)
			}
			start, startLine = lineEnd, line+1
		}
		pos = lineEnd
		line++
	}
	if start < len(data) {
		flush(len(data))
	}
	return out
}

// isSeparator matches "---" (optionally followed by spaces or a comment) and "...".
func isSeparator(l []byte) bool {
	l = bytes.TrimRight(l, " \t\r\n")
	if bytes.Equal(l, []byte("...")) {
		return true
	}
	if !bytes.HasPrefix(l, []byte("---")) {
		return false
	}
	rest := bytes.TrimLeft(l[3:], " \t")
	return len(rest) == 0 || rest[0] == '#'
}

func blankDocument(b []byte) bool {
	for len(b) > 0 {
		l := b
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			l, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		t := bytes.TrimSpace(l)
		if len(t) > 0 && t[0] != '#' {
			return false
		}
	}
	return true
}

var yamlLineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parseChunk parses one document. Errors carry the file's own line number.
func parseChunk(c chunk) (*yaml.Node, int, error) {
	var doc yaml.Node
	err := yaml.Unmarshal(c.data, &doc)
	if err != nil {
		msg := err.Error()
		if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line := c.fileLine(n)
			if strings.Contains(m[2], "tab character") {
				line = c.line - 1 + tabLine(c.data, line-c.line+1)
			}
			return nil, line, errors.New(m[2])
		}
		return nil, c.line, errors.New(strings.TrimPrefix(msg, "yaml: "))
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, c.line, nil
	}
	return doc.Content[0], c.line, nil
}

// tabLine finds the line indented with a tab that a "tab character that violates indentation"
// error means: the parser reports the line of the value before it.
func tabLine(data []byte, reported int) int {
	line := 1
	for len(data) > 0 {
		end := bytes.IndexByte(data, '\n')
		if end < 0 {
			end = len(data)
		}
		if line >= reported {
			indent := data[:end]
			indent = indent[:len(indent)-len(bytes.TrimLeft(indent, " \t"))]
			if bytes.IndexByte(indent, '\t') >= 0 {
				return line
			}
		}
		if end == len(data) {
			break
		}
		data = data[end+1:]
		line++
	}
	return reported
}

// converter turns a YAML node tree into JSON bytes and a posNode tree in one walk. It expands
// aliases with a budget, so an alias bomb ends in an error instead of unbounded memory.
type converter struct {
	buf    []byte
	ch     *chunk // turns the parser's lines into the file's
	budget int    // nodes that may still be written
	depth  int
	dup    bool // a mapping has a key twice
	kind   string
	path   []string // keys from the root to the mapping being written; "[]" for list items
	// Slabs the posNode tree is cut from: a few allocations per document instead of three per
	// mapping.
	nodes []posNode
	keys  []string
	kids  []*posNode
}

func (c *converter) newPos(line int32) *posNode {
	if len(c.nodes) == cap(c.nodes) {
		c.nodes = make([]posNode, 0, max(32, 2*cap(c.nodes)))
	}
	c.nodes = append(c.nodes, posNode{line: line})
	return &c.nodes[len(c.nodes)-1]
}

// cut returns an empty slice with room for n, taken from a slab.
func cut[T any](slab *[]T, n int) []T {
	if cap(*slab)-len(*slab) < n {
		*slab = make([]T, 0, max(32, n, 2*cap(*slab)))
	}
	l := len(*slab)
	*slab = (*slab)[:l+n]
	return (*slab)[l : l : l+n]
}

func (c *converter) line(n *yaml.Node) int32 { return int32(c.ch.fileLine(n.Line)) }

const maxDepth = 200

var errTooLarge = errors.New("document expands to too many values (alias bomb?)")
var errTooDeep = errors.New("document is nested too deeply")

// toJSON converts n. The budget is proportional to the document's size, so honest documents
// never hit it and aliases cannot multiply a small file into gigabytes.
//
// dup reports a mapping with a key written twice, which only strict decoding can name.
func toJSON(n *yaml.Node, ch *chunk, kind string) (js []byte, pos *posNode, dup bool, err error) {
	size := len(ch.data)
	c := &converter{buf: make([]byte, 0, size+size/4+16), ch: ch, budget: 4*size + 10000, kind: kind}
	p, err := c.node(n, c.line(n))
	if err != nil {
		return nil, nil, false, err
	}
	return c.buf, p, c.dup, nil
}

func (c *converter) node(n *yaml.Node, line int32) (*posNode, error) {
	c.budget--
	if c.budget < 0 {
		return nil, errTooLarge
	}
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > maxDepth {
		return nil, errTooDeep
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, errors.New("unknown alias")
		}
		return c.node(n.Alias, line)
	case yaml.MappingNode:
		return c.mapping(n, line)
	case yaml.SequenceNode:
		return c.sequence(n, line)
	case yaml.ScalarNode:
		if err := c.scalar(n, line); err != nil {
			return nil, err
		}
		return c.newPos(line), nil
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			c.buf = append(c.buf, "null"...)
			return c.newPos(line), nil
		}
		return c.node(n.Content[0], line)
	}
	return nil, fmt.Errorf("unsupported YAML node at line %d", int(line))
}

type pair struct {
	key   string
	value *yaml.Node
	line  int32
}

// pairs lists a mapping's entries with merge keys (`<<: *base`) applied: explicit keys win.
func (c *converter) pairs(n *yaml.Node) ([]pair, error) {
	out := make([]pair, 0, len(n.Content)/2)
	var merged []pair
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.AliasNode && k.Alias != nil {
			k = k.Alias
		}
		if k.Kind != yaml.ScalarNode {
			return nil, fmt.Errorf("line %d: a mapping key must be a plain value", c.line(k))
		}
		if k.Tag == "!!merge" {
			m, err := c.mergeSource(v)
			if err != nil {
				return nil, err
			}
			merged = append(merged, m...)
			continue
		}
		key, err := jsonKey(k)
		if err != nil {
			return nil, &scalarError{line: c.line(k), msg: err.Error()}
		}
		out = append(out, pair{key: key, value: v, line: c.line(k)})
	}
	if !c.dup && hasDuplicate(out) {
		c.dup = true
	}
	for _, m := range merged {
		if !hasKey(out, m.key) {
			out = append(out, m)
		}
	}
	return out, nil
}

// hasDuplicate reports a key written twice in one mapping.
func hasDuplicate(ps []pair) bool {
	if len(ps) <= 16 {
		for i := 1; i < len(ps); i++ {
			if hasKey(ps[:i], ps[i].key) {
				return true
			}
		}
		return false
	}
	seen := make(map[string]bool, len(ps))
	for _, p := range ps {
		if seen[p.key] {
			return true
		}
		seen[p.key] = true
	}
	return false
}

func (c *converter) mergeSource(v *yaml.Node) ([]pair, error) {
	// Merges count against the same budget and depth as values: an anchor may merge itself
	// (`c: &c {<<: *c}`), and the parser gives that as a cycle.
	c.budget--
	if c.budget < 0 {
		return nil, errTooLarge
	}
	c.depth++
	defer func() { c.depth-- }()
	if c.depth > maxDepth {
		return nil, errTooDeep
	}
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	switch v.Kind {
	case yaml.MappingNode:
		return c.pairs(v)
	case yaml.SequenceNode:
		var all []pair
		for _, item := range v.Content {
			p, err := c.mergeSource(item)
			if err != nil {
				return nil, err
			}
			for _, x := range p {
				if !hasKey(all, x.key) {
					all = append(all, x)
				}
			}
		}
		return all, nil
	}
	return nil, fmt.Errorf("line %d: merge key (<<) needs a mapping", c.line(v))
}

func hasKey(ps []pair, k string) bool {
	for _, p := range ps {
		if p.key == k {
			return true
		}
	}
	return false
}

func (c *converter) mapping(n *yaml.Node, line int32) (*posNode, error) {
	ps, err := c.pairs(n)
	if err != nil {
		return nil, err
	}
	p := c.newPos(line)
	p.keys, p.kids = cut(&c.keys, len(ps)), cut(&c.kids, len(ps))
	c.buf = append(c.buf, '{')
	for _, kv := range ps {
		if c.unused(kv.key) {
			continue
		}
		if len(p.keys) > 0 {
			c.buf = append(c.buf, ',')
		}
		c.buf = appendJSONString(c.buf, kv.key)
		c.buf = append(c.buf, ':')
		c.path = append(c.path, kv.key)
		kid, err := c.node(kv.value, kv.line)
		c.path = c.path[:len(c.path)-1]
		if err != nil {
			return nil, err
		}
		p.keys = append(p.keys, kv.key)
		p.kids = append(p.kids, kid)
	}
	c.buf = append(c.buf, '}')
	return p, nil
}

// Fields that say nothing about Service networking are left out of the JSON, so the typed
// decoder does not build them: a real `kubectl get -o yaml` dump is mostly managedFields,
// env, probes, resources and volumes. Unknown-field checks therefore cover only what svcviz
// uses.
var (
	containerKeep = map[string]bool{"name": true, "image": true, "ports": true, "restartPolicy": true}
	podSpecDrop   = map[string]bool{"volumes": true, "affinity": true, "tolerations": true, "securityContext": true,
		"topologySpreadConstraints": true, "imagePullSecrets": true, "dnsConfig": true, "readinessGates": true,
		"resourceClaims": true, "schedulingGates": true, "overhead": true}
)

// unused reports whether a key of the mapping at c.path is one of those fields.
func (c *converter) unused(key string) bool {
	path := c.path
	n := len(path)
	switch {
	case n == 0:
		// Pods and Services carry addresses in status; workloads' status is counters.
		return key == "status" && c.kind != "Pod" && c.kind != "Service"
	case path[n-1] == "metadata":
		return key == "managedFields"
	case n >= 2 && path[n-1] == "[]" && (path[n-2] == "containers" || path[n-2] == "initContainers" || path[n-2] == "ephemeralContainers"):
		return !containerKeep[key]
	case n == 1 && path[0] == "spec":
		return key == "volumeClaimTemplates" || c.kind == "Pod" && podSpecDrop[key]
	case n >= 2 && path[n-2] == "template" && path[n-1] == "spec":
		return podSpecDrop[key]
	}
	return false
}

func (c *converter) sequence(n *yaml.Node, line int32) (*posNode, error) {
	p := c.newPos(line)
	p.kids = cut(&c.kids, len(n.Content))
	c.buf = append(c.buf, '[')
	c.path = append(c.path, "[]")
	defer func() { c.path = c.path[:len(c.path)-1] }()
	for i, item := range n.Content {
		if i > 0 {
			c.buf = append(c.buf, ',')
		}
		kid, err := c.node(item, c.line(item))
		if err != nil {
			return nil, err
		}
		p.kids = append(p.kids, kid)
	}
	c.buf = append(c.buf, ']')
	return p, nil
}

// scalar writes a scalar as kubectl's conversion to JSON resolves it. kubectl reads YAML with
// sigs.k8s.io/yaml, which parses with go-yaml v2 (YAML 1.1 rules) and sends the API server the
// JSON that comes out; svcviz parses with yaml.v3 (YAML 1.2). The two resolve plain scalars
// alike (null, ints with 0x/0o/0b/leading-0 octal, signs and '_', floats) but for booleans: v2
// also reads y, yes, on, n, no, off (in the spellings of its resolve table) as true and false,
// so `canary: yes` is a bool that a string field refuses. Explicitly tagged scalars (!!int 1)
// must resolve to their tag, as in v2; !!binary is decoded; quoted and block scalars are
// strings. Numbers are written as encoding/json writes them, and NaN and infinities, which JSON
// cannot hold, make the document fail as kubectl's conversion does.
func (c *converter) scalar(n *yaml.Node, line int32) error {
	tag := n.Tag
	if n.Style&yaml.TaggedStyle != 0 {
		var err error
		if tag, err = taggedScalar(n); err != nil {
			return &scalarError{line: line, msg: err.Error()}
		}
	} else if n.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		tag = "!!str"
	} else if tag == "!!str" {
		if b, ok := yaml11Bool(n.Value); ok {
			c.buf = strconv.AppendBool(c.buf, b)
			return nil
		}
	}
	switch tag {
	case "!!null":
		c.buf = append(c.buf, "null"...)
	case "!!bool":
		b, _ := yaml11Bool(n.Value)
		c.buf = strconv.AppendBool(c.buf, b)
	case "!!int":
		c.buf = appendInt(c.buf, n.Value)
	case "!!float":
		f, err := parseYAMLFloat(n.Value)
		if err == nil && (math.IsInf(f, 0) || math.IsNaN(f)) {
			err = errors.New("json: unsupported value: " + strconv.FormatFloat(f, 'g', -1, 64) + " (JSON has no NaN or infinity, so kubectl refuses the document)")
		}
		if err != nil {
			return &scalarError{line: line, msg: err.Error()}
		}
		c.buf = appendJSONFloat(c.buf, f)
	case "!!binary":
		data, err := base64.StdEncoding.DecodeString(n.Value)
		if err != nil {
			return &scalarError{line: line, msg: "!!binary value contains invalid base64 data"}
		}
		c.buf = appendJSONString(c.buf, string(data))
	default:
		c.buf = appendJSONString(c.buf, n.Value)
	}
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
func taggedScalar(n *yaml.Node) (string, error) {
	tag := n.ShortTag()
	switch tag {
	case "!!bool", "!!int", "!!float", "!!null":
	case "!!binary":
		return tag, nil
	default:
		return "!!str", nil
	}
	got := plainTag(n.Value)
	if got == tag || (tag == "!!float" && got == "!!int") {
		return tag, nil
	}
	return "", fmt.Errorf("cannot decode %s `%s` as a %s", got, Escape(n.Value), tag)
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
// a value, and sigs.k8s.io/yaml prints non-string keys (yes: → "true", 0x1F: → "31").
func jsonKey(k *yaml.Node) (string, error) {
	v := k.Value
	tag := k.Tag
	switch {
	case k.Style&yaml.TaggedStyle != 0:
		var err error
		if tag, err = taggedScalar(k); err != nil {
			return "", err
		}
	case k.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return v, nil
	case tag == "!!str":
		if b, ok := yaml11Bool(v); ok {
			return strconv.FormatBool(b), nil
		}
		return v, nil
	}
	switch tag {
	case "!!bool":
		b, _ := yaml11Bool(v)
		return strconv.FormatBool(b), nil
	case "!!int":
		return string(appendInt(nil, v)), nil
	case "!!float":
		f, err := parseYAMLFloat(v)
		if err != nil {
			return "", err
		}
		switch {
		case math.IsNaN(f):
			return ".nan", nil
		case math.IsInf(f, 1):
			return ".inf", nil
		case math.IsInf(f, -1):
			return "-.inf", nil
		}
		return strconv.FormatFloat(f, 'g', -1, 32), nil
	case "!!null":
		return "", fmt.Errorf("a mapping key is null (%s), which kubectl cannot convert to JSON: quote it", quote(v))
	case "!!binary":
		data, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return "", errors.New("!!binary value contains invalid base64 data")
		}
		return string(data), nil
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
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

// topScalar returns the value of a top-level scalar field ("kind", "apiVersion") without
// decoding the document.
func topScalar(n *yaml.Node, key string) string {
	if n == nil || n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key && n.Content[i+1].Kind == yaml.ScalarNode {
			return n.Content[i+1].Value
		}
	}
	return ""
}

// mapValue returns the value node of a mapping key.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// jsonFrame is one open container while jsonPathAt walks a document.
type jsonFrame struct {
	array   bool
	index   int    // arrays: the item being read
	key     string // mappings: the key being read
	wantKey bool   // mappings: the next token is a key
}

// jsonPathAt returns the field path, with list indices ("spec.ports[0].port"), of the value
// the typed decoder was reading when it stopped at offset: the first value whose first token
// ends at or after it. The decoder's own path has no indices, so it cannot point at a line. It
// returns "" when offset is not within js.
func jsonPathAt(js []byte, offset int64) string {
	var stack []jsonFrame
	dec := json.NewDecoder(bytes.NewReader(js))
	dec.UseNumber()
	done := func() { // a value of the innermost container has been read
		if len(stack) == 0 {
			return
		}
		top := &stack[len(stack)-1]
		if top.array {
			top.index++
		} else {
			top.wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			done()
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].wantKey {
			stack[n-1].key, _ = tok.(string)
			stack[n-1].wantKey = false
			continue
		}
		if dec.InputOffset() >= offset {
			return framesPath(stack)
		}
		if d, ok := tok.(json.Delim); ok {
			stack = append(stack, jsonFrame{array: d == '[', wantKey: d == '{'})
			continue
		}
		done()
	}
}

// framesPath writes a path as Meta.Pos reads it; keys with dots or brackets go in brackets.
func framesPath(stack []jsonFrame) string {
	var b strings.Builder
	for _, f := range stack {
		switch {
		case f.array:
			b.WriteString("[" + strconv.Itoa(f.index) + "]")
		case strings.ContainsAny(f.key, ".[]"):
			b.WriteString("[" + f.key + "]")
		default:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(f.key)
		}
	}
	return b.String()
}
