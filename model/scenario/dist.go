package scenario

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/poolsim/poolsim/engine"
)

// Dist is a distribution of durations: a constant ("40ms") or a table such
// as { dist = "lognormal", mean = "40ms", cv = 1.5 }. Parameters that are
// durations are held in engine time (nanoseconds). What each Kind takes,
// needs, means and draws is its row of the table in distkinds.go.
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
	k, ok := lookupDist(d.Kind)
	return d.Kind == "" || ok && k.constant && d.Mean == 0
}

// Expected returns the distribution's mean (engine.Never when it is
// infinite).
func (d Dist) Expected() engine.Time {
	if k, ok := lookupDist(d.Kind); ok && k.mean != nil {
		return k.mean(d)
	}
	return d.Mean
}

// Sampler draws from a Dist using one random stream. Drawing allocates
// nothing.
type Sampler struct{ d drawer }

// drawer draws one duration.
type drawer interface{ draw() engine.Time }

// Sampler returns a sampler of d drawing from r. It panics on a kind that
// is not in the table: Decode and Validate refuse those.
func (d Dist) Sampler(r *rand.Rand) *Sampler {
	k, ok := lookupDist(d.Kind)
	if !ok {
		panic("model: unknown distribution " + d.Kind)
	}
	return &Sampler{d: k.sampler(d, r)}
}

// Next draws one duration (never negative).
func (s *Sampler) Next() engine.Time { return s.d.draw() }

// clampNS converts a draw in nanoseconds to engine time, within [0, Never).
func clampNS(ns float64) engine.Time {
	if ns >= float64(engine.Never) {
		return engine.Never - 1
	}
	if ns < 0 {
		return 0
	}
	return engine.Time(ns)
}

// The drawers, one per family. Each keeps the arithmetic of its family as
// it was first written, so that a seed gives the same draws.
type (
	constDraw struct{ c float64 }
	expDraw   struct {
		mean float64
		r    *rand.Rand
	}
	uniformDraw struct {
		min, width float64
		r          *rand.Rand
	}
	randerDraw    struct{ d distuv.Rander }
	empiricalDraw struct {
		values []engine.Time
		r      *rand.Rand
	}
)

func (s constDraw) draw() engine.Time   { return engine.Time(s.c) }
func (s expDraw) draw() engine.Time     { return clampNS(s.r.ExpFloat64() * s.mean) }
func (s uniformDraw) draw() engine.Time { return clampNS(s.min + s.r.Float64()*s.width) }
func (s randerDraw) draw() engine.Time  { return clampNS(s.d.Rand()) }
func (s empiricalDraw) draw() engine.Time {
	if len(s.values) == 0 {
		return 0
	}
	return s.values[s.r.IntN(len(s.values))]
}

// The samplers of the families, for the table.
func constSampler(d Dist, _ *rand.Rand) drawer { return constDraw{float64(d.Mean)} }

func expSampler(d Dist, r *rand.Rand) drawer { return expDraw{float64(d.Mean), r} }

func uniformSampler(d Dist, r *rand.Rand) drawer {
	return uniformDraw{float64(d.Min), float64(d.Max - d.Min), r}
}

func lognormalSampler(d Dist, r *rand.Rand) drawer {
	s2 := math.Log1p(d.CV * d.CV)
	return randerDraw{&distuv.LogNormal{Mu: math.Log(float64(d.Mean)) - s2/2, Sigma: math.Sqrt(s2), Src: r}}
}

func gammaSampler(d Dist, r *rand.Rand) drawer {
	k := d.Shape
	if k == 0 {
		k = 1 / (d.CV * d.CV)
	}
	return randerDraw{&distuv.Gamma{Alpha: k, Beta: k / float64(d.Mean), Src: r}}
}

// weibullSampler takes the scale from the mean: E = λ Γ(1 + 1/k).
func weibullSampler(d Dist, r *rand.Rand) drawer {
	k := d.Shape
	return randerDraw{&distuv.Weibull{K: k, Lambda: float64(d.Mean) / math.Gamma(1+1/k), Src: r}}
}

func paretoSampler(d Dist, r *rand.Rand) drawer {
	a := d.Shape
	xm := float64(d.Min)
	if xm == 0 && a > 1 {
		xm = float64(d.Mean) * (a - 1) / a
	}
	return randerDraw{&distuv.Pareto{Xm: xm, Alpha: a, Src: r}}
}

func empiricalSampler(d Dist, r *rand.Rand) drawer { return empiricalDraw{d.Values, r} }
