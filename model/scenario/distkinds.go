package scenario

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// distKind is one family of distributions of the quantity Q, in the
// manner of gonum's distuv: the parameters its table takes and needs, how
// their values are checked, its mean, how it is written back, and how it
// is sampled. A new family is one row of newDistKinds, which serves every
// quantity: the parameters are written in the quantity's unit (u).
type distKind[Q Quantity] struct {
	name string
	// constant: a synonym of the constant distribution, written as a bare
	// value ("constant") or as a table ("deterministic").
	constant bool
	params   []string  // the parameters its table may have
	need     []string  // parameters it needs
	oneOf    [2]string // it needs exactly one of these, when set
	check    func(c distCheck[Q], d Distribution[Q])
	mean     func(d Distribution[Q]) Q // nil: d.Mean
	text     func(d Distribution[Q]) string
	sampler  func(d Distribution[Q], r *rand.Rand, top Q) drawer[Q]
}

// distKinds names the families in the order messages name them.
var distKinds = []string{"constant", "deterministic", "exponential", "lognormal", "uniform", "gamma", "weibull", "pareto", "empirical"}

// newDistKinds returns the table of families for the quantity of unit u,
// in the order of distKinds.
func newDistKinds[Q Quantity](u *distUnit[Q]) []distKind[Q] {
	param := u.param
	distText := func(d Distribution[Q]) string { return distTextOf(u, d) }
	return []distKind[Q]{
		constantKind(u, "constant"),
		constantKind(u, "deterministic"),
		{
			name: "exponential", params: []string{"mean"}, need: []string{"mean"},
			check:   func(c distCheck[Q], d Distribution[Q]) { c.val("mean", d.Mean, true) },
			text:    func(d Distribution[Q]) string { return ", mean = " + param(d.Mean) },
			sampler: expSampler[Q],
		},
		{
			name: "lognormal", params: []string{"mean", "cv"}, need: []string{"mean", "cv"},
			check: func(c distCheck[Q], d Distribution[Q]) {
				c.val("mean", d.Mean, true)
				c.num("cv", d.CV, 0, maxCV, true)
			},
			text:    func(d Distribution[Q]) string { return ", mean = " + param(d.Mean) + ", cv = " + formatTOMLFloat(d.CV) },
			sampler: lognormalSampler[Q],
		},
		{
			name: "uniform", params: []string{"min", "max"}, need: []string{"min", "max"},
			check: func(c distCheck[Q], d Distribution[Q]) {
				c.val("min", d.Min, false)
				c.val("max", d.Max, false)
				if d.Max < d.Min {
					c.errorf(c.param("max"), u.param(d.Max), "must be at least min (%s)", u.format(d.Min))
				}
			},
			mean:    func(d Distribution[Q]) Q { return (d.Min + d.Max) / 2 },
			text:    func(d Distribution[Q]) string { return ", min = " + param(d.Min) + ", max = " + param(d.Max) },
			sampler: uniformSampler[Q],
		},
		{
			name: "gamma", params: []string{"mean", "cv", "shape"}, need: []string{"mean"}, oneOf: [2]string{"cv", "shape"},
			check: func(c distCheck[Q], d Distribution[Q]) {
				c.val("mean", d.Mean, true)
				switch {
				case d.CV != 0 && d.Shape != 0:
					c.errorf(c.path, distText(d), "gamma takes cv or shape, not both")
				case d.Shape != 0:
					c.num("shape", d.Shape, 0.01, 1e6, false)
				default:
					c.num("cv", d.CV, 0, 10, true)
				}
			},
			text: func(d Distribution[Q]) string {
				if d.Shape != 0 {
					return ", mean = " + param(d.Mean) + ", shape = " + formatTOMLFloat(d.Shape)
				}
				return ", mean = " + param(d.Mean) + ", cv = " + formatTOMLFloat(d.CV)
			},
			sampler: gammaSampler[Q],
		},
		{
			name: "weibull", params: []string{"mean", "shape"}, need: []string{"mean", "shape"},
			check: func(c distCheck[Q], d Distribution[Q]) {
				c.val("mean", d.Mean, true)
				c.num("shape", d.Shape, 0.1, 1000, false)
			},
			mean: func(d Distribution[Q]) Q { return max(d.Mean, 0) },
			text: func(d Distribution[Q]) string {
				return ", mean = " + param(d.Mean) + ", shape = " + formatTOMLFloat(d.Shape)
			},
			sampler: weibullSampler[Q],
		},
		paretoKind(u),
		empiricalKind(u),
	}
}

