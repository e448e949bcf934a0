package model

import (
	"context"
	"errors"
	"fmt"

	"github.com/poolsim/poolsim/engine"
)

// checkEvery is how many events a run fires between two checks of its
// limits (event budget, memory, cancellation): often enough to stop within
// a millisecond, rarely enough to cost nothing measurable.
const checkEvery = 1 << 14

// LimitError is a run stopped because it exceeded its event budget (its
// estimate was too low) or held too many waiting requests.
type LimitError struct {
	At       engine.Time // the simulated time it stopped at
	Events   uint64
	Budget   float64
	Queued   int     // requests waiting, when over the memory limit
	MaxBytes float64 // that limit
}

// ErrStopped is returned by a run whose Options.Context was cancelled.
var ErrStopped = errors.New("run stopped")

// limits are what a run checks every checkEvery events.
type limits struct {
	ctx      context.Context
	budget   float64
	maxBytes float64 // MaxMemory; tests lower it
	seriesTo func(SeriesRow) error
	err      error
}

func newLimits(opt Options) limits {
	l := limits{ctx: opt.Context, budget: opt.MaxEvents, maxBytes: MaxMemory, seriesTo: opt.SeriesTo}
	if l.budget == 0 {
		l.budget = DefaultMaxEvents
	}
	return l
}

// simulate runs w's events until the horizon, or until a limit stops it.
func (w *world) simulate() error {
	w.sim.RunChecked(w.horizon, checkEvery, w.withinLimits)
	return w.limits.err
}

// withinLimits reports whether the run may go on, recording why not.
func (w *world) withinLimits() bool {
	l := &w.limits
	switch {
	case l.err != nil:
	case l.ctx != nil && l.ctx.Err() != nil:
		l.err = fmt.Errorf("%w at %s of simulated time: %w", ErrStopped, w.sim.Now(), l.ctx.Err())
	case float64(w.sim.Fired()) > l.budget:
		l.err = &LimitError{At: w.sim.Now(), Events: w.sim.Fired(), Budget: l.budget}
	case float64(w.queue.len())*bytesPerRequest > l.maxBytes:
		l.err = &LimitError{At: w.sim.Now(), Queued: w.queue.len(), MaxBytes: l.maxBytes}
	}
	return l.err == nil
}

// streamRow hands a closed time-series row to Options.SeriesTo, reporting
// whether it did (false: the result keeps the row). A failed write stops
// the run.
func (w *world) streamRow(row SeriesRow) bool {
	l := &w.limits
	if l.seriesTo == nil {
		return false
	}
	if err := l.seriesTo(row); err != nil && l.err == nil {
		l.err = fmt.Errorf("writing the time series: %w", err)
		w.sim.Stop()
	}
	return true
}
