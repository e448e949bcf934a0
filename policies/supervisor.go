package policies

import (
	"fmt"
	"math"

	"github.com/poolsim/poolsim/engine"
)

// Supervisor policy names, as written in pool.rapid_fail.policy.
const (
	PolicyIIS              = "iis"
	PolicyEmergencyRestart = "emergency_restart"
	PolicyBackoff          = "backoff"
)

// Window names for the iis policy, as written in pool.rapid_fail.window.
const (
	WindowSliding = "sliding"
	WindowFixed   = "fixed"
)

// SupervisorConfig selects and parameterises a supervisor. It mirrors the
// scenario's [pool.rapid_fail] table.
type SupervisorConfig struct {
	// Policy is one of "iis" (the default when empty), "emergency_restart"
	// or "backoff".
	Policy string
	// Enabled false gives a supervisor that never acts, whatever the policy.
	Enabled bool
	// MaxFailures is the number of failures within Interval that trips the
	// iis and emergency_restart policies (max_crashes).
	MaxFailures int
	// Interval is the length of the counting window (interval).
	Interval engine.Time
	// Window is "sliding" (the default when empty) or "fixed"; iis only.
	Window string
	// RestartAfter is how long an iis-stopped pool stays stopped before it is
	// started again, or engine.Never (restart_after = "never": IIS waits for
	// an administrator). Zero restarts it at the instant it stopped.
	RestartAfter engine.Time
}

// NewSupervisor returns the supervisor that cfg names. Its errors name the
// scenario keys of [pool.rapid_fail] and list the allowed values. Settings a
// policy does not use are not checked.
func NewSupervisor(cfg SupervisorConfig) (Supervisor, error) {
	policy := cfg.Policy
	if policy == "" {
		policy = PolicyIIS
	}
	switch policy {
	case PolicyIIS, PolicyEmergencyRestart, PolicyBackoff:
	default:
		return nil, fmt.Errorf("rapid_fail.policy %q: unknown; allowed: %s, %s, %s",
			cfg.Policy, PolicyIIS, PolicyEmergencyRestart, PolicyBackoff)
	}
	if !cfg.Enabled {
		return Disabled{}, nil
	}
	switch policy {
	case PolicyIIS:
		return NewRapidFail(cfg.MaxFailures, cfg.Interval, cfg.Window, cfg.RestartAfter)
	case PolicyEmergencyRestart:
		return NewEmergencyRestart(cfg.MaxFailures, cfg.Interval)
	default:
		return NewCrashLoopBackOff(), nil
	}
}

// Disabled is the supervisor of a pool whose rapid-fail protection is off
// (IIS failure@rapidFailProtection = false): it never stops the pool,
// restarts nothing and delays nothing; every failed worker is simply
// replaced when work needs one.
type Disabled struct{}

// Failure returns the zero Decision.
func (Disabled) Failure(engine.Time) Decision { return Decision{} }

// Restarted does nothing.
func (Disabled) Restarted(engine.Time) {}

// failureLog holds the times of recent failures, oldest first, as a queue
// over one slice that is compacted in place, so that recording a failure
// allocates nothing once the slice has grown to the largest number of
// failures ever held at once.
type failureLog struct {
	times []engine.Time
	head  int
}

func (l *failureLog) len() int { return len(l.times) - l.head }

func (l *failureLog) push(t engine.Time) {
	if l.head > 0 && l.head == len(l.times) {
		l.times, l.head = l.times[:0], 0
	} else if l.head > 32 && l.head*2 >= len(l.times) {
		n := copy(l.times, l.times[l.head:])
		l.times, l.head = l.times[:n], 0
	}
	l.times = append(l.times, t)
}

// dropBefore forgets the failures at times before cut.
func (l *failureLog) dropBefore(cut engine.Time) {
	for l.head < len(l.times) && l.times[l.head] < cut {
		l.head++
	}
}

func (l *failureLog) clear() { l.times, l.head = l.times[:0], 0 }

