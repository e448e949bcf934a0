package scenario

import (
	"time"

	"github.com/poolsim/poolsim/engine"
)

// Scenario is one simulated world as the scenario file describes it
// (DESIGN.md §3): a pool, what requests do, the backends they call, the
// clients that send them. Decode fills in IIS defaults for everything the
// file leaves out and validates every value.
//
// Named things (classes, backends, clients) are maps so that every value has
// a dotted key; the simulator visits them in sorted name order, never in Go's
// map order.
type Scenario struct {
	// Server selects a server's defaults and vocabulary (presets.go): iis
	// (the default), php-fpm, gunicorn or uwsgi.
	Server  string    `toml:"server"`
	Name    string    `toml:"name"`
	Horizon Duration  `toml:"horizon"`
	Warmup  Warmup    `toml:"warmup"`
	Start   time.Time `toml:"start"`
	Seed    uint64    `toml:"seed"`

	Pool     Pool                `toml:"pool"`
	Classes  map[string]*Class   `toml:"classes"`
	Backends map[string]*Backend `toml:"backends"`
	Clients  map[string]*Client  `toml:"clients"`
	Lock     Lock                `toml:"lock"`
	Retry    Retry               `toml:"retry"`
	// Events are operator actions on the timeline (events.go), by name.
	Events map[string]*Event `toml:"events"`

	// A server's own settings, in its own words (presets.go); only the
	// table of the scenario's server is allowed.
	PHPFPM   *PHPFPM   `toml:"php_fpm"`
	Gunicorn *Gunicorn `toml:"gunicorn"`
	UWSGI    *UWSGI    `toml:"uwsgi"`

	Observed *Observed `toml:"observed"` // optional: what the logs recorded (poolsim fit)
}

// Warmup is the span at the start of a run whose requests are left out of
// every statistic, or Auto: estimate it per run with MSER-5.
type Warmup struct {
	Duration
	Auto bool
}

// Pool is an application pool (IIS applicationPools/add and http.sys).
type Pool struct {
	Name             string   `toml:"name"`
	QueueLength      int      `toml:"queue_length"`
	MaxProcesses     int      `toml:"max_processes"`
	Threads          int      `toml:"threads"`
	StartupTime      Dist     `toml:"startup_time"`
	StartupTimeLimit Duration `toml:"startup_time_limit"`
	// ExitTime is how long a worker that recycled itself without overlap
	// takes to exit after its last request, serving nothing, before its
	// replacement starts (model/exit.go): "0s" for IIS; measured for the
	// php-fpm and Python presets (presets.go).
	ExitTime Dist `toml:"exit_time"`
	// StartPause is how long the pool's master pauses after it starts a
	// worker before it can start another (model/worker.go forkWait): "0s";
	// gunicorn's arbiter sleeps a uniform 0–100 ms after each fork.
	StartPause        Dist     `toml:"start_pause"`
	ShutdownTimeLimit Duration `toml:"shutdown_time_limit"`
	ShutdownKill      string   `toml:"shutdown_kill"` // at_limit | at_stop (gunicorn) | next_wakeup (php-fpm, process_control_timeout = 0): when a drain's requests are killed (model/reload.go)
	IdleTimeout       Duration `toml:"idle_timeout"`
	QueueTimeout      Duration `toml:"queue_timeout"`
	LoadBalancer      string   `toml:"load_balancer"` // http | tcp
	Dispatch          string   `toml:"dispatch"`      // which worker of a web garden takes the next request
	StartMode         string   `toml:"start_mode"`    // on_demand | all_at_once | always_running
	HTTPErrNames      string   `toml:"httperr_names"` // reqqueue (Windows Server 2008 and later) | apppool (IIS 6)
	DropGivenUp       bool     `toml:"drop_given_up"` // a queued request whose client gave up leaves the queue
	// ProxyBuffering is a buffering proxy in front of the pool (nginx's
	// fastcgi_buffering, proxy_buffering, uwsgi_buffering, on by default):
	// the worker's thread is freed when its service ends and the proxy
	// sends the response to the client (model/transfer.go). false for IIS;
	// true for the php-fpm, gunicorn and uWSGI presets. Kept next to
	// DropGivenUp, in its padding, so the fields after it keep their place.
	ProxyBuffering bool `toml:"proxy_buffering"`

	// Execution time limit (model/exectimeout.go): "0s" off.
	ExecutionTimeout      Duration `toml:"execution_timeout"`
	OnExecutionTimeout    string   `toml:"on_execution_timeout"`    // abort | kill_worker | exit_worker
	ExecutionTimeoutCheck Duration `toml:"execution_timeout_check"` // "0s": exact; else the limit is checked on a heartbeat of this period
	// Bitness 32 or 64 sets memory.address_space (model/allocation.go); 0: as
	// memory.address_space says.
	Bitness int `toml:"bitness"`
	// MinBytesPerSecond is http.sys's minimum send rate (model/transfer.go); 0: none.
	MinBytesPerSecond int64 `toml:"min_bytes_per_second"`
	// OnQueueFull is what a full queue does to a new connection
	// (presets.go): reject (503, or a proxy's 502) | syn_retry (a full TCP
	// backlog drops the SYN, which the client retransmits).
	OnQueueFull    string   `toml:"on_queue_full"`
	ConnectTimeout Duration `toml:"connect_timeout"` // syn_retry: the client (or proxy) gives up connecting after this
	// RequestOverhead is the server stack's own time per request, added to
	// every request's hold of its worker beyond the application's service
	// (model/request.go): "0s" for IIS; measured for the php-fpm and
	// Python presets (presets.go).
	RequestOverhead Duration `toml:"request_overhead"`
	// ThreadPool, when its max is set, grows a worker's threads as the CLR
	// thread pool does instead of a fixed threads (model/threadpool.go).
	ThreadPool ThreadPool `toml:"thread_pool"`
	// Reload is how a recycle, a configuration change or an emergency
	// restart replaces the workers (model/reload.go): per_worker | pool_wide
	// | fork_first (gunicorn's SIGHUP, model/forkfirst.go).
	Reload      string   `toml:"reload"`
	ReloadDelay Duration `toml:"reload_delay"` // pool_wide: from the last exit until workers may start
	// Spawn is how a server's master keeps its workers (spawn.go); the
	// server presets set it from the server's own settings.
	Spawn Spawn `toml:"-"`

	Ping      Ping      `toml:"ping"`
	RapidFail RapidFail `toml:"rapid_fail"`
	Recycle   Recycle   `toml:"recycle"`
	Memory    Memory    `toml:"memory"`
}

