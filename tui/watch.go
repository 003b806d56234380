package tui

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/fsnotify/fsnotify"

	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// reloadMsg is a reload's result, sent by the watcher's goroutine: the input read again, or
// why it could not be.
type reloadMsg struct {
	sim *netsim.Sim
	err error
}

// settle is how long a burst of file events must be quiet before a reload: an editor's save
// is several events (truncate, write, rename), and a half-written file is not worth loading.
const settle = 150 * time.Millisecond

// watcher follows the loaded files with fsnotify: event-driven, so nothing ticks while the
// files are left alone.
type watcher struct {
	w      *fsnotify.Watcher
	files  map[string]bool // files loaded by name
	dirs   map[string]bool // directories loaded whole
	reload func() (*netsim.Sim, error)
	send   func(tea.Msg)
	done   chan struct{}
}

// startWatch watches paths (files and directories) and sends a reloadMsg after each change.
// Files are watched through their directory, because editors save by renaming a new file over
// the old one, which ends a watch on the file itself.
func startWatch(paths []string, reload func() (*netsim.Sim, error), send func(tea.Msg)) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{w: fw, files: map[string]bool{}, dirs: map[string]bool{}, reload: reload, send: send, done: make(chan struct{})}
	added := map[string]bool{}
	for _, p := range paths {
		if p == "-" || p == "" {
			continue // stdin cannot change
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		dirs := []string{filepath.Dir(abs)}
		if st, err := os.Stat(abs); err == nil && st.IsDir() {
			dirs = subdirs(abs) // the loader reads them all
			for _, d := range dirs {
				w.dirs[d] = true
			}
		} else {
			w.files[abs] = true
		}
		for _, dir := range dirs {
			if !added[dir] {
				if err := fw.Add(dir); err != nil {
					fw.Close()
					return nil, err
				}
				added[dir] = true
			}
		}
	}
	go w.run()
	return w, nil
}

// subdirs returns root and every directory under it, as model.Load walks them.
func subdirs(root string) []string {
	var out []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	if len(out) == 0 {
		out = []string{root}
	}
	return out
}

// Close stops the watcher and its goroutine.
func (w *watcher) Close() {
	close(w.done)
	w.w.Close()
}

// run turns bursts of relevant events into reloads. It recovers its own panics: a crash here
// must not take the terminal down with it, and is reported as a failed reload.
func (w *watcher) run() {
	defer func() {
		if r := recover(); r != nil {
			w.send(reloadMsg{err: fmt.Errorf("file watcher stopped: %v", r)})
		}
	}()
	var quiet <-chan time.Time // armed only while a burst of events is settling
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			if w.relevant(ev) {
				quiet = time.After(settle)
			}
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			w.send(reloadMsg{err: err})
		case <-quiet:
			quiet = nil
			w.send(w.load())
		}
	}
}

func (w *watcher) relevant(ev fsnotify.Event) bool {
	if !ev.Has(fsnotify.Write) && !ev.Has(fsnotify.Create) && !ev.Has(fsnotify.Remove) && !ev.Has(fsnotify.Rename) {
		return false
	}
	name := filepath.Clean(ev.Name)
	if w.files[name] {
		return true
	}
	ext := strings.ToLower(filepath.Ext(name))
	return w.dirs[filepath.Dir(name)] && (ext == ".yaml" || ext == ".yml" || ext == ".json")
}

// load runs the reload, turning a panic in it into an error.
func (w *watcher) load() (msg reloadMsg) {
	defer func() {
		if r := recover(); r != nil {
			msg = reloadMsg{err: fmt.Errorf("reload crashed: %v", r)}
		}
	}()
	sim, err := w.reload()
	return reloadMsg{sim: sim, err: err}
}

