package policies_test

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/policies"
	"github.com/poolsim/poolsim/policies/policytest"
)

const (
	sec = engine.Second
	min = engine.Minute
)

func mustSupervisor(t testing.TB, cfg policies.SupervisorConfig) policies.Supervisor {
	t.Helper()
	s, err := policies.NewSupervisor(cfg)
	if err != nil {
		t.Fatalf("NewSupervisor(%+v): %v", cfg, err)
	}
	return s
}

func iis(window string, maxFailures int, interval, restartAfter engine.Time) policies.SupervisorConfig {
	return policies.SupervisorConfig{Policy: "iis", Enabled: true, MaxFailures: maxFailures,
		Interval: interval, Window: window, RestartAfter: restartAfter}
}

func TestNewSupervisorErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  policies.SupervisorConfig
		want string // substring of the error
	}{
		{"unknown policy", policies.SupervisorConfig{Policy: "systemd", Enabled: true}, `"systemd": unknown; allowed: iis, emergency_restart, backoff`},
		{"unknown policy even when disabled", policies.SupervisorConfig{Policy: "IIS"}, "allowed: iis"},
		{"unknown window", iis("tumbling", 5, 5*min, engine.Never), `window "tumbling": unknown; allowed: sliding, fixed`},
		{"iis zero max", iis("sliding", 0, 5*min, engine.Never), "max_crashes = 0: must be at least 1"},
		{"iis zero interval", iis("fixed", 5, 0, engine.Never), "interval = 0s: must be positive"},
		{"iis negative restart", iis("fixed", 5, min, -sec), "restart_after = -1s"},
		{"emergency zero max", policies.SupervisorConfig{Policy: "emergency_restart", Enabled: true, Interval: min}, "max_crashes = 0"},
		{"emergency zero interval", policies.SupervisorConfig{Policy: "emergency_restart", Enabled: true, MaxFailures: 3}, "interval = 0s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := policies.NewSupervisor(tc.cfg)
			if err == nil {
				t.Fatalf("NewSupervisor(%+v) = %T, want an error", tc.cfg, s)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not contain %q", err, tc.want)
			}
		})
	}
}

func TestNewSupervisorKinds(t *testing.T) {
	tests := []struct {
		cfg  policies.SupervisorConfig
		want string
	}{
		{iis("", 5, 5*min, engine.Never), "*policies.RapidFail"},
		{policies.SupervisorConfig{Enabled: true, MaxFailures: 5, Interval: 5 * min}, "*policies.RapidFail"},
		{policies.SupervisorConfig{Policy: "emergency_restart", Enabled: true, MaxFailures: 5, Interval: min}, "*policies.EmergencyRestart"},
		{policies.SupervisorConfig{Policy: "backoff", Enabled: true}, "*policies.CrashLoopBackOff"},
		// Settings a disabled supervisor would reject do not matter.
		{policies.SupervisorConfig{Policy: "iis", Enabled: false}, "policies.Disabled"},
		{policies.SupervisorConfig{Policy: "backoff"}, "policies.Disabled"},
	}
	for _, tc := range tests {
		s := mustSupervisor(t, tc.cfg)
		if got := typeName(s); got != tc.want {
			t.Errorf("NewSupervisor(%+v) is %s, want %s", tc.cfg, got, tc.want)
		}
	}
}

func typeName(s policies.Supervisor) string {
	switch s.(type) {
	case *policies.RapidFail:
		return "*policies.RapidFail"
	case *policies.EmergencyRestart:
		return "*policies.EmergencyRestart"
	case *policies.CrashLoopBackOff:
		return "*policies.CrashLoopBackOff"
	case policies.Disabled:
		return "policies.Disabled"
	}
	return "?"
}

// stops returns the indexes of the failures at which the pool stops, feeding
// failures to s and restarting the pool at each RestartAt (Never: not at all).
func stops(s policies.Supervisor, failures []engine.Time) (idx []int, restartAts []engine.Time) {
	stopped, restartAt := false, engine.Never
	for i, f := range failures {
		if stopped && f >= restartAt {
			s.Restarted(restartAt)
			stopped = false
		}
		d := s.Failure(f)
		if d.RestartAll || d.StartDelay != 0 {
			return nil, nil
		}
		if d.StopPool {
			idx = append(idx, i)
			restartAts = append(restartAts, d.RestartAt)
			stopped, restartAt = true, d.RestartAt
		}
	}
	return idx, restartAts
}

