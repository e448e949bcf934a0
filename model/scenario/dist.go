package scenario

import (
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/poolsim/poolsim/engine"
)

// Quantity is what a distribution draws: a duration (engine time, in
// nanoseconds), a size (bytes) or a rate (bytes per second). Each has its
// unit, the row of distUnits that reads and writes it.
type Quantity interface{ ~int64 | ~float64 }

// Distribution is a distribution of one quantity: a constant ("40ms",
// "550MB", "2Mbit/s") or a table such as { dist = "lognormal", mean =
// "40ms", cv = 1.5 }, whose parameters are written in the quantity's own
// unit. What each Kind takes, needs, means and draws is its row of the
// table in distkinds.go, the same for every quantity.
type Distribution[Q Quantity] struct {
	Kind   string  // constant | deterministic | exponential | lognormal | uniform | gamma | weibull | pareto | empirical
	Mean   Q       // constant, deterministic, exponential, lognormal, gamma, weibull, pareto
	CV     float64 // lognormal, gamma: coefficient of variation (sd/mean)
	Min    Q       // uniform; pareto: the scale x_m
	Max    Q       // uniform
	Shape  float64 // weibull k, pareto alpha, gamma shape (instead of cv)
	Values []Q     // empirical: equally likely values
}

// Dist is a distribution of durations, held in engine time (nanoseconds).
type Dist = Distribution[engine.Time]

// SizeDist is a distribution of sizes in bytes ("550MB", or a table whose
// parameters are sizes).
type SizeDist = Distribution[Size]

// RateDist is a distribution of rates in bytes per second ("2Mbit/s", or a
// table whose parameters are rates).
type RateDist = Distribution[Rate]

// Const returns the constant distribution at d.
func Const(d engine.Time) Dist { return Constant(d) }

// Constant returns the constant distribution at q.
func Constant[Q Quantity](q Q) Distribution[Q] { return Distribution[Q]{Kind: "constant", Mean: q} }

// IsZero reports whether d is absent (never set) or the constant zero.
func (d Distribution[Q]) IsZero() bool {
	c, ok := d.Constant()
	return ok && c == 0
}

// Constant returns the value of a constant distribution (a bare value, or
// the table forms "constant" and "deterministic"; absent is zero), and
// false for any other.
func (d Distribution[Q]) Constant() (Q, bool) {
	if d.Kind == "" {
		return d.Mean, true
	}
	k, ok := lookupDist[Q](d.Kind)
	return d.Mean, ok && k.constant
}

// Expected returns the distribution's mean (the largest value of its unit
// when it is infinite: engine.Never for durations).
func (d Distribution[Q]) Expected() Q {
	if k, ok := lookupDist[Q](d.Kind); ok && k.mean != nil {
		return k.mean(d)
	}
	return d.Mean
}

// DistSampler draws from a Distribution using one random stream. Drawing
// allocates nothing.
type DistSampler[Q Quantity] struct{ d drawer[Q] }

// Sampler draws durations.
type Sampler = DistSampler[engine.Time]

// drawer draws one value.
type drawer[Q Quantity] interface{ draw() Q }

// Sampler returns a sampler of d drawing from r. It panics on a kind that
// is not in the table: Decode and Validate refuse those.
func (d Distribution[Q]) Sampler(r *rand.Rand) *DistSampler[Q] {
	k, ok := lookupDist[Q](d.Kind)
	if !ok {
		panic("model: unknown distribution " + d.Kind)
	}
	return &DistSampler[Q]{d: k.sampler(d, r, unitOf[Q]().drawTop)}
}

// Next draws one value (never negative).
func (s *DistSampler[Q]) Next() Q { return s.d.draw() }

// clamp converts a draw to its quantity within [0, top]: durations stop
// short of engine.Never, sizes at 1PB, rates at 1PB/s.
type clamp[Q Quantity] struct{ top Q }

func (c clamp[Q]) of(x float64) Q {
	if x >= float64(c.top) {
		return c.top
	}
	if x < 0 {
		return 0
	}
	return Q(x)
}

// The drawers, one per family. Each keeps the arithmetic of its family as
// it was first written, so that a seed gives the same draws.
type (
	constDraw[Q Quantity] struct{ c float64 }
	expDraw[Q Quantity]   struct {
		mean float64
		r    *rand.Rand
		clamp[Q]
	}
	uniformDraw[Q Quantity] struct {
		min, width float64
		r          *rand.Rand
		clamp[Q]
	}
	randerDraw[Q Quantity] struct {
		d distuv.Rander
		clamp[Q]
	}
	empiricalDraw[Q Quantity] struct {
		values []Q
		r      *rand.Rand
	}
)

func (s constDraw[Q]) draw() Q   { return Q(s.c) }
func (s expDraw[Q]) draw() Q     { return s.of(s.r.ExpFloat64() * s.mean) }
func (s uniformDraw[Q]) draw() Q { return s.of(s.min + s.r.Float64()*s.width) }
func (s randerDraw[Q]) draw() Q  { return s.of(s.d.Rand()) }
func (s empiricalDraw[Q]) draw() Q {
	if len(s.values) == 0 {
		return 0
	}
	return s.values[s.r.IntN(len(s.values))]
}

// The samplers of the families, for the table; top is the largest draw.
func constSampler[Q Quantity](d Distribution[Q], _ *rand.Rand, _ Q) drawer[Q] {
	return constDraw[Q]{float64(d.Mean)}
}

func expSampler[Q Quantity](d Distribution[Q], r *rand.Rand, top Q) drawer[Q] {
	return expDraw[Q]{float64(d.Mean), r, clamp[Q]{top}}
}

func uniformSampler[Q Quantity](d Distribution[Q], r *rand.Rand, top Q) drawer[Q] {
	return uniformDraw[Q]{float64(d.Min), float64(d.Max - d.Min), r, clamp[Q]{top}}
}

func lognormalSampler[Q Quantity](d Distribution[Q], r *rand.Rand, top Q) drawer[Q] {
	s2 := math.Log1p(d.CV * d.CV)
	return randerDraw[Q]{&distuv.LogNormal{Mu: math.Log(float64(d.Mean)) - s2/2, Sigma: math.Sqrt(s2), Src: r}, clamp[Q]{top}}
}

func gammaSampler[Q Quantity](d Distribution[Q], r *rand.Rand, top Q) drawer[Q] {
	k := d.Shape
	if k == 0 {
		k = 1 / (d.CV * d.CV)
	}
	return randerDraw[Q]{&distuv.Gamma{Alpha: k, Beta: k / float64(d.Mean), Src: r}, clamp[Q]{top}}
}

// weibullSampler takes the scale from the mean: E = λ Γ(1 + 1/k).
func weibullSampler[Q Quantity](d Distribution[Q], r *rand.Rand, top Q) drawer[Q] {
	k := d.Shape
	return randerDraw[Q]{&distuv.Weibull{K: k, Lambda: float64(d.Mean) / math.Gamma(1+1/k), Src: r}, clamp[Q]{top}}
}

func paretoSampler[Q Quantity](d Distribution[Q], r *rand.Rand, top Q) drawer[Q] {
	a := d.Shape
	xm := float64(d.Min)
	if xm == 0 && a > 1 {
		xm = float64(d.Mean) * (a - 1) / a
	}
	return randerDraw[Q]{&distuv.Pareto{Xm: xm, Alpha: a, Src: r}, clamp[Q]{top}}
}

func empiricalSampler[Q Quantity](d Distribution[Q], r *rand.Rand, _ Q) drawer[Q] {
	return empiricalDraw[Q]{d.Values, r}
}
