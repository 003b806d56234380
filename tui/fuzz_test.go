package tui

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/charmbracelet/x/ansi"
	"github.com/svcviz/svcviz/netsim"
)

// fuzzSources are what FuzzTUI opens: every sample, then the generated 1,000-Service dump.
var fuzzSources = sync.OnceValue(func() []string {
	paths, _ := filepath.Glob("../samples/*.yaml")
	return append(paths, sampleHostile, "dump")
})

// fuzzSims caches each source's simulated cluster (1 or 3 nodes): the dump takes a quarter of
// a second to load, and models never change the Sim they show.
var (
	fuzzMu   sync.Mutex
	fuzzSims = map[string]*netsim.Sim{}
)

func fuzzSim(tb testing.TB, src string, nodes int) *netsim.Sim {
	fuzzMu.Lock()
	defer fuzzMu.Unlock()
	k := fmt.Sprint(src, nodes)
	if s, ok := fuzzSims[k]; ok {
		return s
	}
	var s *netsim.Sim
	if src == "dump" {
		s = dumpSim(tb, nodes)
	} else {
		s = loadSim(tb, src, nodes)
	}
	fuzzSims[k] = s
	return s
}

// fuzzKeys are every key of the keymap, plus keys the keymap does not bind (the picker's
// filter takes runes and backspace).
var fuzzKeys = sync.OnceValue(func() []tea.KeyMsg {
	var out []tea.KeyMsg
	for _, col := range DefaultKeyMap().FullHelp() {
		for _, b := range col {
			for _, k := range b.Keys() {
				out = append(out, keyFor(k))
			}
		}
	}
	for _, k := range []string{"backspace", "home", "end", "shift+tab", "delete", "ctrl+u", "x", "/", "7", "é", "한"} {
		out = append(out, keyFor(k))
	}
	return out
})

// keyFor is the key message bubbletea sends for a key's name.
func keyFor(s string) tea.KeyMsg {
	types := map[string]tea.KeyType{
		"up": tea.KeyUp, "down": tea.KeyDown, "left": tea.KeyLeft, "right": tea.KeyRight,
		"enter": tea.KeyEnter, "tab": tea.KeyTab, "shift+tab": tea.KeyShiftTab, "esc": tea.KeyEsc,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"backspace": tea.KeyBackspace, "delete": tea.KeyDelete, "ctrl+c": tea.KeyCtrlC, "ctrl+u": tea.KeyCtrlU,
	}
	switch {
	case s == " " || s == "space":
		return tea.KeyMsg{Type: tea.KeySpace, Runes: []rune{' '}}
	case types[s] != 0:
		return tea.KeyMsg{Type: types[s]}
	}
	return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)}
}

// TestFuzzKeysAreReal: every key FuzzTUI sends is spelt as bubbletea spells it, so the keymap
// really matches what the fuzzer types.
func TestFuzzKeysAreReal(t *testing.T) {
	for _, col := range DefaultKeyMap().FullHelp() {
		for _, b := range col {
			for _, k := range b.Keys() {
				want := k
				if k == "space" {
					want = " "
				}
				if got := keyFor(k).String(); got != want {
					t.Errorf("key %q is sent as %q", k, got)
				}
			}
		}
	}
}

// fuzzSizes are terminal sizes worth hitting often: nothing, tiny, around the minimum, the
// usual, huge.
var fuzzSizes = [][2]int{{0, 0}, {1, 1}, {80, 24}, {79, 24}, {80, 23}, {81, 25}, {120, 36}, {100, 30}, {500, 200}, {0, 36}, {120, 0}, {200, 24}, {80, 60}}

// fuzzInput reads the fuzzer's bytes one at a time, 0 once they run out.
type fuzzInput struct {
	b []byte
	i int
}

func (in *fuzzInput) more() bool { return in.i < len(in.b) }

func (in *fuzzInput) next() int {
	if in.i >= len(in.b) {
		return 0
	}
	in.i++
	return int(in.b[in.i-1])
}

