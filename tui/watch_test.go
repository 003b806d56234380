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
	if stripStatus(v) != stripStatus(before) {
		t.Fatal("a failed reload changed the picture")
	}

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

func lastLine(v string) string { return v[strings.LastIndex(v, "\n")+1:] }

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
