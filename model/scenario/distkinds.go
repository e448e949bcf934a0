package scenario

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/poolsim/poolsim/engine"
)

// distKind is one family of distributions, in the manner of gonum's
// distuv: the parameters its table takes and needs, how their values are
// checked, its mean, how it is written back, and how it is sampled. A new
// family is one row of distKindTable.
type distKind struct {
	name string
	// constant: a synonym of the constant distribution, written as a bare
	// duration ("constant") or as a table ("deterministic").
	constant bool
	params   []string  // the parameters its table may have
	need     []string  // parameters it needs
	oneOf    [2]string // it needs exactly one of these, when set
	check    func(c distCheck, d Dist)
	mean     func(d Dist) engine.Time // nil: d.Mean
	text     func(d Dist) string      // the parameters as written after `dist = "name"`
	sampler  func(d Dist, r *rand.Rand) drawer
}

// distKindTable lists the families in the order messages name them;
// distKinds names them. Both are set by init: the rows' checks write
// distributions back as text, which looks rows up.
var (
	distKindTable []distKind
	distKinds     []string
)

func init() {
	distKindTable = []distKind{
		constantKind("constant"),
		constantKind("deterministic"),
		{
			name: "exponential", params: []string{"mean"}, need: []string{"mean"},
			check:   func(c distCheck, d Dist) { c.dur("mean", d.Mean, true) },
			text:    func(d Dist) string { return ", mean = " + durParam(d.Mean) },
			sampler: expSampler,
		},
		{
			name: "lognormal", params: []string{"mean", "cv"}, need: []string{"mean", "cv"},
			check: func(c distCheck, d Dist) {
				c.dur("mean", d.Mean, true)
				c.num("cv", d.CV, 0, maxCV, true)
			},
			text:    func(d Dist) string { return ", mean = " + durParam(d.Mean) + ", cv = " + formatTOMLFloat(d.CV) },
			sampler: lognormalSampler,
		},
		{
			name: "uniform", params: []string{"min", "max"}, need: []string{"min", "max"},
			check: func(c distCheck, d Dist) {
				c.dur("min", d.Min, false)
				c.dur("max", d.Max, false)
				if d.Max < d.Min {
					c.errorf(c.param("max"), durText(Duration(d.Max)), "must be at least min (%s)", Duration(d.Min))
				}
			},
			mean:    func(d Dist) engine.Time { return (d.Min + d.Max) / 2 },
			text:    func(d Dist) string { return ", min = " + durParam(d.Min) + ", max = " + durParam(d.Max) },
			sampler: uniformSampler,
		},
		{
			name: "gamma", params: []string{"mean", "cv", "shape"}, need: []string{"mean"}, oneOf: [2]string{"cv", "shape"},
			check: func(c distCheck, d Dist) {
				c.dur("mean", d.Mean, true)
				switch {
				case d.CV != 0 && d.Shape != 0:
					c.errorf(c.path, distText(d), "gamma takes cv or shape, not both")
				case d.Shape != 0:
					c.num("shape", d.Shape, 0.01, 1e6, false)
				default:
					c.num("cv", d.CV, 0, 10, true)
				}
			},
			text: func(d Dist) string {
				if d.Shape != 0 {
					return ", mean = " + durParam(d.Mean) + ", shape = " + formatTOMLFloat(d.Shape)
				}
				return ", mean = " + durParam(d.Mean) + ", cv = " + formatTOMLFloat(d.CV)
			},
			sampler: gammaSampler,
		},
		{
			name: "weibull", params: []string{"mean", "shape"}, need: []string{"mean", "shape"},
			check: func(c distCheck, d Dist) {
				c.dur("mean", d.Mean, true)
				c.num("shape", d.Shape, 0.1, 1000, false)
			},
			mean:    func(d Dist) engine.Time { return max(d.Mean, 0) },
			text:    func(d Dist) string { return ", mean = " + durParam(d.Mean) + ", shape = " + formatTOMLFloat(d.Shape) },
			sampler: weibullSampler,
		},
		{
			name: "pareto", params: []string{"shape", "min", "mean"}, need: []string{"shape"}, oneOf: [2]string{"min", "mean"},
			check:   checkPareto,
			mean:    paretoMean,
			text:    paretoText,
			sampler: paretoSampler,
		},
		{
			name: "empirical", params: []string{"values"}, need: []string{"values"},
			check:   checkEmpirical,
			mean:    empiricalMean,
			text:    empiricalText,
			sampler: empiricalSampler,
		},
	}
	for _, k := range distKindTable {
		distKinds = append(distKinds, k.name)
	}
}

// constantKind is the row of a synonym of the constant distribution.
func constantKind(name string) distKind {
	return distKind{
		name: name, constant: true, params: []string{"value", "mean"}, oneOf: [2]string{"value", "mean"},
		check: func(c distCheck, d Dist) {
			if d.Mean < 0 || Duration(d.Mean) > maxSpan {
				c.errorf(c.path, distText(d), "must be between 0s and 10 years")
			}
		},
		text:    func(d Dist) string { return ", value = " + durParam(d.Mean) },
		sampler: constSampler,
	}
}

