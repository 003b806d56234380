package netsim_test

import (
	"strings"
	"testing"

	"github.com/svcviz/svcviz/netsim"
)

// containerPort is informational: a Pod that declares no port at all gets the packet (the
// app may well listen), and the trace says it assumed so; one that declares other ports
// refuses it.
func TestUndeclaredPortDelivery(t *testing.T) {
	const doc = `apiVersion: v1
kind: Pod
metadata: {name: bare, labels: {app: web}}
spec:
  containers: [{name: nginx, image: nginx}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`
	tr := trace(t, load(t, 1, doc), netsim.Request{Service: "web", From: "node01"})
	wantVerdict(t, tr, netsim.Delivered, len(tr.Hops)-1)
	d := hop(t, tr, netsim.ActDeliver)
	if d.Narration != "deliver.undeclared" || d.Diagnostic == nil || d.Diagnostic.Code != "target-port-not-declared" {
		t.Errorf("delivery to an undeclared port: %s %+v", d.Narration, d.Diagnostic)
	}
	declared := strings.Replace(doc, "image: nginx}", "image: nginx, ports: [{containerPort: 8080}]}", 1)
	tr = trace(t, load(t, 1, declared), netsim.Request{Service: "web", From: "node01"})
	r := hop(t, tr, netsim.ActRefuse)
	wantVerdict(t, tr, netsim.Refused, r.Step)
	if !strings.Contains(r.Text("en"), "8080/TCP") {
		t.Errorf("refusal does not say what is declared: %s", r.Text("en"))
	}
}
