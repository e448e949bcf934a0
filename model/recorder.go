package model

import (
	"fmt"
	"math"

	"github.com/poolsim/poolsim/engine"
)

// Event counters (post-warmup, by the time they happen).
const (
	evkWorkerStart = iota
	evkCrash
	evkMemoryCrash
	evkSigkillCrash // crashes that die of SIGKILL: memory deaths and crash_signal = "kill"
	evkRecycleTime
	evkRecycleRequests
	evkRecycleSchedule
	evkRecycleMemory
	evkPingKill
	evkRapidFail
	evkLockConflict
	evkShutdownKill
	evkStartupKill
	evkIdle
	evkEmergencyRestart
	evkExecTimeout
	evkExecTimeoutKill
	evkMinSendRate
	evkRecycleVirtual
	evkRecycleManual
	evkRecycleConfig
	evkAdminStop
	evkThreadInjected
	evkThreadRetired
	evkSynDrop
	evkFailedOverlap
	numEventKinds
)

// recorder turns what happens into the metrics of DESIGN.md §5 in constant
// memory: counters, sums and a histogram, plus the optional time series and
// the worker lifecycles.
type recorder struct {
	measuring  bool
	arrivals   int64
	retries    int64
	outcomes   [numOutcomes]int64
	disabled   int64 // of outcomes[outRejectedOffline]: while an operator had stopped the pool
	abandoned  [numCauses]int64
	events     [numEventKinds]int64
	waitSum    float64
	waitN      int64
	respSum    float64
	staleAge   float64
	stoppedFor engine.Time // stopped time after warmup
	// Time integrals of the queue length and of busy threads, for the
	// time averages that Little's law relates to waits.
	queueArea, busyArea float64
	lastLevel           engine.Time
	stopSince           engine.Time
	stopped             bool
	outage              outageRec

	before  WarmupEvents
	series  []SeriesRow
	cur     SeriesRow
	curStop bool
	workers []Lifecycle
	lives   lifeCounts
	nextPID int

	// resp is kept apart (128 KB): in line, it would put the fields that
	// every request touches, the world's and the recorder's, pages apart.
	resp *histogram
}

func (rec *recorder) init(w *world) {
	rec.resp = new(histogram)
	rec.nextPID = 4000 + int(w.sim.Stream("pids").IntN(4000))*4
}

func (rec *recorder) startMeasuring(w *world) {
	rec.measuring = true
	rec.lastLevel = w.sim.Now()
	if rec.stopped {
		rec.stopSince = w.sim.Now()
		rec.before.StoppedAtWarmup = w.sim.Now() > 0
	}
}

func (rec *recorder) arrival(r *request) {
	rec.cur.Arrivals++
	if !r.warm {
		return
	}
	rec.arrivals++
	if r.attempt > 1 {
		rec.retries++
	}
}

// level integrates the queue length and busy threads up to now; call it
// before either changes.
func (rec *recorder) level(w *world) {
	if !rec.measuring {
		return
	}
	now := w.sim.Now()
	if dt := float64(now - rec.lastLevel); dt > 0 {
		rec.queueArea += dt * float64(w.queue.len())
		rec.busyArea += dt * float64(w.busyTotal)
		rec.lastLevel = now
	}
}

func (rec *recorder) queueLen(n int) {
	if n > rec.cur.QueueMax {
		rec.cur.QueueMax = n
	}
}

func (rec *recorder) started(r *request, now engine.Time) {
	r.started = now
	// Rule: every request that starts executing counts, including one whose
	// client has already given up (docs/model.md#outcomes).
	if r.warm {
		rec.waitSum += (now - r.arrival).Seconds()
		rec.waitN++
	}
}

