package tui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/svcviz/svcviz/netsim"
)

func TestPickers(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	m.Update(keyMsg("s"))
	if v := m.View(); !strings.Contains(v, "myapp-service  80/TCP") || strings.Contains(v, "default/") {
		t.Fatalf("service picker:\n%s", m.View())
	}
	m.Update(keyMsg("enter"))
	m.Update(keyMsg("o"))
	m.Update(keyMsg("down"))
	m.Update(keyMsg("enter"))
	if m.mode != modeNormal || m.trace.Request.From != "node01" {
		t.Fatalf("origin picker: mode %d, from %q, msg %q", m.mode, m.trace.Request.From, m.msg)
	}
}

// pickerEntries counts the picker's entries on screen (the dump's Services are all app-NNNN).
func pickerEntries(m *App, v string) int {
	n := 0
	for _, l := range strings.Split(v, "\n")[1 : 1+m.areaHeight()] {
		if strings.Contains(ansi.Cut(l, 0, m.diagramWidth()), "/app-") {
			n++
		}
	}
	return n
}

// TestPickerFilter: typing filters the Service picker of the dump; the count, backspace, esc
// (clears, then closes) and enter work, and q types rather than quits.
func TestPickerFilter(t *testing.T) {
	m := dumpApp(t, 120, 36)
	total := 0
	for _, si := range m.sim.Services {
		total += max(len(si.Svc.Ports), 1) // a Service without ports is one entry
	}
	m.Update(keyMsg("s"))
	v := m.View()
	if !strings.Contains(v, itoa(total)+" entries") {
		t.Fatalf("picker of %d ports:\n%s", total, v)
	}
	// the picker uses the whole left area, not the diagram's share of it
	if n := pickerEntries(m, v); n != m.areaHeight()-pickHead {
		t.Fatalf("%d entries on screen, want %d:\n%s", n, m.areaHeight()-pickHead, v)
	}
	si := m.sim.Services[777]
	ref := si.Svc.Namespace + "/" + si.Svc.Name
	for _, r := range ref + " " + itoa(int(si.Svc.Ports[0].Port)) + "/" {
		m.Update(keyFor(string(r)))
	}
	v = m.View()
	if !strings.Contains(v, "1 of "+itoa(total)+" match") || !strings.Contains(v, "▸ "+ref+"  "+itoa(int(si.Svc.Ports[0].Port))+"/TCP") {
		t.Fatalf("filter:\n%s", v)
	}
	for range len(itoa(int(si.Svc.Ports[0].Port))) + 2 { // back to the Service's name
		m.Update(keyFor("backspace"))
	}
	if v := m.View(); !strings.Contains(v, itoa(len(si.Svc.Ports))+" of "+itoa(total)+" match") {
		t.Fatalf("backspace:\n%s", v)
	}
	m.Update(keyMsg("q"))
	if m.mode != modePick || !strings.HasSuffix(m.pick.filter, "q") {
		t.Fatalf("q in the picker: mode %d, filter %q", m.mode, m.pick.filter)
	}
	if v := m.View(); !strings.Contains(v, "nothing matches") {
		t.Fatalf("no match:\n%s", v)
	}
	m.Update(keyMsg("esc"))
	if m.mode != modePick || m.pick.filter != "" || len(m.pick.items) != total {
		t.Fatal("esc did not clear the filter first")
	}
	for _, r := range ref + " " + itoa(int(si.Svc.Ports[0].Port)) + "/" {
		m.Update(keyFor(string(r)))
	}
	m.Update(keyMsg("enter"))
	if m.mode != modeNormal || m.trace.Service != si || m.trace.Port.Port != si.Svc.Ports[0].Port {
		t.Fatalf("enter traced %s:%v", m.trace.Service.Svc.Name, m.trace.Port)
	}
	m.Update(keyMsg("s"))
	m.Update(keyMsg("esc"))
	if m.mode != modeNormal {
		t.Fatal("esc with no filter did not close the picker")
	}
}

