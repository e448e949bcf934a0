package model

import (
	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/policies"
)

// worker is one worker process (w3wp) of the pool.
type worker struct {
	w       *world
	id      int
	threads int
	state   lifeState
	started engine.Time
	epoch   int // the pool's epoch when it started (see world.epoch)
	busy    int // threads holding a request (hung ones included)
	hung    int
	exec    []*request
	served  int64
	memory  int64
	limits  policies.RecycleLimits

	replaces *worker    // the worker an overlapped replacement replaces
	why      exitReason // how it ends
	// endCause and failKind describe the failure being applied (fail).
	endCause cause
	failKind policies.FailureKind

	idleSince engine.Time
	idleArmed bool

	tReady, tStartLimit, tAge, tIdle, tShutdown, tPing, tPingKill engine.Timer
	tExit                                                         engine.Timer // the end of its process exit (exit.go)
	tInject, tRetire                                              engine.Timer // thread injection and retirement (threadpool.go)
	held                                                          int64        // bytes held by running requests' allocations (allocation.go)
	life                                                          int          // index in the recorder's lifecycles
}

const (
	evReady = iota
	evStartLimit
	evAge
	evIdle
	evShutdownLimit
	evPing
	evPingKill
	evInject
	evRetire
	evExited
)

// Busy and Free let dispatch policies see the worker.
func (wk *worker) Busy() int { return wk.busy }
func (wk *worker) Free() int { return wk.threads - wk.busy }

func (w *world) startWorker(replaces *worker) *worker {
	now := w.sim.Now()
	w.nextWorkerID++
	wk := &worker{w: w, id: w.nextWorkerID, threads: w.initialThreads(), started: now, epoch: w.epoch,
		memory: int64(w.pool.Memory.Base), replaces: replaces, state: lsStarting}
	if replaces != nil {
		wk.state = lsReplacing
	}
	wk.limits = w.recycle.Draw(w.sim.Stream("recycle"))
	w.workers = append(w.workers, wk)
	if wk.state.countsTowardMax() {
		w.countingWorkers++
	}
	wk.life = w.rec.workerStart(wk)
	if w.trace != nil {
		w.tracef("worker %d starting", wk.id)
	}
	wait := w.forkWait()
	d := w.startupSample.Next()
	limit := w.pool.StartupTimeLimit.T()
	if limit > 0 && d > limit {
		wk.tStartLimit = w.sim.After(wait+limit, wk, evStartLimit)
	} else {
		wk.tReady = w.sim.After(wait+d, wk, evReady)
	}
	return wk
}

// forkWait is how long a start waits for the master, which pauses for a
// draw of start_pause after each start (gunicorn's arbiter sleeps
// 0.1 × random() s after each fork, arbiter.py spawn_workers): the start
// waits out the pause of the one before, and its own pause follows it
// (docs/model.md#start-pause). 0 when start_pause is 0.
func (w *world) forkWait() engine.Time {
	now := w.sim.Now()
	wait := max(0, w.forkFreeAt-now)
	if p := w.startPauseSample.Next(); p > 0 {
		w.forkFreeAt = now + wait + p
	}
	return wait
}

func (wk *worker) HandleEvent(kind int) {
	switch kind {
	case evReady:
		wk.on(leReady, whyNone)
	case evStartLimit:
		wk.w.rec.event(evkStartupKill)
		wk.fail(whyStartupLimit, causeNone, policies.FailStartupLimit)
	case evAge:
		wk.recycle(whyTime)
	case evIdle:
		wk.idleCheck()
	case evShutdownLimit:
		wk.shutdownKill()
	case evPing:
		wk.ping()
	case evPingKill:
		wk.w.rec.event(evkPingKill)
		wk.fail(whyPing, causePing, policies.FailPing)
	case evInject:
		wk.inject()
	case evRetire:
		wk.retire()
	case evExited:
		wk.on(leExited, whyNone)
	}
}

// enterServing is the entry into serving from a start: the timers of a
// ready worker, its predecessor's drain, and the queued work.
func (wk *worker) enterServing() {
	w := wk.w
	now := w.sim.Now()
	w.rec.phase(wk, PhaseServing)
	w.servingChanged()
	if w.trace != nil {
		w.tracef("worker %d ready", wk.id)
	}
	if wk.limits.Age > 0 {
		// Rule: a worker's age counts from the start of its process, as
		// WAS's periodicRestart@time does (docs/model.md#recycling).
		wk.tAge = w.sim.At(max(now, wk.started.Add(wk.limits.Age)), wk, evAge)
	}
	if w.pool.Ping.Enabled && w.pool.Ping.Interval > 0 {
		wk.tPing = w.sim.After(w.pool.Ping.Interval.T(), wk, evPing)
	}
	wk.idleSince = now
	if old := wk.replaces; old != nil {
		wk.replaces = nil
		old.on(leReplacementReady, whyNone)
	}
	if w.stopped {
		wk.on(leStop, whyStopped)
		return
	}
	w.pump()
	wk.armIdle()
}

