package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/poolsim/poolsim/engine"
)

// Limits past which a value is refused as certainly a mistake.
const (
	maxQueueLength = math.MaxInt32
	maxProcesses   = 100_000
	maxThreads     = 1_000_000
	maxCrashes     = math.MaxInt32 // IIS's own bound
	maxConnections = 1_000_000
	maxRate        = 10_000_000 // requests per second from one client
	maxPollers     = 10_000_000
	maxAttempts    = 1000
	maxCV          = 100.0
	maxFactor      = 1e6
	maxEmpirical   = 1_000_000
)

// The values that each enumerated key allows.
var (
	enumLoadBalancer = []string{"http", "tcp"}
	enumDispatch     = []string{"least_busy", "round_robin"}
	enumStartMode    = []string{"on_demand", "all_at_once", "always_running"}
	enumHTTPErrNames = []string{"reqqueue", "apppool"}
	enumPolicy       = []string{"iis", "emergency_restart", "backoff"}
	enumWindow       = []string{"sliding", "fixed"}
	enumOnTimeout    = []string{"crash", "error", "stale", "wait"}
	enumOnContention = []string{"fail", "wait", "crash"}
	enumCrashAt      = []string{"end", "start"}
	enumCrashSignal  = []string{"segv", "kill"}
	enumRetry        = []string{"none", "fixed", "exponential"}
	enumKind         = []string{"poisson", "polling", "trace"}
	enumMode         = []string{"interval", "after_response"}
)

// Validate checks every value of sc, as [Decode] does after decoding, and
// returns an [Errors] listing every problem (without file positions), or
// nil. Use it on a scenario built or changed in code.
func (sc *Scenario) Validate() error {
	d := newScenarioDecoder("")
	d.validate(sc)
	d.sort()
	return d.result()
}

// given reports whether the scenario wrote the key at path (in the file or
// an override). Without a file (Validate), every key counts as given.
func (d *scenarioDecoder) given(path []string) bool {
	if d.raw == nil {
		return true
	}
	var cur any = d.raw
	for _, k := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[k]; !ok {
			return false
		}
	}
	return true
}

func durText(v Duration) string { return QuoteString(v.String()) }
func intText(n int64) string    { return strconv.FormatInt(n, 10) }

// span checks a duration: not negative, not "never", at most ten years,
// and more than zero when positive is set. zero, when not empty, says what
// zero means, for the message.
func (d *scenarioDecoder) span(path []string, v Duration, positive bool) bool {
	switch {
	case engine.Time(v) == engine.Never:
		d.errorf(path, durText(v), `"never" is only allowed for pool.rapid_fail.restart_after; "0s" disables a timeout, a limit or a trigger`)
	case v < 0:
		d.errorf(path, durText(v), "must not be negative")
	case v > maxSpan:
		d.errorf(path, durText(v), "must be at most 10 years (87600h)")
	case positive && v == 0:
		d.errorf(path, durText(v), "must be more than 0s")
	default:
		return true
	}
	return false
}

// intRange checks lo <= n <= hi.
func (d *scenarioDecoder) intRange(path []string, n, lo, hi int64) bool {
	if n >= lo && n <= hi {
		return true
	}
	switch {
	case hi == math.MaxInt64:
		d.errorf(path, intText(n), "must be at least %d", lo)
	default:
		d.errorf(path, intText(n), "must be between %d and %d", lo, hi)
	}
	return false
}

// sizeRange checks 0 <= s <= 1PB.
func (d *scenarioDecoder) sizeRange(path []string, s Size) bool {
	switch {
	case s < 0:
		d.errorf(path, QuoteString(s.String()), "must not be negative")
	case s > maxSize:
		d.errorf(path, QuoteString(s.String()), "must be at most 1PB")
	default:
		return true
	}
	return false
}

// prob checks a probability.
func (d *scenarioDecoder) prob(path []string, p float64) bool {
	if p >= 0 && p <= 1 {
		return true
	}
	d.errorf(path, formatTOMLFloat(p), "a probability must be between 0 and 1")
	return false
}

// oneOf checks an enumerated value.
func (d *scenarioDecoder) oneOf(path []string, v string, allowed []string) bool {
	if contains(allowed, v) {
		return true
	}
	msg := "must be one of " + quoteList(allowed)
	if s := suggest(v, allowed); s != "" {
		msg = fmt.Sprintf("did you mean %q? (one of %s)", s, quoteList(allowed))
	}
	d.errorf(path, QuoteString(v), "%s", msg)
	return false
}

