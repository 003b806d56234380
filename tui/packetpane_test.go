package tui

import (
	"strings"
	"testing"
)

// The packet pane's heading at 80x24 drops words before it cuts the hop's action; the
// diagnostics pane's heading drops its hint before its counts, and marks a cut with "…".
func TestPaneHeadingsFit(t *testing.T) {
	for _, path := range []string{sampleNodePort, sampleBroken, sampleNamespaces, "../samples/broken-targetport.yaml"} {
		for _, lang := range []string{"en", "ko"} {
			m := newApp(t, path, 80, 24, Options{Lang: lang})
			_, n := m.Step()
			for i := range n {
				v := m.View()
				if act := m.action(m.hop().Action); !strings.Contains(v, " "+act+" ") && !strings.Contains(v, " "+act+"│") {
					t.Errorf("%s %s hop %d: the packet pane's heading cuts %q:\n%s", path, lang, i+1, act, v)
				}
				m.Update(keyMsg("right"))
			}
		}
	}
	m := newApp(t, sampleBroken, 80, 24, Options{})
	for _, c := range []struct {
		w    int
		want string
	}{
		{80, "Diagnostics 1 warning  (enter: show in YAML, d: close)"},
		{40, "Diagnostics 1 warning  (d: close)"},
		{25, "Diagnostics 1 warning"},
		{15, "Diagnostics 1 …"},
	} {
		p := newDiagPane(m.ui, m.keys)
		p.SetDiagnostics(m.sim.Diagnostics)
		p.SetSize(c.w, 5)
		got := rows(p.View())[0]
		if strings.TrimRight(got, " ") != c.want || len([]rune(got)) != c.w {
			t.Errorf("diagnostics heading in %d cells: %q, want %q", c.w, got, c.want)
		}
	}
}

// The packet pane shows the rewrite and, once NAT has happened, the conntrack entry.
func TestPacketPaneShowsConntrack(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	p := m.packet
	if strings.Contains(p.View(), "conntrack") {
		t.Fatal("conntrack before any NAT")
	}
	for m.hop().Action != "dnat" {
		m.Update(keyMsg("right"))
	}
	v := p.View()
	for _, want := range []string{"dst   192.168.1.2:30008", "⇒ 10.244.0.2:80", "conntrack", "orig  192.168.1.10:51000", "reply 10.244.0.2:80"} {
		if !strings.Contains(v, want) {
			t.Errorf("packet pane at the DNAT lacks %q:\n%s", want, v)
		}
	}
}
