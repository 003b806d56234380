// Package tui animates a netsim trace: a diagram of the client, the nodes, the Service and its
// Pods, a packet moving hop by hop, an event list and one line of narration. It computes
// nothing about networking; everything it shows comes from netsim.
//
// The root App routes messages, sizes its children and answers the global keys (play, step,
// speed, the views and panes, quit). Its children are components, each a type with Update,
// View, SetSize and KeyMap in a file of its own: the Services list (services.go), the event
// list (events.go), the picker (picker.go), the YAML pane (yamlpane.go), the packet pane
// (packetpane.go), the rules pane (rulespane.go) and the diagnostics pane (diagpane.go). The
// diagram is the tui/diagram package, which knows nothing of bubbletea. View only reads:
// every cache is filled by Update (sync.go).
package tui

import (
	"context"
	"fmt"
	corev1 "k8s.io/api/core/v1"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/help"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/svcviz/svcviz/internal/i18n"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
	"github.com/svcviz/svcviz/tui/diagram"
)

// Options are what the command line decides.
type Options struct {
	Theme   string // "dark" (default), "light", "projector"
	Lang    string // "en" (default), "ko"
	NoColor bool   // --no-color or NO_COLOR: no colours at all
	ASCII   bool   // --ascii: ASCII-only glyphs (box drawing and arrows are ambiguous-width under CJK locales)
	Request netsim.Request
	Sources []*model.Source
	// Reload re-reads the input the way start-up did; with Watch (the files and directories
	// loaded) it makes the TUI follow edits (--watch). Nil: nothing to reload.
	Reload func() (*netsim.Sim, error)
	Watch  []string
	// Context, when cancelled, ends the TUI at once with the terminal restored (svcviz
	// cancels it on SIGHUP). Nil: runs until quit.
	Context context.Context
}

type mode uint8

const (
	modeNormal mode = iota
	modeHelp
	modePick
)

type focus uint8

const (
	focusDiagram focus = iota
	focusEvents
	focusServices
	focusPane // the detail pane: YAML, rules or diagnostics
)

// paneKind is what the detail band shows beside the packet.
type paneKind uint8

const (
	paneYAML paneKind = iota
	paneRules
	paneDiags
)

// App is the TUI: the root bubbletea model (it implements tea.Model).
type App struct {
	*ui
	sim  *netsim.Sim
	opts Options
	keys KeyMap
	help help.Model

	width, height int
	req           netsim.Request
	trace         *netsim.Trace
	texts         []hopText // per trace.Hops index: the hop's text, terminal-safe
	msg           string    // the last refusal (a bad choice), shown in the status bar
	info          string    // the last good reload, shown in the status bar
	quitting      bool      // a quit key was pressed: the rest of a batch of keys is dropped
	// blocked are the diagnostics of the file as it is now when it could not replace the
	// picture (--watch: an edit that breaks it); nil when the picture is the file's.
	blocked   []model.Diagnostic
	diagOrder diagOrder // diagnostics() in the pane's order

	anim // the hop on screen and the packet's way to it

	mode    mode
	focus   focus
	scrollY int
	scrollX int
	follow  bool

	// The detail band: which pane it shows, whether it is open in place of the diagram (on
	// terminals too small for both) and a line pinned in the YAML pane.
	pane    paneKind
	overlay bool
	pin     *yamlPin

	src      *sources
	pick     *picker
	events   *eventList
	services *serviceList
	yaml     *yamlPane
	packet   *packetPane
	rules    *rulesPane
	diags    *diagPane

	dia   *diagramView // the diagram for the size, trace and view on screen
	lines chromeLines  // the rows the chrome's variable lines take for the trace on screen
}

// New traces opts.Request and returns the model, ready for its first frame.
func New(sim *netsim.Sim, opts Options) (*App, error) {
	if sim == nil {
		return nil, fmt.Errorf("no simulated cluster")
	}
	u := newUI(opts)
	opts.Lang = u.lang
	m := &App{ui: u, sim: sim, opts: opts, keys: keyMapFor(u.lang), help: help.New(), follow: true}
	m.speed = u.theme.Speed - 1
	m.help.Styles = u.theme.helpStyles()
	m.events, m.services = newEventList(u, m.keys), newServiceList(u, m.keys)
	m.yaml, m.packet = newYAMLPane(u, m.keys, nil), newPacketPane(u)
	m.setSources(opts.Sources, sim)
	m.rules, m.diags = newRulesPane(u, m.keys), newDiagPane(u, m.keys)
	m.setCluster(sim)
	if r := opts.Request; r.Service == "" && r.DNSName == "" {
		r.Service, r.Via = firstPicture(sim, r.Via)
		if _, err := sim.Trace(r); err == nil {
			opts.Request = r
		}
	}
	tr, err := sim.Trace(opts.Request)
	var refused *netsim.ServiceInfo
	if si, e := sim.FindService(opts.Request.Service); err != nil && e == nil && !sim.Valid(si) {
		// a Service the API server would refuse: open on the first one it accepts, with the
		// refused one's diagnostics on screen
		r := opts.Request
		r.Service, r.Port, r.Via = "", "", ""
		if t, e := sim.Trace(r); e == nil {
			refused, tr, err, opts.Request = si, t, nil, r
		}
	}
	if si := noneAccepted(sim, opts.Request); err != nil && si != nil {
		// every Service is refused: a picture of what the input has, no packet, the errors listed
		opts.Request.Service = si.Svc.Key()
		refused, tr, err = si, noPacket(si, opts.Request), nil
	}
	if err != nil {
		return nil, err
	}
	m.setTrace(opts.Request, tr)
	if refused != nil {
		m.showRefused(refused)
	}
	m.sync()
	return m, nil
}

