package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// startShell opens an interactive bash (job control on, no rc files) in a tmux pane, where
// the tests type commands as a person would.
func startShell(t *testing.T, bin string, w, h int) *term {
	t.Helper()
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash is not installed")
	}
	name := "svcviz-sh-" + strconv.Itoa(os.Getpid()) + "-" + strconv.FormatInt(time.Now().UnixNano()%1e6, 10)
	args := []string{"new-session", "-d", "-s", name, "-x", strconv.Itoa(w), "-y", strconv.Itoa(h),
		"-e", "TERM=xterm-256color", "-e", "PS1=sh> ", "bash", "--norc", "--noprofile", "-i"}
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	tm := &term{t: t, name: name, bin: bin}
	t.Cleanup(func() { _ = exec.Command("tmux", "kill-session", "-t", name).Run() })
	tm.waitFor("sh>")
	return tm
}

// typeLine types a command line and presses enter.
func (tm *term) typeLine(line string) { tm.keys("-l", line); tm.keys("Enter") }

// modes reads the terminal modes tmux keeps for the pane: alternate screen, mouse reporting
// (any mode, and SGR encoding) and the cursor's visibility, as "alt=1 mouse=1 sgr=1 cursor=0".
func (tm *term) modes() string {
	return strings.TrimSpace(tm.tmux("display-message", "-p", "-t", tm.name,
		"alt=#{alternate_on} mouse=#{mouse_any_flag} sgr=#{mouse_sgr_flag} cursor=#{cursor_flag}"))
}

func (tm *term) waitModes(want string) {
	tm.t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		got := tm.modes()
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("terminal modes %q, want %q; screen:\n%s", got, want, tm.screen())
		}
	}
}

// pid finds the running svcviz (its binary is in this test's own temporary directory).
func (tm *term) pid() int {
	tm.t.Helper()
	out, err := exec.Command("pgrep", "-n", "-f", tm.bin).Output()
	if err != nil {
		tm.t.Fatalf("cannot find the svcviz process: %v", err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return pid
}

const (
	tuiModes   = "alt=1 mouse=1 sgr=1 cursor=0"
	shellModes = "alt=0 mouse=0 sgr=0 cursor=1"
)

// TestE2ESignalsRestoreTheTerminal sends SIGHUP, SIGTERM and SIGINT to the TUI from outside:
// each time the shell gets its terminal back as it was — the normal screen, mouse reporting
// off, the cursor shown, the same stty modes (echo, canonical input) — and svcviz exits with
// 128 + the signal's number, as a shell reports a process a signal killed.
func TestE2ESignalsRestoreTheTerminal(t *testing.T) {
	bin := buildBinary(t)
	sh := startShell(t, bin, 120, 36)
	dir := t.TempDir()
	sh.typeLine("stty -g > " + filepath.Join(dir, "before"))
	for _, sig := range []syscall.Signal{syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT} {
		sh.typeLine("clear; " + bin + " " + sample("nodeport.yaml") + `; echo "[exit $?]"`)
		sh.waitFor("myapp-service", "hop 1/")
		sh.waitModes(tuiModes)
		if err := syscall.Kill(sh.pid(), sig); err != nil {
			t.Fatal(err)
		}
		sh.waitFor("[exit " + strconv.Itoa(128+int(sig)) + "]")
		sh.waitModes(shellModes)
		if s := sh.screen(); strings.Contains(s, "myapp-service") {
			t.Errorf("%v: the TUI's picture is still on the screen:\n%s", sig, s)
		}
		after := filepath.Join(dir, "after-"+strconv.Itoa(int(sig)))
		sh.typeLine("stty -g > " + after + "; cmp -s " + filepath.Join(dir, "before") + " " + after + ` && echo "tty modes as before"`)
		sh.waitFor("tty modes as before")
	}
}

// TestE2ECtrlZSuspendsAndFgRedraws: ^Z in the TUI hands the terminal back to the shell (its
// screen, no mouse reporting) with the job stopped; fg brings the same picture back at the
// same hop, mouse included, and the keys work again.
func TestE2ECtrlZSuspendsAndFgRedraws(t *testing.T) {
	bin := buildBinary(t)
	sh := startShell(t, bin, 120, 36)
	// no `; echo $?` after it: bash runs the rest of a line when its job stops
	sh.typeLine(bin + " " + sample("nodeport.yaml"))
	sh.waitFor("myapp-service", "hop 1/")
	sh.keys("Right")
	n := strings.TrimPrefix(hopCounter(sh.waitFor("hop 2/")), "2/")
	sh.keys("C-z")
	sh.waitFor("Stopped")
	sh.waitModes(shellModes)
	sh.typeLine("fg")
	sh.waitFor("myapp-service", "hop 2/"+n)
	sh.waitModes(tuiModes)
	sh.keys("Right")
	sh.waitFor("hop 3/" + n)
	sh.keys("q")
	sh.waitModes(shellModes)
	sh.typeLine(`echo "[exit $?]"`) // fg's status is the job's
	sh.waitFor("[exit 0]")
}