// Ping is WAS's health monitoring of worker processes.
type Ping struct {
	Enabled           bool     `toml:"enabled"`
	Interval          Duration `toml:"interval"`
	ResponseTime      Duration `toml:"response_time"`
	AnsweredWhileHung bool     `toml:"answered_while_hung"`
}

// RapidFail is the supervisor's reaction to worker failures.
type RapidFail struct {
	Policy       string   `toml:"policy"` // iis | emergency_restart | backoff
	Enabled      bool     `toml:"enabled"`
	MaxCrashes   int      `toml:"max_crashes"`
	Interval     Duration `toml:"interval"`
	RestartAfter Duration `toml:"restart_after"` // "never" decodes to Never
	Window       string   `toml:"window"`        // sliding | fixed
	// Counts says which failures count: supervisor (the default: the
	// supervisor's own rule, every failure for iis and backoff, only
	// SIGSEGV/SIGBUS deaths for emergency_restart as php-fpm) | all (every
	// failure: crashes, ping, startup-, shutdown- and execution-limit
	// kills) | crashes (only deaths of a fault signal, SIGSEGV or SIGBUS).
	Counts string `toml:"counts"`
}

// Recycle holds the recycle triggers (each disabled by zero) and whether a
// recycle overlaps the old worker with its replacement.
type Recycle struct {
	Time           Duration    `toml:"time"`
	Requests       int64       `toml:"requests"`
	PrivateMemory  Size        `toml:"private_memory"`
	Schedule       []TimeOfDay `toml:"schedule"`
	Jitter         Duration    `toml:"jitter"`          // the age limit gets a uniform extra in [0, jitter]
	RequestsJitter int64       `toml:"requests_jitter"` // the request limit gets a uniform extra in [0, requests_jitter] (gunicorn max_requests_jitter)
	Overlapping    bool        `toml:"overlapping"`
	VirtualMemory  Size        `toml:"virtual_memory"` // recycling.periodicRestart.memory (WAS 5077); "0MB" off
	// Drain is what a worker shutting down does with requests that reach
	// it (model/drain.go): requeue (they wait for another worker) | refuse (503).
	Drain string `toml:"drain"`
}

// Memory is a worker's private memory: a base, a leak per request served,
// and the limit past which an allocation fails and the worker crashes.
type Memory struct {
	Base       Size `toml:"base"`
	PerRequest Size `toml:"per_request"`
	Limit      Size `toml:"limit"`
	// The address space and virtual memory (model/allocation.go).
	AddressSpace  Size    `toml:"address_space"` // "0MB": unlimited (64-bit)
	VirtualBase   Size    `toml:"virtual_base"`  // reserved at start; "0MB": as base
	VirtualGrowth float64 `toml:"virtual_growth"`
	Fragmentation float64 `toml:"fragmentation"`
}

// Class is what a request does once a worker thread executes it.
type Class struct {
	Service Dist    `toml:"service"`
	Backend string  `toml:"backend"`
	Crash   float64 `toml:"crash"`
	CrashAt string  `toml:"crash_at"` // end | start: when in the request's code a crash happens
	Hang    float64 `toml:"hang"`
	Lock    bool    `toml:"lock"`

	// CrashSignal is the signal a crash of the request's code kills its
	// worker with (docs/model.md#supervisors): segv (a fault in native
	// code: SIGSEGV) | kill (SIGKILL: the kernel's out-of-memory killer,
	// an operator's kill -9). php-fpm's emergency restart counts only the
	// first.
	CrashSignal string `toml:"crash_signal"`
	// Allocate is held while the request runs (model/allocation.go).
	Allocate SizeDist `toml:"allocate"`
	// ResponseSize is sent at the client's bandwidth after the service
	// (model/transfer.go), holding the thread.
	ResponseSize SizeDist `toml:"response_size"`
}

