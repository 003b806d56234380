package main

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui"
)

// Shell completion: cobra's `svcviz completion bash|zsh|fish|powershell` prints the script;
// the script asks `svcviz __complete ARGS…` for candidates. Fixed flag values come from the
// lists below; Service, port, Pod, node and namespace names come from loading the files on
// the command line being completed, as the command itself would (the TUI's built-in example
// when it has none). Completion never reads stdin, never prints an error (a file that does
// not load completes nothing) and offers only names a shell can take as one word.

// candidate is one completion: the value and a short description shells show beside it.
type candidate struct{ value, about string }

// fixedValues are the flags whose values are a fixed list, by flag name (on every command
// that has a flag of that name).
var fixedValues = map[string][]candidate{
	"theme": themeCandidates(),
	"lang":  {{"en", "English"}, {"ko", "한국어"}},
	"via": {
		{string(netsim.ViaNodePort), "the node's IP and the nodePort"},
		{string(netsim.ViaClusterIP), "the Service's ClusterIP"},
		{string(netsim.ViaLB), "the LoadBalancer's ingress IP"},
		{string(netsim.ViaDNS), "resolve the Service's name, then its ClusterIP"},
	},
	"output":     {{"text", "for people"}, {"json", "for scripts"}},
	"fail-on":    {{"error", "exit 1 on an error diagnostic"}, {"warning", "exit 1 on a warning too"}},
	"view":       {{"all", "every hop"}, {"teaching", "NodePort → port → targetPort"}, {"wire", "kube-proxy's rules"}},
	"proxy-mode": {{"iptables", "kube-proxy's iptables mode"}, {"nftables", "kube-proxy's nftables mode"}},
}

// fileValues are the flags whose values are names in the loaded input, by flag name.
var fileValues = map[string]func(cmd *cobra.Command, sim *netsim.Sim) []candidate{
	"service":   func(_ *cobra.Command, sim *netsim.Sim) []candidate { return serviceCandidates(sim) },
	"port":      portCandidates,
	"from":      func(_ *cobra.Command, sim *netsim.Sim) []candidate { return originCandidates(sim) },
	"to-node":   func(_ *cobra.Command, sim *netsim.Sim) []candidate { return nodeCandidates(sim) },
	"node":      func(_ *cobra.Command, sim *netsim.Sim) []candidate { return nodeCandidates(sim) },
	"namespace": func(_ *cobra.Command, sim *netsim.Sim) []candidate { return namespaceCandidates(sim) },
	"name":      func(_ *cobra.Command, sim *netsim.Sim) []candidate { return dnsCandidates(sim) },
	"dst":       func(_ *cobra.Command, sim *netsim.Sim) []candidate { return dstCandidates(sim) },
}