// noneAccepted is the Service to picture when the API server would refuse every Service of
// sim: the one req asks for, else the first; nil when one is accepted (or there is none).
func noneAccepted(sim *netsim.Sim, req netsim.Request) *netsim.ServiceInfo {
	for _, si := range sim.Services {
		if sim.Valid(si) {
			return nil
		}
	}
	if si, err := sim.FindService(req.Service); req.Service != "" && err == nil {
		return si
	}
	if len(sim.Services) == 0 {
		return nil
	}
	return sim.Services[0]
}

// noPacket is the trace of a Service that exists in no cluster: no hop, no verdict. The
// screen draws the Service, its nodes and Pods and sends nothing (see App.noPacket).
func noPacket(si *netsim.ServiceInfo, req netsim.Request) *netsim.Trace {
	return &netsim.Trace{Request: req, Service: si}
}

// noPacket reports a picture without a packet: the API server would refuse every Service.
func (m *App) noPacket() bool { return len(m.steps) == 0 }

// firstPicture is the Service the screen opens on when none is asked for, and the way in: the
// first one a client outside the cluster can reach (NodePort, or LoadBalancer through its
// address) that has endpoints, as the story of a real app starts at its front door; else ""
// and via unchanged (netsim's first valid Service, sent from a Pod of another Service).
func firstPicture(sim *netsim.Sim, via netsim.Via) (string, netsim.Via) {
	for _, si := range sim.Services {
		t := si.Svc.Type()
		if !sim.Valid(si) || (t != corev1.ServiceTypeNodePort && t != corev1.ServiceTypeLoadBalancer) {
			continue
		}
		for _, p := range si.Svc.Ports {
			if len(p.Endpoints) == 0 {
				continue
			}
			if t == corev1.ServiceTypeLoadBalancer && via == "" {
				via = netsim.ViaLB
			}
			return si.Svc.Key(), via
		}
	}
	return "", via
}

// Init starts nothing: the model is paused until space.
func (m *App) Init() tea.Cmd { return nil }

// setCluster shows a (re)loaded cluster in the lists and panes.
func (m *App) setCluster(sim *netsim.Sim) {
	m.sim, m.dia = sim, nil
	m.services.SetCluster(sim)
	m.diags.SetDiagnostics(m.diagnostics())
}

// setSources is the files the YAML pane shows: srcs, else what sim's model loaded.
func (m *App) setSources(srcs []*model.Source, sim *netsim.Sim) {
	m.src = newSources(srcs, sim)
	m.yaml.src = m.src
}

// setTrace shows a new trace from its first hop.
func (m *App) setTrace(req netsim.Request, tr *netsim.Trace) {
	m.req, m.trace, m.msg, m.pin = req, tr, "", nil
	m.texts = hopTexts(m.sim, tr, m.lang)
	m.computeSteps()
	m.cur, m.travel, m.dwelt = 0, 0, false
	m.scrollY, m.scrollX, m.follow = 0, 0, true
	m.events.SetTrace(tr, m.texts, m.steps)
	m.services.SetCurrent(tr.Service)
}

// computeSteps selects the hops of the current view.
func (m *App) computeSteps() {
	v := netsim.ViewTeaching
	if m.wire {
		v = netsim.ViewWire
	}
	m.steps = m.trace.Steps(v)
}

// retrace sends a new packet; a request netsim refuses leaves the current trace on screen.
func (m *App) retrace(req netsim.Request) tea.Cmd {
	tr, err := m.sim.Trace(req)
	if err != nil {
		m.msg = oneLine(err.Error()) // it may quote a name from the manifest
		if si, e := m.sim.FindService(req.Service); e == nil && !m.sim.Valid(si) {
			m.showRefused(si)
		}
		return nil
	}
	m.setTrace(req, tr)
	if m.playing {
		m.gen++
		return m.tick()
	}
	return nil
}

