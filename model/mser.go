package model

import "math"

// MSERBatch is the batch size of MSER-5: observations are averaged in
// non-overlapping batches of this many before the truncation point is chosen.
const MSERBatch = 5

// mserMinBatches is the fewest batches MSER-5 will work with: below it the
// statistic is too noisy to place a truncation point.
const mserMinBatches = 10

// MSER5 estimates how much of the start of a series to discard as warm-up,
// with White's MSER-5 rule (White 1997; White, Cobb and Spratt 2000).
//
// The series y (for example the mean response time in each interval of a
// run) is averaged in b = len(y)/5 batches of 5 consecutive observations; a
// trailing partial batch is ignored. For each candidate truncation d in the
// first half, d = 0 … b/2, the statistic
//
//	MSER(d) = 1/(b-d)² · Σ_{j=d+1..b} (Z_j − Z̄(d))²
//
// is the squared standard error of the mean of the batches that remain; the
// d that minimises it (the smallest on ties) is returned, in batches: discard
// the first truncBatches*5 observations.
//
// ok is false when the answer cannot be trusted: fewer than 10 batches, a
// value that is not finite, or a minimum at the end of the search range
// (b/2), which means the series has not settled in its first half and the
// run is too short to estimate its warm-up. truncBatches is still the best
// candidate found (0 when there is none).
func MSER5(y []float64) (truncBatches int, ok bool) {
	b := len(y) / MSERBatch
	if b == 0 {
		return 0, false
	}
	z := make([]float64, b)
	for j := range z {
		var s float64
		for _, v := range y[j*MSERBatch : (j+1)*MSERBatch] {
			s += v
		}
		z[j] = s / MSERBatch
		if math.IsNaN(z[j]) || math.IsInf(z[j], 0) {
			return 0, false
		}
	}
	limit := b / 2
	// Welford's running mean and sum of squared deviations, accumulated from
	// the end of the series backwards, so that after adding batch d they
	// describe batches d … b-1: numerically stable and O(b).
	var mean, m2 float64
	best, bestStat := 0, math.Inf(1)
	for d := b - 1; d >= 0; d-- {
		n := float64(b - d)
		delta := z[d] - mean
		mean += delta / n
		m2 += delta * (z[d] - mean)
		if d > limit {
			continue
		}
		if stat := m2 / (n * n); stat <= bestStat {
			best, bestStat = d, stat
		}
	}
	return best, b >= mserMinBatches && best < limit
}
