package main

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/creack/pty"
)

// The queries a program writes when it wants an answer from the terminal: OSC 10/11 (the
// foreground and background colours termenv asks for) and the cursor-position report that
// termenv sends after them.
var terminalQueries = []string{"\x1b]10;?", "\x1b]11;?", "\x1b[6n"}

// buildSvcviz compiles the binary for tests that run it as a process of its own.
func buildSvcviz(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("tests that build the binary are skipped in -short mode")
	}
	bin := filepath.Join(t.TempDir(), "svcviz")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// silentPty runs bin on a new pseudo-terminal that never answers anything: its controlling
// terminal, with the process in the foreground (where termenv would ask), TERM=xterm-256color
// (a terminal termenv would ask) and without CI (which makes termenv assume no terminal).
type silentPty struct {
	t    *testing.T
	cmd  *exec.Cmd
	tty  *os.File
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
}

func startSilentPty(t *testing.T, bin string, args ...string) *silentPty {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = []string{"TERM=xterm-256color", "PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "LANG=C.UTF-8"}
	tty, err := pty.StartWithSize(cmd, &pty.Winsize{Rows: 36, Cols: 120})
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	p := &silentPty{t: t, cmd: cmd, tty: tty, done: make(chan struct{})}
	go func() {
		defer close(p.done)
		buf := make([]byte, 4096)
		for {
			n, err := tty.Read(buf)
			p.mu.Lock()
			p.out.Write(buf[:n])
			p.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = tty.Close()
	})
	return p
}

func (p *silentPty) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// wait returns the exit code. The 30 s limit only keeps a hung process from hanging the test
// run; a query unanswered costs termenv 5 s, which the queries check below catches by content.
func (p *silentPty) wait() int {
	p.t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- p.cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		p.t.Fatalf("%v still running after 30 s; terminal output:\n%q", p.cmd.Args, p.output())
	}
	select { // the reader ends at EIO once the last writer is gone
	case <-p.done:
	case <-time.After(5 * time.Second):
	}
	return p.cmd.ProcessState.ExitCode()
}

func (p *silentPty) waitFor(want string) {
	p.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if strings.Contains(p.output(), want) {
			return
		}
	}
	p.t.Fatalf("the terminal never showed %q:\n%q", want, p.output())
}

func noQueries(t *testing.T, what, out string) {
	t.Helper()
	for _, q := range terminalQueries {
		if strings.Contains(out, q) {
			t.Errorf("%s asked the terminal %q, which never answers:\n%q", what, q, out)
		}
	}
}

// TestNoTerminalQuery runs every command on a terminal that never answers: none asks it
// anything (bubbletea's package init would ask for the background colour, and wait 5 s, were
// it not for internal/termquiet), and each ends with its usual output and status. The TUI
// starts, draws, asks nothing either, and q leaves it.
func TestNoTerminalQuery(t *testing.T) {
	bin := buildSvcviz(t)
	np := sample("nodeport.yaml")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"version"}, 0, "svcviz "},
		{[]string{"--version"}, 0, "svcviz version "},
		{[]string{"check", np}, 0, "myapp-service"},
		{[]string{"trace", np}, 0, "10.244.0.2:80"},
		{[]string{"rules", np}, 0, "*nat"},
		{[]string{"completion", "bash"}, 0, "__svcviz"},
		{[]string{"__complete", "trace", np, "--service", ""}, 0, "myapp-service"},
		{[]string{"--help"}, 0, "Usage:"},
		{[]string{"check", "missing.yaml"}, 2, "missing.yaml"},
	} {
		p := startSilentPty(t, bin, tc.args...)
		code := p.wait()
		out := p.output()
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("svcviz %v: exit %d (want %d), output lacks %q:\n%q", tc.args, code, tc.code, tc.want, out)
		}
		noQueries(t, strings.Join(tc.args, " "), out)
	}

	p := startSilentPty(t, bin, np)
	p.waitFor("myapp-service")
	if _, err := p.tty.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(); code != 0 {
		t.Errorf("TUI: exit %d after q", code)
	}
	out := p.output()
	noQueries(t, "the TUI", out)
	if !strings.Contains(out, "\x1b[?1049h") || !strings.Contains(out, "\x1b[?1049l") {
		t.Errorf("the TUI did not enter and leave the alternate screen:\n%q", out)
	}
}