// registerCompletions gives every flag of root and its subcommands named in fixedValues or
// fileValues its completion. Call it after all flags are defined.
func registerCompletions(root *cobra.Command, g *globals) {
	var walk func(cmd *cobra.Command)
	walk = func(cmd *cobra.Command) {
		// NonInherited: a persistent flag is registered once, on the command that declares it.
		flags := cmd.NonInheritedFlags()
		for name, values := range fixedValues {
			if flags.Lookup(name) != nil {
				_ = cmd.RegisterFlagCompletionFunc(name, completeFixed(values))
			}
		}
		for name, list := range fileValues {
			if flags.Lookup(name) != nil {
				_ = cmd.RegisterFlagCompletionFunc(name, completeFromFiles(g, list))
			}
		}
		for _, sub := range cmd.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func completeFixed(values []candidate) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return completions(values, toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

func completeFromFiles(g *globals, list func(*cobra.Command, *netsim.Sim) []candidate) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) (out []cobra.Completion, _ cobra.ShellCompDirective) {
		defer func() {
			if recover() != nil { // a manifest svcviz cannot handle completes nothing, silently
				out = nil
			}
		}()
		sim := g.completionSim(args, cmd == cmd.Root())
		if sim == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return completions(list(cmd, sim), toComplete), cobra.ShellCompDirectiveNoFileComp
	}
}

// completionSim loads the inputs on the line being completed, without stdin ("-" is left
// out: the shell's stdin is not the user's data). builtin: with no input at all, the TUI's
// built-in example. nil when nothing loads.
func (g *globals) completionSim(args []string, builtin bool) *netsim.Sim {
	c := *g
	given := len(g.files) + len(args)
	c.files, args = withoutStdin(g.files), withoutStdin(args)
	if given > 0 && len(c.files)+len(args) == 0 {
		return nil // only stdin was given: the built-in example is not what would load
	}
	sim, err := c.load(args, builtin)
	if err != nil {
		return nil
	}
	return sim
}

func withoutStdin(paths []string) []string {
	var out []string
	for _, p := range paths {
		if p != "-" {
			out = append(out, p)
		}
	}
	return out
}

// shellWord is what a completion may offer: a shell takes it as one word as it is.
var shellWord = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/:-]*$`)

// completions keeps the candidates that start with toComplete and can be typed, once each,
// as "value\tdescription" (the form cobra passes to the shells).
func completions(cands []candidate, toComplete string) []cobra.Completion {
	var out []cobra.Completion
	seen := map[string]bool{}
	for _, c := range cands {
		if seen[c.value] || !strings.HasPrefix(c.value, toComplete) || !shellWord.MatchString(c.value) {
			continue
		}
		seen[c.value] = true
		about := strings.Join(strings.Fields(model.Escape(c.about)), " ")
		out = append(out, cobra.CompletionWithDesc(c.value, about))
	}
	return out
}

// ref is how a command line names an object: NAME when no other object of its kind in the
// input has that name, else NS/NAME.
func refs(metas []model.Meta) []string {
	count := map[string]int{}
	for _, m := range metas {
		count[m.Name]++
	}
	out := make([]string, len(metas))
	for i, m := range metas {
		out[i] = m.Name
		if count[m.Name] > 1 {
			out[i] = m.Namespace + "/" + m.Name
		}
	}
	return out
}

func serviceCandidates(sim *netsim.Sim) []candidate {
	metas := make([]model.Meta, len(sim.Services))
	for i, si := range sim.Services {
		metas[i] = si.Svc.Meta
	}
	var out []candidate
	for i, ref := range refs(metas) {
		si := sim.Services[i]
		about := string(si.Svc.Type())
		if si.ClusterIP.IsValid() {
			about += " " + si.ClusterIP.String()
		}
		out = append(out, candidate{ref, about})
	}
	return out
}

// portCandidates are the ports of the Service --service names (of every Service when it
// names none or none that loads): the port's name if it has one, and its number — with
// /PROTOCOL where the Service serves that number over several protocols.
func portCandidates(cmd *cobra.Command, sim *netsim.Sim) []candidate {
	services := sim.Services
	if ref, _ := cmd.Flags().GetString("service"); ref != "" {
		if si, err := sim.FindService(ref); err == nil {
			services = []*netsim.ServiceInfo{si}
		}
	}
	var out []candidate
	for _, si := range services {
		protocols := map[int32]int{}
		for _, sp := range si.Svc.Ports {
			protocols[sp.Port]++
		}
		for _, sp := range si.Svc.Ports {
			about := fmt.Sprintf("%d/%s → targetPort %s", sp.Port, sp.Protocol, sp.TargetPort.String())
			if len(services) > 1 {
				about += " (" + si.Svc.Name + ")"
			}
			if sp.Name != "" {
				out = append(out, candidate{sp.Name, about})
			}
			number := strconv.Itoa(int(sp.Port))
			if protocols[sp.Port] > 1 {
				number += "/" + string(sp.Protocol)
			}
			out = append(out, candidate{number, about})
		}
	}
	return out
}

// originCandidates are what --from takes: the external client, the nodes, the Pods (as
// NAME or NS/NAME) and the workloads (their first Pod).
func originCandidates(sim *netsim.Sim) []candidate {
	out := []candidate{{"external", "the client outside the cluster, " + sim.Config.ClientIP.String()}}
	out = append(out, nodeCandidates(sim)...)
	metas := make([]model.Meta, len(sim.Pods))
	for i, pi := range sim.Pods {
		metas[i] = pi.Pod.Meta
	}
	for i, ref := range refs(metas) {
		pi := sim.Pods[i]
		out = append(out, candidate{ref, fmt.Sprintf("Pod %s on %s", pi.IP, pi.Node.Name)})
	}
	var workloads []model.Meta
	seen := map[*model.Workload]bool{}
	for _, pi := range sim.Pods {
		if w := pi.Pod.Owner; w != nil && !seen[w] {
			seen[w] = true
			workloads = append(workloads, w.Meta)
		}
	}
	for i, ref := range refs(workloads) {
		out = append(out, candidate{ref, workloads[i].Kind + ": its first Pod"})
	}
	return out
}

func nodeCandidates(sim *netsim.Sim) []candidate {
	var out []candidate
	for _, n := range sim.Nodes {
		out = append(out, candidate{n.Name, "node " + n.IP.String()})
	}
	return out
}

// namespaceCandidates are the namespaces the input declares or puts objects in, sorted.
func namespaceCandidates(sim *netsim.Sim) []candidate {
	set := map[string]bool{}
	for _, ns := range sim.Cluster.Namespaces {
		set[ns] = true
	}
	for _, si := range sim.Services {
		set[si.Svc.Namespace] = true
	}
	for _, pi := range sim.Pods {
		set[pi.Pod.Namespace] = true
	}
	names := make([]string, 0, len(set))
	for ns := range set {
		names = append(names, ns)
	}
	sort.Strings(names)
	out := make([]candidate, len(names))
	for i, ns := range names {
		out[i] = candidate{ns, "namespace"}
	}
	return out
}

// dnsCandidates are the names `trace --via dns --name` resolves: NAME.NAMESPACE and the
// fully qualified NAME.NAMESPACE.svc.cluster.local of each Service.
func dnsCandidates(sim *netsim.Sim) []candidate {
	var out []candidate
	for _, si := range sim.Services {
		short := si.Svc.Name + "." + si.Svc.Namespace
		out = append(out, candidate{short, "Service " + si.Svc.Name}, candidate{si.DNSName, "Service " + si.Svc.Name})
	}
	return out
}

// dstCandidates are the addresses a packet to a Service is sent to: ClusterIP:port, and
// node01's IP:nodePort where the Service has one.
func dstCandidates(sim *netsim.Sim) []candidate {
	var out []candidate
	for _, si := range sim.Services {
		for _, sp := range si.Svc.Ports {
			if si.ClusterIP.IsValid() {
				out = append(out, candidate{fmt.Sprintf("%s:%d", si.ClusterIP, sp.Port), "ClusterIP of " + si.Svc.Name})
			}
			if np := si.NodePorts[sp.Index]; np != 0 {
				out = append(out, candidate{fmt.Sprintf("%s:%d", sim.Nodes[0].IP, np), "nodePort of " + si.Svc.Name})
			}
		}
	}
	return out
}

// themeCandidates are the TUI's themes, with what each is for.
func themeCandidates() []candidate {
	var out []candidate
	for _, t := range tui.Themes() {
		out = append(out, candidate{t, tui.ThemeAbout(t)})
	}
	return out
}
