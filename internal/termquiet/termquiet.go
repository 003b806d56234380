// Package termquiet keeps svcviz from asking the terminal anything at start-up.
//
// bubbletea v1.3 calls lipgloss.HasDarkBackground in its package init (tea_init.go), so every
// program that links it — `svcviz version` and `svcviz check` too — writes an OSC 11
// background-colour query and a cursor-position request to a terminal on standard output and
// then waits up to termenv.OSCTimeout (5 s) for an answer. A terminal that never answers (a
// serial console, a CI pty, a multiplexer that drops the query) makes every command hang.
//
// svcviz never needs the answer: its themes choose every colour (--theme dark, light or
// projector). termenv skips the query when TERM is dumb (termenv_unix.go, termStatusReport),
// so this package's init sets TERM=dumb for the length of the package inits and main calls
// Restore first thing, before anything reads TERM to choose colours (lipgloss reads the
// colour profile lazily, on first use). lipgloss caches the answer-less result, so no later
// style use asks either.
//
// Why this init runs before bubbletea's: Go initialises, step by step, the first package in
// import-path order whose imports are initialised (Go spec, "Package initialization").
// This package imports only os, so it is ready as soon as os is; bubbletea imports os/signal,
// which also needs os and sorts after github.com/svcviz/…, so this package always comes
// first. TestNoTerminalQuery (cmd/svcviz) checks the effect under a pty that never answers.
package termquiet

import "os"

var term, hadTerm = os.LookupEnv("TERM")

func init() {
	_ = os.Setenv("TERM", "dumb")
}

// Restore gives TERM back the value it had when the process started (unset if it was).
// main calls it before anything else.
func Restore() {
	if hadTerm {
		_ = os.Setenv("TERM", term)
	} else {
		_ = os.Unsetenv("TERM")
	}
}

// Term is TERM as the process received it ("" when unset), whether or not Restore ran.
func Term() string { return term }
