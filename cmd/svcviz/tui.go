package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/charmbracelet/lipgloss"
	xterm "github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui"
)

// tuiFlags are the TUI's own flags, on the root command.
type tuiFlags struct {
	theme, lang, service, port, from, via string
	noColor, ascii, watch                 bool
}

func registerTUI(root *cobra.Command, g *globals) *tuiFlags {
	f := &tuiFlags{}
	fl := root.Flags()
	fl.StringVar(&f.theme, "theme", "dark", "colours: dark, light or projector (high contrast, bold, slow)")
	fl.StringVar(&f.lang, "lang", "", "narration language: en or ko (default from LANG)")
	fl.BoolVar(&f.noColor, "no-color", false, "no colours (also when NO_COLOR is set)")
	fl.BoolVar(&f.ascii, "ascii", false, "ASCII glyphs only (for terminals where box drawing is double width)")
	fl.StringVar(&f.service, "service", "", "the Service to start with, NAME or NS/NAME")
	fl.StringVar(&f.port, "port", "", "its port: a name, a number, or NUMBER/PROTOCOL (53/UDP) when a number serves several protocols")
	fl.StringVar(&f.from, "from", "", "where the packet starts: external, a node or a Pod")
	fl.StringVar(&f.via, "via", "", "the way in: nodeport, clusterip, lb or dns")
	fl.BoolVar(&f.watch, "watch", false, "reload when a loaded file changes (keeps the last good picture on an error)")
	return f
}

// options turns flags and environment into TUI options.
func (f *tuiFlags) options(seed int64) (tui.Options, error) {
	if !slices.Contains(tui.Themes(), f.theme) {
		return tui.Options{}, fmt.Errorf("--theme must be %s, not %q", strings.Join(tui.Themes(), ", "), f.theme)
	}
	lang := f.lang
	if lang == "" {
		lang = langFromEnv()
	}
	if err := langError(lang); err != nil {
		return tui.Options{}, err
	}
	_, noColorEnv := os.LookupEnv("NO_COLOR")
	return tui.Options{
		Theme: f.theme, Lang: lang, NoColor: f.noColor || noColorEnv, ASCII: f.ascii,
		Request: netsim.Request{Service: f.service, Port: f.port, From: f.from, Via: netsim.Via(strings.ToLower(f.via)), Seed: seed},
	}, nil
}

// langFromEnv follows the locale: LANG=ko_KR.UTF-8 narrates in Korean.
func langFromEnv() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			if strings.HasPrefix(l, "ko") {
				return "ko"
			}
			return "en"
		}
	}
	return "en"
}

// runTUI loads and traces before the terminal is touched, so bad input prints the same error
// as `svcviz check` and exits 2 without entering the alternate screen.
func runTUI(cmd *cobra.Command, g *globals, f *tuiFlags, args []string) error {
	opts, err := f.options(g.seed)
	if err != nil {
		return usageErr(err)
	}
	if opts.Request.Mode, err = g.mode(); err != nil {
		return err
	}
	g.keepSources = true // the YAML pane shows them, after this load and every reload
	sim, err := g.load(args, true)
	if err != nil {
		return err
	}
	if err := preflight(cmd.ErrOrStderr(), sim); err != nil {
		return err
	}
	if err := needTerminal(cmd.OutOrStdout(), append(append([]string{}, g.files...), args...)); err != nil {
		return err
	}
	opts.Sources = sim.Cluster.Sources
	if paths := append(append([]string{}, g.files...), args...); f.watch && len(paths) > 0 {
		// the same load as start-up; the built-in example has nothing to watch
		opts.Reload = func() (*netsim.Sim, error) { return g.load(args, true) }
		opts.Watch = paths
	}
	// The theme says what the background is (projector paints its own light one): lipgloss
	// takes that instead of the answer it never asked for (internal/termquiet).
	lipgloss.SetHasDarkBackground(opts.Theme == "dark")
	signals := watchSignals()
	opts.Context = signals.Context
	err = tui.Run(sim, opts)
	switch sig := signals.Stop(); {
	case sig != 0:
		return &exitError{code: exitSignal(sig)}
	case err != nil:
		return &exitError{code: exitFindings, err: err}
	}
	return nil
}

// needTerminal refuses to start the TUI where it cannot work: standard output is not a
// terminal (a pipe, a file) or TERM=dumb says the terminal moves no cursor. The one line
// names the commands that print the same facts as text. paths are the files on the line,
// repeated in the hint so it can be copied.
func needTerminal(stdout io.Writer, paths []string) error {
	files := "FILE"
	if len(paths) > 0 {
		files = strings.Join(paths, " ")
	}
	hint := fmt.Sprintf("`svcviz trace %s` prints the hops as text, `svcviz check %s` the port mappings and problems", files, files)
	if f, ok := stdout.(*os.File); !ok || !xterm.IsTerminal(f.Fd()) {
		return usageErr(errors.New("the TUI needs a terminal and standard output is not one: " + hint))
	}
	if os.Getenv("TERM") == "dumb" {
		return usageErr(errors.New("the TUI cannot draw on a terminal with TERM=dumb: " + hint))
	}
	return nil
}

// preflight refuses, before the terminal is touched, an input the TUI has nothing to show for:
// no Service at all (a file of ConfigMaps, or YAML that does not parse). It prints the
// diagnostics as `svcviz check` does, which usually say why, and exits 2.
func preflight(stderr io.Writer, sim *netsim.Sim) error {
	if len(sim.Services) > 0 {
		return nil
	}
	var b strings.Builder
	for _, d := range sim.Diagnostics {
		b.WriteString(formatDiagnostic(d) + "\n")
	}
	if _, err := io.WriteString(stderr, b.String()); err != nil {
		return err
	}
	return usageErr(errors.New("no Service to show in the input"))
}
