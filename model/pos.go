package model

import (
	"strings"
	"sync"
)

// posTree records where each decoded field of an object stands, so that diagnostics and trace
// hops can point at a line. It is built in the same walk that writes the JSON: one slice per
// object, 16 bytes a field, in which the children of a node are contiguous (their slots are
// reserved when the parent is written), so a lookup scans one node's children at each step.
// Entry 0 is the object itself. Keys are interned (posKeys): a 20,000-Service dump has 1.5
// million fields but a few thousand distinct keys.
type posTree []posEnt

type posEnt struct {
	key   uint32 // the mapping key's posKeys id; 0 for a sequence item and the root
	line  int32
	first int32  // index of the first child
	kids  uint32 // number of children, with seqBit set for a sequence (children found by index)
}

const seqBit = 1 << 31

func (e *posEnt) n() int32  { return int32(e.kids &^ seqBit) }
func (e *posEnt) seq() bool { return e.kids&seqBit != 0 }

// child returns the index of one path segment under node i: a mapping key, or "[i]" for a
// sequence index; -1 when it is not there. A repeated key is never recorded twice (the walk
// keeps the last), so the first match is the one.
func (t posTree) child(i int32, seg string) int32 {
	e := &t[i]
	if e.seq() {
		if len(seg) > 2 && seg[0] == '[' && seg[len(seg)-1] == ']' {
			if k, ok := atoiSafe(seg[1 : len(seg)-1]); ok && k < int(e.n()) {
				return e.first + int32(k)
			}
		}
		return -1
	}
	id, ok := posKeys.lookup(seg)
	if !ok {
		return -1
	}
	for c := e.first; c < e.first+e.n(); c++ {
		if t[c].key == id {
			return c
		}
	}
	return -1
}

// posKeys interns the keys of every posTree: id 0 is no key, ids are never reused, and the table
// only grows (by the distinct keys of the inputs loaded, which a long --watch session reloads).
// Decoding runs on all cores, so each walker keeps its own cache in front of the shared table
// (keyCache) and takes the lock only for a key it has not met.
var posKeys = keyTable{ids: map[string]uint32{}}

type keyTable struct {
	mu  sync.RWMutex
	ids map[string]uint32
}

func (k *keyTable) lookup(key string) (uint32, bool) {
	k.mu.RLock()
	id, ok := k.ids[key]
	k.mu.RUnlock()
	return id, ok
}

func (k *keyTable) intern(key string) uint32 {
	if id, ok := k.lookup(key); ok {
		return id
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	id, ok := k.ids[key]
	if !ok {
		id = uint32(len(k.ids) + 1)
		k.ids[key] = id
	}
	return id
}

// keyCache is one walker's view of posKeys: a lookup by the key's bytes allocates nothing.
type keyCache map[string]uint32

func (c keyCache) id(key []byte) uint32 {
	if id, ok := c[string(key)]; ok {
		return id
	}
	s := string(key)
	id := posKeys.intern(s)
	c[s] = id
	return id
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
func (t posTree) find(path string) (int32, bool) {
	cur := int32(0)
	for _, seg := range splitPath(path) {
		next := t.child(cur, seg)
		if next < 0 {
			return cur, false
		}
		cur = next
	}
	return cur, true
}

// lineOf returns the line of a path, or of its nearest written ancestor, or def.
func (t posTree) lineOf(path string, def int) int {
	if len(t) == 0 {
		return def
	}
	got, _ := t.find(path)
	if t[got].line == 0 {
		return def
	}
	return int(t[got].line)
}

func (t posTree) has(path string) bool {
	if len(t) == 0 {
		return false
	}
	_, ok := t.find(path)
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
