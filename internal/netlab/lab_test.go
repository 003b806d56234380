package netlab

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// chainCounters are a built-in chain's packet and byte counters in iptables-save's output.
var chainCounters = regexp.MustCompile(`(?m)^(:[A-Z]+ [A-Z]+ )\[\d+:\d+\]`)

// labSeq numbers the labs of this run, for their namespace prefixes.
var labSeq atomic.Int64

// total is every differential test's tally, written to $NETLAB_REPORT at the end (go test
// shows a passing package's log only with -v; CI wants the count either way).
var total struct {
	sync.Mutex
	tally
}

func addTotal(s tally) {
	total.Lock()
	defer total.Unlock()
	total.clusters += s.clusters
	total.requests += s.requests
	total.packets += s.packets
	total.skipped += s.skipped
	total.disagreements += s.disagreements
	total.retried += s.retried
}

// tally adds up what the differential tests compared, for the one-line summary.
type tally struct {
	clusters, requests, packets, skipped, disagreements, retried int
}

func (s *tally) add(r *Report) {
	s.clusters++
	s.requests += r.Requests
	s.packets += r.Packets
	s.skipped += len(r.Skipped)
	s.disagreements += len(r.Disagreements)
	s.retried += r.Retried
}

func (s tally) String() string {
	return fmt.Sprintf("netlab: %d clusters, %d requests (%d packets) compared with the kernel, %d skipped, %d disagreements",
		s.clusters, s.requests, s.packets, s.skipped, s.disagreements) + fmt.Sprintf(" (%d packets agreed only when sent again)", s.retried)
}

// runCluster builds sim as namespaces, sends every request and reports disagreements as errors.
func runCluster(t *testing.T, b Backend, sim *netsim.Sim, lim Limits, label string) *Report {
	t.Helper()
	label = b.Name() + ": " + label
	prefix := RunPrefix() + "c" + strconv.FormatInt(labSeq.Add(1), 10) + "-"
	lab, err := New(sim, b, prefix)
	if err != nil {
		t.Fatalf("%s: building the lab: %v", label, err)
	}
	defer lab.Close()
	// Every node holds exactly svcviz's rules. The nodes' own traffic (IGMP joins of the
	// bridges) may already have moved the built-in chains' counters, which are not rules: they
	// read [0:0] here; TestRulesRoundTrip compares them too, in empty namespaces.
	for _, n := range sim.Nodes {
		want, err := b.Rules(sim, n.Name)
		if err != nil {
			t.Fatal(err)
		}
		got, err := b.ReadBack(lab.Nodes[n.Name], want)
		if err != nil {
			t.Fatal(err)
		}
		if got = chainCounters.ReplaceAllString(got, "$1[0:0]"); got != want {
			t.Errorf("%s: %s holds other rules than svcviz prints:\n%s", label, n.Name, lineDiff(want, got))
		}
	}
	reqs, skipped := lab.Requests(lim)
	rep, err := lab.Compare(reqs, lim)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	rep.Skipped = skipped
	for _, d := range rep.Disagreements {
		t.Errorf("%s: %s", label, d)
	}
	return rep
}

var defaultLimits = Limits{PodClients: 2, MaxSends: 6}

// fullLimits are the full corpus's.
var fullLimits = Limits{PodClients: 3, MaxSends: 8, Unserved: true}

// TestKernelAgreesOnSamples sends every Service port and way in of samples/ and the reference
// manifests through the real kernel and compares with svcviz's traces.
func TestKernelAgreesOnSamples(t *testing.T) {
	needLab(t)
	var sum tally
	nodeCounts := []int{1}
	if *full {
		nodeCounts = []int{1, 2, 3}
	}
	for _, b := range Backends() {
		for _, p := range manifests(t) {
			for _, n := range nodeCounts {
				label := fmt.Sprintf("%s (%d nodes)", filepath.Base(p), n)
				lim := defaultLimits
				if *full {
					lim = fullLimits
				}
				sum.add(runCluster(t, b, loadSim(t, n, p), lim, label))
			}
		}
	}
	t.Log(sum)
	addTotal(sum)
}

// TestKernelAgreesOnCases runs the manifests of earlier disagreements (testdata/cases), each
// a case netsim got wrong until the kernel showed otherwise, on two nodes (1–3 with -netlab.full).
func TestKernelAgreesOnCases(t *testing.T) {
	needLab(t)
	paths, _ := filepath.Glob("testdata/cases/*.yaml")
	if len(paths) == 0 {
		t.Fatal("no cases in testdata/cases")
	}
	var sum tally
	nodeCounts := []int{2} // the cases are about Pods on several nodes
	if *full {
		nodeCounts = []int{1, 2, 3}
	}
	for _, b := range Backends() {
		for _, p := range paths {
			for _, n := range nodeCounts {
				sum.add(runCluster(t, b, loadSim(t, n, p), defaultLimits, fmt.Sprintf("%s (%d nodes)", filepath.Base(p), n)))
			}
		}
	}
	t.Log(sum)
	addTotal(sum)
}

// defaultGenerated is how many generated clusters the default `go test ./...` runs; the full
// corpus (-netlab.full) runs -netlab.clusters of them.
const defaultGenerated = 3

// TestKernelAgreesOnGenerated runs random clusters (see Generate) with a fixed seed; a
// failure names the seed and cluster, and logs its manifest, so that it can be rerun and
// kept as a case.
func TestKernelAgreesOnGenerated(t *testing.T) {
	needLab(t)
	n, lim := defaultGenerated, defaultLimits
	if *full {
		n, lim = *clusters, fullLimits
	}
	var sum tally
	start := 0
	if *full {
		start = *first
	}
	for i := start; i < n; i++ {
		g := Generate(*seed, i)
		c := model.LoadSources([]*model.Source{{Name: fmt.Sprintf("generated-%d-%d.yaml", *seed, i), Data: []byte(g.YAML)}}, model.Options{Nodes: netsim.NodeNames(g.Nodes)})
		cfg := netsim.DefaultConfig()
		cfg.Nodes = g.Nodes
		before := sum.disagreements
		for _, b := range Backends() {
			sum.add(runCluster(t, b, netsim.New(c, cfg), lim, fmt.Sprintf("%s (%d nodes)", g.Name, g.Nodes)))
		}
		if sum.disagreements > before {
			t.Logf("rerun: go test ./internal/netlab -run TestKernelAgreesOnGenerated -netlab.full -netlab.seed %d -netlab.first %d -netlab.clusters %d\nmanifest of cluster %d:\n%s", *seed, i, i+1, i, g.YAML)
		}
	}
	t.Log(sum)
	addTotal(sum)
}
