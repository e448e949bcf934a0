package model

import (
	"math"
	"runtime"
	"sync"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/poolsim/poolsim/internal/stattest"
	"github.com/poolsim/poolsim/model/scenario"
)

// This file holds the exact results of queueing theory that the simulator
// is checked against, and the statistics used to compare a simulation with
// them. The formulas are themselves checked against textbook tables and
// closed forms (TestTheory*), so that a wrong formula cannot hide a wrong
// simulator.

// poissonTail is P(X ≥ n) for X Poisson with mean m:
// 1 − Σ_{k<n} e^{−m} m^k / k!.
func poissonTail(n int, m float64) float64 {
	term, cdf := math.Exp(-m), 0.0
	for k := 0; k < n; k++ {
		cdf += term
		term *= m / float64(k+1)
	}
	return 1 - cdf
}

// confidence is the level of every comparison of a simulation with theory
// in this package: with fixed seeds a test either passes or fails for
// good, and at 99.9 % a correct simulator fails one comparison in a
// thousand seeds. The exact value must lie within the interval; equivalently
// |mean − exact| / (s/√n) < t_{0.9995, n−1} (3.88 for n = 20).
const confidence = 0.999

// checkCI fails the test unless exact lies in the conf-level t-interval of
// xs, and logs the comparison.
//
// It also fails when the half-width exceeds maxHalf, so that a simulator
// whose estimates scatter more than they should (a variance doubled widens
// the interval √2 = 1.41 times) cannot pass by widening its interval. Each
// caller's maxHalf is 1.25 times the half-width its fixed streams gave when
// the check was written: above the few per cent by which a correct change
// of the streams moves it (the relative standard error of s from n = 20
// replications is 1/√38 ≈ 16 %), below √2.
func checkCI(t *testing.T, what string, xs []float64, exact, maxHalf float64) {
	t.Helper()
	mean, half := stattest.MeanCI(xs, confidence)
	t.Logf("%s: measured %.6g ± %.3g (%.1f %% CI, n = %d), exact %.6g", what, mean, half, 100*confidence, len(xs), exact)
	if math.Abs(mean-exact) > half {
		t.Errorf("%s: measured %.6g ± %.3g does not contain the exact %.6g (|diff| = %.3g half-widths)",
			what, mean, half, exact, math.Abs(mean-exact)/half)
	}
	if half > maxHalf {
		t.Errorf("%s: half-width %.3g exceeds %.3g: the estimates scatter more than they did", what, half, maxHalf)
	}
}

// runReps runs sc in replications first, first+1, ... first+n−1, on as
// many goroutines as there are CPUs; the results are in replication order
// whatever the scheduling.
func runReps(t testing.TB, sc *scenario.Scenario, first uint64, n int) []*Result {
	t.Helper()
	out := make([]*Result, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				out[i], errs[i] = Run(sc, Options{Replication: first + uint64(i)})
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replication %d: %v", first+uint64(i), err)
		}
	}
	return out
}

// metric extracts one number from each result.
func metric(rs []*Result, f func(m *Metrics) float64) []float64 {
	xs := make([]float64, len(rs))
	for i, r := range rs {
		xs[i] = f(&r.Metrics)
	}
	return xs
}

func TestTheoryPoissonAndStatistics(t *testing.T) {
	// Poisson(4): P(X ≤ 4) = 0.628837 (tables), so P(X ≥ 5) = 0.371163.
	if p := poissonTail(5, 4); math.Abs(p-0.371163) > 1e-6 {
		t.Errorf("poissonTail(5, 4) = %.6f, want 0.371163", p)
	}
	if p := poissonTail(0, 3); p != 1 {
		t.Errorf("poissonTail(0, 3) = %v, want 1", p)
	}
	// Student t: t_{0.975, 9} = 2.262, t_{0.9995, 19} = 3.883 (tables).
	if q := stattest.TQuantile(0.975, 9); math.Abs(q-2.262) > 5e-4 {
		t.Errorf("t(0.975, 9) = %v", q)
	}
	if q := stattest.TQuantile(0.9995, 19); math.Abs(q-3.883) > 5e-4 {
		t.Errorf("t(0.9995, 19) = %v", q)
	}
	// The acceptance region holds at least its level, and shrinking it by
	// one at either end loses that.
	n, p := 100, 0.95
	lo, hi := stattest.BinomialBounds(n, p, 0.999)
	d := distuv.Binomial{N: float64(n), P: p}
	in := d.CDF(float64(hi)) - d.CDF(float64(lo-1))
	if in < 0.999 {
		t.Errorf("binomial region [%d, %d] holds %v < 0.999", lo, hi, in)
	}
	if d.CDF(float64(lo)) <= 0.0005 || 1-d.CDF(float64(hi-1)) <= 0.0005 {
		t.Errorf("binomial region [%d, %d] is not the tightest", lo, hi)
	}
	t.Logf("Binomial(100, 0.95) 99.9 %% region: [%d, %d], probability %.5f", lo, hi, in)
}
