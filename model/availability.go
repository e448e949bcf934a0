package model

import (
	"math"

	"github.com/poolsim/poolsim/engine"
)

// Serving availability and outages (docs/model.md#availability).
//
// Rule: the pool can serve at an instant when it is not stopped and either
// its queue is empty or some serving (ready, not draining) worker has a
// thread that is free or executing a request that will finish (not hung).
// It cannot serve while requests wait and nothing can take them: no worker
// is ready (all starting, failing to start, held back by a back-off, or
// draining), or every thread of every ready worker hangs. A pool saturated
// by load is still serving: its threads progress and its queue moves.
// An outage is a maximal stretch of time the pool cannot serve.

// outageRec follows whether the pool can serve, in constant memory.
type outageRec struct {
	down      bool
	downSince engine.Time // start of the current outage

	downTime  engine.Time // within the measured span
	outages   int64       // outages overlapping the measured span
	recovered int64       // outages that ended within the measured span
	recoverT  engine.Time // their whole lengths
}

// canServe applies the rule above to the world's state now.
func (w *world) canServe() bool {
	return !w.stopped && (w.queue.len() == 0 || w.takers > 0)
}

// takesQueued reports whether wk is one the rule counts: serving, with a
// thread that is free or will finish (not hung). world.takers counts them.
func (wk *worker) takesQueued() bool { return wk.state.serving() && wk.hung < wk.threads }

// recountTaker keeps world.takers as wk changes (its state, its hung
// threads, its threads): took is what wk.takesQueued said before.
func (wk *worker) recountTaker(took bool) {
	if takes := wk.takesQueued(); takes != took {
		if takes {
			wk.w.takers++
		} else {
			wk.w.takers--
		}
	}
}

// servingChanged re-evaluates whether the pool can serve; call it after
// anything that may change the answer (the queue, a worker's state or hung
// threads, a stop or a restart). It inlines to a few tests while the
// answer stays.
func (w *world) servingChanged() {
	// Serving, and still able to: no worker needed, or one can take the
	// queue. (queue.size != queue.gone is queue.len() != 0, cheaper for
	// the inliner.)
	if w.rec.outage.down || w.stopped || w.takers == 0 && w.queue.size != w.queue.gone {
		w.reviewServing()
	}
}

// reviewServing starts or ends an outage if the pool has just stopped or
// started being able to serve. It is kept out of line (rarely called) so
// that servingChanged inlines.
//
//go:noinline
func (w *world) reviewServing() {
	o := &w.rec.outage
	down := !w.canServe()
	if down == o.down {
		return
	}
	now := w.sim.Now()
	o.down = down
	if down {
		o.downSince = now
		return
	}
	o.close(now, w.warmup)
}

// close ends the current outage at now. An outage of no length (a request
// queued and taken at the same instant) is none.
func (o *outageRec) close(now, warmup engine.Time) {
	if now <= warmup || now == o.downSince {
		return
	}
	o.outages++
	o.downTime += now - max(o.downSince, warmup)
	o.recovered++
	o.recoverT += now - o.downSince
}

// fill sets the availability metrics of a run measured over span, ending
// at now.
func (o *outageRec) fill(m *Metrics, now, warmup, span engine.Time) {
	downTime := o.downTime
	outages := o.outages
	if o.down && now > warmup && now > o.downSince {
		outages++
		downTime += now - max(o.downSince, warmup)
	}
	m.ServingAvailability = 1
	if span > 0 {
		m.ServingAvailability = 1 - downTime.Seconds()/span.Seconds()
	}
	m.Outages = float64(outages)
	m.OutageTimeS = downTime.Seconds()
	m.OutageMeanS = math.NaN()
	if outages > 0 {
		m.OutageMeanS = downTime.Seconds() / float64(outages)
	}
	m.TimeToRecoverS = math.NaN()
	if o.recovered > 0 {
		m.TimeToRecoverS = o.recoverT.Seconds() / float64(o.recovered)
	}
}
