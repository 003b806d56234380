package tui

import (
	"context"
	"errors"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/svcviz/svcviz/netsim"
)

// crashURL is where a crash asks to be reported.
const crashURL = "https://github.com/svcviz/svcviz/issues"

// Run shows the TUI full screen until q or ctrl+c. The terminal is restored on every path
// out; a panic comes back as one line of error after the restore.
func Run(sim *netsim.Sim, opts Options) (err error) {
	m, err := New(sim, opts)
	if err != nil {
		return err
	}
	g := &guard{m: m}
	ctx := opts.Context
	if ctx == nil {
		ctx = context.Background()
	}
	p := tea.NewProgram(g, tea.WithAltScreen(), tea.WithMouseCellMotion(), tea.WithContext(ctx))
	g.quit = p.Quit
	if opts.Reload != nil && len(opts.Watch) > 0 {
		w, err := startWatch(opts.Watch, opts.Reload, p.Send)
		if err != nil {
			return fmt.Errorf("--watch: %w", err)
		}
		defer w.Close()
	}
	defer func() {
		if r := recover(); r != nil {
			_ = p.ReleaseTerminal()
			err = crashError(r)
		}
	}()
	_, runErr := p.Run()
	if g.crash != nil {
		return crashError(g.crash)
	}
	if runErr != nil && !errors.Is(runErr, tea.ErrProgramKilled) {
		return runErr
	}
	return nil
}

func crashError(r any) error {
	return fmt.Errorf("svcviz crashed: %v (please report at %s)", r, crashURL)
}

// guard wraps the model so a panic in Update or View ends the program cleanly (bubbletea
// restores the terminal) and is reported as one line, instead of a stack trace over the screen.
type guard struct {
	m     *App
	crash any
	quit  func()
}

func (g *guard) Init() tea.Cmd { return g.m.Init() }

func (g *guard) Update(msg tea.Msg) (_ tea.Model, cmd tea.Cmd) {
	if g.crash != nil {
		return g, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			g.crash, cmd = r, tea.Quit
		}
	}()
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if msg.Type == tea.KeyCtrlZ {
			// raw mode turns ^Z into a key: suspend as the shell expects (bubbletea restores
			// the terminal, stops the process group, and takes the screen back on SIGCONT)
			return g, tea.Suspend
		}
	case tea.ResumeMsg:
		// bubbletea v1.3 re-enters the alternate screen on resume but not mouse reporting
		_, cmd = g.m.Update(msg)
		return g, tea.Batch(tea.EnableMouseCellMotion, cmd)
	}
	_, cmd = g.m.Update(msg)
	return g, cmd
}

func (g *guard) View() (s string) {
	if g.crash != nil {
		return ""
	}
	defer func() {
		if r := recover(); r != nil {
			g.crash, s = r, ""
			// View cannot return a command; quit from outside the event loop, which would
			// otherwise block on its own message channel.
			go func() {
				defer func() { _ = recover() }()
				g.quit()
			}()
		}
	}()
	return g.m.View()
}
