package queueing

import (
	"math"
	"testing"
)

func TestTheoryErlangB(t *testing.T) {
	// Erlang B tables give the offered load that a group of N circuits
	// carries at a grade of service of 1 % (e.g. the tables of
	// ITU-T E.501 / every teletraffic handbook): 10 → 4.461, 20 → 12.031,
	// 50 → 37.901, 100 → 84.064 erlangs. The tables round A to 0.001,
	// which moves B by less than 1e-5 here.
	for _, tc := range []struct {
		n int
		a float64
	}{{10, 4.461}, {20, 12.031}, {50, 37.901}, {100, 84.064}} {
		if b := ErlangB(tc.n, tc.a); math.Abs(b-0.01) > 2e-5 {
			t.Errorf("ErlangB(%d, %v) = %.6f, table says 0.01", tc.n, tc.a, b)
		}
	}
	// Closed forms and a classic value: B(1, a) = a/(1+a);
	// B(2, 1) = (1/2)/(1 + 1 + 1/2) = 0.2; B(10, 5) = 0.018385.
	for _, tc := range []struct {
		c    int
		a    float64
		want float64
		tol  float64
	}{{1, 3, 0.75, 1e-15}, {2, 1, 0.2, 1e-15}, {10, 5, 0.018385, 5e-7}} {
		if b := ErlangB(tc.c, tc.a); math.Abs(b-tc.want) > tc.tol {
			t.Errorf("ErlangB(%d, %v) = %.7f, want %.7f", tc.c, tc.a, b, tc.want)
		}
	}
	// M/M/c/c is M/M/c/K with K = c.
	for c := 1; c <= 8; c++ {
		if block, _, _ := MMcK(c, c, 2.5, 1); math.Abs(block-ErlangB(c, 2.5)) > 1e-14 {
			t.Errorf("MMcK(%d, %d) blocking %v != erlangB %v", c, c, block, ErlangB(c, 2.5))
		}
	}
}

func TestTheoryErlangC(t *testing.T) {
	// M/M/1: C = ρ, Wq = ρ/(μ−λ).
	if c := ErlangC(1, 0.7); math.Abs(c-0.7) > 1e-15 {
		t.Errorf("ErlangC(1, 0.7) = %v, want 0.7", c)
	}
	if w := MMcWait(1, 0.7, 1); math.Abs(w-0.7/0.3) > 1e-12 {
		t.Errorf("M/M/1 Wq = %v, want %v", w, 0.7/0.3)
	}
	// M/M/2: C = 2ρ²/(1+ρ); with λ = μ = 1 (ρ = 1/2) C = 1/3 and
	// Wq = C/(2μ−λ) = 1/3.
	if c := ErlangC(2, 1); math.Abs(c-1.0/3) > 1e-15 {
		t.Errorf("ErlangC(2, 1) = %v, want 1/3", c)
	}
	// A textbook call-centre value: c = 4, a = 3 erlangs: C = 0.5094.
	if c := ErlangC(4, 3); math.Abs(c-0.5094) > 5e-5 {
		t.Errorf("ErlangC(4, 3) = %.5f, want 0.5094", c)
	}
	// M/M/c/K tends to M/M/c as K grows: Lq = C·ρ/(1−ρ).
	c, lambda := 4, 3.2
	_, lq, busy := MMcK(c, 4000, lambda, 1)
	rho := lambda / float64(c)
	if want := ErlangC(c, lambda) * rho / (1 - rho); math.Abs(lq-want) > 1e-9 {
		t.Errorf("M/M/4/4000 Lq = %v, M/M/4 Lq = %v", lq, want)
	}
	if math.Abs(busy-lambda) > 1e-9 {
		t.Errorf("M/M/4/4000 busy = %v, want λ/μ = %v", busy, lambda)
	}
}

func TestTheoryMM1K(t *testing.T) {
	// M/M/1/K: p_K = (1−ρ)ρ^K / (1−ρ^{K+1}).
	for _, k := range []int{1, 2, 5, 10} {
		for _, rho := range []float64{0.5, 0.9, 1.3} {
			want := (1 - rho) * math.Pow(rho, float64(k)) / (1 - math.Pow(rho, float64(k+1)))
			if got, _, _ := MMcK(1, k, rho, 1); math.Abs(got-want) > 1e-14 {
				t.Errorf("M/M/1/%d ρ=%v: p_K = %v, want %v", k, rho, got, want)
			}
		}
	}
}
