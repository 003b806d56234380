package tui

import (
	"strings"
	"testing"
)

func TestGuardRecoversPanic(t *testing.T) {
	g := &guard{m: nil, quit: func() {}}
	_, cmd := g.Update(keyMsg("x")) // a nil model panics inside Update
	if g.crash == nil || cmd == nil {
		t.Fatal("panic not recovered")
	}
	err := crashError(g.crash)
	if !strings.HasPrefix(err.Error(), "svcviz crashed: ") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("crash error %q", err)
	}
	if g.View() != "" {
		t.Fatal("a crashed model drew")
	}
}

func TestNewRejectsBadRequest(t *testing.T) {
	sim := loadSim(t, sampleNodePort, 1)
	if _, err := New(sim, Options{Request: netsimRequest("nosuch")}); err == nil {
		t.Fatal("a request for a missing Service was accepted")
	}
}
