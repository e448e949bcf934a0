package experiments

import (
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/internal/tomlin"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

func (p *parser) variants(e *Experiment, m map[string]any) {
	raw, ok := m["variants"]
	if !ok {
		e.Variants = []Variant{{Name: BaseVariant}}
		return
	}
	vm, isTable := raw.(map[string]any)
	if !isTable {
		p.errorf(p.line(-1, "variants"), "variants", valueText(raw), `want tables of overrides, such as [variants."time 60m"]`)
		return
	}
	// File order, from the source: the decoded map has none.
	var names []string
	seen := map[string]bool{}
	for _, k := range p.keys {
		if k.Path[0] == "variants" && len(k.Path) >= 2 && !seen[k.Path[1]] {
			names = append(names, k.Path[1])
			seen[k.Path[1]] = true
		}
	}
	for _, name := range sortedKeys(vm) { // defensive: the scan missed one
		if !seen[name] {
			names = append(names, name)
			seen[name] = true
		}
	}
	for _, name := range names {
		line := p.line(-1, "variants", name)
		key := "variants." + toml.Key{name}.String()
		if name == "" {
			p.errorf(line, key, "", "a variant needs a name")
			continue
		}
		table, isTable := vm[name].(map[string]any)
		if !isTable {
			p.mismatch(line, key, vm[name], `a table of overrides such as "pool.recycle.time" = "60m"`)
			continue
		}
		v := Variant{Name: name, Line: line}
		v.Overrides = p.overridesIn(table, "variants", name)
		e.Variants = append(e.Variants, v)
	}
	if len(e.Variants) == 0 && len(p.errs) == 0 {
		e.Variants = []Variant{{Name: BaseVariant}}
	}
}

// overridesIn collects the overrides written in the table at prefix, in
// file order: every key/value statement below it, a key whose value is an
// inline table being one override (that replaces the table whole).
func (p *parser) overridesIn(table map[string]any, prefix ...string) []Override {
	what := toml.Key(prefix).String()
	var out []Override
	for _, i := range p.under[pathKey(prefix)] {
		k := p.keys[i]
		if k.Header {
			continue
		}
		if k.Depth != len(k.Path) && k.Depth > len(prefix) {
			continue // inside an inline-table value
		}
		key, err := canonicalKey(overrideKey(k.Path[len(prefix):]))
		if err != nil {
			p.errorf(k.Line, what, "", "%v", err)
			continue
		}
		value := lookup(table, k.Path[len(prefix):])
		if value == nil {
			p.errorf(k.Line, what+"."+key, "", "inside an array of tables: write the whole array as one value, key = [{ ... }]")
			continue
		}
		text, err := tomlText(value)
		if err != nil {
			p.errorf(k.Line, what+"."+key, "", "%v", err)
			continue
		}
		if key == "seed" {
			p.errorf(k.Line, what+".seed", text, "the experiment's seed applies to every run (set seed at the top of the experiment)")
			continue
		}
		if i := slices.IndexFunc(out, func(o Override) bool { return o.Key == key }); i >= 0 {
			p.errorf(k.Line, what+"."+key, text, "set twice (line %d)", out[i].Line)
			continue
		}
		out = append(out, Override{Key: key, Value: text, Line: k.Line})
	}
	return out
}

// overrideKey writes the key of a variant's override as a scenario dotted
// key. The parts of the key as written are joined with dots; a part that is
// itself a dotted key (the usual `"pool.recycle.time" = "60m"`) is taken
// as it is, and any other part that needs quotes (`clients."my client"`)
// is quoted. A name that contains a dot must therefore be quoted inside the
// string: `"clients.\"a.b\".count" = 5`.
func overrideKey(parts []string) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		if isDottedKey(p) {
			out[i] = p
		} else {
			out[i] = toml.Key{p}.String()
		}
	}
	return strings.Join(out, ".")
}

