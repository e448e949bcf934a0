// Package policytest checks implementations of the policies interfaces
// against the contracts written on them. Every policy in package policies
// passes these checks, and so must any new one.
package policytest

import (
	"math/rand/v2"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/policies"
)

// CheckSupervisor feeds failures (times that never decrease) to supervisors
// made by newSup and reports every breach of the [policies.Supervisor]
// contract:
//
//   - at most one of StopPool and RestartAll, StartDelay never negative;
//   - StopPool's RestartAt is now or later, and RestartAt is zero without
//     StopPool;
//   - after a stop, Failure returns the zero Decision until Restarted;
//   - two new supervisors decide alike (no hidden randomness or clock);
//   - after Restarted(t), failures at t+x get the decisions a new supervisor
//     gives failures at x (Restarted clears the history). A stopped pool is
//     restarted at its RestartAt (or, for Never, an hour after the stop) so
//     that the whole sequence is exercised.
//
// It returns the decisions of a new supervisor, for further checks by the
// caller.
func CheckSupervisor(t testing.TB, newSup func() policies.Supervisor, failures []engine.Time) []policies.Decision {
	t.Helper()
	for i := 1; i < len(failures); i++ {
		if failures[i] < failures[i-1] {
			t.Fatalf("CheckSupervisor: failures[%d] = %v is before failures[%d] = %v", i, failures[i], i-1, failures[i-1])
		}
	}
	run := func(s policies.Supervisor, shift engine.Time) []policies.Decision {
		out := make([]policies.Decision, len(failures))
		stopped := false
		restartAt := engine.Never
		for i, f := range failures {
			now := f + shift
			if stopped && now >= restartAt {
				s.Restarted(restartAt)
				stopped = false
			}
			d := s.Failure(now)
			out[i] = d
			if d.StartDelay < 0 {
				t.Errorf("failure %d at %v: StartDelay %v is negative", i, now, d.StartDelay)
			}
			if d.StopPool && d.RestartAll {
				t.Errorf("failure %d at %v: both StopPool and RestartAll", i, now)
			}
			if stopped && d != (policies.Decision{}) {
				t.Errorf("failure %d at %v: pool already stopped, got %+v, want the zero Decision", i, now, d)
			}
			if !d.StopPool && d.RestartAt != 0 {
				t.Errorf("failure %d at %v: RestartAt %v without StopPool", i, now, d.RestartAt)
			}
			if d.StopPool {
				if d.RestartAt < now {
					t.Errorf("failure %d at %v: RestartAt %v is before now", i, now, d.RestartAt)
				}
				stopped = true
				restartAt = d.RestartAt
				if restartAt == engine.Never {
					restartAt = now + engine.Hour
				}
			}
		}
		return out
	}

	first := run(newSup(), 0)
	again := run(newSup(), 0)
	for i := range first {
		if first[i] != again[i] {
			t.Errorf("failure %d: two new supervisors differ: %+v and %+v", i, first[i], again[i])
		}
	}

	// Run the sequence, restart, and run it again shifted past the end.
	s := newSup()
	run(s, 0)
	var last engine.Time
	if len(failures) > 0 {
		last = failures[len(failures)-1]
	}
	restart := last + engine.Hour
	for _, d := range first {
		if d.StopPool && d.RestartAt != engine.Never && d.RestartAt+engine.Hour > restart {
			restart = d.RestartAt + engine.Hour
		}
	}
	s.Restarted(restart)
	shift := restart
	if len(failures) > 0 && failures[0] < 0 {
		shift -= failures[0]
	}
	after := run(s, shift)
	for i := range first {
		if first[i].StopPool && after[i].StopPool {
			// RestartAt moves with the shift unless it is Never.
			if first[i].RestartAt != engine.Never {
				after[i].RestartAt -= shift
			}
		}
		if first[i] != after[i] {
			t.Errorf("failure %d: after Restarted at %v, decision %+v; a new supervisor decided %+v", i, restart, after[i], first[i])
		}
	}
	return first
}

// CheckRetry checks a [policies.Retry] that allows maxAttempts attempts in
// all: delays are never negative and never above bound(attempt) (nil: no
// bound), the policy retries while attempt < maxAttempts and gives up from
// then on, and the same stream state gives the same delays.
func CheckRetry(t testing.TB, p policies.Retry, maxAttempts int, bound func(attempt int) engine.Time) {
	t.Helper()
	delays := func(seed uint64) []engine.Time {
		r := rand.New(rand.NewPCG(seed, 1))
		var out []engine.Time
		for attempt := 1; attempt <= maxAttempts+2; attempt++ {
			d, ok := p.Next(attempt, r)
			if want := attempt < maxAttempts; ok != want {
				t.Errorf("Next(%d): retry = %v, want %v (max attempts %d)", attempt, ok, want, maxAttempts)
			}
			if !ok {
				continue
			}
			if d < 0 {
				t.Errorf("Next(%d): delay %v is negative", attempt, d)
			}
			if bound != nil && d > bound(attempt) {
				t.Errorf("Next(%d): delay %v above its bound %v", attempt, d, bound(attempt))
			}
			out = append(out, d)
		}
		return out
	}
	for seed := uint64(1); seed <= 20; seed++ {
		a, b := delays(seed), delays(seed)
		for i := range a {
			if a[i] != b[i] {
				t.Errorf("seed %d, retry %d: delays %v and %v from the same stream", seed, i+1, a[i], b[i])
			}
		}
	}
}

// FakeWorker is a [policies.WorkerView] with fixed counts.
type FakeWorker struct{ BusyThreads, FreeThreads int }

// Busy returns BusyThreads.
func (w FakeWorker) Busy() int { return w.BusyThreads }

// Free returns FreeThreads.
func (w FakeWorker) Free() int { return w.FreeThreads }

// CheckDispatch calls newDispatch()'s Pick over the given lists of ready
// workers (each non-empty, every worker with a free thread) and reports a
// pick out of range or a pick that two new policies disagree on. It returns
// the picks.
func CheckDispatch(t testing.TB, newDispatch func() policies.Dispatch, lists [][]policies.WorkerView) []int {
	t.Helper()
	picks := func() []int {
		d := newDispatch()
		out := make([]int, len(lists))
		for i, ready := range lists {
			out[i] = d.Pick(ready)
			if out[i] < 0 || out[i] >= len(ready) {
				t.Errorf("pick %d: index %d out of range [0, %d)", i, out[i], len(ready))
			}
		}
		return out
	}
	a, b := picks(), picks()
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("pick %d: two new policies picked %d and %d", i, a[i], b[i])
		}
	}
	return a
}