// Backend is a dependency the application calls, such as a database.
type Backend struct {
	Latency     Dist     `toml:"latency"`
	Connections int      `toml:"connections"`
	Timeout     Duration `toml:"timeout"`
	OnTimeout   string   `toml:"on_timeout"` // crash | error | stale | wait
	Slow        *Slow    `toml:"slow"`
	Cache       *Cache   `toml:"cache"`
}

// Slow describes episodes when a backend is slow.
type Slow struct {
	Every   Dist `toml:"every"`
	Lasting Dist `toml:"lasting"`
	Latency Dist `toml:"latency"`
}

// Cache keeps the backend's last good answer for on_timeout = "stale".
type Cache struct {
	TTL Duration `toml:"ttl"`
}

// Client sends requests: an open Poisson stream or a set of polling clients.
type Client struct {
	Kind    string         `toml:"kind"` // poisson | polling | trace
	Class   string         `toml:"class"`
	Rate    float64        `toml:"rate"`    // poisson: requests per second
	Profile []ProfilePoint `toml:"profile"` // poisson: rate multiplier from each time of day
	Count   int            `toml:"count"`   // polling
	Period  Duration       `toml:"period"`  // polling
	Mode    string         `toml:"mode"`    // polling: interval | after_response
	Timeout Duration       `toml:"timeout"` // the client gives up after this; 0: never
	URI     string         `toml:"uri"`     // cs-uri in the HTTPERR log
	File    string         `toml:"file"`    // trace: the log whose requests it replays
	HTTPErr string         `toml:"httperr"` // trace: the HTTPERR log of the same span (its requests arrived too)
	Speedup float64        `toml:"speedup"` // trace: log time runs this many times faster (0: 1)
	// Bandwidth at which responses reach this client, such as "2Mbit/s"
	// (bandwidth.go); "" or "0": unlimited.
	Bandwidth RateDist `toml:"bandwidth"`
}

// ProfilePoint sets the rate multiplier from a time of day on.
type ProfilePoint struct {
	At     TimeOfDay
	Factor float64
}

// Lock is the system-wide resource that classes with lock = true need.
type Lock struct {
	OnContention string `toml:"on_contention"` // fail | wait | crash
}

// Retry is what clients do after a 503, an abandoned connection or their own
// timeout.
type Retry struct {
	Policy      string   `toml:"policy"` // none | fixed | exponential
	MaxAttempts int      `toml:"max_attempts"`
	Delay       Duration `toml:"delay"`
	MaxDelay    Duration `toml:"max_delay"`
}

// Duration is a span of virtual time written as "90s", "5m" or "29h".
type Duration engine.Time

// T returns d as engine time.
func (d Duration) T() engine.Time { return engine.Time(d) }

// Size is a number of bytes written as "120MB" or "8KB".
type Size int64

// TimeOfDay is an offset from midnight, written "03:00" or "15:30:00".
type TimeOfDay engine.Time

// Memory as the 32-bit stories need it (docs/model.md, "Allocations and
// address space"):
//
//   - A request of a class with allocate holds that many bytes of private
//     memory while it runs, on top of the worker's base and leak.
//   - The worker's virtual memory is virtual_base (the address space
//     reserved at start: runtime, heaps, DLLs; "0MB": equal to base) plus
//     virtual_growth times the private bytes above base. poolsim's
//     assumption: the runtime reserves address space in proportion to what
//     it commits (the CLR's GC segments, the LOH), 1:1 by default.
//   - An allocation needs one contiguous block. poolsim's assumption: the
//     largest free block is (address_space − virtual) × (1 − fragmentation),
//     fragmentation being the share of free address space lost to gaps
//     between reserved regions. An allocation larger than that fails with
//     an OutOfMemoryException that crashes the worker (abandoned_memory),
//     which counts toward rapid-fail protection as every crash does.
//   - address_space "0MB" is unlimited (a 64-bit worker); bitness = 32 sets
//     it to 2GB (a 32-bit process; set "4GB" for one that is large-address
//     aware on 64-bit Windows), bitness = 64 to unlimited.
//   - pool.recycle.virtual_memory is IIS's recycling.periodicRestart.memory
//     (WAS event 5077), checked like private_memory when a request
//     completes.

// AddressSpace is the worker's address space in bytes; 0: unlimited.
func (p *Pool) AddressSpace() int64 {
	switch p.Bitness {
	case 32:
		return 2 << 30
	case 64:
		return 0
	}
	return int64(p.Memory.AddressSpace)
}
