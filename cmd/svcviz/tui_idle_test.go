package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestTUIIdleWithWatch runs svcviz --watch in a real terminal: paused, it uses next to no CPU
// (svcviz arms no timer; what remains is bubbletea's own 60 Hz render check, about 5 ms of CPU
// a second on its own, under the 2 ticks allowed here); an edit of the file is picked up, and
// then it is idle again.
func TestTUIIdleWithWatch(t *testing.T) {
	if !*timing {
		t.Skip("CPU-time assertions run with -timing")
	}
	bin := buildBinary(t)
	data, err := os.ReadFile(sample("nodeport.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "app.yaml")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	tm := startTerm(t, bin, 120, 36, "--watch", file)
	tm.waitFor("myapp-service", "paused")
	time.Sleep(500 * time.Millisecond) // start-up's garbage collection settles
	idle := func(when string) {
		t.Helper()
		before := tm.cpuTicks()
		time.Sleep(2 * time.Second)
		if used := tm.cpuTicks() - before; used > 2 {
			t.Errorf("%s: paused with --watch for 2 s, used %d CPU ticks", when, used)
		}
	}
	idle("at start")
	edited := strings.Replace(string(data), "nodePort: 30008", "nodePort: 30009", 1)
	if err := os.WriteFile(file, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	tm.waitFor("reloaded: 1 Service", ":30009")
	time.Sleep(500 * time.Millisecond)
	idle("after a reload")
	tm.keys("Space")
	time.Sleep(300 * time.Millisecond)
	tm.keys("Space")
	tm.waitFor("paused")
	idle("after playing and pausing")
	tm.keys("q")
	if code := tm.exitStatus(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}
