package main

import (
	"math"
	"testing"
	"time"
)

// TestWakeups checks the measure of the rule "after an emergency restart
// php-fpm's master sends SIGTERM at its next wake-up, the first child exit"
// on a hand-made log: a restart at 0, an idle child's exit at 12 ms and the
// SIGTERM at 12.1 ms give 12 ms to the exit and 0.1 ms from it; a restart
// whose SIGTERM came with no exit before it (every child busy) is not a
// wake-up by an exit and gives nothing.
func TestWakeups(t *testing.T) {
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	at := func(us int) time.Time { return t0.Add(time.Duration(us) * time.Microsecond) }
	events := []ServerEvent{
		{At: at(0), Kind: "emergency_restart"},
		{At: at(12000), Kind: "exit"},
		{At: at(12100), Kind: "sigterm_sent"},
		{At: at(12150), Kind: "sigterm_sent"},
		{At: at(13000), Kind: "term"},
		{At: at(5e6), Kind: "emergency_restart"},
		{At: at(6e6), Kind: "sigterm_sent"},
		{At: at(6e6 + 500), Kind: "term"},
	}
	toExit, exitToTerm := wakeups(events)
	if len(toExit) != 1 || math.Abs(toExit[0]-12) > 1e-9 || math.Abs(exitToTerm[0]-0.1) > 1e-9 {
		t.Errorf("to exit %v, exit to SIGTERM %v; want [12] [0.1]", toExit, exitToTerm)
	}
}
