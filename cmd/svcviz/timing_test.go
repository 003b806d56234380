package main

import "flag"

// timing turns on the assertions about wall-clock and CPU time (idle CPU while paused, how long
// a large input takes). They depend on how busy the machine is, so the default suite leaves them
// out: `go test ./cmd/svcviz -timing` runs them.
var timing = flag.Bool("timing", false, "also assert wall-clock and CPU-time limits (needs an idle machine)")