// constantKind is the row of a synonym of the constant distribution.
func constantKind[Q Quantity](u *distUnit[Q], name string) distKind[Q] {
	return distKind[Q]{
		name: name, constant: true, params: []string{"value", "mean"}, oneOf: [2]string{"value", "mean"},
		check: func(c distCheck[Q], d Distribution[Q]) {
			if !u.inRange(d.Mean) {
				c.errorf(c.path, distTextOf(u, d), "must be between %s and %s", u.format(0), u.maxText)
			}
		},
		text:    func(d Distribution[Q]) string { return ", value = " + u.param(d.Mean) },
		sampler: constSampler[Q],
	}
}

// lookupDist returns the row of the family called name for the quantity
// Q; "" is the constant.
func lookupDist[Q Quantity](name string) (*distKind[Q], bool) {
	return unitOf[Q]().lookup(name)
}

// paretoKind is the row of the Pareto family: a shape and either the scale
// (min) or the mean.
func paretoKind[Q Quantity](u *distUnit[Q]) distKind[Q] {
	check := func(c distCheck[Q], d Distribution[Q]) {
		c.num("shape", d.Shape, 0, 1000, true)
		switch {
		case d.Min != 0 && d.Mean != 0:
			c.errorf(c.path, distTextOf(u, d), "pareto takes min or mean, not both")
		case d.Min != 0:
			c.val("min", d.Min, true)
		default:
			c.val("mean", d.Mean, true)
			if d.Shape > 0 && d.Shape <= 1 {
				c.errorf(c.param("shape"), formatTOMLFloat(d.Shape), "must be more than 1 when the mean is given (the mean is infinite otherwise); give min, the scale, instead")
			}
		}
	}
	mean := func(d Distribution[Q]) Q {
		if d.Mean > 0 {
			return d.Mean
		}
		if d.Shape > 1 {
			return u.round(d.Shape * float64(d.Min) / (d.Shape - 1))
		}
		return u.infinite
	}
	text := func(d Distribution[Q]) string {
		if d.Min != 0 {
			return ", shape = " + formatTOMLFloat(d.Shape) + ", min = " + u.param(d.Min)
		}
		return ", shape = " + formatTOMLFloat(d.Shape) + ", mean = " + u.param(d.Mean)
	}
	return distKind[Q]{
		name: "pareto", params: []string{"shape", "min", "mean"}, need: []string{"shape"}, oneOf: [2]string{"min", "mean"},
		check: check, mean: mean, text: text, sampler: paretoSampler[Q],
	}
}

// empiricalKind is the row of the empirical family: equally likely values.
func empiricalKind[Q Quantity](u *distUnit[Q]) distKind[Q] {
	check := func(c distCheck[Q], d Distribution[Q]) {
		switch {
		case len(d.Values) == 0:
			c.errorf(c.param("values"), "[]", "needs at least one value")
		case len(d.Values) > maxEmpirical:
			c.errorf(c.param("values"), "", "at most %d values", maxEmpirical)
		}
		for i, v := range d.Values {
			if msg := u.check(v, u.positive); msg != "" {
				c.report(false, c.param("values"), fmt.Sprintf("[%d]", i), u.param(v), msg)
			}
		}
	}
	mean := func(d Distribution[Q]) Q {
		if len(d.Values) == 0 {
			return 0
		}
		var s float64
		for _, v := range d.Values {
			s += float64(v)
		}
		return Q(s / float64(len(d.Values)))
	}
	text := func(d Distribution[Q]) string {
		vals := make([]string, len(d.Values))
		for i, v := range d.Values {
			vals[i] = u.param(v)
		}
		return ", values = [" + strings.Join(vals, ", ") + "]"
	}
	return distKind[Q]{
		name: "empirical", params: []string{"values"}, need: []string{"values"},
		check: check, mean: mean, text: text, sampler: empiricalSampler[Q],
	}
}

