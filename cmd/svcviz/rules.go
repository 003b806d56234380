package main

import (
	"io"
	"strings"

	"github.com/spf13/cobra"
)

func newRules(g *globals, stdout io.Writer) *cobra.Command {
	var service, node string
	cmd := &cobra.Command{
		Use:   "rules FILE...",
		Short: "Print kube-proxy's iptables rules for one node, as iptables-save prints them",
		Long: "rules prints the nat and filter tables kube-proxy (iptables mode) writes on a node for the loaded\n" +
			"Services, in the form `iptables-save` prints them. --service keeps only one Service's rules.",
		RunE: func(cmd *cobra.Command, args []string) error {
			sim, err := g.load(args, false)
			if err != nil {
				return err
			}
			rs, err := sim.Rules(node)
			if err != nil {
				return usageErr(err)
			}
			if service != "" {
				si, err := sim.FindService(service)
				if err != nil {
					return usageErr(err)
				}
				rs = rs.ForService(si.Svc.Namespace, si.Svc.Name)
			}
			_, err = io.WriteString(stdout, safeRules(rs.Save()))
			return err
		},
	}
	cmd.Flags().StringVar(&service, "service", "", "only this Service's rules (NAME or NS/NAME)")
	cmd.Flags().StringVar(&node, "node", "node01", "the node whose rules to print")
	return cmd
}

// safeRules escapes control characters a manifest may have put into names (and so comments)
// while keeping the lines themselves.
func safeRules(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = escapeLine(l)
	}
	return strings.Join(lines, "\n")
}