// RapidFail is IIS rapid-fail protection (policy "iis"): when MaxFailures
// failures happen within Interval, WAS stops the application pool (event
// 5002, "Application pool '%1' is being automatically disabled due to a
// series of failures"); HTTP.sys then answers every request for it,
// including those already queued, with 503 (HTTPERR reason AppOffline)
// until the pool is started again. IIS itself never restarts it: an
// administrator must; RestartAfter models a script or an operator doing so.
//
// Sources: the IIS configuration reference, applicationPools/add/failure
// (rapidFailProtection, rapidFailProtectionMaxCrashes = 5,
// rapidFailProtectionInterval = 5 min, "the number of minutes before the
// failure count for a process is reset"),
// https://learn.microsoft.com/en-us/iis/configuration/system.applicationhost/applicationpools/add/failure;
// "Configuring Rapid-Fail Protection" (IIS 6, what counts as a failure and
// the 503 for queued requests); "Features of the Windows Process Activation
// Service" (the pool is stopped and not restarted).
//
// IIS does not document whether the window slides or is fixed, so both are
// offered:
//
//   - sliding: the pool stops when the failures in the half-open interval
//     (now-Interval, now] number MaxFailures or more;
//   - fixed: the first failure opens a window [t, t+Interval); failures in it
//     are counted, and the first failure at or after its end opens the next
//     window with a count of one. This is one reading of "the number of
//     minutes before the failure count is reset".
//
// A fixed window never trips where the sliding one would not, but the
// sliding one trips on bursts that straddle a fixed window's end.
type RapidFail struct {
	max          int
	interval     engine.Time
	fixed        bool
	restartAfter engine.Time

	stopped bool
	log     failureLog  // sliding
	start   engine.Time // fixed: start of the current window
	count   int         // fixed: failures in it
}

// NewRapidFail returns IIS rapid-fail protection that stops the pool after
// maxFailures failures within interval, counted in a "sliding" or "fixed"
// window ("" is sliding), and restarts it restartAfter later (engine.Never:
// never).
func NewRapidFail(maxFailures int, interval engine.Time, window string, restartAfter engine.Time) (*RapidFail, error) {
	s := &RapidFail{max: maxFailures, interval: interval, restartAfter: restartAfter}
	switch window {
	case "", WindowSliding:
	case WindowFixed:
		s.fixed = true
	default:
		return nil, fmt.Errorf("rapid_fail.window %q: unknown; allowed: %s, %s", window, WindowSliding, WindowFixed)
	}
	if maxFailures < 1 {
		return nil, fmt.Errorf("rapid_fail.max_crashes = %d: must be at least 1 (IIS allows 1 to 2147483647; set enabled = false to turn protection off)", maxFailures)
	}
	if interval <= 0 {
		return nil, fmt.Errorf("rapid_fail.interval = %v: must be positive", interval)
	}
	if restartAfter < 0 {
		return nil, fmt.Errorf("rapid_fail.restart_after = %v: must be a duration of zero or more, or never", restartAfter)
	}
	return s, nil
}

// Failure counts the failure and stops the pool when the threshold is
// reached.
func (s *RapidFail) Failure(now engine.Time) Decision {
	if s.stopped {
		return Decision{}
	}
	var n int
	if s.fixed {
		if s.count == 0 || now-s.start >= s.interval {
			s.start, s.count = now, 0
		}
		s.count++
		n = s.count
	} else {
		s.log.push(now)
		s.log.dropBefore(since(now, s.interval) + 1)
		n = s.log.len()
	}
	if n < s.max {
		return Decision{}
	}
	s.stopped = true
	return Decision{StopPool: true, RestartAt: now.Add(s.restartAfter)}
}

// since returns now-interval, saturating at the smallest time instead of
// wrapping around.
func since(now, interval engine.Time) engine.Time {
	if now < math.MinInt64+1+interval {
		return math.MinInt64 + 1
	}
	return now - interval
}

// Restarted clears the failure count.
func (s *RapidFail) Restarted(engine.Time) {
	s.stopped = false
	s.log.clear()
	s.count = 0
}

// EmergencyRestart is php-fpm's emergency restart (policy
// "emergency_restart"): "If this number of child processes exit with
// SIGSEGV or SIGBUS within the time interval set by
// emergency_restart_interval then FPM will restart", where FPM's master
// reloads and every worker is replaced; the pool keeps serving (queued
// requests wait for the new workers). Unlike IIS, it never stops the pool.
//
// The window slides and is closed at both ends, as in php-fpm's
// fpm_children.c, which keeps the times of the last
// emergency_restart_threshold faults and restarts when none of them is more
// than emergency_restart_interval older than the newest. The reload starts
// afresh, so the failure history is cleared when the restart fires.
//
// Sources: php-fpm.conf (php-src sapi/fpm/php-fpm.conf.in,
// emergency_restart_threshold and emergency_restart_interval, both 0 = off
// by default), https://www.php.net/manual/en/install.fpm.configuration.php;
// php-src sapi/fpm/fpm/fpm_children.c.
type EmergencyRestart struct {
	max      int
	interval engine.Time
	log      failureLog
}

