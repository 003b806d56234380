package netsim

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/svcviz/svcviz/model"
)

// TestNftablesLoadsInKernel loads the tables svcviz prints into a real kernel (a fresh network
// namespace, deleted afterwards) with `nft -f`, and checks that `nft list table ip kube-proxy`
// prints them back unchanged: the syntax, the element order and the wrapping are nft's own.
// It needs root, ip and nft; without them it skips, except under CI=true, where it fails.
func TestNftablesLoadsInKernel(t *testing.T) {
	nft, errNft := exec.LookPath("nft")
	ip, errIP := exec.LookPath("ip")
	if errNft != nil || errIP != nil || os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but nft, ip or root is missing (apt-get install -y nftables iproute2)")
		}
		t.Skip("needs root, nft and ip")
	}
	ns := fmt.Sprintf("svn-%d", os.Getpid())
	if out, err := exec.Command(ip, "netns", "add", ns).CombinedOutput(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("ip netns add: %v: %s", err, out)
		}
		t.Skipf("no network namespaces here: %v: %s", err, out)
	}
	defer exec.Command(ip, "netns", "del", ns).Run()

	tables := map[string]string{
		"nodeport":            BuildNftables(refNode, refServiceCIDR, nodeportPorts()).List(),
		"named-port-replicas": BuildNftables(refNode, refServiceCIDR, namedPortPorts()).List(),
		"everything":          everythingTable(t),
	}
	for _, sc := range kubeScenarios {
		tables[sc.nft] = kubeScenarioTable(t, sc.yaml, sc.node, sc.cfg())
	}
	for name, text := range tables {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), name+".nft")
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			run := func(args ...string) string {
				out, err := exec.Command(ip, append([]string{"netns", "exec", ns, nft}, args...)...).CombinedOutput()
				if err != nil {
					t.Fatalf("nft %s: %v: %s", strings.Join(args, " "), err, out)
				}
				return string(out)
			}
			run("flush", "ruleset")
			run("-f", file)
			if got := run("list", "table", "ip", "kube-proxy"); got != text {
				diffLines(t, text, got)
			}
		})
	}
}

// everythingTable is node01's table for testdata/nftables/everything.yaml on 2 nodes.
func everythingTable(t *testing.T) string {
	t.Helper()
	tb, err := everythingSim(t).Nftables("node01")
	if err != nil {
		t.Fatal(err)
	}
	return tb.List()
}

func everythingSim(t *testing.T) *Sim {
	t.Helper()
	c, err := model.Load([]string{filepath.Join("..", "testdata", "nftables", "everything.yaml")}, model.Options{Nodes: NodeNames(2)})
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.Nodes = 2
	return New(c, cfg)
}
