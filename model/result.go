package model

import "github.com/poolsim/poolsim/engine"

// Metrics are the numbers of one run (DESIGN.md §5). Their names are a
// contract shared by `poolsim run --json` and the CSV tables of sweeps: add
// more, rename none. Counts cover requests that arrived after the warm-up;
// time-based metrics cover the time after it. A mean, percentile or
// duration of nothing (the response time when no request was ok) is NaN.
// NaNMetrics lists the metrics that can be.
type Metrics struct {
	Arrivals           float64 `metric:"arrivals"`
	OK                 float64 `metric:"ok"`
	Stale              float64 `metric:"stale"`
	Error              float64 `metric:"error"`
	RejectedQueueFull  float64 `metric:"rejected_queue_full"`
	RejectedAppOffline float64 `metric:"rejected_app_offline"`
	Expired            float64 `metric:"expired"`
	Abandoned          float64 `metric:"abandoned"`
	ClientTimeout      float64 `metric:"client_timeout"`
	InFlight           float64 `metric:"in_flight"`

	AbandonedCrash    float64 `metric:"abandoned_crash"`
	AbandonedShutdown float64 `metric:"abandoned_shutdown"`
	AbandonedPing     float64 `metric:"abandoned_ping"`
	AbandonedMemory   float64 `metric:"abandoned_memory"`

	// Beyond the §5 contract: the mechanisms of exectimeout.go,
	// transfer.go and drain.go.
	AbandonedExecTimeout float64 `metric:"abandoned_exec_timeout"`  // killed with their worker by the execution time limit
	AbandonedMinSendRate float64 `metric:"abandoned_min_send_rate"` // responses ended by http.sys MinBytesPerSecond (Timer_MinBytesPerSecond)
	RejectedShutdown     float64 `metric:"rejected_shutdown"`       // 503 from a worker shutting down (pool.recycle.drain = "refuse"); an outcome

	Rate503       float64 `metric:"rate_503"`
	RateAbandoned float64 `metric:"rate_abandoned"`
	RateError     float64 `metric:"rate_error"`
	RateOK        float64 `metric:"rate_ok"`
	Availability  float64 `metric:"availability"`

	WaitMeanS     float64 `metric:"wait_mean_s"`
	ResponseMeanS float64 `metric:"response_mean_s"`
	ResponseP50S  float64 `metric:"response_p50_s"`
	ResponseP90S  float64 `metric:"response_p90_s"`
	ResponseP99S  float64 `metric:"response_p99_s"`
	ThroughputRPS float64 `metric:"throughput_rps"`

	WorkerStarts   float64 `metric:"worker_starts"`
	Crashes        float64 `metric:"crashes"`
	Recycles       float64 `metric:"recycles"`
	PingKills      float64 `metric:"ping_kills"`
	RapidFailTrips float64 `metric:"rapid_fail_trips"`
	LockConflicts  float64 `metric:"lock_conflicts"`

	// Beyond the §5 contract.
	Retries          float64 `metric:"retries"`
	StaleAgeMeanS    float64 `metric:"stale_age_mean_s"`
	ShutdownKills    float64 `metric:"shutdown_kills"`
	StartupKills     float64 `metric:"startup_kills"`
	ExecTimeouts     float64 `metric:"exec_timeouts"`      // requests ended by the execution time limit
	ExecTimeoutKills float64 `metric:"exec_timeout_kills"` // workers killed by it (on_execution_timeout = "kill_worker")
	MinSendRateCuts  float64 `metric:"min_send_rate_cuts"`
	AdminStops       float64 `metric:"admin_stops"`        // stop actions of [events]
	ThreadsInjected  float64 `metric:"threads_injected"`   // threads added by pool.thread_pool
	ThreadsRetired   float64 `metric:"threads_retired"`    // idle threads retired by it
	SynDrops         float64 `metric:"syn_drops"`          // SYNs dropped by a full backlog (on_queue_full = "syn_retry")
	RejectedTCPReset float64 `metric:"rejected_tcp_reset"` // refused by a connection reset (load_balancer = "tcp"): an outcome of its own, not a 503
	QueueMean        float64 `metric:"queue_mean"`
	BusyMean         float64 `metric:"busy_mean"`
	WarmupS          float64 `metric:"warmup_s"`
	Events           float64 `metric:"events"`

	// Shares of the arrivals, like the rate_* metrics above: answered from
	// the stale cache, given up by the client at its time-out, expired in
	// the queue.
	RateStale         float64 `metric:"rate_stale"`
	RateClientTimeout float64 `metric:"rate_client_timeout"`
	RateExpired       float64 `metric:"rate_expired"`
	// RateReset is the share of the arrivals refused by a connection reset.
	RateReset float64 `metric:"rate_reset"`

	// Availability as an operator means it (availability.go): the share of
	// the time the pool could serve, and its outages (stretches when it
	// could not). TimeNotStopped is Availability under its own name: the
	// share of the time rapid-fail protection had not stopped the pool.
	TimeNotStopped      float64 `metric:"time_not_stopped"`
	ServingAvailability float64 `metric:"serving_availability"`
	Outages             float64 `metric:"outages"`
	OutageTimeS         float64 `metric:"outage_time_s"`
	OutageMeanS         float64 `metric:"outage_mean_s"`     // NaN without outages
	TimeToRecoverS      float64 `metric:"time_to_recover_s"` // NaN when no outage ended

	// EmergencyRestarts counts php-fpm's emergency restarts (policy
	// emergency_restart): every worker replaced at once.
	EmergencyRestarts float64 `metric:"emergency_restarts"`
}

