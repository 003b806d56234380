package model

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
)

func serviceNames(c *Cluster) string {
	var out []string
	for _, s := range c.Services {
		out = append(out, s.Namespace+"/"+s.Name)
	}
	return strings.Join(out, ",")
}

func podNames(c *Cluster) string {
	var out []string
	for _, p := range c.Pods {
		out = append(out, p.Name)
	}
	return strings.Join(out, ",")
}

// noDiags fails on any diagnostic but those named.
func noDiags(t *testing.T, c *Cluster, allowed ...string) {
	t.Helper()
	var bad []Diagnostic
	for _, d := range c.Diagnostics {
		ok := false
		for _, a := range allowed {
			ok = ok || d.Code == a
		}
		if !ok {
			bad = append(bad, d)
		}
	}
	if len(bad) > 0 {
		t.Errorf("unexpected diagnostics:%s", dumpDiags(bad))
	}
}

func service(t *testing.T, c *Cluster, name string) *Service {
	t.Helper()
	for _, s := range c.Services {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no Service %q in %s", name, serviceNames(c))
	return nil
}

const svcA = "apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {selector: {app: a}, ports: [{port: 80}]}\n"
const svcB = "apiVersion: v1\nkind: Service\nmetadata: {name: b}\nspec: {selector: {app: b}, ports: [{port: 80}]}\n"

func TestDocumentSeparators(t *testing.T) {
	cases := []struct {
		name  string
		input string
		lines []int // Meta.Line of a and b
		docs  []int // Meta.Doc of a and b
	}{
		{"dashes", svcA + "---\n" + svcB, []int{1, 6}, []int{1, 2}},
		{"leading dashes", "---\n" + svcA + "---\n" + svcB, []int{2, 7}, []int{1, 2}},
		{"dashes with trailing space", svcA + "--- \n" + svcB, []int{1, 6}, []int{1, 2}},
		{"dashes with a comment", svcA + "---   # next\n" + svcB, []int{1, 6}, []int{1, 2}},
		{"document end", svcA + "...\n" + svcB, []int{1, 6}, []int{1, 2}},
		{"document end without final newline", svcA + "...\n" + strings.TrimSuffix(svcB, "\n") + "\n...", []int{1, 6}, []int{1, 2}},
		{"document end then dashes", svcA + "...\n---\n" + svcB, []int{1, 7}, []int{1, 3}},
		{"no final newline", svcA + "---\n" + strings.TrimSuffix(svcB, "\n"), []int{1, 6}, []int{1, 2}},
		{"trailing empty document", svcA + "---\n" + svcB + "---\n", []int{1, 6}, []int{1, 2}},
		{"trailing comment-only document", svcA + "---\n" + svcB + "---\n# the end\n\n", []int{1, 6}, []int{1, 2}},
		{"empty documents between", "---\n---\n" + svcA + "---\n\n---\n" + svcB, []int{3, 10}, []int{1, 3}},
		{"CRLF line ends", strings.ReplaceAll(svcA+"---\n"+svcB, "\n", "\r\n"), []int{1, 6}, []int{1, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := loadString(t, tc.input, Options{})
			noDiags(t, c, CodeNoMatchingPods)
			if got := serviceNames(c); got != "default/a,default/b" {
				t.Fatalf("Services %s", got)
			}
			for i, s := range c.Services {
				if s.Line != tc.lines[i] || s.Doc != tc.docs[i] {
					t.Errorf("%s at line %d doc %d, want line %d doc %d", s.Name, s.Line, s.Doc, tc.lines[i], tc.docs[i])
				}
				if p := s.Pos("spec.ports[0].port"); p.Line != tc.lines[i]+3 || p.File != "test.yaml" {
					t.Errorf("%s ports at %v, want line %d", s.Name, p, tc.lines[i]+3)
				}
			}
		})
	}
}

func TestEmptyInputs(t *testing.T) {
	for _, in := range []string{"", "\n", "---\n", "---\n...\n", "# only a comment\n", "---\n---\n---", "null\n", "~\n"} {
		// No object, no crash: one no-objects error, as kubectl apply's "no objects passed to
		// apply".
		c := loadString(t, in, Options{})
		ds := c.Diagnostics
		if len(ds) != 1 || ds[0].Code != CodeNoObjects || ds[0].Severity != Error || len(c.Services) > 0 || len(c.Pods) > 0 {
			t.Errorf("%q: %d Services, %d Pods, diagnostics:%s", in, len(c.Services), len(c.Pods), dumpDiags(c.Diagnostics))
		}
	}
}

// One broken document does not hide the others, and its error points into the file.
func TestBrokenDocumentKeepsOthers(t *testing.T) {
	c := loadString(t, svcA+"---\nkind: Service\nmetadata: {name: [\n---\n"+svcB, Options{})
	if got := serviceNames(c); got != "default/a,default/b" {
		t.Fatalf("Services %s", got)
	}
	bad := withCode(c.Diagnostics, CodeInvalidYAML)
	if len(bad) != 1 || bad[0].Line < 6 || bad[0].Line > 8 {
		t.Errorf("want one invalid-yaml on lines 6-8:%s", dumpDiags(c.Diagnostics))
	}
}

func TestFlowStyleTrailingCommas(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web,},}
spec: {
  type: NodePort,
  selector: {app: web,},
  ports: [
    {name: http, port: 80, targetPort: 8080, nodePort: 30080,},
    {name: https, port: 443,},
  ],
}
`, Options{})
	noDiags(t, c, CodeNoMatchingPods)
	s := service(t, c, "web")
	if len(s.Ports) != 2 || s.Ports[0].TargetPort.IntVal != 8080 || s.Ports[0].NodePort != 30080 || s.Ports[1].Port != 443 {
		t.Fatalf("ports %+v", s.Obj.Spec.Ports)
	}
	if l := s.Pos("spec.ports[1].port").Line; l != 9 {
		t.Errorf("spec.ports[1] at line %d, want 9", l)
	}
	if l := s.Pos("spec.type").Line; l != 5 {
		t.Errorf("spec.type at line %d, want 5", l)
	}
}

func TestListItemsKeepTheirLines(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Pod
  metadata:
    name: web
    labels: {app: web}
  spec:
    containers:
    - name: c
      image: nginx
      ports:
      - containerPort: 80
- apiVersion: v1
  kind: Service
  metadata:
    name: web
  spec:
    type: NodePort
    selector: {app: web}
    ports:
    - port: 80
      nodePort: 30080
metadata:
  resourceVersion: ""
`, Options{})
	noDiags(t, c)
	if len(c.Pods) != 1 || len(c.Services) != 1 {
		t.Fatalf("%d Pods, %d Services", len(c.Pods), len(c.Services))
	}
	p, s := c.Pods[0], c.Services[0]
	if p.Line != 4 || s.Line != 15 {
		t.Errorf("Pod at line %d, Service at line %d; want 4 and 15", p.Line, s.Line)
	}
	if l := p.FieldPos("containers[0].ports[0].containerPort").Line; l != 14 {
		t.Errorf("containerPort at line %d, want 14", l)
	}
	if l := s.Pos("spec.ports[0].nodePort").Line; l != 24 {
		t.Errorf("nodePort at line %d, want 24", l)
	}
	if len(s.Ports[0].Endpoints) != 1 {
		t.Errorf("endpoints %+v", s.Ports[0].Endpoints)
	}
}