// msg decodes the next message: a key, a rune, a size, a mouse event, a frame (current or
// stale), or a reload (another cluster, or a failure).
func (in *fuzzInput) msg(tb testing.TB, m *App) tea.Msg {
	switch op := in.next(); op % 16 {
	case 0, 1, 2, 3, 4, 5, 6:
		keys := fuzzKeys()
		return keys[in.next()%len(keys)]
	case 7:
		return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{rune(32 + in.next()%95)}}
	case 8:
		sz := fuzzSizes[in.next()%len(fuzzSizes)]
		return tea.WindowSizeMsg{Width: sz[0], Height: sz[1]}
	case 9:
		return tea.WindowSizeMsg{Width: in.next() * 2, Height: in.next()}
	case 10, 11:
		buttons := []tea.MouseButton{tea.MouseButtonLeft, tea.MouseButtonWheelUp, tea.MouseButtonWheelDown,
			tea.MouseButtonRight, tea.MouseButtonNone, tea.MouseButtonMiddle, tea.MouseButtonWheelLeft}
		actions := []tea.MouseAction{tea.MouseActionPress, tea.MouseActionRelease, tea.MouseActionMotion}
		bt := in.next()
		x, y := in.next()*(m.width+8)/256-2, in.next()*(m.height+8)/256-2
		return tea.MouseMsg{X: x, Y: y, Button: buttons[bt%len(buttons)], Action: actions[bt/16%len(actions)]}
	case 12, 13, 14:
		gen := m.gen
		if op/16%4 == 0 {
			gen-- // a frame in flight when the animation paused
		}
		return frameMsg{gen: gen}
	}
	switch srcs := fuzzSources(); in.next() % 4 {
	case 0:
		return reloadMsg{err: errors.New("open app.yaml: no such file\n\x1b[31m")}
	case 1:
		return reloadMsg{}
	default:
		src := srcs[in.next()%len(srcs)]
		return reloadMsg{sim: fuzzSim(tb, src, 1+2*(in.next()%2))}
	}
}

// FuzzTUI feeds random keys, sizes, mouse events, frames and reloads to the model of a sample
// or the dump, drawing after every message as bubbletea does: no panic, no hang, and every
// frame is exactly the terminal's size, and without colours holds no control character.
func FuzzTUI(f *testing.F) {
	f.Add(uint8(0), uint8(0), []byte{})
	f.Add(uint8(9), uint8(0), []byte("\x08\x06\x00\x01\x00\x01\x00\x05\x0c\x00\x0c\x00\x0c\x00"))
	f.Add(uint8(12), uint8(0), []byte("\x08\x06\x00\x1c\x07\x61\x07\x70\x07\x70\x00\x22\x00\x1a"))
	f.Add(uint8(12), uint8(1), []byte("\x08\x02\x00\x0e\x00\x0f\x00\x10\x00\x1c\x0a\x00\x80\x80"))
	f.Fuzz(func(t *testing.T, src, flags uint8, ops []byte) {
		if len(ops) > 4096 {
			return // long inputs test nothing more, only slower
		}
		srcs := fuzzSources()
		path := srcs[int(src)%len(srcs)]
		nodes := 1
		if flags&1 != 0 {
			nodes = 3
		}
		opts := Options{Lang: []string{"en", "ko"}[flags>>1&1], ASCII: flags&4 != 0, NoColor: flags&8 != 0,
			Theme: Themes()[int(flags>>4)%len(Themes())], Request: netsim.Request{}}
		m, err := New(fuzzSim(t, path, nodes), opts)
		if err != nil {
			t.Skip(err)
		}
		in := &fuzzInput{b: ops}
		var trail []string
		for i := 0; in.more(); i++ {
			msg := in.msg(t, m)
			trail = append(trail, fmt.Sprintf("%T%+v", msg, msg))
			// A hang panics from outside: the fuzzer then keeps the input, as for a crash.
			watchdog := time.AfterFunc(10*time.Second, func() {
				panic(fmt.Sprintf("FuzzTUI: message %d hangs: %s", i, strings.Join(trail, " ")))
			})
			m.Update(msg)
			v := m.View()
			watchdog.Stop()
			if err := checkFrame(v, m.width, m.height); err != nil {
				t.Fatalf("%s: after %s: %v", path, strings.Join(trail, " "), err)
			}
			if bad, ok := terminalUnsafe(v); ok && opts.NoColor {
				t.Fatalf("%s: after %s: %s", path, strings.Join(trail, " "), bad)
			}
		}
	})
}

// checkFrame is what bubbletea needs of a frame: nothing before the first size, else exactly
// height lines of width cells (the "too small" notice included).
func checkFrame(v string, w, h int) error {
	if w <= 0 || h <= 0 {
		if v != "" {
			return fmt.Errorf("drew %d bytes in a %dx%d terminal", len(v), w, h)
		}
		return nil
	}
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		return fmt.Errorf("%d lines in a %dx%d terminal", len(lines), w, h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != w {
			return fmt.Errorf("line %d is %d cells wide in a %dx%d terminal: %q", i, n, w, h, l)
		}
	}
	return nil
}