// execute starts r on one of wk's threads.
func (wk *worker) execute(r *request) {
	w := wk.w
	now := w.sim.Now()
	r.state = stExec
	r.worker = wk
	r.execIdx = len(wk.exec)
	wk.exec = append(wk.exec, r)
	w.rec.level(w)
	wk.busy++
	w.busyTotal++
	w.rec.started(r, now)
	if w.trace != nil {
		w.tracef("start req=%d worker=%d", r.id, wk.id)
	}
	if wk.refusing() {
		wk.refuse(r)
		return
	}
	w.armExecTimeout(r)
	mem := &w.pool.Memory
	if mem.Limit > 0 && wk.memory+int64(mem.PerRequest) > int64(mem.Limit) ||
		mem.PerRequest > 0 && !wk.fits(int64(mem.PerRequest)) {
		// The allocation fails: the process runs out of address space (the
		// limit, or no free block of the worker's address space takes the
		// leak's next allocation: allocation.go).
		wk.crash(causeMemory, r)
		return
	}
	if !r.class.allocate.none() && !wk.allocate(r) {
		return // the worker crashed
	}
	if r.class.c.Lock && w.lockOwner != wk {
		if w.lockOwner == nil {
			w.lockOwner = wk
		} else {
			w.rec.event(evkLockConflict)
			switch w.sc.Lock.OnContention {
			case "fail":
				wk.complete(r, outError)
				return
			case "crash":
				wk.crash(causeCrash, r)
				return
			default: // wait
				r.state = stLockWait
				w.lockWaiters = append(w.lockWaiters, r)
				return
			}
		}
	}
	wk.proceed(r)
}

// proceed runs r's code once it holds what it needs: the fault draw, the
// backend call, then the service time. The fault is keyed on r's identity,
// so drawing it here gives the value it had at the arrival; a class that
// can neither hang nor crash needs no draw.
func (wk *worker) proceed(r *request) {
	c := r.class
	if c.faulty {
		switch u := c.faults.float64(r.key); {
		case u < c.c.Hang:
			r.state = stHung
			took := wk.takesQueued()
			wk.hung++
			wk.recountTaker(took)
			if wk.hung >= wk.threads {
				wk.w.rec.phase(wk, PhaseHung)
				wk.w.servingChanged()
			}
			return
		case u < c.c.Hang+c.c.Crash:
			// Rule: a crash happens when the request's code ends (crash_at =
			// "end", the default), or as it begins ("start") (docs/model.md#requests).
			if c.c.CrashAt == "start" {
				wk.crash(causeCrash, r)
				return
			}
			r.crashAtEnd = true
		}
	}
	if c.backend != nil {
		c.backend.call(r)
		return
	}
	r.beginService()
}

// remove takes r off wk's threads.
func (wk *worker) remove(r *request) {
	// The last request takes r's place; written without a branch (when r
	// is the last, it takes its own place), since which request finishes
	// first is a coin toss to the branch predictor.
	last := len(wk.exec) - 1
	moved := wk.exec[last]
	wk.exec[r.execIdx] = moved
	moved.execIdx = r.execIdx
	wk.exec[last] = nil
	wk.exec = wk.exec[:last]
	wk.w.sim.Cancel(r.tExec)
	wk.release(r)
	wk.w.rec.level(wk.w)
	wk.busy--
	wk.w.busyTotal--
	if r.state == stHung {
		took := wk.takesQueued()
		wk.hung--
		wk.recountTaker(took)
	}
	r.worker = nil
	r.state = stNone
}

// complete ends r normally (ok, stale or error) and frees its thread.
func (wk *worker) complete(r *request, o outcome) { wk.completeAs(r, o, causeNone) }

// completeAs ends r once its code has run, with outcome o (cause c when
// abandoned: a response cut while it was sent), and frees its thread.
func (wk *worker) completeAs(r *request, o outcome, c cause) {
	wk.takeOff(r)
	wk.w.finish(r, o, c)
	wk.goOn()
}