func TestListOfOtherKinds(t *testing.T) {
	// ServiceList, as `kubectl get svc -o yaml` prints it, with one non-object item.
	c := loadString(t, `apiVersion: v1
kind: ServiceList
items:
- apiVersion: v1
  kind: Service
  metadata: {name: a}
  spec: {selector: {app: a}, ports: [{port: 80}]}
- just a string
- [1, 2]
`, Options{})
	if serviceNames(c) != "default/a" {
		t.Fatalf("Services %s", serviceNames(c))
	}
	c = loadString(t, "apiVersion: v1\nkind: List\nitems: {a: b}\n", Options{})
	if d := withCode(c.Diagnostics, CodeInvalidObject); len(d) != 1 || d[0].Line != 3 {
		t.Errorf("items not a list:%s", dumpDiags(c.Diagnostics))
	}
}

func TestJSONInput(t *testing.T) {
	c := loadString(t, `{
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {"name": "web", "namespace": "shop"},
  "spec": {
    "type": "NodePort",
    "selector": {"app": "web"},
    "ports": [
      {"port": 80, "targetPort": "http", "nodePort": 30080}
    ]
  }
}
`, Options{})
	noDiags(t, c, CodeNoMatchingPods)
	s := service(t, c, "web")
	if s.Namespace != "shop" || s.Ports[0].TargetPort != intstr.FromString("http") || s.Ports[0].NodePort != 30080 {
		t.Errorf("%s/%s %+v", s.Namespace, s.Name, s.Ports[0])
	}
	if l := s.Pos("spec.ports[0].nodePort").Line; l != 9 {
		t.Errorf("nodePort at line %d, want 9", l)
	}
	if l := s.Pos("metadata.namespace").Line; l != 4 {
		t.Errorf("namespace at line %d, want 4", l)
	}
}

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLoadDirectory(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"a.yaml":            svcA,
		"nested/deep/b.YML": svcB,
		"nested/c.json":     `{"apiVersion":"v1","kind":"Service","metadata":{"name":"c"},"spec":{"selector":{"app":"c"},"ports":[{"port":80}]}}`,
		"README.md":         "# not: [yaml\n",
		"nested/notes.txt":  "kind: Service\nmetadata: {name: txt}\n",
		"Makefile":          "all:\n\tgo build\n",
	})
	c, err := Load([]string{dir}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	noDiags(t, c, CodeNoMatchingPods)
	// Lexical walk order: nested/c.json comes before nested/deep/.
	if got := serviceNames(c); got != "default/a,default/c,default/b" {
		t.Errorf("Services %s", got)
	}
	if len(c.Sources) != 3 {
		t.Errorf("%d sources", len(c.Sources))
	}
	for _, s := range c.Services {
		if !strings.HasPrefix(s.File, dir) || filepath.Base(s.File) == "" {
			t.Errorf("%s from %q", s.Name, s.File)
		}
	}

	empty := t.TempDir()
	writeFiles(t, empty, map[string]string{"README.md": "hello\n", "sub/x.txt": "kind: Service\n"})
	_, err = Load([]string{empty}, Options{})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Path != empty || !strings.Contains(err.Error(), "no .yaml, .yml or .json files") {
		t.Errorf("empty directory: %v", err)
	}
}

func TestLoadStdinAndFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"b.yaml": svcB})
	c, err := Load([]string{"-", filepath.Join(dir, "b.yaml")}, Options{Stdin: strings.NewReader(svcA)})
	if err != nil {
		t.Fatal(err)
	}
	if got := serviceNames(c); got != "default/a,default/b" {
		t.Fatalf("Services %s", got)
	}
	if c.Services[0].File != "<stdin>" || c.Sources[0].Name != "<stdin>" || string(c.Sources[0].Data) != svcA {
		t.Errorf("stdin source %q", c.Services[0].File)
	}
	if d := withCode(c.Diagnostics, CodeNoMatchingPods); len(d) != 2 || d[0].Location() != "<stdin>:4" {
		t.Errorf("diagnostics:%s", dumpDiags(c.Diagnostics))
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestLoadInputErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := Load([]string{missing}, Options{})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Path != missing || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("missing file: %T %v", err, err)
	}
	if err.Error() != missing+": no such file or directory" {
		t.Errorf("message %q repeats the path or says too little", err.Error())
	}
	_, err = Load([]string{"-"}, Options{Stdin: failingReader{}})
	if !errors.As(err, &ie) || ie.Path != "<stdin>" {
		t.Errorf("failing stdin: %v", err)
	}
}

// kubectl's own output for `kubectl create service nodeport x --tcp=80:80 --dry-run=client -o
// yaml` (creationTimestamp: null, status.loadBalancer: {}, a port named "80-80") loads cleanly.
func TestKubectlCreateServiceOutput(t *testing.T) {
	pod := "apiVersion: v1\nkind: Pod\nmetadata: {name: x, labels: {app: x}}\nspec: {containers: [{name: x, image: nginx, ports: [{containerPort: 80}]}]}\n"
	c, err := Load([]string{"testdata/kubectl-create-service-nodeport.yaml", "-"}, Options{Stdin: strings.NewReader(pod)})
	if err != nil {
		t.Fatal(err)
	}
	noDiags(t, c)
	s := service(t, c, "x")
	if s.Type() != corev1.ServiceTypeNodePort || len(s.Ports) != 1 || s.Ports[0].Name != "80-80" || len(s.Ports[0].Endpoints) != 1 {
		t.Errorf("%s %+v", s.Type(), s.Ports)
	}
}

