// Package engine is poolsim's discrete-event kernel: virtual time in integer
// nanoseconds, a pending-event set ordered by (time, insertion sequence) so
// that simultaneous events fire in the order they were scheduled, cancellable
// timers, named random streams derived from one seed, and the run loop.
//
// It knows nothing of pools or requests. A component that wants to be called
// back implements [Handler]; the event carries an integer kind so that one
// component can tell its events apart without a closure per event.
// Scheduling and firing an event allocate nothing once the internal tables
// have grown to the model's peak number of pending events.
//
// The pending events live in a typed 4-ary heap. Cancelling an event is
// O(1) and never lets cancelled events pile up: the heap holds at most
// about twice the live events, however many timeouts are set and cancelled.
//
// A run is a pure function of the model, the seed and the replication:
// there is no global state and no dependence on wall-clock time or on Go's
// map order, so many simulations run in parallel goroutines, each with its
// own [Sim], and give the results they give run one by one. A Sim is not
// safe for concurrent use.
//
// Scheduling an event in the past, or with a nil handler, is a bug in the
// model rather than bad input, and panics.
package engine
