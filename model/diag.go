package model

import (
	"sort"
	"strconv"
)

// Severity of a diagnostic.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Diagnostic codes. They are stable: scripts and CI match on them.
const (
	CodeInvalidYAML        = "invalid-yaml"
	CodeInvalidObject      = "invalid-object" // a field of the wrong type (decoding fails)
	CodeUnsupportedVersion = "unsupported-version"
	CodeDuplicateObject    = "duplicate-object"
	CodeInvalidName        = "invalid-name"
	CodeInvalidLabel       = "invalid-label"
	CodeInvalidPort        = "invalid-port"
	CodeInvalidNodePort    = "invalid-node-port"
	CodeNodePortNotAllowed = "node-port-not-allowed"
	CodeDuplicatePort      = "duplicate-port"
	CodeDuplicateNodePort  = "duplicate-node-port"
	CodePortNameRequired   = "port-name-required"
	CodeInvalidPortName    = "invalid-port-name"
	CodeSelectorMismatch   = "selector-template-mismatch"
	CodeInvalidClusterIP   = "invalid-cluster-ip"
	CodePortsRequired      = "ports-required"
	CodeTrafficPolicy      = "traffic-policy-not-allowed"
	CodeNoMatchingPods     = "no-matching-pods"
	CodeNoReadyEndpoints   = "no-ready-endpoints"
	CodeNoSelector         = "no-selector"
	CodeTargetPortUndecl   = "target-port-not-declared"
	CodeNamedPortNotFound  = "named-port-not-found"
	CodeProtocolMismatch   = "protocol-mismatch"
	CodeAddressOutside     = "address-outside-network"
	CodeUnknownField       = "unknown-field"
	CodeSkippedFile        = "skipped-file" // a FIFO, socket or device in a directory: not read
	CodeIgnoredKind        = "ignored-kind"
	CodeMultipleWorkloads  = "multiple-workloads"
	// CodeHeadlessTargetPort: targetPort (or an Endpoints port) differs from port on a headless
	// Service, where only the Service port is used.
	CodeHeadlessTargetPort = "headless-target-port"
	// CodeSlicePortMismatch: an EndpointSlice (or Endpoints) port whose name and protocol match
	// no port of its Service; kube-proxy does not use its endpoints.
	CodeSlicePortMismatch = "endpoint-port-mismatch"
	// CodeSliceNoService: an EndpointSlice without a Service, which kube-proxy ignores.
	CodeSliceNoService = "endpointslice-without-service"
	// CodePodSubnetFull: a node's pod subnet has no address left for a Pod.
	CodePodSubnetFull = "pod-subnet-full"
	// CodeDuplicatePortName: the API server's warning about a container port name used twice.
	CodeDuplicatePortName = "duplicate-port-name"
	// CodeIPFamily: ipFamilyPolicy, ipFamilies or clusterIPs the cluster's families refuse.
	CodeIPFamily = "invalid-ip-family"
	// CodeGoverningService: a StatefulSet's serviceName (a Pod's subdomain) names no headless
	// Service, so per-Pod DNS names do not resolve.
	CodeGoverningService = "governing-service-not-headless"
	// CodeExternalNamePorts: a targetPort on an ExternalName Service, which is not used.
	CodeExternalNamePorts = "externalname-target-port"
	// CodeSimulatedLB: a LoadBalancer address svcviz made up (no status.loadBalancer).
	CodeSimulatedLB = "simulated-lb-address"
	// CodeIgnoredField: the API server's warning about a Service field it ignores.
	CodeIgnoredField = "ignored-field"
	// CodeDeprecatedEndpoints: the API server's warning on v1 Endpoints (deprecated in 1.33).
	CodeDeprecatedEndpoints = "deprecated-endpoints"
	// CodeInvalidValue: a Service field's value the API server refuses (an unsupported type,
	// sessionAffinity or traffic policy, a malformed externalIPs address, source range or
	// externalName, a missing externalName, a field the Service's type forbids).
	CodeInvalidValue = "invalid-value"
	// CodeNoObjects: a file that holds no object (an error when the whole input holds none).
	CodeNoObjects = "no-objects"
)

// Diagnostic is one finding about the input, with where it is and what to do about it.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Code     string   `json:"code"`
	Object   string   `json:"object"` // "Service/default/web", or "" for a whole file
	Field    string   `json:"field"`  // "spec.ports[0].nodePort"
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Message  string   `json:"message"`
	Hint     string   `json:"hint,omitempty"`
	// MessageWords and HintWords are Message and Hint as catalogue templates, for wording them
	// in another language (MessageIn, HintIn). MessageWords is empty when the message is the
	// API server's own (a field error as kubectl prints it), which stays verbatim; JSON carries
	// only the English Message and Hint.
	MessageWords Words `json:"-"`
	HintWords    Words `json:"-"`
}

// MessageIn is the message worded in lang ("en", "ko"): svcviz's own explanations are
// translated, the API server's messages stay as kubectl prints them.
func (d Diagnostic) MessageIn(lang string) string {
	if d.MessageWords.IsZero() || lang == "en" {
		return d.Message
	}
	return d.MessageWords.In(lang)
}

// HintIn is the hint worded in lang ("en", "ko"); "" when there is none.
func (d Diagnostic) HintIn(lang string) string {
	if d.HintWords.IsZero() || lang == "en" {
		return d.Hint
	}
	return d.HintWords.In(lang)
}

// Location is "file:line" (or just the file when the line is unknown).
func (d Diagnostic) Location() string {
	if d.Line > 0 {
		return d.File + ":" + strconv.Itoa(d.Line)
	}
	return d.File
}

// HasErrors reports whether any diagnostic is an error.
func HasErrors(ds []Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// ForObject returns the diagnostics about one object ("Service/default/web").
func ForObject(ds []Diagnostic, ref string) []Diagnostic {
	var out []Diagnostic
	for _, d := range ds {
		if d.Object == ref {
			out = append(out, d)
		}
	}
	return out
}

// SortDiagnostics orders diagnostics by file and line, keeping the order found within a line.
func SortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		if ds[i].File != ds[j].File {
			return ds[i].File < ds[j].File
		}
		return ds[i].Line < ds[j].Line
	})
}

// SetWords sets the hint, and the message unless msg is empty (the API server's message is
// kept as written), from svcviz's own words: Message and Hint are their English wording.
func (d *Diagnostic) SetWords(msg, hint Words) {
	if !msg.IsZero() {
		d.Message, d.MessageWords = msg.String(), msg
	}
	d.Hint, d.HintWords = hint.String(), hint
}

// diag builds a diagnostic about a field of an object.
func (m *Meta) diag(sev Severity, code, field, msg, hint string) Diagnostic {
	p := m.Pos(field)
	return Diagnostic{Severity: sev, Code: code, Object: m.Ref(), Field: field, File: p.File, Line: p.Line, Message: msg, Hint: hint}
}

// diagW builds a diagnostic about a field of an object from svcviz's own words (Message and
// Hint are their English wording).
func (m *Meta) diagW(sev Severity, code, field string, msg, hint Words) Diagnostic {
	d := m.diag(sev, code, field, msg.String(), hint.String())
	d.MessageWords, d.HintWords = msg, hint
	return d
}

// diagH builds a diagnostic whose message is kept as written (the API server's) and whose
// hint is svcviz's words.
func (m *Meta) diagH(sev Severity, code, field, msg string, hint Words) Diagnostic {
	d := m.diag(sev, code, field, msg, hint.String())
	d.HintWords = hint
	return d
}

func itoa(i int) string { return strconv.Itoa(i) }
