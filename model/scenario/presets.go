package scenario

import (
	"math"
	"reflect"

	"github.com/poolsim/poolsim/engine"
)

// Server presets (docs/model.md, "Servers"). The top-level key server
// selects whose pool the scenario describes. "iis" (the default) keeps
// [NewScenario]'s defaults. "php-fpm", "gunicorn" and "uwsgi" take their
// settings in the server's own words, from the table of the same name
// ([php_fpm], [gunicorn], [uwsgi]), each key defaulting as the server does,
// and translate them into the pool's keys. A pool key the file writes
// itself wins over the preset; writing both a server's key and the pool key
// it sets is an error.

// PHPFPM is a php-fpm pool (php-fpm.conf / www.conf), with php-fpm's
// defaults from fpm_conf.c and Debian's www.conf.
type PHPFPM struct {
	PM                        string   `toml:"pm"`     // static | dynamic | ondemand
	Listen                    string   `toml:"listen"` // a unix socket path, or [address:]port (TCP)
	MaxChildren               int      `toml:"max_children"`
	StartServers              int      `toml:"start_servers"`
	MinSpareServers           int      `toml:"min_spare_servers"`
	MaxSpareServers           int      `toml:"max_spare_servers"`
	ProcessIdleTimeout        Duration `toml:"process_idle_timeout"`
	MaxRequests               int64    `toml:"max_requests"`
	RequestTerminateTimeout   Duration `toml:"request_terminate_timeout"`
	ListenBacklog             int      `toml:"listen_backlog"`
	EmergencyRestartThreshold int      `toml:"emergency_restart_threshold"`
	EmergencyRestartInterval  Duration `toml:"emergency_restart_interval"`
	ProcessControlTimeout     Duration `toml:"process_control_timeout"`
}

// NewPHPFPM returns php-fpm's defaults: Debian's www.conf (pm = dynamic,
// max_children 5, start_servers 2, spare servers 1–3), and fpm_conf.c for
// the rest: process_idle_timeout 10 s, listen.backlog 511, no
// max_requests, no request_terminate_timeout, no emergency restart,
// process_control_timeout 0; listen on a unix socket, as Debian's www.conf
// (/run/php/php8.2-fpm.sock; php-fpm itself has no default).
func NewPHPFPM() *PHPFPM {
	return &PHPFPM{PM: "dynamic", Listen: "/run/php/php-fpm.sock", MaxChildren: 5, StartServers: 2, MinSpareServers: 1, MaxSpareServers: 3,
		ProcessIdleTimeout: Duration(10 * engine.Second), ListenBacklog: 511}
}

// Gunicorn is a gunicorn server (its settings, docs.gunicorn.org).
type Gunicorn struct {
	Bind              string   `toml:"bind"` // "127.0.0.1:8000" (TCP) or "unix:PATH"
	Workers           int      `toml:"workers"`
	Threads           int      `toml:"threads"`
	Backlog           int      `toml:"backlog"`
	Timeout           Duration `toml:"timeout"`
	GracefulTimeout   Duration `toml:"graceful_timeout"`
	MaxRequests       int64    `toml:"max_requests"`
	MaxRequestsJitter int64    `toml:"max_requests_jitter"`
}

// NewGunicorn returns gunicorn's defaults (gunicorn/config.py): bind
// 127.0.0.1:8000, 1 sync worker, backlog 2048, timeout 30 s,
// graceful_timeout 30 s, no max_requests.
func NewGunicorn() *Gunicorn {
	return &Gunicorn{Bind: "127.0.0.1:8000", Workers: 1, Threads: 1, Backlog: 2048,
		Timeout: Duration(30 * engine.Second), GracefulTimeout: Duration(30 * engine.Second)}
}

// UWSGI is a uWSGI server (its options, uwsgi-docs.readthedocs.io).
type UWSGI struct {
	Socket      string   `toml:"socket"` // "127.0.0.1:3031" (TCP) or a unix socket path
	Processes   int      `toml:"processes"`
	Threads     int      `toml:"threads"`
	Listen      int      `toml:"listen"`
	Harakiri    Duration `toml:"harakiri"`
	MaxRequests int64    `toml:"max_requests"`
	ReloadOnRSS Size     `toml:"reload_on_rss"`
	// The cheaper subsystem (cheaper.go): cheaper = 0 runs every process.
	Cheaper         int    `toml:"cheaper"`
	CheaperInitial  int    `toml:"cheaper_initial"`
	CheaperStep     int    `toml:"cheaper_step"`
	CheaperAlgo     string `toml:"cheaper_algo"`
	CheaperOverload int    `toml:"cheaper_overload"`
}

