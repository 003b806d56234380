package model

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
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
	// sized for the separators, so that a large dump's list is not regrown as it fills
	out := make([]chunk, 0, bytes.Count(data, []byte("\n---"))+1)
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
