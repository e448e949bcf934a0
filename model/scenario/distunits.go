package scenario

import (
	"fmt"
	"math"

	"github.com/poolsim/poolsim/engine"
)

// distUnit is how the distributions of one quantity read, write and check
// their values, and its table of families (the same rows for every
// quantity, newDistKinds). There are three: durations (service times,
// latencies), sizes (allocations, responses) and rates (bandwidths).
type distUnit[Q Quantity] struct {
	what     string // "duration", "size", "rate": in messages
	hint     string // what a value may be, for messages
	table    string // a table, for messages
	examples [2]string
	maxText  string // the largest value in words
	max      Q
	infinite Q    // the mean of a distribution whose mean is infinite
	drawTop  Q    // the largest draw
	positive bool // every parameter of a table must be more than 0
	// decode reads a parameter (its messages name the key); parse reads a
	// string, the constant form or a value of an empirical table.
	decode func(d *scenarioDecoder, path []string, v any) (Q, bool)
	parse  func(s string) (Q, error)
	format func(q Q) string
	round  func(x float64) Q
	kinds  []distKind[Q]
}

// The units, set by init: the rows of their tables write distributions
// back as text, which looks units up.
var (
	durationUnit *distUnit[engine.Time]
	sizeUnit     *distUnit[Size]
	rateUnit     *distUnit[Rate]
)

func init() {
	durationUnit = &distUnit[engine.Time]{
		what:  "duration",
		hint:  `want a duration such as "40ms" or a table such as { dist = "exponential", mean = "30ms" }`,
		table: `{ dist = "exponential", mean = "30ms" }`, examples: [2]string{`"10ms"`, `"20ms"`},
		maxText: "10 years (87600h)", max: engine.Time(maxSpan),
		infinite: engine.Never, drawTop: engine.Never - 1,
		decode: func(d *scenarioDecoder, path []string, v any) (engine.Time, bool) {
			x, ok := d.duration(path, v, false)
			return x.T(), ok
		},
		parse: func(s string) (engine.Time, error) {
			x, err := ParseDuration(s)
			return x.T(), err
		},
		format: func(q engine.Time) string { return Duration(q).String() },
		round:  func(x float64) engine.Time { return engine.FromSeconds(x / 1e9) },
	}
	sizeUnit = &distUnit[Size]{
		what:  "size",
		hint:  `want a size such as "550MB" or a table such as { dist = "lognormal", mean = "2MB", cv = 1.5 }`,
		table: `{ dist = "lognormal", mean = "2MB", cv = 1.5 }`, examples: [2]string{`"10MB"`, `"20MB"`},
		maxText: "1PB", max: maxSize, infinite: maxSize, drawTop: maxSize,
		decode: (*scenarioDecoder).size,
		parse:  parseSizeValue,
		format: Size.String,
		round:  func(x float64) Size { return Size(min(math.Round(x), float64(maxSize))) },
	}
	rateUnit = &distUnit[Rate]{
		what:  "rate",
		hint:  `want a rate such as "2Mbit/s" ("0": unlimited) or a table such as { dist = "lognormal", mean = "8Mbit/s", cv = 1 }`,
		table: `{ dist = "lognormal", mean = "8Mbit/s", cv = 1 }`, examples: [2]string{`"1Mbit/s"`, `"2Mbit/s"`},
		maxText: "1PB/s", max: maxBandwidth, infinite: maxBandwidth, drawTop: maxBandwidth,
		// A rate of 0 is unlimited: a table's draws must be more than 0.
		positive: true,
		decode:   (*scenarioDecoder).rate,
		parse:    parseRate,
		format:   Rate.String,
		round:    func(x float64) Rate { return Rate(x) },
	}
	durationUnit.kinds = newDistKinds(durationUnit)
	sizeUnit.kinds = newDistKinds(sizeUnit)
	rateUnit.kinds = newDistKinds(rateUnit)
}

// unitOf returns the unit of the quantity Q.
func unitOf[Q Quantity]() *distUnit[Q] {
	var q Q
	var u any
	switch any(q).(type) {
	case engine.Time:
		u = durationUnit
	case Size:
		u = sizeUnit
	case Rate:
		u = rateUnit
	}
	return u.(*distUnit[Q])
}

// lookup returns the row of the family called name; "" is the constant.
func (u *distUnit[Q]) lookup(name string) (*distKind[Q], bool) {
	if name == "" {
		name = "constant"
	}
	for i := range u.kinds {
		if u.kinds[i].name == name {
			return &u.kinds[i], true
		}
	}
	return nil, false
}

// param writes a value as a TOML string.
func (u *distUnit[Q]) param(q Q) string { return QuoteString(u.format(q)) }

// inRange reports whether q is a value of the unit: a number from 0 to max.
func (u *distUnit[Q]) inRange(q Q) bool { return !math.IsNaN(float64(q)) && q >= 0 && q <= u.max }

// check returns what is wrong with the value q ("" if nothing); pos: it
// must be more than 0.
func (u *distUnit[Q]) check(q Q, pos bool) string {
	switch {
	case math.IsNaN(float64(q)):
		return "must be a number"
	case q < 0:
		return "must not be negative"
	case q > u.max:
		return "must be at most " + u.maxText
	case pos && q == 0 && u.positive:
		return "must be more than 0: a " + u.what + " of 0 is unlimited, which a distribution does not draw"
	case pos && q == 0:
		return "must be more than " + u.format(0)
	}
	return ""
}

// otherQuantity names the quantity s is written as, when it is a duration,
// a size or a rate but not what was asked for ("" otherwise).
func otherQuantity(s, want string) string {
	if _, err := ParseDuration(s); err == nil && want != "duration" {
		return "a duration"
	}
	if _, err := ParseSize(s); err == nil && want != "size" {
		return "a size"
	}
	if _, err := ParseBandwidth(s); err == nil && want != "rate" {
		return "a rate"
	}
	return ""
}

// parseSizeValue parses a size, saying so when s is another quantity.
func parseSizeValue(s string) (Size, error) {
	x, err := ParseSize(s)
	if err != nil {
		if other := otherQuantity(s, "size"); other != "" {
			return 0, fmt.Errorf("%s, not a size; %s", other, sizeHint)
		}
	}
	return x, err
}

// parseRate parses a rate, saying so when s is another quantity.
func parseRate(s string) (Rate, error) {
	x, err := ParseBandwidth(s)
	if err != nil {
		if other := otherQuantity(s, "rate"); other != "" {
			return 0, fmt.Errorf("%s, not a rate; %s", other, bandwidthHint)
		}
	}
	return Rate(x), err
}