func (rec *recorder) outcome(r *request, o outcome, c cause) {
	switch o {
	case outOK:
		rec.cur.OK++
		resp := r.w.sim.Now() - r.arrival
		s := resp.Seconds()
		rec.cur.ResponseSumS += s
		if r.warm {
			rec.respSum += s
			rec.resp.add(int64(resp))
		}
	case outStale:
		rec.cur.Stale++
		if r.warm {
			rec.staleAge += r.staleAge.Seconds()
		}
	case outError:
		rec.cur.Error++
	case outRejectedFull, outRejectedOffline, outRejectedReset:
		rec.cur.Rejected++
	case outExpired:
		rec.cur.Expired++
	case outAbandoned:
		rec.cur.Abandoned++
	case outClientTimeout:
		rec.cur.ClientTimeout++
	case outRefused:
		rec.cur.Rejected++
	}
	if !r.warm {
		return
	}
	rec.outcomes[o]++
	if o == outAbandoned {
		rec.abandoned[c]++
	}
	if o == outRejectedOffline && r.w.adminStopped {
		rec.disabled++
	}
}

func (rec *recorder) event(k int) {
	if rec.measuring {
		rec.events[k]++
		return
	}
	switch k {
	case evkRapidFail:
		rec.before.RapidFailTrips++
	case evkCrash:
		rec.before.Crashes++
	case evkWorkerStart:
		rec.before.WorkerStarts++
	}
}

func (rec *recorder) recycle(reason exitReason) {
	switch reason {
	case whyTime:
		rec.event(evkRecycleTime)
	case whyRequests:
		rec.event(evkRecycleRequests)
	case whySchedule:
		rec.event(evkRecycleSchedule)
	case whyMemory:
		rec.event(evkRecycleMemory)
	case whyVirtualMemory:
		rec.event(evkRecycleVirtual)
	case whyManual:
		rec.event(evkRecycleManual)
	case whyConfig:
		rec.event(evkRecycleConfig)
	}
}

func (rec *recorder) setStopped(w *world, stopped bool) {
	now := w.sim.Now()
	if stopped {
		rec.curStop = true
		rec.stopped = true
		rec.stopSince = max(now, w.warmup)
		return
	}
	if rec.stopped && now > w.warmup {
		rec.stoppedFor += now - rec.stopSince
	}
	rec.stopped = false
}

func (rec *recorder) workerStart(wk *worker) int {
	rec.event(evkWorkerStart)
	rec.nextPID += 4 * (1 + int(wk.w.sim.Stream("pids").IntN(64)))
	if rec.lives.full(len(rec.workers)) {
		return -1
	}
	rec.workers = append(rec.workers, Lifecycle{ID: wk.id, PID: rec.nextPID, Exit: engine.Never,
		Spans: []Span{{Phase: PhaseStarting, Start: wk.started, End: engine.Never}}})
	return len(rec.workers) - 1
}

func (rec *recorder) phase(wk *worker, p Phase) {
	if wk.life < 0 {
		return // not kept (MaxLifecycles)
	}
	lc := &rec.workers[wk.life]
	now := wk.w.sim.Now()
	last := &lc.Spans[len(lc.Spans)-1]
	if last.Phase == p {
		return
	}
	last.End = now
	lc.Spans = append(lc.Spans, Span{Phase: p, Start: now, End: engine.Never})
}

func (rec *recorder) workerExit(wk *worker, why string) {
	rec.lives.exit(why)
	if wk.life < 0 {
		return
	}
	lc := &rec.workers[wk.life]
	now := wk.w.sim.Now()
	lc.Spans[len(lc.Spans)-1].End = now
	lc.Exit = now
	lc.Why = why
}

// tick closes one time-series row.
func (rec *recorder) tick(w *world) {
	now := w.sim.Now()
	if now > 0 {
		rec.closeRow(w)
	}
	rec.cur = SeriesRow{Start: now, QueueMax: w.queue.len()}
	rec.curStop = w.stopped
}