func ts(ds ...engine.Time) []engine.Time { return ds }

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRapidFail(t *testing.T) {
	tests := []struct {
		name      string
		cfg       policies.SupervisorConfig
		failures  []engine.Time
		wantStops []int
		wantAt    []engine.Time
	}{
		{"IIS defaults, five quick crashes", iis("sliding", 5, 5*min, engine.Never),
			ts(0, 10*sec, 20*sec, 30*sec, 40*sec), []int{4}, ts(engine.Never)},
		{"four are not enough", iis("sliding", 5, 5*min, engine.Never),
			ts(0, 10*sec, 20*sec, 30*sec), nil, nil},
		{"one failure stops when max is 1", iis("fixed", 1, min, 30*sec),
			ts(7 * sec), []int{0}, ts(37 * sec)},
		{"sliding: exactly interval apart is outside", iis("sliding", 2, 5*min, engine.Never),
			ts(0, 5*min), nil, nil},
		{"sliding: just inside", iis("sliding", 2, 5*min, engine.Never),
			ts(0, 5*min-1), []int{1}, ts(engine.Never)},
		{"fixed: window end is outside", iis("fixed", 2, 5*min, engine.Never),
			ts(0, 5*min), nil, nil},
		{"fixed: just inside", iis("fixed", 2, 5*min, engine.Never),
			ts(0, 5*min-1), []int{1}, ts(engine.Never)},
		{"stopped pool ignores failures until restarted", iis("sliding", 2, 5*min, 10*min),
			ts(0, sec, 2*sec, 3*sec, 11*min, 11*min+sec), []int{1, 5}, ts(10*min+sec, 21*min+sec)},
		{"restart clears the history", iis("sliding", 3, 5*min, min),
			// Stops at 2s, restarts at 62s; 70s and 80s are only two failures since.
			ts(0, sec, 2*sec, 70*sec, 80*sec, 90*sec), []int{2, 5}, ts(62*sec, 150*sec)},
		{"restart after zero restarts at once", iis("fixed", 2, min, 0),
			ts(0, sec, sec, 2*sec), []int{1, 3}, ts(sec, 2*sec)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, at := stops(mustSupervisor(t, tc.cfg), tc.failures)
			if !equalInts(got, tc.wantStops) {
				t.Errorf("stops at failures %v, want %v", got, tc.wantStops)
			}
			for i := range at {
				if i < len(tc.wantAt) && at[i] != tc.wantAt[i] {
					t.Errorf("stop %d: RestartAt %v, want %v", i, at[i], tc.wantAt[i])
				}
			}
		})
	}
}

// TestSlidingVersusFixed crafts failures on which the two windows differ:
// with 3 failures in 5 minutes, failures at 0, 4, 6 and 8 minutes put three
// within (3m, 8m] (sliding: stop at 8m) but split 2 + 2 across the fixed
// windows [0, 5m) and [6m, 11m) (fixed: no stop).
func TestSlidingVersusFixed(t *testing.T) {
	failures := ts(0, 4*min, 6*min, 8*min)
	sliding, _ := stops(mustSupervisor(t, iis("sliding", 3, 5*min, engine.Never)), failures)
	fixed, _ := stops(mustSupervisor(t, iis("fixed", 3, 5*min, engine.Never)), failures)
	if !equalInts(sliding, []int{3}) {
		t.Errorf("sliding window stops at %v, want [3]", sliding)
	}
	if len(fixed) != 0 {
		t.Errorf("fixed window stops at %v, want none", fixed)
	}
	// A fixed window opens at the first failure after the previous one
	// ended, not on a grid: 0, 4m open [0,5m); 6m opens [6m,11m); 7m, 10m
	// make three there.
	fixed, _ = stops(mustSupervisor(t, iis("fixed", 3, 5*min, engine.Never)), ts(0, 4*min, 6*min, 7*min, 10*min))
	if !equalInts(fixed, []int{4}) {
		t.Errorf("fixed window stops at %v, want [4]", fixed)
	}
}

func TestRapidFailDisabled(t *testing.T) {
	s := mustSupervisor(t, policies.SupervisorConfig{Policy: "iis", Enabled: false, MaxFailures: 1, Interval: min})
	for i := range 1000 {
		if d := s.Failure(engine.Time(i) * sec); d != (policies.Decision{}) {
			t.Fatalf("failure %d: %+v, want the zero Decision", i, d)
		}
	}
}

