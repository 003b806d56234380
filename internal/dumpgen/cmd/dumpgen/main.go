// Command dumpgen writes a generated manifest dump to stdout, for measuring svcviz against other
// tools on the same bytes: go run ./internal/dumpgen/cmd/dumpgen -services 1000 > dump.yaml
// With -svcviz-flags it prints instead the flags svcviz needs for the dump's cluster (a wider
// --pod-cidr past 256 nodes), one a line: svcviz check $(dumpgen -services 20000 -svcviz-flags) dump.yaml
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/svcviz/svcviz/internal/dumpgen"
)

func main() {
	var o dumpgen.Options
	flag.IntVar(&o.Services, "services", 1000, "number of Services (one workload each)")
	flag.IntVar(&o.Replicas, "replicas", 5, "Pods per workload")
	flag.IntVar(&o.Namespaces, "namespaces", 4, "namespaces to spread over")
	flag.IntVar(&o.PodsPerNode, "pods-per-node", 200, "one Node object per this many Pods (at most 253)")
	flags := flag.Bool("svcviz-flags", false, "print the svcviz flags the dump's cluster needs, not the dump")
	flag.Parse()
	if n := dumpgen.Nodes(o); n > dumpgen.MaxNodes {
		fmt.Fprintf(os.Stderr, "dumpgen: the dump needs %d nodes, at most %d: raise -pods-per-node\n", n, dumpgen.MaxNodes)
		os.Exit(2)
	}
	if *flags {
		if f := dumpgen.SvcvizFlags(o); len(f) > 0 {
			fmt.Println(strings.Join(f, "\n"))
		}
		return
	}
	if _, err := os.Stdout.Write(dumpgen.Generate(o)); err != nil {
		os.Exit(1)
	}
}