// signalNames are the names and numbers of the signals crash_signal
// stands for: segv for a fault signal (SIGSEGV or SIGBUS, which php-fpm
// counts alike), kill for SIGKILL.
var signalNames = map[string]string{"sigsegv": "segv", "11": "segv", "sigbus": "segv", "bus": "segv", "7": "segv", "sigkill": "kill", "9": "kill"}

// crashSignal checks a class's crash_signal, answering a signal's own name
// or number with the value that stands for it.
func (d *scenarioDecoder) crashSignal(path []string, v string) {
	if s, ok := signalNames[strings.ToLower(v)]; ok {
		d.errorf(path, QuoteString(v), "write %q (one of %s: segv for a fault signal, SIGSEGV or SIGBUS; kill for SIGKILL)", s, quoteList(enumCrashSignal))
		return
	}
	d.oneOf(path, v, enumCrashSignal)
}

// ref checks a reference to a named class or backend; table is where they
// are defined ("classes", "backends").
func (d *scenarioDecoder) ref(path []string, name, what, table string, names []string) bool {
	if contains(names, name) {
		return true
	}
	if d.full() { // only counted now: spare the search for a suggestion
		d.errorf(path, QuoteString(name), "no %s of that name", what)
		return false
	}
	var msg string
	switch {
	case len(names) == 0:
		msg = fmt.Sprintf("no %s of that name: the scenario defines none (add a [%s] table)", what, keyString([]string{table, name}))
	default:
		msg = fmt.Sprintf("no %s of that name (the scenario has %s)", what, quoteList(names))
		if s := suggest(name, names); s != "" {
			msg = fmt.Sprintf("no %s of that name; did you mean %q?", what, s)
		}
	}
	d.errorf(path, QuoteString(name), "%s", msg)
	return false
}

// validate checks every value of sc, reporting every problem.
func (d *scenarioDecoder) validate(sc *Scenario) {
	k := func(parts ...string) []string { return parts }

	d.applyServer(sc)
	d.span(k("horizon"), sc.Horizon, true)
	if !sc.Warmup.Auto && d.span(k("warmup"), sc.Warmup.Duration, false) && sc.Horizon > 0 && sc.Warmup.Duration >= sc.Horizon {
		d.errorf(k("warmup"), durText(sc.Warmup.Duration), "must be less than horizon (%s)", sc.Horizon)
	}
	if sc.Start.Year() < 1 || sc.Start.Year() > 9999 {
		d.errorf(k("start"), sc.Start.Format("2006-01-02T15:04:05Z07:00"), "must be between years 1 and 9999")
	}

	d.validatePool(sc)
	d.validateMechanisms(sc)

	classes, backends, clients := sc.ClassNames(), sc.BackendNames(), sc.ClientNames()
	if len(classes) == 0 {
		d.errorf(k("classes"), "", `a scenario needs at least one class: a [classes.NAME] table with its service, such as service = "40ms"`)
	}
	usedBackend := map[string]bool{}
	usesLock := false
	for _, name := range classes {
		c := sc.Classes[name]
		p := k("classes", name)
		if !present(d, p, "a class", c) {
			continue
		}
		d.checkDist(join(p, "service"), c.Service, true, false)
		if c.Backend != "" {
			d.ref(join(p, "backend"), c.Backend, "backend", "backends", backends)
			usedBackend[c.Backend] = true
		}
		d.oneOf(join(p, "crash_at"), c.CrashAt, enumCrashAt)
		d.crashSignal(join(p, "crash_signal"), c.CrashSignal)
		okCrash := d.prob(join(p, "crash"), c.Crash)
		okHang := d.prob(join(p, "hang"), c.Hang)
		if okCrash && okHang && c.Crash+c.Hang > 1 {
			d.errorf(join(p, "hang"), formatTOMLFloat(c.Hang), "crash + hang must be at most 1 (crash is %g)", c.Crash)
		}
		usesLock = usesLock || c.Lock
	}
	d.validateBackends(sc, backends, usedBackend)
	if len(clients) == 0 {
		d.errorf(k("clients"), "", `a scenario needs at least one client: a [clients.NAME] table with kind = "poisson" and a rate, or kind = "polling" with a count and a period`)
	}
	for _, name := range clients {
		c := sc.Clients[name]
		p := k("clients", name)
		if !present(d, p, "a client", c) {
			continue
		}
		d.validateClient(p, c, classes)
	}
	if usesLock || sc.Lock.OnContention != "fail" {
		d.oneOf(k("lock", "on_contention"), sc.Lock.OnContention, enumOnContention)
	}
	d.validateObserved(sc)
	r := sc.Retry
	d.oneOf(k("retry", "policy"), r.Policy, enumRetry)
	d.intRange(k("retry", "max_attempts"), int64(r.MaxAttempts), 1, maxAttempts)
	d.span(k("retry", "delay"), r.Delay, false)
	if d.span(k("retry", "max_delay"), r.MaxDelay, false) && r.Policy == "exponential" && r.MaxDelay < r.Delay {
		d.errorf(k("retry", "max_delay"), durText(r.MaxDelay), "must be at least delay (%s)", r.Delay)
	}
}

