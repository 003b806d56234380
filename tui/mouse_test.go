package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/svcviz/svcviz/netsim"
)

// TestMousePanes: the wheel scrolls the pane under it; a click on the Service box selects it
// and shows its YAML; a click on a diagnostic shows its line.
func TestMousePanes(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	row := m.diagramHeight() + 3 // inside the YAML pane
	before := m.View()
	m.Update(tea.MouseMsg{X: 5, Y: 1 + row, Button: tea.MouseButtonWheelUp, Action: tea.MouseActionPress})
	if m.View() == before || m.yaml.scroll.off >= 0 {
		t.Fatal("the wheel did not scroll the YAML pane")
	}
	l := m.diagram().Layout
	svc := l.Nodes[0].Svc
	m.Update(tea.MouseMsg{X: svc.X + 3 - m.scrollX, Y: 1 + svc.Y + 1 - m.scrollY, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if m.focus != focusServices || m.pin == nil || !strings.Contains(markedLine(t, m.View()), "30 apiVersion: v1") {
		t.Fatalf("click on the Service box: focus %d pin %v\n%s", m.focus, m.pin, m.View())
	}

	b := newApp(t, sampleBroken, 120, 36, Options{})
	b.Update(keyMsg("d"))
	b.Update(tea.MouseMsg{X: 10, Y: 1 + b.diagramHeight() + 1, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if b.pane != paneYAML || b.pin == nil || b.pin.t.Line != 42 {
		t.Fatalf("click on a diagnostic: pane %d pin %+v", b.pane, b.pin)
	}
}

// TestClickPodDeliversToThatPod: a click on each Pod of the Deployment sends the packet to
// that very Pod, on one node and on three, and clicking it again keeps it there.
func TestClickPodDeliversToThatPod(t *testing.T) {
	for _, c := range []struct {
		nodes int
		mode  netsim.ProxyMode
	}{{1, netsim.ModeIPTables}, {3, netsim.ModeIPTables}, {3, netsim.ModeNFTables}} {
		nodes := c.nodes
		m, err := New(loadSim(t, "../samples/deployment.yaml", nodes), Options{Request: netsim.Request{Mode: c.mode}})
		if err != nil {
			t.Fatal(err)
		}
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 48})
		if n := len(m.diagram().Layout.Pods); n != 3 {
			t.Fatalf("%d nodes: %d Pods drawn, want the 3 replicas", nodes, n)
		}
		for k := range m.diagram().Layout.Pods {
			pb := m.diagram().Layout.Pods[k]
			for range 2 {
				m.Update(tea.MouseMsg{X: pb.X + 2 - m.scrollX, Y: 1 + pb.Y + 1 - m.scrollY, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
				if ep := m.trace.Endpoint; ep == nil || ep.Pod != pb.Item.Pod {
					t.Fatalf("%d nodes %s: click on %s chose %+v", nodes, c.mode, pb.Item.Show, ep)
				}
				var got *netsim.PodInfo
				for _, h := range m.trace.Hops {
					if h.Action == netsim.ActDeliver {
						got = h.Pod
					}
				}
				nft := false
				for _, h := range m.trace.Hops {
					nft = nft || h.Table == netsim.NftTableName
				}
				if nft != (c.mode == netsim.ModeNFTables) {
					t.Fatalf("%s: the trace walked the other mode's rules", c.mode)
				}
				if got == nil || got.Pod != pb.Item.Pod {
					t.Fatalf("%d nodes %s: click on %s delivered to %v", nodes, c.mode, pb.Item.Show, got)
				}
			}
		}
	}
}
