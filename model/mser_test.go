package model

import (
	"math"
	"math/rand/v2"
	"testing"
)

// mserReference is the textbook O(b²) MSER-5: batch means, then for every d
// in the first half the mean squared deviation of the rest over (b-d).
func mserReference(y []float64) int {
	b := len(y) / MSERBatch
	z := make([]float64, b)
	for j := range z {
		for _, v := range y[j*MSERBatch : (j+1)*MSERBatch] {
			z[j] += v
		}
		z[j] /= MSERBatch
	}
	best, bestStat := 0, math.Inf(1)
	for d := 0; d <= b/2; d++ {
		var mean float64
		for _, v := range z[d:] {
			mean += v
		}
		n := float64(b - d)
		mean /= n
		var ss float64
		for _, v := range z[d:] {
			ss += (v - mean) * (v - mean)
		}
		if stat := ss / (n * n); stat < bestStat*(1-1e-12) {
			best, bestStat = d, stat
		}
	}
	return best
}

func TestMSER5Edges(t *testing.T) {
	for _, tc := range []struct {
		name  string
		y     []float64
		trunc int
		ok    bool
	}{
		{"empty", nil, 0, false},
		{"less than a batch", []float64{1, 2, 3, 4}, 0, false},
		{"too few batches", make([]float64, 5*9), 0, false},
		{"constant", constant(100, 3), 0, true},
		{"NaN", append([]float64{1, 2, math.NaN()}, constant(100, 3)...), 0, false},
		{"Inf", append(constant(100, 3), math.Inf(1), 0, 0, 0, 0), 0, false},
		// A partial batch at the end is ignored, whatever it holds.
		{"partial batch ignored", append(constant(100, 3), 1e9, 1e9), 0, true},
	} {
		trunc, ok := MSER5(tc.y)
		if trunc != tc.trunc || ok != tc.ok {
			t.Errorf("%s: MSER5 = %d, %v; want %d, %v", tc.name, trunc, ok, tc.trunc, tc.ok)
		}
	}
}

func constant(n int, v float64) []float64 {
	y := make([]float64, n)
	for i := range y {
		y[i] = v
	}
	return y
}

// A series that keeps trending never settles: the minimum sits at the end of
// the search range and MSER5 says so.
func TestMSER5Trend(t *testing.T) {
	y := make([]float64, 1000)
	for i := range y {
		y[i] = float64(i)
	}
	trunc, ok := MSER5(y)
	if ok || trunc != len(y)/MSERBatch/2 {
		t.Errorf("MSER5(trend) = %d, %v; want %d, false", trunc, ok, len(y)/MSERBatch/2)
	}
}

// The O(b) implementation agrees with the O(b²) definition.
func TestMSER5MatchesDefinition(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 0))
		n := 50 + r.IntN(2000)
		y := make([]float64, n)
		tau := 1 + 200*r.Float64()
		for i := range y {
			y[i] = 1000 + 20*math.Exp(-float64(i)/tau) + r.NormFloat64()
		}
		got, _ := MSER5(y)
		if want := mserReference(y); got != want {
			t.Errorf("seed %d (n=%d): MSER5 = %d, definition = %d", seed, n, got, want)
		}
	}
}

// A step: 100 observations at 10, then white noise around 0. Any truncation
// that keeps a batch of the step has a far larger statistic than one that
// drops it, so MSER5 drops all 20 batches of it.
func TestMSER5Step(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	y := make([]float64, 2000)
	for i := range y {
		y[i] = r.NormFloat64()
		if i < 100 {
			y[i] += 10
		}
	}
	trunc, ok := MSER5(y)
	if !ok || trunc < 20 || trunc > len(y)/MSERBatch/2 {
		t.Fatalf("MSER5(step) = %d, %v; want >= 20, true", trunc, ok)
	}
}

// An exponentially decaying transient: the mean of what MSER5 keeps is within
// four standard errors of the steady-state mean 0, while the untruncated mean
// is biased far beyond that.
func TestMSER5RemovesBias(t *testing.T) {
	for seed := uint64(1); seed <= 10; seed++ {
		r := rand.New(rand.NewPCG(seed, 99))
		y := make([]float64, 5000)
		for i := range y {
			y[i] = 50*math.Exp(-float64(i)/100) + r.NormFloat64()
		}
		trunc, ok := MSER5(y)
		if !ok || trunc == 0 {
			t.Fatalf("seed %d: MSER5 = %d, %v", seed, trunc, ok)
		}
		kept := y[trunc*MSERBatch:]
		var mean float64
		for _, v := range kept {
			mean += v
		}
		mean /= float64(len(kept))
		if se := 1 / math.Sqrt(float64(len(kept))); math.Abs(mean) > 4*se {
			t.Errorf("seed %d: kept mean %.4f after truncating %d batches, want |mean| <= %.4f", seed, mean, trunc, 4*se)
		}
	}
	// The bias of the whole series, for contrast: 50*100/5000 = 1.0.
}

func BenchmarkMSER5(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	y := make([]float64, 10000)
	for i := range y {
		y[i] = r.NormFloat64()
	}
	for b.Loop() {
		MSER5(y)
	}
}
