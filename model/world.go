package model

import (
	"bufio"
	"fmt"
	"math"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
	"github.com/poolsim/poolsim/model/accesslog"
	"github.com/poolsim/poolsim/model/httperr"
	"github.com/poolsim/poolsim/model/scenario"
	"github.com/poolsim/poolsim/policies"
)

// world is one run of a scenario: the pool, its workers, clients and
// backends, all driven by one engine.Sim.
type world struct {
	sc      *scenario.Scenario
	sim     *engine.Sim
	warmup  engine.Time
	horizon engine.Time
	// dayOffset is the time of day at time 0, for schedules and profiles.
	dayOffset engine.Time

	pool *scenario.Pool
	// tcpReset: HTTP.sys refuses by resetting the connection
	// (load_balancer = "tcp") rather than answering 503.
	tcpReset bool
	// keepsWorkers: start_mode starts every worker with the pool and
	// replaces each that exits (all_at_once, always_running).
	keepsWorkers bool
	// spawnMode is how the workers are kept (spawn.go): the server preset's
	// pool.Spawn.Mode, or "static" for start_mode all_at_once and
	// always_running, or "" (on demand).
	spawnMode string
	// HTTPERR reasons of expired and abandoned requests (pool.httperr_names).
	reasonExpired, reasonAbandoned string

	queue         ring
	busyTotal     int // busy threads over all workers
	expiryArmed   bool
	workers       []*worker // alive: starting, serving or draining, in start order
	readyBuf      []policies.WorkerView
	readyIdx      []int
	nextWorkerID  int
	startBlocked  engine.Time // back-off: no worker starts before this
	startArmed    bool
	stopped       bool
	epoch         int // restarts of the pool so far
	restartTimer  engine.Timer
	supervisor    policies.Supervisor
	dispatch      policies.Dispatch
	recycle       policies.RecycleTrigger
	schedule      []engine.Time
	lockOwner     *worker
	lockWaiters   []*request
	retry         policies.Retry
	retryRand     *keyedStream
	startupSample *scenario.Sampler
	exitSample    *scenario.Sampler // pool.exit_time (exit.go)
	// startPauseSample is pool.start_pause; forkFreeAt is when the master's
	// pause after its last start ends (worker.go forkWait).
	startPauseSample *scenario.Sampler
	forkFreeAt       engine.Time

	// countingWorkers is how many of workers count towards max_processes
	// (lifeState.countsTowardMax), kept as their states change (worker.on);
	// fullAt is max_processes when workers start on demand, and never
	// reached when a spawn mode keeps them (maybeStart).
	countingWorkers, fullAt int
	// takers is how many workers can take queued work (worker.takesQueued),
	// kept as they change, for the availability rule (canServe).
	takers int

	// Mechanisms switched on by the scenario, decided once.
	refuseDrain  bool // pool.recycle.drain = "refuse"
	threadPool   bool // pool.thread_pool.max > 0
	synDrop      bool // pool.on_queue_full = "syn_retry"
	adminStopped bool // stopped by an operator action, not by rapid-fail protection
	spawner      *spawner
	cheaper      *cheaper // uWSGI's cheaper subsystem (cheaper.go)
	reloading    bool     // a pool-wide reload waits for its workers to exit (reload.go)
	// master holds the kill of a drain until php-fpm's master wakes
	// (shutdown_kill = "next_wakeup", reload.go).
	master masterWakeup

	classes  map[string]*classRT
	backends []*backendRT
	clients  []*clientRT

	rec      recorder
	free     []*request
	nextReq  uint64
	httperr  *httperr.Writer
	access   *accesslog.W3CWriter
	trace    *bufio.Writer
	interval engine.Time
	limits   limits
}

// world-level event kinds.
const (
	evExpiry = iota
	evRestart
	evStartAllowed
	evSchedule
	evTick
	evWarmup
)

