package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs the CLI's scripts, testdata/script/*.txtar: each is a session of commands
// and what they must print, read top to bottom (github.com/rogpeppe/go-internal/testscript).
// In them:
//   - svcviz ARGS runs the CLI in-process; "svcviz <FILE ARGS" gives it the script's FILE as
//     standard input. Like exec, "! svcviz" expects a non-zero exit. The script's own files
//     are $WORK/NAME in the arguments.
//   - status N checks the exit code of the last svcviz.
//   - $SAMPLES is samples/ and $KUBEREF testdata/kube-reference/.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(env *testscript.Env) error {
			for k, dir := range map[string]string{"SAMPLES": samplesDir, "KUBEREF": kubeRefDir} {
				abs, err := filepath.Abs(dir)
				if err != nil {
					return err
				}
				env.Setenv(k, abs)
			}
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"svcviz": scriptSvcviz,
			"status": scriptStatus,
		},
	})
}

// scriptSvcviz runs the CLI with the script's files; its exit code is kept for status.
func scriptSvcviz(ts *testscript.TestScript, neg bool, args []string) {
	stdin := ""
	if len(args) > 0 && strings.HasPrefix(args[0], "<") {
		data, err := os.ReadFile(ts.MkAbs(args[0][1:]))
		ts.Check(err)
		stdin, args = string(data), args[1:]
	}
	// Scripts run in parallel in one process, so the CLI cannot run from each one's directory:
	// the script names its own files $WORK/NAME.
	code := run(args, strings.NewReader(stdin), ts.Stdout(), ts.Stderr())
	ts.Setenv("STATUS", strconv.Itoa(code))
	if (code != 0) != neg {
		ts.Fatalf("svcviz %s: exit %d", strings.Join(args, " "), code)
	}
}

// scriptStatus checks the last svcviz's exit code: status N.
func scriptStatus(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 || neg {
		ts.Fatalf("usage: status N")
	}
	if got := ts.Getenv("STATUS"); got != args[0] {
		ts.Fatalf("exit %s, want %s", got, args[0])
	}
}
