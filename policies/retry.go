package policies

import (
	"fmt"
	"math/rand/v2"

	"github.com/poolsim/poolsim/engine"
)

// Retry policy names, as written in retry.policy.
const (
	RetryNone        = "none"
	RetryFixed       = "fixed"
	RetryExponential = "exponential"
)

// NewRetry returns the retry policy called policy ("none", "fixed" or
// "exponential"). maxAttempts counts every attempt, the first included, so
// maxAttempts = 1 never retries; delay is the fixed delay, or the base of the
// exponential one; maxDelay caps the exponential delay (0: no cap). Settings
// a policy does not use are not checked.
func NewRetry(policy string, maxAttempts int, delay, maxDelay engine.Time) (Retry, error) {
	switch policy {
	case RetryNone:
		return NoRetry{}, nil
	case RetryFixed, RetryExponential:
	default:
		return nil, fmt.Errorf("retry.policy %q: unknown; allowed: %s, %s, %s", policy, RetryNone, RetryFixed, RetryExponential)
	}
	if maxAttempts < 1 {
		return nil, fmt.Errorf("retry.max_attempts = %d: must be at least 1 (the first attempt counts)", maxAttempts)
	}
	if delay < 0 {
		return nil, fmt.Errorf("retry.delay = %v: must not be negative", delay)
	}
	if policy == RetryFixed {
		return FixedRetry{MaxAttempts: maxAttempts, Delay: delay}, nil
	}
	if maxDelay < 0 {
		return nil, fmt.Errorf("retry.max_delay = %v: must not be negative (0: no cap)", maxDelay)
	}
	return ExponentialRetry{MaxAttempts: maxAttempts, Base: delay, Cap: maxDelay}, nil
}

// NoRetry never retries (policy "none").
type NoRetry struct{}

// Next returns false.
func (NoRetry) Next(int, *rand.Rand) (engine.Time, bool) { return 0, false }

// FixedRetry waits Delay before every retry, up to MaxAttempts attempts in
// all (policy "fixed").
type FixedRetry struct {
	MaxAttempts int
	Delay       engine.Time
}

// Next returns Delay while attempt < MaxAttempts. It never draws from r.
func (p FixedRetry) Next(attempt int, _ *rand.Rand) (engine.Time, bool) {
	if attempt >= p.MaxAttempts {
		return 0, false
	}
	return p.Delay, true
}

// ExponentialRetry is exponential back-off with full jitter (policy
// "exponential"), as in the AWS Architecture Blog, "Exponential Backoff And
// Jitter" (M. Brooker, 2015,
// https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/):
//
//	sleep = random_between(0, min(cap, base * 2 ** attempt))
//
// Here the retry after attempt n (the first is 1) waits a uniform time in
// [0, min(Cap, Base×2^(n−1))], so the first retry waits up to Base and the
// mean wait is half the bound. Full jitter spreads the retries of clients
// that failed together, which is what keeps a retry storm from arriving in
// waves. Cap = 0 means no cap (the bound saturates at engine.Never).
type ExponentialRetry struct {
	MaxAttempts int
	Base, Cap   engine.Time
}

// Bound returns the largest delay after attempt number attempt:
// min(Cap, Base×2^(attempt−1)), saturating instead of overflowing.
func (p ExponentialRetry) Bound(attempt int) engine.Time {
	if attempt < 1 {
		attempt = 1
	}
	b := p.Base
	for i := 1; i < attempt && b > 0; i++ {
		if b > engine.Never/2 {
			b = engine.Never
			break
		}
		b *= 2
	}
	if p.Cap > 0 && b > p.Cap {
		b = p.Cap
	}
	return b
}

// Next returns a uniform delay in [0, Bound(attempt)] while
// attempt < MaxAttempts, drawing one number from r (none when the bound is
// zero).
func (p ExponentialRetry) Next(attempt int, r *rand.Rand) (engine.Time, bool) {
	if attempt >= p.MaxAttempts {
		return 0, false
	}
	b := p.Bound(attempt)
	if b <= 0 {
		return 0, true
	}
	if b == engine.Never {
		return engine.Time(r.Int64N(int64(b))), true
	}
	return engine.Time(r.Int64N(int64(b) + 1)), true
}