func (w *world) HandleEvent(kind int) {
	switch kind {
	case evExpiry:
		w.expire()
	case evRestart:
		w.restartPool()
	case evStartAllowed:
		w.startArmed = false
		w.pump()
	case evSchedule:
		if w.trace != nil {
			w.tracef("schedule recycle")
		}
		for _, wk := range w.snapshotWorkers() {
			wk.recycle(whySchedule)
		}
		w.sim.At(policies.NextScheduled(w.sim.Now(), w.dayOffset, w.schedule), w, evSchedule)
	case evTick:
		w.rec.tick(w)
		if next := w.sim.Now() + w.interval; next < w.horizon {
			w.sim.At(next, w, evTick)
		}
	case evWarmup:
		w.rec.startMeasuring(w)
	}
}

type classRT struct {
	name      string
	c         *scenario.Class
	service   *scenario.Sampler // draws from serviceKS
	serviceKS *keyedStream
	faults    *keyedStream
	faulty    bool // the class can hang or crash: its requests draw a fault
	backend   *backendRT
	// Each request's allocation and response size (allocation.go,
	// transfer.go).
	allocate, responseSize perRequest[scenario.Size]
}

func newWorld(sc *scenario.Scenario, opt Options, warmup engine.Time) (*world, error) {
	sim := engine.New(sc.Seed, opt.Replication)
	w := &world{
		sc:       sc,
		sim:      sim,
		warmup:   warmup,
		horizon:  sc.Horizon.T(),
		pool:     &sc.Pool,
		tcpReset: sc.Pool.LoadBalancer == "tcp",
		interval: opt.Interval,
		limits:   newLimits(opt),
		classes:  make(map[string]*classRT),
	}
	w.reasonExpired, w.reasonAbandoned = HTTPErrReasons(&sc.Pool)
	w.queue.w = w
	w.keepsWorkers = sc.Pool.StartMode == "all_at_once" || sc.Pool.StartMode == "always_running"
	w.spawnMode = sc.Pool.Spawn.Mode
	if w.spawnMode == "" && w.keepsWorkers {
		w.spawnMode = "static"
	}
	w.fullAt = sc.Pool.MaxProcesses
	if w.spawnMode != "" {
		w.fullAt = math.MaxInt
	}
	start := sc.Start.UTC()
	w.dayOffset = engine.Time(start.Hour())*engine.Hour + engine.Time(start.Minute())*engine.Minute +
		engine.Time(start.Second())*engine.Second + engine.Time(start.Nanosecond())
	p := w.pool
	rf := p.RapidFail
	var err error
	w.supervisor, err = policies.NewSupervisor(policies.SupervisorConfig{
		Policy: rf.Policy, Enabled: rf.Enabled, MaxFailures: rf.MaxCrashes,
		Interval: rf.Interval.T(), Window: rf.Window, RestartAfter: rf.RestartAfter.T(),
	})
	if err != nil {
		return nil, err
	}
	w.dispatch, err = policies.NewDispatch(p.Dispatch)
	if err != nil {
		return nil, err
	}
	w.retry, err = policies.NewRetry(sc.Retry.Policy, sc.Retry.MaxAttempts, sc.Retry.Delay.T(), sc.Retry.MaxDelay.T())
	if err != nil {
		return nil, err
	}
	w.retryRand = newKeyedStream(sc.Seed, opt.Replication, "retry")
	w.recycle = policies.RecycleTrigger{Age: p.Recycle.Time.T(), Requests: p.Recycle.Requests, Jitter: p.Recycle.Jitter.T(), JitterRequests: p.Recycle.RequestsJitter}
	for _, t := range p.Recycle.Schedule {
		w.schedule = append(w.schedule, engine.Time(t))
	}
	w.startupSample = p.StartupTime.Sampler(sim.Stream("startup"))
	w.exitSample = p.ExitTime.Sampler(sim.Stream("exit"))
	w.startPauseSample = p.StartPause.Sampler(sim.Stream("start_pause"))
	w.refuseDrain = p.Recycle.Drain == "refuse"
	w.threadPool = p.ThreadPool.Max > 0
	w.synDrop = p.OnQueueFull == "syn_retry"

	for _, name := range tomlin.SortedKeys(sc.Backends) {
		b := newBackend(w, name, sc.Backends[name], opt.Replication)
		w.backends = append(w.backends, b)
	}
	for _, name := range tomlin.SortedKeys(sc.Classes) {
		c := sc.Classes[name]
		rt := &classRT{name: name, c: c,
			serviceKS: newKeyedStream(sc.Seed, opt.Replication, "service/"+name),
			faults:    newKeyedStream(sc.Seed, opt.Replication, "faults/"+name),
			faulty:    c.Hang+c.Crash > 0}
		rt.service = c.Service.Sampler(rt.serviceKS.rand)
		rt.allocate = newPerRequest(c.Allocate, sc.Seed, opt.Replication, "allocate/"+name)
		rt.responseSize = newPerRequest(c.ResponseSize, sc.Seed, opt.Replication, "response_size/"+name)
		for _, b := range w.backends {
			if b.name == c.Backend {
				rt.backend = b
			}
		}
		w.classes[name] = rt
	}
	clientBase := 0
	for _, name := range tomlin.SortedKeys(sc.Clients) {
		cl := newClient(w, name, sc.Clients[name], clientBase, opt.Replication)
		if cl.c.Kind == "trace" {
			if cl.trace, err = newTrace(cl); err != nil {
				return nil, err
			}
		}
		clientBase += max(cl.c.Count, 1) * 1000
		w.clients = append(w.clients, cl)
	}
	if opt.HTTPErr != nil {
		w.httperr = httperr.NewWriter(opt.HTTPErr, sc.Start, 1, p.Name, sim.Stream("httperr"))
	}
	if opt.Trace != nil {
		w.trace = bufio.NewWriter(opt.Trace)
	}
	if opt.AccessLog != nil {
		w.access = accesslog.NewW3CWriter(opt.AccessLog, sc.Start)
	}
	w.rec.init(w)
	return w, nil
}