// TestFixedWindowTripProbability checks the fixed window against theory:
// with Poisson failures at rate g, a window opened by a failure at 0 trips
// iff at least N-1 more failures fall in (0, T), which has probability
// 1 - sum_{k<N-1} e^{-gT}(gT)^k/k!. The tolerance is four standard errors
// of a binomial proportion.
func TestFixedWindowTripProbability(t *testing.T) {
	const (
		n     = 20000
		N     = 5
		T     = 5 * min
		gT    = 3.0 // expected failures per window
		trial = 1
	)
	gamma := gT / T.Seconds()
	p := 1.0
	term := math.Exp(-gT)
	for k := 0; k < N-1; k++ {
		p -= term
		term *= gT / float64(k+1)
	}
	r := rand.New(rand.NewPCG(trial, 2))
	trips := 0
	for range n {
		s, err := policies.NewRapidFail(N, T, "fixed", engine.Never)
		if err != nil {
			t.Fatal(err)
		}
		now := engine.Time(0)
		tripped := s.Failure(now).StopPool
		for !tripped {
			now += engine.FromSeconds(r.ExpFloat64() / gamma)
			if now >= T {
				break
			}
			tripped = s.Failure(now).StopPool
		}
		if tripped {
			trips++
		}
	}
	got := float64(trips) / n
	se := math.Sqrt(p * (1 - p) / n)
	t.Logf("trip probability %.4f, theory %.4f, SE %.4f", got, p, se)
	if math.Abs(got-p) > 4*se {
		t.Errorf("trip probability %.4f, theory %.4f (4 SE = %.4f)", got, p, 4*se)
	}
}

func TestEmergencyRestart(t *testing.T) {
	tests := []struct {
		name     string
		max      int
		interval engine.Time
		failures []engine.Time
		want     []int // failures that restart all
	}{
		{"three within a minute", 3, min, ts(0, 20*sec, 40*sec), []int{2}},
		{"closed at both ends, as php-fpm", 3, min, ts(0, 30*sec, min), []int{2}},
		{"one past the interval", 3, min, ts(0, 30*sec, min+1), nil},
		{"history cleared after firing", 2, min, ts(0, sec, 2*sec, 3*sec, 4*sec), []int{1, 3}},
		{"threshold one restarts on every failure", 1, min, ts(0, 0, 5*sec), []int{0, 1, 2}},
		{"old failures slide out", 3, min, ts(0, 50*sec, 70*sec, 100*sec), []int{3}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := policies.NewEmergencyRestart(tc.max, tc.interval)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for i, f := range tc.failures {
				d := s.Failure(f)
				if d.StopPool || d.StartDelay != 0 {
					t.Errorf("failure %d: %+v; emergency restart never stops or delays", i, d)
				}
				if d.RestartAll {
					got = append(got, i)
				}
			}
			if !equalInts(got, tc.want) {
				t.Errorf("restarts at failures %v, want %v", got, tc.want)
			}
		})
	}
}

func TestCrashLoopBackOff(t *testing.T) {
	// Failures 1 s after each delayed start.
	var failures []engine.Time
	var want []engine.Time
	now := engine.Time(0)
	for _, d := range []engine.Time{10, 20, 40, 80, 160, 300, 300, 300} {
		failures = append(failures, now)
		want = append(want, d*sec)
		now += d*sec + sec
	}
	// Healthy for exactly ten minutes: the streak starts again.
	now += 10*min - sec
	failures = append(failures, now, now+11*sec)
	want = append(want, 10*sec, 20*sec)
	// Just under ten minutes: the streak goes on.
	now += 11*sec + 10*min - 1
	failures = append(failures, now)
	want = append(want, 40*sec)

	s := policies.NewCrashLoopBackOff()
	for i, f := range failures {
		d := s.Failure(f)
		if d.StopPool || d.RestartAll {
			t.Errorf("failure %d: %+v; back-off never stops or restarts all", i, d)
		}
		if d.StartDelay != want[i] {
			t.Errorf("failure %d at %v: delay %v, want %v", i, f, d.StartDelay, want[i])
		}
	}
	s.Restarted(now)
	if d := s.Failure(now + sec); d.StartDelay != 10*sec {
		t.Errorf("after Restarted: delay %v, want 10s", d.StartDelay)
	}
	// A long streak stays at the cap without overflowing.
	for i := range 200 {
		if d := s.Failure(now + engine.Time(i+2)*sec); i > 10 && d.StartDelay != 5*min {
			t.Fatalf("failure %d of a long streak: delay %v, want 5m", i, d.StartDelay)
		}
	}
}

