package tui

import (
	"slices"
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

// TestFirstPictures: real apps open on their front door: the first NodePort or LoadBalancer
// Service with endpoints, from the client; an app of ClusterIP Services only opens on its first
// Service sent from a Pod that is not behind it but behind another Service (a front end
// calling a back end), not merely the first Pod by name.
func TestFirstPictures(t *testing.T) {
	for _, c := range []struct{ file, svc, via, from string }{
		{"guestbook.yaml", "frontend", "nodeport", ""},
		{"voting-app.yaml", "result", "nodeport", ""},
		{"microservices-demo.yaml", "frontend-external", "lb", ""},
		{"aks-store-quickstart.yaml", "store-front", "lb", ""},
		{"bookinfo.yaml", "details", "clusterip", "another"},
	} {
		m := newApp(t, "../testdata/realworld/"+c.file, 120, 36, Options{})
		tr := m.trace
		if tr.Service.Svc.Name != c.svc || string(tr.Request.Via) != c.via {
			t.Errorf("%s opens on %s via %s, want %s via %s", c.file, tr.Service.Svc.Name, tr.Request.Via, c.svc, c.via)
			continue
		}
		o := tr.Origin.Pod
		switch {
		case c.from == "" && !tr.Origin.External():
			t.Errorf("%s: sent from %v, want the client", c.file, tr.Origin)
		case c.from != "" && !behindAnother(m.sim, tr.Service, o):
			t.Errorf("%s: sent from %+v, want a Pod behind another Service", c.file, o)
		}
	}
	// every ClusterIP Service of an app, asked for without an origin, is sent from a Pod of
	// another Service's workload (never the load generator nor a Pod behind it)
	sim := loadSim(t, "../testdata/realworld/microservices-demo.yaml", 1)
	for _, si := range sim.Services {
		if si.Svc.Type() != "ClusterIP" {
			continue
		}
		tr, err := sim.Trace(netsim.Request{Service: si.Svc.Key()})
		if err != nil {
			t.Fatal(err)
		}
		if !behindAnother(sim, si, tr.Origin.Pod) {
			t.Errorf("%s is sent from %v", si.Svc.Name, tr.Origin.Pod)
		}
	}
}

// behindAnother reports a Pod that some Service other than si selects, and si does not.
func behindAnother(sim *netsim.Sim, si *netsim.ServiceInfo, pi *netsim.PodInfo) bool {
	if pi == nil || slices.Contains(si.Svc.Selected, pi.Pod) {
		return false
	}
	for _, o := range sim.Services {
		if o != si && slices.Contains(o.Svc.Selected, pi.Pod) {
			return true
		}
	}
	return false
}
