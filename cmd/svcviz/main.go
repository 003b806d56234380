// Command svcviz makes Kubernetes Service networking visible: it loads Service, Pod and
// workload YAML and shows, hop by hop, what happens to a packet sent to a Service.
package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/netip"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"
	"github.com/svcviz/svcviz/internal/termquiet"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/samples"
	corev1 "k8s.io/api/core/v1"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

// Exit codes: 0 ok, 1 findings (check errors, an undelivered trace), 2 bad usage or input.
const (
	exitFindings = 1
	exitUsage    = 2
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func usageErr(err error) error { return &exitError{code: exitUsage, err: err} }

func main() {
	termquiet.Restore() // before anything chooses colours from TERM
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: testable, and the one place errors become exit codes.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot(stdin, stdout)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.Execute()
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "svcviz: "+model.Escape(ee.err.Error()))
		}
		return ee.code
	}
	// cobra's own errors: unknown flags, wrong arguments.
	fmt.Fprintln(stderr, "svcviz: "+model.Escape(err.Error()))
	return exitUsage
}

// globals are the flags every command shares (kubectl conventions).
type globals struct {
	files       []string
	namespace   string
	nodes       int
	nodeIP      string
	podCIDR     string
	serviceCIDR string
	seed        int64
	proxyMode   string
	stdin       io.Reader
	// nodesGiven: --nodes was on the command line, so its nodes join those the input names.
	nodesGiven bool
	// keepSources: the input's bytes stay in memory after the load, for the TUI's YAML pane.
	// check, trace and rules never read them again, so they let them go (a 37 MB dump is 37 MB
	// less live data while the simulation runs).
	keepSources bool
}

func (g *globals) register(cmd *cobra.Command) {
	f := cmd.PersistentFlags()
	f.StringArrayVarP(&g.files, "filename", "f", nil, "a file, directory or - (stdin) to load; repeatable")
	f.StringVarP(&g.namespace, "namespace", "n", "", "namespace for objects that name none (default \"default\")")
	f.IntVar(&g.nodes, "nodes", 1, "number of simulated nodes (node01, node02, …)")
	f.StringVar(&g.nodeIP, "node-ip", "192.168.1.2", "IP of node01; further nodes count up")
	f.StringVar(&g.podCIDR, "pod-cidr", "10.244.0.0/16", "the cluster's pod network; node k gets the k-th /24")
	f.StringVar(&g.serviceCIDR, "service-cidr", "10.96.0.0/12", "the Service network (ClusterIPs)")
	f.Int64Var(&g.seed, "seed", 0, "seed for kube-proxy's random endpoint choice")
	f.StringVar(&g.proxyMode, "proxy-mode", "iptables", "kube-proxy's mode: iptables (v1.37's default) or nftables")
}

// mode checks --proxy-mode.
func (g *globals) mode() (netsim.ProxyMode, error) {
	m, err := netsim.ParseProxyMode(g.proxyMode)
	if err != nil {
		return m, usageErr(fmt.Errorf("--proxy-mode: %v", err))
	}
	return m, nil
}