// NewEmergencyRestart returns php-fpm's emergency restart after maxFailures
// failures within interval.
func NewEmergencyRestart(maxFailures int, interval engine.Time) (*EmergencyRestart, error) {
	if maxFailures < 1 {
		return nil, fmt.Errorf("rapid_fail.max_crashes = %d: must be at least 1 for emergency_restart (set enabled = false to turn it off)", maxFailures)
	}
	if interval <= 0 {
		return nil, fmt.Errorf("rapid_fail.interval = %v: must be positive for emergency_restart", interval)
	}
	return &EmergencyRestart{max: maxFailures, interval: interval}, nil
}

// Failure counts the failure and restarts every worker when the threshold
// is reached.
func (s *EmergencyRestart) Failure(now engine.Time) Decision {
	s.log.push(now)
	s.log.dropBefore(since(now, s.interval))
	if s.log.len() < s.max {
		return Decision{}
	}
	s.log.clear()
	return Decision{RestartAll: true}
}

// Restarted clears the failure history.
func (s *EmergencyRestart) Restarted(engine.Time) { s.log.clear() }

// Counts accepts only deaths by SIGSEGV or SIGBUS: php-fpm's
// fpm_children_bury records a fault in last_faults only when
// WTERMSIG(status) is SIGSEGV or SIGBUS, so children killed with SIGKILL or
// SIGTERM (by the kernel or by the master itself) never count towards
// emergency_restart_threshold.
func (s *EmergencyRestart) Counts(kind FailureKind) bool { return kind == FailFaultSignal }

// Kubernetes CrashLoopBackOff constants (kubelet backOffPeriod and
// MaxContainerBackOff, and the reset after ten minutes without problems).
const (
	BackOffInitial = 10 * engine.Second
	BackOffMax     = 5 * engine.Minute
	BackOffReset   = 10 * engine.Minute
)

// CrashLoopBackOff is Kubernetes' restart back-off (policy "backoff"): "After
// containers in a Pod exit, the kubelet restarts them with an exponential
// backoff delay (10s, 20s, 40s, …), that is capped at 300 seconds (5
// minutes). Once a container has executed for 10 minutes without any
// problems, the kubelet resets the restart backoff timer for that
// container." The pool is never stopped; the n-th failure of a streak holds
// the next worker start back by min(10 s × 2^(n−1), 5 min).
//
// poolsim measures the ten healthy minutes from the previous failure: a
// failure at least BackOffReset after the previous one starts a new streak
// (Kubernetes measures them from the container's restart, which is the
// previous failure plus its delay; the difference is at most five minutes
// and makes the rule independent of when the model starts the worker).
//
// Sources: Kubernetes documentation, "Pod Lifecycle", section "Container
// restart policy",
// https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#restart-policy;
// kubelet constants backOffPeriod = 10 s and MaxContainerBackOff = 300 s
// (kubernetes pkg/kubelet/kubelet.go); KEP-4603 "Tune CrashLoopBackoff".
type CrashLoopBackOff struct {
	streak int
	last   engine.Time
}

// NewCrashLoopBackOff returns Kubernetes' restart back-off.
func NewCrashLoopBackOff() *CrashLoopBackOff { return &CrashLoopBackOff{} }

// Failure extends the streak (or starts a new one after BackOffReset without
// failure) and returns its delay.
func (s *CrashLoopBackOff) Failure(now engine.Time) Decision {
	if s.streak > 0 && now-s.last >= BackOffReset {
		s.streak = 0
	}
	s.streak++
	s.last = now
	d := BackOffMax
	if s.streak <= 16 { // 10 s × 2^15 is far past the cap; avoid overflow
		if x := BackOffInitial << (s.streak - 1); x < d {
			d = x
		}
	}
	return Decision{StartDelay: d}
}

// Restarted ends the streak.
func (s *CrashLoopBackOff) Restarted(engine.Time) { s.streak = 0 }
