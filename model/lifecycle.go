package model

// The worker lifecycle as an explicit state machine: the states a worker
// process passes through, the events that move it, and one table of
// transitions (lifeTable). worker.on applies an event through the table and
// runs the new state's entry actions; nothing else changes a worker's
// state. Rules: docs/model.md#start, #recycling, #exit-time, #rapid-fail.

// lifeState is a worker's place in its lifecycle.
type lifeState uint8

const (
	lsNone            lifeState = iota // no transition: the event does not apply
	lsStarting                         // a new worker starting; counts towards max_processes
	lsReplacing                        // an overlapped recycle's replacement starting; does not count
	lsServing                          // ready, taking requests
	lsServingRecycled                  // serving while its overlapped replacement starts
	lsDrainRecycle                     // its own non-overlapped recycle: drains, then exits (lsExiting)
	lsDrainReload                      // the master stops it (emergency restart, pool-wide reload): drains, replaced once gone
	lsDrainOverlapped                  // its replacement is ready: drains; does not count
	lsDrainStopped                     // the pool stopped: drains; does not count
	lsDrainIdle                        // idle for idle_timeout: exits
	lsExiting                          // a recycled worker's process exit (pool.exit_time): serves nothing, replaced once gone
	lsDead
	numLifeStates
)

var lifeStateNames = [numLifeStates]string{"none", "starting", "replacing", "serving", "serving (recycled)",
	"draining (recycle)", "draining (reload)", "draining (overlapped)", "draining (stopped)", "draining (idle)",
	"exiting", "dead"}

func (s lifeState) String() string { return lifeStateNames[s] }

// draining says whether s is one of the draining states.
func (s lifeState) draining() bool { return s >= lsDrainRecycle && s <= lsDrainIdle }

// starting says whether s is one of the starting states.
func (s lifeState) starting() bool { return s == lsStarting || s == lsReplacing }

// serving says whether a worker in s takes requests.
func (s lifeState) serving() bool { return s == lsServing || s == lsServingRecycled }

// countsTowardMax says whether a worker in s counts towards max_processes:
// an overlapped replacement does not until it replaces its worker, nor does
// a worker it replaced, nor one drained by a stop of the pool (so the
// restarted pool starts a new worker when work arrives). A recycled worker
// counts until its process has exited, so its replacement starts after.
func (s lifeState) countsTowardMax() bool {
	switch s {
	case lsStarting, lsServing, lsServingRecycled, lsDrainRecycle, lsDrainReload, lsDrainIdle, lsExiting:
		return true
	}
	return false
}

// lifeEvent is what happens to a worker.
type lifeEvent uint8

const (
	leReady             lifeEvent = iota // its start-up finished
	leRecycle                            // a recycle trigger fired, overlapped: start a replacement
	leRecycleNow                         // a recycle trigger fired, not overlapped: drain first
	leReplacementReady                   // its overlapped replacement is ready
	leReplacementFailed                  // its overlapped replacement died before it was ready
	leOrphaned                           // the worker it was to replace died: it is an ordinary start now
	leStop                               // rapid-fail protection stopped the pool
	leEmergency                          // php-fpm's emergency restart replaces every worker
	leIdle                               // idle for idle_timeout
	leEmpty                              // a draining worker's last request left
	leFail                               // it crashed or was killed
	leExited                             // its process exit (pool.exit_time) finished
	leHandOver                           // a reload that forks first stopped it (forkfirst.go)
	leAbort                              // killed by a signal it handles (gunicorn's SIGABRT): its requests end, then it exits
	numLifeEvents
)

var lifeEventNames = [numLifeEvents]string{"ready", "recycle", "recycle now", "replacement ready",
	"replacement failed", "orphaned", "stop", "emergency", "idle", "empty", "fail", "exited", "hand over", "abort"}

func (e lifeEvent) String() string { return lifeEventNames[e] }

