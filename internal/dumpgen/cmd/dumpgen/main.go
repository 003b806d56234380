// Command dumpgen writes a generated manifest dump to stdout, for measuring svcviz against other
// tools on the same bytes: go run ./internal/dumpgen/cmd/dumpgen -services 1000 > dump.yaml
package main

import (
	"flag"
	"os"

	"github.com/svcviz/svcviz/internal/dumpgen"
)

func main() {
	var o dumpgen.Options
	flag.IntVar(&o.Services, "services", 1000, "number of Services (one workload each)")
	flag.IntVar(&o.Replicas, "replicas", 5, "Pods per workload")
	flag.IntVar(&o.Namespaces, "namespaces", 4, "namespaces to spread over")
	flag.Parse()
	if _, err := os.Stdout.Write(dumpgen.Generate(o)); err != nil {
		os.Exit(1)
	}
}
