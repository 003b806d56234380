package model

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/svcviz/svcviz/internal/dumpgen"
)

// The YAML front end's behaviour on whole files: strict field validation of whole objects, the
// last value of a repeated key, UTF-16, merge bombs, and what a directory walk skips.

// Strict field validation covers the whole object, as `kubectl apply` does by default: a typo
// in a field svcviz does not decode (env, resources, volumes) is an error at its line, and the
// object is refused; the fields svcviz decodes come through when there is none.
func TestWholeObjectIsValidated(t *testing.T) {
	bad := `apiVersion: v1
kind: Pod
metadata:
  name: p
  managedFields: [{manager: kubectl, operation: Apply}]
spec:
  containers:
  - name: c
    image: nginx
    env: [{name: A, valeu: typo}]
    resources: {limts: {cpu: 1}}
    ports: [{containerport: 80}]
  volumes: [{name: v, emptyDir: {medum: Memory}}]
status: {podIP: 10.244.0.9}
`
	c := LoadSources([]*Source{{Name: "p.yaml", Data: []byte(bad)}}, Options{})
	want := map[string]int{"spec.containers[0].env[0].valeu": 10, "spec.containers[0].resources.limts": 11,
		"spec.containers[0].ports[0].containerport": 12, "spec.volumes[0].emptyDir.medum": 13}
	for _, d := range c.Diagnostics {
		if d.Code != CodeUnknownField {
			continue
		}
		if want[d.Field] != d.Line || d.Severity != Error || !strings.Contains(d.Message, `unknown field "`+d.Field+`"`) {
			t.Errorf("unexpected %s", d.Location()+" "+d.Field+" "+d.Message)
		}
		delete(want, d.Field)
	}
	if len(want) > 0 {
		t.Errorf("not reported: %v", want)
	}
	if len(c.Pods) != 0 {
		t.Error("kubectl refuses the Pod; svcviz loaded it")
	}
	good := strings.NewReplacer("valeu", "value", "limts", "limits", "containerport", "containerPort", "medum", "medium").Replace(bad)
	c = LoadSources([]*Source{{Name: "p.yaml", Data: []byte(good)}}, Options{})
	noDiags(t, c)
	if c.Pods[0].Obj.Status.PodIP != "10.244.0.9" || c.Pods[0].Obj.Spec.Containers[0].Image != "nginx" || c.Pods[0].Obj.Spec.Containers[0].Ports[0].ContainerPort != 80 {
		t.Error("a field svcviz uses was skipped")
	}
	if c.Pods[0].Obj.Spec.Containers[0].Env != nil || c.Pods[0].Obj.Spec.Volumes != nil {
		t.Error("fields the simulation does not use were decoded")
	}
}

