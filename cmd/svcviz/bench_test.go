package main

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/svcviz/svcviz/internal/dumpgen"
)

// BenchmarkCheckJSONDump is `svcviz check -o json` on the 1,000-Service dump, in process: read,
// load, simulate, report. internal/dumpgen/compare/floor.sh measures the same as a process.
func BenchmarkCheckJSONDump(b *testing.B) {
	path := filepath.Join(b.TempDir(), "dump.yaml")
	if err := os.WriteFile(path, dumpgen.Generate(dumpgen.Options{Services: 1000}), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if code := run([]string{"check", "-o", "json", path}, nil, io.Discard, io.Discard); code != 0 {
			b.Fatal(code)
		}
	}
}