// config turns the flags into the simulated world. Addresses that cannot work are usage
// errors naming the flag: a node address that is no host's, networks that overlap (a packet
// for a Pod would look like one for a Service), a pod network too small for its nodes.
func (g *globals) config() (netsim.Config, error) {
	cfg := netsim.DefaultConfig()
	if g.nodes < 1 || g.nodes > 64 {
		return cfg, fmt.Errorf("--nodes must be between 1 and 64, not %d", g.nodes)
	}
	cfg.Nodes = g.nodes
	cfg.Seed = g.seed
	var err error
	if cfg.NodeIP, err = netip.ParseAddr(g.nodeIP); err != nil || !cfg.NodeIP.Is4() {
		return cfg, fmt.Errorf("--node-ip %q is not an IPv4 address", g.nodeIP)
	}
	if why := unusableHost(cfg.NodeIP); why != "" {
		return cfg, fmt.Errorf("--node-ip %s is not usable as a node's address: %s", cfg.NodeIP, why)
	}
	cfg.NodeNet = netip.PrefixFrom(cfg.NodeIP, 24).Masked()
	if cfg.PodCIDR, err = netip.ParsePrefix(g.podCIDR); err != nil || !cfg.PodCIDR.Addr().Is4() || cfg.PodCIDR.Bits() > 24-bitsFor(g.nodes) {
		return cfg, fmt.Errorf("--pod-cidr %q must be an IPv4 network with room for a /24 per node", g.podCIDR)
	}
	cfg.PodCIDR = cfg.PodCIDR.Masked()
	if err := g.serviceCIDRs(&cfg); err != nil {
		return cfg, err
	}
	last := netip.PrefixFrom(addrPlus(cfg.NodeIP, g.nodes-1), 32)
	switch {
	case cfg.PodCIDR.Overlaps(cfg.ServiceCIDR):
		return cfg, fmt.Errorf("--pod-cidr %s overlaps --service-cidr %s: a ClusterIP would also be a Pod's address", cfg.PodCIDR, cfg.ServiceCIDR)
	case cfg.PodCIDR.Contains(cfg.NodeIP) || cfg.PodCIDR.Contains(last.Addr()):
		return cfg, fmt.Errorf("--node-ip %s (and the nodes after it) must lie outside --pod-cidr %s", cfg.NodeIP, cfg.PodCIDR)
	case cfg.ServiceCIDR.Contains(cfg.NodeIP) || cfg.ServiceCIDR.Contains(last.Addr()):
		return cfg, fmt.Errorf("--node-ip %s (and the nodes after it) must lie outside --service-cidr %s", cfg.NodeIP, cfg.ServiceCIDR)
	case !cfg.NodeNet.Contains(last.Addr()) || unusableHost(last.Addr()) != "":
		return cfg, fmt.Errorf("--node-ip %s leaves no room for %d nodes in %s", cfg.NodeIP, g.nodes, cfg.NodeNet)
	}
	return cfg, nil
}

// serviceCIDRs reads --service-cidr as kube-apiserver's --service-cluster-ip-range: one IPv4
// range, or an IPv4 and an IPv6 range for a dual-stack cluster.
func (g *globals) serviceCIDRs(cfg *netsim.Config) error {
	parts := strings.Split(g.serviceCIDR, ",")
	if len(parts) > 2 {
		return fmt.Errorf("--service-cidr %q has %d ranges: give one IPv4 range, or an IPv4 and an IPv6 range (dual-stack)", g.serviceCIDR, len(parts))
	}
	var err error
	if cfg.ServiceCIDR, err = netip.ParsePrefix(strings.TrimSpace(parts[0])); err != nil || !cfg.ServiceCIDR.Addr().Is4() || cfg.ServiceCIDR.Bits() > 24 {
		return fmt.Errorf("--service-cidr %q must start with an IPv4 network of /24 or larger (svcviz simulates an IPv4-primary cluster)", g.serviceCIDR)
	}
	cfg.ServiceCIDR = cfg.ServiceCIDR.Masked()
	if len(parts) == 2 {
		v6, err := netip.ParsePrefix(strings.TrimSpace(parts[1]))
		if err != nil || v6.Addr().Is4() || v6.Bits() < 64 || v6.Bits() > 120 {
			return fmt.Errorf("--service-cidr %q: the second range must be an IPv6 network between /64 and /120", g.serviceCIDR)
		}
		cfg.ServiceCIDRv6 = v6.Masked()
	}
	return nil
}

// unusableHost says why an IPv4 address cannot be a node's, or "".
func unusableHost(a netip.Addr) string {
	switch {
	case a.IsUnspecified():
		return "the unspecified address"
	case a.IsLoopback():
		return "a loopback address"
	case a.IsMulticast():
		return "a multicast address"
	case a.As4()[3] == 0 || a.As4()[3] == 255:
		return "the network or broadcast address of its /24"
	}
	return ""
}

func addrPlus(a netip.Addr, n int) netip.Addr {
	for ; n > 0; n-- {
		a = a.Next()
	}
	return a
}

func bitsFor(n int) int {
	b := 0
	for (1 << b) < n {
		b++
	}
	return b
}