func (w *world) run() (*Result, error) {
	sim := w.sim
	for _, b := range w.backends {
		b.begin()
	}
	for _, c := range w.clients {
		c.begin()
	}
	if len(w.schedule) > 0 {
		sim.At(policies.NextScheduled(0, w.dayOffset, w.schedule), w, evSchedule)
	}
	w.scheduleEvents()
	if w.interval > 0 {
		sim.At(0, w, evTick)
	}
	if w.warmup > 0 {
		sim.At(w.warmup, w, evWarmup)
	} else {
		w.rec.startMeasuring(w)
	}
	// After measuring begins, so that without a warm-up the workers started
	// at time 0 are counted in worker_starts.
	w.beginSpawn()
	if err := w.simulate(); err != nil {
		return nil, err
	}
	res := w.rec.result(w)
	notes, err := w.finishTraces()
	if err != nil {
		return nil, err
	}
	res.Notes = notes
	if w.access != nil {
		if err := w.access.Flush(); err != nil {
			return nil, fmt.Errorf("writing the access log: %w", err)
		}
	}
	if w.httperr != nil {
		if err := w.httperr.Flush(); err != nil {
			return nil, fmt.Errorf("writing the HTTPERR log: %w", err)
		}
	}
	if w.trace != nil {
		if err := w.trace.Flush(); err != nil {
			return nil, fmt.Errorf("writing the trace: %w", err)
		}
	}
	return res, nil
}

func (w *world) tracef(format string, args ...any) {
	if w.trace == nil {
		return
	}
	fmt.Fprintf(w.trace, "%12.6f ", w.sim.Now().Seconds())
	fmt.Fprintf(w.trace, format, args...)
	w.trace.WriteByte('\n')
}

// snapshotWorkers copies the live workers, for loops that may change the set.
func (w *world) snapshotWorkers() []*worker {
	return append([]*worker(nil), w.workers...)
}

// newRequest takes a request from the free list.
func (w *world) newRequest() *request {
	var r *request
	if n := len(w.free); n > 0 {
		r = w.free[n-1]
		w.free = w.free[:n-1]
		*r = request{}
	} else {
		r = &request{}
	}
	r.w = w
	w.nextReq++
	r.id = w.nextReq
	return r
}

func (w *world) release(r *request) {
	r.client = nil
	r.class = nil
	r.worker = nil
	w.free = append(w.free, r)
}
