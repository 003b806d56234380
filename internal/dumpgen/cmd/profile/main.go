// Command profile loads manifests as `svcviz check` does (model.Load, then netsim.New) and
// writes a CPU profile of that and a heap profile of what stays live after it, for
// BENCHMARKS.md's analysis:
//
//	go run ./internal/dumpgen/cmd/profile dump.yaml cpu.prof heap.prof
//	go tool pprof -top cpu.prof
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: profile INPUT CPU.prof HEAP.prof")
		os.Exit(2)
	}
	cpu, err := os.Create(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pprof.StartCPUProfile(cpu)
	c, err := model.Load(os.Args[1:2], model.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sim := netsim.New(c, netsim.DefaultConfig())
	pprof.StopCPUProfile()
	cpu.Close()
	runtime.GC()
	heap, err := os.Create(os.Args[3])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pprof.Lookup("heap").WriteTo(heap, 0)
	heap.Close()
	runtime.KeepAlive(sim)
}