// distText writes dist in TOML syntax: the constant as a bare value, any
// other family as an inline table.
func distText[Q Quantity](dist Distribution[Q]) string { return distTextOf(unitOf[Q](), dist) }

func distTextOf[Q Quantity](u *distUnit[Q], dist Distribution[Q]) string {
	if dist.Kind == "" || dist.Kind == "constant" {
		return u.param(dist.Mean)
	}
	head := `{ dist = "` + dist.Kind + `"`
	if k, ok := u.lookup(dist.Kind); ok {
		return head + k.text(dist) + " }"
	}
	return head + " }"
}

// distCheck checks the parameters of one distribution at path.
type distCheck[Q Quantity] struct {
	*scenarioDecoder
	u    *distUnit[Q]
	path []string
}

func (c distCheck[Q]) param(name string) []string { return join(c.path, name) }

// val checks a parameter in the quantity's unit; pos: it must be more than
// zero (always, for a unit whose draws must be: a rate of 0 is unlimited).
func (c distCheck[Q]) val(param string, q Q, pos bool) {
	if msg := c.u.check(q, pos || c.u.positive); msg != "" {
		c.errorf(c.param(param), c.u.param(q), "%s", msg)
	}
}

// num checks a number parameter against [lo, hi], or (lo, hi] when loOpen.
func (c distCheck[Q]) num(param string, f, lo, hi float64, loOpen bool) {
	if !math.IsNaN(f) && f <= hi && (f > lo || (!loOpen && f == lo)) {
		return
	}
	if loOpen {
		c.errorf(c.param(param), formatTOMLFloat(f), "must be more than %g and at most %g", lo, hi)
	} else {
		c.errorf(c.param(param), formatTOMLFloat(f), "must be between %g and %g", lo, hi)
	}
}

// checkDist checks a distribution of durations; see checkDistOf.
func (d *scenarioDecoder) checkDist(path []string, dist Dist, required, positive bool) {
	checkDistOf(d, path, dist, required, positive)
}

// checkDistOf checks a distribution's parameters. required: it must be
// given; positive: its mean must be more than zero.
func checkDistOf[Q Quantity](d *scenarioDecoder, path []string, dist Distribution[Q], required, positive bool) {
	u := unitOf[Q]()
	if dist.Kind == "" && required {
		d.errorf(path, "", "required: %s", u.hint)
		return
	}
	if dist.Kind == "" && dist.Mean == 0 {
		return // absent
	}
	k, ok := u.lookup(dist.Kind)
	if !ok {
		d.errorf(join(path, "dist"), QuoteString(dist.Kind), "%s", unknownDist(dist.Kind))
		return
	}
	k.check(distCheck[Q]{d, u, path}, dist)
	if positive && dist.Expected() <= 0 && !d.related(keyString(path)) {
		d.errorf(path, distTextOf(u, dist), "must have a mean of more than %s", u.format(0))
	}
}

// unknownDist is the message for a family that is not in the table.
func unknownDist(name string) string {
	if s := suggest(name, distKinds); s != "" {
		return fmt.Sprintf("unknown distribution; did you mean %q? (one of %s)", s, quoteList(distKinds))
	}
	return "unknown distribution; want one of " + quoteList(distKinds)
}