// A value of the wrong type in a field svcviz does not decode is refused as the API server
// refuses it, with the YAML 1.1 hint where it applies.
func TestUndecodedFieldTypes(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
  - name: c
    image: nginx
    env: [{name: A, value: 8080}, {name: B, value: yes}]
    livenessProbe: {periodSeconds: ten, httpGet: {port: http, path: /}}
`, Options{})
	want := map[string]string{
		"spec.containers[0].env[0].value":                "cannot use number as string",
		"spec.containers[0].env[1].value":                "yes is the boolean true",
		"spec.containers[0].livenessProbe.periodSeconds": "cannot use string as int32",
	}
	for _, d := range withCode(c.Diagnostics, CodeInvalidObject) {
		if w, ok := want[d.Field]; !ok || !strings.Contains(d.Message, w) || d.Line < 8 || d.Line > 9 {
			t.Errorf("unexpected %s %s %s", d.Location(), d.Field, d.Message)
		}
		delete(want, d.Field)
	}
	if len(want) > 0 {
		t.Errorf("not reported: %v%s", want, dumpDiags(c.Diagnostics))
	}
	if len(c.Pods) != 0 {
		t.Error("the API server refuses the Pod; svcviz loaded it")
	}
}

// ports indented under a probe: kubectl apply's strict field validation refuses the
// Deployment at the misplaced line (testdata/real-inputs/ports-under-probe.yaml).
func TestPortsUnderProbe(t *testing.T) {
	data, err := os.ReadFile("../testdata/real-inputs/ports-under-probe.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := LoadSources([]*Source{{Name: "ports-under-probe.yaml", Data: data}}, Options{})
	got := withCode(c.Diagnostics, CodeUnknownField)
	if len(got) != 1 {
		t.Fatalf("want one unknown-field error:%s", dumpDiags(c.Diagnostics))
	}
	d := got[0]
	if d.Severity != Error || d.Line != 23 || d.Object != "Deployment/default/site" ||
		!strings.Contains(d.Message, `unknown field "spec.template.spec.containers[0].livenessProbe.ports"`) {
		t.Errorf("got %s %s %s", d.Location(), d.Object, d.Message)
	}
	if d.Hint != "ports is a field of spec.template.spec.containers[0]: is it indented too far?" {
		t.Errorf("hint %q", d.Hint)
	}
	if len(c.Workloads) != 0 || len(c.Pods) != 0 {
		t.Error("the refused Deployment has Pods")
	}
	// The same ports directly under the PodSpec.
	moved := strings.Replace(string(data), "          livenessProbe:\n            httpGet:\n              path: /\n              port: 80\n            ports:", "      ports:", 1)
	moved = strings.ReplaceAll(moved, "              - name: http\n                containerPort: 80\n                protocol: TCP", "        - name: http\n          containerPort: 80")
	c = LoadSources([]*Source{{Name: "p.yaml", Data: []byte(moved)}}, Options{})
	got = withCode(c.Diagnostics, CodeUnknownField)
	if len(got) != 1 || got[0].Field != "spec.template.spec.ports" || got[0].Severity != Error {
		t.Errorf("ports under the PodSpec:%s\n%s", dumpDiags(c.Diagnostics), moved)
	}
}

// Every document of a UTF-16 file with a byte order mark loads, as kubectl reads it
// (testdata/real-inputs/utf16-multidoc.yaml), in either byte order.
func TestUTF16Documents(t *testing.T) {
	le, err := os.ReadFile("../testdata/real-inputs/utf16-multidoc.yaml")
	if err != nil {
		t.Fatal(err)
	}
	be := make([]byte, len(le))
	for i := 0; i+1 < len(le); i += 2 {
		be[i], be[i+1] = le[i+1], le[i]
	}
	for name, data := range map[string][]byte{"LE": le, "BE": be} {
		c := LoadSources([]*Source{{Name: "u.yaml", Data: append([]byte(nil), data...)}}, Options{})
		if len(c.Services) != 1 || len(c.Namespaces) != 1 || c.Namespaces[0] != "a" {
			t.Errorf("%s: Services %s, Namespaces %v:%s", name, serviceNames(c), c.Namespaces, dumpDiags(c.Diagnostics))
		}
		if !utf8.Valid(c.Sources[0].Data) || bytes.Contains(c.Sources[0].Data, []byte{0}) {
			t.Errorf("%s: the source is not UTF-8 now", name)
		}
	}
}

// A key written twice: the last value wins for every key, kind and metadata included
// (testdata/real-inputs/duplicate-keys.yaml), and each repeat is a warning at its line.
func TestDuplicateKeysLastWins(t *testing.T) {
	data, err := os.ReadFile("../testdata/real-inputs/duplicate-keys.yaml")
	if err != nil {
		t.Fatal(err)
	}
	c := LoadSources([]*Source{{Name: "d.yaml", Data: data}}, Options{})
	if len(c.Services) != 1 || c.Services[0].Namespace != "default" || c.Services[0].Name != "s" {
		t.Fatalf("Services %s", serviceNames(c))
	}
	if len(c.Pods) != 1 || c.Pods[0].Obj.Labels["app"] != "b1" {
		t.Fatalf("Pod labels %v", c.Pods[0].Obj.Labels)
	}
	if got := c.Services[0].Ports[0].Endpoints; len(got) != 1 {
		t.Errorf("%d endpoints, want the Pod labelled app=b1", len(got))
	}
	dups := withCode(c.Diagnostics, CodeUnknownField)
	lines := map[int]string{}
	for _, d := range dups {
		lines[d.Line] = d.Field
	}
	if len(dups) != 2 || lines[6] != "metadata.labels" || lines[12] != "metadata.namespace" {
		t.Errorf("warnings:%s", dumpDiags(dups))
	}
	// Merge keys resolve as kubectl's go-yaml v2 does: in order, the last value winning.
	c = loadString(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {<<: {app: a}, app: b}}\nspec: {containers: [{name: c, image: i}]}\n---\n"+
		"apiVersion: v1\nkind: Pod\nmetadata: {name: q, labels: {app: b, <<: [{app: a}, {app: c}]}}\nspec: {containers: [{name: c, image: i}]}\n", Options{})
	if len(c.Pods) != 2 || c.Pods[0].Obj.Labels["app"] != "b" || c.Pods[1].Obj.Labels["app"] != "a" {
		t.Errorf("merged labels:%s", dumpDiags(c.Diagnostics))
	}
}

// A FIFO found while walking a directory is skipped with a warning, never opened: opening it
// would block until a writer came.
func TestDirectorySkipsFIFO(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "svc.yaml"), []byte(svcA), 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan *Cluster)
	go func() {
		c, err := Load([]string{dir}, Options{})
		if err != nil {
			t.Error(err)
		}
		done <- c
	}()
	var c *Cluster
	select {
	case c = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Load blocked on the FIFO")
	}
	if c == nil || len(c.Services) != 1 {
		t.Fatal("the regular file was not loaded")
	}
	got := withCode(c.Diagnostics, CodeSkippedFile)
	if len(got) != 1 || got[0].File != fifo || got[0].Severity != Warning {
		t.Errorf("want one skipped-file warning for the FIFO:%s", dumpDiags(c.Diagnostics))
	}
}

// Merges of merges multiply entries without multiplying the text: they count against the
// same budget as aliases, so a short document ends in a diagnostic, not in minutes of work.
func TestMergeBombEnds(t *testing.T) {
	doc := "a0: &a0 {k0: 1, k1: 2, k2: 3, k3: 4, k4: 5, k5: 6, k6: 7, k7: 8}\n"
	for i := 1; i <= 8; i++ {
		doc += fmt.Sprintf("a%d: &a%d {<<: [%s]}\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 16), ", "))
	}
	doc = "apiVersion: v1\nkind: Pod\n" + strings.ReplaceAll("x:\n  "+doc, "\na", "\n  a") + "metadata:\n  name: p\n  labels: {<<: *a8}\nspec: {containers: [{name: c, image: i}]}\n"
	c := loadString(t, doc, Options{})
	if len(c.Pods) != 0 || len(withCode(c.Diagnostics, CodeInvalidYAML)) != 1 {
		t.Errorf("the bomb loaded:%s", dumpDiags(c.Diagnostics))
	}
}

// DropSources lets the input's bytes go and changes nothing else: the same objects, Pods,
// endpoints, diagnostics and field lines as a load that keeps them. The dump has enough
// documents to be decoded on all cores, so the positions' shared key table is written
// concurrently (go test -race).
func TestDropSourcesSameCluster(t *testing.T) {
	data := dumpgen.Generate(dumpgen.Options{Services: 120, Replicas: 2})
	bad := []byte("---\napiVersion: v1\nkind: Service\nmetadata: {name: bad, labels: {app.kubernetes.io/x: ok}}\nspec:\n  ports: [{port: 80, targetPort: http}]\n  selector: {app: app-0003}\n  typo: 1\n")
	load := func(drop bool) *Cluster {
		srcs := []*Source{{Name: "dump.yaml", Data: bytes.Clone(data)}, {Name: "bad.yaml", Data: bytes.Clone(bad)}}
		return LoadSources(srcs, Options{DropSources: drop})
	}
	kept, dropped := load(false), load(true)
	for i, s := range dropped.Sources {
		if s.Data != nil || kept.Sources[i].Data == nil || s.Name != kept.Sources[i].Name {
			t.Fatalf("source %s: dropped has %d bytes, kept %d", s.Name, len(s.Data), len(kept.Sources[i].Data))
		}
	}
	if !reflect.DeepEqual(kept.Diagnostics, dropped.Diagnostics) || len(dropped.Diagnostics) == 0 {
		t.Fatalf("diagnostics differ:\n%s\n---\n%s", dumpDiags(kept.Diagnostics), dumpDiags(dropped.Diagnostics))
	}
	if len(kept.Services) != len(dropped.Services) || len(kept.Pods) != len(dropped.Pods) {
		t.Fatalf("%d/%d Services, %d/%d Pods", len(kept.Services), len(dropped.Services), len(kept.Pods), len(dropped.Pods))
	}
	paths := []string{"spec.ports[0].targetPort", "spec.selector.app", "metadata.labels[app.kubernetes.io/name]", "spec.ports[1].port", "spec.type"}
	for i, s := range dropped.Services {
		k := kept.Services[i]
		for _, p := range paths {
			if s.Pos(p) != k.Pos(p) || s.Has(p) != k.Has(p) {
				t.Errorf("%s %s: %v %v, kept %v %v", s.Ref(), p, s.Pos(p), s.Has(p), k.Pos(p), k.Has(p))
			}
		}
		for j, sp := range s.Ports {
			if fmt.Sprint(endpointNames(sp)) != fmt.Sprint(endpointNames(k.Ports[j])) {
				t.Errorf("%s port %d: %v, kept %v", s.Ref(), j, endpointNames(sp), endpointNames(k.Ports[j]))
			}
		}
	}
	for i, p := range dropped.Pods {
		if p.Name != kept.Pods[i].Name || p.FieldPos("containers[0].ports[0].containerPort") != kept.Pods[i].FieldPos("containers[0].ports[0].containerPort") {
			t.Errorf("Pod %d: %s, kept %s", i, p.Name, kept.Pods[i].Name)
		}
	}
	if s := dropped.Services[1]; s.Pos("spec.selector.app").Line == s.Line || !s.Has("spec.selector.app") {
		t.Errorf("%s: spec.selector.app at %v, the document at line %d", s.Ref(), s.Pos("spec.selector.app"), s.Line)
	}
}

func endpointNames(sp *ServicePort) []string {
	var out []string
	for _, e := range sp.Endpoints {
		out = append(out, e.Pod.Name+":"+fmt.Sprint(e.Port))
	}
	return out
}
