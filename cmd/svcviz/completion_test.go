package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// complete asks svcviz for completions as the shell scripts do (`svcviz __complete ARGS…`,
// the word being completed last) and returns the values offered, in order, and the whole
// output. It fails the test on anything but exit 0 and the form cobra's scripts read:
// "value\tdescription" lines, then the ":directive" line.
func complete(t *testing.T, stdin string, args ...string) ([]string, string) {
	t.Helper()
	code, out, _ := svcviz(t, stdin, append([]string{"__complete"}, args...)...)
	if code != 0 {
		t.Fatalf("__complete %q: exit %d\n%s", args, code, out)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, ":") {
		t.Fatalf("__complete %q: no directive line at the end:\n%s", args, out)
	}
	var values []string
	for _, l := range lines[:len(lines)-1] {
		if strings.ContainsAny(l, "\x1b\r") || strings.Count(l, "\t") > 1 {
			t.Fatalf("__complete %q: a line a shell cannot take: %q", args, l)
		}
		value, _, _ := strings.Cut(l, "\t")
		values = append(values, value)
	}
	return values, out
}

func wantValues(t *testing.T, args []string, want ...string) {
	t.Helper()
	got, out := complete(t, "", args...)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("svcviz %s<TAB>: %q, want %q\n%s", strings.Join(args, " "), got, want, out)
	}
}

// TestCompleteFixedValues: each flag with a fixed set of values completes to that set, on
// every command that has the flag, filtered by what was typed, never to file names.
func TestCompleteFixedValues(t *testing.T) {
	np := sample("nodeport.yaml")
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"--theme", ""}, []string{"dark", "light", "projector"}},
		{[]string{"--theme", "p"}, []string{"projector"}},
		{[]string{"--lang", ""}, []string{"en", "ko"}},
		{[]string{"--via", ""}, []string{"nodeport", "clusterip", "lb", "dns"}},
		{[]string{"trace", np, "--via", "c"}, []string{"clusterip"}},
		{[]string{"trace", np, "--lang", "k"}, []string{"ko"}},
		{[]string{"trace", np, "-o", ""}, []string{"text", "json"}},
		{[]string{"trace", np, "--view", ""}, []string{"all", "teaching", "wire"}},
		{[]string{"check", np, "-o", "j"}, []string{"json"}},
		{[]string{"check", np, "--output", ""}, []string{"text", "json"}},
		{[]string{"check", np, "--fail-on", ""}, []string{"error", "warning"}},
		{[]string{"rules", np, "--proxy-mode", ""}, []string{"iptables", "nftables"}},
		{[]string{"check", np, "--lang", ""}, []string{"en", "ko"}},
		{[]string{"rules", np, "--lang", "e"}, []string{"en"}},
		{[]string{"trace", np, "--proxy-mode", "n"}, []string{"nftables"}},
	} {
		wantValues(t, tc.args, tc.want...)
		if _, out := complete(t, "", tc.args...); !strings.HasSuffix(out, ":4\n") {
			t.Errorf("%q: directive is not ShellCompDirectiveNoFileComp (4):\n%s", tc.args, out)
		}
	}
}

// TestCompleteNamesFromFiles: Service, port, Pod, workload, node, namespace and DNS names come
// from the files on the line, as NAME or, where NAME is ambiguous, NS/NAME.
func TestCompleteNamesFromFiles(t *testing.T) {
	dep, ns, multi := sample("deployment.yaml"), sample("namespaces.yaml"), sample("multi-port.yaml")
	wantValues(t, []string{"trace", dep, "--service", ""}, "web")
	wantValues(t, []string{"trace", ns, "--service", ""}, "dev/api", "prod/api")
	wantValues(t, []string{"trace", ns, "--service", "p"}, "prod/api")
	wantValues(t, []string{"rules", "-f", ns, "--service", ""}, "dev/api", "prod/api")
	wantValues(t, []string{"trace", dep, "--from", ""},
		"external", "node01", "web-86c48884dc-dc6c5", "web-86c48884dc-9f4b4", "web-86c48884dc-87bf7", "web")
	wantValues(t, []string{"trace", ns, "--from", "dev"}, "dev/api")
	wantValues(t, []string{"trace", dep, "--nodes", "3", "--to-node", ""}, "node01", "node02", "node03")
	wantValues(t, []string{"rules", dep, "--nodes", "2", "--node", ""}, "node01", "node02")
	wantValues(t, []string{"trace", ns, "-n", ""}, "dev", "prod")
	wantValues(t, []string{"trace", ns, "--name", "api.p"}, "api.prod", "api.prod.svc.cluster.local")
	wantValues(t, []string{"trace", sample("nodeport.yaml"), "--dst", ""}, "10.96.0.11:80", "192.168.1.2:30008")

	// ports: of the Service --service names, else of every Service (each value once)
	wantValues(t, []string{"trace", multi, "--port", ""}, "http", "80", "metrics", "9090")
	wantValues(t, []string{"trace", multi, ns, "--service", "dev/api", "--port", ""}, "80")
	wantValues(t, []string{"trace", multi, ns, "--port", "m"}, "metrics")
	// a number served over two protocols needs NUMBER/PROTOCOL to name one
	dns := filepath.Join(t.TempDir(), "dns.yaml")
	if err := os.WriteFile(dns, []byte(`apiVersion: v1
kind: Service
metadata: {name: resolver}
spec:
  selector: {app: dns}
  ports:
  - {name: dns, port: 53, protocol: UDP}
  - {name: dns-tcp, port: 53, protocol: TCP}
`), 0o644); err != nil {
		t.Fatal(err)
	}
	wantValues(t, []string{"trace", dns, "--port", ""}, "dns", "53/UDP", "dns-tcp", "53/TCP")

	// the TUI with no file shows the built-in example: its names complete
	wantValues(t, []string{"--service", ""}, "myapp-service")
	wantValues(t, []string{"--from", "m"}, "myapp-pod")
	wantValues(t, []string{sample("clusterip.yaml"), "--service", ""}, "backend")
}

// TestCompleteNeverFails: a file that does not load, no file at all, stdin, or a hostile
// manifest: completion offers nothing it cannot stand behind, prints no error into the
// candidates, never reads stdin, and lets no control character through.
func TestCompleteNeverFails(t *testing.T) {
	wantValues(t, []string{"trace", "missing.yaml", "--service", ""})
	wantValues(t, []string{"trace", "--service", ""}) // trace has no built-in example
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("kind: Service\nspec: {ports: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	wantValues(t, []string{"trace", bad, "--service", ""})
	got, _ := complete(t, "apiVersion: v1\nkind: Service\nmetadata: {name: from-stdin}\nspec: {ports: [{port: 80}]}\n",
		"trace", "-", "--service", "")
	if len(got) != 0 {
		t.Errorf("stdin was read for completion: %q", got)
	}
	// control characters in names: those names are not offered, the others are
	hostile := filepath.Join("..", "..", "tui", "testdata", "hostile.yaml")
	wantValues(t, []string{"trace", hostile, "--service", ""}, "ok", "ext")
	wantValues(t, []string{"trace", hostile, "--from", ""}, "external", "node01")
}

// TestCompletionScripts: `svcviz completion SHELL` prints a script that asks svcviz
// __complete, for each shell cobra supports.
func TestCompletionScripts(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		code, out, errs := svcviz(t, "", "completion", shell)
		if code != 0 || !strings.Contains(out, "__complete") || errs != "" {
			t.Errorf("completion %s: exit %d, stderr %q, script:\n%.300s", shell, code, errs, out)
		}
	}
}
