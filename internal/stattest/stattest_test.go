package stattest

import (
	"math"
	"testing"
)

// The t quantiles match the printed tables (e.g. Law, Simulation Modeling
// and Analysis, table T.1).
func TestTQuantileTable(t *testing.T) {
	for _, tc := range []struct {
		q    float64
		df   int
		want float64
	}{{0.975, 9, 2.262}, {0.9995, 19, 3.883}, {0.95, 4, 2.132}, {0.995, 29, 2.756}} {
		if got := TQuantile(tc.q, tc.df); math.Abs(got-tc.want) > 5e-4 {
			t.Errorf("TQuantile(%v, %d) = %.4f, table %.3f", tc.q, tc.df, got, tc.want)
		}
	}
}

// MeanCI of a sample worked out by hand: 1..5 has mean 3, s = √2.5, and the
// 95 % half-width t_{0.975,4}·s/√5 = 2.776·0.7071 = 1.963.
func TestMeanCIByHand(t *testing.T) {
	m, h := MeanCI([]float64{1, 2, 3, 4, 5}, 0.95)
	if m != 3 || math.Abs(h-1.963) > 1e-3 {
		t.Errorf("MeanCI = %v ± %v, want 3 ± 1.963", m, h)
	}
	if _, h := MeanCI([]float64{7}, 0.95); !math.IsInf(h, 1) {
		t.Errorf("one value: half-width %v, want +Inf", h)
	}
}

// The region of Binomial(100, 0.5) at 95 % is [40, 60] (P(X < 40) = 0.0176,
// P(X < 41) = 0.0284 > 0.025), and it tightens as the level falls.
func TestBinomialBoundsByHand(t *testing.T) {
	if lo, hi := BinomialBounds(100, 0.5, 0.95); lo != 40 || hi != 60 {
		t.Errorf("BinomialBounds(100, 0.5, 0.95) = [%d, %d], want [40, 60]", lo, hi)
	}
	lo9, hi9 := BinomialBounds(100, 0.5, 0.5)
	if lo9 <= 40 || hi9 >= 60 {
		t.Errorf("50 %% region [%d, %d] not inside the 95 %% one", lo9, hi9)
	}
}

// SDRatioUpper matches the printed χ² tables: χ²_{0.999,19} = 43.820 and
// χ²_{0.95,10} = 18.307.
func TestSDRatioUpperTable(t *testing.T) {
	for _, tc := range []struct {
		df   int
		conf float64
		want float64
	}{{19, 0.999, math.Sqrt(43.820 / 19)}, {10, 0.95, math.Sqrt(18.307 / 10)}} {
		if got := SDRatioUpper(tc.df, tc.conf); math.Abs(got-tc.want) > 1e-4 {
			t.Errorf("SDRatioUpper(%d, %v) = %.5f, table %.5f", tc.df, tc.conf, got, tc.want)
		}
	}
}
