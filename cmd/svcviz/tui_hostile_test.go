package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
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
		// Each pane is opened, checked and closed; every key waits until the screen shows the
		// previous one was read, because an ESC that reaches the program together with the next
		// key is read as alt+that key (bubbletea), which a loaded machine makes likely.
		for _, k := range []string{"i", "d", "s", "o"} {
			closed := tm.settle()
			tm.keys(k)
			tm.waitForChange(closed, k+" opens its pane")
			check(view + " after " + k)
			open := tm.settle()
			tm.keys("Escape")
			tm.waitForChange(open, "Escape closes the pane of "+k)
			tm.settle()
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
