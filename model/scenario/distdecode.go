package scenario

import (
	"fmt"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
)

const distHint = `want a duration such as "40ms" or a table such as { dist = "exponential", mean = "30ms" }`

// dist decodes a distribution: a duration (a constant) or a table.
func (d *scenarioDecoder) dist(path []string, v any) (Dist, bool) {
	switch x := v.(type) {
	case string:
		dur, err := ParseDuration(x)
		if err != nil {
			d.errorf(path, valueText(v), "%v; or a distribution table such as { dist = \"exponential\", mean = \"30ms\" }", err)
			return Dist{}, false
		}
		return Const(dur.T()), true
	case map[string]any:
		return d.distTable(path, x)
	case int64:
		if x == 0 {
			return Const(0), true
		}
	}
	d.errorf(path, valueText(v), "%s, got %s", distHint, typeName(v))
	return Dist{}, false
}

// distTable decodes a distribution written as a table: its family, then
// each parameter, then whether the family has all it needs.
func (d *scenarioDecoder) distTable(path []string, m map[string]any) (Dist, bool) {
	kind, ok := d.distKindOf(path, m)
	if !ok {
		return Dist{}, false
	}
	dist := Dist{Kind: kind.name}
	good := true
	has := map[string]bool{}
	for _, k := range d.orderedKeys(path, m) {
		if k == "dist" {
			continue
		}
		p := join(path, k)
		if !contains(kind.params, k) {
			d.errorf(p, valueText(m[k]), "%s has no parameter %q (it takes %s)%s", kind.name, k, quoteList(kind.params), tomlin.DidYouMean(k, kind.params))
			good = false
			continue
		}
		has[k] = true
		d.wrote(p, m[k])
		good = d.distParam(p, k, m[k], &dist) && good
	}
	return dist, d.distComplete(path, FormatValue(m), kind, has) && good
}

// distKindOf reads the family a distribution table names.
func (d *scenarioDecoder) distKindOf(path []string, m map[string]any) (*distKind, bool) {
	kindV, ok := m["dist"]
	if !ok {
		d.errorf(path, FormatValue(m), `missing dist: the distribution's name, one of %s`, quoteList(distKinds))
		return nil, false
	}
	name, ok := kindV.(string)
	if !ok {
		d.mismatch(join(path, "dist"), kindV, "the distribution's name, a string")
		return nil, false
	}
	kind, ok := lookupDist(name)
	if !ok || name == "" {
		d.errorf(join(path, "dist"), valueText(kindV), "%s", unknownDist(name))
		return nil, false
	}
	return kind, true
}

// distParam decodes the parameter k of a distribution into dist.
func (d *scenarioDecoder) distParam(p []string, k string, v any, dist *Dist) bool {
	switch k {
	case "mean", "value", "min", "max":
		x, ok := d.duration(p, v, false)
		switch k {
		case "mean", "value":
			dist.Mean = x.T()
		case "min":
			dist.Min = x.T()
		case "max":
			dist.Max = x.T()
		}
		return ok
	case "cv", "shape":
		var f float64
		switch x := v.(type) {
		case float64:
			f = x
		case int64:
			f = float64(x)
		default:
			d.mismatch(p, v, "a number")
			return false
		}
		if k == "cv" {
			dist.CV = f
		} else {
			dist.Shape = f
		}
		return true
	case "values":
		return d.distValues(p, v, dist)
	}
	return false
}

// distValues decodes the values of an empirical distribution.
func (d *scenarioDecoder) distValues(p []string, v any, dist *Dist) bool {
	arr, ok := v.([]any)
	if !ok {
		d.mismatch(p, v, `an array of durations such as ["10ms", "20ms"]`)
		return false
	}
	good := true
	dist.Values = make([]engine.Time, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			d.report(false, p, fmt.Sprintf("[%d]", i), valueText(e), tomlin.Want(`a duration such as "10ms"`, e))
			good = false
			continue
		}
		x, err := ParseDuration(s)
		if err != nil {
			d.report(false, p, fmt.Sprintf("[%d]", i), valueText(e), err.Error())
			good = false
			continue
		}
		dist.Values = append(dist.Values, x.T())
	}
	return good
}

// distComplete reports whether a family has the parameters it needs.
func (d *scenarioDecoder) distComplete(path []string, text string, kind *distKind, has map[string]bool) bool {
	good := true
	for _, p := range kind.need {
		if !has[p] {
			d.errorf(path, text, "%s needs %s", kind.name, p)
			good = false
		}
	}
	if a, b := kind.oneOf[0], kind.oneOf[1]; a != "" {
		switch {
		case has[a] && has[b]:
			d.errorf(path, text, "%s takes %s or %s, not both", kind.name, a, b)
			good = false
		case !has[a] && !has[b]:
			d.errorf(path, text, "%s needs %s or %s", kind.name, a, b)
			good = false
		}
	}
	return good
}