// present reports whether the named table at p (kind: "a class", "a
// backend", "a client") exists, and names the errors of one without a name
// or without a table.
func present[T any](d *scenarioDecoder, p []string, kind string, v *T) bool {
	if p[len(p)-1] == "" {
		d.errorf(p, "", "%s needs a name", kind)
	}
	if v == nil {
		d.errorf(p, "", "missing")
		return false
	}
	return true
}

// validateBackends checks each [backends.NAME] table; usedBackend names
// those a class calls.
func (d *scenarioDecoder) validateBackends(sc *Scenario, backends []string, usedBackend map[string]bool) {
	k := func(parts ...string) []string { return parts }
	for _, name := range backends {
		b := sc.Backends[name]
		p := k("backends", name)
		if !present(d, p, "a backend", b) {
			continue
		}
		d.checkDist(join(p, "latency"), b.Latency, true, false)
		d.intRange(join(p, "connections"), int64(b.Connections), 0, maxConnections)
		d.span(join(p, "timeout"), b.Timeout, false)
		if d.oneOf(join(p, "on_timeout"), b.OnTimeout, enumOnTimeout) && b.OnTimeout == "stale" && b.Cache == nil {
			d.errorf(join(p, "on_timeout"), QuoteString(b.OnTimeout), `"stale" serves the cached answer: add a [%s] table (ttl = "1m")`, keyString(join(p, "cache")))
		}
		if b.Slow != nil {
			sp := join(p, "slow")
			d.checkDist(join(sp, "every"), b.Slow.Every, true, true)
			d.checkDist(join(sp, "lasting"), b.Slow.Lasting, true, false)
			d.checkDist(join(sp, "latency"), b.Slow.Latency, true, false)
		}
		if b.Cache != nil {
			d.span(join(p, "cache", "ttl"), b.Cache.TTL, false)
		}
		if !usedBackend[name] {
			d.warnf(p, "", "no class calls this backend")
		}
	}
}