// NaNMetrics are the metrics that are NaN when there is nothing to measure:
// wait_mean_s with no request started, the response times with no ok
// request, stale_age_mean_s with no stale answer, outage_mean_s with no
// outage, time_to_recover_s when no outage ended.
func NaNMetrics() []string {
	return []string{"wait_mean_s", "response_mean_s", "response_p50_s", "response_p90_s", "response_p99_s", "stale_age_mean_s",
		"outage_mean_s", "time_to_recover_s"}
}

// WarmupEvents are the supervisor's events before the warm-up ended.
type WarmupEvents struct {
	RapidFailTrips, Crashes, WorkerStarts int
	// StoppedAtWarmup: the pool was stopped when measuring began.
	StoppedAtWarmup bool
}

// Result is everything one run produced.
type Result struct {
	Metrics Metrics
	// Series has one row per Options.Interval after time 0 (warm-up included,
	// so a chart shows it), when Options.Interval > 0.
	Series []SeriesRow
	// Workers is the lifecycle of every worker process, in start order:
	// the first MaxLifecycles of them.
	Workers []Lifecycle
	// WorkerCounts counts every worker start and exit, however many
	// lifecycles Workers keeps.
	WorkerCounts WorkerCounts
	// WAS counts the Windows Process Activation Service events the run would
	// have logged, by event id (5002 rapid-fail stop, 5009 crash, ...).
	WAS []WASEvent
	// Log counts the lines the scenario's supervisor would have logged (the
	// WAS events for iis, php-fpm's, gunicorn's or uWSGI's log, Kubernetes
	// events).
	Log SupervisorLog
	// Horizon and Warmup as run (Warmup estimated when Auto).
	Horizon, Warmup engine.Time
	// Warnings say where the numbers need care: a warm-up estimate that was
	// refused, a pool already stopped when measuring began.
	Warnings []string
	// BeforeWarmup counts what happened before the warm-up ended, which the
	// metrics leave out, so that a summary can say so.
	BeforeWarmup WarmupEvents
	// Notes say what trace clients skipped of their logs.
	Notes []string
	// RejectedDisabled is the part of rejected_app_offline refused while an
	// operator had stopped the pool ([events] stop): HTTP.sys logs these
	// Disabled, not AppOffline (docs/model.md#operator-actions).
	RejectedDisabled float64
}

// SeriesRow is one interval of a run's time series. Its counts are of what
// happened in the interval: arrivals when they arrived, outcomes when they
// were decided (unlike the metrics, which count requests by arrival time).
type SeriesRow struct {
	Start          engine.Time
	Arrivals       int64
	OK             int64
	Stale          int64
	Error          int64
	Rejected       int64 // refused: both 503 kinds, and connection resets
	Expired        int64
	Abandoned      int64
	ClientTimeout  int64
	QueueMax       int     // longest queue in the interval
	BusyThreads    int     // busy threads at the end of the interval
	Threads        int     // threads of the live workers at the end of the interval (grows with pool.thread_pool)
	WorkersAlive   int     // at the end of the interval
	OldestMemoryMB float64 // private memory of the oldest live worker
	Stopped        bool    // pool stopped by rapid-fail protection at any time in the interval
	ResponseSumS   float64 // sum of response times of ok requests (mean = sum/ok)
}

// Phase is a stretch of a worker's life.
type Phase int

// Worker phases, in the order a worker may pass through them.
const (
	PhaseStarting Phase = iota
	PhaseServing
	PhaseDraining
	PhaseHung
	PhaseExiting // a recycled worker's process exit after its last request (pool.exit_time)
)

func (p Phase) String() string {
	return [...]string{"starting", "serving", "draining", "hung", "exiting"}[p]
}

// Span is one phase of a worker, from Start until End.
type Span struct {
	Phase      Phase
	Start, End engine.Time
}

// Lifecycle is one worker process's life: its phases and how it ended.
type Lifecycle struct {
	ID    int
	PID   int
	Spans []Span
	Exit  engine.Time // engine.Never: alive at the horizon
	Why   string      // recycle reason, "crash", "ping", "memory", "shutdown_limit", "startup_limit", "idle", "rapid_fail", "emergency_restart", "" when alive
}

// WASEvent is a count of one Windows event id.
type WASEvent struct {
	ID    int
	Name  string
	Count int
}

// WorkerCounts are the worker processes of a run: how many started, and
// how many exited for each reason (Lifecycle.Why).
type WorkerCounts struct {
	Started int
	// Kept is the number of lifecycles in Result.Workers: Started, or
	// MaxLifecycles when more started.
	Kept  int
	Exits map[string]int
}

// lifeCounts counts worker starts and exits in constant memory, and bounds
// the lifecycles the recorder keeps to MaxLifecycles.
type lifeCounts struct {
	started int
	exits   map[string]int
}
