// Package samples holds the example manifests; the binary embeds the NodePort example so that
// `svcviz` with no argument always shows something.
package samples

import _ "embed"

// NodePortName is the name the built-in example is shown under.
const NodePortName = "samples/nodeport.yaml"

// NodePort is samples/nodeport.yaml, the course's worked example.
//
//go:embed nodeport.yaml
var NodePort []byte
