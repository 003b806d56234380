package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTUIPreflightNoService: an input without a Service never reaches the TUI. svcviz prints
// the file's diagnostics as `svcviz check` does and one line saying there is nothing to show,
// and exits 2 — without the alternate screen (no escape sequence at all on either stream).
func TestTUIPreflightNoService(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	configMap := write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: b\n")
	invalid := write("bad.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports: [80\n")
	for _, tc := range []struct {
		name  string
		args  []string
		stdin string
		diag  string // a diagnostic line the output must hold ("" when the input has none)
	}{
		{"only a ConfigMap", []string{configMap}, "", ""},
		{"invalid YAML", []string{invalid}, "", invalid + ":5: error invalid-yaml: "},
		{"invalid YAML on stdin", []string{"-"}, "kind: Service\nspec: {ports: [\n", "<stdin>:"},
		{"ConfigMap with flags", []string{"--lang", "ko", "--theme", "light", configMap}, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr := svcviz(t, tc.stdin, tc.args...)
			if code != 2 {
				t.Fatalf("exit %d, want 2; stderr:\n%s", code, stderr)
			}
			if strings.Contains(out+stderr, "\x1b") {
				t.Fatalf("an escape sequence was written (the TUI started?):\n%q", out+stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			if last := lines[len(lines)-1]; last != "svcviz: no Service to show in the input" {
				t.Fatalf("last line %q; stderr:\n%s", last, stderr)
			}
			if tc.diag != "" {
				// the same lines as `svcviz check` prints for the input
				_, checkOut, _ := svcviz(t, tc.stdin, append([]string{"check"}, tc.args[len(tc.args)-1])...)
				for _, l := range lines[:len(lines)-1] {
					if !strings.Contains(checkOut, l+"\n") {
						t.Errorf("diagnostic %q is not what svcviz check prints:\n%s", l, checkOut)
					}
				}
				if len(lines) < 2 || !strings.HasPrefix(lines[0], tc.diag) || !strings.Contains(lines[0], ": error ") {
					t.Fatalf("no file:line: error diagnostic before the last line:\n%s", stderr)
				}
			}
			if strings.Contains(stderr, "no Service in the input") {
				t.Fatalf("the old error from inside the TUI:\n%s", stderr)
			}
		})
	}
}
