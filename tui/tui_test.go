package tui

import (
	"time"

	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

func TestSampleScreen(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	v := m.View()
	for _, want := range []string{"192.168.1.2", "10.244.0.0/24", ":30008", "myapp-service", "10.96.0.11:80", "myapp-pod 10.244.0.2:80", "192.168.1.10"} {
		if !strings.Contains(v, want) {
			t.Errorf("first frame lacks %q:\n%s", want, v)
		}
	}
	checkSize(t, v, 120, 36)
}

func checkSize(t *testing.T, v string, w, h int) {
	t.Helper()
	lines := strings.Split(v, "\n")
	if len(lines) != h {
		t.Fatalf("view has %d lines, want %d", len(lines), h)
	}
	for i, l := range lines {
		if n := ansi.StringWidth(l); n != w {
			t.Fatalf("line %d is %d cells wide, want %d: %q", i, n, w, l)
		}
	}
}

// TestStepForwardAndBack walks every hop with → and back with ←, checking the packet line.
func TestStepForwardAndBack(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	_, n := m.Step()
	var seen []string
	for i := 0; i < n; i++ {
		h := m.hop()
		if k, _ := m.Step(); k != i+1 {
			t.Fatalf("step %d shows hop %d", i+1, k)
		}
		if !strings.Contains(m.View(), " hop "+itoa(i+1)+"/"+itoa(n)+"  "+h.Where) {
			t.Fatalf("view does not label hop %d/%d (%s)", i+1, n, h.Where)
		}
		seen = append(seen, h.Where)
		if _, cmd := m.Update(keyMsg("right")); cmd != nil {
			t.Fatal("stepping while paused returned a command")
		}
	}
	if k, _ := m.Step(); k != n {
		t.Fatalf("→ past the end moved to %d", k)
	}
	for i := n - 1; i > 0; i-- {
		m.Update(keyMsg("left"))
		if got := m.hop().Where; got != seen[i-1] {
			t.Fatalf("← to step %d shows %s, want %s", i, got, seen[i-1])
		}
	}
}

func itoa(i int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(i)) }

func fmtInt(i int) string {
	if i < 10 {
		return string(rune('0' + i))
	}
	return fmtInt(i/10) + string(rune('0'+i%10))
}

// TestPlayTicksOnlyWhilePlaying: space arms one frame command, the view changes over frames,
// and a pause drops the frame in flight and arms nothing.
func TestPlayTicksOnlyWhilePlaying(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	first := m.View()
	_, cmd := m.Update(keyMsg(" "))
	if cmd == nil || !m.Playing() {
		t.Fatal("space did not start playing")
	}
	changed := false
	for range 10 {
		_, cmd = m.Update(frameMsg{gen: m.gen})
		if cmd == nil {
			t.Fatal("a frame while playing did not arm the next")
		}
		changed = changed || m.View() != first
	}
	if !changed {
		t.Fatal("the view did not change while playing")
	}
	stale := frameMsg{gen: m.gen}
	if _, cmd = m.Update(keyMsg(" ")); cmd != nil || m.Playing() {
		t.Fatal("pause returned a command")
	}
	before := m.View()
	if _, cmd = m.Update(stale); cmd != nil {
		t.Fatal("a frame in flight at pause re-armed the tick")
	}
	if m.View() != before {
		t.Fatal("a stale frame moved the packet")
	}
}

// TestPlayRunsToTheEnd plays the whole trace and stops ticking at the last hop.
func TestPlayRunsToTheEnd(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	_, cmd := m.Update(keyMsg(" "))
	for i := 0; cmd != nil; i++ {
		if i > 10000 {
			t.Fatal("playing never ended")
		}
		_, cmd = m.Update(frameMsg{gen: m.gen})
	}
	if k, n := m.Step(); k != n || m.Playing() {
		t.Fatalf("stopped at %d/%d, playing %v", k, n, m.Playing())
	}
	if !strings.Contains(m.View(), "verdict: delivered") {
		t.Fatal("status bar lacks the verdict")
	}
}