// lookupDist returns the row of the family called name; "" is the
// constant.
func lookupDist(name string) (*distKind, bool) {
	if name == "" {
		name = "constant"
	}
	for i := range distKindTable {
		if distKindTable[i].name == name {
			return &distKindTable[i], true
		}
	}
	return nil, false
}

func checkPareto(c distCheck, d Dist) {
	c.num("shape", d.Shape, 0, 1000, true)
	switch {
	case d.Min != 0 && d.Mean != 0:
		c.errorf(c.path, distText(d), "pareto takes min or mean, not both")
	case d.Min != 0:
		c.dur("min", d.Min, true)
	default:
		c.dur("mean", d.Mean, true)
		if d.Shape > 0 && d.Shape <= 1 {
			c.errorf(c.param("shape"), formatTOMLFloat(d.Shape), "must be more than 1 when the mean is given (the mean is infinite otherwise); give min, the scale, instead")
		}
	}
}

func paretoMean(d Dist) engine.Time {
	if d.Mean > 0 {
		return d.Mean
	}
	if d.Shape > 1 {
		return engine.FromSeconds(d.Shape * d.Min.Seconds() / (d.Shape - 1))
	}
	return engine.Never
}

func paretoText(d Dist) string {
	if d.Min != 0 {
		return ", shape = " + formatTOMLFloat(d.Shape) + ", min = " + durParam(d.Min)
	}
	return ", shape = " + formatTOMLFloat(d.Shape) + ", mean = " + durParam(d.Mean)
}

func checkEmpirical(c distCheck, d Dist) {
	switch {
	case len(d.Values) == 0:
		c.errorf(c.param("values"), "[]", "needs at least one value")
	case len(d.Values) > maxEmpirical:
		c.errorf(c.param("values"), "", "at most %d values", maxEmpirical)
	}
	for i, v := range d.Values {
		if v < 0 || Duration(v) > maxSpan {
			c.report(false, c.param("values"), fmt.Sprintf("[%d]", i), durText(Duration(v)), "must be between 0s and 10 years")
		}
	}
}

func empiricalMean(d Dist) engine.Time {
	if len(d.Values) == 0 {
		return 0
	}
	var s float64
	for _, v := range d.Values {
		s += float64(v)
	}
	return engine.Time(s / float64(len(d.Values)))
}

func empiricalText(d Dist) string {
	vals := make([]string, len(d.Values))
	for i, v := range d.Values {
		vals[i] = durParam(v)
	}
	return ", values = [" + strings.Join(vals, ", ") + "]"
}

func durParam(t engine.Time) string { return QuoteString(Duration(t).String()) }

// distText writes dist in TOML syntax: the constant as a bare duration,
// any other family as an inline table.
func distText(dist Dist) string {
	if dist.Kind == "" || dist.Kind == "constant" {
		return durParam(dist.Mean)
	}
	head := `{ dist = "` + dist.Kind + `"`
	if k, ok := lookupDist(dist.Kind); ok {
		return head + k.text(dist) + " }"
	}
	return head + " }"
}

// distCheck checks the parameters of one distribution at path.
type distCheck struct {
	*scenarioDecoder
	path []string
}

func (c distCheck) param(name string) []string { return join(c.path, name) }

// dur checks a duration parameter; pos: it must be more than zero.
func (c distCheck) dur(param string, t engine.Time, pos bool) {
	switch {
	case t < 0:
		c.errorf(c.param(param), durText(Duration(t)), "must not be negative")
	case Duration(t) > maxSpan:
		c.errorf(c.param(param), durText(Duration(t)), "must be at most 10 years (87600h)")
	case pos && t == 0:
		c.errorf(c.param(param), durText(Duration(t)), "must be more than 0s")
	}
}

// num checks a number parameter against [lo, hi], or (lo, hi] when loOpen.
func (c distCheck) num(param string, f, lo, hi float64, loOpen bool) {
	if !math.IsNaN(f) && f <= hi && (f > lo || (!loOpen && f == lo)) {
		return
	}
	if loOpen {
		c.errorf(c.param(param), formatTOMLFloat(f), "must be more than %g and at most %g", lo, hi)
	} else {
		c.errorf(c.param(param), formatTOMLFloat(f), "must be between %g and %g", lo, hi)
	}
}

// checkDist checks a distribution's parameters. required: it must be
// given; positive: its mean must be more than zero.
func (d *scenarioDecoder) checkDist(path []string, dist Dist, required, positive bool) {
	if dist.Kind == "" {
		if required {
			d.errorf(path, "", "required: %s", distHint)
		}
		return
	}
	k, ok := lookupDist(dist.Kind)
	if !ok {
		d.errorf(join(path, "dist"), QuoteString(dist.Kind), "%s", unknownDist(dist.Kind))
		return
	}
	k.check(distCheck{d, path}, dist)
	if positive && dist.Expected() <= 0 && !d.related(keyString(path)) {
		d.errorf(path, distText(dist), "must have a mean of more than 0s")
	}
}

// unknownDist is the message for a family that is not in the table.
func unknownDist(name string) string {
	if s := suggest(name, distKinds); s != "" {
		return fmt.Sprintf("unknown distribution; did you mean %q? (one of %s)", s, quoteList(distKinds))
	}
	return "unknown distribution; want one of " + quoteList(distKinds)
}