func TestDefaults(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Service
metadata: {name: cip}
spec:
  selector: {app: web}
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata: {name: np, namespace: shop}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 8080
    targetPort: 0
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  sessionAffinity: ClientIP
  selector: {app: web}
  ports:
  - {port: 443, protocol: UDP}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: nginx
        ports: [{containerPort: 80}]
`, Options{})
	cip, np, lb := service(t, c, "cip"), service(t, c, "np"), service(t, c, "lb")
	if cip.Namespace != "default" || np.Namespace != "shop" {
		t.Errorf("namespaces %q %q", cip.Namespace, np.Namespace)
	}
	if cip.Type() != corev1.ServiceTypeClusterIP || cip.Obj.Spec.ExternalTrafficPolicy != "" {
		t.Errorf("cip: type %q, externalTrafficPolicy %q", cip.Type(), cip.Obj.Spec.ExternalTrafficPolicy)
	}
	if cip.Obj.Spec.SessionAffinity != corev1.ServiceAffinityNone || *cip.Obj.Spec.InternalTrafficPolicy != corev1.ServiceInternalTrafficPolicyCluster {
		t.Errorf("cip: %+v", cip.Obj.Spec)
	}
	if p := cip.Ports[0]; p.Protocol != corev1.ProtocolTCP || p.TargetPort != intstr.FromInt32(80) || p.NodePort != 0 {
		t.Errorf("cip port %+v", p)
	}
	if cip.Has("spec.ports[0].targetPort") || !cip.Has("spec.ports[0].port") {
		t.Error("Has: a defaulted targetPort is not written")
	}
	if np.Obj.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyCluster || np.Ports[0].TargetPort != intstr.FromInt32(8080) {
		t.Errorf("np: %+v", np.Obj.Spec)
	}
	if lb.Obj.Spec.ExternalTrafficPolicy != corev1.ServiceExternalTrafficPolicyLocal || lb.Ports[0].Protocol != corev1.ProtocolUDP ||
		*lb.Obj.Spec.SessionAffinityConfig.ClientIP.TimeoutSeconds != DefaultAffinitySeconds {
		t.Errorf("lb: %+v", lb.Obj.Spec)
	}
	if len(c.Workloads) != 1 || c.Workloads[0].Replicas != 1 || len(c.Pods) != 1 {
		t.Fatalf("replicas default: %d workloads, %d Pods", len(c.Workloads), len(c.Pods))
	}
	if cp := c.Pods[0].Obj.Spec.Containers[0].Ports[0]; cp.Protocol != corev1.ProtocolTCP {
		t.Errorf("containerPort protocol %q", cp.Protocol)
	}
	if len(cip.Ports[0].Endpoints) != 1 || cip.Ports[0].Endpoints[0].Container != "c" || cip.Ports[0].Endpoints[0].PortField != "containers[0].ports[0]" {
		t.Errorf("endpoints %+v", cip.Ports[0].Endpoints)
	}

	// -n: objects that name no namespace take Options.Namespace.
	c = loadString(t, svcA, Options{Namespace: "team"})
	if serviceNames(c) != "team/a" {
		t.Errorf("Options.Namespace: %s", serviceNames(c))
	}
}

const workloads = `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 3
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres, ports: [{containerPort: 5432}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: a, image: agent}]}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec:
  replicas: 2
  selector: {matchLabels: {app: rs}}
  template:
    metadata: {labels: {app: rs}}
    spec: {containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec:
  template:
    metadata: {labels: {app: rc}}
    spec: {containers: [{name: a, image: a}]}
---
apiVersion: v1
kind: Pod
metadata: {name: bare}
spec: {containers: [{name: a, image: a}]}
`

// The alphabet Kubernetes generates names from (k8s.io/apimachinery/pkg/util/rand).
const nameChars = "[bcdfghjklmnpqrstvwxz2456789]"

func TestWorkloadExpansion(t *testing.T) {
	opts := Options{Nodes: []string{"node01", "node02", "node03"}}
	c := loadString(t, workloads, opts)
	noDiags(t, c)
	var names []string
	byOwner := map[string][]*Pod{}
	for _, p := range c.Pods {
		names = append(names, p.Name)
		owner := "Pod"
		if p.Owner != nil {
			owner = p.Owner.Kind
		}
		byOwner[owner] = append(byOwner[owner], p)
	}
	if len(c.Pods) != 3+2+3+2+1+1 {
		t.Fatalf("Pods %v", names)
	}
	// File order: the workloads' Pods stand where the workload was written.
	if names[0] != "db-0" || names[1] != "db-1" || names[2] != "db-2" || names[len(names)-1] != "bare" {
		t.Errorf("order %v", names)
	}
	for i, p := range byOwner["StatefulSet"] {
		if p.Ordinal != i || p.Obj.Labels["statefulset.kubernetes.io/pod-name"] != p.Name || p.Obj.Labels["app"] != "db" {
			t.Errorf("%s: ordinal %d labels %v", p.Name, p.Ordinal, p.Obj.Labels)
		}
	}
	deploy := regexp.MustCompile(`^web-(` + nameChars + `{1,10})-` + nameChars + `{5}$`)
	seen := map[string]bool{}
	for _, p := range byOwner["Deployment"] {
		m := deploy.FindStringSubmatch(p.Name)
		if m == nil {
			t.Errorf("Deployment Pod %q is not web-<hash>-<5>", p.Name)
			continue
		}
		if p.Obj.Labels["pod-template-hash"] != m[1] {
			t.Errorf("%s: pod-template-hash %q", p.Name, p.Obj.Labels["pod-template-hash"])
		}
		seen[p.Name] = true
	}
	if len(seen) != 2 {
		t.Errorf("Deployment Pod names not distinct: %v", byOwner["Deployment"])
	}
	ds := byOwner["DaemonSet"]
	if len(ds) != 3 {
		t.Fatalf("DaemonSet: %d Pods for 3 nodes", len(ds))
	}
	for i, p := range ds {
		if p.Obj.Spec.NodeName != opts.Nodes[i] || !regexp.MustCompile(`^agent-`+nameChars+`{5}$`).MatchString(p.Name) {
			t.Errorf("DaemonSet Pod %s on %q", p.Name, p.Obj.Spec.NodeName)
		}
	}
	for _, kind := range []string{"ReplicaSet", "ReplicationController"} {
		for _, p := range byOwner[kind] {
			if !regexp.MustCompile(`^r[sc]-` + nameChars + `{5}$`).MatchString(p.Name) {
				t.Errorf("%s Pod %q", kind, p.Name)
			}
		}
	}
	if len(byOwner["ReplicationController"]) != 1 {
		t.Errorf("ReplicationController without replicas: %d Pods", len(byOwner["ReplicationController"]))
	}

	// Stable across runs: a second load gives the same names, and they are pinned here so that
	// a change of hashing shows (trace goldens and screenshots name these Pods).
	again := loadString(t, workloads, opts)
	if podNames(again) != podNames(c) {
		t.Errorf("names differ between loads:\n%s\n%s", podNames(c), podNames(again))
	}
	if got := podNames(c); got != goldenPodNames {
		t.Errorf("Pod names\n  %s\nwant\n  %s", got, goldenPodNames)
	}
}

const goldenPodNames = "db-0,db-1,db-2,web-7bbbff7566-b7574,web-7bbbff7566-f5785,agent-576d5,agent-d94c4,agent-9bd9f,rs-9fdb5,rs-75b94,rc-b86f7,bare"

func TestPositions(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
  - name: metrics
    port: 9090
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - name: http
          containerPort: 8080
      - name: exporter
        image: exporter
        ports:
        - containerPort: 9090
---
apiVersion: v1
kind: Pod
metadata:
  name: bare
  labels: {app: web}
spec:
  containers:
  - name: nginx
    image: nginx
    ports:
    - name: http
      containerPort: 8080
    - containerPort: 9090
`, Options{})
	noDiags(t, c, CodeMultipleWorkloads)
	s := service(t, c, "web")
	for path, want := range map[string]int{
		"spec.ports[0].nodePort":   13,
		"spec.ports[0].targetPort": 12,
		"spec.ports[0].port":       11,
		"spec.ports[1].port":       15,
		"spec.ports[1].targetPort": 14, // defaulted: the port entry it belongs to
		"spec.ports[1].nodePort":   14,
		"spec.selector":            7,
		"spec.selector.app":        8,
		"spec.ports[7].port":       9, // no such port: the list
		"metadata.name":            4,
		"status.loadBalancer":      1, // nothing written: the object
	} {
		if got := s.Pos(path); got.Line != want || got.File != "test.yaml" {
			t.Errorf("Service %s at %v, want line %d", path, got, want)
		}
	}
	var fromDeploy, bare *Pod
	for _, p := range c.Pods {
		if p.Owner != nil && fromDeploy == nil {
			fromDeploy = p
		}
		if p.Name == "bare" {
			bare = p
		}
	}
	if fromDeploy == nil || bare == nil {
		t.Fatalf("Pods %s", podNames(c))
	}
	// An expanded Pod's fields point into its workload's template.
	if l := fromDeploy.FieldPos("containers[0].ports[0].containerPort").Line; l != 35 {
		t.Errorf("template containerPort at line %d, want 35", l)
	}
	if l := fromDeploy.FieldPos("containers[1].ports[0].containerPort").Line; l != 39 {
		t.Errorf("template containerPort at line %d, want 39", l)
	}
	if l := bare.FieldPos("containers[0].ports[0].containerPort").Line; l != 52 {
		t.Errorf("Pod containerPort at line %d, want 52", l)
	}
	if l := bare.FieldPos("containers[0].ports[1].containerPort").Line; l != 53 {
		t.Errorf("Pod containerPort at line %d, want 53", l)
	}
	if fromDeploy.SpecPath() != "spec.template.spec" || fromDeploy.LabelsPath() != "spec.template.metadata.labels" || bare.SpecPath() != "spec" {
		t.Error("spec paths")
	}
	// Endpoints say which declaration they resolved through.
	http := s.Ports[0]
	if len(http.Endpoints) != 2 {
		t.Fatalf("http endpoints %+v", http.Endpoints)
	}
	for _, e := range http.Endpoints {
		if e.Port != 8080 || !e.Named || e.Container != "nginx" || e.PortField != "containers[0].ports[0]" {
			t.Errorf("endpoint %+v", e)
		}
		if l := e.Pod.FieldPos(e.PortField + ".containerPort").Line; l != 35 && l != 52 {
			t.Errorf("%s: declaration at line %d", e.Pod.Name, l)
		}
	}
	if e := s.Ports[1].Endpoints; len(e) != 2 || e[0].Container != "exporter" || e[1].PortField != "containers[0].ports[1]" {
		t.Errorf("metrics endpoints %+v", e)
	}
}

