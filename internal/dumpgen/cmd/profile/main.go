// Command profile loads manifests as `svcviz check` does (model.Load, then netsim.New) and
// writes a CPU profile of that and a heap profile of what stays live after it, for
// BENCHMARKS.md's analysis:
//
//	go run ./internal/dumpgen/cmd/profile dump.yaml cpu.prof heap.prof
//
// PROFILE_KEEP_SOURCES=1 keeps the input's bytes after the load, as the TUI does;
// PROFILE_HEAP_AFTER_LOAD=FILE also writes the heap between model.Load and netsim.New;
// PROFILE_POD_CIDR=CIDR is svcviz's --pod-cidr (the 20,000-Service dump's 500 nodes need
// 10.244.0.0/15: dumpgen -svcviz-flags).
//
//	go tool pprof -top cpu.prof
package main

import (
	"fmt"
	"net/netip"
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
	// check, trace and rules let the input's bytes go once decoded; the TUI keeps them
	c, err := model.Load(os.Args[1:2], model.Options{DropSources: os.Getenv("PROFILE_KEEP_SOURCES") == ""})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if p := os.Getenv("PROFILE_HEAP_AFTER_LOAD"); p != "" { // what the model holds before netsim
		runtime.GC()
		writeHeap(p)
	}
	cfg := netsim.DefaultConfig()
	if p := os.Getenv("PROFILE_POD_CIDR"); p != "" {
		if cfg.PodCIDR, err = netip.ParsePrefix(p); err != nil {
			fmt.Fprintln(os.Stderr, "PROFILE_POD_CIDR:", err)
			os.Exit(2)
		}
	}
	sim := netsim.New(c, cfg)
	pprof.StopCPUProfile()
	cpu.Close()
	runtime.GC()
	writeHeap(os.Args[3])
	runtime.KeepAlive(sim)
}

func writeHeap(path string) {
	heap, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	pprof.Lookup("heap").WriteTo(heap, 0)
	heap.Close()
}
