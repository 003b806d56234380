package main

import (
	"os"
	"runtime"
	"runtime/pprof"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

func main() {
	c, err := model.Load(os.Args[1:2], model.Options{})
	if err != nil {
		panic(err)
	}
	sim := netsim.New(c, netsim.DefaultConfig())
	runtime.GC()
	f, _ := os.Create(os.Args[2])
	pprof.Lookup("heap").WriteTo(f, 0)
	f.Close()
	runtime.KeepAlive(sim)
}
