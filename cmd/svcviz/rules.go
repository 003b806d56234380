package main

import (
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

func newRules(g *globals, stdout io.Writer) *cobra.Command {
	var service, node, lang string
	cmd := &cobra.Command{
		Use:   "rules FILE...",
		Short: "Print kube-proxy's rules for one node, as iptables-save (or nft list table) prints them",
		Long: "rules prints the nat and filter tables kube-proxy (iptables mode) writes on a node for the loaded\n" +
			"Services, in the form `iptables-save` prints them; with --proxy-mode nftables, the `ip kube-proxy`\n" +
			"table as `nft list table ip kube-proxy` prints it. --service keeps only one Service's rules.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := langError(lang); err != nil {
				return usageErr(err)
			}
			mode, err := g.mode()
			if err != nil {
				return err
			}
			sim, err := g.load(args, false)
			if err != nil {
				return err
			}
			if node == "" {
				node = sim.Nodes[0].Name
			}
			var ns, name string
			if service != "" {
				si, err := sim.FindService(service)
				if err != nil {
					return usageErr(err)
				}
				ns, name = si.Svc.Namespace, si.Svc.Name
			}
			text, err := rulesText(sim, mode, node, ns, name)
			if err != nil {
				return usageErr(err)
			}
			_, err = io.WriteString(stdout, safeRules(text))
			return err
		},
	}
	cmd.Flags().StringVar(&service, "service", "", "only this Service's rules (NAME or NS/NAME)")
	cmd.Flags().StringVar(&node, "node", "", "the node whose rules to print (default: the first node, node01 unless the input names its nodes)")
	// The rules are kube-proxy's own text and stay so; --lang is checked as on every command,
	// so one alias or script can pass it to all of them.
	cmd.Flags().StringVar(&lang, "lang", "en", "accepted as on every command (en or ko); the rules are never translated")
	return cmd
}

// rulesText prints one node's rules in the mode's own form, all of them or one Service's.
func rulesText(sim *netsim.Sim, mode netsim.ProxyMode, node, ns, name string) (string, error) {
	if mode == netsim.ModeNFTables {
		t, err := sim.Nftables(node)
		if err != nil {
			return "", err
		}
		if name != "" {
			t = t.ForService(ns, name)
		}
		return t.List(), nil
	}
	rs, err := sim.Rules(node)
	if err != nil {
		return "", err
	}
	if name != "" {
		rs = rs.ForService(ns, name)
	}
	return rs.Save(), nil
}

// safeRules escapes control characters a manifest may have put into names (and so comments)
// while keeping the lines themselves and nft's indenting tabs.
func safeRules(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		parts := strings.Split(l, "\t")
		for j, p := range parts {
			parts[j] = model.Escape(p)
		}
		lines[i] = strings.Join(parts, "\t")
	}
	return strings.Join(lines, "\n")
}
