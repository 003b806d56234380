package tui

import (
	"strconv"

	"github.com/svcviz/svcviz/netsim"
)

// choice is one entry of a picker and the request it sends.
type choice struct {
	label string
	apply func(netsim.Request) netsim.Request
}

// picker is a scrolling list shown in place of the diagram.
type picker struct {
	title    string
	items    []choice
	sel, top int
}

func (p *picker) move(d, rows int) {
	p.sel = min(max(p.sel+d, 0), len(p.items)-1)
	if p.sel < p.top {
		p.top = p.sel
	}
	if p.sel >= p.top+rows {
		p.top = p.sel - rows + 1
	}
}

// servicePicker lists every Service port.
func servicePicker(sim *netsim.Sim, cur *netsim.Trace) *picker {
	p := &picker{title: "Choose a Service and port (enter: trace it, esc: back)"}
	for _, si := range sim.Services {
		ref := si.Svc.Namespace + "/" + si.Svc.Name
		kind := string(si.Svc.Type())
		if len(si.Svc.Ports) == 0 {
			p.add(ref+"  "+kind, ref, "", si == cur.Service)
		}
		for _, sp := range si.Svc.Ports {
			port := strconv.Itoa(int(sp.Port))
			label := ref + "  " + port + "/" + string(sp.Protocol)
			if sp.Name != "" {
				label += " (" + sp.Name + ")"
			}
			p.add(label+"  "+kind, ref, port, si == cur.Service && sp == cur.Port)
		}
	}
	return p
}

func (p *picker) add(label, svc, port string, current bool) {
	if current {
		p.sel = len(p.items)
	}
	p.items = append(p.items, choice{label: label, apply: func(r netsim.Request) netsim.Request {
		r.Service, r.Port, r.From, r.Via, r.DNSName, r.Endpoint = svc, port, "", "", "", -1
		return r
	}})
}

// originPicker lists where a packet can start and how it goes in; netsim refuses the
// combinations the Service does not have, and the status bar says why.
func originPicker(sim *netsim.Sim, tr *netsim.Trace) *picker {
	p := &picker{title: "Choose the origin and the way in (enter: send, esc: back)"}
	add := func(label, from string, via netsim.Via) {
		p.items = append(p.items, choice{label: label, apply: func(r netsim.Request) netsim.Request {
			r.From, r.Via, r.DNSName, r.Endpoint = from, via, "", -1
			return r
		}})
	}
	si := tr.Service
	hasNP := tr.Port != nil && si.NodePorts[tr.Port.Index] > 0
	if hasNP {
		add("external client "+sim.Config.ClientIP.String()+" via nodeport", "external", netsim.ViaNodePort)
	}
	if len(si.LBIPs) > 0 {
		add("external client via LoadBalancer IP "+si.LBIPs[0].String(), "external", netsim.ViaLB)
	}
	inside := func(label, from string) {
		if si.ClusterIP.IsValid() {
			add(label+" via clusterip", from, netsim.ViaClusterIP)
		}
		add(label+" via dns", from, netsim.ViaDNS)
		if hasNP {
			add(label+" via nodeport", from, netsim.ViaNodePort)
		}
	}
	for _, n := range sim.Nodes {
		inside("node "+n.Name+" "+n.IP.String(), n.Name)
	}
	for i, pi := range sim.Pods {
		if i >= maxPodsPerNode {
			break
		}
		inside("Pod "+pi.Pod.Namespace+"/"+pi.Pod.Name+" "+pi.IP.String(), pi.Pod.Namespace+"/"+pi.Pod.Name)
	}
	return p
}