// handOff frees r's thread when a buffering proxy has taken its response
// (pool.proxy_buffering; transfer.go): the worker has served r and goes on
// as after completeAs, while the proxy sends the response for transfer and
// r's outcome waits for it (evSendDone in state stProxied).
func (wk *worker) handOff(r *request, transfer engine.Time) {
	wk.takeOff(r)
	r.state = stProxied
	r.tWork = wk.w.sim.After(transfer, r, evSendDone)
	wk.goOn()
}

// takeOff takes r, served, off the worker: its thread is free and what r
// leaked stays.
func (wk *worker) takeOff(r *request) {
	wk.remove(r)
	wk.served++
	wk.memory += int64(wk.w.pool.Memory.PerRequest)
}

// goOn is what a worker does when a request has left it: a draining worker
// exits once empty; a serving one checks its recycle triggers (requests,
// private and virtual memory), then takes queued work or arms its idle
// timer.
func (wk *worker) goOn() {
	w := wk.w
	if wk.state.draining() {
		if wk.busy == 0 {
			wk.on(leEmpty, wk.why)
		}
		return
	}
	if !wk.state.serving() {
		return
	}
	if wk.limits.Requests > 0 && wk.served >= wk.limits.Requests {
		wk.recycle(whyRequests)
	} else if pm := w.pool.Recycle.PrivateMemory; pm > 0 && wk.memory >= int64(pm) {
		wk.recycle(whyMemory)
	} else if vm := w.pool.Recycle.VirtualMemory; vm > 0 && wk.virtual() >= int64(vm) {
		wk.recycle(whyVirtualMemory)
	}
	w.pump()
	wk.armIdle()
}

// recycle starts a recycle of a serving worker: overlapped (a replacement
// starts; wk drains once it is ready) or not (wk drains, the replacement
// starts when it has exited). A stopped pool recycles nothing.
func (wk *worker) recycle(reason exitReason) {
	if wk.w.stopped {
		return
	}
	if wk.w.pool.Recycle.Overlapping {
		wk.on(leRecycle, reason)
		return
	}
	wk.on(leRecycleNow, reason)
}

// traceRecycle counts and traces a recycle that starts.
func (wk *worker) traceRecycle(reason exitReason) {
	w := wk.w
	w.rec.recycle(reason)
	if w.trace != nil {
		w.tracef("worker %d recycle %s", wk.id, reason)
	}
}

// enterDraining is the entry into a draining state: wk takes no more
// requests; it exits when its last one finishes, or is killed at
// shutdown_time_limit.
func (wk *worker) enterDraining() {
	w := wk.w
	w.rec.phase(wk, PhaseDraining)
	w.servingChanged()
	if w.trace != nil {
		w.tracef("worker %d draining", wk.id)
	}
	w.sim.Cancel(wk.tAge)
	if wk.busy == 0 {
		wk.on(leEmpty, wk.why)
		return
	}
	if w.pool.ShutdownKill != "at_stop" || wk.state == lsDrainStopped {
		wk.armShutdownLimit()
	}
}

// armShutdownLimit arms the kill at shutdown_time_limit from now, when
// there is a limit. Rule (docs/model.md#pool-wide-reload): with
// shutdown_kill = "at_stop" (gunicorn's arbiter, whose graceful_timeout
// bounds only Arbiter.stop()) only a stop of the pool arms it: halt arms it
// too for a worker already draining for a recycle.
func (wk *worker) armShutdownLimit() {
	if lim := wk.w.pool.ShutdownTimeLimit.T(); lim > 0 {
		wk.tShutdown = wk.w.sim.After(lim, wk, evShutdownLimit)
	}
}

// shutdownKill kills a draining worker still busy at its shutdown limit:
// its requests are abandoned (cause shutdown), a failure.
func (wk *worker) shutdownKill() {
	wk.w.rec.event(evkShutdownKill)
	wk.fail(whyShutdownLimit, causeShutdown, policies.FailShutdownLimit)
}

// crash is the process dying of r's code (its class's crash, a backend
// timeout, the lock) or of memory. Rule (docs/model.md#supervisors): a
// crash of the code dies of r's class's crash_signal (SIGSEGV, a fault
// signal, by default; SIGKILL with crash_signal = "kill"); running out of
// memory is a kill by the kernel's out-of-memory killer (SIGKILL).
func (wk *worker) crash(c cause, r *request) {
	w := wk.w
	kind := policies.FailFaultSignal
	if c == causeMemory {
		w.rec.event(evkMemoryCrash)
	}
	if c == causeMemory || r.class.c.CrashSignal == "kill" {
		w.rec.event(evkSigkillCrash)
		kind = policies.FailKilled
	}
	w.rec.event(evkCrash)
	wk.fail(whyCrash, c, kind)
}

