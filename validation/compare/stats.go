package main

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// summary is a sample's mean and the half-width of its Student-t interval.
type summary struct {
	n          int
	mean, half float64
	variance   float64
}

func summarize(x []float64, conf float64) summary {
	s := summary{n: len(x)}
	if len(x) == 0 {
		return s
	}
	s.mean = stat.Mean(x, nil)
	if len(x) > 1 {
		s.variance = stat.Variance(x, nil)
		s.half = tq(conf, float64(len(x)-1)) * math.Sqrt(s.variance/float64(len(x)))
	}
	return s
}

// welch is the half-width of the interval for the difference of two
// independent means, with Welch's degrees of freedom.
func welch(a, b summary, conf float64) float64 {
	if a.n < 2 || b.n < 2 {
		return math.Inf(1)
	}
	va, vb := a.variance/float64(a.n), b.variance/float64(b.n)
	se2 := va + vb
	if se2 == 0 {
		return 0
	}
	df := se2 * se2 / (va*va/float64(a.n-1) + vb*vb/float64(b.n-1))
	return tq(conf, df) * math.Sqrt(se2)
}

func tq(conf, df float64) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(1 - (1-conf)/2)
}