func TestRejectedTraceMarksTheStop(t *testing.T) {
	m := newModel(t, sampleBroken, 120, 36, Options{})
	for range 5 {
		m.Update(keyMsg("right"))
	}
	v := m.View()
	for _, want := range []string{"✗ rejected", "verdict: rejected", "no Pod selected"} {
		if !strings.Contains(v, want) {
			t.Errorf("rejected trace lacks %q:\n%s", want, v)
		}
	}
}

func TestWireViewToggle(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	_, teaching := m.Step()
	m.Update(keyMsg("w"))
	_, wire := m.Step()
	if wire <= teaching || !strings.Contains(m.View(), "wire view") {
		t.Fatalf("wire view shows %d hops, teaching %d", wire, teaching)
	}
	for _, i := range m.steps {
		if !m.trace.Hops[i].Wire {
			t.Fatal("wire view shows a teaching-only hop")
		}
	}
}

func TestSendAgainAndRestart(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	m.Update(keyMsg("right"))
	m.Update(keyMsg("r"))
	if k, _ := m.Step(); k != 1 {
		t.Fatalf("restart left the packet at hop %d", k)
	}
	seed := m.req.Seed
	m.Update(keyMsg("n"))
	if m.req.Seed != seed+1 {
		t.Fatal("n did not send a packet with a new seed")
	}
}

func TestSpeedSteps(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	for range 10 {
		m.Update(keyMsg("-"))
	}
	slow := m.speed
	for range 10 {
		m.Update(keyMsg("+"))
	}
	if m.speed-slow+1 < 5 || speeds[slow].cell <= speeds[m.speed].cell {
		t.Fatalf("speeds %d..%d", slow, m.speed)
	}
}

// TestClassroomPace: at the slowest speed (the projector's default) a hop takes 6-8 s on
// average, a longer narration rests longer, faster speeds rest less per word, and no tick is
// asked for while paused.
func TestClassroomPace(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{Theme: "projector"})
	if m.speed != 0 {
		t.Fatalf("projector starts at speed %d", m.speed+1)
	}
	var total time.Duration
	minW, maxW := -1, -1
	for i := range m.steps {
		jumpTo(m, i)
		path := m.diagram().Paths[i]
		total += time.Duration(max(len(path)-1, 0))*speeds[0].cell + m.rest()
		if minW < 0 || m.text().words < m.texts[m.steps[minW]].words {
			minW = i
		}
		if maxW < 0 || m.text().words > m.texts[m.steps[maxW]].words {
			maxW = i
		}
	}
	avg := total / time.Duration(len(m.steps))
	t.Logf("slowest: %v a hop on average", avg)
	if avg < 6*time.Second || avg > 8*time.Second {
		t.Errorf("slowest speed: %v a hop on average, want 6-8 s", avg)
	}
	jumpTo(m, minW)
	short := m.rest()
	jumpTo(m, maxW)
	if long := m.rest(); long-short < time.Duration(m.text().words-m.texts[m.steps[minW]].words)*200*time.Millisecond {
		t.Errorf("a %d-word narration rests %v, a %d-word one %v", m.text().words, long, m.texts[m.steps[minW]].words, short)
	}
	for i := 1; i < len(speeds); i++ {
		if speeds[i].word > speeds[i-1].word || speeds[i].rest > speeds[i-1].rest {
			t.Errorf("speed %d rests longer than speed %d", i+1, i)
		}
	}
	m.Update(keyMsg(" "))
	if _, cmd := m.Update(keyMsg(" ")); cmd != nil || m.playing {
		t.Error("pausing asked for a tick")
	}
}

func TestEventListJump(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	m.Update(keyMsg("tab"))
	m.Update(keyMsg("down"))
	m.Update(keyMsg("down"))
	m.Update(keyMsg("enter"))
	if k, _ := m.Step(); k != 3 {
		t.Fatalf("enter on the third event shows hop %d", k)
	}
	m.Update(tea.MouseMsg{X: 110, Y: 1 + 4, Action: tea.MouseActionPress, Button: tea.MouseButtonLeft})
	if k, _ := m.Step(); k != 1 {
		t.Fatalf("a click on the first event shows hop %d", k)
	}
}

