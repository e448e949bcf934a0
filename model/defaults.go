package model

import (
	"net/url"
	"time"

	"github.com/poolsim/poolsim/engine"
)

// Defaults. Where IIS has a default (applicationPools/add, http.sys), the
// scenario file's default is IIS's; the rest are poolsim's choices:
//
//   - threads = 25 is the number of requests one worker executes at once.
//     IIS has no per-process thread count (the CLR thread pool and ASP.NET's
//     MaxConcurrentRequestsPerCPU decide it); poolsim makes it the worker's
//     concurrency limit.
//   - startup_time = "2s" is how long a worker takes to become ready.
//   - dispatch = "least_busy": which worker of a web garden takes the next
//     request.
//   - A client's timeout defaults to "0s": the client never gives up.
//   - A client's uri defaults to "/" followed by the client's name.
//   - A client's class may be left out when the scenario has exactly one
//     class.
//   - A backend's cache (only when [backends.NAME.cache] is present) keeps
//     answers for ttl = "1m".
//   - A class's service has no default: it must be given.

// DefaultStart is the wall-clock instant a scenario starts at unless it says
// otherwise.
var DefaultStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// NewScenario returns a scenario with every default filled in and no
// classes, backends or clients.
func NewScenario() *Scenario {
	return &Scenario{
		Name:    "scenario",
		Horizon: Duration(engine.Hour),
		Start:   DefaultStart,
		Seed:    1,
		Pool: Pool{
			Name:              "DefaultAppPool",
			QueueLength:       1000,
			MaxProcesses:      1,
			Threads:           25,
			StartupTime:       Const(2 * engine.Second),
			StartupTimeLimit:  Duration(90 * engine.Second),
			ShutdownTimeLimit: Duration(90 * engine.Second),
			IdleTimeout:       Duration(20 * engine.Minute),
			QueueTimeout:      Duration(2 * engine.Minute),
			LoadBalancer:      "http",
			Dispatch:          "least_busy",
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
			},
			Recycle: Recycle{
				Time:        Duration(29 * engine.Hour),
				Overlapping: true,
			},
			Memory: Memory{
				Base: 120 << 20,
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

// NewClass returns a class with its defaults: no backend, no faults, no
// lock. Its service must still be set.
func NewClass() *Class { return &Class{} }

// NewBackend returns a backend with its defaults: unlimited connections, a
// 30 s call timeout whose expiry crashes the worker. Its latency must still
// be set.
func NewBackend() *Backend {
	return &Backend{Timeout: Duration(30 * engine.Second), OnTimeout: "crash"}
}

// NewCache returns a backend cache with its default ttl of one minute.
func NewCache() *Cache { return &Cache{TTL: Duration(engine.Minute)} }

// NewClient returns a client with its defaults: polling on a fixed interval
// (mode = "interval") and never giving up (timeout = "0s"). Its kind, and
// the rate or count and period that the kind needs, must still be set.
func NewClient() *Client { return &Client{Mode: "interval"} }

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
func (sc *Scenario) ClassNames() []string { return sortedKeys(sc.Classes) }

// BackendNames returns the names of the scenario's backends in sorted order.
func (sc *Scenario) BackendNames() []string { return sortedKeys(sc.Backends) }

// ClientNames returns the names of the scenario's clients in sorted order.
func (sc *Scenario) ClientNames() []string { return sortedKeys(sc.Clients) }
