package experiments

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/internal/tomlin"
	"github.com/poolsim/poolsim/model/scenario"
)

// buildGrid lays out the grid points: variants in order, then the sweep
// axes as an odometer whose last axis turns fastest.
func (e *Experiment) buildGrid() error {
	n := len(e.Variants)
	for _, s := range e.Sweeps {
		if n > maxPoints/len(s.Values) {
			return fmt.Errorf("%s: the grid has more than %d points: sweep fewer values", e.File, maxPoints)
		}
		n *= len(s.Values)
	}
	e.points = make([]Point, 0, n)
	idx := make([]int, len(e.Sweeps))
	for _, v := range e.Variants {
		for {
			pt := Point{Index: len(e.points), Variant: v.Name, Sweep: make([]string, len(e.Sweeps))}
			for a, s := range e.Sweeps {
				pt.Sweep[a] = s.Labels[idx[a]]
			}
			e.points = append(e.points, pt)
			a := len(idx) - 1
			for ; a >= 0; a-- {
				idx[a]++
				if idx[a] < len(e.Sweeps[a].Values) {
					break
				}
				idx[a] = 0
			}
			if a < 0 {
				break
			}
		}
	}
	return nil
}

// variantOverrides returns the experiment's overrides and then a
// variant's, each with its source for messages: `exp.toml:12
// variants."time 60m"`.
func (e *Experiment) variantOverrides(v *Variant) []override {
	ov := e.commonOverrides()
	for _, o := range v.Overrides {
		ov = append(ov, override{Key: o.Key, Value: o.Value, Source: fmt.Sprintf("%s:%d: variants.%s", tomlin.SafeName(e.File), o.Line, toml.Key{v.Name})})
	}
	return ov
}

// commonOverrides returns the [overrides] table's overrides.
func (e *Experiment) commonOverrides() []override {
	ov := make([]override, 0, len(e.Overrides)+8)
	for _, o := range e.Overrides {
		ov = append(ov, override{Key: o.Key, Value: o.Value, Source: fmt.Sprintf("%s:%d: overrides", tomlin.SafeName(e.File), o.Line)})
	}
	return ov
}

// sweepOverride returns value i of sweep axis s as an override.
func (e *Experiment) sweepOverride(s *Sweep, i int) override {
	return override{Key: s.Key, Value: s.Values[i], Source: fmt.Sprintf("%s:%d: [[sweep]]", tomlin.SafeName(e.File), s.Line)}
}

// overrides returns the overrides of grid point p: its variant's, then its
// sweep values.
func (e *Experiment) overrides(p int) []override {
	pt := e.points[p]
	v, _ := e.Variant(pt.Variant)
	ov := e.variantOverrides(v)
	for a := range e.Sweeps {
		s := &e.Sweeps[a]
		ov = append(ov, e.sweepOverride(s, slices.Index(s.Labels, pt.Sweep[a])))
	}
	return ov
}

// scenario decodes the scenario of grid point p, with the experiment's seed
// (which replaces the scenario's own).
func (e *Experiment) scenario(p int) (*scenario.Scenario, error) {
	sc, err := e.sim.decode(e.ScenarioFile, e.scenarioData, e.overrides(p))
	if err != nil {
		return nil, err
	}
	sc.Seed = e.Seed
	return sc, nil
}

// validate decodes the scenario alone, with each variant, with each sweep
// value, and (when points is set) at every grid point, so that every
// problem is reported once and names its culprit: the scenario, a variant,
// a sweep value, or a combination.
func (e *Experiment) validate(scenarioLine int, points bool) error {
	name := tomlin.SafeName(e.File)
	if _, err := e.sim.decode(e.ScenarioFile, e.scenarioData, nil); err != nil {
		return e.explain(err, fmt.Sprintf("%s:%d: scenario = %s", name, scenarioLine, scenario.QuoteString(e.Scenario)), false)
	}
	// Every variant and every sweep value alone, so that one pass reports
	// all that is wrong with them.
	var errs []error
	for i := range e.Variants {
		v := &e.Variants[i]
		if _, err := e.sim.decode(e.ScenarioFile, e.scenarioData, e.variantOverrides(v)); err != nil {
			where := fmt.Sprintf("%s:%d: variants.%s", name, v.Line, toml.Key{v.Name})
			if v.Line == 0 && len(e.Overrides) > 0 {
				// The implicit variant of a file without variants: what it
				// adds to the scenario is the [overrides] table.
				where = fmt.Sprintf("%s:%d: overrides", name, e.Overrides[0].Line)
			}
			errs = append(errs, e.explain(err, where, false))
		}
	}
	for a := range e.Sweeps {
		s := &e.Sweeps[a]
		for i := range s.Values {
			ov := append(e.commonOverrides(), e.sweepOverride(s, i))
			if _, err := e.sim.decode(e.ScenarioFile, e.scenarioData, ov); err != nil {
				errs = append(errs, e.explain(err, fmt.Sprintf("%s:%d: [[sweep]] %s = %s", name, s.Line, s.Key, s.Values[i]), false))
			}
		}
	}
	if len(errs) > 0 || !points {
		return errors.Join(errs...)
	}
	if len(e.Sweeps) == 0 || len(e.points) > maxCheckedPoints {
		// Every point is a variant, checked above; or the grid is so large
		// that checking every combination would take longer than a while:
		// a bad combination is then reported when its first run starts.
		return nil
	}
	for p := range e.points {
		if _, err := e.sim.decode(e.ScenarioFile, e.scenarioData, e.overrides(p)); err != nil {
			// Each part is valid alone: name the combination on every line.
			return e.explain(err, fmt.Sprintf("%s: at %s", name, e.points[p].describe(e.Sweeps)), true)
		}
	}
	return nil
}

// explain puts context in front of each line of a scenario error that does
// not already name the experiment file (an override's errors name it, with
// the line and the variant; the scenario file's own errors do not), or of
// every line when always is set.
func (e *Experiment) explain(err error, context string, always bool) error {
	name := tomlin.SafeName(e.File) + ":"
	var b strings.Builder
	for i, line := range strings.Split(err.Error(), "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if always || !strings.HasPrefix(line, name) {
			b.WriteString(context + ": ")
		}
		b.WriteString(line)
	}
	return errors.New(b.String())
}
