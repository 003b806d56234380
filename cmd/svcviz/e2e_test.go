package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The end-to-end tests run the real binary in a real terminal (tmux) and read the screen as a
// person would. They skip where tmux is missing; .ci/run installs it.

// buildBinary compiles svcviz once per test run.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end terminal tests skipped in -short mode")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("tmux is not installed: the end-to-end terminal tests need it (apt-get install tmux)")
	}
	bin := filepath.Join(t.TempDir(), "svcviz")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// term is one tmux session running svcviz.
type term struct {
	t    *testing.T
	name string
	bin  string
}

func startTerm(t *testing.T, bin string, w, h int, args ...string) *term {
	t.Helper()
	name := "svcviz-e2e-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
	// A shell runs svcviz and then prints its exit status and waits, so that the status and
	// whatever the program left on the normal screen can be read after it ends.
	script := `"$0" "$@"; echo "[svcviz exited $?]"; sleep 600`
	cmd := append([]string{"new-session", "-d", "-s", name, "-x", strconv.Itoa(w), "-y", strconv.Itoa(h), "-e", "TERM=xterm-256color", "sh", "-c", script, bin}, args...)
	if out, err := exec.Command("tmux", cmd...).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	tm := &term{t: t, name: name, bin: bin}
	t.Cleanup(func() { _ = exec.Command("tmux", "kill-session", "-t", name).Run() })
	return tm
}

func (tm *term) tmux(args ...string) string {
	out, err := exec.Command("tmux", args...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func (tm *term) screen() string { return tm.tmux("capture-pane", "-p", "-t", tm.name) }

func (tm *term) keys(keys ...string) {
	tm.tmux(append([]string{"send-keys", "-t", tm.name}, keys...)...)
}

// waitForChange polls the screen until it differs from before, or fails after a while (long,
// since a loaded machine can take seconds to draw a frame).
func (tm *term) waitForChange(before, what string) string {
	tm.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if s := tm.screen(); s != before {
			return s
		}
	}
	tm.t.Fatalf("%s: the screen did not change:\n%s", what, before)
	return ""
}

// settle waits until the screen holds still for a moment: the keys sent so far have been read
// and drawn (the program is paused, so nothing else moves it).
func (tm *term) settle() string {
	tm.t.Helper()
	last := tm.screen()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		time.Sleep(250 * time.Millisecond)
		s := tm.screen()
		if s == last {
			return s
		}
		last = s
	}
	tm.t.Fatalf("the screen never held still:\n%s", last)
	return ""
}

