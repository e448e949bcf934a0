package model

import (
	"context"
	"fmt"
	"io"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// Options are the knobs of one run that are not part of the scenario.
type Options struct {
	// Replication selects the replication's random streams (with the
	// scenario's seed): replication r of two scenarios sees the same
	// arrivals where the two agree on the clients.
	Replication uint64
	// Interval is the width of a time-series row; 0: no series.
	Interval engine.Time
	// HTTPErr receives the run's HTTPERR log when not nil.
	HTTPErr io.Writer
	// AccessLog receives the run's W3C extended access log when not nil.
	AccessLog io.Writer
	// Trace receives an event-by-event log when not nil.
	Trace io.Writer
	// MaxEvents refuses a scenario whose expected number of events exceeds
	// it, and stops a run that fires more; 0: DefaultMaxEvents.
	MaxEvents float64
	// SeriesTo, when not nil, receives the time-series rows as they close
	// instead of Result.Series holding them (see SeriesCSV).
	SeriesTo func(SeriesRow) error
	// Context, when not nil, stops the run with ErrStopped once cancelled.
	Context context.Context
}

// Run simulates the scenario once. The same scenario and options give the
// same result, bit for bit.
func Run(sc *scenario.Scenario, opt Options) (*Result, error) {
	if err := CheckRun(sc, opt); err != nil {
		return nil, err
	}
	warmup := sc.Warmup.T()
	var warnings []string
	if sc.Warmup.Auto {
		var err error
		if warmup, warnings, err = estimateWarmup(sc, opt); err != nil {
			return nil, err
		}
	}
	w, err := newWorld(sc, opt, warmup)
	if err != nil {
		return nil, err
	}
	res, err := w.run()
	if err != nil {
		return nil, err
	}
	res.Warnings = append(warnings, res.Warnings...)
	return res, nil
}

// estimateWarmup runs the scenario once with a fine time series and
// truncates it by MSER-5 (White 1997) on the mean response time per
// interval; the run proper then repeats with the same streams.
//
// Rule (docs/model.md#warm-up): MSER-5 is for runs that settle. When the
// probe ends with the pool stopped, or a worker fails or the pool stops
// before the truncation point, or MSER-5 finds no point in the first half,
// no warm-up is used and a warning says why: truncating would erase the
// outage the run should measure.
func estimateWarmup(sc *scenario.Scenario, opt Options) (engine.Time, []string, error) {
	h := sc.Horizon.T()
	probe := Options{Replication: opt.Replication, Interval: max(h/1000, engine.Second), MaxEvents: opt.MaxEvents, Context: opt.Context}
	w, err := newWorld(sc, probe, 0)
	if err != nil {
		return 0, nil, err
	}
	res, err := w.run()
	if err != nil {
		return 0, nil, err
	}
	y := make([]float64, len(res.Series))
	prev := 0.0
	for i, row := range res.Series {
		if row.OK > 0 {
			prev = row.ResponseSumS / float64(row.OK)
		}
		y[i] = prev
	}
	d, ok := MSER5(y)
	const head = `warmup = "auto": `
	if w.stopped {
		return 0, []string{head + "the run ends with the pool stopped by rapid-fail protection; MSER-5 is for runs that settle, so no warm-up is used"}, nil
	}
	if !ok {
		return 0, []string{head + "the response time does not settle in the first half of the run (MSER-5 finds no truncation point); no warm-up is used"}, nil
	}
	cut := engine.Time(d*MSERBatch) * probe.Interval
	if cut >= h/2 {
		return 0, []string{fmt.Sprintf(head+"the truncation point %v is in the second half of the run; no warm-up is used", cut)}, nil
	}
	if n, stopped := failuresBefore(res, cut); n > 0 || stopped {
		return 0, []string{fmt.Sprintf(head+"%d worker failures%s before the truncation point %v would be left out; no warm-up is used",
			n, map[bool]string{true: " and a stop of the pool", false: ""}[stopped], cut)}, nil
	}
	return cut, nil, nil
}

// failuresBefore counts the workers that failed (crash, kill) before t in
// a probe run, and says whether the pool was stopped before t.
func failuresBefore(res *Result, t engine.Time) (n int, stopped bool) {
	for _, l := range res.Workers {
		if l.Exit < t && isFailure(l.Why) {
			n++
		}
	}
	for _, row := range res.Series {
		if row.Start < t && row.Stopped {
			stopped = true
		}
	}
	return n, stopped
}

// isFailure says whether a worker that ended for why failed (a crash or a
// kill), as the supervisor counts failures.
func isFailure(why string) bool {
	switch why {
	case "crash", "ping", "shutdown_limit", "startup_limit":
		return true
	}
	return false
}