// onReload shows a reloaded cluster, tracing the same Service, port, origin and view and
// staying on the same hop where it can. A reload that fails keeps the picture on screen and
// says why in the status bar.
func (m *App) onReload(msg reloadMsg) tea.Cmd {
	if err := reloadError(msg); err != "" {
		m.msg, m.info = m.tr("reload failed:")+" "+err, ""
		m.block(msg)
		return nil
	}
	tr, req, err := traceAgain(msg.sim, m.req)
	if err != nil {
		m.msg, m.info = m.tr("reload:")+" "+oneLine(err.Error()), ""
		m.block(msg)
		return nil
	}
	m.blocked = nil
	cur, playing := m.cur, m.playing
	m.setSources(msg.sim.Cluster.Sources, msg.sim)
	m.setCluster(msg.sim)
	m.setTrace(req, tr)
	m.jump(min(cur, len(m.steps)-1))
	if m.mode == modePick {
		m.rebuildPicker()
	}
	m.settle()
	m.info = m.tr("reloaded: {0}, {1}", m.count(len(msg.sim.Services), "Service"), m.count(len(msg.sim.Diagnostics), "diagnostic"))
	if playing {
		m.playing, m.follow = true, true
		m.gen++
		return m.tick()
	}
	return nil
}

// block keeps the picture after a reload that cannot replace it, and lists the file's
// problems as it is now in the diagnostics pane: the one that blocked the reload among them.
func (m *App) block(msg reloadMsg) {
	if msg.sim == nil {
		return
	}
	m.blocked = msg.sim.Diagnostics
	if m.blocked == nil {
		m.blocked = []model.Diagnostic{}
	}
	if msg.sim.Cluster != nil && len(msg.sim.Cluster.Sources) > 0 {
		// the YAML pane shows the file as it is now, so a diagnostic's line points into the
		// text it is about; the picture stays the last good one, and the pane's heading says so
		m.setSources(msg.sim.Cluster.Sources, msg.sim)
		m.pin = nil // a pinned line was in the last good text
	}
}

// rebuildPicker lists the open picker's entries again from the cluster on screen (a reload
// replaced it: the old entries would trace Services and Pods that may be gone), keeping the
// filter and, when it is still there, the selected entry.
func (m *App) rebuildPicker() {
	old := m.pick
	var p *picker
	switch old.kind {
	case pickOrigin:
		p = originPicker(m.ui, m.sim, m.trace)
	default:
		p = servicePicker(m.ui, m.sim, m.trace)
	}
	p.SetSize(old.w, old.h)
	if old.sel < len(old.items) {
		want := old.items[old.sel].label
		for i, c := range p.all {
			if c.label == want {
				p.sel = i
			}
		}
	}
	p.setFilter(old.filter)
	m.pick = p
}

// reloadError is why a reload cannot replace the picture: it failed, or a file no longer
// parses (the loader keeps going past bad YAML, which would make its objects vanish).
func reloadError(msg reloadMsg) string {
	if msg.err != nil {
		return oneLine(msg.err.Error())
	}
	if msg.sim == nil {
		return "nothing loaded"
	}
	for _, d := range msg.sim.Diagnostics {
		if d.Severity == model.Error && (d.Code == model.CodeInvalidYAML || d.Code == model.CodeInvalidObject) {
			return oneLine(d.Location() + ": " + d.Code + ": " + d.Message)
		}
	}
	if len(msg.sim.Services) == 0 {
		return "no Services in the input"
	}
	return ""
}

// traceAgain traces the request in the new cluster, giving up first the origin and way in,
// then the port, then the Service, as the edit may have removed them.
func traceAgain(sim *netsim.Sim, req netsim.Request) (*netsim.Trace, netsim.Request, error) {
	tries := []func(r netsim.Request) netsim.Request{
		func(r netsim.Request) netsim.Request { return r },
		func(r netsim.Request) netsim.Request {
			r.From, r.Via, r.DNSName, r.Endpoint = "", "", "", netsim.ChooseByRules()
			return r
		},
		func(r netsim.Request) netsim.Request { r.Port = ""; return r },
		func(r netsim.Request) netsim.Request { r.Service = ""; return r },
	}
	var err error
	for _, f := range tries {
		req = f(req)
		var tr *netsim.Trace
		if tr, err = sim.Trace(req); err == nil {
			return tr, req, nil
		}
	}
	return nil, req, err
}