// serviceRequest asks for Service i of the list, from the same origin when it can.
func (m *App) serviceRequest(i int) (r netsim.Request) {
	r = m.req
	si := m.sim.Services[i]
	r.Service, r.Port, r.Via, r.DNSName = si.Svc.Key(), "", "", ""
	r.Endpoint = netsim.ChooseByRules()
	return m.keepOrigin(r)
}

// keepOrigin keeps the chosen origin of a request for another Service when netsim can trace
// it from there (a Pod of another namespace can still send to it), else lets netsim choose.
func (m *App) keepOrigin(r netsim.Request) netsim.Request {
	if r.From == "" {
		return r
	}
	if _, err := m.sim.Trace(r); err != nil {
		r.From = ""
	}
	return r
}

// hop is the hop on screen now.
func (m *App) hop() *netsim.Hop {
	if len(m.steps) == 0 {
		return nil
	}
	return &m.trace.Hops[m.steps[m.cur]]
}

// hopText is what the panes show of a hop that comes from the manifest, escaped once when the
// trace is set: its place ("myapp-pod/nginx-container"), its node, and its narration. When the
// input has more than one namespace, a Pod's place starts with its namespace, ns ("dev/").
type hopText struct {
	where, node, text string
	ns                string
	words             int // the narration's length, for the time it rests on screen
}

func hopTexts(sim *netsim.Sim, tr *netsim.Trace, lang string) []hopText {
	out := make([]hopText, len(tr.Hops))
	multi := diagram.MultiNamespace(sim)
	for i := range tr.Hops {
		h := &tr.Hops[i]
		args := h.Args
		if !multi {
			args = bareNames(args)
		}
		t := model.Escape(i18n.Text(lang, h.Narration, args...))
		out[i] = hopText{where: model.Escape(h.Where), node: model.Escape(h.Node), text: t, words: len(strings.Fields(t))}
		switch ns, rest, ok := hopNamespace(h); {
		case ok && multi:
			out[i].ns = model.Escape(ns + "/")
			out[i].where = out[i].ns + model.Escape(rest)
		case ok:
			out[i].where = model.Escape(rest) // one namespace: no "default/" before every name
		}
	}
	return out
}

// bareNames drops the namespace from the objects a narration names ("@pod:default/web" →
// "@pod:web"): with one namespace in the input it says nothing and crowds the sentence.
func bareNames(args []string) []string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if kind, ref, ok := strings.Cut(a, ":"); ok && strings.HasPrefix(kind, "@") {
			if _, name, ok := strings.Cut(ref, "/"); ok {
				out[i] = kind + ":" + name
			}
		}
	}
	return out
}

// hopNamespace is the namespace of the Pod a hop happens at and the hop's place without it:
// the sender's place already names its namespace ("dev/client"); a Pod that receives or
// refuses is named bare ("api-…-6d7ff/api").
func hopNamespace(h *netsim.Hop) (ns, rest string, ok bool) {
	if h.Pod == nil {
		return "", "", false
	}
	switch p := h.Pod.Pod; h.Action {
	case netsim.ActSend, netsim.ActDNSQuery:
		return p.Namespace, p.Name, true
	case netsim.ActDeliver, netsim.ActRefuse, netsim.ActReply:
		return p.Namespace, h.Where, true
	}
	return "", "", false
}

// text is the hop on screen's terminal-safe text.
func (m *App) text() hopText {
	if m.noPacket() {
		return hopText{}
	}
	return m.texts[m.steps[m.cur]]
}

// hopNo is the hop on screen as the screen counts it everywhere: its position in the current
// view and the view's length, "3/8" (not netsim's step id, which counts teaching-only hops).
func (m *App) hopNo() string {
	if m.noPacket() {
		return "-"
	}
	return strconv.Itoa(m.cur+1) + "/" + strconv.Itoa(len(m.steps))
}

// originLabel names where a trace starts, for people: the request's From as it was asked,
// else the sender netsim picked ("dev/client", "client-7f9c…" when the input has one
// namespace, "node02", or "client" outside the cluster).
func originLabel(tr *netsim.Trace, multi bool) string {
	if tr.Request.From != "" {
		return tr.Request.From
	}
	switch o := tr.Origin; {
	case o.Pod != nil && !multi:
		return o.Pod.Pod.Name
	case o.Pod != nil:
		return o.Pod.Pod.Key()
	case o.Node != nil:
		return o.Node.Name
	}
	return "client"
}

// Trace is the trace on screen (for tests and the CLI).
func (m *App) Trace() *netsim.Trace { return m.trace }

// Step is the position on screen: the hop shown (1-based within the view) and their count.
func (m *App) Step() (int, int) { return m.cur + 1, len(m.steps) }

// Playing reports whether the animation runs.
func (m *App) Playing() bool { return m.playing }
