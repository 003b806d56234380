package model

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/util/validation"
	sigsyaml "sigs.k8s.io/yaml"
)

// scalarSpellings are plain, quoted and tagged scalars whose resolution differs between YAML 1.1
// (go-yaml v2, what kubectl converts with) and YAML 1.2, or that are easy to get wrong.
var scalarSpellings = []string{
	"yes", "Yes", "YES", "yEs", "y", "Y", "no", "No", "NO", "n", "N", "on", "On", "ON", "oN",
	"off", "Off", "OFF", "true", "True", "TRUE", "tRUE", "false", "False", "FALSE",
	"null", "Null", "NULL", "~", "nULL", `"yes"`, `'no'`, "!!str yes", "!!bool yes", "!!bool On",
	"0777", "0o17", "0x1F", "0b101", "-0b11", "+1", "-1", "1_000", "+0x10", "08", "09.5", ".5",
	"-.5", "1e3", "1e6", "1E+21", "1.5", "0.", "1e-7", "-0", "99999999999999999999",
	"-99999999999999999999", "1:20", "1_", "0x_1F", "2024-01-01", "12:00", "!!int 42",
	"!!float 1", "!!str 0777", `"0777"`, "|\n    yes", ">\n    on", "abc", "1e400", "0x",
	"!!binary aGVsbG8=", "- ", "--1", "+", "1__0", ".nan", ".Inf", "-.inf", "!!int abc", "!!bool maybe", "!!null ~",
}

// TestScalarsMatchKubectl: every value converts to the JSON kubectl's sigs.k8s.io/yaml makes.
func TestScalarsMatchKubectl(t *testing.T) {
	for _, v := range scalarSpellings {
		for _, doc := range []string{"v: " + v + "\n", "l: [" + strings.SplitN(v, "\n", 2)[0] + "]\n"} {
			if strings.Contains(v, "\n") && strings.HasPrefix(doc, "l:") {
				continue
			}
			want, werr := sigsyaml.YAMLToJSON([]byte(doc))
			got, gerr := convertForTest(doc)
			if (werr != nil) != (gerr != nil) {
				t.Errorf("%q: kubectl's conversion err %v, svcviz err %v (got %s, want %s)", doc, werr, gerr, got, want)
				continue
			}
			if werr == nil && !bytes.Equal(got, want) {
				t.Errorf("%q: got %s, kubectl gets %s", doc, got, want)
			}
		}
	}
}

// TestKeysMatchKubectl: mapping keys convert as kubectl converts them.
func TestKeysMatchKubectl(t *testing.T) {
	for _, k := range []string{"yes", "on", "Off", "n", "1", "0777", "0x1F", "1.0", "1e3", "1.5", "true", "name", "\"yes\"", "!!str on", ".inf", "-.inf"} {
		doc := k + ": v\n"
		want, werr := sigsyaml.YAMLToJSON([]byte(doc))
		got, gerr := convertForTest(doc)
		if werr != nil || gerr != nil {
			t.Errorf("%q: errors %v / %v", doc, werr, gerr)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%q: got %s, kubectl gets %s", doc, got, want)
		}
	}
}

func convertForTest(doc string) ([]byte, error) {
	ch := chunk{data: []byte(doc), line: 1, index: 1}
	fe := &frontEnd{anchors: map[string]int32{}}
	if _, err := fe.record(&ch); err != nil {
		return nil, err
	}
	js, _, err := fe.w.convert(fe, 0, anySchema, len(ch.data))
	if err != nil {
		return nil, err
	}
	// Same key order as sigs.k8s.io/yaml (encoding/json sorts map keys).
	var v any
	d := json.NewDecoder(bytes.NewReader(js))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	return json.Marshal(v)
}

