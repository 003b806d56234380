package main

import "github.com/spf13/cobra"

type tuiFlags struct{}

func registerTUI(root *cobra.Command, g *globals) *tuiFlags { return &tuiFlags{} }

func runTUI(cmd *cobra.Command, g *globals, f *tuiFlags, args []string) error {
	_, err := g.load(args, true)
	return err
}
