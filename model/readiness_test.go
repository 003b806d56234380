package model

import (
	"strings"
	"testing"
)

// podStatusDump is a `kubectl get -o yaml` List: Pods with the status the kubelet reported.
const podStatusDump = `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: web}
  spec:
    selector: {app: web}
    ports: [{port: 80}]
- apiVersion: v1
  kind: Service
  metadata: {name: web-all}
  spec:
    publishNotReadyAddresses: true
    selector: {app: web}
    ports: [{port: 80}]
- apiVersion: v1
  kind: Pod
  metadata: {name: ready, labels: {app: web}}
  spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
  status:
    phase: Running
    podIP: 10.244.1.2
    conditions: [{type: Ready, status: "True"}]
- apiVersion: v1
  kind: Pod
  metadata: {name: starting, labels: {app: web}}
  spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
  status:
    phase: Running
    podIP: 10.244.1.3
    conditions: [{type: Ready, status: "False", reason: ContainersNotReady}]
- apiVersion: v1
  kind: Pod
  metadata: {name: done, labels: {app: web}}
  spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
  status: {phase: Succeeded, podIP: 10.244.1.4}
- apiVersion: v1
  kind: Pod
  metadata: {name: crashed, labels: {app: web}}
  spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
  status: {phase: Failed}
- apiVersion: v1
  kind: Pod
  metadata: {name: leaving, labels: {app: web}, deletionTimestamp: "2024-05-01T10:00:00Z"}
  spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
  status:
    phase: Running
    podIP: 10.244.1.6
    conditions: [{type: Ready, status: "True"}]
- apiVersion: v1
  kind: Pod
  metadata: {name: unscheduled, labels: {app: web}}
  spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
  status: {phase: Pending}
- apiVersion: v1
  kind: Pod
  metadata: {name: plain, labels: {app: web}}
  spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
`

func endpointPods(sp *ServicePort) string {
	var out []string
	for _, e := range sp.Endpoints {
		out = append(out, e.Pod.Name)
	}
	return strings.Join(out, ",")
}

func unreadyPods(sp *ServicePort) map[string]string {
	out := map[string]string{}
	for _, u := range sp.Unready {
		out[u.Pod.Name] = u.Reason
	}
	return out
}

func TestPodStatusDecidesEndpoints(t *testing.T) {
	c := loadString(t, podStatusDump, Options{})
	noDiags(t, c, CodeMultipleWorkloads)
	if d := withCode(c.Diagnostics, CodeMultipleWorkloads); len(d) != 2 || !strings.Contains(d[0].Message, "2 workloads: Pod/ready, Pod/plain") {
		t.Errorf("only Pods that take traffic spread it:%s", dumpDiags(d))
	}
	web := service(t, c, "web")
	if got := endpointPods(web.Ports[0]); got != "ready,plain" {
		t.Errorf("web endpoints %s, want ready,plain", got)
	}
	want := map[string]string{
		"starting":    "not ready (Ready=False: ContainersNotReady)",
		"done":        "not an endpoint: the Pod has terminated (phase Succeeded)",
		"crashed":     "not an endpoint: the Pod has terminated (phase Failed)",
		"leaving":     "terminating (metadata.deletionTimestamp is set)",
		"unscheduled": "not an endpoint: the Pod has no IP yet (phase Pending)",
	}
	got := unreadyPods(web.Ports[0])
	for pod, reason := range want {
		if got[pod] != reason {
			t.Errorf("%s: reason %q, want %q", pod, got[pod], reason)
		}
	}
	if len(got) != len(want) {
		t.Errorf("unready %v", got)
	}
	// publishNotReadyAddresses: not-ready and terminating Pods are endpoints; terminal Pods and
	// Pods without an IP still are not.
	all := service(t, c, "web-all")
	if got := endpointPods(all.Ports[0]); got != "ready,starting,leaving,plain" {
		t.Errorf("web-all endpoints %s", got)
	}
	if len(web.Selected) != 7 {
		t.Errorf("Selected %d, want all 7 Pods the selector matches", len(web.Selected))
	}
}

// With no ready endpoint, kube-proxy falls back to terminating Pods that still pass readiness.
func TestTerminatingFallback(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: leaving, labels: {app: web}, deletionTimestamp: "2024-05-01T10:00:00Z"}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
status: {phase: Running, podIP: 10.244.1.6, conditions: [{type: Ready, status: "True"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: broken, labels: {app: web}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
status: {phase: Running, podIP: 10.244.1.7, conditions: [{type: Ready, status: "False"}]}
`, Options{})
	sp := service(t, c, "web").Ports[0]
	if len(sp.Endpoints) != 1 || sp.Endpoints[0].Pod.Name != "leaving" || !sp.Endpoints[0].Terminating {
		t.Fatalf("endpoints %+v", sp.Endpoints)
	}
	if u := unreadyPods(sp); len(u) != 1 || u["broken"] != "not ready (Ready=False)" {
		t.Errorf("unready %v", u)
	}
	d := withCode(c.Diagnostics, CodeNoReadyEndpoints)
	if len(d) != 1 || !strings.Contains(d[0].Message, "falls back to the 1 terminating Pod(s)") {
		t.Errorf("diagnostics:%s", dumpDiags(c.Diagnostics))
	}
}

// Condition reasons come from the manifest and reach Unready escaped.
func TestUnreadyReasonEscaped(t *testing.T) {
	c := loadString(t, "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}\nstatus: {phase: Running, podIP: 10.244.1.2, conditions: [{type: Ready, status: \"False\", reason: \"x\\e[2J\"}]}\n", Options{})
	sp := service(t, c, "web").Ports[0]
	if len(sp.Unready) != 1 || Escape(sp.Unready[0].Reason) != sp.Unready[0].Reason {
		t.Errorf("unready %+v", sp.Unready)
	}
	for _, d := range c.Diagnostics {
		if Escape(d.Message) != d.Message {
			t.Errorf("unescaped %q", d.Message)
		}
	}
}

// A status written by hand to pin addresses (no phase, no conditions) keeps the Pod ready, as
// the kube-reference manifests do; Pending without conditions is not ready.
func TestHandWrittenStatus(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Service
metadata: {name: web}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: pinned, labels: {app: web}}
spec: {containers: [{name: c, image: nginx}]}
status: {podIP: 10.244.0.2, hostIP: 192.168.1.2}
---
apiVersion: v1
kind: Pod
metadata: {name: running, labels: {app: web}}
spec: {containers: [{name: c, image: nginx}]}
status: {phase: Running, podIP: 10.244.0.3}
---
apiVersion: v1
kind: Pod
metadata: {name: pending, labels: {app: web}}
spec: {containers: [{name: c, image: nginx}]}
status: {phase: Pending, podIP: 10.244.0.4}
`, Options{})
	sp := service(t, c, "web").Ports[0]
	if got := endpointPods(sp); got != "pinned,running" {
		t.Errorf("endpoints %s", got)
	}
	if u := unreadyPods(sp); len(u) != 1 || u["pending"] != "not ready (no Ready condition), phase Pending" {
		t.Errorf("unready %v", u)
	}
}
