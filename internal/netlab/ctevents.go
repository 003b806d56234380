package netlab

import (
	"bufio"
	"errors"
	"net/netip"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ctEvents follows `conntrack -E -e NEW` in a node's namespace. `conntrack -L` cannot show
// every entry: the kernel removes an entry that was never assured as soon as a RST answers it
// (a Pod refusing a connection), so the NEW event is the only trace of where that packet went.
type ctEvents struct {
	cmd     *exec.Cmd
	mu      sync.Mutex
	cond    *sync.Cond
	entries map[string]*CTEntry // by ctKey: a probe's source port alone can be VXLAN's too
}

// children are the lab's long-running processes, killed on Close and on interrupt.
var children = struct {
	sync.Mutex
	procs  map[*exec.Cmd]bool
	closed bool
}{procs: map[*exec.Cmd]bool{}}

func followConntrack(ns NS) (*ctEvents, error) {
	// conntrack flushes each event. No Pdeathsig: Linux sends it when the creating *thread*
	// ends, and Go ends threads (see NS.Do); Close, CleanupAll and CleanLeftovers kill it.
	cmd := exec.Command("ip", "netns", "exec", ns.Name, "conntrack", "-E", "-e", "NEW")
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	children.Lock()
	defer children.Unlock()
	if children.closed {
		return nil, errors.New("netlab is shutting down")
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	children.procs[cmd] = true
	ev := &ctEvents{cmd: cmd, entries: map[string]*CTEntry{}}
	ev.cond = sync.NewCond(&ev.mu)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			line = strings.TrimSpace(strings.TrimPrefix(line, "[NEW]"))
			if e, ok := parseCT(line); ok {
				ev.mu.Lock()
				ev.entries[ctKey(e.Proto, e.Orig.Src.Port(), e.Orig.Dst)] = e
				ev.cond.Broadcast()
				ev.mu.Unlock()
			}
		}
	}()
	return ev, nil
}

// wait returns the entry of a probe, waiting a little for the event to arrive; nil if the
// packet made no entry (a REJECT or DROP in the filter table leaves none).
func (ev *ctEvents) wait(proto string, sport uint16, dst netip.AddrPort, d time.Duration) *CTEntry {
	key := ctKey(proto, sport, dst)
	deadline := time.Now().Add(d)
	t := time.AfterFunc(d, func() { ev.mu.Lock(); ev.cond.Broadcast(); ev.mu.Unlock() })
	defer t.Stop()
	ev.mu.Lock()
	defer ev.mu.Unlock()
	for ev.entries[key] == nil && time.Now().Before(deadline) {
		ev.cond.Wait()
	}
	return ev.entries[key]
}

// ctKey names a connection by protocol, original source port and original destination.
func ctKey(proto string, sport uint16, dst netip.AddrPort) string {
	return strings.ToLower(proto) + " " + strconv.Itoa(int(sport)) + " " + dst.String()
}

func (ev *ctEvents) stop() {
	_ = ev.cmd.Process.Kill()
	_ = ev.cmd.Wait()
	children.Lock()
	delete(children.procs, ev.cmd)
	children.Unlock()
}

func killChildren() {
	children.Lock()
	defer children.Unlock()
	children.closed = true
	for c := range children.procs {
		_ = c.Process.Kill()
	}
}
