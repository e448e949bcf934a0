package policies

import (
	"fmt"
	"math/rand/v2"

	"github.com/poolsim/poolsim/engine"
)

// Day is the length of a day in virtual time.
const Day = 24 * engine.Hour

// RecycleTrigger holds a pool's per-worker recycle triggers, as configured:
// the worker's age (pool.recycle.time, IIS periodicRestart@time) and the
// requests it has served (pool.recycle.requests, IIS
// periodicRestart@requests), each with optional jitter. Zero disables a
// trigger.
//
// Jitter follows gunicorn's max_requests_jitter: "The maximum jitter to add
// to the max_requests setting. The jitter causes the restart per worker to
// be randomized by randint(0, max_requests_jitter). This is intended to
// stagger worker restarts to avoid all workers restarting at the same time."
// (https://docs.gunicorn.org/en/stable/settings.html#max-requests-jitter;
// gunicorn/workers/base.py draws it once per worker, when it starts). IIS has
// no jitter: with Jitter and JitterRequests zero, every worker gets exactly
// the configured limits.
type RecycleTrigger struct {
	Age            engine.Time // recycle a worker this long after it started; 0: off
	Requests       int64       // recycle a worker after this many requests; 0: off
	Jitter         engine.Time // uniform extra age in [0, Jitter]
	JitterRequests int64       // uniform extra requests in [0, JitterRequests]
}

// Validate reports a negative setting.
func (t RecycleTrigger) Validate() error {
	switch {
	case t.Age < 0:
		return fmt.Errorf("recycle.time = %v: must not be negative (0: off)", t.Age)
	case t.Requests < 0:
		return fmt.Errorf("recycle.requests = %d: must not be negative (0: off)", t.Requests)
	case t.Jitter < 0:
		return fmt.Errorf("recycle.jitter = %v: must not be negative", t.Jitter)
	case t.JitterRequests < 0:
		return fmt.Errorf("recycle.jitter_requests = %d: must not be negative", t.JitterRequests)
	}
	return nil
}

// Draw returns one worker's limits: Age plus a uniform offset in [0, Jitter]
// and Requests plus a uniform integer in [0, JitterRequests] (both ends
// included, like Python's randint). A disabled trigger stays zero and draws
// nothing; so does a trigger without jitter, so that adding jitter to one
// trigger does not change the draws of the other. Draws saturate instead of
// overflowing, and negative settings count as zero.
func (t RecycleTrigger) Draw(r *rand.Rand) RecycleLimits {
	var l RecycleLimits
	if t.Age > 0 {
		l.Age = t.Age
		if t.Jitter > 0 {
			l.Age = l.Age.Add(engine.Time(uniformInclusive(r, int64(t.Jitter))))
		}
	}
	if t.Requests > 0 {
		l.Requests = t.Requests
		if t.JitterRequests > 0 {
			x := uniformInclusive(r, t.JitterRequests)
			if l.Requests > int64(engine.Never)-x {
				l.Requests = int64(engine.Never)
			} else {
				l.Requests += x
			}
		}
	}
	return l
}

// uniformInclusive returns a uniform integer in [0, n] for n > 0.
func uniformInclusive(r *rand.Rand, n int64) int64 {
	if n == int64(engine.Never) {
		return r.Int64N(n)
	}
	return r.Int64N(n + 1)
}

// NextScheduled returns the first instant strictly after now at which a
// scheduled recycle falls due (pool.recycle.schedule, IIS
// periodicRestart/schedule: local times of day, every day). startOfDay is
// how far time 0 of the simulation lies after midnight of its first day (the
// scenario's start); times are offsets from midnight, in any order, and are
// taken modulo one day. With no times it returns engine.Never, and so it
// does when the answer would overflow.
//
// Days are 24 hours: the times are read in the time zone of the scenario's
// start, which poolsim treats as free of daylight-saving changes.
func NextScheduled(now, startOfDay engine.Time, times []engine.Time) engine.Time {
	if len(times) == 0 || now > engine.Never-3*Day || now < -engine.Never/2 {
		return engine.Never
	}
	wall := now + mod(startOfDay, Day) // now, counted from midnight of the first day
	midnight := wall - mod(wall, Day)  // midnight before (or at) now
	next := engine.Never
	for _, tod := range times {
		at := midnight + mod(tod, Day)
		if at <= wall {
			at += Day
		}
		if at < next {
			next = at
		}
	}
	return next - mod(startOfDay, Day)
}

// mod returns x modulo m in [0, m) for m > 0.
func mod(x, m engine.Time) engine.Time {
	x %= m
	if x < 0 {
		x += m
	}
	return x
}

// ParseTimeOfDay parses a 24-hour time of day, "hh:mm" or "hh:mm:ss" (as
// in IIS's schedule values), into an offset from midnight.
func ParseTimeOfDay(s string) (engine.Time, error) {
	bad := fmt.Errorf("time of day %q: want hh:mm or hh:mm:ss, from 00:00 to 23:59:59", s)
	if len(s) != 5 && (len(s) != 8 || s[5] != ':') || s[2] != ':' {
		return 0, bad
	}
	var f [3]int
	for i := 0; i*3 < len(s); i++ {
		hi, lo := s[i*3], s[i*3+1]
		if hi < '0' || hi > '9' || lo < '0' || lo > '9' {
			return 0, bad
		}
		f[i] = int(hi-'0')*10 + int(lo-'0')
	}
	if f[0] > 23 || f[1] > 59 || f[2] > 59 {
		return 0, bad
	}
	return engine.Time(f[0])*engine.Hour + engine.Time(f[1])*engine.Minute + engine.Time(f[2])*engine.Second, nil
}
