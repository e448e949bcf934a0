package model

import (
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/queueing"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestWarmupAuto: a pool that starts with a long cold start builds a backlog
// that takes a while to clear; MSER-5 must cut off that transient, and a
// stationary start must cost little.
func TestWarmupAuto(t *testing.T) {
	const horizon = 4 * engine.Hour
	cold := baseScenario(3.2, engine.Second, 4, 1<<20, horizon)
	cold.Pool.StartupTime = scenario.Const(5 * engine.Minute) // ~960 requests queue up
	cold.Warmup.Auto = true
	res, err := Run(cold, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkConservation(t, res.Metrics)
	// With ρ = 0.8 the backlog drains at 0.8 requests/s: the transient lasts
	// about 5 min + 960/0.8 s = 25 min. The estimate must cover the start-up
	// and stop well before half the horizon.
	w := res.Warmup
	t.Logf("estimated warm-up %v", w)
	if w < 5*engine.Minute || w > horizon/2 {
		t.Errorf("warm-up %v, want between the 5 min start-up and half the horizon", w)
	}
	if res.Metrics.WarmupS != w.Seconds() {
		t.Errorf("warmup_s = %v, result says %v", res.Metrics.WarmupS, w)
	}
	// Truncating the transient brings the mean wait towards Erlang C's.
	exact := queueing.MMcWait(4, 3.2, 1)
	fixed := *cold
	fixed.Warmup = scenario.Warmup{}
	untruncated, err := Run(&fixed, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, naive := res.Metrics.WaitMeanS, untruncated.Metrics.WaitMeanS
	t.Logf("mean wait: truncated %.3f s, untruncated %.3f s, Erlang C %.3f s", got, naive, exact)
	if d, dn := got-exact, naive-exact; d*d >= dn*dn {
		t.Errorf("truncation did not reduce the start-up bias: %v vs %v (exact %v)", got, naive, exact)
	}
}
