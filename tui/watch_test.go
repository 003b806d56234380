package tui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/svcviz/svcviz/model"
	"github.com/svcviz/svcviz/netsim"
)

// TestReloadRebuildsPicker: a reload while a picker is open lists the new cluster's entries
// (keeping the filter), so enter traces what is there now; the scroll and focus are kept
// within what the new picture has.
func TestReloadRebuildsPicker(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	m.Update(keyMsg("s"))
	m.Update(keyMsg("e"))
	m.Update(reloadMsg{sim: loadSim(t, "../samples/multi-port.yaml", 1)})
	if m.mode != modePick {
		t.Fatal("the reload closed the picker the user was in")
	}
	v := m.View()
	if strings.Contains(v, "myapp-service  80/TCP") {
		t.Fatalf("the picker still lists the old cluster's Services:\n%s", v)
	}
	if m.pick.filter != "e" || len(m.pick.all) == 0 {
		t.Fatalf("filter %q, %d entries", m.pick.filter, len(m.pick.all))
	}
	for _, c := range m.pick.all {
		if strings.Contains(c.label, "myapp-service") {
			t.Fatalf("stale entry %q", c.label)
		}
	}
	m.Update(keyMsg("enter"))
	if m.msg != "" || !containsService(m.sim, m.trace.Service) {
		t.Fatalf("enter after the reload: %q, traced %s", m.msg, m.trace.Service.Svc.Name)
	}

	// The origin picker is rebuilt from the new cluster too.
	m.Update(keyMsg("o"))
	m.Update(reloadMsg{sim: loadSim(t, "../samples/deployment.yaml", 1)})
	if m.mode != modePick || m.pick.kind != pickOrigin {
		t.Fatal("the reload closed the origin picker or changed its kind")
	}
	fresh := originPicker(m.ui, m.sim, m.trace)
	if len(m.pick.all) != len(fresh.all) {
		t.Fatalf("origin picker has %d entries after the reload, the new cluster %d", len(m.pick.all), len(fresh.all))
	}
}

func containsService(sim *netsim.Sim, si *netsim.ServiceInfo) bool {
	for _, s := range sim.Services {
		if s == si {
			return true
		}
	}
	return false
}

// TestReloadKeepsPanesInRange: at 80x24 a pane open in place of the diagram, focused and
// scrolled, stays consistent when a reload brings a cluster whose picture differs.
func TestReloadKeepsPanesInRange(t *testing.T) {
	m := newApp(t, "../samples/deployment.yaml", 80, 24, Options{})
	m.Update(keyMsg("i"))
	m.Update(keyMsg("tab"))
	for m.focus != focusPane {
		m.Update(keyMsg("tab"))
	}
	for range 40 {
		m.Update(keyMsg("down"))
	}
	m.Update(tea.KeyMsg{Type: tea.KeyPgDown})
	m.Update(reloadMsg{sim: loadSim(t, sampleNodePort, 1)})
	if at, _ := m.rules.scroll.at.(paneAt); at.tr != m.trace || m.rules.scroll.off != 0 {
		t.Fatalf("stale pane scroll %+v at %d", at, m.rules.scroll.off)
	}
	if m.focus == focusPane && !m.paneShown() {
		t.Fatal("focus on a pane that is not shown")
	}
	checkSize(t, m.View(), 80, 24)
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	if m.overlay && m.bandHeight() > 0 {
		t.Fatal("a pane open in place of the diagram while the band shows it")
	}
	checkSize(t, m.View(), 120, 40)
}

// reloader loads path as the CLI's --watch does: the same load as start-up.
func reloader(path string) func() (*netsim.Sim, error) {
	return func() (*netsim.Sim, error) {
		c, err := model.Load([]string{path}, model.Options{})
		if err != nil {
			return nil, err
		}
		return netsim.New(c, netsim.DefaultConfig()), nil
	}
}

