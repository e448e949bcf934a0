package queueing

import "math"

// Queueing formulas: the exact results of queueing theory that the simulator
// is checked against and that a capacity study draws beside a simulation.
// Each returns NaN for parameters outside its domain rather than panicking.

// ErlangB is the Erlang B (loss) formula: the probability that an arrival to
// an M/G/c/c system (c threads, no queue) offered a = λ·E[S] Erlangs finds
// every server busy and is turned away. It depends on the service-time
// distribution only through its mean. It is computed by the stable recursion
// B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)).
func ErlangB(c int, a float64) float64 {
	if c < 0 || !(a >= 0) || math.IsInf(a, 1) {
		return math.NaN()
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// ErlangC is the Erlang C formula: the probability that an arrival to an
// M/M/c queue (c servers, an unbounded queue) offered a Erlangs has to wait,
// C = c·B / (c − a·(1 − B)) with B = ErlangB(c, a). It is 1 when a ≥ c: the
// queue then grows without bound.
func ErlangC(c int, a float64) float64 {
	if c < 1 || !(a >= 0) {
		return math.NaN()
	}
	if a >= float64(c) {
		return 1
	}
	b := ErlangB(c, a)
	return float64(c) * b / (float64(c) - a*(1-b))
}

// MMcWait is the mean time an arrival waits in the queue of an M/M/c system
// with arrival rate lambda and service rate mu per server,
// Wq = C(c, λ/μ) / (cμ − λ), in the unit of 1/lambda. It is +Inf when
// λ ≥ cμ.
func MMcWait(c int, lambda, mu float64) float64 {
	if c < 1 || !(lambda >= 0) || !(mu > 0) {
		return math.NaN()
	}
	if lambda >= float64(c)*mu {
		return math.Inf(1)
	}
	return ErlangC(c, lambda/mu) / (float64(c)*mu - lambda)
}

// MMcK solves M/M/c/K: c servers with room for k requests in all (k ≥ c;
// a queue of k − c), arrival rate lambda and service rate mu per server.
// The stationary probabilities are p_n ∝ aⁿ/n! for n ≤ c and
// a^c/c!·(a/c)^(n−c) for c < n ≤ k, with a = λ/μ. It returns the blocking
// probability p_k (the share of arrivals turned away), the mean number
// waiting Lq = Σ (n−c)·p_n and the mean number of busy servers. By
// Little's law the mean wait of the admitted arrivals is
// lq / (lambda·(1 − block)).
func MMcK(c, k int, lambda, mu float64) (block, lq, busy float64) {
	if c < 1 || k < c || !(lambda >= 0) || !(mu > 0) || math.IsInf(lambda, 1) {
		return math.NaN(), math.NaN(), math.NaN()
	}
	a := lambda / mu
	// Unnormalised, rescaled whenever p grows large so that nothing
	// overflows: sum = Σ p_n, sq = Σ (n−c)·p_n, sb = Σ min(n, c)·p_n.
	p, sum, sq, sb := 1.0, 1.0, 0.0, 0.0
	for n := 1; n <= k; n++ {
		p *= a / float64(min(n, c))
		sum += p
		sq += float64(max(n-c, 0)) * p
		sb += float64(min(n, c)) * p
		if p > 1e200 {
			p, sum, sq, sb = p/1e200, sum/1e200, sq/1e200, sb/1e200
		}
	}
	return p / sum, sq / sum, sb / sum
}