// A YAML 1.1 boolean in a label is refused at its line, with the fix.
func TestYAML11BooleanLabel(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Pod
metadata:
  name: web
  labels:
    app: web
    canary: yes
spec:
  containers: [{name: c, image: nginx}]
`, Options{})
	got := withCode(c.Diagnostics, CodeInvalidObject)
	if len(got) != 1 {
		t.Fatalf("want one invalid-object:%s", dumpDiags(c.Diagnostics))
	}
	d := got[0]
	if d.Line != 7 || d.Field != "metadata.labels.canary" || d.Object != "Pod/default/web" {
		t.Errorf("at %s %s %s", d.Location(), d.Object, d.Field)
	}
	if !strings.Contains(d.Message, "metadata.labels.canary: cannot use bool as string") || !strings.Contains(d.Message, "yes is the boolean true") {
		t.Errorf("message %q", d.Message)
	}
	if d.Hint != `quote it: canary: "yes"` {
		t.Errorf("hint %q", d.Hint)
	}
	if len(c.Pods) != 0 {
		t.Errorf("kubectl refuses the Pod, svcviz loads %d", len(c.Pods))
	}
	// Quoted, it is a string; "yEs" is not in the table, so it is a string too.
	for _, v := range []string{`"yes"`, `'yes'`, "yEs", "!!str yes"} {
		c = loadString(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {canary: "+v+"}}\nspec: {containers: [{name: c, image: nginx}]}\n", Options{})
		noDiags(t, c)
		if len(c.Pods) != 1 {
			t.Fatalf("%s: %d Pods", v, len(c.Pods))
		}
	}
	// A number in a string field gets the same hint.
	c = loadString(t, "apiVersion: v1\nkind: Pod\nmetadata: {name: web, labels: {version: 1.10}}\nspec: {containers: [{name: c, image: nginx}]}\n", Options{})
	if got := withCode(c.Diagnostics, CodeInvalidObject); len(got) != 1 || got[0].Hint != `quote it: version: "1.10"` {
		t.Errorf("number label:%s", dumpDiags(c.Diagnostics))
	}
}

// Values JSON cannot hold, and tags the value does not fit, are refused as kubectl refuses them.
func TestScalarsKubectlCannotConvert(t *testing.T) {
	for _, v := range []string{".nan", ".inf", "-.Inf", "!!int abc", "!!bool maybe", "!!binary a@b"} {
		c := loadString(t, "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations: {note: "+v+"}\nspec: {ports: [{port: 80}]}\n", Options{})
		got := withCode(c.Diagnostics, CodeInvalidObject)
		if len(got) != 1 || got[0].Line != 5 || got[0].Object != "Service/default/web" || len(c.Services) != 0 {
			t.Errorf("%s: %d Services:%s", v, len(c.Services), dumpDiags(c.Diagnostics))
		}
	}
	// 1e6 is 1000000 for kubectl, so it fits an integer field.
	c := loadString(t, "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 8e3}]}\n", Options{})
	noDiags(t, c, CodeNoSelector)
	if s := service(t, c, "web"); s.Ports[0].Port != 8000 {
		t.Errorf("port %d", s.Ports[0].Port)
	}
}

// Objects are read by group and kind: apiVersion decides.
func TestAPIVersions(t *testing.T) {
	c := loadString(t, `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello}
spec:
  template:
    spec:
      containers: [{image: ghcr.io/knative/helloworld-go}]
---
apiVersion: apps/v1beta2
kind: StatefulSet
metadata: {name: db}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: pg, image: postgres}]}
---
apiVersion: v1
kind: List
items:
- apiVersion: apps/v1beta1
  kind: Deployment
  metadata: {name: old}
- kind: Pod
  metadata: {name: nover}
- kind: ConfigMap
  apiVersion: v1
  metadata: {name: cm}
- kind: ConfigMap
  metadata: {name: cm2}
