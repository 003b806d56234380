package model

import (
	"reflect"
	"strings"
	"testing"
)

// A selector that matches nothing is explained by the nearest label set, typos included, and
// the diagnostic points at the selector line that differs.
func TestNoMatchingPodsHints(t *testing.T) {
	const deploy = `---
apiVersion: apps/v1
kind: Deployment
metadata: {name: x}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec: {containers: [{name: c, image: nginx}]}
`
	cases := []struct {
		selector, hint string
		line           int         // the differing key's line, or the selector's when nothing is near
		nearest        []LabelDiff // Service.Nearest's facts, nil when nothing is near
	}{
		{"app: xx", `nearest: Deployment "x" has labels app=x; selector wants app=xx, the Pod has app=x`, 7,
			[]LabelDiff{{Key: "app", Want: "xx", HasKey: "app", Has: "x"}}},
		{"App: x", `nearest: Deployment "x" has labels app=x; selector wants App=x, the Pod has app=x`, 7,
			[]LabelDiff{{Key: "App", Want: "x", HasKey: "app", Has: "x"}}},
		{"tier: web", `the Pods in namespace "default" have Deployment "x" (app=x)`, 6, nil},
	}
	for _, c := range cases {
		doc := "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80}]\n  selector:\n    " + c.selector + "\n" + deploy
		cl := LoadSources([]*Source{{Name: "s.yaml", Data: []byte(doc)}}, Options{})
		d := withCode(cl.Diagnostics, CodeNoMatchingPods)
		if len(d) != 1 || d[0].Hint != c.hint {
			t.Errorf("%s: hint %q, want %q", c.selector, hints(d), c.hint)
			continue
		}
		if d[0].Line != c.line {
			t.Errorf("%s: line %d, want %d", c.selector, d[0].Line, c.line)
		}
		n := cl.Services[0].Nearest
		switch {
		case c.nearest == nil && n != nil:
			t.Errorf("%s: nearest %+v, want none", c.selector, n)
		case c.nearest != nil && (n == nil || n.Pod.Owner == nil || n.Pod.Owner.Name != "x" || !reflect.DeepEqual(n.Diffs, c.nearest)):
			t.Errorf("%s: nearest %+v, want diffs %+v of a Pod of x", c.selector, n, c.nearest)
		}
		if strings.Contains(d[0].Hint, "pod-template-hash") {
			t.Errorf("hint shows a generated label: %s", d[0].Hint)
		}
	}
}

func hints(ds []Diagnostic) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Hint)
	}
	return out
}

// A named targetPort declared only with another protocol has one cause, the protocol: one
// protocol-mismatch warning, no named-port-not-found beside it.
func TestNamedPortOtherProtocolIsOneWarning(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: dns}
  ports: [{port: 53, protocol: UDP, targetPort: dns}]
---
apiVersion: v1
kind: Pod
metadata: {name: dns, labels: {app: dns}}
spec:
  containers: [{name: dns, image: coredns, ports: [{name: dns, containerPort: 53}]}]
`, Options{})
	if len(c.Diagnostics) != 1 || c.Diagnostics[0].Code != CodeProtocolMismatch || c.Diagnostics[0].Field != "spec.ports[0].protocol" {
		t.Errorf("want one protocol-mismatch at spec.ports[0].protocol:%s", dumpDiags(c.Diagnostics))
	}
}
