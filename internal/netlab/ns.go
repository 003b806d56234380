package netlab

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/sys/unix"
)

// Prefix starts the name of every network namespace the lab creates: "svl-<pid>-…", so a run
// can tell its own namespaces from another run's and remove those whose process is gone.
const Prefix = "svl-"

// netnsDir is where `ip netns add` pins named namespaces.
const netnsDir = "/run/netns"

// cmdTimeout bounds every external command (ip, iptables-restore, conntrack): a hung tool
// fails the case instead of hanging the test.
const cmdTimeout = 10 * time.Second

// registry is every namespace this process created and has not removed yet, so that an
// interrupt (see CleanupAll) can remove them.
var registry = struct {
	sync.Mutex
	names  map[string]bool
	closed bool // CleanupAll has run: no namespace may be created any more
}{names: map[string]bool{}}

// run runs a command and returns its standard output; the error carries its standard error.
func run(stdin string, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), cmdTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if stdin != "" {
		cmd.Stdin = strings.NewReader(stdin)
	}
	if err := cmd.Run(); err != nil {
		return out.String(), fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(errb.String()))
	}
	return out.String(), nil
}

// NS is one network namespace of the lab.
type NS struct{ Name string }

// Path is the namespace's pinned file, for setns(2).
func (n NS) Path() string { return filepath.Join(netnsDir, n.Name) }

// Exec runs a command inside the namespace (`ip netns exec`).
func (n NS) Exec(stdin string, name string, args ...string) (string, error) {
	return run(stdin, "ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// IP runs `ip -n NAME ARGS...`.
func (n NS) IP(args ...string) error {
	_, err := run("", "ip", append([]string{"-n", n.Name}, args...)...)
	return err
}

// Batch runs several `ip` commands in the namespace in one process (`ip -n NAME -batch -`).
func (n NS) Batch(lines []string) error {
	if len(lines) == 0 {
		return nil
	}
	_, err := run(strings.Join(lines, "\n")+"\n", "ip", "-n", n.Name, "-batch", "-")
	return err
}

// Sysctl writes net sysctls inside the namespace (they are per network namespace).
func (n NS) Sysctl(kv map[string]string) error {
	return n.Do(func() error {
		for k, v := range kv {
			p := "/proc/sys/" + strings.ReplaceAll(k, ".", "/")
			if err := os.WriteFile(p, []byte(v), 0o644); err != nil {
				return fmt.Errorf("sysctl %s=%s in %s: %w", k, v, n.Name, err)
			}
		}
		return nil
	})
}

// Do runs f on an OS thread that has entered the namespace; sockets f opens stay in it. The
// thread is never unlocked, so the runtime ends it when f returns instead of reusing a thread
// that sits in another namespace.
func (n NS) Do(f func() error) error {
	errc := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		fd, err := unix.Open(n.Path(), unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != nil {
			errc <- fmt.Errorf("open %s: %w", n.Path(), err)
			return
		}
		defer unix.Close(fd)
		if err := unix.Setns(fd, unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", n.Name, err)
			return
		}
		errc <- f()
	}()
	return <-errc
}

// AddNS creates a namespace with its loopback up, and registers it for cleanup.
func AddNS(name string) (NS, error) {
	// Registered before it exists and under the lock, so an interrupt's CleanupAll either
	// removes it or has already closed the registry.
	registry.Lock()
	if registry.closed {
		registry.Unlock()
		return NS{}, errors.New("netlab is shutting down")
	}
	registry.names[name] = true
	_, err := run("", "ip", "netns", "add", name)
	registry.Unlock()
	if err != nil {
		return NS{}, err
	}
	n := NS{Name: name}
	return n, n.IP("link", "set", "lo", "up")
}

// DelNS removes a namespace; its interfaces (veth ends, bridges) go with it.
func DelNS(name string) error {
	registry.Lock()
	delete(registry.names, name)
	registry.Unlock()
	_, err := run("", "ip", "netns", "del", name)
	return err
}

// CleanupAll removes every namespace this process created and still has.
func CleanupAll() {
	registry.Lock()
	registry.closed = true
	registry.Unlock()
	killChildren()
	registry.Lock()
	names := make([]string, 0, len(registry.names))
	for n := range registry.names {
		names = append(names, n)
	}
	registry.Unlock()
	for _, n := range names {
		_ = DelNS(n)
	}
}

// RunPrefix is this process's namespace prefix, "svl-<pid>-".
func RunPrefix() string { return Prefix + strconv.Itoa(os.Getpid()) + "-" }

// CleanLeftovers removes namespaces an earlier run left behind: those with the lab's prefix
// whose process no longer exists. A concurrent run's namespaces (its process alive) stay.
func CleanLeftovers() []string {
	entries, err := os.ReadDir(netnsDir)
	if err != nil {
		return nil
	}
	var removed []string
	for _, e := range entries {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, Prefix)
		if !ok {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || pid == os.Getpid() || processAlive(pid) {
			continue
		}
		// A process still inside (a conntrack -E of a run that was killed) goes first.
		if pids, err := run("", "ip", "netns", "pids", name); err == nil {
			for _, f := range strings.Fields(pids) {
				if p, err := strconv.Atoi(f); err == nil {
					_ = unix.Kill(p, unix.SIGKILL)
				}
			}
		}
		if _, err := run("", "ip", "netns", "del", name); err == nil {
			removed = append(removed, name)
		}
	}
	return removed
}

func processAlive(pid int) bool {
	err := unix.Kill(pid, 0)
	return err == nil || err == unix.EPERM
}
