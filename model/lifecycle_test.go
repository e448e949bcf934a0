package model

import "testing"

// TestLifeTable checks every transition of the worker lifecycle
// (docs/model.md#start, #recycling, #rapid-fail) against the rules written
// out here, one row per state: the state each event leads to, "-" where
// the event does not apply and is ignored. Every pair of state and event
// is covered, so a transition added to the table without a rule here, or a
// rule without its transition, fails.
func TestLifeTable(t *testing.T) {
	const (
		_ = lsNone
		S = lsStarting
		R = lsReplacing
		V = lsServing
		W = lsServingRecycled
		C = lsDrainRecycle
		L = lsDrainReload
		O = lsDrainOverlapped
		P = lsDrainStopped
		I = lsDrainIdle
		E = lsExiting
		D = lsDead
		x = lsNone
	)
	// Columns: ready, recycle, recycle now, replacement ready, replacement
	// failed, orphaned, stop, emergency, idle, empty, fail, exited, hand
	// over (a reload that forks first: forkfirst.go), abort (a worker that
	// runs requests and handles the execution limit's signal exits:
	// #execution-time-limit).
	want := map[lifeState][numLifeEvents]lifeState{
		S: {V, x, x, x, x, x, D, D, x, x, D, x, D, x}, // a start: ready, or shut at once by a stop or a reload, or killed
		R: {V, x, x, x, x, S, D, D, x, x, D, x, D, x}, // a replacement: an ordinary start once its worker is gone
		V: {x, W, C, x, x, x, P, L, I, x, D, x, O, E}, // serving: recycles, drains, fails; its successor already forked on a hand over
		W: {x, x, x, O, V, x, P, L, I, x, D, x, O, E}, // recycled: drains when its replacement is ready, serves on if it fails
		C: {x, x, x, x, x, x, x, x, x, E, D, x, O, E}, // its own recycle: exits when empty (#exit-time), or killed; replaced by the reload's forks on a hand over
		L: {x, x, x, x, x, x, x, x, x, D, D, x, x, E}, // stopped by the master: gone when empty, or killed
		O: {x, x, x, x, x, x, x, x, x, D, D, x, x, E},
		P: {x, x, x, x, x, x, x, x, x, D, D, x, x, E},
		I: {x, x, x, x, x, x, x, x, x, D, D, x, x, E},
		E: {x, x, x, x, x, x, x, x, x, x, D, D, x, x}, // exiting: gone when its exit ends; a stop or reload does not cut it short
		D: {x, x, x, x, x, x, x, x, x, x, x, x, x, x}, // dead: nothing applies
	}
	if len(want) != int(numLifeStates)-1 {
		t.Fatalf("%d states have rules, want %d", len(want), numLifeStates-1)
	}
	for s := lsStarting; s < numLifeStates; s++ {
		for e := lifeEvent(0); e < numLifeEvents; e++ {
			if got := lifeTable[s][e]; got != want[s][e] {
				t.Errorf("%v on %v: %v, want %v", s, e, got, want[s][e])
			}
		}
	}
	for e := lifeEvent(0); e < numLifeEvents; e++ {
		if lifeTable[lsNone][e] != lsNone {
			t.Errorf("the no-state has a transition on %v", e)
		}
	}
}

// TestLifeStateCounts checks which states count towards max_processes
// (docs/model.md#start, #exit-time and #rapid-fail): a replacement only
// once it has replaced its worker, a worker it replaced no longer, a worker
// drained by a stop of the pool no longer; a recycled worker until its
// process has exited, so that no replacement starts before.
func TestLifeStateCounts(t *testing.T) {
	counts := map[lifeState]bool{lsStarting: true, lsServing: true, lsServingRecycled: true, lsDrainRecycle: true,
		lsDrainReload: true, lsDrainIdle: true, lsExiting: true}
	for s := lsStarting; s < numLifeStates; s++ {
		if got := s.countsTowardMax(); got != counts[s] {
			t.Errorf("%v counts towards max_processes: %v, want %v", s, got, counts[s])
		}
	}
}

// TestExitReasons checks the exit reasons' names (the Lifecycle.Why of the
// results) and which of them call for a replacement when the worker is gone
// (a non-overlapped recycle and an emergency restart; docs/model.md#recycling).
func TestExitReasons(t *testing.T) {
	want := map[exitReason]struct {
		name     string
		replaced bool
	}{
		whyTime: {"time", true}, whyRequests: {"requests", true}, whySchedule: {"schedule", true},
		whyMemory: {"private_memory", true}, whyEmergency: {"emergency_restart", true},
		whyStopped: {"rapid_fail", false}, whyIdle: {"idle", false}, whyCrash: {"crash", false},
		whyPing: {"ping", false}, whyShutdownLimit: {"shutdown_limit", false}, whyStartupLimit: {"startup_limit", false},
		whyVirtualMemory: {"virtual_memory", true}, whyManual: {"manual", true}, whyConfig: {"config_change", true},
		whyExecTimeout: {"exec_timeout", false},
	}
	for r := whyTime; r < numExitReasons; r++ {
		w, ok := want[r]
		if !ok {
			t.Errorf("exit reason %d has no rule here", r)
			continue
		}
		if r.String() != w.name || r.replaced() != w.replaced {
			t.Errorf("%d: %q replaced %v, want %q replaced %v", r, r.String(), r.replaced(), w.name, w.replaced)
		}
	}
}