func (rec *recorder) closeRow(w *world) {
	row := rec.cur
	row.Stopped = rec.curStop
	for _, wk := range w.workers {
		row.BusyThreads += wk.busy
		if wk.state != lsDead {
			row.WorkersAlive++
			row.Threads += wk.threads
		}
	}
	if len(w.workers) > 0 {
		row.OldestMemoryMB = float64(w.workers[0].memory) / (1 << 20)
	}
	if !w.streamRow(row) {
		rec.series = append(rec.series, row)
	}
}

func (rec *recorder) result(w *world) *Result {
	now := w.sim.Now()
	if w.interval > 0 {
		rec.closeRow(w)
	}
	if rec.stopped && now > w.warmup {
		rec.stoppedFor += now - rec.stopSince
	}
	rec.level(w)
	var m Metrics
	rec.outcomeCounts(&m)
	span := w.horizon - w.warmup
	rec.timeMetrics(&m, span)
	e := rec.events
	eventCounts(&m, &e)
	m.Retries = float64(rec.retries)
	m.TimeNotStopped = m.Availability
	rec.outage.fill(&m, now, w.warmup, span)
	m.WarmupS = w.warmup.Seconds()
	m.Events = float64(w.sim.Fired())

	res := &Result{Metrics: m, Series: rec.series, Workers: rec.workers, WorkerCounts: rec.lives.counts(), Horizon: w.horizon, Warmup: w.warmup, BeforeWarmup: rec.before,
		RejectedDisabled: float64(rec.disabled)}
	if rec.before.StoppedAtWarmup {
		res.Warnings = append(res.Warnings, fmt.Sprintf("the pool was already stopped by rapid-fail protection when measuring began at %v: "+
			"the %d trips and %d crashes before it are left out of the counts", w.warmup, rec.before.RapidFailTrips, rec.before.Crashes))
	}
	res.WAS = wasEvents(&e)
	res.Log = supervisorLog(w.sc.Server, w.pool, &e, res.WAS)
	return res
}

// outcomeCounts fills the outcome counts, the abandoned causes and the
// rates; requests not decided by the horizon are in flight.
func (rec *recorder) outcomeCounts(m *Metrics) {
	o := rec.outcomes
	m.Arrivals = float64(rec.arrivals)
	m.OK = float64(o[outOK])
	m.Stale = float64(o[outStale])
	m.Error = float64(o[outError])
	m.RejectedQueueFull = float64(o[outRejectedFull])
	m.RejectedAppOffline = float64(o[outRejectedOffline])
	m.Expired = float64(o[outExpired])
	m.Abandoned = float64(o[outAbandoned])
	m.ClientTimeout = float64(o[outClientTimeout])
	m.RejectedTCPReset = float64(o[outRejectedReset])
	var ended int64
	for _, n := range o {
		ended += n
	}
	m.InFlight = float64(rec.arrivals - ended)
	m.AbandonedCrash = float64(rec.abandoned[causeCrash])
	m.AbandonedShutdown = float64(rec.abandoned[causeShutdown])
	m.AbandonedPing = float64(rec.abandoned[causePing])
	m.AbandonedMemory = float64(rec.abandoned[causeMemory])
	m.AbandonedExecTimeout = float64(rec.abandoned[causeExecTimeout])
	m.AbandonedMinSendRate = float64(rec.abandoned[causeMinSendRate])
	m.RejectedShutdown = float64(o[outRefused])
	if rec.arrivals > 0 {
		a := float64(rec.arrivals)
		m.Rate503 = (m.RejectedQueueFull + m.RejectedAppOffline + m.RejectedShutdown) / a
		m.RateAbandoned = m.Abandoned / a
		m.RateError = m.Error / a
		m.RateOK = m.OK / a
		m.RateStale = m.Stale / a
		m.RateClientTimeout = m.ClientTimeout / a
		m.RateExpired = m.Expired / a
		m.RateReset = m.RejectedTCPReset / a
	}
}

