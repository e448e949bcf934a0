// Package engine is poolsim's discrete-event kernel: virtual time in integer
// nanoseconds, a pending-event set ordered by (time, insertion sequence) so
// that simultaneous events fire in the order they were scheduled, cancellable
// timers, named random streams derived from one seed, and the run loop.
//
// It knows nothing of pools or requests. A component that wants to be called
// back implements [Handler]; the event carries an integer kind so that one
// component can tell its events apart without a closure per event. Scheduling
// and firing an event allocate nothing once the internal tables have grown to
// the model's peak number of pending events.
//
// A Sim is not safe for concurrent use, and there is no global state: many
// simulations run in parallel goroutines, each with its own Sim.
package engine