// NewUWSGI returns uWSGI's defaults (core/uwsgi.c, core/init.c): one
// process, one thread, listen 100, no harakiri, no max-requests, no
// reload-on-rss, no cheaper subsystem (cheaper-initial then defaults to
// cheaper, cheaper-step to 1, the spare algorithm, cheaper-overload 3); a
// unix socket behind nginx.
func NewUWSGI() *UWSGI {
	return &UWSGI{Socket: "/run/uwsgi/app.sock", Processes: 1, Threads: 1, Listen: 100,
		CheaperStep: 1, CheaperAlgo: "spare", CheaperOverload: 3}
}

var enumServer = []string{"iis", "php-fpm", "gunicorn", "uwsgi"}

// The measured or assumed values the presets use beyond the servers' own
// settings.
const (
	// phpRespawn is php-fpm's respawn downtime, from a child's death (the
	// client's 502) to its replacement's first request, for a request that
	// was waiting: measured inside validation/run.sh fpm-crash (loadgen's
	// downtime_ms, 4 static children, 2026-11-28): run means 1.4–2.8 ms
	// under SCHED_FIFO (6 runs, 63 respawns, pooled 2.3 ms) and 1.7–3.6 ms
	// at nice −5 (3 runs, 31 respawns, pooled 2.9 ms), medians 1.3–2.9 ms.
	// The 11.9 ms of ../shared/research/real-pools.md was a difference of
	// two curl latency means on a quiet machine with one child (the pair
	// method), which today gives −3.6 ± 16 ms: it cannot resolve a few ms
	// (docs/model.md, php-fpm).
	phpRespawn = 2500 * engine.Microsecond
	// phpReExec is php-fpm's reload from the master's exec to "ready to
	// handle connections" (measured 70–80 ms).
	phpReExec = 75 * engine.Millisecond
	// phpMinHeartbeat is php-fpm's FPM_PCTL_MIN_HEARTBEAT (fpm_process_ctl.h).
	phpMinHeartbeat = 130 * engine.Millisecond
	// arbiterTick is how often gunicorn's arbiter and uWSGI's master check
	// their workers' timeouts (gunicorn: the arbiter sleeps at most 1 s
	// between murder_workers; uWSGI: the master's cycle of 1 s). Measured
	// for gunicorn with timeout = 2 s: hung requests ended 2.16–3.15 s after
	// their start, mean 2.64 s (docs/validation.md, gun-timeout).
	arbiterTick = engine.Second
	// pythonBoot is a forked Python worker's boot, from its fork to its
	// first request: measured 3.9 ms (mean, ± 4.1) for gunicorn 20.1 sync
	// workers of a small WSGI application after a crash (docs/validation.md,
	// gun-crash); uWSGI, which forks from its master the same way, is
	// assumed alike. A large application imported after the fork (gunicorn
	// without --preload, uWSGI with lazy-apps) takes its import time more:
	// set pool.startup_time.
	pythonBoot = 4 * engine.Millisecond
	// pythonExit is a gunicorn sync worker's exit after its max_requests-th
	// request, before the arbiter forks its replacement: the interpreter's
	// finalisation after sys.exit(0) (docs/model.md#exit-time). Measured
	// inside validation/run.sh gun-recycle (4 workers, 11 recycles a
	// second, 70 % load; 5 runs, 2026-11-28 10:59 and 11:11 UTC): from a
	// worker's "Worker exiting" line to its replacement's "Booting worker"
	// when the arbiter was not in its pause after a fork, median 59–65 ms
	// (n = 107), less the 2.6–3.2 ms the same log lines take after a
	// SIGKILL (gun-crash): 58 ms. On a quiet machine it is shorter:
	// validation/facts.sh (one worker, 40 pairs, 11:03 UTC) found a
	// recycle's downtime 52.3 ± 8.1 ms and a SIGKILL's 6.0 ± 2.5 ms, 46 ms
	// apart. uWSGI's worker runs Py_Finalize at its exit too, and is
	// assumed alike.
	pythonExit = 58 * engine.Millisecond
	// arbiterPause is gunicorn's arbiter's sleep after each fork,
	// time.sleep(0.1 * random.random()) in spawn_workers (arbiter.py, 20.1
	// and since), during which it forks no other worker.
	arbiterPause = 100 * engine.Millisecond
	// phpExit is a php-fpm child's exit after pm.max_requests (its
	// php_module_shutdown) until the master reaps it: measured inside
	// validation/run.sh fpm-recycle (5 runs, 772 recycles at 11 a second;
	// 2026-11-28 10:59 and 11:11 UTC) from the client's receipt of a
	// child's last response to the master's "child N exited with code 0":
	// median 4.4–5.2 ms per run (docs/model.md#exit-time).
	phpExit = 5 * engine.Millisecond
	// phpOverhead and pythonOverhead are the time a request holds its
	// worker beyond the application's own: the worker's turnaround between
	// two requests when the next one was already waiting (writing the
	// answer, closing, accepting and parsing the next), plus the
	// application's overrun of its sleep, from the application's own clock
	// (validation/loadgen turnarounds; docs/validation.md "How a run
	// works"). validation/run.sh, 2026-11-28 11:51 and 12:05 UTC, servers
	// under SCHED_FIFO, 3 runs per case: php-fpm 8.2 0.33–0.48 ms per case
	// (load cases 0.38–0.48), gunicorn 20.1 sync workers 0.67–0.87 ms
	// (load cases 0.67–0.74; 1.6–1.7 ms while workers recycle 11 times a
	// second). The client's path outside the pool (nginx, 0.26–0.53 ms) is
	// not part of it: poolsim's response times are the pool's. uWSGI is
	// assumed alike to gunicorn.
	phpOverhead    = 450 * engine.Microsecond
	pythonOverhead = 750 * engine.Microsecond
)

