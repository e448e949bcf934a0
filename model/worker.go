package model

import (
	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/policies"
)

type wState int

const (
	wStarting wState = iota
	wServing
	wDraining
	wDead
)

// Recycle and exit reasons, as lifecycles and WAS events name them.
const (
	reasonTime      = "time"
	reasonRequests  = "requests"
	reasonSchedule  = "schedule"
	reasonMemory    = "private_memory"
	reasonEmergency = "emergency_restart"
	reasonStopped   = "rapid_fail"
	reasonIdle      = "idle"
	// reasonVirtualMemory is recycling.periodicRestart.memory (WAS 5077).
	reasonVirtualMemory = "virtual_memory"
	// reasonManual and reasonConfig are operator actions (events.go):
	// a manual recycle (WAS 5080) and a configuration change (WAS 5079).
	reasonManual = "manual"
	reasonConfig = "config_change"
)

// worker is one worker process (w3wp) of the pool.
type worker struct {
	w       *world
	id      int
	threads int
	state   wState
	started engine.Time
	epoch   int // the pool's epoch when it started (see world.epoch)
	busy    int // threads holding a request (hung ones included)
	hung    int
	exec    []*request
	served  int64
	memory  int64
	limits  policies.RecycleLimits

	recycling   bool // a recycle is under way (replacement starting, or draining)
	overlapDone bool // draining after an overlapped recycle: no longer counts toward max_processes
	replaces    *worker
	why         string // how it ends (recycle reason)

	idleSince engine.Time
	idleArmed bool

	tReady, tStartLimit, tAge, tIdle, tShutdown, tPing, tPingKill engine.Timer
	tInject                                                       engine.Timer // thread injection (threadpool.go)
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
)

// Busy and Free let dispatch policies see the worker.
func (wk *worker) Busy() int { return wk.busy }
func (wk *worker) Free() int { return wk.threads - wk.busy }

// countsTowardMax: a worker drained by a stop of the pool takes no requests
// and no longer counts, so the restarted pool starts a new worker when work
// arrives (docs/model.md#rapid-fail).
func (wk *worker) countsTowardMax() bool {
	return wk.state == wStarting && wk.replaces == nil ||
		wk.state == wServing && !(wk.recycling && wk.overlapDone) ||
		wk.state == wDraining && !wk.overlapDone && wk.why != reasonStopped
}

func (w *world) startWorker(replaces *worker) *worker {
	now := w.sim.Now()
	w.nextWorkerID++
	wk := &worker{w: w, id: w.nextWorkerID, threads: w.initialThreads(), started: now, epoch: w.epoch,
		memory: int64(w.pool.Memory.Base), replaces: replaces}
	wk.limits = w.recycle.Draw(w.sim.Stream("recycle"))
	w.workers = append(w.workers, wk)
	wk.life = w.rec.workerStart(wk)
	if w.trace != nil {
		w.tracef("worker %d starting", wk.id)
	}
	d := w.startupSample.Next()
	limit := w.pool.StartupTimeLimit.T()
	if limit > 0 && d > limit {
		wk.tStartLimit = w.sim.After(limit, wk, evStartLimit)
	} else {
		wk.tReady = w.sim.After(d, wk, evReady)
	}
	return wk
}

func (wk *worker) HandleEvent(kind int) {
	switch kind {
	case evReady:
		wk.ready()
	case evStartLimit:
		wk.w.rec.event(evkStartupKill)
		wk.fail("startup_limit", causeNone, policies.FailStartupLimit)
	case evAge:
		wk.recycle(reasonTime)
	case evIdle:
		wk.idleCheck()
	case evShutdownLimit:
		wk.w.rec.event(evkShutdownKill)
		wk.fail("shutdown_limit", causeShutdown, policies.FailShutdownLimit)
	case evPing:
		wk.ping()
	case evPingKill:
		wk.w.rec.event(evkPingKill)
		wk.fail("ping", causePing, policies.FailPing)
	case evInject:
		wk.inject()
	}
}