func (d *scenarioDecoder) validatePool(sc *Scenario) {
	pool := &sc.Pool
	k := func(parts ...string) []string { return append([]string{"pool"}, parts...) }

	if strings.TrimSpace(pool.Name) == "" {
		d.errorf(k("name"), QuoteString(pool.Name), "must not be empty (it names the queue in the HTTPERR log)")
	}
	if d.intRange(k("queue_length"), int64(pool.QueueLength), 0, maxQueueLength) && (pool.QueueLength < 10 || pool.QueueLength > 65535) && (sc.Server == "" || sc.Server == "iis") {
		d.warnf(k("queue_length"), intText(int64(pool.QueueLength)), "IIS allows 10 to 65535; poolsim simulates it anyway")
	}
	if pool.MaxProcesses == 0 && (sc.Server == "" || sc.Server == "iis") {
		// IIS 10's maxProcesses = 0 is one worker per NUMA node.
		d.errorf(k("max_processes"), "0", "must be between 1 and %d (IIS's 0 means one worker per NUMA node: write the number of nodes)", maxProcesses)
	} else {
		d.intRange(k("max_processes"), int64(pool.MaxProcesses), 1, maxProcesses)
	}
	d.intRange(k("threads"), int64(pool.Threads), 1, maxThreads)
	d.validateSpawn(pool)
	d.checkDist(k("startup_time"), pool.StartupTime, false, false)
	if d.span(k("startup_time_limit"), pool.StartupTimeLimit, false) && pool.StartupTimeLimit > 0 {
		st := pool.StartupTime
		if (st.Kind == "constant" || st.Kind == "deterministic") && Duration(st.Mean) >= pool.StartupTimeLimit {
			d.warnf(k("startup_time"), distText(st), "every worker start takes startup_time_limit (%s) or longer and fails", pool.StartupTimeLimit)
		}
	}
	d.checkDist(k("exit_time"), pool.ExitTime, false, false)
	d.checkDist(k("start_pause"), pool.StartPause, false, false)
	d.span(k("shutdown_time_limit"), pool.ShutdownTimeLimit, false)
	d.span(k("idle_timeout"), pool.IdleTimeout, false)
	d.span(k("queue_timeout"), pool.QueueTimeout, false)
	d.oneOf(k("load_balancer"), pool.LoadBalancer, enumLoadBalancer)
	d.oneOf(k("dispatch"), pool.Dispatch, enumDispatch)
	d.oneOf(k("start_mode"), pool.StartMode, enumStartMode)
	d.oneOf(k("httperr_names"), pool.HTTPErrNames, enumHTTPErrNames)

	ping := pool.Ping
	d.span(k("ping", "interval"), ping.Interval, ping.Enabled)
	d.span(k("ping", "response_time"), ping.ResponseTime, ping.Enabled)

	rf := pool.RapidFail
	d.oneOf(k("rapid_fail", "policy"), rf.Policy, enumPolicy)
	d.intRange(k("rapid_fail", "max_crashes"), int64(rf.MaxCrashes), 1, maxCrashes)
	d.span(k("rapid_fail", "interval"), rf.Interval, rf.Enabled)
	if engine.Time(rf.RestartAfter) != engine.Never {
		d.span(k("rapid_fail", "restart_after"), rf.RestartAfter, false)
	}
	d.oneOf(k("rapid_fail", "window"), rf.Window, enumWindow)

	rc := pool.Recycle
	d.span(k("recycle", "time"), rc.Time, false)
	d.intRange(k("recycle", "requests"), rc.Requests, 0, math.MaxInt64)
	d.sizeRange(k("recycle", "private_memory"), rc.PrivateMemory)
	seen := map[TimeOfDay]bool{}
	for i, t := range rc.Schedule {
		suffix := fmt.Sprintf("[%d]", i)
		switch {
		case t < 0 || engine.Time(t) >= 24*engine.Hour:
			d.report(false, k("recycle", "schedule"), suffix, QuoteString(t.String()), timeOfDayHint)
		case seen[t]:
			d.report(true, k("recycle", "schedule"), suffix, QuoteString(t.String()), "listed twice")
		}
		seen[t] = true
	}
	if d.span(k("recycle", "jitter"), rc.Jitter, false) && rc.Jitter > 0 && rc.Time == 0 {
		d.warnf(k("recycle", "jitter"), durText(rc.Jitter), "has no effect without the time recycle trigger")
	}
	if d.intRange(k("recycle", "requests_jitter"), rc.RequestsJitter, 0, math.MaxInt64) && rc.RequestsJitter > 0 && rc.Requests == 0 {
		d.warnf(k("recycle", "requests_jitter"), intText(rc.RequestsJitter), "has no effect without the requests recycle trigger")
	}

	m := pool.Memory
	okBase := d.sizeRange(k("memory", "base"), m.Base)
	d.sizeRange(k("memory", "per_request"), m.PerRequest)
	if d.sizeRange(k("memory", "limit"), m.Limit) && okBase && m.Limit > 0 && m.Limit <= m.Base {
		d.errorf(k("memory", "limit"), QuoteString(m.Limit.String()), "must be more than memory.base (%s), or \"0MB\" for no limit: every worker would fail at start", m.Base)
	}
	if okBase && rc.PrivateMemory > 0 && rc.PrivateMemory <= m.Base {
		d.errorf(k("recycle", "private_memory"), QuoteString(rc.PrivateMemory.String()), "must be more than memory.base (%s), or \"0MB\" to disable: every worker would recycle at start", m.Base)
	}
}

