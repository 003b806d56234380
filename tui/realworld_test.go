package tui

import (
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/svcviz/svcviz/netsim"
)

// TestRealWorldDumps traces every Service of the shared real-world manifests on 1 and 3 nodes
// and checks each frame keeps the terminal's exact size.
func TestRealWorldDumps(t *testing.T) {
	for _, f := range []string{"microservices-demo.yaml", "bookinfo.yaml", "k8s-docs-statefulset-web.yaml"} {
		path := "../testdata/realworld/" + f
		for _, nodes := range []int{1, 3} {
			sim := loadSim(t, path, nodes)
			for _, si := range sim.Services {
				m, err := New(sim, Options{Request: netsim.Request{Service: si.Svc.Namespace + "/" + si.Svc.Name}})
				if err != nil {
					continue // a Service netsim cannot trace (e.g. refused by validation)
				}
				for _, sz := range [][2]int{{80, 24}, {120, 36}} {
					m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
					for range 4 {
						m.Update(keyMsg("right"))
						checkSize(t, m.View(), sz[0], sz[1])
					}
				}
			}
		}
	}
}
