// Package stattest holds the statistics that poolsim's tests use to compare
// a simulation with theory or a measurement: Student-t intervals of
// replication means and binomial acceptance regions of counts. It is one
// helper for every package's tests, so that all of them judge agreement the
// same way.
package stattest

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// TQuantile is the q-quantile of Student's t with df degrees of freedom.
func TQuantile(q float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(q)
}

// MeanCI returns the mean of xs and the half-width of its two-sided
// Student-t confidence interval at level conf: t_{1−(1−conf)/2, n−1}·s/√n.
// For independent replications of a simulation this is the classical
// interval of the expected value of the per-run estimate. It needs at least
// two values; with fewer the half-width is +Inf, so that no comparison can
// pass on it.
func MeanCI(xs []float64, conf float64) (mean, half float64) {
	n := len(xs)
	if n == 0 {
		return math.NaN(), math.Inf(1)
	}
	for _, x := range xs {
		mean += x
	}
	mean /= float64(n)
	if n < 2 {
		return mean, math.Inf(1)
	}
	var ss float64
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	sd := math.Sqrt(ss / float64(n-1))
	return mean, TQuantile(1-(1-conf)/2, n-1) * sd / math.Sqrt(float64(n))
}

// BinomialBounds returns the central acceptance region [lo, hi] of a
// Binomial(n, p) count at level conf: lo is the largest k with
// P(X < k) ≤ (1−conf)/2 and hi the smallest k with P(X > k) ≤ (1−conf)/2,
// so that P(lo ≤ X ≤ hi) ≥ conf.
func BinomialBounds(n int, p, conf float64) (lo, hi int) {
	d := distuv.Binomial{N: float64(n), P: p}
	alpha := (1 - conf) / 2
	for lo = 0; lo < n && d.CDF(float64(lo)) <= alpha; lo++ {
	}
	for hi = n; hi > 0 && 1-d.CDF(float64(hi-1)) <= alpha; hi-- {
	}
	return lo, hi
}

// SDRatioUpper is the conf-quantile of s/σ, for the standard deviation s
// of df+1 independent normal values of standard deviation σ:
// √(χ²_{conf, df}/df). A sample whose s is over σ times this shows, at
// level conf, a variance larger than σ²: a test that knows σ from theory
// asserts with it that its interval is as tight as theory says.
func SDRatioUpper(df int, conf float64) float64 {
	return math.Sqrt(distuv.ChiSquared{K: float64(df)}.Quantile(conf) / float64(df))
}
