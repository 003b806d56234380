package model

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// loadString loads one in-memory file named test.yaml.
func loadString(t testing.TB, yaml string, opts Options) *Cluster {
	t.Helper()
	return LoadSources([]*Source{{Name: "test.yaml", Data: []byte(yaml)}}, opts)
}

func withCode(ds []Diagnostic, code string) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if d.Code == code {
			out = append(out, d)
		}
	}
	return out
}

func dumpDiags(ds []Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("\n  " + string(d.Severity) + " " + d.Code + " " + d.Object + " " + d.Field + " " + d.Location() + ": " + d.Message)
		if d.Hint != "" {
			b.WriteString(" (hint: " + d.Hint + ")")
		}
	}
	return b.String()
}

// diagCase is one file of testdata/diagnostics: a manifest that triggers a diagnostic code
// (bad.yaml), what the diagnostic must say, and a near-identical manifest that must not
// trigger it (good.yaml). The archive's comment is a title line, then "key: value" lines:
// code, severity, object, field, line, message (exact, where the API server's wording
// applies), contains (a substring of the message otherwise) and hint (a substring).
type diagCase struct {
	file, title string
	want        map[string]string
	bad, good   string
}

// diagCases reads testdata/diagnostics/*.txtar.
func diagCases(t testing.TB) []diagCase {
	t.Helper()
	paths, err := filepath.Glob("testdata/diagnostics/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases in testdata/diagnostics: %v", err)
	}
	var out []diagCase
	for _, p := range paths {
		a, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		title, fields, _ := strings.Cut(string(a.Comment), "\n\n")
		tc := diagCase{file: filepath.Base(p), title: title, want: map[string]string{}}
		for _, l := range strings.Split(strings.TrimSpace(fields), "\n") {
			k, v, ok := strings.Cut(l, ": ")
			if !ok {
				t.Fatalf("%s: %q is not key: value", p, l)
			}
			tc.want[k] = v
		}
		for _, f := range a.Files {
			switch f.Name {
			case "bad.yaml":
				tc.bad = string(f.Data)
			case "good.yaml":
				tc.good = string(f.Data)
			default:
				t.Fatalf("%s: unexpected file %s", p, f.Name)
			}
		}
		if tc.want["code"] == "" || tc.want["severity"] == "" || tc.bad == "" || tc.good == "" {
			t.Fatalf("%s: a case needs a code, a severity, bad.yaml and good.yaml", p)
		}
		out = append(out, tc)
	}
	return out
}

func TestDiagnostics(t *testing.T) {
	for _, tc := range diagCases(t) {
		t.Run(strings.TrimSuffix(tc.file, ".txtar"), func(t *testing.T) {
			w := tc.want
			c := loadString(t, tc.bad, Options{})
			got := withCode(c.Diagnostics, w["code"])
			if len(got) == 0 {
				t.Fatalf("%s: no %s diagnostic; got:%s", tc.title, w["code"], dumpDiags(c.Diagnostics))
			}
			if len(got) > 1 {
				t.Errorf("%d %s diagnostics, want 1:%s", len(got), w["code"], dumpDiags(got))
			}
			d := got[0]
			if string(d.Severity) != w["severity"] {
				t.Errorf("severity %s, want %s", d.Severity, w["severity"])
			}
			if d.Object != w["object"] {
				t.Errorf("object %q, want %q", d.Object, w["object"])
			}
			if d.Field != w["field"] {
				t.Errorf("field %q, want %q", d.Field, w["field"])
			}
			if d.File != "test.yaml" {
				t.Errorf("file %q, want test.yaml", d.File)
			}
			if l := w["line"]; l != "" && strconv.Itoa(d.Line) != l {
				t.Errorf("line %d, want %s (%s)", d.Line, l, d.Message)
			}
			if m := w["message"]; m != "" && d.Message != m {
				t.Errorf("message\n  %s\nwant\n  %s", d.Message, m)
			}
			if s := w["contains"]; s != "" && !strings.Contains(d.Message, s) {
				t.Errorf("message %q does not contain %q", d.Message, s)
			}
			if s := w["hint"]; s != "" && !strings.Contains(d.Hint, s) {
				t.Errorf("hint %q does not contain %q", d.Hint, s)
			}
			good := loadString(t, tc.good, Options{})
			if g := withCode(good.Diagnostics, w["code"]); len(g) > 0 {
				t.Errorf("the near-identical manifest also gets %s:%s", w["code"], dumpDiags(g))
			}
		})
	}
}

// TestDiagnosticsCoverEveryCode keeps the cases honest: every code in diag.go has a file, but
// those netsim reports and skipped-file (a FIFO cannot be written in a file:
// TestDirectorySkipsFIFO).
func TestDiagnosticsCoverEveryCode(t *testing.T) {
	all := []string{CodeInvalidYAML, CodeInvalidObject, CodeDuplicateObject, CodeInvalidName, CodeInvalidPort,
		CodeInvalidNodePort, CodeNodePortNotAllowed, CodeDuplicatePort, CodeDuplicateNodePort, CodePortNameRequired,
		CodeInvalidPortName, CodeSelectorMismatch, CodeInvalidClusterIP, CodePortsRequired, CodeTrafficPolicy,
		CodeNoMatchingPods, CodeNoSelector, CodeTargetPortUndecl, CodeNamedPortNotFound, CodeProtocolMismatch,
		CodeUnknownField, CodeIgnoredKind, CodeMultipleWorkloads, CodeUnsupportedVersion, CodeInvalidLabel,
		CodeNoReadyEndpoints}
	have := map[string]bool{}
	for _, tc := range diagCases(t) {
		have[tc.want["code"]] = true
		if !strings.HasPrefix(tc.file, tc.want["code"]+"--") {
			t.Errorf("%s: the file name starts with another code than %s", tc.file, tc.want["code"])
		}
	}
	for _, code := range all {
		if !have[code] {
			t.Errorf("no test case for %s", code)
		}
	}
}

// TestNoMatchingPodsEscapesHint: labels from the manifest reach the hint escaped.
func TestNoMatchingPodsEscapesHint(t *testing.T) {
	c := loadString(t, `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: "web\e[31m"}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: p, labels: {app: "web\a"}}
spec: {containers: [{name: c, image: x}]}
`, Options{})
	// Both objects are refused (their labels are invalid): a refused Service gets no finding
	// about its endpoints, and no diagnostic lets a control character through.
	if got := withCode(c.Diagnostics, CodeNoMatchingPods); len(got) != 0 || len(c.Diagnostics) != 2 {
		t.Fatalf("got:%s", dumpDiags(c.Diagnostics))
	}
	for _, d := range c.Diagnostics {
		for _, s := range []string{d.Message, d.Hint} {
			if strings.ContainsAny(s, "\x1b\a") {
				t.Errorf("control character reaches the diagnostic: %q", s)
			}
		}
	}
}
