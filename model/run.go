package model

import (
	"io"

	"github.com/poolsim/poolsim/engine"
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
	// it; 0: DefaultMaxEvents.
	MaxEvents float64
}

// Run simulates the scenario once. The same scenario and options give the
// same result, bit for bit.
func Run(sc *Scenario, opt Options) (*Result, error) {
	if err := CheckBudget(sc, opt.MaxEvents); err != nil {
		return nil, err
	}
	warmup := sc.Warmup.T()
	if sc.Warmup.Auto {
		var err error
		if warmup, err = estimateWarmup(sc, opt); err != nil {
			return nil, err
		}
	}
	w, err := newWorld(sc, opt, warmup)
	if err != nil {
		return nil, err
	}
	return w.run()
}

// estimateWarmup runs the scenario once with a fine time series and
// truncates it by MSER-5 (White 1997) on the mean response time per
// interval; the run proper then repeats with the same streams.
func estimateWarmup(sc *Scenario, opt Options) (engine.Time, error) {
	h := sc.Horizon.T()
	probe := Options{Replication: opt.Replication, Interval: max(h/1000, engine.Second)}
	w, err := newWorld(sc, probe, 0)
	if err != nil {
		return 0, err
	}
	res, err := w.run()
	if err != nil {
		return 0, err
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
	if !ok {
		return 0, nil
	}
	return min(engine.Time(d*5)*probe.Interval, h/2), nil
}