// applyServer fills the pool's keys from the server's preset, where the
// file leaves them out. Without a file (Validate), nothing is applied.
func (d *scenarioDecoder) applyServer(sc *Scenario) {
	if d.raw == nil {
		return
	}
	if sc.Server == "" {
		sc.Server = "iis"
	}
	if !d.oneOf([]string{"server"}, sc.Server, enumServer) {
		return
	}
	tables := []struct {
		key, server string
		present     bool
	}{{"php_fpm", "php-fpm", sc.PHPFPM != nil}, {"gunicorn", "gunicorn", sc.Gunicorn != nil}, {"uwsgi", "uwsgi", sc.UWSGI != nil}}
	for _, t := range tables {
		if t.present && sc.Server != t.server {
			d.errorf([]string{t.key}, "", "is for server = %q; this scenario's server is %q", t.server, sc.Server)
		}
	}
	switch sc.Server {
	case "php-fpm":
		sc.PHPFPM = fillVocabulary(d, "php_fpm", sc.PHPFPM, NewPHPFPM())
		d.presetPHPFPM(sc)
	case "gunicorn":
		sc.Gunicorn = fillVocabulary(d, "gunicorn", sc.Gunicorn, NewGunicorn())
		d.presetGunicorn(sc)
	case "uwsgi":
		sc.UWSGI = fillVocabulary(d, "uwsgi", sc.UWSGI, NewUWSGI())
		d.presetUWSGI(sc)
	}
	if sc.Server != "iis" {
		d.presetBehindNginx(sc) // presets_nginx.go
	}
}

// fillVocabulary returns the server's table with every key the file left
// out at the server's default.
func fillVocabulary[T any](d *scenarioDecoder, key string, got, defaults *T) *T {
	if got == nil {
		return defaults
	}
	gv, dv := reflect.ValueOf(got).Elem(), reflect.ValueOf(defaults).Elem()
	names, index := tomlFields(gv.Type())
	for _, n := range names {
		if !d.given([]string{key, n}) {
			gv.Field(index[n]).Set(dv.Field(index[n]))
		}
	}
	return got
}

// preset sets one pool key from a server setting (from, "" for a server
// default that no setting names), unless the file writes the pool key.
type preset struct {
	d      *scenarioDecoder
	table  string
	server string
	pool   *Pool
}

