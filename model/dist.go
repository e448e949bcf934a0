package model

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/poolsim/poolsim/engine"
)

// Dist is a distribution of durations: a constant ("40ms") or a table such
// as { dist = "lognormal", mean = "40ms", cv = 1.5 }. Parameters that are
// durations are held in engine time (nanoseconds).
type Dist struct {
	Kind   string        // constant | deterministic | exponential | lognormal | uniform | gamma | weibull | pareto | empirical
	Mean   engine.Time   // constant, deterministic, exponential, lognormal, gamma, weibull, pareto
	CV     float64       // lognormal, gamma: coefficient of variation (sd/mean)
	Min    engine.Time   // uniform; pareto: the scale x_m
	Max    engine.Time   // uniform
	Shape  float64       // weibull k, pareto alpha, gamma shape (instead of cv)
	Values []engine.Time // empirical: equally likely values
}

// Const returns the constant distribution at d.
func Const(d engine.Time) Dist { return Dist{Kind: "constant", Mean: d} }

// IsZero reports whether d is absent (never set) or the constant zero.
func (d Dist) IsZero() bool {
	return d.Kind == "" || ((d.Kind == "constant" || d.Kind == "deterministic") && d.Mean == 0)
}

// Expected returns the distribution's mean.
func (d Dist) Expected() engine.Time {
	switch d.Kind {
	case "uniform":
		return (d.Min + d.Max) / 2
	case "weibull":
		if d.Mean > 0 {
			return d.Mean
		}
		return 0
	case "pareto":
		if d.Mean > 0 {
			return d.Mean
		}
		if d.Shape > 1 {
			return engine.FromSeconds(d.Shape * d.Min.Seconds() / (d.Shape - 1))
		}
		return engine.Never
	case "empirical":
		var s float64
		for _, v := range d.Values {
			s += float64(v)
		}
		if len(d.Values) == 0 {
			return 0
		}
		return engine.Time(s / float64(len(d.Values)))
	}
	return d.Mean
}

// Sampler draws from a Dist using one random stream. Drawing allocates
// nothing.
type Sampler struct {
	kind   int
	c      float64 // constant, exponential mean, uniform min (all in ns)
	w      float64 // uniform width
	logn   distuv.LogNormal
	gamma  distuv.Gamma
	weib   distuv.Weibull
	pareto distuv.Pareto
	values []engine.Time
	r      *rand.Rand
}

const (
	sConst = iota
	sExp
	sUniform
	sLogNormal
	sGamma
	sWeibull
	sPareto
	sEmpirical
)

// Sampler returns a sampler of d drawing from r.
func (d Dist) Sampler(r *rand.Rand) *Sampler {
	s := &Sampler{r: r}
	mean := float64(d.Mean)
	switch d.Kind {
	case "", "constant", "deterministic":
		s.kind, s.c = sConst, mean
	case "exponential":
		s.kind, s.c = sExp, mean
	case "uniform":
		s.kind, s.c, s.w = sUniform, float64(d.Min), float64(d.Max-d.Min)
	case "lognormal":
		s2 := math.Log1p(d.CV * d.CV)
		s.kind = sLogNormal
		s.logn = distuv.LogNormal{Mu: math.Log(mean) - s2/2, Sigma: math.Sqrt(s2), Src: r}
	case "gamma":
		k := d.Shape
		if k == 0 {
			k = 1 / (d.CV * d.CV)
		}
		s.kind = sGamma
		s.gamma = distuv.Gamma{Alpha: k, Beta: k / mean, Src: r}
	case "weibull":
		// Scale from the mean: E = λ Γ(1 + 1/k).
		k := d.Shape
		s.kind = sWeibull
		s.weib = distuv.Weibull{K: k, Lambda: mean / math.Gamma(1+1/k), Src: r}
	case "pareto":
		a := d.Shape
		xm := float64(d.Min)
		if xm == 0 && a > 1 {
			xm = mean * (a - 1) / a
		}
		s.kind = sPareto
		s.pareto = distuv.Pareto{Xm: xm, Alpha: a, Src: r}
	case "empirical":
		s.kind, s.values = sEmpirical, d.Values
	default:
		panic("model: unknown distribution " + d.Kind)
	}
	return s
}

// Next draws one duration (never negative).
func (s *Sampler) Next() engine.Time {
	var ns float64
	switch s.kind {
	case sConst:
		return engine.Time(s.c)
	case sExp:
		ns = s.r.ExpFloat64() * s.c
	case sUniform:
		ns = s.c + s.r.Float64()*s.w
	case sLogNormal:
		ns = s.logn.Rand()
	case sGamma:
		ns = s.gamma.Rand()
	case sWeibull:
		ns = s.weib.Rand()
	case sPareto:
		ns = s.pareto.Rand()
	case sEmpirical:
		if len(s.values) == 0 {
			return 0
		}
		return s.values[s.r.IntN(len(s.values))]
	}
	if ns >= float64(engine.Never) {
		return engine.Never - 1
	}
	if ns < 0 {
		return 0
	}
	return engine.Time(ns)
}