// TestPickerMouse: the wheel moves the picker's selection and a click chooses an entry.
func TestPickerMouse(t *testing.T) {
	m := dumpApp(t, 120, 36)
	m.Update(keyMsg("s"))
	m.Update(tea.MouseMsg{X: 10, Y: 5, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress})
	if m.pick.sel != 1 {
		t.Fatalf("wheel: selection %d", m.pick.sel)
	}
	// row 1+pickHead is the first entry; two below it is the third
	m.Update(tea.MouseMsg{X: 10, Y: 1 + pickHead + 2, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress})
	if want := m.pick.all[2]; m.mode != modeNormal || !strings.HasPrefix(want.label, m.trace.Service.Svc.Namespace+"/"+m.trace.Service.Svc.Name+"  "+itoa(int(m.trace.Port.Port))+"/") {
		t.Fatalf("click traced %s:%v", m.trace.Service.Svc.Name, m.trace.Port)
	}
}

// TestOriginPickerFindsAnyPod: the origin picker lists every Pod of the dump, not the first
// few hundred, and typing finds one.
func TestOriginPickerFindsAnyPod(t *testing.T) {
	m := dumpApp(t, 120, 36)
	m.Update(keyMsg("o"))
	last := m.sim.Pods[len(m.sim.Pods)-1].Pod.Name
	for _, r := range last + " dns" {
		m.Update(keyFor(string(r)))
	}
	if len(m.pick.items) != 1 {
		t.Fatalf("%d entries match %q", len(m.pick.items), last)
	}
	m.Update(keyMsg("enter"))
	if m.mode != modeNormal || !strings.HasSuffix(m.trace.Request.From, last) || m.trace.Request.Via != netsim.ViaDNS {
		t.Fatalf("from %q via %q, msg %q", m.trace.Request.From, m.trace.Request.Via, m.msg)
	}
}

// TestServicePickerTracesTheChosenProtocol: 53/UDP traces 53/UDP, not the TCP port of the
// same number; an unnamed port is asked for by number and protocol.
func TestServicePickerTracesTheChosenProtocol(t *testing.T) {
	yaml := `apiVersion: v1
kind: Pod
metadata: {name: dns-0, labels: {app: dns}}
spec:
  containers:
    - name: coredns
      image: coredns
      ports:
        - {name: dns-tcp, containerPort: 53, protocol: TCP}
        - {name: dns, containerPort: 53, protocol: UDP}
        - {containerPort: 9153}
---
apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: dns}
  ports:
    - {name: dns-tcp, port: 53, protocol: TCP}
    - {name: dns, port: 53, protocol: UDP}
---
apiVersion: v1
kind: Service
metadata: {name: metrics}
spec:
  selector: {app: dns}
  ports: [{port: 9153}]
`
	file := filepath.Join(t.TempDir(), "dns.yaml")
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	m := newApp(t, file, 120, 36, Options{})
	for _, c := range []struct{ filter, proto string }{{"53/UDP", "UDP"}, {"dns 53/TCP", "TCP"}, {"(dns)", "UDP"}, {"9153", "TCP"}} {
		m.Update(keyMsg("s"))
		for _, r := range c.filter {
			m.Update(keyMsg(string(r)))
		}
		if len(m.pick.items) != 1 {
			t.Fatalf("filter %q: %d entries", c.filter, len(m.pick.items))
		}
		m.Update(keyMsg("enter"))
		if m.msg != "" {
			t.Fatalf("%s: refused: %s", c.filter, m.msg)
		}
		if p := m.trace.Port; p == nil || string(p.Protocol) != c.proto || c.filter != "(dns)" && !strings.Contains(c.filter, fmt.Sprint(p.Port)) {
			t.Fatalf("%s traced %v", c.filter, p)
		}
		if got := m.trace.Hops[0].After.Proto; got != c.proto {
			t.Fatalf("%s: the packet is %s", c.filter, got)
		}
	}
}
