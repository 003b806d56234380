package model

import "strings"

// posNode records where each field of a document stands, so that diagnostics and trace hops can
// point at a line. It is built in the same walk that turns the YAML into JSON, and keeps only
// lines: far smaller than the YAML node tree it comes from.
type posNode struct {
	line int32
	keys []string   // mapping keys, parallel to kids; nil for sequences
	kids []*posNode // mapping values, or sequence items
}

// child returns the node for one path segment: a mapping key, or "[i]" for a sequence index.
func (n *posNode) child(seg string) *posNode {
	if n == nil {
		return nil
	}
	if len(seg) > 2 && seg[0] == '[' && seg[len(seg)-1] == ']' && n.keys == nil {
		i, ok := atoiSafe(seg[1 : len(seg)-1])
		if !ok || i < 0 || i >= len(n.kids) {
			return nil
		}
		return n.kids[i]
	}
	for i, k := range n.keys {
		if k == seg {
			return n.kids[i]
		}
	}
	return nil
}

// splitPath turns "spec.ports[0].nodePort" into ["spec" "ports" "[0]" "nodePort"]. A segment
// in brackets that is not a number ("labels[app.kubernetes.io/name]") is a mapping key, so keys
// with dots can be named.
func splitPath(path string) []string {
	var segs []string
	for len(path) > 0 {
		switch {
		case path[0] == '.':
			path = path[1:]
		case path[0] == '[':
			end := strings.IndexByte(path, ']')
			if end < 0 {
				return append(segs, path)
			}
			inner := path[1:end]
			if _, ok := atoiSafe(inner); ok {
				segs = append(segs, path[:end+1])
			} else {
				segs = append(segs, inner)
			}
			path = path[end+1:]
		default:
			end := strings.IndexAny(path, ".[")
			if end < 0 {
				end = len(path)
			}
			segs = append(segs, path[:end])
			path = path[end:]
		}
	}
	return segs
}

// find walks a path and returns the deepest node reached and whether the whole path was found.
func (n *posNode) find(path string) (*posNode, bool) {
	cur := n
	for _, seg := range splitPath(path) {
		next := cur.child(seg)
		if next == nil {
			return cur, false
		}
		cur = next
	}
	return cur, true
}

// line returns the line of a path, or of its nearest written ancestor, or def.
func (n *posNode) lineOf(path string, def int) int {
	if n == nil {
		return def
	}
	got, _ := n.find(path)
	if got == nil || got.line == 0 {
		return def
	}
	return int(got.line)
}

func (n *posNode) has(path string) bool {
	if n == nil {
		return false
	}
	_, ok := n.find(path)
	return ok
}

func atoiSafe(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	v := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}
