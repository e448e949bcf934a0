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

func TestNewRetryErrors(t *testing.T) {
	tests := []struct {
		policy      string
		maxAttempts int
		delay, max  engine.Time
		want        string
	}{
		{"linear", 3, sec, 0, `retry.policy "linear": unknown; allowed: none, fixed, exponential`},
		{"", 3, sec, 0, `retry.policy "": unknown`},
		{"fixed", 0, sec, 0, "retry.max_attempts = 0: must be at least 1"},
		{"exponential", 3, -sec, 0, "retry.delay = -1s"},
		{"exponential", 3, sec, -sec, "retry.max_delay = -1s"},
	}
	for _, tc := range tests {
		p, err := policies.NewRetry(tc.policy, tc.maxAttempts, tc.delay, tc.max)
		if err == nil {
			t.Errorf("NewRetry(%q, %d, %v, %v) = %+v, want an error", tc.policy, tc.maxAttempts, tc.delay, tc.max, p)
			continue
		}
		if !strings.Contains(err.Error(), tc.want) {
			t.Errorf("error %q does not contain %q", err, tc.want)
		}
	}
	// "none" ignores the other settings.
	if _, err := policies.NewRetry("none", 0, -sec, -sec); err != nil {
		t.Errorf("NewRetry(none, ...): %v", err)
	}
}

func mustRetry(t testing.TB, policy string, maxAttempts int, delay, maxDelay engine.Time) policies.Retry {
	t.Helper()
	p, err := policies.NewRetry(policy, maxAttempts, delay, maxDelay)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRetryDelays(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	none := mustRetry(t, "none", 5, sec, 0)
	for a := 0; a < 5; a++ {
		if d, ok := none.Next(a, r); ok || d != 0 {
			t.Errorf("none.Next(%d) = %v, %v; want 0, false", a, d, ok)
		}
	}
	fixed := mustRetry(t, "fixed", 3, 2*sec, 0)
	for a, want := range []bool{true, true, true, false, false} { // attempts 0..4
		if d, ok := fixed.Next(a, r); ok != want || (ok && d != 2*sec) {
			t.Errorf("fixed.Next(%d) = %v, %v; want 2s, %v", a, d, ok, want)
		}
	}
	exp := policies.ExponentialRetry{MaxAttempts: 100, Base: sec, Cap: 10 * sec}
	for a, want := range []engine.Time{1, 1, 2, 4, 8, 10, 10} { // attempts 0..6
		if b := exp.Bound(a); b != want*sec {
			t.Errorf("Bound(%d) = %v, want %v", a, b, want*sec)
		}
	}
	uncapped := policies.ExponentialRetry{MaxAttempts: 1000, Base: sec}
	if b := uncapped.Bound(30); b != sec<<29 {
		t.Errorf("uncapped Bound(30) = %v, want %v", b, sec<<29)
	}
	if b := uncapped.Bound(1000); b != engine.Never {
		t.Errorf("uncapped Bound(1000) = %v, want it to saturate at never", b)
	}
	if d, ok := uncapped.Next(999, r); !ok || d < 0 {
		t.Errorf("uncapped Next(999) = %v, %v", d, ok)
	}
	zero := mustRetry(t, "exponential", 3, 0, 0)
	before := *r
	if d, ok := zero.Next(1, r); !ok || d != 0 {
		t.Errorf("zero-delay exponential Next(1) = %v, %v; want 0, true", d, ok)
	}
	if *r != before {
		t.Errorf("a zero bound drew from the stream")
	}
}

func TestRetryConformance(t *testing.T) {
	exp := policies.ExponentialRetry{MaxAttempts: 6, Base: sec, Cap: 20 * sec}
	tests := []struct {
		name        string
		p           policies.Retry
		maxAttempts int
		bound       func(int) engine.Time
	}{
		{"none", mustRetry(t, "none", 4, sec, 0), 1, func(int) engine.Time { return 0 }},
		{"fixed 1", mustRetry(t, "fixed", 1, sec, 0), 1, nil},
		{"fixed 4", mustRetry(t, "fixed", 4, 3*sec, 0), 4, func(int) engine.Time { return 3 * sec }},
		{"exponential", mustRetry(t, "exponential", 6, sec, 20*sec), 6, exp.Bound},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { policytest.CheckRetry(t, tc.p, tc.maxAttempts, tc.bound) })
	}
}

// TestFullJitterMoments checks the exponential policy's draws against the
// uniform distribution on [0, b] (b = min(cap, base·2^(n−1))): the sample
// mean against b/2 and the fraction below b/4 against 1/4, each within four
// standard errors (sd b/√12 for the mean, √(pq/n) for the fraction).
func TestFullJitterMoments(t *testing.T) {
	n := 100000
	if testing.Short() {
		n = 20000
	}
	p := policies.ExponentialRetry{MaxAttempts: 10, Base: 100 * engine.Millisecond, Cap: 3 * sec}
	r := rand.New(rand.NewPCG(7, 7))
	for attempt := 1; attempt < 7; attempt++ {
		b := float64(p.Bound(attempt))
		var sum float64
		below := 0
		for range n {
			d, ok := p.Next(attempt, r)
			if !ok {
				t.Fatalf("Next(%d) gave up", attempt)
			}
			sum += float64(d)
			if float64(d) < b/4 {
				below++
			}
		}
		mean := sum / float64(n)
		se := b / math.Sqrt(12*float64(n))
		if math.Abs(mean-b/2) > 4*se {
			t.Errorf("attempt %d: mean delay %.0f ns, theory %.0f ns (4 SE = %.0f)", attempt, mean, b/2, 4*se)
		}
		frac := float64(below) / float64(n)
		if fse := math.Sqrt(0.25 * 0.75 / float64(n)); math.Abs(frac-0.25) > 4*fse {
			t.Errorf("attempt %d: %.4f of delays below a quarter of the bound, theory 0.25 (4 SE = %.4f)", attempt, frac, 4*fse)
		}
	}
}
