// Command yamlfloor is the floor issue 13 measures `svcviz check` against: it reads manifest
// files and parses every document into go.yaml.in/yaml/v3's node tree, and does nothing else.
// A YAML loader that keeps the line of every field cannot do less.
//
//	go run ./internal/dumpgen/cmd/yamlfloor dump.yaml
package main

import (
	"bytes"
	"fmt"
	"os"

	yaml "go.yaml.in/yaml/v3"
)

func main() {
	nodes := 0
	for _, path := range os.Args[1:] {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		for _, doc := range bytes.Split(data, []byte("\n---\n")) {
			var n yaml.Node
			if err := yaml.Unmarshal(doc, &n); err != nil {
				fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
				os.Exit(1)
			}
			nodes += len(n.Content)
		}
	}
	fmt.Println(nodes, "documents")
}