// Keys with dots are addressed in brackets.
func TestPositionOfDottedKeys(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app.kubernetes.io/name: web
    tier: front
  ports: [{port: 80}]
`, Options{})
	s := service(t, c, "web")
	if l := s.Pos("spec.selector[app.kubernetes.io/name]").Line; l != 7 {
		t.Errorf("dotted key at line %d, want 7", l)
	}
	if l := s.Pos("spec.selector.tier").Line; l != 8 {
		t.Errorf("tier at line %d, want 8", l)
	}
}

func TestEscape(t *testing.T) {
	for in, want := range map[string]string{
		"web":                  "web",
		"":                     "",
		"서비스-web":              "서비스-web",
		"emoji 🚀":              "emoji 🚀",
		"red\x1b[31mtext":      `red\x1b[31mtext`,
		"bell\a":               `bell\a`,
		"over\rwrite":          `over\rwrite`,
		"new\nline\ttab":       `new\nline\ttab`,
		"del\x7f":              `del\x7f`,
		"nul\x00":              `nul\x00`,
		"c1\u009b31m":          `c1\u009b31m`,
		"abc\u202edcba":        `abc\u202edcba`,
		"iso\u2066x\u2069":     `iso\u2066x\u2069`,
		"ls\u2028ps\u2029":     `ls\u2028ps\u2029`,
		"bad\xffutf8":          `bad\xffutf8`,
		"cut\xe2\x80":          `cut\xe2\x80`,
		"ok\u00e9\x1b":         "oké" + `\x1b`,
		"zero width\u200bjoin": "zero width\u200bjoin",
	} {
		got := Escape(in)
		if got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) {
				t.Errorf("Escape(%q) keeps %U", in, r)
			}
		}
	}
}

// Names and ports with control characters reach diagnostics escaped.
func TestDiagnosticsAreEscaped(t *testing.T) {
	c := loadString(t, "apiVersion: v1\nkind: Service\nmetadata: {name: \"web\\e]0;pwned\\a\"}\nspec:\n  selector: {app: \"x\\e[2J\"}\n  ports: [{port: 80, name: \"a\\rb\", targetPort: \"h\\u202e\"}]\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: \"cm\\e[31m\"}\n", Options{})
	if len(c.Diagnostics) < 3 {
		t.Fatalf("diagnostics:%s", dumpDiags(c.Diagnostics))
	}
	for _, d := range c.Diagnostics {
		for _, s := range []string{d.Message, d.Hint} {
			if Escape(s) != s {
				t.Errorf("%s: unescaped text %q", d.Code, s)
			}
		}
	}
}

// The YAML parser also breaks lines at a lone CR, NEL, U+2028 and U+2029 (YAML 1.1); editors and
// the YAML pane count only newlines, and positions must agree with them.
func TestLinesWithOtherBreaks(t *testing.T) {
	for _, brk := range []string{"\r", "\u0085", "\u2028", "\u2029", "\r\r", "\u2028\r"} {
		c := loadString(t, "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations: {note: \"a"+brk+"b"+brk+"c\"}\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n---\napiVersion: v1\nkind: Service\nmetadata: {name: two}\nspec: {ports: [{port: 80}]}\n", Options{})
		s := service(t, c, "web")
		if l := s.Pos("spec.ports[0].nodePort").Line; l != 10 {
			t.Errorf("%q: nodePort at line %d, want 10", brk, l)
		}
		if l := service(t, c, "two").Pos("spec.ports").Line; l != 15 {
			t.Errorf("%q: second document's ports at line %d, want 15", brk, l)
		}
		// An error after such a break points at the file's line, never past its end.
		c = loadString(t, "apiVersion: v1\nkind: Service # a"+brk+"b"+brk+"c\nmetadata:\n  name: [\n", Options{})
		d := withCode(c.Diagnostics, CodeInvalidYAML)
		if len(d) != 1 || d[0].Line < 1 || d[0].Line > 4 {
			t.Errorf("%q: want one invalid-yaml within the 4 lines:%s", brk, dumpDiags(c.Diagnostics))
		}
	}
}

// An anchor that merges itself is a cycle in the parsed tree; it ends in a diagnostic, not in
// unbounded recursion (found by FuzzLoad).
func TestSelfMergeEnds(t *testing.T) {
	c := loadString(t, "apiVersion: v1\nkind: Service\nmetadata: &m {<<: *m, name: x}\nspec: {ports: [{port: 80}]}\n---\n"+svcA, Options{})
	if d := withCode(c.Diagnostics, CodeInvalidYAML); len(d) != 1 || d[0].Line != 1 {
		t.Errorf("want one invalid-yaml at line 1:%s", dumpDiags(c.Diagnostics))
	}
	if serviceNames(c) != "default/a" {
		t.Errorf("Services %s", serviceNames(c))
	}
}

// An empty file beside others is a warning naming it; the input still holds objects.
func TestEmptyFileBesideOthers(t *testing.T) {
	c := LoadSources([]*Source{{Name: "empty.yaml", Data: []byte("# todo\n")}, {Name: "svc.yaml", Data: []byte("apiVersion: v1\nkind: Service\nmetadata: {name: a}\nspec: {ports: [{port: 80}]}\n")}}, Options{})
	got := withCode(c.Diagnostics, CodeNoObjects)
	if len(got) != 1 || got[0].Severity != Warning || got[0].File != "empty.yaml" || len(c.Services) != 1 {
		t.Errorf("want one no-objects warning on empty.yaml:%s", dumpDiags(c.Diagnostics))
	}
}
