package engine

import (
	"math"
	"time"
)

// Time is a point in virtual time, or a span of it, in nanoseconds since the
// start of the simulation. Integer time makes event order exact: two events
// scheduled for the same instant really are simultaneous.
type Time int64

// Never is later than every event; a timer at Never is never scheduled.
const Never Time = math.MaxInt64

// Common spans of virtual time.
const (
	Nanosecond  Time = 1
	Microsecond      = 1000 * Nanosecond
	Millisecond      = 1000 * Microsecond
	Second           = 1000 * Millisecond
	Minute           = 60 * Second
	Hour             = 60 * Minute
)

// FromDuration converts a wall-clock duration into virtual time.
func FromDuration(d time.Duration) Time { return Time(d) }

// FromSeconds converts seconds into virtual time, rounding to the nearest
// nanosecond (half away from zero, as math.Round) and saturating at Never
// (and at -Never) instead of overflowing.
func FromSeconds(s float64) Time {
	ns := s * 1e9
	if ns >= 0 && ns < 1<<52 {
		// The common case, small enough to inline: below 2^52 the
		// truncation and the fraction it leaves are exact, so rounding
		// half up from the fraction is math.Round's result.
		t := Time(ns)
		if ns-float64(t) >= 0.5 {
			t++
		}
		return t
	}
	return roundNanos(ns)
}

// roundNanos is FromSeconds for the rest: negative, huge or NaN.
func roundNanos(ns float64) Time {
	switch {
	case ns >= float64(Never):
		return Never
	case ns <= -float64(Never):
		return -Never
	case math.IsNaN(ns):
		return 0
	}
	return Time(math.Round(ns))
}

// Duration converts virtual time into a wall-clock duration.
func (t Time) Duration() time.Duration { return time.Duration(t) }

// Seconds returns t in seconds.
func (t Time) Seconds() float64 { return float64(t) / 1e9 }

// String formats t as a duration ("1m30s"), or "never".
func (t Time) String() string {
	if t == Never {
		return "never"
	}
	return time.Duration(t).String()
}

// Add returns t+d, saturating at Never so that "now + a huge timeout" stays
// in the future instead of wrapping into the past.
func (t Time) Add(d Time) Time {
	if d >= Never-t {
		return Never
	}
	return t + d
}