// poissonFailures returns failure times of a Poisson process at the given
// mean gap, over horizon.
func poissonFailures(seed uint64, gap, horizon engine.Time) []engine.Time {
	r := rand.New(rand.NewPCG(seed, 3))
	var out []engine.Time
	for now := engine.Time(0); ; {
		now += engine.FromSeconds(r.ExpFloat64() * gap.Seconds())
		if now >= horizon {
			return out
		}
		out = append(out, now)
	}
}

func TestSupervisorConformance(t *testing.T) {
	configs := []struct {
		name string
		cfg  policies.SupervisorConfig
	}{
		{"iis sliding never", iis("sliding", 5, 5*min, engine.Never)},
		{"iis fixed 10m", iis("fixed", 5, 5*min, 10*min)},
		{"iis max 1 restart 0", iis("sliding", 1, min, 0)},
		{"iis disabled", policies.SupervisorConfig{Policy: "iis"}},
		{"emergency restart", policies.SupervisorConfig{Policy: "emergency_restart", Enabled: true, MaxFailures: 3, Interval: min}},
		{"emergency threshold 1", policies.SupervisorConfig{Policy: "emergency_restart", Enabled: true, MaxFailures: 1, Interval: sec}},
		{"crash loop back-off", policies.SupervisorConfig{Policy: "backoff", Enabled: true}},
	}
	sequences := []struct {
		name     string
		failures []engine.Time
	}{
		{"none", nil},
		{"burst", ts(0, 0, 0, sec, sec, 2*sec, 3*sec, 3*sec)},
		{"crafted", ts(0, 4*min, 6*min, 8*min, 30*min, 30*min+sec, 31*min, 32*min, 33*min, 34*min)},
		{"poisson", poissonFailures(1, 40*sec, 6*engine.Hour)},
		{"sparse", poissonFailures(2, 15*min, 24*engine.Hour)},
		{"late", ts(engine.Hour, 2*engine.Hour, 2*engine.Hour+sec)},
		{"same time", ts(5*sec, 5*sec, 5*sec, 5*sec, 5*sec, 5*sec)},
	}
	for _, c := range configs {
		for _, sq := range sequences {
			t.Run(c.name+"/"+sq.name, func(t *testing.T) {
				policytest.CheckSupervisor(t, func() policies.Supervisor { return mustSupervisor(t, c.cfg) }, sq.failures)
			})
		}
	}
}

func TestSupervisorAllocs(t *testing.T) {
	for _, cfg := range []policies.SupervisorConfig{
		iis("sliding", 5, 5*min, engine.Never),
		iis("fixed", 5, 5*min, engine.Never),
		{Policy: "emergency_restart", Enabled: true, MaxFailures: 5, Interval: 5 * min},
		{Policy: "backoff", Enabled: true},
	} {
		s := mustSupervisor(t, cfg)
		now := engine.Time(0)
		step := func() {
			now += 100 * sec
			s.Failure(now)
		}
		for range 100 { // grow the log to its steady size
			step()
		}
		if a := testing.AllocsPerRun(1000, step); a != 0 {
			t.Errorf("%s: %v allocations per failure, want 0", cfg.Policy, a)
		}
	}
}

// TestEmergencyRestartCountsFaultSignals checks the rule "php-fpm counts
// only children that die of SIGSEGV or SIGBUS" (docs/model.md#supervisors,
// php-src sapi/fpm/fpm/fpm_children.c, fpm_children_bury): the emergency
// restart filter accepts only fault signals; the other supervisors count
// every failure.
func TestEmergencyRestartCountsFaultSignals(t *testing.T) {
	er, err := policies.NewSupervisor(policies.SupervisorConfig{Policy: "emergency_restart", Enabled: true, MaxFailures: 2, Interval: engine.Minute})
	if err != nil {
		t.Fatal(err)
	}
	f, ok := er.(policies.FailureFilter)
	if !ok {
		t.Fatal("emergency_restart has no failure filter")
	}
	for k := policies.FailFaultSignal; k <= policies.FailShutdownLimit; k++ {
		if got, want := f.Counts(k), k == policies.FailFaultSignal; got != want {
			t.Errorf("emergency_restart counts %v: %v, want %v", k, got, want)
		}
	}
	for _, p := range []string{"iis", "backoff"} {
		s, err := policies.NewSupervisor(policies.SupervisorConfig{Policy: p, Enabled: true, MaxFailures: 5, Interval: engine.Minute, RestartAfter: engine.Never})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := s.(policies.FailureFilter); ok {
			t.Errorf("%s filters failures; it must count every kind", p)
		}
	}
}
