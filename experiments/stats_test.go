package experiments

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat"

	"github.com/poolsim/poolsim/internal/stattest"
)

// coverageLevel is the level of the binomial acceptance regions of the
// coverage counts below: a correct interval fails a check about 6 times in
// 100000 seeds (the two-sided tail of 4 standard deviations).
const coverageLevel = 0.99994

// The Student-t interval covers the true mean of normal data with the
// nominal probability, for small and large samples and several levels.
func TestCICoverage(t *testing.T) {
	const trials = 4000
	r := rand.New(rand.NewPCG(2026, 11))
	for _, tc := range []struct {
		n    int
		conf float64
	}{{2, 0.95}, {5, 0.95}, {10, 0.9}, {30, 0.99}} {
		covered := 0
		x := make([]float64, tc.n)
		for range trials {
			a := newAcc(1)
			for i := range x {
				x[i] = 3 + 2*r.NormFloat64()
				a.add(x[i : i+1])
			}
			if math.Abs(a.mean(0)-3) <= a.halfWidth(0, tc.conf) {
				covered++
			}
		}
		lo, hi := stattest.BinomialBounds(trials, tc.conf, coverageLevel)
		if covered < lo || covered > hi {
			t.Errorf("n=%d, %v: %d of %d intervals cover the mean, want %d to %d", tc.n, tc.conf, covered, trials, lo, hi)
		}
	}
}

// The streaming accumulator agrees with gonum's two-pass mean and standard
// deviation, and the half-width is t·s/√n.
func TestAccMatchesGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, 17)
	a := newAcc(1)
	for i := range x {
		x[i] = 1e6 + r.ExpFloat64()
		a.add(x[i : i+1])
	}
	mean, sd := stat.MeanStdDev(x, nil)
	if !near(a.mean(0), mean) || !near(math.Sqrt(a.variance(0)), sd) {
		t.Errorf("acc mean %v sd %v, gonum %v %v", a.mean(0), math.Sqrt(a.variance(0)), mean, sd)
	}
	tq := stattest.TQuantile(0.975, 16)
	if hw := a.halfWidth(0, 0.95); !near(hw, tq*sd/math.Sqrt(17)) {
		t.Errorf("half-width %v, want %v", hw, tq*sd/math.Sqrt(17))
	}
	// One observation: no spread, half-width 0.
	one := newAcc(1)
	one.add([]float64{5})
	if one.halfWidth(0, 0.95) != 0 || one.variance(0) != 0 {
		t.Error("a single observation has a half-width")
	}
}

// With equal sizes and equal variances, Welch's interval is the pooled
// two-sample t interval: the same standard error and 2(n-1) degrees of
// freedom.
func TestWelchEqualVariances(t *testing.T) {
	a, b := newAcc(1), newAcc(1)
	for _, v := range []float64{1, 2, 3, 4, 5} {
		a.add([]float64{v})
		b.add([]float64{v + 10})
	}
	s2 := a.variance(0) // = b's
	want := stattest.TQuantile(0.975, 8) * math.Sqrt(2*s2/5)
	if got := welchHalfWidth(a, b, 0, 0.95); !near(got, want) {
		t.Errorf("Welch %v, pooled %v", got, want)
	}
	// No spread at all: 0.
	c, d := newAcc(1), newAcc(1)
	for range 3 {
		c.add([]float64{1})
		d.add([]float64{2})
	}
	if got := welchHalfWidth(c, d, 0, 0.95); got != 0 {
		t.Errorf("Welch of constants %v", got)
	}
}

// Paired intervals on differences keep their nominal coverage: the
// half-width of the mean difference of correlated pairs.
func TestPairedCoverage(t *testing.T) {
	const trials, n = 4000, 6
	r := rand.New(rand.NewPCG(7, 7))
	covered := 0
	for range trials {
		a := newAcc(1)
		for range n {
			common := 5 * r.NormFloat64()
			x := 10 + common + r.NormFloat64()
			y := 9 + common + r.NormFloat64()
			a.add([]float64{x - y})
		}
		if math.Abs(a.mean(0)-1) <= a.halfWidth(0, 0.95) {
			covered++
		}
	}
	if lo, hi := stattest.BinomialBounds(trials, 0.95, coverageLevel); covered < lo || covered > hi {
		t.Errorf("%d of %d paired intervals cover the difference, want %d to %d", covered, trials, lo, hi)
	}
}