func (p preset) set(poolKey []string, from string, apply func()) {
	path := append([]string{"pool"}, poolKey...)
	if from != "" && p.d.related(keyString([]string{p.table, from})) {
		// The server's key is wrong and said so: say nothing of the pool
		// key it would set.
		p.d.failed[keyString(path)] = true
		return
	}
	if !p.d.given(path) {
		apply()
		if from != "" && p.d.given([]string{p.table, from}) {
			p.d.setBy[keyString(path)] = []string{p.table, from}
		}
		return
	}
	if from == "" || !p.d.given([]string{p.table, from}) {
		return
	}
	// Both written: fine when they agree (a scenario.toml written with
	// every value in effect), an error otherwise.
	pool := p.pool
	written := *pool
	apply()
	agree := reflect.DeepEqual(written, *pool)
	*pool = written
	if !agree {
		p.d.errorf(path, p.d.written[keyString(path)], "disagrees with %s, which sets it for server = %q: set one of them", keyString([]string{p.table, from}), p.server)
	}
}

// heartbeat is php-fpm's timeout check period: a third of the limit in
// milliseconds, at least FPM_PCTL_MIN_HEARTBEAT (fpm_conf.c).
func PHPHeartbeat(limit engine.Time) engine.Time {
	return max(limit/3/engine.Millisecond*engine.Millisecond, phpMinHeartbeat)
}

// presetPHPFPM checks the [php_fpm] table and sets the pool's keys from it.
func (d *scenarioDecoder) presetPHPFPM(sc *Scenario) {
	f, p := sc.PHPFPM, &sc.Pool
	d.checkPHPFPM(f)
	d.warnPHPFPM(f) // phpfpmwarn.go
	d.applyPHPFPM(f, p)
}

// checkPHPFPM checks the [php_fpm] table's values as php-fpm's own
// configuration check does (fpm_conf.c).
func (d *scenarioDecoder) checkPHPFPM(f *PHPFPM) {
	d.oneOf([]string{"php_fpm", "pm"}, f.PM, []string{"static", "dynamic", "ondemand"})
	if f.Listen == "" {
		d.errorf([]string{"php_fpm", "listen"}, `""`, "want a unix socket path (\"/run/php/php-fpm.sock\") or a TCP [address:]port (\"127.0.0.1:9000\")")
	}
	d.intRange([]string{"php_fpm", "max_children"}, int64(f.MaxChildren), 1, maxProcesses)
	if f.PM == "dynamic" {
		// fpm_conf.c refuses these.
		okMin := d.intRange([]string{"php_fpm", "min_spare_servers"}, int64(f.MinSpareServers), 1, int64(max(f.MaxChildren, 1)))
		if d.intRange([]string{"php_fpm", "max_spare_servers"}, int64(f.MaxSpareServers), 1, int64(max(f.MaxChildren, 1))) && okMin && f.MaxSpareServers < f.MinSpareServers {
			d.errorf([]string{"php_fpm", "max_spare_servers"}, intText(int64(f.MaxSpareServers)), "must be at least min_spare_servers (%d)", f.MinSpareServers)
		}
		if f.StartServers < f.MinSpareServers || f.StartServers > f.MaxSpareServers {
			d.errorf([]string{"php_fpm", "start_servers"}, intText(int64(f.StartServers)), "must be between min_spare_servers and max_spare_servers (%d and %d)", f.MinSpareServers, f.MaxSpareServers)
		}
	}
	d.intRange([]string{"php_fpm", "listen_backlog"}, int64(f.ListenBacklog), -1, maxQueueLength-1) // -1: the kernel's maximum
	d.intRange([]string{"php_fpm", "max_requests"}, f.MaxRequests, 0, math.MaxInt64)
	d.intRange([]string{"php_fpm", "emergency_restart_threshold"}, int64(f.EmergencyRestartThreshold), 0, maxCrashes)
	d.span([]string{"php_fpm", "request_terminate_timeout"}, f.RequestTerminateTimeout, false)
	d.span([]string{"php_fpm", "emergency_restart_interval"}, f.EmergencyRestartInterval, false)
	d.span([]string{"php_fpm", "process_control_timeout"}, f.ProcessControlTimeout, false)
	d.span([]string{"php_fpm", "process_idle_timeout"}, f.ProcessIdleTimeout, f.PM == "ondemand")
}

