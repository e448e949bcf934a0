package experiments

import (
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// acc accumulates a vector of observations: their sum, for the mean (exact
// for counts, so that a mean of whole numbers reads as one), and Welford's
// running mean and sum of squared deviations, for a numerically stable
// variance. Every table is computed by feeding rows in run-index order, so
// a sweep run on any number of workers, resumed, or merged from shards,
// adds the same numbers in the same order and writes the same bytes.
type acc struct {
	n                int
	sum, welford, m2 []float64
}

func newAcc(width int) *acc {
	return &acc{sum: make([]float64, width), welford: make([]float64, width), m2: make([]float64, width)}
}

func (a *acc) add(x []float64) {
	a.n++
	n := float64(a.n)
	for i, v := range x {
		a.sum[i] += v
		d := v - a.welford[i]
		a.welford[i] += d / n
		a.m2[i] += d * (v - a.welford[i])
	}
}

// mean returns the mean of component i (0 with no observations).
func (a *acc) mean(i int) float64 {
	if a.n == 0 {
		return 0
	}
	return a.sum[i] / float64(a.n)
}

// variance returns the unbiased sample variance of component i (0 when n < 2).
func (a *acc) variance(i int) float64 {
	if a.n < 2 {
		return 0
	}
	return a.m2[i] / float64(a.n-1)
}

// halfWidth returns the Student-t confidence half-width of the mean of
// component i: t(1-(1-conf)/2, n-1) · s/√n. With fewer than two
// observations there is no estimate of spread and the half-width is written
// as 0 (the n column tells why).
func (a *acc) halfWidth(i int, conf float64) float64 {
	if a.n < 2 {
		return 0
	}
	return tQuantile(conf, float64(a.n-1)) * math.Sqrt(a.variance(i)/float64(a.n))
}

// welchHalfWidth is the half-width of the confidence interval for the
// difference of the means of component i of two independent samples, with
// Welch's approximation of the degrees of freedom: what the difference's
// interval would be without common random numbers.
func welchHalfWidth(a, b *acc, i int, conf float64) float64 {
	if a.n < 2 || b.n < 2 {
		return 0
	}
	va, vb := a.variance(i)/float64(a.n), b.variance(i)/float64(b.n)
	se2 := va + vb
	if !(se2 > 0) {
		return 0
	}
	df := se2 * se2 / (va*va/float64(a.n-1) + vb*vb/float64(b.n-1))
	return tQuantile(conf, df) * math.Sqrt(se2)
}

// tQuantile returns the two-sided Student-t critical value for confidence
// conf with df degrees of freedom.
func tQuantile(conf, df float64) float64 {
	if math.IsInf(df, 1) || df > 1e7 {
		return distuv.UnitNormal.Quantile(1 - (1-conf)/2)
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1 - (1-conf)/2)
}
