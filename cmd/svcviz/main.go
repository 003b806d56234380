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

// config turns the flags into the simulated world.
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
	cfg.NodeNet = netip.PrefixFrom(cfg.NodeIP, 24).Masked()
	if cfg.PodCIDR, err = netip.ParsePrefix(g.podCIDR); err != nil || !cfg.PodCIDR.Addr().Is4() || cfg.PodCIDR.Bits() > 24-bitsFor(g.nodes) {
		return cfg, fmt.Errorf("--pod-cidr %q must be an IPv4 network with room for a /24 per node", g.podCIDR)
	}
	if cfg.ServiceCIDR, err = netip.ParsePrefix(g.serviceCIDR); err != nil || !cfg.ServiceCIDR.Addr().Is4() || cfg.ServiceCIDR.Bits() > 24 {
		return cfg, fmt.Errorf("--service-cidr %q must be an IPv4 network of /24 or larger", g.serviceCIDR)
	}
	return cfg, nil
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
	defer loadGC(paths)()
	opts := model.Options{Namespace: g.namespace, Nodes: netsim.NodeNames(cfg.Nodes), NodesGiven: g.nodesGiven, Stdin: g.stdin}
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
// much short-lived garbage (the parser's scalars, the JSON handed to the typed decoder) and
// keeps a model of a small multiple of the input: with no collection until the heap reaches 16
// times the input (at least 96 MB), the 1,000-Service dump loads with 15% less CPU than with
// GOGC=200, and no input collects more often than it needs to (BENCHMARKS.md). When the input
// size is unknown (stdin), a lax GOGC=400 does most of the same. GOGC or GOMEMLIMIT set by the
// user win.
func loadGC(paths []string) func() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	size, known := inputSize(paths)
	if !known {
		old := debug.SetGCPercent(400)
		return func() { debug.SetGCPercent(old) }
	}
	oldLimit := debug.SetMemoryLimit(max(96<<20, 16*size))
	old := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(old)
		debug.SetMemoryLimit(oldLimit)
	}
}

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