// applyPHPFPM sets the pool's keys from the [php_fpm] table, where the
// file leaves them out.
func (d *scenarioDecoder) applyPHPFPM(f *PHPFPM, p *Pool) {
	s := preset{d, "php_fpm", "php-fpm", p}
	if f.PM == "dynamic" {
		p.Spawn = Spawn{Mode: "dynamic", Start: f.StartServers, MinSpare: f.MinSpareServers, MaxSpare: f.MaxSpareServers}
	}
	// pm = static forks every child at start and replaces a dead one at
	// once (fpm_children_make; measured).
	s.set([]string{"start_mode"}, "pm", func() {
		p.StartMode = "on_demand"
		if f.PM == "static" {
			p.StartMode = "all_at_once"
		}
	})
	s.set([]string{"threads"}, "", func() { p.Threads = 1 })
	// The pool of Debian's www.conf is [www]; its log lines say so.
	s.set([]string{"name"}, "", func() { p.Name = "www" })
	s.set([]string{"max_processes"}, "max_children", func() { p.MaxProcesses = f.MaxChildren })
	// A unix socket with listen.backlog = K queues K+1 connections
	// (measured), capped by net.core.somaxconn = 4096.
	// -1 is listen(2)'s maximum: a negative backlog is somaxconn
	// (fpm_sockets.h; later PHP versions' default on Linux).
	s.set([]string{"queue_length"}, "listen_backlog", func() {
		k := f.ListenBacklog
		if k < 0 {
			k = 4096
		}
		p.QueueLength = min(k, 4096) + 1
	})
	// A full unix-socket backlog refuses at once (EAGAIN: nginx 502); a full
	// TCP backlog drops SYNs until nginx's fastcgi_connect_timeout (60 s)
	// answers 504, as for gunicorn's bind.
	unix := socketIsUnix(f.Listen)
	s.set([]string{"on_queue_full"}, "", func() {
		p.OnQueueFull = "reject"
		if !unix {
			p.OnQueueFull = "syn_retry"
		}
	})
	s.set([]string{"connect_timeout"}, "", func() {
		if !unix {
			p.ConnectTimeout = Duration(60 * engine.Second)
		}
	})
	// nginx's fastcgi_read_timeout (60 s) counts the wait in the backlog
	// and answers 504 (measured).
	s.set([]string{"queue_timeout"}, "", func() { p.QueueTimeout = Duration(60 * engine.Second) })
	s.set([]string{"startup_time"}, "", func() { p.StartupTime = Const(phpRespawn) })
	s.set([]string{"exit_time"}, "", func() { p.ExitTime = Const(phpExit) })
	s.set([]string{"request_overhead"}, "", func() { p.RequestOverhead = Duration(phpOverhead) })
	s.set([]string{"startup_time_limit"}, "", func() { p.StartupTimeLimit = 0 })
	// process_control_timeout = 0 is no time at all, not "no limit": the
	// SIGTERM comes at the master's next pass through its timers
	// (docs/model.md#pool-wide-reload). A limit the file writes itself
	// is kept as one.
	s.set([]string{"shutdown_time_limit"}, "process_control_timeout", func() { p.ShutdownTimeLimit = f.ProcessControlTimeout })
	s.set([]string{"shutdown_kill"}, "process_control_timeout", func() {
		p.ShutdownKill = "at_limit"
		if p.ShutdownTimeLimit == 0 {
			p.ShutdownKill = "next_wakeup"
		}
	})
	s.set([]string{"idle_timeout"}, "process_idle_timeout", func() {
		p.IdleTimeout = 0
		if f.PM == "ondemand" {
			p.IdleTimeout = f.ProcessIdleTimeout
		}
	})
	s.set([]string{"ping", "enabled"}, "", func() { p.Ping.Enabled = false })
	s.set([]string{"execution_timeout"}, "request_terminate_timeout", func() { p.ExecutionTimeout = f.RequestTerminateTimeout })
	s.set([]string{"on_execution_timeout"}, "", func() { p.OnExecutionTimeout = "kill_worker" })
	s.set([]string{"execution_timeout_check"}, "", func() {
		if f.RequestTerminateTimeout > 0 {
			p.ExecutionTimeoutCheck = Duration(PHPHeartbeat(f.RequestTerminateTimeout.T()))
		}
	})
	s.set([]string{"recycle", "time"}, "", func() { p.Recycle.Time = 0 })
	s.set([]string{"recycle", "requests"}, "max_requests", func() { p.Recycle.Requests = f.MaxRequests })
	s.set([]string{"recycle", "overlapping"}, "", func() { p.Recycle.Overlapping = false })
	// A reload (SIGUSR2, an emergency restart) stops every child, then
	// re-execs the master (measured: 70–80 ms from exec to ready).
	s.set([]string{"reload"}, "", func() { p.Reload = "pool_wide" })
	s.set([]string{"reload_delay"}, "", func() { p.ReloadDelay = Duration(phpReExec) })
	on := f.EmergencyRestartThreshold > 0 && f.EmergencyRestartInterval > 0
	s.set([]string{"rapid_fail", "policy"}, "", func() { p.RapidFail.Policy = "emergency_restart" })
	s.set([]string{"rapid_fail", "enabled"}, "emergency_restart_threshold", func() { p.RapidFail.Enabled = on })
	s.set([]string{"rapid_fail", "max_crashes"}, "emergency_restart_threshold", func() {
		p.RapidFail.MaxCrashes = max(f.EmergencyRestartThreshold, 1)
	})
	s.set([]string{"rapid_fail", "interval"}, "emergency_restart_interval", func() { p.RapidFail.Interval = f.EmergencyRestartInterval })
	s.set([]string{"dispatch"}, "", func() { p.Dispatch = "least_busy" }) // an idle child accepts
}