// timeMetrics fills the metrics of the measured span: availability,
// throughput, the time-average queue and busy threads, and the means and
// percentiles of waits and responses.
func (rec *recorder) timeMetrics(m *Metrics, span engine.Time) {
	o := rec.outcomes
	m.Availability = 1
	if span > 0 {
		m.Availability = 1 - rec.stoppedFor.Seconds()/span.Seconds()
		m.ThroughputRPS = m.OK / span.Seconds()
		m.QueueMean = rec.queueArea / float64(span)
		m.BusyMean = rec.busyArea / float64(span)
	}
	// Rule: a mean or percentile of no requests is not a number: NaN here,
	// n/a in the summary, null in JSON, an empty CSV cell
	// (docs/model.md#outputs).
	nan := math.NaN()
	m.WaitMeanS, m.ResponseMeanS, m.ResponseP50S, m.ResponseP90S, m.ResponseP99S, m.StaleAgeMeanS = nan, nan, nan, nan, nan, nan
	if rec.waitN > 0 {
		m.WaitMeanS = rec.waitSum / float64(rec.waitN)
	}
	if n := o[outOK]; n > 0 {
		m.ResponseMeanS = rec.respSum / float64(n)
		m.ResponseP50S = rec.resp.quantile(0.50) / 1e9
		m.ResponseP90S = rec.resp.quantile(0.90) / 1e9
		m.ResponseP99S = rec.resp.quantile(0.99) / 1e9
	}
	if n := o[outStale]; n > 0 {
		m.StaleAgeMeanS = rec.staleAge / float64(n)
	}
}

// eventCounts fills the counts of worker and pool events.
func eventCounts(m *Metrics, e *[numEventKinds]int64) {
	m.WorkerStarts = float64(e[evkWorkerStart])
	m.Crashes = float64(e[evkCrash])
	m.Recycles = float64(e[evkRecycleTime] + e[evkRecycleRequests] + e[evkRecycleSchedule] + e[evkRecycleMemory] +
		e[evkRecycleVirtual] + e[evkRecycleManual] + e[evkRecycleConfig])
	m.ExecTimeouts = float64(e[evkExecTimeout])
	m.ExecTimeoutKills = float64(e[evkExecTimeoutKill])
	m.MinSendRateCuts = float64(e[evkMinSendRate])
	m.AdminStops = float64(e[evkAdminStop])
	m.ThreadsInjected = float64(e[evkThreadInjected])
	m.ThreadsRetired = float64(e[evkThreadRetired])
	m.SynDrops = float64(e[evkSynDrop])
	m.PingKills = float64(e[evkPingKill])
	m.RapidFailTrips = float64(e[evkRapidFail])
	m.LockConflicts = float64(e[evkLockConflict])
	m.ShutdownKills = float64(e[evkShutdownKill])
	m.StartupKills = float64(e[evkStartupKill])
	m.EmergencyRestarts = float64(e[evkEmergencyRestart])
}

// wasEvents are the WAS events an IIS pool would have logged, by event id.
func wasEvents(e *[numEventKinds]int64) []WASEvent {
	return []WASEvent{
		{5002, "rapid-fail protection stopped the pool", int(e[evkRapidFail])},
		{5009, "worker process terminated unexpectedly", int(e[evkCrash])},
		{5010, "worker process failed to respond to a ping", int(e[evkPingKill])},
		{5013, "worker process exceeded the shutdown time limit", int(e[evkShutdownKill])},
		{5074, "recycle: time limit", int(e[evkRecycleTime])},
		{5075, "recycle: request limit", int(e[evkRecycleRequests])},
		{5076, "recycle: scheduled time", int(e[evkRecycleSchedule])},
		{5077, "recycle: virtual memory limit", int(e[evkRecycleVirtual])},
		{5079, "recycle: configuration change", int(e[evkRecycleConfig])},
		{5080, "recycle: on demand (administrator)", int(e[evkRecycleManual])},
		{5093, "failed to overlap recycle (the replacement never got ready)", int(e[evkFailedOverlap])},
		{5117, "recycle: private bytes memory limit", int(e[evkRecycleMemory])},
		{5186, "worker process shut down for inactivity", int(e[evkIdle])},
	}
}
