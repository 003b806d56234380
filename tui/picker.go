package tui

import (
	"strconv"
	"strings"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// choice is one entry of a picker and the request it sends.
type choice struct {
	label string
	apply func(netsim.Request) netsim.Request
	// keepOrigin: the choice keeps the request's origin when it is valid for the new Service
	keepOrigin bool
}

// pickKind is which list a picker shows, so a reload can rebuild it.
type pickKind uint8

const (
	pickService pickKind = iota
	pickOrigin
)

// picker is a scrolling list shown in place of the diagram. Typing filters it: a dump has
// thousands of Service ports, and "team-3 nodeport" finds the few that matter.
type picker struct {
	kind     pickKind
	title    string
	enter    string // what enter does
	all      []choice
	lower    []string // all's labels in lower case, for filtering
	items    []choice // the entries that match the filter
	filter   string
	sel, top int
}

func (p *picker) move(d, rows int) {
	p.sel = min(max(p.sel+d, 0), len(p.items)-1)
	p.sel = max(p.sel, 0)
	if p.sel < p.top {
		p.top = p.sel
	}
	if p.sel >= p.top+rows {
		p.top = p.sel - rows + 1
	}
	p.top = max(min(p.top, len(p.items)-rows), 0)
}

// setFilter keeps the entries whose label holds every word of f (case does not matter), and
// keeps the selection on the same entry when it still matches.
func (p *picker) setFilter(f string, rows int) {
	var cur *choice
	if p.sel < len(p.items) {
		cur = &p.items[p.sel]
	}
	p.filter = f
	words := strings.Fields(strings.ToLower(f))
	p.items, p.sel, p.top = p.items[:0:0], 0, 0
	for i, l := range p.lower {
		ok := true
		for _, w := range words {
			if !strings.Contains(l, w) {
				ok = false
				break
			}
		}
		if ok {
			if cur != nil && p.all[i].label == cur.label {
				p.sel = len(p.items)
			}
			p.items = append(p.items, p.all[i])
		}
	}
	p.move(0, rows)
}

// servicePicker lists every Service port. An entry asks for its port by name, else by number
// and protocol ("53/UDP"): a bare number is ambiguous when the port serves TCP and UDP alike.
func servicePicker(sim *netsim.Sim, cur *netsim.Trace, tr func(string, ...string) string) *picker {
	p := &picker{kind: pickService, title: tr("Choose a Service and port"), enter: tr("enter: trace it")}
	for _, si := range sim.Services {
		ref := si.Svc.Namespace + "/" + si.Svc.Name
		show, kind := safe(ref), string(si.Svc.Type())
		if len(si.Svc.Ports) == 0 {
			p.add(show+"  "+kind, ref, "", si == cur.Service)
		}
		for _, sp := range si.Svc.Ports {
			port := strconv.Itoa(int(sp.Port)) + "/" + string(sp.Protocol)
			label := show + "  " + port
			if sp.Name != "" {
				label += " (" + safe(sp.Name) + ")"
			}
			p.add(label+"  "+kind, ref, portRef(si.Svc.Ports, sp), si == cur.Service && sp == cur.Port)
		}
	}
	return p.done()
}

// portRef is how a request names port sp of ports: by its name, else (no name, or a name
// another port shares or that reads as a number) as "NUMBER/PROTOCOL".
func portRef(ports []*model.ServicePort, sp *model.ServicePort) string {
	numProto := strconv.Itoa(int(sp.Port)) + "/" + string(sp.Protocol)
	if sp.Name == "" || strings.ContainsRune(sp.Name, '/') {
		return numProto
	}
	if _, err := strconv.Atoi(sp.Name); err == nil {
		return numProto
	}
	for _, o := range ports {
		if o != sp && o.Name == sp.Name {
			return numProto
		}
	}
	return sp.Name
}

func (p *picker) add(label, svc, port string, current bool) {
	if current {
		p.sel = len(p.items)
	}
	p.items = append(p.items, choice{label: label, apply: func(r netsim.Request) netsim.Request {
		// the origin stays when it can send to the new Service (keepOrigin checks)
		r.Service, r.Port, r.Via, r.DNSName, r.Endpoint = svc, port, "", "", netsim.ChooseByRules()
		return r
	}, keepOrigin: true})
}

// done makes the list filterable once every entry is in.
func (p *picker) done() *picker {
	p.all = p.items
	p.lower = make([]string, len(p.all))
	for i, c := range p.all {
		p.lower[i] = strings.ToLower(c.label)
	}
	return p
}

// originPicker lists where a packet can start and how it goes in; netsim refuses the
// combinations the Service does not have, and the status bar says why.
func originPicker(sim *netsim.Sim, trace *netsim.Trace, tr func(string, ...string) string) *picker {
	p := &picker{kind: pickOrigin, title: tr("Choose the origin and the way in"), enter: tr("enter: send")}
	add := func(label, from string, via netsim.Via) {
		p.items = append(p.items, choice{label: label, apply: func(r netsim.Request) netsim.Request {
			r.From, r.Via, r.DNSName, r.Endpoint = from, via, "", netsim.ChooseByRules()
			return r
		}})
	}
	si := trace.Service
	hasNP := trace.Port != nil && si.NodePorts[trace.Port.Index] > 0
	if hasNP {
		add(tr("external client {0} via {1}", sim.Config.ClientIP.String(), "nodeport"), "external", netsim.ViaNodePort)
	}
	if len(si.LBIPs) > 0 {
		add(tr("external client via LoadBalancer IP {0}", si.LBIPs[0].String()), "external", netsim.ViaLB)
	}
	inside := func(label, from string) {
		if si.ClusterIP.IsValid() {
			add(tr("{0} via {1}", label, "clusterip"), from, netsim.ViaClusterIP)
		}
		add(tr("{0} via {1}", label, "dns"), from, netsim.ViaDNS)
		if hasNP {
			add(tr("{0} via {1}", label, "nodeport"), from, netsim.ViaNodePort)
		}
	}
	for _, n := range sim.Nodes {
		inside(tr("node {0} {1}", safe(n.Name), n.IP.String()), n.Name)
	}
	for _, pi := range sim.Pods { // all of them: typing finds one among thousands
		ref := pi.Pod.Namespace + "/" + pi.Pod.Name
		inside(tr("Pod {0} {1}", safe(ref), pi.IP.String()), ref)
	}
	return p.done()
}
