package model

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// kubeReferenceDir holds what Kubernetes' own code says about a set of manifests
// (testdata/kube-reference/README.md, copied from shared/kube-reference).
const kubeReferenceDir = "../testdata/kube-reference"

// referenceObject is one `=== [n] Kind ns/name (doc n)` section of validation.expected.
type referenceObject struct {
	ref    string // Kind/ns/name, as Diagnostic.Object names it
	result string // "created" or "invalid"
	errors []string
	strict []string // strict-kubectl lines
}

var referenceHeader = regexp.MustCompile(`^=== \[\d+\] (\S+) ([^/\s]+)/(\S+)`)

func readReference(t *testing.T) ([]byte, []referenceObject) {
	t.Helper()
	manifest, err := os.ReadFile(filepath.Join(kubeReferenceDir, "validation.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	expected, err := os.ReadFile(filepath.Join(kubeReferenceDir, "validation.expected"))
	if err != nil {
		t.Fatal(err)
	}
	var objs []referenceObject
	sc := bufio.NewScanner(bytes.NewReader(expected))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := referenceHeader.FindStringSubmatch(line); m != nil {
			objs = append(objs, referenceObject{ref: m[1] + "/" + m[2] + "/" + m[3]})
			continue
		}
		if len(objs) == 0 {
			continue
		}
		o := &objs[len(objs)-1]
		switch {
		case strings.HasPrefix(line, "error: "):
			o.errors = append(o.errors, strings.TrimPrefix(line, "error: "))
		case strings.HasPrefix(line, "result: "):
			o.result = strings.TrimPrefix(line, "result: ")
		case strings.HasPrefix(line, "strict-kubectl: "):
			o.strict = append(o.strict, strings.TrimPrefix(line, "strict-kubectl: "))
		}
	}
	if len(objs) == 0 {
		t.Fatal("validation.expected names no objects")
	}
	return manifest, objs
}

// TestKubeReferenceValidation: every error the real API server gives for validation.yaml is a
// diagnostic with the same words on the same object, and valid objects get no error.
func TestKubeReferenceValidation(t *testing.T) {
	manifest, objs := readReference(t)
	c := LoadSources([]*Source{{Name: "validation.yaml", Data: manifest}}, Options{})
	for _, o := range objs {
		t.Run(o.ref, func(t *testing.T) {
			// `kubectl apply`'s strict field validation refuses an object before the API server
			// sees it: its unknown-field errors are checked below, the API server's here.
			var errs []Diagnostic
			for _, d := range ForObject(c.Diagnostics, o.ref) {
				if d.Severity == Error && d.Code != CodeUnknownField {
					errs = append(errs, d)
				}
			}
			switch o.result {
			case "created":
				if len(errs) > 0 {
					t.Errorf("the API server creates it, but svcviz says:%s", dumpDiags(errs))
				}
			case "invalid":
				if len(o.errors) == 0 {
					t.Fatal("result invalid without error lines")
				}
			default:
				t.Fatalf("unknown result %q", o.result)
			}
			got := map[string]bool{}
			for _, d := range errs {
				got[d.Message] = true
				if d.Line == 0 || d.File != "validation.yaml" {
					t.Errorf("%s has no position: %s", d.Code, d.Location())
				}
			}
			for _, want := range o.errors {
				if !got[want] {
					t.Errorf("missing error\n  %s\ngot:%s", want, dumpDiags(errs))
				}
			}
			// Nothing more than the API server says, either.
			if len(errs) > len(o.errors) {
				t.Errorf("%d errors, the API server gives %d:%s", len(errs), len(o.errors), dumpDiags(errs))
			}
			for _, s := range o.strict {
				m := regexp.MustCompile(`unknown field "([^"]+)"`).FindStringSubmatch(s)
				if m == nil {
					continue
				}
				found := false
				for _, d := range ForObject(c.Diagnostics, o.ref) {
					if d.Code == CodeUnknownField && d.Severity == Error && d.Field == m[1] {
						found = true
						if !strings.Contains(d.Message, `unknown field "`+m[1]+`"`) {
							t.Errorf("message %q does not name the field as kubectl does", d.Message)
						}
					}
				}
				if !found {
					t.Errorf("no unknown-field error for %s:%s", m[1], dumpDiags(ForObject(c.Diagnostics, o.ref)))
				}
			}
		})
	}
}

// TestKubeReferenceStrictField pins the one strict-decoding case the reference has.
func TestKubeReferenceStrictField(t *testing.T) {
	manifest, _ := readReference(t)
	c := LoadSources([]*Source{{Name: "validation.yaml", Data: manifest}}, Options{})
	got := withCode(ForObject(c.Diagnostics, "Service/default/typo"), CodeUnknownField)
	if len(got) != 1 || got[0].Field != "spec.ports[0].targetport" || got[0].Severity != Error {
		t.Fatalf("want one unknown-field error on spec.ports[0].targetport, got:%s", dumpDiags(got))
	}
	// kubectl apply refuses the object: it is loaded only to be listed as refused (the error
	// keeps it out of every rule), and gets no finding about its endpoints.
	loaded := false
	for _, s := range c.Services {
		loaded = loaded || s.Ref() == "Service/default/typo"
	}
	if ds := ForObject(c.Diagnostics, "Service/default/typo"); !loaded || len(ds) != 1 {
		t.Errorf("the refused Service: loaded %v, diagnostics:%s", loaded, dumpDiags(ds))
	}
	if got[0].Hint != "did you mean targetPort?" {
		t.Errorf("hint %q", got[0].Hint)
	}
	// The line is the one the typo is written on.
	lines := strings.Split(string(manifest), "\n")
	if l := got[0].Line; l < 1 || l > len(lines) || !strings.Contains(lines[l-1], "targetport") {
		t.Errorf("line %d does not hold targetport", l)
	}
}
