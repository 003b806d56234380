package tui

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// TestStepForwardAndBack walks every hop with → and back with ←, checking the packet line.
func TestStepForwardAndBack(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
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

// TestPlayTicksOnlyWhilePlaying: space arms one frame command, the view changes over frames,
// and a pause drops the frame in flight and arms nothing.
func TestPlayTicksOnlyWhilePlaying(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
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
	m := newApp(t, sampleNodePort, 120, 36, Options{})
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

func TestWireViewToggle(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
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
	m := newApp(t, sampleNodePort, 120, 36, Options{})
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
	m := newApp(t, sampleNodePort, 120, 36, Options{})
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
	m := newApp(t, sampleNodePort, 120, 36, Options{Theme: "projector"})
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

var hopRef = regexp.MustCompile(`(?:hop|Hop|홉) (\d+)(/\d+)?`)

// TestOneHopNumbering: every hop number on screen is the position in the view on screen, "k/n"
// (the event list counts 1..n), in both views, with the rules pane open too.
func TestOneHopNumbering(t *testing.T) {
	for _, sz := range [][2]int{{120, 36}, {80, 24}} {
		for _, lang := range []string{"en", "ko"} {
			m := newApp(t, sampleNodePort, sz[0], sz[1], Options{Lang: lang})
			for _, view := range []string{"teaching", "wire"} {
				_, n := m.Step()
				for k := range n {
					jumpTo(m, k)
					for _, pane := range []string{"", "i"} {
						if pane != "" {
							m.Update(keyMsg(pane))
						}
						v := m.View()
						want := fmt.Sprintf("%d/%d", k+1, n)
						refs := hopRef.FindAllStringSubmatch(v, -1)
						if len(refs) < 2 {
							t.Fatalf("%s %s %v hop %s: only %d hop numbers on screen:\n%s", lang, view, sz, want, len(refs), v)
						}
						for _, r := range refs {
							if r[1]+r[2] != want && !(r[2] == "" && r[1] == fmt.Sprint(k+1)) {
								t.Fatalf("%s %s %v at hop %s the screen says %q:\n%s", lang, view, sz, want, r[0], v)
							}
						}
						if pane != "" {
							m.Update(keyMsg(pane))
						}
					}
				}
				checkEventNumbers(t, m, n)
				m.Update(keyMsg("w"))
			}
		}
	}
}

// TestPlayMovesAtOnce: space moves the packet in the same update, before any frame arrives.
func TestPlayMovesAtOnce(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{Theme: "projector"}) // the slowest pace
	before := m.View()
	m.Update(keyMsg(" "))
	if k, _ := m.Step(); k == 1 && m.travel == 0 || m.View() == before {
		t.Fatalf("play did not move the packet at once: travel %d", m.travel)
	}
}

// TestKeysInOneMessage: runes typed faster than a frame come as one key message; each counts.
func TestKeysInOneMessage(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	m.Update(keyMsg("lll"))
	if k, _ := m.Step(); k != 4 {
		t.Fatalf("lll stepped to hop %d, want 4", k)
	}
	m.Update(keyMsg("hh"))
	if k, _ := m.Step(); k != 2 {
		t.Fatalf("hh stepped back to hop %d, want 2", k)
	}
	sp := m.speed
	m.Update(keyMsg("++"))
	if m.speed != sp+2 {
		t.Fatalf("++ went from speed %d to %d", sp, m.speed)
	}
	m.Update(keyMsg("--"))
	if m.speed != sp {
		t.Fatalf("-- went back to speed %d, want %d", m.speed, sp)
	}
	// s opens the picker: the runes after it are its filter, not keys
	m.Update(keyMsg("sqx"))
	if m.mode != modePick || m.quitting {
		t.Fatalf("sqx: mode %d quitting %v", m.mode, m.quitting)
	}
	m.Update(keyMsg("esc"))
	m.Update(keyMsg("esc"))
	if _, cmd := m.Update(keyMsg("qq")); cmd == nil || !m.quitting {
		t.Fatal("qq did not quit")
	} else if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("qq's command is not a quit")
	}
}

// TestNothingTicksWhilePaused: paused, no key, click, wheel, resize or reload arms a timer:
// the TUI costs no CPU until space (the behaviour the -timing idle test measures).
func TestNothingTicksWhilePaused(t *testing.T) {
	m := newApp(t, sampleNodePort, 120, 36, Options{})
	msgs := []tea.Msg{tea.WindowSizeMsg{Width: 100, Height: 30}, tea.WindowSizeMsg{Width: 120, Height: 36},
		tea.MouseMsg{X: 10, Y: 10, Button: tea.MouseButtonWheelDown, Action: tea.MouseActionPress},
		tea.MouseMsg{X: 30, Y: 12, Button: tea.MouseButtonLeft, Action: tea.MouseActionPress},
		reloadMsg{sim: loadSim(t, "../samples/deployment.yaml", 1)}}
	for _, k := range []string{"right", "left", "+", "-", "r", "w", "n", "tab", "y", "i", "d", "?", "esc", "s", "down", "enter", "o", "enter", "pgdown", "up"} {
		msgs = append(msgs, keyMsg(k))
	}
	for _, msg := range msgs {
		if _, cmd := m.Update(msg); cmd != nil || m.Playing() {
			t.Fatalf("paused, %#v armed a command", msg)
		}
	}
}
