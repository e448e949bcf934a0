package fit

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestFitRecoversParameters: maximum likelihood recovers each candidate's
// parameters from a sample of it within 4 standard errors (from the
// Fisher information), AIC picks the true family, and the KS test does not
// reject it; the standard errors are under 3 % of the values, so the check
// means something. Sampled at 1 ms resolution, as IIS logs time-taken.
func TestFitRecoversParameters(t *testing.T) {
	const n = 20000
	src := rand.New(rand.NewPCG(1, 2))
	tests := []struct {
		kind   string
		draw   func() float64
		params []float64
	}{
		{"exponential", distuv.Exponential{Rate: 1 / 0.050, Src: src}.Rand, []float64{0.050}},
		{"lognormal", distuv.LogNormal{Mu: math.Log(0.040), Sigma: 0.8, Src: src}.Rand, []float64{math.Log(0.040), 0.8}},
		{"gamma", distuv.Gamma{Alpha: 3, Beta: 3 / 0.120, Src: src}.Rand, []float64{3, 3 / 0.120}},
		{"weibull", distuv.Weibull{K: 1.7, Lambda: 0.200, Src: src}.Rand, []float64{1.7, 0.200}},
	}
	for _, tt := range tests {
		t.Run(tt.kind, func(t *testing.T) {
			x := make([]float64, n)
			for i := range x {
				x[i] = math.Floor(tt.draw()*1000) / 1000
			}
			f, err := Fit(x, 0.001)
			if err != nil {
				t.Fatal(err)
			}
			var c *Candidate
			for i := range f.Candidates {
				if f.Candidates[i].Dist.Kind == tt.kind {
					c = &f.Candidates[i]
				}
			}
			if c == nil {
				t.Fatalf("no %s candidate", tt.kind)
			}
			for i, want := range tt.params {
				got, se := c.Params[i], c.StdErr[i]
				if se > 0.03*math.Abs(want) {
					t.Errorf("parameter %d: standard error %g is over 3%% of %g: the test would be too loose", i, se, want)
				}
				if math.Abs(got-want) > 4*se {
					t.Errorf("parameter %d = %g, want %g ± 4×%g", i, got, want, se)
				}
			}
			// Gamma and Weibull with shape 1 are the exponential: AIC may
			// pick them by chance (P(χ²₁ > 2) = 0.16), with a shape
			// consistent with 1.
			b := f.Best()
			nests := tt.kind == "exponential" && (b.Dist.Kind == "gamma" || b.Dist.Kind == "weibull") && math.Abs(b.Params[0]-1) < 4*b.StdErr[0]
			if b.Dist.Kind != tt.kind && !nests {
				t.Errorf("AIC chose %s (shape %g ± %g), want %s", b.Dist.Kind, b.Params[0], b.StdErr[0], tt.kind)
			}
			if c.KSP < Significance || f.Warning != "" {
				t.Errorf("KS D = %g, p = %g for the true family; warning %q", c.KS, c.KSP, f.Warning)
			}
		})
	}
}

// TestFitWarnsWhenNoneFits: a bimodal sample (fast cache hits, slow
// misses) fits no candidate, and Fit says so.
func TestFitWarnsWhenNoneFits(t *testing.T) {
	src := rand.New(rand.NewPCG(3, 4))
	x := make([]float64, 5000)
	for i := range x {
		x[i] = 0.005 + 0.001*src.NormFloat64()
		if i%3 == 0 {
			x[i] = 0.800 + 0.05*src.NormFloat64()
		}
	}
	f, err := Fit(x, 0)
	if err != nil {
		t.Fatal(err)
	}
	if f.Warning == "" {
		t.Errorf("no warning; best %s, D = %g", f.Best().Dist.Kind, f.Best().KS)
	}
}

// TestKSPValue checks the Kolmogorov tail against its known quantiles:
// P(√n D > 1.358) = 0.05 and P(√n D > 1.628) = 0.01 for large n.
func TestKSPValue(t *testing.T) {
	n := 1_000_000
	for _, c := range []struct{ lambda, p float64 }{{1.358, 0.05}, {1.628, 0.01}, {1.224, 0.10}} {
		if got := ksPValue(c.lambda/math.Sqrt(float64(n)), n); math.Abs(got-c.p) > 0.001 {
			t.Errorf("p at λ = %g: %g, want %g", c.lambda, got, c.p)
		}
	}
}

func TestFitRefusesBadSamples(t *testing.T) {
	for _, x := range [][]float64{nil, {0.1}, {0.1, -1}, {0.1, math.NaN()}} {
		if _, err := Fit(x, 0); err == nil {
			t.Errorf("Fit(%v): no error", x)
		}
	}
}