// waitFor polls the screen until it contains every string, or fails after a few seconds.
func (tm *term) waitFor(want ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		s := tm.screen()
		missing := ""
		for _, w := range want {
			if !strings.Contains(s, w) {
				missing = w
				break
			}
		}
		if missing == "" {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen never showed %q:\n%s", missing, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// exitStatus waits for the program to end and returns its exit code.
func (tm *term) exitStatus() int {
	tm.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		s := tm.screen()
		if i := strings.Index(s, "[svcviz exited "); i >= 0 {
			rest := s[i+len("[svcviz exited "):]
			code, _ := strconv.Atoi(rest[:strings.IndexByte(rest, ']')])
			return code
		}
		time.Sleep(50 * time.Millisecond)
	}
	tm.t.Fatalf("svcviz did not exit:\n%s", tm.screen())
	return -1
}

// cpuTicks is the process's user+system CPU time in clock ticks, from /proc.
func (tm *term) cpuTicks() int {
	tm.t.Helper()
	out, err := exec.Command("pgrep", "-f", "-n", tm.bin).Output()
	if err != nil {
		tm.t.Skipf("cannot find the svcviz process: %v", err)
	}
	data, err := os.ReadFile("/proc/" + strings.TrimSpace(string(out)) + "/stat")
	if err != nil {
		tm.t.Skipf("cannot read process CPU time: %v", err)
	}
	f := strings.Fields(string(data[strings.LastIndexByte(string(data), ')')+2:]))
	utime, _ := strconv.Atoi(f[11])
	stime, _ := strconv.Atoi(f[12])
	return utime + stime
}

func hopCounter(screen string) string {
	i := strings.Index(screen, "hop ")
	for i >= 0 {
		rest := screen[i+4:]
		if j := strings.IndexAny(rest, " │\n"); j > 0 && strings.Contains(rest[:j], "/") {
			return rest[:j]
		}
		next := strings.Index(rest, "hop ")
		if next < 0 {
			break
		}
		i += 4 + next
	}
	return ""
}

func TestE2ENodePort(t *testing.T) {
	bin := buildBinary(t)
	tm := startTerm(t, bin, 120, 36, "../../samples/nodeport.yaml")
	first := tm.waitFor("192.168.1.2", "10.244.0.0/24", ":30008", "myapp-service", "10.96.0.11:80", "myapp-pod", "10.244.0.2:80")
	start := hopCounter(first)
	if !strings.HasPrefix(start, "1/") {
		t.Fatalf("first frame is not at hop 1: %q\n%s", start, first)
	}
	n := strings.TrimPrefix(start, "1/")

	tm.keys("Right")
	tm.waitFor("hop 2/" + n)
	tm.keys("Right")
	tm.waitFor("hop 3/" + n)
	tm.keys("Left")
	tm.waitFor("hop 2/" + n)

	// Paused: the screen holds still and the process uses no CPU.
	a := tm.screen()
	before := tm.cpuTicks()
	time.Sleep(1200 * time.Millisecond)
	if b := tm.screen(); a != b {
		t.Errorf("paused screen changed:\n%s\n---\n%s", a, b)
	}
	if used := tm.cpuTicks() - before; *timing && used > 2 {
		t.Errorf("paused for 1.2 s, used %d CPU ticks", used)
	}

	// Playing: the picture changes over time.
	tm.keys("+", "+", "+", "Space")
	changed := false
	for i := 0; i < 40 && !changed; i++ {
		time.Sleep(50 * time.Millisecond)
		changed = tm.screen() != a
	}
	if !changed {
		t.Error("the screen did not change while playing")
	}

	tm.keys("q")
	if code := tm.exitStatus(); code != 0 {
		t.Errorf("exit status %d after q", code)
	}
	if s := tm.screen(); strings.Contains(s, "myapp-service") {
		t.Errorf("the alternate screen was not left on exit:\n%s", s)
	}
}

func TestE2ESmallTerminals(t *testing.T) {
	bin := buildBinary(t)
	tm := startTerm(t, bin, 80, 24, "../../samples/nodeport.yaml")
	tm.waitFor("192.168.1.2", ":30008", "myapp-service", "nodePort: 30008")
	tm.keys("Right")
	tm.waitFor("hop 2/")
	// At 80×24 the diagram scrolls with the packet: the Pod comes into view as it arrives.
	tm.keys("Right", "Right", "Right", "Right", "Right")
	tm.waitFor("myapp-pod", "10.244.0.2")
	tm.keys("Left", "Left", "Left", "Left", "Left")
	tm.waitFor("hop 2/")
	tm.tmux("resize-window", "-t", tm.name, "-x", "60", "-y", "15")
	tm.waitFor("nlarge")
	tm.tmux("resize-window", "-t", tm.name, "-x", "100", "-y", "30")
	tm.waitFor("myapp-pod", "hop 2/")
	tm.keys("C-c")
	if code := tm.exitStatus(); code != 0 {
		t.Errorf("exit status %d after ctrl+c", code)
	}
}

func TestE2EBadInputNeverEntersTheTUI(t *testing.T) {
	bin := buildBinary(t)
	tm := startTerm(t, bin, 100, 30, "missing.yaml")
	if code := tm.exitStatus(); code != 2 {
		t.Errorf("exit status %d for a missing file, want 2", code)
	}
	if s := tm.screen(); !strings.Contains(s, "svcviz: missing.yaml:") {
		t.Errorf("no one-line error on the normal screen:\n%s", s)
	}
}

func TestE2EBuiltinExample(t *testing.T) {
	bin := buildBinary(t)
	tm := startTerm(t, bin, 120, 36)
	tm.waitFor("myapp-service", ":30008")
	tm.keys("q")
	if code := tm.exitStatus(); code != 0 {
		t.Errorf("exit status %d", code)
	}
}