// socketIsUnix reports whether a php-fpm listen, gunicorn bind or uWSGI
// socket is a unix socket.
func socketIsUnix(addr string) bool {
	return len(addr) > 0 && (addr[0] == '/' || len(addr) > 5 && addr[:5] == "unix:")
}

// pythonPreset is what gunicorn and uWSGI share: pre-forked workers, each
// with its threads, replaced at once by the master; no ping, no
// rapid-fail, no periodic or idle recycle; a full TCP backlog drops SYNs, a
// full unix socket backlog refuses (nginx: 502).
func (s preset) pythonPreset(p *Pool, unix bool, timeout Duration) {
	s.set([]string{"startup_time"}, "", func() { p.StartupTime = Const(pythonBoot) })
	s.set([]string{"exit_time"}, "", func() { p.ExitTime = Const(pythonExit) })
	s.set([]string{"request_overhead"}, "", func() { p.RequestOverhead = Duration(pythonOverhead) })
	s.set([]string{"startup_time_limit"}, "", func() { p.StartupTimeLimit = 0 })
	s.set([]string{"idle_timeout"}, "", func() { p.IdleTimeout = 0 })
	s.set([]string{"queue_timeout"}, "", func() { p.QueueTimeout = 0 })
	s.set([]string{"ping", "enabled"}, "", func() { p.Ping.Enabled = false })
	s.set([]string{"rapid_fail", "enabled"}, "", func() { p.RapidFail.Enabled = false })
	s.set([]string{"recycle", "time"}, "", func() { p.Recycle.Time = 0 })
	s.set([]string{"recycle", "overlapping"}, "", func() { p.Recycle.Overlapping = false })
	s.set([]string{"execution_timeout_check"}, "", func() {
		if timeout > 0 {
			p.ExecutionTimeoutCheck = Duration(arbiterTick)
		}
	})
	s.set([]string{"on_queue_full"}, "", func() {
		p.OnQueueFull = "syn_retry"
		if unix {
			p.OnQueueFull = "reject"
		}
	})
	s.set([]string{"connect_timeout"}, "", func() { p.ConnectTimeout = Duration(60 * engine.Second) }) // nginx proxy_connect_timeout
}

