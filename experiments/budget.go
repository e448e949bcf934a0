package experiments

import (
	"errors"
	"fmt"
	"runtime"

	"github.com/poolsim/poolsim/model"
)

// Limits of a sweep, checked before anything runs or is written.
const (
	// MaxRuns bounds the runs of one sweep (grid points × replications, or
	// × the maximum replications of a sweep to a precision target).
	MaxRuns = 10_000_000
	// MaxParallel bounds Options.Parallel.
	MaxParallel = 1024
)

// CheckBudget checks the experiment against the limits of a sweep with the
// default options: see CheckRuns.
func (e *Experiment) CheckBudget() error { return e.CheckRuns(Options{}) }

// CheckRuns reports an experiment a sweep with opt could not run, before
// anything runs or is written: more runs than MaxRuns, or a grid point
// whose runs would exceed the budget of a run (model.CheckRun with
// opt.MaxEvents: model.Run refuses such a scenario). The error names the
// point and the size of its runs.
//
// Every grid point is checked when there are at most ten thousand of them;
// in a larger grid, each variant with each sweep value alone, and each
// variant at the combination of the most expensive value of every axis.
func (e *Experiment) CheckRuns(opt Options) error {
	if err := e.checkRunCount(opt); err != nil {
		return err
	}
	if err := model.CheckMaxEvents(opt.MaxEvents); err != nil {
		return err
	}
	c := budgetChecker{e: e, maxEvents: opt.MaxEvents}
	if len(e.points) <= maxCheckedPoints {
		for p := range e.points {
			if _, err := c.check(e.points[p].describe(e.Sweeps), e.overrides(p)); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range e.Variants {
		if err := c.checkAxes(&e.Variants[i]); err != nil {
			return err
		}
	}
	return nil
}

// checkRunCount refuses more runs than MaxRuns, before any is allocated.
func (e *Experiment) checkRunCount(opt Options) error {
	reps := e.Replications
	if opt.Precision > 0 {
		reps = max(reps, opt.MaxReplications, DefaultMaxReplications)
	}
	if n := len(e.points); n > 0 && reps > MaxRuns/n {
		return fmt.Errorf("%s: %d grid points × %d replications is over the limit of %d runs of a sweep: sweep fewer values or run fewer replications",
			e.File, n, reps, MaxRuns)
	}
	return nil
}

// checkParallel refuses a parallelism that would only exhaust memory.
func checkParallel(n int) error {
	if n < 0 || n > MaxParallel {
		return fmt.Errorf("parallel = %d: want 0 (one run per core, %d here) to %d", n, runtime.NumCPU(), MaxParallel)
	}
	return nil
}

// CheckParallel checks a value of Options.Parallel (--parallel).
func CheckParallel(n int) error { return checkParallel(n) }

// budgetChecker decodes grid points and checks their runs' budget.
type budgetChecker struct {
	e         *Experiment
	maxEvents float64
}

// check decodes the scenario with the overrides and checks a run of it,
// returning its estimated events.
func (c budgetChecker) check(where string, ov []override) (float64, error) {
	e := c.e
	sc, err := e.sim.decode(e.ScenarioFile, e.scenarioData, ov)
	if err != nil {
		return 0, e.explain(err, fmt.Sprintf("%s: at %s", e.File, where), true)
	}
	err = model.CheckRun(sc, model.Options{MaxEvents: c.maxEvents})
	var be *model.BudgetError
	if errors.As(err, &be) && !be.Memory {
		return be.Events, fmt.Errorf("%s: %s: each run would take about %.3g events (%s), over the budget of %.3g events of a run; "+
			"shorten the horizon, lower the load, or raise the budget with --max-events", e.File, where, be.Events, be.Cause, be.Budget)
	}
	if err != nil {
		return 0, fmt.Errorf("%s: %s: %w", e.File, where, err)
	}
	return model.EstimateRun(sc, model.Options{}).Events, nil
}

// checkAxes checks variant v with each sweep value alone, then at the most
// expensive value of every axis together.
func (c budgetChecker) checkAxes(v *Variant) error {
	e := c.e
	worst := c.e.variantOverrides(v)
	for a := range e.Sweeps {
		s := &e.Sweeps[a]
		most, at := -1.0, 0
		for i := range s.Values {
			ev, err := c.check(fmt.Sprintf("variant %q, %s=%s", v.Name, s.Key, s.Labels[i]), append(e.variantOverrides(v), e.sweepOverride(s, i)))
			if err != nil {
				return err
			}
			if ev > most {
				most, at = ev, i
			}
		}
		worst = append(worst, e.sweepOverride(s, at))
	}
	_, err := c.check(fmt.Sprintf("variant %q at the most expensive value of every sweep axis", v.Name), worst)
	return err
}
