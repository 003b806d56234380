package model

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzLoad feeds arbitrary bytes to the loader and walks everything it returns. The loader must
// never panic, and whatever it says must point into the input. Hostile seeds (alias bombs, deep
// nesting, huge numbers, control characters, invalid UTF-8) are in testdata/fuzz/FuzzLoad.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(svcA + "---\n" + svcB))
	f.Add([]byte(workloads))
	for _, tc := range diagCases(f) {
		f.Add([]byte(tc.bad))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := LoadSources([]*Source{{Name: "fuzz.yaml", Data: data}}, Options{Nodes: []string{"node01", "node02"}})
		checkCluster(t, c, data)
	})
}

// checkCluster walks a loaded Cluster, calling what its users call, and checks what must hold
// for any input.
func checkCluster(t *testing.T, c *Cluster, data []byte) {
	lines := bytes.Count(data, []byte("\n")) + 1
	checkPos := func(what string, p Pos) {
		if p.File != "fuzz.yaml" || p.Line < 1 || p.Line > lines {
			t.Fatalf("%s at %s:%d, outside the %d-line input", what, p.File, p.Line, lines)
		}
	}
	checkText := func(s string) {
		e := Escape(s)
		if !utf8.ValidString(e) {
			t.Fatalf("Escape(%q) = %q is not UTF-8", s, e)
		}
		for _, r := range e {
			if unsafeRune(r) {
				t.Fatalf("Escape(%q) = %q keeps %U", s, e, r)
			}
		}
	}
	checkMeta := func(m *Meta) {
		checkText(m.Ref())
		checkPos(m.Ref(), Pos{File: m.File, Line: m.Line})
		for _, path := range []string{"", "metadata", "metadata.name", "spec", "spec.ports[0].nodePort", "spec.ports[99999999999]",
			"spec.template.spec.containers[0].ports[0].containerPort", "[0]", "a..b", "x[", "]", "[]", "spec.selector[app.kubernetes.io/name]"} {
			checkPos(m.Ref()+" "+path, m.Pos(path))
			_ = m.Has(path)
		}
	}
	for _, s := range c.Services {
		checkMeta(&s.Meta)
		_, _ = s.Type(), s.Headless()
		if len(s.Ports) != len(s.Obj.Spec.Ports) {
			t.Fatalf("%s: %d ports resolved of %d", s.Ref(), len(s.Ports), len(s.Obj.Spec.Ports))
		}
		for _, sp := range s.Ports {
			checkPos(sp.Path(), s.Pos(sp.Path()+".targetPort"))
			checkText(sp.Name + sp.TargetPort.String())
			for _, e := range sp.Endpoints {
				_ = e.Declared()
				if e.Pod != nil {
					checkText(e.Pod.Name)
					if e.PortField != "" {
						checkPos(e.PortField, e.Pod.FieldPos(e.PortField+".containerPort"))
					}
				}
			}
			for _, u := range sp.Unready {
				checkText(u.Reason)
			}
		}
		for _, p := range s.Selected {
			if p.Namespace != s.Namespace {
				t.Fatalf("%s selects %s in another namespace", s.Ref(), p.Ref())
			}
		}
	}
	for _, p := range c.Pods {
		checkMeta(&p.Meta)
		if p.Obj == nil {
			t.Fatalf("Pod %s has no object", p.Ref())
		}
		checkPos(p.Ref(), p.FieldPos("containers[0].ports[0].containerPort"))
		_, _ = p.SpecPath(), p.LabelsPath()
	}
	for _, w := range c.Workloads {
		checkMeta(&w.Meta)
		if len(w.Pods) > MaxReplicas && w.Kind != "DaemonSet" {
			t.Fatalf("%s expands to %d Pods", w.Ref(), len(w.Pods))
		}
	}
	for _, e := range c.Endpoints {
		checkMeta(&e.Meta)
	}
	for _, d := range c.Diagnostics {
		loc := d.Location()
		if d.File != "fuzz.yaml" || !strings.HasPrefix(loc, "fuzz.yaml") {
			t.Fatalf("diagnostic %s at %q", d.Code, loc)
		}
		checkPos(d.Code, Pos{File: d.File, Line: d.Line})
		if d.Code == "" || d.Message == "" || (d.Severity != Error && d.Severity != Warning && d.Severity != Info) {
			t.Fatalf("diagnostic without code, message or severity: %+v", d)
		}
		checkText(d.Message)
		checkText(d.Hint)
		checkText(d.Object + d.Field)
	}
	_ = HasErrors(c.Diagnostics)
	if len(c.Diagnostics) > 0 {
		_ = ForObject(c.Diagnostics, c.Diagnostics[0].Object)
	}
	SortDiagnostics(c.Diagnostics)
}
