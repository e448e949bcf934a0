package engine

import (
	"fmt"
	"math/rand/v2"
)

// Handler is a component that events call back. kind tells the component
// which of its events fired; it is whatever the component passed when it
// scheduled the event.
type Handler interface {
	HandleEvent(kind int)
}

// HandlerFunc adapts a function to a Handler. A HandlerFunc made once and
// reused schedules without allocating.
type HandlerFunc func(kind int)

// HandleEvent calls f(kind).
func (f HandlerFunc) HandleEvent(kind int) { f(kind) }

// Timer identifies a scheduled event so that it can be cancelled. The zero
// Timer refers to no event; cancelling it, or a Timer whose event has fired
// or been cancelled, does nothing.
type Timer struct {
	slot uint32 // slot index + 1, so that the zero Timer is no event
	gen  uint32
}

// Pending reports whether t's event is still waiting to fire in s.
func (s *Sim) Pending(t Timer) bool {
	if t.slot == 0 {
		return false
	}
	return s.q.pending(t.slot-1, t.gen)
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
	return &Sim{seed: seed, replication: replication, q: newQueue(2)}
}

// Now returns the current virtual time.
func (s *Sim) Now() Time { return s.now }

// Pending returns the number of events waiting to fire.
func (s *Sim) Len() int { return s.q.live() }

// Fired returns the number of events fired so far.
func (s *Sim) Fired() uint64 { return s.fired }

// At schedules h.HandleEvent(kind) at time t. Events at the same time fire
// in the order they were scheduled. A time in the past is an error of the
// caller's model and panics; Never schedules nothing.
func (s *Sim) At(t Time, h Handler, kind int) Timer {
	if t < s.now {
		panic(fmt.Sprintf("engine: event scheduled at %v, before now %v", t, s.now))
	}
	if t == Never {
		return Timer{}
	}
	sl, gen := s.q.push(t, h, kind)
	return Timer{slot: sl + 1, gen: gen}
}

// After schedules h.HandleEvent(kind) after delay d (saturating at Never).
func (s *Sim) After(d Time, h Handler, kind int) Timer {
	return s.At(s.now.Add(d), h, kind)
}

// Cancel removes t's event if it is still pending and reports whether it
// did. Cancelling a fired or already cancelled event is a no-op.
func (s *Sim) Cancel(t Timer) bool {
	if t.slot == 0 {
		return false
	}
	return s.q.cancel(t.slot-1, t.gen)
}

// Step fires the earliest pending event and reports whether there was one.
func (s *Sim) Step() bool {
	if !s.q.head() {
		return false
	}
	at, h, kind := s.q.fire()
	s.now = at
	s.fired++
	h.HandleEvent(kind)
	s.q.settle()
	return true
}

// Run fires events in order until the next one is later than until, no
// events remain, or Stop is called. Events at exactly until fire. Unless
// stopped, the clock then reads until (time passes even when nothing
// happens). It returns the number of events fired.
func (s *Sim) Run(until Time) uint64 {
	s.stopped = false
	start := s.fired
	for !s.stopped && s.q.head() && s.q.heap[s.q.root].at <= until {
		s.Step()
	}
	if !s.stopped && s.now < until && until != Never {
		s.now = until
	}
	return s.fired - start
}

// Stop makes Run return once the event being handled returns.
func (s *Sim) Stop() { s.stopped = true }

// NextAt returns the time of the earliest pending event, or Never.
func (s *Sim) NextAt() Time {
	if !s.q.head() {
		return Never
	}
	return s.q.heap[s.q.root].at
}
