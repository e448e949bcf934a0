package policytest_test

import (
	"fmt"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/policies"
	"github.com/poolsim/poolsim/policies/policytest"
)

// recorder is a testing.TB that collects failures instead of reporting them.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) { r.Errorf(format, args...) }

// early stops the pool with a RestartAt before now.
type early struct{}

func (early) Failure(now engine.Time) policies.Decision {
	return policies.Decision{StopPool: true, RestartAt: now - 1}
}
func (early) Restarted(engine.Time) {}

// forgetful never clears its count.
type forgetful struct{ n int }

func (f *forgetful) Failure(engine.Time) policies.Decision {
	f.n++
	return policies.Decision{StartDelay: engine.Time(f.n)}
}
func (f *forgetful) Restarted(engine.Time) {}

// both stops and restarts at once, and keeps stopping.
type both struct{}

func (both) Failure(now engine.Time) policies.Decision {
	return policies.Decision{StopPool: true, RestartAll: true, RestartAt: engine.Never}
}
func (both) Restarted(engine.Time) {}

// shared draws from state shared between instances, so two new ones differ.
var counter int

type shared struct{}

func (shared) Failure(engine.Time) policies.Decision {
	counter++
	return policies.Decision{StartDelay: engine.Time(counter)}
}
func (shared) Restarted(engine.Time) {}

func TestCheckSupervisorCatches(t *testing.T) {
	failures := []engine.Time{0, engine.Second, 2 * engine.Second}
	tests := []struct {
		name   string
		newSup func() policies.Supervisor
	}{
		{"RestartAt before now", func() policies.Supervisor { return early{} }},
		{"history kept after Restarted", func() policies.Supervisor { return &forgetful{} }},
		{"stop and restart all, acting while stopped", func() policies.Supervisor { return both{} }},
		{"hidden state", func() policies.Supervisor { return shared{} }},
	}
	for _, tc := range tests {
		r := &recorder{TB: t}
		policytest.CheckSupervisor(r, tc.newSup, failures)
		if len(r.errs) == 0 {
			t.Errorf("%s: no breach reported", tc.name)
		}
	}
	r := &recorder{TB: t}
	policytest.CheckSupervisor(r, func() policies.Supervisor { return policies.NewCrashLoopBackOff() }, failures)
	if len(r.errs) != 0 {
		t.Errorf("back-off: unexpected breaches %q", r.errs)
	}
}

func TestCheckRetryAndDispatchCatch(t *testing.T) {
	fixed, _ := policies.NewRetry("fixed", 3, engine.Second, 0)
	r := &recorder{TB: t}
	policytest.CheckRetry(r, fixed, 4, nil) // claims 4 attempts: the policy gives up after 3
	if len(r.errs) == 0 {
		t.Errorf("CheckRetry: wrong attempt count not reported")
	}
	r = &recorder{TB: t}
	policytest.CheckRetry(r, fixed, 3, func(int) engine.Time { return engine.Millisecond })
	if len(r.errs) == 0 {
		t.Errorf("CheckRetry: delay above its bound not reported")
	}
	r = &recorder{TB: t}
	ready := [][]policies.WorkerView{{policytest.FakeWorker{FreeThreads: 1}}}
	policytest.CheckDispatch(r, func() policies.Dispatch { return outOfRange{} }, ready)
	if len(r.errs) == 0 {
		t.Errorf("CheckDispatch: index out of range not reported")
	}
}

type outOfRange struct{}

func (outOfRange) Pick(ready []policies.WorkerView) int { return len(ready) }
