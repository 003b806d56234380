package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	corev1 "k8s.io/api/core/v1"
)

func newCheck(g *globals, stdout io.Writer) *cobra.Command {
	var output, failOn, lang string
	cmd := &cobra.Command{
		Use:   "check FILE|DIR|-...",
		Short: "Print each Service's port mapping and every diagnostic; exit 1 on an error",
		Long: "check prints, for every Service, where each port leads (nodePort → port → Pod:targetPort) and every\n" +
			"diagnostic as file:line: severity code: message (hint). Exit 0 without errors, 1 with an error\n" +
			"diagnostic, 2 when a file cannot be read or a flag is wrong.",
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := outputFormat(output); err != nil {
				return err
			}
			if failOn != "error" && failOn != "warning" {
				return usageErr(fmt.Errorf("--fail-on must be error or warning, not %q", failOn))
			}
			if err := langError(lang); err != nil {
				return usageErr(err)
			}
			sim, err := g.load(args, false)
			if err != nil {
				return err
			}
			var report checkReport
			if output == "json" {
				report.Summary, err = streamCheckJSON(stdout, sim)
			} else {
				report = buildReport(sim)
				err = writeCheckText(stdout, report, words{lang})
			}
			if err != nil {
				return err
			}
			if report.Summary.Errors > 0 || failOn == "warning" && report.Summary.Warnings > 0 {
				return &exitError{code: exitFindings}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&failOn, "fail-on", "error", "exit 1 on: error, or warning (also warnings, for strict CI)")
	cmd.Flags().StringVarP(&output, "output", "o", "text", "output format: text or json")
	cmd.Flags().StringVar(&lang, "lang", "en", "language of check's own words and of svcviz's diagnostic explanations and hints: en or ko (the API server's messages and JSON as they are)")
	return cmd
}

// checkReport is the JSON contract of `svcviz check -o json` (README documents it).
type checkReport struct {
	Services    []serviceJSON      `json:"services"`
	Diagnostics []model.Diagnostic `json:"diagnostics"`
	Summary     summaryJSON        `json:"summary"`
}

// summaryJSON counts what check found, for CI scripts.
type summaryJSON struct {
	Services int `json:"services"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Info     int `json:"info"`
}

type serviceJSON struct {
	Namespace    string     `json:"namespace"`
	Name         string     `json:"name"`
	Type         string     `json:"type"`
	Valid        bool       `json:"valid"`                // false: the API server would refuse it, so it exists in no cluster
	ClusterIP    string     `json:"clusterIP"`            // "None" for headless, "" for ExternalName
	ClusterIPs   []string   `json:"clusterIPs,omitempty"` // in ipFamilies order; two on a dual-stack cluster
	ExternalName string     `json:"externalName,omitempty"`
	LBIPs        []string   `json:"loadBalancerIPs,omitempty"`
	File         string     `json:"file"`
	Line         int        `json:"line"`
	Ports        []portJSON `json:"ports"`
}

type portJSON struct {
	Name       string         `json:"name"`
	Protocol   string         `json:"protocol"`
	Port       int32          `json:"port"`
	TargetPort string         `json:"targetPort"`
	NodePort   int32          `json:"nodePort,omitempty"`
	Endpoints  []endpointJSON `json:"endpoints"`
}

type endpointJSON struct {
	Pod       string `json:"pod"` // "" for an address of an Endpoints object
	Namespace string `json:"namespace,omitempty"`
	Owner     string `json:"owner,omitempty"` // "Deployment/web" for a workload's Pod
	IP        string `json:"ip"`
	Port      int32  `json:"port"`
	Node      string `json:"node"`
	Container string `json:"container,omitempty"` // the container that declares the port
}

func buildReport(sim *netsim.Sim) checkReport {
	r := checkReport{Services: []serviceJSON{}, Diagnostics: sim.Diagnostics, Summary: summarize(sim)}
	if r.Diagnostics == nil {
		r.Diagnostics = []model.Diagnostic{}
	}
	for _, si := range sim.Services {
		r.Services = append(r.Services, serviceReport(sim, si, nil))
	}
	return r
}

func summarize(sim *netsim.Sim) summaryJSON {
	s := summaryJSON{Services: len(sim.Services)}
	for _, d := range sim.Diagnostics {
		switch d.Severity {
		case model.Error:
			s.Errors++
		case model.Warning:
			s.Warnings++
		default:
			s.Info++
		}
	}
	return s
}

// streamCheckJSON writes buildReport(sim) as writeJSON does, byte for byte, one Service and one
// diagnostic at a time: the report of a large dump is never held in memory whole.
func streamCheckJSON(w io.Writer, sim *netsim.Sim) (summaryJSON, error) {
	bw := bufio.NewWriterSize(w, 64<<10)
	var item bytes.Buffer
	enc := json.NewEncoder(&item)
	enc.SetIndent("    ", "  ")
	write := func(i int, v any) {
		item.Reset()
		if err := enc.Encode(v); err != nil {
			panic(err) // the report's types always encode
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimSuffix(item.Bytes(), []byte("\n")))
	}
	bw.WriteString(`{` + "\n" + `  "services": [`)
	var buf []byte
	var arena reportArena
	for i, si := range sim.Services {
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		r := serviceReport(sim, si, &arena)
		buf = appendServiceJSON(buf[:0], &r)
		bw.Write(buf)
	}
	closeList(bw, len(sim.Services))
	bw.WriteString(`,` + "\n" + `  "diagnostics": [`)
	for i, d := range sim.Diagnostics {
		write(i, d)
	}
	closeList(bw, len(sim.Diagnostics))
	sum := summarize(sim)
	enc.SetIndent("  ", "  ")
	item.Reset()
	enc.Encode(sum)
	bw.WriteString(`,` + "\n" + `  "summary": `)
	bw.Write(bytes.TrimSuffix(item.Bytes(), []byte("\n")))
	bw.WriteString("\n}\n")
	return sum, bw.Flush()
}

func closeList(bw *bufio.Writer, n int) {
	if n > 0 {
		bw.WriteString("\n  ")
	}
	bw.WriteString("]")
}

// reportArena lends serviceReport the lists of one Service at a time while the report streams:
// a dump's 5,000 endpoints are written and forgotten, and fresh lists for each would be garbage
// the memory budget leaves uncollected (cmd/svcviz/main.go loadGC).
type reportArena struct {
	ports []portJSON
	eps   []endpointJSON
}

// serviceReport is a Service's entry in check's report. With an arena its lists are the
// arena's, valid until the next call.
func serviceReport(sim *netsim.Sim, si *netsim.ServiceInfo, arena *reportArena) serviceJSON {
	s := si.Svc
	out := serviceJSON{Namespace: s.Namespace, Name: s.Name, Type: string(s.Type()), Valid: sim.Valid(si), File: s.File, Line: s.Line, Ports: []portJSON{}}
	switch {
	case s.Headless():
		out.ClusterIP = corev1.ClusterIPNone
	case si.ClusterIP.IsValid():
		out.ClusterIP = si.ClusterIP.String()
	case len(si.ClusterIPs) > 0:
		out.ClusterIP = si.ClusterIPs[0].String() // IPv6 only
	}
	for _, ip := range si.ClusterIPs {
		out.ClusterIPs = append(out.ClusterIPs, ip.String())
	}
	out.ExternalName = s.Obj.Spec.ExternalName
	for _, ip := range si.LBIPs {
		out.LBIPs = append(out.LBIPs, ip.String())
	}
	// sized once: a dump's 5,000 endpoints would otherwise regrow their lists
	n := 0
	for _, sp := range s.Ports {
		n += len(sp.Endpoints)
	}
	var eps []endpointJSON
	if arena != nil {
		out.Ports, eps = slices.Grow(arena.ports[:0], len(s.Ports)), slices.Grow(arena.eps[:0], n)
		arena.ports, arena.eps = out.Ports, eps
	} else {
		out.Ports, eps = make([]portJSON, 0, len(s.Ports)), make([]endpointJSON, 0, n)
	}
	eps = eps[:n]
	for _, sp := range s.Ports {
		pj := portJSON{Name: sp.Name, Protocol: string(sp.Protocol), Port: sp.Port, TargetPort: sp.TargetPort.String(), NodePort: si.NodePorts[sp.Index]}
		pj.Endpoints, eps = eps[:0:len(sp.Endpoints)], eps[len(sp.Endpoints):]
		for _, ep := range sp.Endpoints {
			pj.Endpoints = append(pj.Endpoints, endpointReport(sim, ep))
		}
		out.Ports = append(out.Ports, pj)
	}
	return out
}

func endpointReport(sim *netsim.Sim, ep model.Endpoint) endpointJSON {
	ip, node := sim.EndpointAddr(ep)
	e := endpointJSON{Port: ep.Port, Node: node, Container: ep.Container}
	if ip.IsValid() {
		e.IP = ip.String()
	}
	if ep.Pod != nil {
		e.Pod, e.Namespace = ep.Pod.Name, ep.Pod.Namespace
		if ep.Pod.Owner != nil {
			e.Owner = ep.Pod.Owner.Kind + "/" + ep.Pod.Owner.Name
		}
	}
	return e
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeCheckText prints one block per Service, then the diagnostics, then a summary line.
func writeCheckText(out io.Writer, r checkReport, w words) error {
	var b strings.Builder
	for _, s := range r.Services {
		writeServiceText(&b, s, w)
	}
	if len(r.Services) == 0 {
		b.WriteString(w.say("no Services in the input") + "\n")
	}
	if len(r.Diagnostics) > 0 {
		b.WriteString("\n")
	}
	for _, d := range r.Diagnostics {
		b.WriteString(formatDiagnosticIn(d, w.lang) + "\n")
	}
	b.WriteString(w.summary(r.Summary) + "\n")
	_, err := io.WriteString(out, b.String())
	return err
}

func writeServiceText(b *strings.Builder, s serviceJSON, w words) {
	addr := s.ClusterIP
	if s.Type == string(corev1.ServiceTypeExternalName) {
		addr = "→ " + s.ExternalName
	}
	name := model.Escape(s.Name)
	if s.Namespace != corev1.NamespaceDefault {
		name = model.Escape(s.Namespace) + "/" + name
	}
	fmt.Fprintf(b, "%s %s", name, s.Type)
	if addr != "" { // a refused Service has no address
		b.WriteString(" " + model.Escape(addr))
	}
	if len(s.LBIPs) > 0 {
		fmt.Fprintf(b, " (LB %s)", strings.Join(s.LBIPs, ", "))
	}
	if !s.Valid {
		b.WriteString("  " + w.say("(refused by the API server: not created, see the errors below)"))
	}
	b.WriteString("\n")
	if len(s.Ports) == 0 {
		b.WriteString("  " + w.say("(no ports)") + "\n")
	}
	for _, p := range s.Ports {
		if s.Type == string(corev1.ServiceTypeExternalName) {
			// Only a DNS alias: the client reaches the external name on the port it dials.
			b.WriteString("  " + externalMapping(p, s.ExternalName, w) + "\n")
			continue
		}
		b.WriteString("  " + portMapping(p, w) + "\n")
	}
}

// externalMapping prints an ExternalName port: ":8080 → www.example.org:8080 (a DNS alias …)".
func externalMapping(p portJSON, name string, w words) string {
	out := ""
	if p.Name != "" {
		out = model.Escape(p.Name) + " "
	}
	port := strconv.Itoa(int(p.Port))
	return out + ":" + port + " → " + model.Escape(name) + ":" + port + " " + w.say("(a DNS alias: nothing is proxied, port and targetPort are not used)")
}

// portMapping prints ":30008 → :80 → myapp-pod 10.244.0.2:80, …".
func portMapping(p portJSON, w words) string {
	var b strings.Builder
	if p.Name != "" {
		b.WriteString(model.Escape(p.Name) + " ")
	}
	if p.NodePort != 0 {
		b.WriteString(":" + strconv.Itoa(int(p.NodePort)) + " → ")
	}
	b.WriteString(":" + strconv.Itoa(int(p.Port)))
	if p.Protocol != "TCP" {
		b.WriteString("/" + p.Protocol)
	}
	b.WriteString(" → ")
	if len(p.Endpoints) == 0 {
		b.WriteString(w.say("(no endpoints; targetPort {0})", model.Escape(p.TargetPort)))
		return b.String()
	}
	for i, e := range p.Endpoints {
		if i == 6 {
			b.WriteString(", " + w.say("… ({0} more)", itoa(len(p.Endpoints)-i)))
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		if e.Pod != "" {
			b.WriteString(model.Escape(e.Pod) + " ")
		}
		b.WriteString(e.IP + ":" + strconv.Itoa(int(e.Port)))
	}
	return b.String()
}

// formatDiagnostic prints "file:line: severity code: message (hint)" in English.
func formatDiagnostic(d model.Diagnostic) string { return formatDiagnosticIn(d, "en") }

// formatDiagnosticIn prints a diagnostic with svcviz's own message and hint worded in lang; the
// location, severity and code (what scripts match on) and the API server's messages stay as
// they are.
func formatDiagnosticIn(d model.Diagnostic, lang string) string {
	s := model.Escape(d.Location()) + ": " + string(d.Severity) + " " + d.Code + ": " + model.Escape(d.MessageIn(lang))
	if h := d.HintIn(lang); h != "" {
		s += " (" + model.Escape(h) + ")"
	}
	return s
}
