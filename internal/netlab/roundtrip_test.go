package netlab

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

var (
	full     = flag.Bool("netlab.full", false, "run the whole corpus: every sample and reference manifest on 1–3 nodes, and -netlab.clusters generated clusters")
	clusters = flag.Int("netlab.clusters", 200, "generated clusters with -netlab.full")
	seed     = flag.Int64("netlab.seed", 11, "seed of the generated clusters")
	first    = flag.Int("netlab.first", 0, "with -netlab.full, the first generated cluster to run (to rerun one)")
)

// TestMain removes an earlier run's namespaces first, and this run's on the way out, also when
// interrupted.
func TestMain(m *testing.M) {
	flag.Parse()
	if Usable() == nil {
		for _, n := range CleanLeftovers() {
			fmt.Fprintln(os.Stderr, "netlab: removed leftover namespace", n)
		}
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-sig
		CleanupAll()
		os.Exit(130)
	}()
	code := m.Run()
	CleanupAll()
	if reportPath != "" && total.clusters > 0 {
		_ = os.WriteFile(reportPath, []byte(total.tally.String()+"\n"), 0o644)
	}
	os.Exit(code)
}

// reportPath is $NETLAB_REPORT, where TestMain writes the summary. It is read inside the
// tests, where go test records the variables a test reads: a new path is a new run, never a
// cached one that would write nothing.
var reportPath string

// needLab skips (or, under CI=true, fails) where the lab cannot run.
func needLab(t *testing.T) {
	t.Helper()
	reportPath = os.Getenv("NETLAB_REPORT")
	if err := Usable(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("netlab must run in CI: %v", err)
		}
		t.Skipf("netlab: %v", err)
	}
}

// manifests are the samples and the reference manifests, relative to this package.
func manifests(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pat := range []string{"../../samples/*.yaml", "../../testdata/kube-reference/*.yaml"} {
		m, err := filepath.Glob(pat)
		if err != nil || len(m) == 0 {
			t.Fatalf("no manifests at %s", pat)
		}
		out = append(out, m...)
	}
	return out
}

// loadSim loads manifests as svcviz does for --nodes n.
func loadSim(t *testing.T, n int, paths ...string) *netsim.Sim {
	t.Helper()
	c, err := model.Load(paths, model.Options{Nodes: netsim.NodeNames(n)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := netsim.DefaultConfig()
	cfg.Nodes = n
	return netsim.New(c, cfg)
}

// TestRulesRoundTrip loads `svcviz rules` for every node of every sample and reference manifest
// into a fresh node namespace with iptables-restore and reads it back with iptables-save: the
// kernel must hold exactly what svcviz prints, byte for byte.
func TestRulesRoundTrip(t *testing.T) {
	needLab(t)
	for _, b := range Backends() {
		for _, p := range manifests(t) {
			for _, nodes := range []int{1, 2} {
				sim := loadSim(t, nodes, p)
				for _, n := range sim.Nodes {
					name := fmt.Sprintf("%s/%s/%s/%d-nodes/%s", b.Name(), filepath.Base(filepath.Dir(p)), filepath.Base(p), nodes, n.Name)
					t.Run(name, func(t *testing.T) { roundTrip(t, b, sim, n.Name) })
				}
			}
		}
	}
}

func roundTrip(t *testing.T, b Backend, sim *netsim.Sim, node string) {
	want, err := b.Rules(sim, node)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := AddNS(RunPrefix() + "rt")
	if err != nil {
		t.Fatal(err)
	}
	defer DelNS(ns.Name)
	if err := b.Load(ns, want); err != nil {
		t.Fatal(err)
	}
	got, err := b.ReadBack(ns, want)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("the kernel holds other rules than svcviz prints:\n%s", lineDiff(want, got))
	}
}

// lineDiff shows the first lines where two texts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n  svcviz: %q\n  kernel: %q", i+1, a, b)
		}
	}
	return "(equal lines; different line endings)"
}