func TestPickers(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	m.Update(keyMsg("s"))
	if !strings.Contains(m.View(), "default/myapp-service  80/TCP") {
		t.Fatalf("service picker:\n%s", m.View())
	}
	m.Update(keyMsg("enter"))
	m.Update(keyMsg("o"))
	m.Update(keyMsg("down"))
	m.Update(keyMsg("enter"))
	if m.mode != modeNormal || m.trace.Request.From != "node01" {
		t.Fatalf("origin picker: mode %d, from %q, msg %q", m.mode, m.trace.Request.From, m.msg)
	}
}

func TestSmallTerminal(t *testing.T) {
	m := newModel(t, sampleNodePort, 60, 20, Options{})
	v := m.View()
	if !strings.Contains(v, "enlarge the window") {
		t.Fatalf("small terminal:\n%s", v)
	}
	checkSize(t, v, 60, 20)
	for _, sz := range [][2]int{{80, 24}, {100, 30}, {200, 60}, {1, 1}} {
		m.Update(tea.WindowSizeMsg{Width: sz[0], Height: sz[1]})
		checkSize(t, m.View(), sz[0], sz[1])
	}
}

func TestPlainAndASCII(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{ASCII: true, NoColor: true, Theme: "projector"})
	for range 4 { // to the DNAT
		m.Update(keyMsg("right"))
	}
	v := m.View()
	if strings.ContainsAny(v, "─│┌→●◉") || strings.Contains(v, "\x1b[") {
		t.Fatalf("ASCII/no-color view has box drawing, arrows or escapes:\n%s", v)
	}
	if !strings.Contains(v, "~~192.168.1.2:30008~~ 10.244.0.2:80") {
		t.Fatalf("DNAT not shown as a rewrite:\n%s", v)
	}
}

func TestKoreanNarrationFits(t *testing.T) {
	m := newModel(t, sampleNodePort, 80, 24, Options{Lang: "ko"})
	for range 3 {
		m.Update(keyMsg("right"))
		checkSize(t, m.View(), 80, 24)
	}
}

func TestQuit(t *testing.T) {
	m := newModel(t, sampleNodePort, 120, 36, Options{})
	for _, k := range []string{"q", "ctrl+c"} {
		if _, cmd := m.Update(keyMsg(k)); cmd == nil {
			t.Fatalf("%s did not quit", k)
		} else if _, ok := cmd().(tea.QuitMsg); !ok {
			t.Fatalf("%s did not quit", k)
		}
	}
}

// TestServiceChoiceKeepsOrigin: choosing another Service (the list or the s picker) keeps the
// chosen origin when it can still send there, and falls back to the default when it cannot.
func TestServiceChoiceKeepsOrigin(t *testing.T) {
	m := newModel(t, "../samples/namespaces.yaml", 120, 36, Options{})
	var prod, dev int
	for i, si := range m.sim.Services {
		switch si.Svc.Namespace {
		case "prod":
			prod = i
		case "dev":
			dev = i
		}
	}
	var from string
	for _, pi := range m.sim.Pods {
		if pi.Pod.Namespace == "prod" {
			from = "prod/" + pi.Pod.Name // not the default sender (dev/client)
		}
	}
	r := m.serviceRequest(dev)
	r.From = from
	retraceTo(m, r)
	if originLabel(m.trace) != from {
		t.Fatalf("origin %q, want %q", originLabel(m.trace), from)
	}
	retraceTo(m, m.serviceRequest(prod))
	if got := originLabel(m.trace); got != from || m.trace.Service != m.sim.Services[prod] {
		t.Fatalf("after choosing prod/api the origin is %q, want %q", got, from)
	}
	m.Update(keyMsg("s"))
	for i, it := range m.pick.items {
		if strings.Contains(it.label, "dev/") {
			m.pick.sel = i
		}
	}
	m.Update(keyMsg("enter"))
	if got := originLabel(m.trace); got != from || m.trace.Service != m.sim.Services[dev] {
		t.Fatalf("after the picker the origin is %q (service %s), want %q", got, m.trace.Service.Svc.Namespace, from)
	}
	r = m.req
	r.From = "no-such-pod"
	if got := m.keepOrigin(r); got.From != "" {
		t.Errorf("an invalid origin was kept: %q", got.From)
	}
}
