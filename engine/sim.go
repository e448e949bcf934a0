package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Handler is a component that events call back. kind tells the component
// which of its events fired; it is whatever the component passed when it
// scheduled the event. A component that implements Handler on a pointer
// receiver schedules its events without allocating.
type Handler interface {
	HandleEvent(kind int)
}

// HandlerFunc adapts a function to a Handler. A HandlerFunc made once and
// reused schedules without allocating; converting a new closure for every
// event allocates each time.
type HandlerFunc func(kind int)

// HandleEvent calls f(kind).
func (f HandlerFunc) HandleEvent(kind int) { f(kind) }

// Timer identifies a scheduled event so that it can be cancelled. The zero
// Timer refers to no event; cancelling it, or a Timer whose event has fired
// or been cancelled, does nothing. A Timer is only meaningful to the Sim
// that returned it.
type Timer struct {
	slot uint32 // slot index + 1, so that the zero Timer is no event
	gen  uint32 // the slot's generation when the event was scheduled
}

// Sim is one simulation: a clock, its pending events and its random streams.
type Sim struct {
	now     Time
	q       queue
	stopped bool
	fired   uint64

	seed, replication uint64
	streams           map[string]*rand.Rand
}

// New returns a simulation at time 0 whose random streams derive from seed
// and replication.
func New(seed, replication uint64) *Sim {
	return &Sim{seed: seed, replication: replication, q: newQueue()}
}

// Now returns the current virtual time.
func (s *Sim) Now() Time { return s.now }

// Len returns the number of events waiting to fire. The event being
// handled is no longer waiting; cancelled events are not counted.
func (s *Sim) Len() int { return s.q.live() }

// Fired returns the number of events fired so far.
func (s *Sim) Fired() uint64 { return s.fired }

// At schedules h.HandleEvent(kind) at time t and returns a Timer that can
// cancel it. Events at the same time fire in the order they were scheduled,
// including events scheduled for the current instant by a handler, which
// fire after every event already pending for that instant. At Never nothing
// is scheduled and the zero Timer is returned.
//
// Scheduling before Now, or with a nil h, is an error in the caller's model,
// not in its input, and panics.
func (s *Sim) At(t Time, h Handler, kind int) Timer {
	if t < s.now || h == nil {
		panic(scheduleError{at: t, now: s.now, nilHandler: h == nil})
	}
	if t == Never {
		return Timer{}
	}
	q := &s.q
	if e, gen, ok := q.reuseTop(t, h, kind); ok {
		replaceTop4(q.heap, e)
		return Timer{slot: e.slot() + 1, gen: gen}
	}
	sl, gen := q.push(t, h, kind)
	return Timer{slot: sl + 1, gen: gen}
}

// scheduleError is the panic value of At for an event in the past or
// without a handler.
type scheduleError struct {
	at, now    Time
	nilHandler bool
}

func (e scheduleError) Error() string {
	if e.nilHandler {
		return "engine: event scheduled with a nil Handler"
	}
	return fmt.Sprintf("engine: event scheduled at %v, before now %v", e.at, e.now)
}

// After schedules h.HandleEvent(kind) after delay d, saturating at Never
// (which schedules nothing). A negative d panics, as At in the past does.
func (s *Sim) After(d Time, h Handler, kind int) Timer {
	return s.At(s.now.Add(d), h, kind)
}

// Cancel removes t's event if it is still pending and reports whether it
// did. Cancelling the zero Timer, a fired event (including the one being
// handled) or an already cancelled one does nothing and returns false.
// Cancelled events do not accumulate: the pending set never holds more than
// about twice the live events.
func (s *Sim) Cancel(t Timer) bool {
	if t.slot == 0 {
		return false
	}
	return s.q.cancel(t.slot-1, t.gen)
}

// Pending reports whether t's event is still waiting to fire.
func (s *Sim) Pending(t Timer) bool {
	return t.slot != 0 && s.q.pending(t.slot-1, t.gen)
}

// Step fires the earliest pending event and reports whether there was one.
// The clock moves to the event's time before its handler runs.
func (s *Sim) Step() bool { return s.fire(Never, 1) == 1 }

// fire fires up to n events in order while the next one is due by until,
// and returns how many it fired; it stops after an event whose handler
// calls Stop. It is the one loop that fires events, for Step and Run, and
// calls nothing per event but the handler: a call more per event is a few
// per cent of a whole run (BenchmarkRun/mm4). Each event's entry stays at
// the root, spent, while its handler runs (see queue).
func (s *Sim) fire(until Time, n uint64) uint64 {
	q := &s.q
	var k uint64
	for k < n && (q.rootLive() || q.head()) && q.heap[root].at <= until {
		e := q.heap[root]
		sl := &q.slots[e.slot()]
		h, kind := sl.h, sl.kind
		sl.h = nil
		sl.gen++
		q.spent = true
		s.now = e.at
		s.fired++
		h.HandleEvent(kind)
		if q.spent {
			q.settle()
		}
		k++
		if s.stopped {
			break
		}
	}
	return k
}

// Run fires events in order until the next one is later than until, no
// events remain, or a handler calls Stop. Events at exactly until fire.
// Unless stopped, the clock then reads until (time passes even when nothing
// happens), or stays where it is if until is Never or already past. It
// returns the number of events fired. A Stop before Run has no effect.
func (s *Sim) Run(until Time) uint64 { return s.RunChecked(until, 0, nil) }

// RunChecked is Run that also calls check after every `every` events fired
// and stops, as Stop does, when check returns false: a caller bounds a run
// (events fired, memory, cancellation) at the cost of one comparison per
// event. With a nil check it is Run.
func (s *Sim) RunChecked(until Time, every uint64, check func() bool) uint64 {
	s.stopped = false
	start := s.fired
	n := uint64(math.MaxUint64)
	if check != nil {
		n = max(every, 1)
	}
	// Fire in runs of n events, checking after each full run (even one
	// that ends in a Stop), until a run falls short: no events left, none
	// due by until, or stopped.
	for s.fire(until, n) == n && check != nil {
		if !check() {
			s.stopped = true
		}
		if s.stopped {
			break
		}
	}
	if !s.stopped && s.now < until && until != Never {
		s.now = until
	}
	return s.fired - start
}

// Stop makes Run return once the event being handled returns, leaving the
// clock at that event's time. Later events stay pending; Run again resumes.
func (s *Sim) Stop() { s.stopped = true }

// NextAt returns the time of the earliest pending event, or Never.
func (s *Sim) NextAt() Time {
	if !s.q.head() {
		return Never
	}
	return s.q.heap[root].at
}