func (d *scenarioDecoder) validateClient(p []string, c *Client, classes []string) {
	kindOK := false
	if c.Kind == "" {
		d.errorf(join(p, "kind"), "", `required: "poisson" (open arrivals at a rate), "polling" (count clients polling every period) or "trace" (replay a log)`)
	} else {
		kindOK = d.oneOf(join(p, "kind"), c.Kind, enumKind)
	}
	switch {
	case c.Class == "" && len(classes) > 1:
		d.errorf(join(p, "class"), "", "required: which class the requests are (one of %s)", quoteList(classes))
	case c.Class == "":
		d.errorf(join(p, "class"), "", "required: the name of the [classes.NAME] table its requests belong to")
	default:
		d.ref(join(p, "class"), c.Class, "class", "classes", classes)
	}
	d.span(join(p, "timeout"), c.Timeout, false)
	if c.URI != "" && !strings.HasPrefix(c.URI, "/") || strings.ContainsAny(c.URI, " \t\r\n") {
		d.errorf(join(p, "uri"), QuoteString(c.URI), `must start with "/" and contain no spaces`)
	}
	if !kindOK {
		return
	}
	d.validateTrace(p, c)
	switch c.Kind {
	case "poisson":
		if math.IsNaN(c.Rate) || c.Rate <= 0 || c.Rate > maxRate {
			if c.Rate == 0 && !d.given(join(p, "rate")) {
				d.errorf(join(p, "rate"), "", "required: a poisson client needs a rate, in requests per second")
			} else {
				d.errorf(join(p, "rate"), formatTOMLFloat(c.Rate), "must be more than 0 and at most %d requests per second", maxRate)
			}
		}
		if c.Count != 0 {
			d.errorf(join(p, "count"), intText(int64(c.Count)), `count is for polling clients (kind = "polling"); a poisson client has a rate`)
		}
		if c.Period != 0 {
			d.errorf(join(p, "period"), durText(c.Period), `period is for polling clients (kind = "polling"); a poisson client has a rate`)
		}
		if c.Mode != "" && c.Mode != "interval" {
			d.errorf(join(p, "mode"), QuoteString(c.Mode), `mode is for polling clients (kind = "polling")`)
		}
		d.validateProfile(join(p, "profile"), c.Profile)
	case "polling":
		if c.Count == 0 && !d.given(join(p, "count")) {
			d.errorf(join(p, "count"), "", "required: how many clients poll")
		} else {
			d.intRange(join(p, "count"), int64(c.Count), 1, maxPollers)
		}
		if c.Period == 0 && !d.given(join(p, "period")) {
			d.errorf(join(p, "period"), "", `required: how often each client polls, such as "5s"`)
		} else {
			d.span(join(p, "period"), c.Period, true)
		}
		if c.Mode != "" { // "": interval, for scenarios built in code
			d.oneOf(join(p, "mode"), c.Mode, enumMode)
		}
		if c.Rate != 0 {
			d.errorf(join(p, "rate"), formatTOMLFloat(c.Rate), `rate is for poisson clients; a polling client polls count times every period`)
		}
		if len(c.Profile) > 0 {
			d.errorf(join(p, "profile"), "", `profile is for poisson clients`)
		}
	}
}

func (d *scenarioDecoder) validateProfile(path []string, profile []ProfilePoint) {
	allZero := len(profile) > 0
	for i, pt := range profile {
		suffix := fmt.Sprintf("[%d]", i)
		text, _ := pt.MarshalTOML()
		switch {
		case pt.At < 0 || engine.Time(pt.At) >= 24*engine.Hour:
			d.report(false, path, suffix, string(text), timeOfDayHint)
		case i > 0 && pt.At <= profile[i-1].At:
			d.report(false, path, suffix, string(text), fmt.Sprintf("times must increase: %s does not come after %s", pt.At, profile[i-1].At))
		case math.IsNaN(pt.Factor) || pt.Factor < 0 || pt.Factor > maxFactor:
			d.report(false, path, suffix, string(text), fmt.Sprintf("the rate multiplier must be between 0 and %g", maxFactor))
		}
		if pt.Factor != 0 {
			allZero = false
		}
	}
	if allZero {
		d.warnf(path, "", "every rate multiplier is 0: the client sends nothing")
	}
}