func (d *scenarioDecoder) presetGunicorn(sc *Scenario) {
	g, p := sc.Gunicorn, &sc.Pool
	s := preset{d, "gunicorn", "gunicorn", p}
	k := func(n string) []string { return []string{"gunicorn", n} }
	d.intRange(k("workers"), int64(g.Workers), 1, maxProcesses)
	d.intRange(k("threads"), int64(g.Threads), 1, maxThreads)
	d.intRange(k("backlog"), int64(g.Backlog), 0, maxQueueLength-1)
	d.span(k("timeout"), g.Timeout, false)
	d.span(k("graceful_timeout"), g.GracefulTimeout, false)
	d.intRange(k("max_requests"), g.MaxRequests, 0, math.MaxInt64)
	d.intRange(k("max_requests_jitter"), g.MaxRequestsJitter, 0, math.MaxInt64)
	// threads > 1 runs the gthread worker, whose main loop notifies the
	// arbiter while its threads run requests: the timeout "is not tied to
	// the length of time required to handle a single request" (gunicorn's
	// settings, timeout and threads).
	limit := g.Timeout
	if g.Threads > 1 {
		limit = 0
		if d.given(k("timeout")) && g.Timeout > 0 {
			d.warnf(k("timeout"), durText(g.Timeout), "does not end long requests with threads = %d: the gthread worker's main loop keeps notifying the arbiter (gunicorn's settings, timeout)", g.Threads)
		}
	}
	s.pythonPreset(p, socketIsUnix(g.Bind), limit)
	// The arbiter's timeout sends SIGABRT, which the worker handles: its
	// requests end at once, then it exits (docs/model.md#execution-time-limit).
	s.set([]string{"on_execution_timeout"}, "", func() { p.OnExecutionTimeout = "exit_worker" })
	// The arbiter forks every worker at start and one for each that exits
	// (manage_workers).
	s.set([]string{"start_mode"}, "", func() { p.StartMode = "all_at_once" })
	s.set([]string{"max_processes"}, "workers", func() { p.MaxProcesses = g.Workers })
	s.set([]string{"threads"}, "threads", func() { p.Threads = g.Threads })
	// Linux queues backlog+1 (sk_acceptq_is_full compares with >), capped
	// by net.core.somaxconn = 4096.
	s.set([]string{"queue_length"}, "backlog", func() { p.QueueLength = min(g.Backlog, 4096) + 1 })
	s.set([]string{"execution_timeout"}, "timeout", func() { p.ExecutionTimeout = limit })
	s.set([]string{"shutdown_time_limit"}, "graceful_timeout", func() { p.ShutdownTimeLimit = g.GracefulTimeout })
	// The arbiter kills at graceful_timeout only when it stops
	// (Arbiter.stop); a HUP's SIGTERM and a max_requests exit are unbounded.
	s.set([]string{"shutdown_kill"}, "", func() { p.ShutdownKill = "at_stop" })
	// A HUP forks the new workers, then stops the old (Arbiter.reload).
	s.set([]string{"reload"}, "", func() { p.Reload = "fork_first" })
	s.set([]string{"recycle", "requests"}, "max_requests", func() { p.Recycle.Requests = g.MaxRequests })
	s.set([]string{"recycle", "requests_jitter"}, "max_requests_jitter", func() { p.Recycle.RequestsJitter = g.MaxRequestsJitter })
	s.set([]string{"start_pause"}, "", func() { p.StartPause = Dist{Kind: "uniform", Max: arbiterPause} })
}

func (d *scenarioDecoder) presetUWSGI(sc *Scenario) {
	u, p := sc.UWSGI, &sc.Pool
	s := preset{d, "uwsgi", "uwsgi", p}
	k := func(n string) []string { return []string{"uwsgi", n} }
	d.intRange(k("processes"), int64(u.Processes), 1, maxProcesses)
	d.intRange(k("threads"), int64(u.Threads), 1, maxThreads)
	d.intRange(k("listen"), int64(u.Listen), 0, maxQueueLength-1)
	d.span(k("harakiri"), u.Harakiri, false)
	d.intRange(k("max_requests"), u.MaxRequests, 0, math.MaxInt64)
	d.sizeRange(k("reload_on_rss"), u.ReloadOnRSS)
	s.pythonPreset(p, socketIsUnix(u.Socket), u.Harakiri)
	// harakiri: the master kills the worker.
	s.set([]string{"on_execution_timeout"}, "", func() { p.OnExecutionTimeout = "kill_worker" })
	s.set([]string{"max_processes"}, "processes", func() { p.MaxProcesses = u.Processes })
	d.presetCheaper(u, p, s)
	s.set([]string{"threads"}, "threads", func() { p.Threads = u.Threads })
	s.set([]string{"queue_length"}, "listen", func() { p.QueueLength = min(u.Listen, 4096) + 1 })
	s.set([]string{"execution_timeout"}, "harakiri", func() { p.ExecutionTimeout = u.Harakiri })
	s.set([]string{"recycle", "requests"}, "max_requests", func() { p.Recycle.Requests = u.MaxRequests })
	s.set([]string{"recycle", "private_memory"}, "reload_on_rss", func() { p.Recycle.PrivateMemory = u.ReloadOnRSS })
	// uWSGI's graceful reload waits for the request (worker-reload-mercy,
	// 60 s).
	s.set([]string{"shutdown_time_limit"}, "", func() { p.ShutdownTimeLimit = Duration(60 * engine.Second) })
}