// isDottedKey reports whether s is a valid TOML (dotted) key as written.
func isDottedKey(s string) bool {
	_, err := scenario.ParseKey(s)
	return err == nil
}

// canonicalKey writes a dotted key in one standard way (bare parts where
// possible, quoted otherwise), so that two spellings of a key compare equal.
func canonicalKey(s string) (string, error) {
	parts, err := scenario.ParseKey(s)
	if err != nil {
		return "", err
	}
	return toml.Key(parts).String(), nil
}

// lookup follows path through nested tables.
func lookup(m map[string]any, path []string) any {
	var v any = m
	for _, k := range path {
		t, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = t[k]
	}
	return v
}

// tables returns an array of tables however it was written.
func tables(v any) ([]map[string]any, bool) {
	switch v := v.(type) {
	case []map[string]any:
		return v, true
	case []any:
		out := make([]map[string]any, len(v))
		for i, e := range v {
			t, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out[i] = t
		}
		return out, true
	}
	return nil, false
}

// tableArray returns the array of tables at key of m (none when key is
// absent), or reports want when key holds something else.
func (p *parser) tableArray(m map[string]any, key, want string) []map[string]any {
	raw, ok := m[key]
	if !ok {
		return nil
	}
	ts, ok := tables(raw)
	if !ok {
		p.errorf(p.line(-1, key), key, valueText(raw), "%s", want)
	}
	return ts
}

func (p *parser) sweeps(e *Experiment, m map[string]any) {
	ts := p.tableArray(m, "sweep", "want [[sweep]] tables with key and values")
	for i, t := range ts {
		if s, ok := p.sweep(e, i, t); ok {
			e.Sweeps = append(e.Sweeps, s)
		}
	}
}

// sweep reads the [[sweep]] table t, the i-th.
func (p *parser) sweep(e *Experiment, i int, t map[string]any) (Sweep, bool) {
	line := p.line(i, "sweep")
	if p.misspelt[fmt.Sprint("sweep ", i)] {
		return Sweep{}, false // its unknown key was reported
	}
	if _, ok := t["key"]; !ok {
		p.errorf(line, "sweep.key", "", `required: the dotted key the [[sweep]] sets, such as key = "pool.threads"`)
		return Sweep{}, false
	}
	key, isStr := t["key"].(string)
	if !isStr || key == "" {
		p.mismatch(line, "sweep.key", t["key"], `the dotted key the [[sweep]] sets, a string such as "pool.threads"`)
		return Sweep{}, false
	}
	key, err := canonicalKey(key)
	if err != nil {
		p.errorf(p.line(i, "sweep", "key"), "sweep.key", valueText(t["key"]), "%v", err)
		return Sweep{}, false
	}
	if key == "seed" {
		p.errorf(line, "sweep.key", `"seed"`, "replications already vary the random streams; the experiment's seed applies to every run")
		return Sweep{}, false
	}
	values, isArr := t["values"].([]any)
	if !isArr {
		if ts, isTables := t["values"].([]map[string]any); isTables {
			for _, v := range ts {
				values = append(values, v)
			}
			isArr = true
		}
	}
	vline := p.line(i, "sweep", "values")
	if !isArr || len(values) == 0 {
		p.errorf(vline, "sweep.values", valueText(t["values"]), "the [[sweep]] of %s needs values = [ ... ] with at least one value", key)
		return Sweep{}, false
	}
	if j := slices.IndexFunc(e.Sweeps, func(s Sweep) bool { return s.Key == key }); j >= 0 {
		p.errorf(line, "sweep.key", valueText(key), "swept twice (also line %d)", e.Sweeps[j].Line)
		return Sweep{}, false
	}
	s := Sweep{Key: key, Line: line}
	for _, v := range values {
		text, err := tomlText(v)
		if err != nil {
			p.errorf(vline, "sweep.values", "", "%s: %v", key, err)
			break
		}
		l := label(v)
		if slices.Contains(s.Labels, l) {
			p.errorf(vline, "sweep.values", text, "listed twice in the [[sweep]] of %s", key)
			break
		}
		s.Values = append(s.Values, text)
		s.Labels = append(s.Labels, l)
	}
	return s, true
}

