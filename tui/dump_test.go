package tui

import (
	"sync"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/svcviz/svcviz/internal/dumpgen"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// dumpBytes is the generated 1,000-Service, 5,000-Pod dump, made once per test binary.
var dumpBytes = sync.OnceValue(func() []byte { return dumpgen.Generate(dumpgen.Options{Services: 1000}) })

// dumpSim loads and simulates the generated dump, as the CLI does for a file.
func dumpSim(tb testing.TB, nodes int) *netsim.Sim {
	tb.Helper()
	cfg := netsim.DefaultConfig()
	cfg.Nodes = nodes
	c := model.LoadSources([]*model.Source{{Name: "dump.yaml", Data: dumpBytes()}}, model.Options{Nodes: netsim.NodeNames(nodes)})
	return netsim.New(c, cfg)
}

// dumpApp is a sized model of the dump.
func dumpApp(tb testing.TB, w, h int) *App {
	tb.Helper()
	sim := dumpSim(tb, 1)
	// the dump's first Service (the screen would open on its first NodePort): the tests
	// that use it are about its lists and panes, from the top
	m, err := New(sim, Options{Request: netsim.Request{Service: sim.Services[0].Svc.Key()}})
	if err != nil {
		tb.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m
}