func writeFile(t *testing.T, path, s string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReloadKeepsLastGood drives reloads through the watcher's message: invalid YAML keeps the
// picture and says why in the status bar; the fix is traced again on the same hop and view.
func TestReloadKeepsLastGood(t *testing.T) {
	good, err := os.ReadFile(sampleNodePort)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.yaml")
	writeFile(t, path, string(good))
	reload := reloader(path)
	sim, _ := reload()
	m, err := New(sim, Options{Request: netsim.Request{}, Reload: reload, Watch: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	m.Update(keyMsg("w"))
	for range 4 {
		m.Update(keyMsg("right"))
	}
	cur := m.cur
	before := m.View()

	writeFile(t, path, string(good)+"\nkind: [\x1b\n")
	m.Update(loadMsg(reload))
	v := m.View()
	if !strings.Contains(v, "reload failed: ") || !strings.Contains(v, "invalid-yaml") || strings.Contains(v, "\x1b") {
		t.Fatalf("invalid YAML: status bar\n%s", lastLine(v))
	}
	if m.cur != cur || topRows(v, 12) != topRows(before, 12) {
		t.Fatal("a failed reload changed the picture")
	}
	// the diagnostics pane lists the file as it is now, with the error that blocked the reload
	m.Update(keyMsg("d"))
	if v := stripStatus(m.View()); !strings.Contains(v, "error invalid-yaml") {
		t.Fatalf("the diagnostics pane lacks the blocking error:\n%s", v)
	}
	m.Update(keyMsg("d"))

	writeFile(t, path, strings.Replace(string(good), "nodePort: 30008", "nodePort: 30123", 1))
	m.Update(loadMsg(reload))
	v = m.View()
	if !strings.Contains(v, ":30123") || !strings.Contains(v, "reloaded: 1 Service") || strings.Contains(v, "reload failed") {
		t.Fatalf("good reload:\n%s", v)
	}
	if !m.wire || m.cur != cur {
		t.Fatalf("reload lost the view or the hop: wire %v cur %d, want %d", m.wire, m.cur, cur)
	}

	m.Update(reloadMsg{err: errors.New("open app.yaml:\n permission \x07denied")})
	if l := lastLine(m.View()); !strings.Contains(l, `reload failed: open app.yaml: permission \adenied`) {
		t.Fatalf("unreadable file: %q", l)
	}
}

func loadMsg(reload func() (*netsim.Sim, error)) tea.Msg {
	sim, err := reload()
	return reloadMsg{sim: sim, err: err}
}

// lastLine is the status bar's text with the rows a long message wraps over above it: the
// last five rows, their words joined by single spaces.
func lastLine(v string) string {
	rows := strings.Split(v, "\n")
	return strings.Join(strings.Fields(strings.Join(rows[max(len(rows)-5, 0):], " ")), " ")
}

// topRows are the first n rows of a view: the header and the top of the picture, which a
// message wrapped over rows of its own at the bottom does not move.
func topRows(v string, n int) string {
	rows := strings.Split(v, "\n")
	return strings.Join(rows[:min(n, len(rows))], "\n")
}

func stripStatus(v string) string { return v[:strings.LastIndex(v, "\n")] }

// TestWatchSendsReload is the real thing: fsnotify sees an edit (an editor's rename-over too)
// and the watcher sends the reloaded cluster.
func TestWatchSendsReload(t *testing.T) {
	good, err := os.ReadFile(sampleNodePort)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "app.yaml")
	writeFile(t, path, string(good))
	got := make(chan tea.Msg, 8)
	w, err := startWatch([]string{path}, reloader(path), func(msg tea.Msg) { got <- msg })
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	writeFile(t, filepath.Join(dir, "other.txt"), "not watched")
	tmp := filepath.Join(dir, ".app.yaml.swp")
	writeFile(t, tmp, strings.Replace(string(good), "nodePort: 30008", "nodePort: 30200", 1))
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	select {
	case msg := <-got:
		r, ok := msg.(reloadMsg)
		if !ok || r.err != nil {
			t.Fatalf("watcher sent %#v", msg)
		}
		if tr, err := r.sim.Trace(netsim.Request{}); err != nil || tr.Hops[0].After.Dst.Port() != 30200 {
			t.Fatalf("reloaded trace goes to %v (%v)", tr.Hops[0].After.Dst, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no reload within 5s of the edit")
	}
}

// TestWatchRecoversPanic: a panic in the reload is reported as a failed reload, not a crash.
func TestWatchRecoversPanic(t *testing.T) {
	w := &watcher{reload: func() (*netsim.Sim, error) { panic("boom") }}
	if msg := w.load(); msg.err == nil || !strings.Contains(msg.err.Error(), "boom") {
		t.Fatalf("panic in reload: %v", msg.err)
	}
}

// TestWatchSubdirectory: `--watch DIR` follows the subdirectories it loaded.
func TestWatchSubdirectory(t *testing.T) {
	good, err := os.ReadFile(sampleNodePort)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sub := filepath.Join(dir, "apps", "web")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(sub, "app.yaml")
	writeFile(t, path, string(good))
	got := make(chan tea.Msg, 8)
	w, err := startWatch([]string{dir}, reloader(dir), func(msg tea.Msg) { got <- msg })
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	writeFile(t, path, strings.Replace(string(good), "nodePort: 30008", "nodePort: 30200", 1))
	select {
	case msg := <-got:
		r, ok := msg.(reloadMsg)
		if !ok || r.err != nil {
			t.Fatalf("watcher sent %#v", msg)
		}
		if tr, err := r.sim.Trace(netsim.Request{}); err != nil || tr.Hops[0].After.Dst.Port() != 30200 {
			t.Fatalf("reloaded trace goes to %v (%v)", tr.Hops[0].After.Dst, err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no reload within 5s of an edit in a subdirectory")
	}
}

// TestReloadErrorWrapped: a reload error too long for the status bar is wrapped over rows of
// its own above it, whole (file, line and what is wrong), not cut with "…".
func TestReloadErrorWrapped(t *testing.T) {
	good, err := os.ReadFile(sampleNodePort)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.yaml")
	writeFile(t, path, string(good))
	reload := reloader(path)
	sim, _ := reload()
	m, err := New(sim, Options{Reload: reload, Watch: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []int{120, 80} {
		m.Update(tea.WindowSizeMsg{Width: w, Height: 36 - (120-w)/4})
		writeFile(t, path, strings.Replace(string(good), "  name: myapp-service\n", "  name: myapp-service\n\tlabels: x\n", 1))
		m.Update(loadMsg(reload))
		v := m.View()
		want := "reload failed: " + path + ":34: invalid-yaml: found a tab character that violates indentation"
		if !strings.Contains(lastLine(v), want) || strings.Contains(lastLine(v), "…") || len(m.msgLines()) == 0 {
			t.Fatalf("%d cols: the reload error is not whole:\n%s", w, v)
		}
		if got := len(strings.Split(v, "\n")); got != m.height {
			t.Fatalf("%d cols: %d rows on a %d-row screen", w, got, m.height)
		}
		writeFile(t, path, string(good))
		m.Update(loadMsg(reload))
	}
}

// TestBlockedReloadShowsCurrentText: after a reload the picture cannot take, the YAML pane
// shows the file as it is now — so the blocking diagnostic's line points into the text it is
// about — and says the picture is the last good one; a good reload drops the note.
func TestBlockedReloadShowsCurrentText(t *testing.T) {
	good, err := os.ReadFile(sampleNodePort)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "app.yaml")
	writeFile(t, path, string(good))
	reload := reloader(path)
	sim, _ := reload()
	m, err := New(sim, Options{Reload: reload, Watch: []string{path}})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 36})
	edited := "# edited after the last good load\n# another line\n" + string(good) + "\nkind: [\n"
	writeFile(t, path, edited)
	m.Update(loadMsg(reload))
	if m.blocked == nil || len(m.yaml.lines) == 0 || m.yaml.lines[0] != "# edited after the last good load" {
		t.Fatalf("the YAML pane does not show the file as it is now: %q", m.yaml.lines[:min(2, len(m.yaml.lines))])
	}
	if v := m.View(); !strings.Contains(v, "(file now, picture last good)") || strings.Contains(v, "▸42") {
		t.Fatalf("the YAML pane does not say the picture is the last good one:\n%s", v)
	}
	// the blocking diagnostic, selected, shows its own line of the current text
	m.Update(keyMsg("d"))
	m.Update(keyMsg("enter"))
	want := strings.Count(edited, "\n") // the line of "kind: ["
	if m.pin == nil || m.pin.t.Line != want || !strings.Contains(markedLine(t, m.View()), "kind: [") {
		t.Fatalf("the blocking error's line %d is not shown in the current text: pin %+v\n%s", want, m.pin, m.View())
	}
	writeFile(t, path, string(good))
	m.Update(loadMsg(reload))
	if v := m.View(); m.blocked != nil || strings.Contains(v, "picture last good") || m.yaml.lines[0] == "# edited after the last good load" {
		t.Fatalf("a good reload kept the note or the old text:\n%s", v)
	}
}
