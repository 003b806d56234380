package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

// exitSignal is the status after a signal ended the TUI: 128 + the signal's number, as a shell
// reports a process the signal killed, so a script sees the same whether or not svcviz caught
// it. (^C typed in the TUI is a key, not a signal: it quits with 0 as q does.)
func exitSignal(s syscall.Signal) int { return 128 + int(s) }

// signalWatch ends the TUI on SIGHUP (the terminal closed, an ssh connection dropped) and
// remembers which signal ended it. bubbletea restores the terminal on SIGINT and SIGTERM
// itself (and reports both to its caller as a plain quit, hence the record here); SIGHUP's
// default action would kill the process with the terminal still in raw mode, on the alternate
// screen, with mouse reporting on — which stays visible whenever the terminal outlives the
// hangup (tmux, screen, `kill -HUP`). Cancelled, Context ends the TUI at once and bubbletea
// restores the terminal.
//
// SIGINT and SIGTERM must not cancel Context: bubbletea's own handler then blocks forever
// sending its quit message to an event loop that has already ended, and the shutdown waits
// for that handler (bubbletea v1.3.10, tea.go handleSignals).
type signalWatch struct {
	Context context.Context
	ch      chan os.Signal
	done    chan struct{}
	ended   chan struct{}
	got     syscall.Signal
}

func watchSignals() *signalWatch {
	ctx, cancel := context.WithCancel(context.Background())
	w := &signalWatch{Context: ctx, ch: make(chan os.Signal, 3), done: make(chan struct{}), ended: make(chan struct{})}
	signal.Notify(w.ch, syscall.SIGHUP, syscall.SIGTERM, syscall.SIGINT)
	record := func(s os.Signal) {
		if n, ok := s.(syscall.Signal); ok && w.got == 0 {
			w.got = n
		}
		if s == syscall.SIGHUP {
			cancel()
		}
	}
	go func() {
		defer close(w.ended)
		defer cancel()
		for {
			select {
			case s := <-w.ch:
				record(s)
			case <-w.done:
				// a signal bubbletea acted on may still wait here: it counts all the same
				for {
					select {
					case s := <-w.ch:
						record(s)
					default:
						return
					}
				}
			}
		}
	}()
	return w
}

// Stop releases the signals and returns the first one that arrived while the TUI ran, 0 for
// none.
func (w *signalWatch) Stop() syscall.Signal {
	signal.Stop(w.ch)
	close(w.done)
	<-w.ended
	return w.got
}