func (wk *worker) ready() {
	w := wk.w
	now := w.sim.Now()
	wk.state = wServing
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
		if old.state == wServing {
			old.overlapDone = true
			old.drain(true, old.why)
		}
	}
	if w.stopped {
		wk.drain(false, reasonStopped)
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
	mem := w.pool.Memory
	if mem.Limit > 0 && wk.memory+int64(mem.PerRequest) > int64(mem.Limit) {
		// The allocation fails: the process runs out of address space.
		wk.crash(causeMemory)
		return
	}
	if !wk.allocate(r) {
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
				wk.crash(causeCrash)
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
// backend call, then the service time.
func (wk *worker) proceed(r *request) {
	c := r.class
	u := r.fault
	switch {
	case u < c.c.Hang:
		r.state = stHung
		wk.hung++
		if wk.hung >= wk.threads {
			wk.w.rec.phase(wk, PhaseHung)
			wk.w.servingChanged()
		}
		return
	case u < c.c.Hang+c.c.Crash:
		r.crashAtEnd = true
	}
	if c.backend != nil {
		c.backend.call(r)
		return
	}
	r.beginService()
}

// remove takes r off wk's threads.
func (wk *worker) remove(r *request) {
	last := len(wk.exec) - 1
	if r.execIdx != last {
		moved := wk.exec[last]
		wk.exec[r.execIdx] = moved
		moved.execIdx = r.execIdx
	}
	wk.exec[last] = nil
	wk.exec = wk.exec[:last]
	wk.w.sim.Cancel(r.tExec)
	wk.release(r)
	wk.w.rec.level(wk.w)
	wk.busy--
	wk.w.busyTotal--
	if r.state == stHung {
		wk.hung--
	}
	r.worker = nil
	r.state = stNone
}

// complete ends r normally (ok, stale or error) and frees its thread.
func (wk *worker) complete(r *request, o outcome) { wk.completeAs(r, o, causeNone) }

// completeAs ends r once its code has run, with outcome o (cause c when
// abandoned: a response cut while it was sent), and frees its thread.
func (wk *worker) completeAs(r *request, o outcome, c cause) {
	w := wk.w
	wk.remove(r)
	wk.served++
	wk.memory += int64(w.pool.Memory.PerRequest)
	w.finish(r, o, c)
	if wk.state == wDraining {
		if wk.busy == 0 {
			wk.exit(wk.why, causeNone)
		}
		return
	}
	if wk.state != wServing {
		return
	}
	if wk.limits.Requests > 0 && wk.served >= wk.limits.Requests {
		wk.recycle(reasonRequests)
	} else if pm := w.pool.Recycle.PrivateMemory; pm > 0 && wk.memory >= int64(pm) {
		wk.recycle(reasonMemory)
	} else if vm := w.pool.Recycle.VirtualMemory; vm > 0 && wk.virtual() >= int64(vm) {
		wk.recycle(reasonVirtualMemory)
	}
	w.pump()
	wk.armIdle()
}

// recycle starts a recycle of a serving worker: overlapped (a replacement
// starts; wk drains once it is ready) or not (wk drains, the replacement
// starts when it has exited).
func (wk *worker) recycle(reason string) {
	w := wk.w
	if wk.state != wServing || wk.recycling || w.stopped {
		return
	}
	wk.recycling = true
	wk.why = reason
	w.rec.recycle(reason)
	if w.trace != nil {
		w.tracef("worker %d recycle %s", wk.id, reason)
	}
	if w.pool.Recycle.Overlapping {
		w.startWorker(wk)
		return
	}
	wk.drain(false, reason)
}

// drain stops wk taking requests; it exits when its last one finishes, or
// is killed at shutdown_time_limit.
func (wk *worker) drain(overlapped bool, why string) {
	w := wk.w
	if wk.state == wDead || wk.state == wDraining {
		return
	}
	if wk.state == wStarting {
		wk.why = why
		wk.exit(why, causeNone)
		return
	}
	wk.state = wDraining
	wk.recycling = true
	wk.overlapDone = overlapped
	wk.why = why
	w.rec.phase(wk, PhaseDraining)
	w.servingChanged()
	if w.trace != nil {
		w.tracef("worker %d draining", wk.id)
	}
	w.sim.Cancel(wk.tAge)
	if wk.busy == 0 {
		wk.exit(why, causeNone)
		return
	}
	if lim := w.pool.ShutdownTimeLimit.T(); lim > 0 {
		wk.tShutdown = w.sim.After(lim, wk, evShutdownLimit)
	}
}

// crash is the process dying of user code, a backend timeout or memory.
// Rule (docs/model.md#supervisors): a crash of the code dies of a fault
// signal (SIGSEGV); running out of memory is a kill by the kernel's
// out-of-memory killer (SIGKILL).
func (wk *worker) crash(c cause) {
	w := wk.w
	kind := policies.FailFaultSignal
	if c == causeMemory {
		w.rec.event(evkMemoryCrash)
		kind = policies.FailKilled
	}
	w.rec.event(evkCrash)
	wk.fail("crash", c, kind)
}

// fail ends the process at once, abandoning its requests, and reports the
// failure to the supervisor before anything restarts, so that a back-off
// or a stopped pool holds back the next start.
func (wk *worker) fail(why string, c cause, kind policies.FailureKind) {
	w := wk.w
	wk.end(why, c)
	// Rule: a worker from before a restart of the pool does not count
	// against the restarted pool (docs/model.md#rapid-fail).
	if wk.epoch == w.epoch {
		w.failure(kind)
	}
	w.pump()
	w.replenish()
}

// exit removes wk from the pool. Requests still executing are abandoned
// with cause c.
func (wk *worker) exit(why string, c cause) {
	wk.end(why, c)
	wk.w.pump()
	wk.w.replenish()
}

// end is exit without handing queued work to the remaining workers.
func (wk *worker) end(why string, c cause) {
	w := wk.w
	if wk.state == wDead {
		return
	}
	wasStarting := wk.state == wStarting
	wk.state = wDead
	for _, t := range [...]engine.Timer{wk.tReady, wk.tStartLimit, wk.tAge, wk.tIdle, wk.tShutdown, wk.tPing, wk.tPingKill, wk.tInject} {
		w.sim.Cancel(t)
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
	w.rec.workerExit(wk, why)
	w.servingChanged()
	if w.trace != nil {
		w.tracef("worker %d exit %s", wk.id, why)
	}
	for _, x := range w.workers {
		if x.replaces == wk {
			x.replaces = nil // the replacement of a dead worker is an ordinary start now
		}
	}
	// A worker whose replacement never got ready keeps serving.
	// A worker whose replacement never got ready keeps serving, and its age
	// trigger starts again (the request and memory triggers fire again at
	// its next completion).
	if old := wk.replaces; wasStarting && old != nil && old.state == wServing {
		w.rec.event(evkFailedOverlap)
		old.recycling = false
		if old.limits.Age > 0 {
			old.tAge = w.sim.After(old.limits.Age, old, evAge)
		}
	}
	// A non-overlapped recycle starts the replacement once the old one is gone.
	if !wk.overlapDone && isRecycle(why) && !w.stopped {
		w.startWorker(nil)
	}
}

func isRecycle(why string) bool {
	switch why {
	case reasonTime, reasonRequests, reasonSchedule, reasonMemory, reasonEmergency, reasonVirtualMemory, reasonManual, reasonConfig:
		return true
	}
	return false
}

// armIdle arms the idle check once wk has nothing to do. The check is lazy:
// one pending timer, re-armed if work came and went in between.
func (wk *worker) armIdle() {
	w := wk.w
	it := w.pool.IdleTimeout.T()
	if it <= 0 || wk.busy > 0 || wk.state != wServing {
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
	if wk.state != wServing || wk.busy > 0 {
		return
	}
	due := wk.idleSince.Add(w.pool.IdleTimeout.T())
	if now := w.sim.Now(); now < due {
		wk.idleArmed = true
		wk.tIdle = w.sim.At(due, wk, evIdle)
		return
	}
	w.rec.event(evkIdle)
	wk.drain(false, reasonIdle)
}

// ping is WAS's health check: a worker whose every thread hangs cannot
// answer (unless answered_while_hung), and is killed once response_time has
// passed.
func (wk *worker) ping() {
	w := wk.w
	p := w.pool.Ping
	if wk.state == wDead {
		return
	}
	if wk.hung >= wk.threads && !p.AnsweredWhileHung {
		wk.tPingKill = w.sim.After(p.ResponseTime.T(), wk, evPingKill)
		return
	}
	wk.tPing = w.sim.After(p.Interval.T(), wk, evPing)
}
