package scenario

import (
	"fmt"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
)

// dist decodes a distribution of durations; see decodeDist.
func (d *scenarioDecoder) dist(path []string, v any) (Dist, bool) {
	return decodeDist[engine.Time](d, path, v)
}

// decodeDist decodes a distribution of the quantity Q: a value in its unit
// (a constant) or a table.
func decodeDist[Q Quantity](d *scenarioDecoder, path []string, v any) (Distribution[Q], bool) {
	u := unitOf[Q]()
	switch x := v.(type) {
	case string:
		q, err := u.parse(x)
		if err != nil {
			d.errorf(path, valueText(v), "%v; or a distribution table such as %s", err, u.table)
			return Distribution[Q]{}, false
		}
		return Constant(q), true
	case map[string]any:
		return distTable(d, u, path, x)
	case int64:
		if x == 0 {
			return Constant[Q](0), true
		}
	}
	d.errorf(path, valueText(v), "%s, got %s", u.hint, typeName(v))
	return Distribution[Q]{}, false
}

// distTable decodes a distribution written as a table: its family, then
// each parameter, then whether the family has all it needs.
func distTable[Q Quantity](d *scenarioDecoder, u *distUnit[Q], path []string, m map[string]any) (Distribution[Q], bool) {
	kind, ok := distKindOf(d, u, path, m)
	if !ok {
		return Distribution[Q]{}, false
	}
	dist := Distribution[Q]{Kind: kind.name}
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
		good = distParam(d, u, p, k, m[k], &dist) && good
	}
	return dist, d.distComplete(path, FormatValue(m), kind.name, kind.need, kind.oneOf, has) && good
}

// distKindOf reads the family a distribution table names.
func distKindOf[Q Quantity](d *scenarioDecoder, u *distUnit[Q], path []string, m map[string]any) (*distKind[Q], bool) {
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
	kind, ok := u.lookup(name)
	if !ok || name == "" {
		d.errorf(join(path, "dist"), valueText(kindV), "%s", unknownDist(name))
		return nil, false
	}
	return kind, true
}

// distParam decodes the parameter k of a distribution into dist.
func distParam[Q Quantity](d *scenarioDecoder, u *distUnit[Q], p []string, k string, v any, dist *Distribution[Q]) bool {
	switch k {
	case "mean", "value", "min", "max":
		x, ok := u.decode(d, p, v)
		switch k {
		case "mean", "value":
			dist.Mean = x
		case "min":
			dist.Min = x
		case "max":
			dist.Max = x
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
		return distValues(d, u, p, v, dist)
	}
	return false
}

// distValues decodes the values of an empirical distribution.
func distValues[Q Quantity](d *scenarioDecoder, u *distUnit[Q], p []string, v any, dist *Distribution[Q]) bool {
	arr, ok := v.([]any)
	if !ok {
		d.mismatch(p, v, fmt.Sprintf("an array of %ss such as [%s, %s]", u.what, u.examples[0], u.examples[1]))
		return false
	}
	good := true
	dist.Values = make([]Q, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok {
			d.report(false, p, fmt.Sprintf("[%d]", i), valueText(e), tomlin.Want(fmt.Sprintf("a %s such as %s", u.what, u.examples[0]), e))
			good = false
			continue
		}
		x, err := u.parse(s)
		if err != nil {
			d.report(false, p, fmt.Sprintf("[%d]", i), valueText(e), err.Error())
			good = false
			continue
		}
		dist.Values = append(dist.Values, x)
	}
	return good
}

// distComplete reports whether a family has the parameters it needs.
func (d *scenarioDecoder) distComplete(path []string, text, name string, need []string, oneOf [2]string, has map[string]bool) bool {
	good := true
	for _, p := range need {
		if !has[p] {
			d.errorf(path, text, "%s needs %s", name, p)
			good = false
		}
	}
	if a, b := oneOf[0], oneOf[1]; a != "" {
		switch {
		case has[a] && has[b]:
			d.errorf(path, text, "%s takes %s or %s, not both", name, a, b)
			good = false
		case !has[a] && !has[b]:
			d.errorf(path, text, "%s needs %s or %s", name, a, b)
			good = false
		}
	}
	return good
}
