package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTUIHostileManifestInARealTerminal runs the TUI with --no-color in a real terminal on a
// manifest with control sequences in every string field: at every hop of both views and with
// the panes and pickers open, the terminal holds no escape sequence at all (tmux capture-pane
// -e writes one for every styled cell), and the OSC in a Pod's name has not set the title.
func TestTUIHostileManifestInARealTerminal(t *testing.T) {
	bin := buildBinary(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "tui", "testdata", "hostile.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "hostile.yaml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	tm := startTerm(t, bin, 120, 36, "--no-color", "--service", "ok", file)
	tm.waitFor("svcviz", "hop 1/")
	check := func(when string) {
		t.Helper()
		raw := tm.tmux("capture-pane", "-p", "-e", "-t", tm.name)
		if i := strings.IndexAny(raw, "\x1b\a\u009b"); i >= 0 {
			t.Fatalf("%s: a control sequence reached the terminal: %q", when, raw[max(i-40, 0):min(i+40, len(raw))])
		}
		if title := tm.tmux("display-message", "-p", "-t", tm.name, "#{pane_title}"); strings.Contains(title, "owned") {
			t.Fatalf("%s: the manifest set the terminal's title to %q", when, title)
		}
	}
	for _, view := range []string{"teaching", "wire"} {
		for i := range 14 {
			check(view + " hop " + string(rune('1'+i)))
			tm.keys("Right")
		}
		for _, k := range []string{"i", "d", "y", "s", "o"} {
			tm.keys(k)
			tm.waitFor("│")
			check(view + " after " + k)
			// ESC read together with the next key is alt+that key: let it close the pane first
			open := tm.screen()
			tm.keys("Escape")
			for deadline := time.Now().Add(2 * time.Second); tm.screen() == open && time.Now().Before(deadline); {
				time.Sleep(20 * time.Millisecond)
			}
		}
		tm.keys("w")
		// runes typed faster than a frame can arrive as one key message ("wq"): wait for w
		tm.waitFor(map[string]string{"teaching": "wire view", "wire": "teaching view"}[view])
	}
	tm.keys("q")
	if code := tm.exitStatus(); code != 0 {
		t.Errorf("exit %d", code)
	}
}