// lifeTable is the lifecycle: lifeTable[s][e] is the state a worker in s
// moves to on e, lsNone when e does not apply in s (the event is ignored).
var lifeTable = func() (t [numLifeStates][numLifeEvents]lifeState) {
	set := func(s lifeState, e lifeEvent, next lifeState) { t[s][e] = next }
	for _, s := range []lifeState{lsStarting, lsReplacing} {
		set(s, leReady, lsServing)
		set(s, leStop, lsDead) // a worker not yet ready is shut at once
		set(s, leEmergency, lsDead)
		set(s, leFail, lsDead)
		set(s, leHandOver, lsDead)
	}
	set(lsReplacing, leOrphaned, lsStarting)
	for _, s := range []lifeState{lsServing, lsServingRecycled} {
		set(s, leStop, lsDrainStopped)
		set(s, leEmergency, lsDrainReload)
		set(s, leIdle, lsDrainIdle)
		set(s, leFail, lsDead)
		set(s, leHandOver, lsDrainOverlapped) // its replacement is already forked
	}
	set(lsDrainRecycle, leHandOver, lsDrainOverlapped)
	set(lsServing, leRecycle, lsServingRecycled)
	set(lsServing, leRecycleNow, lsDrainRecycle)
	set(lsServingRecycled, leReplacementReady, lsDrainOverlapped)
	set(lsServingRecycled, leReplacementFailed, lsServing)
	for _, s := range []lifeState{lsDrainRecycle, lsDrainReload, lsDrainOverlapped, lsDrainStopped, lsDrainIdle} {
		set(s, leEmpty, lsDead)
		set(s, leFail, lsDead)
	}
	// Rule (docs/model.md#exit-time): a worker that recycled itself without
	// overlap exits after its last request, for exit_time, before the
	// master starts its replacement. A stop of the pool or a reload does not
	// cut the exit short: the worker is already leaving.
	set(lsDrainRecycle, leEmpty, lsExiting)
	set(lsExiting, leExited, lsDead)
	set(lsExiting, leFail, lsDead)
	// Rule (docs/model.md#execution-time-limit): a worker killed by a signal
	// it handles (on_execution_timeout = "exit_worker") drops its requests
	// at once and then exits, for exit_time, before it is replaced.
	for _, s := range []lifeState{lsServing, lsServingRecycled, lsDrainRecycle, lsDrainReload, lsDrainOverlapped, lsDrainStopped, lsDrainIdle} {
		set(s, leAbort, lsExiting)
	}
	return t
}()

// exitReason is why a worker ends: a recycle trigger, a drain, or a
// failure. Its String is the Lifecycle.Why of the worker.
type exitReason uint8

const (
	whyNone exitReason = iota
	whyTime
	whyRequests
	whySchedule
	whyMemory
	whyEmergency
	whyStopped
	whyIdle
	whyCrash
	whyPing
	whyShutdownLimit
	whyStartupLimit
	whyVirtualMemory // recycling.periodicRestart.memory (WAS 5077)
	whyManual        // an operator's recycle (events.go, WAS 5080)
	whyConfig        // a configuration change (events.go, WAS 5079)
	whyExecTimeout   // killed by the execution time limit (exectimeout.go)
	numExitReasons
)

var exitReasonNames = [numExitReasons]string{"", "time", "requests", "schedule", "private_memory",
	"emergency_restart", "rapid_fail", "idle", "crash", "ping", "shutdown_limit", "startup_limit",
	"virtual_memory", "manual", "config_change", "exec_timeout"}

func (r exitReason) String() string { return exitReasonNames[r] }

// replaced says whether a worker that ends for r gets a replacement when it
// is gone (a non-overlapped recycle, an emergency restart).
func (r exitReason) replaced() bool {
	switch r {
	case whyTime, whyRequests, whySchedule, whyMemory, whyEmergency, whyVirtualMemory, whyManual, whyConfig:
		return true
	}
	return false
}

// on applies event e, for reason why, to wk: the table gives the next
// state, and the state's entry actions run. An event that does not apply
// in wk's state is ignored.
func (wk *worker) on(e lifeEvent, why exitReason) {
	prev := wk.state
	next := lifeTable[prev][e]
	if next == lsNone {
		return
	}
	took := wk.takesQueued()
	wk.state = next
	wk.recountTaker(took)
	if prev.countsTowardMax() != next.countsTowardMax() {
		if next.countsTowardMax() {
			wk.w.countingWorkers++
		} else {
			wk.w.countingWorkers--
		}
	}
	if why != whyNone {
		wk.why = why
	}
	switch {
	case next == lsServing && prev.starting():
		wk.enterServing()
	case next == lsServing: // the overlapped replacement failed
		wk.w.rec.event(evkFailedOverlap)
		if wk.limits.Age > 0 {
			wk.tAge = wk.w.sim.After(wk.limits.Age, wk, evAge)
		}
	case next == lsServingRecycled:
		wk.traceRecycle(why)
		wk.w.startWorker(wk)
	case next == lsStarting: // orphaned: an ordinary start now
		wk.replaces = nil
	case next.draining():
		if e == leRecycleNow || e == leHandOver && prev.serving() {
			wk.traceRecycle(why)
		}
		wk.enterDraining()
	case next == lsExiting:
		if e == leAbort {
			wk.abort()
		}
		wk.enterExiting()
	case next == lsDead:
		wk.end(prev, e)
	}
}
