package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSampleCommandsRun runs every `svcviz …` command that the samples' headers and
// samples/README.md tell people to type: each must be a valid invocation (exit 0 or 1, never
// 2), so the lessons never show a command that fails.
func TestSampleCommandsRun(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(samplesDir, "*.yaml"))
	files = append(files, filepath.Join(samplesDir, "README.md"))
	seen := map[string]bool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, cmd := range sampleCommands(string(data)) {
			if seen[cmd] {
				continue
			}
			seen[cmd] = true
			t.Run(cmd, func(t *testing.T) {
				args := strings.Fields(strings.ReplaceAll(cmd, "samples/", samplesDir+"/"))[1:]
				if len(args) == 0 || (args[0] != "check" && args[0] != "trace" && args[0] != "rules") {
					t.Skip("opens the TUI")
				}
				if !strings.Contains(cmd, "samples/") {
					t.Skip("names a command in prose, with no file")
				}
				if code, _, stderr := svcviz(t, "", args...); code == 2 {
					t.Errorf("%s: exit 2: %s", cmd, stderr)
				}
			})
		}
	}
	if len(seen) < 10 {
		t.Errorf("found only %d commands in the samples", len(seen))
	}
}

// sampleCommands finds `svcviz …` commands: in YAML comments up to two spaces (commentary
// follows), and in Markdown between backquotes.
func sampleCommands(text string) []string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if i := strings.Index(line, "`svcviz "); i >= 0 {
			rest := line[i+1:]
			if j := strings.IndexByte(rest, '`'); j > 0 {
				out = append(out, rest[:j])
			}
			continue
		}
		l := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
		if strings.HasPrefix(l, "svcviz ") {
			if j := strings.Index(l, "  "); j > 0 {
				l = l[:j]
			}
			out = append(out, l)
		}
	}
	return out
}