// fail ends the process at once, abandoning its requests with cause c, and
// reports the failure to the supervisor before anything restarts, so that
// a back-off or a stopped pool holds back the next start.
func (wk *worker) fail(why exitReason, c cause, kind policies.FailureKind) {
	wk.endCause, wk.failKind = c, kind
	wk.on(leFail, why)
}

// end is the entry into dead: wk leaves the pool, its requests are
// abandoned (cause endCause), a failure goes to the supervisor, and the
// worker is replaced if its end calls for it. prev is the state it left.
func (wk *worker) end(prev lifeState, e lifeEvent) {
	w := wk.w
	for _, t := range [...]engine.Timer{wk.tReady, wk.tStartLimit, wk.tAge, wk.tIdle, wk.tShutdown, wk.tPing, wk.tPingKill, wk.tInject, wk.tRetire, wk.tExit} {
		w.sim.Cancel(t)
	}
	c := causeNone
	if e == leFail {
		c = wk.endCause
	}
	for len(wk.exec) > 0 {
		r := wk.exec[len(wk.exec)-1]
		r.abandonInWorker(wk, c)
	}
	w.releaseLock(wk)
	for i, x := range w.workers {
		if x == wk {
			w.workers = append(w.workers[:i], w.workers[i+1:]...)
			break
		}
	}
	w.rec.workerExit(wk, wk.why.String())
	w.servingChanged()
	if w.trace != nil {
		w.tracef("worker %d exit %s", wk.id, wk.why)
	}
	for _, x := range w.workers {
		if x.replaces == wk {
			x.on(leOrphaned, whyNone)
		}
	}
	// A worker whose replacement never got ready keeps serving, and its age
	// trigger starts again (the request and memory triggers fire again at
	// its next completion).
	if old := wk.replaces; prev.starting() && old != nil && old.state.serving() {
		old.on(leReplacementFailed, whyNone)
	}
	// A non-overlapped recycle starts the replacement once the old one is
	// gone: after its exit_time (exit.go).
	if prev != lsDrainOverlapped && e != leHandOver && wk.why.replaced() && !w.stopped && !w.reloading {
		w.startWorker(nil)
	}
	// A pool-wide reload starts the workers once every one is gone.
	w.reloaded()
	// Rule: a worker from before a restart of the pool does not count
	// against the restarted pool (docs/model.md#rapid-fail).
	if e == leFail && wk.epoch == w.epoch {
		w.failure(wk.failKind)
	}
	w.pump()
	w.replenish()
}

// armIdle arms the idle check once wk has nothing to do. The check is lazy:
// one pending timer, re-armed if work came and went in between. It inlines
// to two tests while the worker is busy or the pool has no idle timeout.
func (wk *worker) armIdle() {
	if wk.busy == 0 && wk.w.pool.IdleTimeout > 0 {
		wk.armIdleTimer()
	}
}

func (wk *worker) armIdleTimer() {
	w := wk.w
	it := w.pool.IdleTimeout.T()
	// A pool that keeps its workers does not shut them for idleness
	// (docs/model.md#start).
	if it <= 0 || wk.busy > 0 || !wk.state.serving() || w.keepsWorkers {
		return
	}
	wk.idleSince = w.sim.Now()
	if !wk.idleArmed {
		wk.idleArmed = true
		wk.tIdle = w.sim.After(it, wk, evIdle)
	}
}

func (wk *worker) idleCheck() {
	w := wk.w
	wk.idleArmed = false
	if !wk.state.serving() || wk.busy > 0 {
		return
	}
	due := wk.idleSince.Add(w.pool.IdleTimeout.T())
	if now := w.sim.Now(); now < due {
		wk.idleArmed = true
		wk.tIdle = w.sim.At(due, wk, evIdle)
		return
	}
	w.rec.event(evkIdle)
	wk.on(leIdle, whyIdle)
}

// ping is WAS's health check: a worker whose every thread hangs cannot
// answer (unless answered_while_hung), and is killed once response_time has
// passed.
func (wk *worker) ping() {
	w := wk.w
	p := w.pool.Ping
	if wk.state == lsDead {
		return
	}
	if wk.hung >= wk.threads && !p.AnsweredWhileHung {
		wk.tPingKill = w.sim.After(p.ResponseTime.T(), wk, evPingKill)
		return
	}
	wk.tPing = w.sim.After(p.Interval.T(), wk, evPing)
}