func (p *parser) charts(e *Experiment, m map[string]any) {
	ts := p.tableArray(m, "chart", "want [[chart]] tables")
	for i, t := range ts {
		c := Chart{Line: p.line(i, "chart")}
		for _, f := range []struct {
			key string
			dst *string
		}{{"title", &c.Title}, {"x", &c.X}, {"y", &c.Y}, {"group", &c.Group}, {"kind", &c.Kind}} {
			v, ok := t[f.key]
			if !ok {
				continue
			}
			s, isStr := v.(string)
			if !isStr {
				p.mismatch(p.line(i, "chart", f.key), "chart."+f.key, v, "a string")
				continue
			}
			*f.dst = s
		}
		if c.X == "" {
			c.X = "variant"
		}
		e.Charts = append(e.Charts, c)
	}
}

// crossChecks reports what is wrong between the parts of the file: a key
// set both by a variant and a sweep, a baseline that is not a variant,
// charts of what the experiment does not vary.
func (p *parser) crossChecks(e *Experiment, baseline string) {
	swept := map[string]int{}
	for _, s := range e.Sweeps {
		swept[s.Key] = s.Line
	}
	for _, o := range e.Overrides {
		if l, ok := swept[o.Key]; ok {
			p.errorf(o.Line, "overrides."+o.Key, o.Value, "a [[sweep]] also sets it (line %d): set it in one place", l)
		}
	}
	for _, v := range e.Variants {
		for _, o := range v.Overrides {
			if l, ok := swept[o.Key]; ok {
				p.errorf(o.Line, "variants."+toml.Key{v.Name}.String()+"."+o.Key, o.Value, "a [[sweep]] also sets it (line %d): set it in one place", l)
			}
		}
	}
	if baseline != "" {
		if _, ok := e.Variant(baseline); !ok || len(e.Variants) < 2 {
			p.errorf(p.line(-1, "baseline"), "baseline", valueText(baseline), "no such variant (want %s)", variantNames(e))
		}
		e.Baseline = baseline
	} else if len(e.Variants) >= 2 {
		e.Baseline = e.Variants[0].Name
	}
	p.checkCharts(e)
}

func (p *parser) checkCharts(e *Experiment) {
	sweepSet := map[string]bool{"variant": true}
	for _, s := range e.Sweeps {
		sweepSet[s.Key] = true
	}
	metrics := model.MetricNames()
	for _, c := range e.Charts {
		if c.X != "" && !sweepSet[c.X] {
			p.errorf(c.Line, "chart.x", valueText(c.X), `want "variant" or a sweep key`)
		}
		if c.Group != "" && (!sweepSet[c.Group] || c.Group == c.X) {
			p.errorf(c.Line, "chart.group", valueText(c.Group), `want "variant" or a sweep key other than x`)
		}
		if !slices.Contains(metrics, c.Y) {
			p.errorf(c.Line, "chart.y", valueText(c.Y), "want a metric name such as rate_503 (see poolsim run --json)%s", tomlin.DidYouMean(c.Y, metrics))
		}
		if c.Kind == "diff" && e.Baseline == "" {
			p.errorf(c.Line, "chart.kind", `"diff"`, "a difference chart needs a baseline (at least two variants)")
		}
		if !slices.Contains(ChartKinds(), c.Kind) {
			p.errorf(c.Line, "chart.kind", valueText(c.Kind), "want bars, lines or diff")
		}
	}
}

func variantNames(e *Experiment) string {
	if len(e.Variants) < 2 {
		return "the name of a variant; the experiment needs at least two variants to have a baseline"
	}
	names := make([]string, len(e.Variants))
	for i, v := range e.Variants {
		names[i] = v.Name
	}
	return "one of " + tomlin.QuoteList(names)
}