// TestTUIPipedInATerminal is `svcviz FILE | cat` typed in a terminal: stdin and stderr are
// the terminal, stdout a pipe. The TUI does not start: the one line is on the terminal, the
// pipe gets nothing, the terminal gets no escape sequence, and the exit status is 2.
func TestTUIPipedInATerminal(t *testing.T) {
	bin := buildSvcviz(t)
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	defer ptmx.Close()
	cmd := exec.Command(bin, sample("nodeport.yaml"))
	cmd.Env = []string{"TERM=xterm-256color", "PATH=" + os.Getenv("PATH")}
	var piped bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, &piped, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var onTerminal bytes.Buffer
	read := make(chan struct{})
	go func() { _, _ = io.Copy(&onTerminal, ptmx); close(read) }()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("svcviz | cat did not end")
	}
	<-read
	got := strings.ReplaceAll(onTerminal.String(), "\r\n", "\n")
	want := "svcviz: the TUI needs a terminal and standard output is not one: `svcviz trace " + sample("nodeport.yaml") + "` prints"
	if code := cmd.ProcessState.ExitCode(); code != 2 || piped.Len() != 0 || !strings.HasPrefix(got, want) || strings.Count(got, "\n") != 1 {
		t.Errorf("exit %d, pipe %q, terminal %q", cmd.ProcessState.ExitCode(), piped.String(), got)
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("an escape sequence reached the terminal: %q", got)
	}
}

// TestTUINeedsATerminal: with standard output a pipe, a file or a TERM=dumb terminal, the TUI
// does not start: one line says why and names the commands that print the same as text; exit
// 2, and not one escape sequence written.
func TestTUINeedsATerminal(t *testing.T) {
	np := sample("nodeport.yaml")
	hint := "`svcviz trace " + np + "` prints the hops as text, `svcviz check " + np + "` the port mappings and problems"

	check := func(what string, code int, stdout, stderr, want string) {
		t.Helper()
		if code != exitUsage {
			t.Errorf("%s: exit %d, want 2", what, code)
		}
		if stdout != "" || stderr != want+"\n" {
			t.Errorf("%s: stdout %q, stderr %q; want stderr %q", what, stdout, stderr, want)
		}
	}
	// a pipe (the tests' buffer stands for one), with and without TUI flags
	code, out, errs := svcviz(t, "", np)
	check("pipe", code, out, errs, "svcviz: the TUI needs a terminal and standard output is not one: "+hint)
	code, out, errs = svcviz(t, "", "--theme", "projector", "--lang", "ko")
	check("built-in example", code, out, errs, "svcviz: the TUI needs a terminal and standard output is not one: "+
		"`svcviz trace FILE` prints the hops as text, `svcviz check FILE` the port mappings and problems")

	// > out: a regular file
	f, err := os.Create(filepath.Join(t.TempDir(), "out"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var stderr bytes.Buffer
	code = run([]string{np}, strings.NewReader(""), f, &stderr)
	written, _ := os.ReadFile(f.Name())
	check("> out", code, string(written), stderr.String(), "svcviz: the TUI needs a terminal and standard output is not one: "+hint)

	// a terminal that says it cannot move the cursor
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Fatalf("pty: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	t.Setenv("TERM", "dumb")
	stderr.Reset()
	code = run([]string{np}, strings.NewReader(""), tty, &stderr)
	check("TERM=dumb", code, "", stderr.String(), "svcviz: the TUI cannot draw on a terminal with TERM=dumb: "+hint)

	// bad input is reported as such first: the file's problem is what to fix
	code, _, errs = svcviz(t, "", "missing.yaml")
	if code != exitUsage || !strings.HasPrefix(errs, "svcviz: missing.yaml:") {
		t.Errorf("missing file: exit %d, stderr %q", code, errs)
	}
}

// TestTUIEveryServiceRefused: an input whose every Service the API server would refuse opens
// the TUI (no exit with an error): the refused Service's error and line on screen, no packet;
// q quits with 0.
func TestTUIEveryServiceRefused(t *testing.T) {
	bin := buildSvcviz(t)
	p := startSilentPty(t, bin, filepath.Join("..", "..", "testdata", "real-inputs", "ip-families.yaml"))
	p.waitFor("invalid-ip-family")
	p.waitFor("no packet")
	if _, err := p.tty.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if code := p.wait(); code != 0 {
		t.Errorf("exit %d, output:\n%q", code, p.output())
	}
	if out := p.output(); strings.Contains(out, "exists in no cluster") || strings.Contains(out, "crashed") {
		t.Errorf("the TUI did not open on the refused Services:\n%q", out)
	}
}
