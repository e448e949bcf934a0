package policies

import (
	"math/rand/v2"

	"github.com/poolsim/poolsim/engine"
)

// Supervisor reacts to worker failures: crashes, ping kills, startup-limit
// and shutdown-limit kills.
//
// The contract, which every implementation in this package meets and
// [github.com/poolsim/poolsim/policies/policytest.CheckSupervisor] checks:
//
//   - Failure is called once per failure, with times that never decrease.
//   - A Decision sets at most one of StopPool and RestartAll, and StartDelay
//     is never negative.
//   - When StopPool is set, RestartAt is now or later (engine.Never: the pool
//     stays stopped until an operator acts). RestartAt means nothing otherwise
//     and is zero.
//   - Once a supervisor has stopped the pool, Failure returns the zero
//     Decision (the pool is already stopped) until Restarted is called.
//   - Restarted clears the failure history: a supervisor that was restarted
//     at t answers failures at t+x exactly as a new one answers failures at x.
//   - Decisions depend only on the failure times, never on wall-clock time or
//     randomness, so runs are reproducible.
//
// A Supervisor is not safe for concurrent use; each simulation makes its own.
type Supervisor interface {
	// Failure records a failure at now and says what the pool does.
	Failure(now engine.Time) Decision
	// Restarted tells the supervisor that a stopped pool started again at now
	// (or that an operator restarted the pool): the failure history is
	// cleared.
	Restarted(now engine.Time)
}

// Decision is a supervisor's answer to a failure. The zero Decision means:
// carry on, start a replacement worker when work needs one.
type Decision struct {
	// StopPool stops the pool: every arrival and queued request gets 503
	// AppOffline until RestartAt (engine.Never: until an operator acts).
	StopPool  bool
	RestartAt engine.Time
	// RestartAll kills every worker and starts afresh (php-fpm's
	// emergency_restart_threshold); the pool keeps serving.
	RestartAll bool
	// StartDelay holds back the next worker start by this much (back-off),
	// counted from the failure.
	StartDelay engine.Time
}

// Retry decides whether and when a client tries again after a failed attempt.
type Retry interface {
	// Next returns the delay before attempt number attempt+1, having made
	// attempt attempts (the first is 1), and false when the client gives up.
	// It draws from r only when it returns true and the policy is random.
	Next(attempt int, r *rand.Rand) (engine.Time, bool)
}

// WorkerView is what dispatch sees of a worker in a web garden.
type WorkerView interface {
	Busy() int // threads executing a request
	Free() int // threads free to take one
}

// Dispatch picks which of the ready workers with a free thread takes the
// next request from the shared queue.
type Dispatch interface {
	// Pick returns an index into ready; every element has Free() > 0 and
	// ready is never empty. The model lists ready workers in a stable order
	// (the order in which they started), so that picks are reproducible.
	Pick(ready []WorkerView) int
}

// RecycleLimits are one worker's recycle thresholds, drawn when it starts;
// zero disables a trigger.
type RecycleLimits struct {
	Age      engine.Time // recycle this long after the worker started
	Requests int64       // recycle after serving this many requests
}

// FailureKind is how a worker failed, as supervisors tell failures apart.
type FailureKind int

// Failure kinds.
const (
	// FailFaultSignal: the process died of a fault signal (SIGSEGV, SIGBUS),
	// a crash in native code.
	FailFaultSignal FailureKind = iota
	// FailKilled: the process was killed with SIGKILL, by the kernel's
	// out-of-memory killer when its memory ran out.
	FailKilled
	// FailPing: the supervisor killed a worker that did not answer its ping.
	FailPing
	// FailStartupLimit: the supervisor killed a worker not ready in time.
	FailStartupLimit
	// FailShutdownLimit: the supervisor killed a draining worker still busy.
	FailShutdownLimit
	// FailExecTimeout: the worker was killed because a request ran past the
	// execution limit (php-fpm request_terminate_timeout sends SIGTERM,
	// uWSGI harakiri and gunicorn's arbiter kill the worker).
	FailExecTimeout
)

func (k FailureKind) String() string {
	return [...]string{"fault signal", "killed", "ping", "startup limit", "shutdown limit", "execution limit"}[k]
}

// FailureFilter is implemented by a Supervisor that counts only some kinds
// of failure; one that does not implement it counts every kind. The model
// calls Failure only for the kinds Counts accepts.
type FailureFilter interface {
	Counts(kind FailureKind) bool
}
