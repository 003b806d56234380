package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Hostile and broken input: every case must end in a clear error or an escaped display, with
// the right exit code, in every command, quickly and without a panic.

func hostileInputs(t *testing.T) map[string][]byte {
	t.Helper()
	bomb := "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb += n + ": &" + n + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n"
		prev = n
	}
	return map[string][]byte{
		"garbage":    {0x00, 0xff, 0xfe, 0x1b, '[', '2', 'J', 0x07, '\n', 0x80, 0x81},
		"empty":      {},
		"tabs":       []byte("apiVersion: v1\nkind: Service\nmetadata:\n\tname: tabbed\n"),
		"alias bomb": []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol}\ndata:\n  " + strings.ReplaceAll(bomb, "\n", "\n  ") + "\n"),
		"alias bomb in a Service": []byte("apiVersion: v1\nkind: Service\nmetadata:\n  name: lol\n  labels:\n    " +
			strings.ReplaceAll(bomb, "\n", "\n    ") + "\nspec: {ports: [{port: 80}]}\n"),
		"deep nesting":  []byte("apiVersion: v1\nkind: Service\nmetadata: {name: deep}\nspec: {selector: " + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + "}\n"),
		"huge numbers":  []byte("apiVersion: v1\nkind: Service\nmetadata: {name: huge}\nspec: {type: NodePort, ports: [{port: 99999999999999999999999, nodePort: 1e400}]}\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: many}\nspec: {replicas: 2000000000, selector: {matchLabels: {a: b}}, template: {metadata: {labels: {a: b}}, spec: {containers: [{name: c, image: x}]}}}\n"),
		"escape codes":  []byte("apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"p\\e]0;owned\\a\"\n  labels: {app: \"x\\e[31m\"}\n  annotations: {note: \"\\e[2J\\x9b1m\"}\nspec:\n  containers: [{name: \"c\\e[5m\", image: \"img\\a\", ports: [{name: \"h\\e[0m\", containerPort: 80}]}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: \"s\\e[1m\"}\nspec: {selector: {app: \"x\\e[31m\"}, ports: [{port: 80, targetPort: \"h\\e[0m\"}]}\n"),
		"not a mapping": []byte("- just\n- a\n- list\n"),
		"bad list":      []byte("apiVersion: v1\nkind: List\nitems: [1, \"two\", [3]]\n"),
	}
}

func TestHostileInputInEveryCommand(t *testing.T) {
	dir := t.TempDir()
	for name, data := range hostileInputs(t) {
		file := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".yaml")
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, cmd := range [][]string{{"check"}, {"check", "-o", "json"}, {"trace"}, {"rules"}} {
			t.Run(name+"/"+strings.Join(cmd, " "), func(t *testing.T) {
				start := time.Now()
				code, out, stderr := svcviz(t, "", append(cmd, file)...)
				if d := time.Since(start); *timing && d > 5*time.Second {
					t.Errorf("took %v", d)
				}
				if strings.ContainsAny(out+stderr, "\x1b\a") || strings.IndexByte(out+stderr, 0x9b) >= 0 { // 0x9b: the 8-bit CSI
					t.Errorf("raw control characters reached the terminal:\n%q", out+stderr)
				}
				if code < 0 || code > 2 {
					t.Errorf("exit %d", code)
				}
				if code != 0 && strings.TrimSpace(out+stderr) == "" {
					t.Error("failed without a word")
				}
				if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
					t.Errorf("stack trace:\n%s", stderr)
				}
			})
		}
	}
}

func TestBrokenYAMLNamesFileAndLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tabs.yaml")
	if err := os.WriteFile(file, hostileInputs(t)["tabs"], 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := svcviz(t, "", "check", file)
	if code != 1 || !strings.Contains(out, file+":4: error invalid-yaml") || !strings.Contains(out, "tabs") {
		t.Errorf("exit %d:\n%s", code, out)
	}
}

func TestEmptyDirectoryIsAnInputError(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := svcviz(t, "", "check", dir)
	if code != 2 || !strings.Contains(stderr, dir+": no .yaml, .yml or .json files") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// A file larger than svcviz reads is refused at once, with its name, instead of filling memory.
func TestHugeFileIsRefused(t *testing.T) {
	file := filepath.Join(t.TempDir(), "huge.yaml")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	line := bytes.Repeat([]byte("# padding padding padding padding padding padding padding\n"), 1024)
	for written := 0; written <= 65<<20; written += len(line) {
		if _, err := f.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	code, _, stderr := svcviz(t, "", "check", file)
	if code != 2 || !strings.Contains(stderr, "huge.yaml: larger than 64 MB") {
		t.Errorf("exit %d: %s", code, stderr)
	}
}

// A 50 MB dump of comments and real objects loads within the limit.
func TestFiftyMegabyteFileLoads(t *testing.T) {
	if testing.Short() {
		t.Skip("large input skipped in -short mode")
	}
	file := filepath.Join(t.TempDir(), "big.yaml")
	sample, err := os.ReadFile(sample("nodeport.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.Write(sample)
	b.WriteString("\n")
	pad := bytes.Repeat([]byte("# "+strings.Repeat("x", 97)+"\n"), 1024)
	for b.Len() < 50<<20 {
		b.Write(pad)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	code, out, stderr := svcviz(t, "", "check", file)
	if code != 0 || !strings.Contains(out, "myapp-service") {
		t.Errorf("exit %d: %s %s", code, out, stderr)
	}
	if d := time.Since(start); *timing && d > 10*time.Second {
		t.Errorf("50 MB took %v", d)
	}
}
