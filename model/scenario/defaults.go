package scenario

import (
	"net/url"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
)

// DefaultStart returns the wall-clock instant a scenario starts at unless it says
// otherwise.
func DefaultStart() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }

// NewScenario returns a scenario with every default filled in and no
// classes, backends or clients.
//
// Where IIS has a default (applicationPools/add, http.sys), the scenario
// file's default is IIS's: queue_length 1000, max_processes 1, startup and
// shutdown time limits 90 s, idle_timeout 20 min, queue_timeout 2 min
// (http.sys ConnectionTimeout), load_balancer "http", pinging every 30 s
// with a 90 s response time, rapid-fail protection on with 5 failures in
// 5 min and no automatic restart, a time-based recycle every 29 h,
// overlapped. The rest are poolsim's choices:
//
//   - threads = 25 is the number of requests one worker executes at once.
//     IIS has no per-process thread count (the CLR thread pool and
//     ASP.NET's request limits decide it); poolsim makes it the worker's
//     concurrency limit.
//   - startup_time = "2s" is how long a worker takes to become ready.
//   - exit_time = "0s": a recycled worker's process exit delays nothing.
//     IIS overlaps its recycles by default, and with
//     disallowOverlappingRotation WAS starts the new worker once the old
//     one has shut down, which the drain (up to shutdownTimeLimit) already
//     covers.
//   - dispatch = "round_robin": a web garden's requests go to its workers
//     in turn, as "Features of the Windows Process Activation Service"
//     describes IIS web gardens (research/iis-app-pools.md rule 7);
//     least_busy is offered as the other reading of IIS's pull model.
//   - start_mode = "on_demand" is IIS's startMode default (OnDemand);
//     poolsim starts as many workers of a web garden at once as the
//     waiting requests need.
//   - httperr_names = "reqqueue": Windows Server 2008 and later write
//     Connection_Abandoned_By_ReqQueue and Timer_ReqQueue; "apppool" gives
//     IIS 6's _AppPool names.
//   - memory.base = "120MB", no leak, no limit.
//   - rapid_fail.window = "sliding" (IIS does not document which).
//   - lock.on_contention = "fail"; retry.policy = "none" (with
//     max_attempts 3, delay 1 s, max_delay 30 s once a policy is chosen).
//   - The run is one hour from 2026-01-01T00:00:00Z, seed 1, no warm-up.
//
// The defaults of named entries are those of [NewClass], [NewBackend],
// [NewClient] and [NewCache].
func NewScenario() *Scenario {
	return &Scenario{
		Server:  "iis",
		Name:    "scenario",
		Horizon: Duration(engine.Hour),
		Start:   DefaultStart(),
		Seed:    1,
		Pool: Pool{
			Name:              "DefaultAppPool",
			QueueLength:       1000,
			MaxProcesses:      1,
			Threads:           25,
			StartupTime:       Const(2 * engine.Second),
			StartupTimeLimit:  Duration(90 * engine.Second),
			ExitTime:          Const(0),
			StartPause:        Const(0),
			ShutdownTimeLimit: Duration(90 * engine.Second),
			ShutdownKill:      "at_limit",
			IdleTimeout:       Duration(20 * engine.Minute),
			QueueTimeout:      Duration(2 * engine.Minute),
			LoadBalancer:      "http",
			Dispatch:          "round_robin",
			StartMode:         "on_demand",
			HTTPErrNames:      "reqqueue",
			// The mechanisms of issue 14, each off or IIS's (docs/model.md):
			// no execution limit (ASP.NET's 110 s applies only when the
			// application sets it, and aborts), http.sys MinBytesPerSecond
			// 240 B/s, a full queue refuses (503 QueueFull).
			OnExecutionTimeout: "abort",
			MinBytesPerSecond:  240,
			OnQueueFull:        "reject",
			Reload:             "per_worker",
			ThreadPool:         ThreadPool{Injection: Duration(500 * engine.Millisecond), Retire: Duration(20 * engine.Second)},
			Ping: Ping{
				Enabled:      true,
				Interval:     Duration(30 * engine.Second),
				ResponseTime: Duration(90 * engine.Second),
			},
			RapidFail: RapidFail{
				Policy:       "iis",
				Enabled:      true,
				MaxCrashes:   5,
				Interval:     Duration(5 * engine.Minute),
				RestartAfter: Duration(engine.Never),
				Window:       "sliding",
				Counts:       "supervisor",
			},
			Recycle: Recycle{
				Time:        Duration(29 * engine.Hour),
				Overlapping: true,
				Drain:       "requeue",
			},
			Memory: Memory{
				Base:          120 << 20,
				VirtualGrowth: 1,
			},
		},
		Lock: Lock{OnContention: "fail"},
		Retry: Retry{
			Policy:      "none",
			MaxAttempts: 3,
			Delay:       Duration(engine.Second),
			MaxDelay:    Duration(30 * engine.Second),
		},
	}
}

// NewClass returns a class with its defaults: no backend, no faults (a crash,
// when one is set, happens when the code ends: crash_at = "end", and dies
// of a fault signal: crash_signal = "segv"), no lock. Its service must
// still be set.
func NewClass() *Class {
	return &Class{CrashAt: "end", CrashSignal: "segv", Allocate: Constant[Size](0), ResponseSize: Constant[Size](0)}
}

// NewBackend returns a backend with its defaults: unlimited connections, a
// 30 s call timeout whose expiry the application answers with a 500 (a
// timeout thrown on a request thread gives a 500 in ASP.NET, PHP and
// Python; crashing the process is opt-in). Its latency must still be set.
func NewBackend() *Backend {
	return &Backend{Timeout: Duration(30 * engine.Second), OnTimeout: "error"}
}

// NewCache returns a backend cache with its default ttl of one minute.
func NewCache() *Cache { return &Cache{TTL: Duration(engine.Minute)} }

// NewClient returns a client with its defaults: polling on a fixed interval
// (mode = "interval") and never giving up (timeout = "0s"). Its kind, and
// the rate or count and period that the kind needs, must still be set. A
// decoded client's uri defaults to "/" and its name, and its class to the
// scenario's only class when there is exactly one.
func NewClient() *Client { return &Client{Mode: "interval", Bandwidth: Constant[Rate](0)} }

// fillDerivedDefaults sets the defaults that depend on other values: a
// client's uri from its name, and its class when the scenario has exactly
// one.
func fillDerivedDefaults(sc *Scenario) {
	var only string
	if len(sc.Classes) == 1 {
		for name := range sc.Classes {
			only = name
		}
	}
	for name, c := range sc.Clients {
		if c == nil {
			continue
		}
		if c.URI == "" {
			c.URI = "/" + url.PathEscape(name)
		}
		if c.Class == "" && only != "" {
			c.Class = only
		}
	}
}

// ClassNames returns the names of the scenario's classes in sorted order.
func (sc *Scenario) ClassNames() []string { return tomlin.SortedKeys(sc.Classes) }

// BackendNames returns the names of the scenario's backends in sorted order.
func (sc *Scenario) BackendNames() []string { return tomlin.SortedKeys(sc.Backends) }

// ClientNames returns the names of the scenario's clients in sorted order.
func (sc *Scenario) ClientNames() []string { return tomlin.SortedKeys(sc.Clients) }
