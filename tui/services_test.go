package tui

import (
	"strings"
	"testing"
)

// TestServiceChoiceKeepsOrigin: choosing another Service (the list or the s picker) keeps the
// chosen origin when it can still send there, and falls back to the default when it cannot.
func TestServiceChoiceKeepsOrigin(t *testing.T) {
	m := newApp(t, "../samples/namespaces.yaml", 120, 36, Options{})
	var prod, dev int
	for i, si := range m.sim.Services {
		switch si.Svc.Namespace {
		case "prod":
			prod = i
		case "dev":
			dev = i
		}
	}
	var from string
	for _, pi := range m.sim.Pods {
		if pi.Pod.Namespace == "prod" {
			from = "prod/" + pi.Pod.Name // not the default sender (dev/client)
		}
	}
	r := m.serviceRequest(dev)
	r.From = from
	retraceTo(m, r)
	if originLabel(m.trace, true) != from {
		t.Fatalf("origin %q, want %q", originLabel(m.trace, true), from)
	}
	retraceTo(m, m.serviceRequest(prod))
	if got := originLabel(m.trace, true); got != from || m.trace.Service != m.sim.Services[prod] {
		t.Fatalf("after choosing prod/api the origin is %q, want %q", got, from)
	}
	m.Update(keyMsg("s"))
	for i, it := range m.pick.items {
		if strings.Contains(it.label, "dev/") {
			m.pick.sel = i
		}
	}
	m.Update(keyMsg("enter"))
	if got := originLabel(m.trace, true); got != from || m.trace.Service != m.sim.Services[dev] {
		t.Fatalf("after the picker the origin is %q (service %s), want %q", got, m.trace.Service.Svc.Namespace, from)
	}
	r = m.req
	r.From = "no-such-pod"
	if got := m.keepOrigin(r); got.From != "" {
		t.Errorf("an invalid origin was kept: %q", got.From)
	}
}

// TestDumpServiceList: the right pane's Service list of the 1,000-Service dump says where the
// selection is and how many there are, and scrolls with the selection.
func TestDumpServiceList(t *testing.T) {
	m := dumpApp(t, 120, 36)
	if v := m.View(); !strings.Contains(v, "Services (s)  1/1000") {
		t.Fatalf("no count:\n%s", v)
	}
	m.Update(keyMsg("tab"))
	m.Update(keyMsg("tab"))
	for range 500 {
		m.Update(keyMsg("down"))
	}
	v := m.View()
	if !strings.Contains(v, "Services (s)  501/1000") || !strings.Contains(v, " "+m.sim.Services[500].Svc.Name+" ") && !strings.Contains(v, "/"+m.sim.Services[500].Svc.Name+" ") {
		t.Fatalf("the list did not follow the selection:\n%s", v)
	}
	m.Update(keyMsg("enter"))
	if got := m.trace.Service; got != m.sim.Services[500] {
		t.Fatalf("enter traced %s", got.Svc.Name)
	}
}

// The Services list marks the traced Service and a broken one, scrolls to its selection and
// says where it is in a long list.
func TestServiceListMarks(t *testing.T) {
	m := newApp(t, sampleBroken, 120, 36, Options{})
	s := newServiceList(m.ui, m.keys)
	s.SetCluster(m.sim)
	s.SetCurrent(m.trace.Service)
	s.SetSize(30, 1+len(m.sim.Services))
	v := s.View()
	if !strings.Contains(v, "▸ "+m.trace.Service.Svc.Name) || !strings.Contains(v, "!") && !strings.Contains(v, "✗") {
		t.Errorf("traced Service or its mark missing:\n%s", v)
	}
	if i, trace, _ := s.Update(keyMsg("enter")); !trace || m.sim.Services[i] != m.trace.Service {
		t.Errorf("enter traces %d", i)
	}
	s = newServiceList(m.ui, m.keys)
	s.SetCluster(dumpSim(t, 1))
	s.SetSize(30, 5)
	for range 10 {
		s.Update(keyMsg("down"))
	}
	if v := s.View(); !strings.Contains(rows(v)[0], "  11/") {
		t.Errorf("a long list does not say where its selection is:\n%s", v)
	}
}
