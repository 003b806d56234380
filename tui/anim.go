package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/svcviz/svcviz/netsim"
)

// anim is the hop on screen and the packet's way to it.
type anim struct {
	wire    bool  // the wire view; else the teaching view
	steps   []int // indices into the trace's hops that the view shows
	cur     int   // index into steps
	travel  int   // cells travelled along the path into steps[cur]
	dwelt   bool  // the packet has rested at steps[cur] for the speed's pause
	playing bool
	gen     int // bumped on every pause so a tick in flight is dropped
	speed   int // index into speeds
}

// frameMsg advances the animation; gen ties it to the play that asked for it.
type frameMsg struct{ gen int }

// speed is one pace: how long the packet takes per cell and how long it rests at each hop:
// rest, and word more for each word of the hop's narration, so a class can read it aloud.
type speed struct {
	cell, rest, word time.Duration
}

// speeds run from a classroom pace (6-8 s a hop: a 20-word sentence rests 6 s after a second
// of travel) to a quick replay.
var speeds = []speed{
	{150 * time.Millisecond, 1000 * time.Millisecond, 250 * time.Millisecond},
	{100 * time.Millisecond, 800 * time.Millisecond, 150 * time.Millisecond},
	{60 * time.Millisecond, 600 * time.Millisecond, 80 * time.Millisecond},
	{33 * time.Millisecond, 400 * time.Millisecond, 40 * time.Millisecond},
	{20 * time.Millisecond, 250 * time.Millisecond, 15 * time.Millisecond},
	{16 * time.Millisecond, 120 * time.Millisecond, 0},
}

// rest is how long the packet rests at the hop on screen: longer for a longer narration.
func (m *App) rest() time.Duration {
	sp := speeds[m.speed]
	return sp.rest + time.Duration(m.text().words)*sp.word
}

// tick asks for the next frame after delay d; the generation lets a pause drop it.
func (m *App) tickAfter(d time.Duration) tea.Cmd {
	gen := m.gen
	return tea.Tick(d, func(time.Time) tea.Msg { return frameMsg{gen: gen} })
}

func (m *App) tick() tea.Cmd { return m.tickAfter(speeds[m.speed].cell) }

func (m *App) onFrame(msg frameMsg) tea.Cmd {
	if msg.gen != m.gen || !m.playing {
		return nil
	}
	d, more := m.advance()
	if !more {
		m.pause()
		return nil
	}
	return m.tickAfter(d)
}

// advance moves the packet one cell, or rests it at a hop, or starts the next hop. It
// returns how long until the next frame, and false at the end of the trace.
func (m *App) advance() (time.Duration, bool) {
	if m.noPacket() {
		return 0, false
	}
	sp := speeds[m.speed]
	path := m.diagram().Paths[m.cur]
	switch {
	case m.travel < len(path)-1:
		m.travel++
		if m.travel == len(path)-1 {
			return m.rest(), true
		}
		return sp.cell, true
	case !m.dwelt && len(path) <= 1:
		m.dwelt = true
		return m.rest(), true
	case m.cur+1 < len(m.steps):
		m.cur++
		m.travel, m.follow = 0, true
		m.events.Select(m.cur)
		m.dwelt = len(m.diagram().Paths[m.cur]) <= 1
		if m.dwelt {
			return m.rest(), true // no way to travel: the hop happens where the packet is
		}
		return sp.cell, true
	}
	return 0, false
}

func (m *App) pause() {
	m.playing = false
	m.gen++
}

// togglePlay plays from where the packet is, or from the start when it has arrived.
func (m *App) togglePlay() tea.Cmd {
	if m.playing || m.noPacket() {
		m.pause()
		return nil
	}
	if m.atEnd() {
		m.restart()
	}
	m.playing, m.follow = true, true
	m.gen++
	// the first move is now, not a frame later: play answers the key at once; the hop on
	// screen has been seen, so the packet leaves it rather than resting there first
	if m.travel >= len(m.diagram().Paths[m.cur])-1 {
		m.dwelt = true
	}
	d, more := m.advance()
	if !more {
		m.pause()
		return nil
	}
	return m.tickAfter(d)
}

func (m *App) atEnd() bool {
	return m.noPacket() || m.cur == len(m.steps)-1 && m.travel >= len(m.diagram().Paths[m.cur])-1
}

func (m *App) restart() {
	m.cur, m.travel, m.dwelt, m.follow = 0, 0, false, true
	m.events.Select(0)
}

// retraceSameHop sends the packet again through the other proxy mode and shows the hop that
// does what the one on screen did (samples/README: "step both to the same hop"): the same
// action, counted the same way (the second match, the DNAT), else the one as far along.
func (m *App) retraceSameHop(r netsim.Request) tea.Cmd {
	old, oldSteps, cur := m.trace, m.steps, m.cur
	cmd := m.retrace(r)
	if m.trace == old || len(oldSteps) == 0 || len(m.steps) == 0 {
		return cmd
	}
	i := sameHop(old, oldSteps, cur, m.trace, m.steps)
	m.cur, m.follow, m.dwelt = i, true, true
	m.events.Select(i)
	m.travel = len(m.diagram().Paths[i]) - 1
	return cmd
}

// sameHop is the step of view steps of tr that does what step cur of oldSteps of old did: the
// hop with the same action and the same count of that action before it (the second match),
// else the last hop of that action, else the step as far along the view.
func sameHop(old *netsim.Trace, oldSteps []int, cur int, tr *netsim.Trace, steps []int) int {
	act := old.Hops[oldSteps[cur]].Action
	nth := 0
	for _, hi := range oldSteps[:cur] {
		if old.Hops[hi].Action == act {
			nth++
		}
	}
	last, seen := -1, 0
	for i, hi := range steps {
		if tr.Hops[hi].Action != act {
			continue
		}
		if seen == nth {
			return i
		}
		last, seen = i, seen+1
	}
	if last >= 0 {
		return last
	}
	if len(oldSteps) == 1 {
		return 0
	}
	return min(cur*(len(steps)-1)/(len(oldSteps)-1), len(steps)-1)
}

// jump shows hop i with the packet already there: a true step, forward or back.
func (m *App) jump(i int) {
	if i < 0 || i >= len(m.steps) {
		return
	}
	m.pause()
	m.cur, m.follow, m.dwelt = i, true, true
	m.events.Select(i)
	m.travel = len(m.diagram().Paths[i]) - 1
}

func (m *App) changeSpeed(d int) {
	m.speed = min(max(m.speed+d, 0), len(speeds)-1)
}

// toggleWire switches views, staying on the same hop or the nearest one before it.
func (m *App) toggleWire() {
	if m.noPacket() {
		m.wire = !m.wire
		return
	}
	hopIdx := m.steps[m.cur]
	m.wire = !m.wire
	m.computeSteps()
	m.events.SetTrace(m.trace, m.texts, m.steps)
	m.cur = 0
	for i, s := range m.steps {
		if s <= hopIdx {
			m.cur = i
		}
	}
	m.jump(m.cur)
}
