package fit

import (
	"fmt"
	"math"
	"sort"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// Candidate is one distribution fitted to a sample by maximum likelihood.
type Candidate struct {
	Dist   scenario.Dist
	LogLik float64
	K      int     // parameters
	AIC    float64 // 2k − 2 log L: the criterion; smaller is better
	KS     float64 // Kolmogorov–Smirnov distance D to the sample
	KSP    float64 // its asymptotic p-value (parameters estimated: conservative)
	// Params are the fitted natural parameters and their standard errors
	// from the Fisher information (seconds where a scale): lognormal mu,
	// sigma; exponential mean; gamma shape, rate; weibull shape, scale.
	Params, StdErr []float64
	cdf            func(float64) float64
}

// Fitted is the fit of one sample: every candidate, best first by AIC.
type Fitted struct {
	N          int
	Resolution float64 // seconds: the sample is rounded down to multiples of it
	Candidates []Candidate
	Warning    string
}

// Best is the candidate with the smallest AIC.
func (f *Fitted) Best() Candidate { return f.Candidates[0] }

// Significance is the KS p-value below which Fit warns that no candidate
// fits.
const Significance = 0.01

// Fit fits the candidates that poolsim supports (exponential, lognormal,
// gamma, weibull) to x, in seconds, rounded down to multiples of resolution
// (0: exact). Rounded values are taken at the middle of their interval,
// and the KS distance is measured at the interval edges, where the rounded
// sample's distribution is known. It needs at least 2 positive values.
func Fit(x []float64, resolution float64) (*Fitted, error) {
	if len(x) < 2 {
		return nil, fmt.Errorf("%d values: too few to fit a distribution", len(x))
	}
	y := make([]float64, len(x))
	for i, v := range x {
		y[i] = v + resolution/2
		if !(y[i] > 0) || math.IsInf(y[i], 0) {
			return nil, fmt.Errorf("value %g: service times must be positive", v)
		}
	}
	sort.Float64s(y)
	if y[0] == y[len(y)-1] {
		c := Candidate{Dist: scenario.Const(sec(y[0])), K: 0, cdf: func(t float64) float64 { return step(t >= y[0]) }}
		return &Fitted{N: len(y), Resolution: resolution, Candidates: []Candidate{c}}, nil
	}
	f := &Fitted{N: len(y), Resolution: resolution}
	for _, c := range []Candidate{exponential(y), lognormal(y), gamma(y), weibull(y)} {
		if math.IsNaN(c.LogLik) || math.IsInf(c.LogLik, 0) {
			continue
		}
		c.AIC = 2*float64(c.K) - 2*c.LogLik
		c.KS = ksDistance(y, resolution, c.cdf)
		c.KSP = ksPValue(c.KS, len(y))
		f.Candidates = append(f.Candidates, c)
	}
	sort.SliceStable(f.Candidates, func(i, j int) bool { return f.Candidates[i].AIC < f.Candidates[j].AIC })
	if b := f.Best(); b.KSP < Significance {
		f.Warning = fmt.Sprintf("no candidate fits at the %g level: the best, %s, is KS D = %.3f from the sample (p = %.2g, n = %d)",
			Significance, b.Dist.Kind, b.KS, b.KSP, len(y))
	}
	return f, nil
}

func step(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// sec converts seconds to engine time rounded to the microsecond.
func sec(s float64) engine.Time {
	return engine.Time(math.Round(s*1e6)) * engine.Microsecond
}

func exponential(y []float64) Candidate {
	var e distuv.Exponential
	e.Fit(y, nil) // gonum's maximum-likelihood fit: rate = 1/mean
	mean := 1 / e.Rate
	ll := 0.0
	for _, v := range y {
		ll += e.LogProb(v)
	}
	return Candidate{Dist: scenario.Dist{Kind: "exponential", Mean: sec(mean)}, LogLik: ll, K: 1,
		Params: []float64{mean}, StdErr: []float64{mean / math.Sqrt(float64(len(y)))}, cdf: e.CDF}
}

func lognormal(y []float64) Candidate {
	logs := make([]float64, len(y))
	for i, v := range y {
		logs[i] = math.Log(v)
	}
	mu := stat.Mean(logs, nil)
	sigma := math.Sqrt(stat.Variance(logs, nil) * float64(len(y)-1) / float64(len(y))) // the MLE divides by n
	d := distuv.LogNormal{Mu: mu, Sigma: sigma}
	ll := 0.0
	for _, v := range y {
		ll += d.LogProb(v)
	}
	n := float64(len(y))
	return Candidate{Dist: scenario.Dist{Kind: "lognormal", Mean: sec(d.Mean()), CV: round4(math.Sqrt(math.Expm1(sigma * sigma)))},
		LogLik: ll, K: 2, Params: []float64{mu, sigma}, StdErr: []float64{sigma / math.Sqrt(n), sigma / math.Sqrt(2*n)}, cdf: d.CDF}
}

// gamma solves log k − ψ(k) = log(mean) − mean(log x) by Newton's method
// from Minka's starting point.
func gamma(y []float64) Candidate {
	n := float64(len(y))
	mean, meanLog := 0.0, 0.0
	for _, v := range y {
		mean += v
		meanLog += math.Log(v)
	}
	mean /= n
	meanLog /= n
	s := math.Log(mean) - meanLog
	k := (3 - s + math.Sqrt((s-3)*(s-3)+24*s)) / (12 * s)
	k = newtonShape(k, 100, func(k float64) (float64, float64) {
		return math.Log(k) - mathext.Digamma(k) - s, 1/k - trigamma(k)
	})
	rate := k / mean
	d := distuv.Gamma{Alpha: k, Beta: rate}
	ll := 0.0
	for _, v := range y {
		ll += d.LogProb(v)
	}
	// Fisher information per observation: [[ψ'(k), −1/β], [−1/β, k/β²]].
	det := trigamma(k)*k/(rate*rate) - 1/(rate*rate)
	seK := math.Sqrt(k / (rate * rate) / det / n)
	seRate := math.Sqrt(trigamma(k) / det / n)
	return Candidate{Dist: scenario.Dist{Kind: "gamma", Mean: sec(mean), Shape: round4(k)}, LogLik: ll, K: 2,
		Params: []float64{k, rate}, StdErr: []float64{seK, seRate}, cdf: d.CDF}
}

// newtonShape solves g(k) = 0 for a shape k > 0 by Newton's method from
// k, for at most steps steps; f returns g(k) and g'(k). A step that would
// leave k ≤ 0 halves k instead; it stops when a step changes k by less
// than 1e-12 of it.
func newtonShape(k float64, steps int, f func(k float64) (g, dg float64)) float64 {
	for i := 0; i < steps; i++ {
		g, dg := f(k)
		next := k - g/dg
		if next <= 0 {
			next = k / 2
		}
		if math.Abs(next-k) < 1e-12*k {
			return next
		}
		k = next
	}
	return k
}

// trigamma is ψ'(x), by recurrence to x ≥ 6 and the asymptotic series.
func trigamma(x float64) float64 {
	r := 0.0
	for x < 6 {
		r += 1 / (x * x)
		x++
	}
	x2 := 1 / (x * x)
	return r + 1/x + x2/2 + (1/x)*x2*(1.0/6-x2*(1.0/30-x2*(1.0/42-x2/30)))
}

// weibull solves the profile likelihood equation for the shape k,
// Σ xᵏ log x / Σ xᵏ − 1/k − mean(log x) = 0, by Newton's method on
// scaled values.
func weibull(y []float64) Candidate {
	n := float64(len(y))
	scale := y[len(y)/2]
	z := make([]float64, len(y))
	meanLog := 0.0
	for i, v := range y {
		z[i] = math.Log(v / scale)
		meanLog += z[i]
	}
	meanLog /= n
	k := newtonShape(1, 200, func(k float64) (float64, float64) {
		var s0, s1, s2 float64
		for _, lz := range z {
			e := math.Exp(k * lz)
			s0 += e
			s1 += e * lz
			s2 += e * lz * lz
		}
		return s1/s0 - 1/k - meanLog, (s2*s0-s1*s1)/(s0*s0) + 1/(k*k)
	})
	s0 := 0.0
	for _, lz := range z {
		s0 += math.Exp(k * lz)
	}
	lambda := scale * math.Pow(s0/n, 1/k)
	d := distuv.Weibull{K: k, Lambda: lambda}
	ll := 0.0
	for _, v := range y {
		ll += d.LogProb(v)
	}
	// Standard errors from the Fisher information of (k, λ).
	const euler = 0.5772156649015329
	i11 := (math.Pow(1-euler, 2) + math.Pi*math.Pi/6) / (k * k)
	i12 := -(1 - euler) / lambda
	i22 := k * k / (lambda * lambda)
	det := i11*i22 - i12*i12
	return Candidate{Dist: scenario.Dist{Kind: "weibull", Mean: sec(d.Mean()), Shape: round4(k)}, LogLik: ll, K: 2,
		Params: []float64{k, lambda}, StdErr: []float64{math.Sqrt(i22 / det / n), math.Sqrt(i11 / det / n)}, cdf: d.CDF}
}

func round4(x float64) float64 {
	if x == 0 || math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	p := math.Pow(10, 3-math.Floor(math.Log10(math.Abs(x))))
	return math.Round(x*p) / p
}

// ksDistance is the Kolmogorov–Smirnov distance between the sorted sample
// y and cdf. With a resolution, y holds interval midpoints and the
// distance is taken at the interval edges.
func ksDistance(y []float64, resolution float64, cdf func(float64) float64) float64 {
	n := float64(len(y))
	d := 0.0
	for i := 0; i < len(y); {
		j := i
		for j < len(y) && y[j] == y[i] {
			j++
		}
		below, upto := float64(i)/n, float64(j)/n
		lo, hi := y[i], y[i]
		if resolution > 0 {
			lo, hi = y[i]-resolution/2, y[i]+resolution/2
		}
		d = max(d, math.Abs(cdf(lo)-below), math.Abs(upto-cdf(hi)))
		i = j
	}
	return d
}

// ksPValue is the asymptotic Kolmogorov distribution's tail at D for n
// values, with Stephens's correction for finite n.
func ksPValue(d float64, n int) float64 {
	sn := math.Sqrt(float64(n))
	l := (sn + 0.12 + 0.11/sn) * d
	if l < 0.2 {
		return 1
	}
	p := 0.0
	for k := 1; k <= 100; k++ {
		term := 2 * math.Exp(-2*float64(k*k)*l*l)
		if k%2 == 0 {
			term = -term
		}
		p += term
		if math.Abs(term) < 1e-12 {
			break
		}
	}
	return min(max(p, 0), 1)
}