`, Options{})
	if len(c.Services) != 0 || len(c.Workloads) != 0 || len(c.Pods) != 0 {
		t.Errorf("%d Services, %d workloads, %d Pods: none is what svcviz models", len(c.Services), len(c.Workloads), len(c.Pods))
	}
	want := []string{
		"info ignored-kind Service/default/hello 1",
		"error unsupported-version StatefulSet/default/db 9 no matches for kind \"StatefulSet\" in version \"apps/v1beta2\"",
		"error unsupported-version Deployment/default/old 21 no matches for kind \"Deployment\" in version \"apps/v1beta1\"",
		"error invalid-object Pod/default/nover 24 object has no apiVersion",
		"info ignored-kind ConfigMap/default/cm 26",
		"error invalid-object ConfigMap/default/cm2 29 object has no apiVersion",
	}
	if len(c.Diagnostics) != len(want) {
		t.Fatalf("diagnostics:%s", dumpDiags(c.Diagnostics))
	}
	for i, d := range c.Diagnostics {
		got := string(d.Severity) + " " + d.Code + " " + d.Object + " " + itoa(d.Line)
		if d.Message != "" && d.Severity == Error {
			got += " " + d.Message
		}
		if got != want[i] {
			t.Errorf("diagnostic %d\n  %s\nwant\n  %s", i, got, want[i])
		}
	}
	if !strings.Contains(c.Diagnostics[1].Hint, "stopped serving apps/v1beta2 in Kubernetes 1.16; change apiVersion to apps/v1") {
		t.Errorf("hint %q", c.Diagnostics[1].Hint)
	}
}

func TestHasNodePorts(t *testing.T) {
	for typ, want := range map[corev1.ServiceType]bool{
		corev1.ServiceTypeNodePort: true, corev1.ServiceTypeLoadBalancer: true,
		corev1.ServiceTypeClusterIP: false, corev1.ServiceTypeExternalName: false, "": false,
	} {
		if HasNodePorts(typ) != want {
			t.Errorf("HasNodePorts(%q) = %v", typ, !want)
		}
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"web", "web", 0}, {"targetport", "targetPort", 1}, {"selecter", "selector", 1}, {"", "abc", 3}, {"kitten", "sitting", 3}} {
		if got := EditDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// The allocation-free label and name checks accept nothing apimachinery refuses.
func TestFastChecksAgreeWithAPIMachinery(t *testing.T) {
	alphabet := "aZ09-_./\x1bé"
	var gen func(prefix string, n int)
	var all []string
	gen = func(prefix string, n int) {
		all = append(all, prefix)
		if n == 0 {
			return
		}
		for _, r := range alphabet {
			gen(prefix+string(r), n-1)
		}
	}
	gen("", 4)
	all = append(all, strings.Repeat("a", 63), strings.Repeat("a", 64), "app.kubernetes.io/name", "a.b/c", "a..b/c", "a./c", ".a/c",
		"-a.b/c", "A.b/c", strings.Repeat("a", 63)+".b/c", strings.Repeat("a", 64)+".b/c", strings.Repeat("a.", 127)+"b/c")
	for _, s := range all {
		if dns1123LabelOK(s) && len(validation.IsDNS1123Label(s)) > 0 {
			t.Errorf("dns1123LabelOK(%q), but %v", s, validation.IsDNS1123Label(s))
		}
		if labelValueOK(s) && len(validation.IsValidLabelValue(s)) > 0 {
			t.Errorf("labelValueOK(%q), but %v", s, validation.IsValidLabelValue(s))
		}
		if labelKeyOK(s) && len(validation.IsQualifiedName(s)) > 0 {
			t.Errorf("labelKeyOK(%q), but %v", s, validation.IsQualifiedName(s))
		}
	}
}

// TestPlainTagShortcuts: the shortcuts of plainTagBytes (letters, digits, characters no number
// holds) resolve every scalar as yaml.v3's full resolution does.
func TestPlainTagShortcuts(t *testing.T) {
	for _, v := range []string{"100m", "128Mi", "/healthz", "--port=8080", "25%", "a@b", "1,2", "0x1F", "0o17", "0b101",
		"1e3", "1E-3", "-1.5", "+12", ".5", "1_000", ".inf", "-.Inf", ".nan", "2001-12-14", "2001-12-14t21:59:43.10-05:00",
		"2001-12-14 21:59:43.10 -5", "~", "<<", "0", "007", "12:30", "1.2.3", "-", "3h", "10s", "1Gi", "0.5Gi", "8080/TCP",
		"=", "%", "1/2", "yes", "Off", "null", "12345678901234567890", "-0", "+.inf", "0xG", "1e", "1y"} {
		if got, want := plainTagBytes([]byte(v)), plainTag(v); got != want {
			t.Errorf("plainTagBytes(%q) = %s, full resolution %s", v, got, want)
		}
	}
}