// load reads the arguments and -f files into a simulated cluster. With no input at all it
// opens the built-in example, when allowed.
func (g *globals) load(args []string, builtin bool) (*netsim.Sim, error) {
	cfg, err := g.config()
	if err != nil {
		return nil, usageErr(err)
	}
	paths := append(append([]string{}, g.files...), args...)
	defer loadGC(paths, !g.keepSources)()
	opts := model.Options{Namespace: g.namespace, Nodes: netsim.NodeNames(cfg.Nodes), NodesGiven: g.nodesGiven, Stdin: g.stdin,
		DropSources: !g.keepSources}
	if cfg.ServiceCIDRv6.IsValid() {
		opts.ServiceFamilies = []corev1.IPFamily{corev1.IPv4Protocol, corev1.IPv6Protocol}
	}
	var c *model.Cluster
	switch {
	case len(paths) > 0:
		c, err = model.Load(paths, opts)
		if err != nil {
			return nil, usageErr(err)
		}
	case builtin:
		c = model.LoadSources([]*model.Source{{Name: samples.NodePortName, Data: samples.NodePort}}, opts)
	default:
		return nil, usageErr(errors.New("no input: give a file, a directory or - (stdin)"))
	}
	return netsim.New(c, cfg), nil
}

func newRoot(stdin io.Reader, stdout io.Writer) *cobra.Command {
	g := &globals{stdin: stdin}
	root := &cobra.Command{
		Use:   "svcviz [FILE|DIR|-]...",
		Short: "Watch a packet travel through Kubernetes Services, hop by hop",
		Long: "svcviz loads Service, Pod and workload YAML and animates a packet through NodePort → Service port →\n" +
			"targetPort and ClusterIP on a simulated node, saying at each hop which YAML field decided it.\n" +
			"With no argument it opens the built-in NodePort example.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
		// Files are positional arguments of the root command, beside the subcommands.
		Args: cobra.ArbitraryArgs,
	}
	g.register(root)
	root.PersistentPreRun = func(cmd *cobra.Command, args []string) {
		g.nodesGiven = cmd.Flags().Changed("nodes")
	}
	tuiFlags := registerTUI(root, g)
	root.RunE = func(cmd *cobra.Command, args []string) error { return runTUI(cmd, g, tuiFlags, args) }
	root.AddCommand(newCheck(g, stdout), newTrace(g, stdout), newRules(g, stdout), newVersion(stdout))
	registerCompletions(root, g)
	return root
}

func newVersion(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintln(stdout, "svcviz "+version)
			return nil
		},
	}
}

// outputFormat checks -o.
func outputFormat(o string) error {
	switch strings.ToLower(o) {
	case "text", "json":
		return nil
	}
	return usageErr(fmt.Errorf("-o must be text or json, not %q", o))
}

// loadGC sets the garbage collector for the load, and returns what restores it. Decoding makes
// much short-lived garbage (the JSON handed to the typed decoder, validation's field paths) and
// keeps a model of about 6 times the input, so the collector does not run by the heap's
// growth (GOGC) but only as the process nears its memory budget: 9.5 times the input, at least
// 96 MB (debug.SetMemoryLimit, which counts the Go heap and runtime; peak RSS comes within a
// few MB of it). The 1,000-Service dump then loads with no collection at all, and the
// 20,000-Service one with four or five, its peak RSS under 10 times the input (BENCHMARKS.md,
// Memory). Then the
// collector paces itself by GOGC again; check, trace and rules keep the budget as a limit to
// the end (their report allocates little), the TUI, which runs on, drops it. When the input
// size is unknown (stdin), a lax GOGC=400 does most of the same. GOGC or GOMEMLIMIT set by the
// user win.
func loadGC(paths []string, keepLimit bool) func() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	size, known := inputSize(paths)
	if !known {
		old := debug.SetGCPercent(400)
		return func() { debug.SetGCPercent(old) }
	}
	oldLimit := debug.SetMemoryLimit(max(96<<20, size*loadBudgetTenths/10))
	old := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(old)
		if !keepLimit {
			debug.SetMemoryLimit(oldLimit)
		}
	}
}

// loadBudgetTenths is the memory budget of a load, in tenths of the input's size (issue 13:
// peak RSS at most 10 times the input). A tighter budget collects more often: at 9 times the
// 20,000-Service dump takes 3% more CPU than at 9.5 (BENCHMARKS.md, Memory).
const loadBudgetTenths = 95

// inputSize adds up the sizes of the files the load reads; false when it reads stdin.
func inputSize(paths []string) (int64, bool) {
	var total int64
	for _, p := range paths {
		if p == "-" {
			return 0, false
		}
		_ = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
					total += info.Size()
				}
			}
			return nil
		})
	}
	return total, true
}
