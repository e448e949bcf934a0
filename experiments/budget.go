package experiments

import (
	"errors"
	"fmt"
	"math"

	"github.com/poolsim/poolsim/model"
)

// CheckBudget reports a grid point whose runs would exceed the event budget
// of a run (model.DefaultMaxEvents: model.Run refuses such a scenario), so
// that an experiment a sweep could not run is refused before anything
// runs or is written. The error names the point and the size of its runs.
//
// Every grid point is checked when there are at most ten thousand of them;
// in a larger grid, each variant and each sweep value alone.
func (e *Experiment) CheckBudget() error {
	check := func(where string, ov []override) error {
		sc, err := e.sim.decode(e.ScenarioFile, e.scenarioData, ov)
		if err != nil {
			return err
		}
		requests, events := runSize(sc)
		if events > model.DefaultMaxEvents {
			return fmt.Errorf("%s: %s: each run would send about %.3g requests (about %.3g events), over the budget of %.3g events of a run in a sweep: shorten the horizon or lower the load",
				e.File, where, requests, events, float64(model.DefaultMaxEvents))
		}
		return nil
	}
	if len(e.points) <= maxCheckedPoints {
		for p := range e.points {
			if err := check(e.points[p].describe(e.Sweeps), e.overrides(p)); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range e.Variants {
		v := &e.Variants[i]
		if err := check(fmt.Sprintf("variant %q", v.Name), e.variantOverrides(v)); err != nil {
			return err
		}
	}
	for a := range e.Sweeps {
		s := &e.Sweeps[a]
		for i := range s.Values {
			if err := check(fmt.Sprintf("%s=%s", s.Key, s.Labels[i]), append(e.commonOverrides(), e.sweepOverride(s, i))); err != nil {
				return err
			}
		}
	}
	return nil
}

// runSize returns the requests and events that model.Run expects of a run
// of sc.
func runSize(sc *model.Scenario) (requests, events float64) {
	var be *model.BudgetError
	if errors.As(model.CheckBudget(sc, math.SmallestNonzeroFloat64), &be) {
		return be.Requests, be.Events
	}
	return 0, 0
}
