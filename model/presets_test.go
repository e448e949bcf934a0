package model

import (
	"reflect"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

const phpFPMScenario = `
server  = "php-fpm"
horizon = "1h"
[php_fpm]
pm = "static"
max_children = 4
listen_backlog = 8
max_requests = 500
request_terminate_timeout = "30s"
emergency_restart_threshold = 3
emergency_restart_interval = "10s"
[classes.page]
service = "50ms"
[clients.users]
kind = "poisson"
rate = 20.0
`

// TestPresetPHPFPM checks the php-fpm preset's translation into the pool's
// keys, each from php-fpm's source or a measurement: one request per
// child, pm.max_children children, a backlog of K queuing K+1 (measured),
// request_terminate_timeout killing the child on a third-of-the-limit
// heartbeat (fpm_conf.c, measured 333 ms for 1 s), pm.max_requests
// recycling without overlap, no ping, the emergency restart counting only
// crashes (SIGSEGV/SIGBUS, fpm_children.c), nginx's 60 s read timeout on
// the backlog, a 2.5 ms respawn (measured).
func TestPresetPHPFPM(t *testing.T) {
	sc := decodeText(t, phpFPMScenario)
	p := sc.Pool
	checks := []struct {
		key       string
		got, want any
	}{
		{"threads", p.Threads, 1},
		{"max_processes", p.MaxProcesses, 4},
		{"queue_length", p.QueueLength, 9},
		{"on_queue_full", p.OnQueueFull, "reject"},
		{"queue_timeout", p.QueueTimeout, scenario.Duration(60 * engine.Second)},
		{"startup_time", p.StartupTime, scenario.Const(2500 * engine.Microsecond)},
		// process_control_timeout = 0: no time, the master's next pass.
		{"shutdown_time_limit", p.ShutdownTimeLimit, scenario.Duration(0)},
		{"shutdown_kill", p.ShutdownKill, "next_wakeup"},
		{"idle_timeout", p.IdleTimeout, scenario.Duration(0)},
		{"ping.enabled", p.Ping.Enabled, false},
		{"execution_timeout", p.ExecutionTimeout, scenario.Duration(30 * engine.Second)},
		{"on_execution_timeout", p.OnExecutionTimeout, "kill_worker"},
		{"execution_timeout_check", p.ExecutionTimeoutCheck, scenario.Duration(10 * engine.Second)},
		{"recycle.time", p.Recycle.Time, scenario.Duration(0)},
		{"recycle.requests", p.Recycle.Requests, int64(500)},
		{"recycle.overlapping", p.Recycle.Overlapping, false},
		{"reload", p.Reload, "pool_wide"},
		{"reload_delay", p.ReloadDelay, scenario.Duration(75 * engine.Millisecond)},
		{"start_mode", p.StartMode, "all_at_once"},
		{"rapid_fail", p.RapidFail, scenario.RapidFail{Policy: "emergency_restart", Enabled: true, MaxCrashes: 3,
			Interval: scenario.Duration(10 * engine.Second), RestartAfter: scenario.Duration(engine.Never), Window: "sliding", Counts: "supervisor"}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("pool.%s = %v, want %v", c.key, c.got, c.want)
		}
	}
	// A process_control_timeout is a limit like any other.
	if pct := decodeText(t, phpFPMScenario, `php_fpm.process_control_timeout="5s"`).Pool; pct.ShutdownTimeLimit != scenario.Duration(5*engine.Second) || pct.ShutdownKill != "at_limit" {
		t.Errorf("process_control_timeout 5s: shutdown_time_limit %v shutdown_kill %q, want 5s at_limit", pct.ShutdownTimeLimit, pct.ShutdownKill)
	}
	// A pool.shutdown_time_limit written in the file is a limit too.
	if own := decodeText(t, phpFPMScenario, `pool.shutdown_time_limit="50ms"`).Pool; own.ShutdownKill != "at_limit" {
		t.Errorf("pool.shutdown_time_limit 50ms: shutdown_kill %q, want at_limit", own.ShutdownKill)
	}
	// ondemand children exit after process_idle_timeout (10 s by default).
	od := decodeText(t, phpFPMScenario, `php_fpm.pm="ondemand"`)
	if od.Pool.IdleTimeout != scenario.Duration(10*engine.Second) {
		t.Errorf("ondemand: idle_timeout %v, want 10s", od.Pool.IdleTimeout)
	}
	// The heartbeat has a floor of 130 ms (FPM_PCTL_MIN_HEARTBEAT).
	if got := scenario.PHPHeartbeat(engine.Second / 10); got != 130*engine.Millisecond {
		t.Errorf("heartbeat for 100 ms: %v, want 130ms", got)
	}
}

// TestPresetDefaults checks each server's defaults as its own source gives
// them, translated into the pool.
func TestPresetDefaults(t *testing.T) {
	base := "\n[classes.page]\nservice = \"50ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n"
	for _, c := range []struct {
		server                  string
		processes, threads, que int
		full                    string
		exec                    engine.Time
		check                   engine.Time
		shutdown                engine.Time
	}{
		// IIS: NewScenario's defaults.
		{"iis", 1, 25, 1000, "reject", 0, 0, 90 * engine.Second},
		// php-fpm: Debian's www.conf max_children 5; backlog 511 → 512.
		// process_control_timeout 0 (shutdown_kill next_wakeup).
		{"php-fpm", 5, 1, 512, "reject", 0, 0, 0},
		// gunicorn: 1 sync worker, backlog 2048 → 2049 over TCP, timeout 30 s,
		// graceful_timeout 30 s.
		{"gunicorn", 1, 1, 2049, "syn_retry", 30 * engine.Second, engine.Second, 30 * engine.Second},
		// uWSGI: 1 process, listen 100 → 101 on a unix socket, no harakiri.
		{"uwsgi", 1, 1, 101, "reject", 0, 0, 60 * engine.Second},
	} {
		sc := decodeText(t, "server = \""+c.server+"\""+base)
		p := sc.Pool
		if p.MaxProcesses != c.processes || p.Threads != c.threads || p.QueueLength != c.que || p.OnQueueFull != c.full ||
			p.ExecutionTimeout.T() != c.exec || p.ExecutionTimeoutCheck.T() != c.check || p.ShutdownTimeLimit.T() != c.shutdown {
			t.Errorf("%s: processes %d threads %d queue %d on_queue_full %s execution_timeout %v check %v shutdown %v, want %+v",
				c.server, p.MaxProcesses, p.Threads, p.QueueLength, p.OnQueueFull, p.ExecutionTimeout, p.ExecutionTimeoutCheck, p.ShutdownTimeLimit, c)
		}
	}
	// php-fpm's listen follows the same rule as gunicorn's bind: a TCP
	// address drops SYNs until nginx's fastcgi_connect_timeout (60 s).
	for _, c := range []struct {
		listen, full string
		connect      engine.Time
	}{{"/run/php/php8.2-fpm.sock", "reject", 0}, {"127.0.0.1:9000", "syn_retry", 60 * engine.Second}, {"9000", "syn_retry", 60 * engine.Second}} {
		sc := decodeText(t, "server = \"php-fpm\""+base+"[php_fpm]\nlisten = \""+c.listen+"\"\n")
		if sc.Pool.OnQueueFull != c.full || sc.Pool.ConnectTimeout.T() != c.connect {
			t.Errorf("php-fpm listen = %q: on_queue_full %q connect_timeout %v, want %q %v", c.listen, sc.Pool.OnQueueFull, sc.Pool.ConnectTimeout, c.full, c.connect)
		}
	}
	// listen.backlog = -1 is listen(2)'s maximum, net.core.somaxconn
	// (4096): 4097 connections queue.
	if sc := decodeText(t, "server = \"php-fpm\""+base+"[php_fpm]\nlisten_backlog = -1\n"); sc.Pool.QueueLength != 4097 {
		t.Errorf("php-fpm listen_backlog = -1: queue_length %d, want 4097", sc.Pool.QueueLength)
	}
	if sc := decodeText(t, "server = \"gunicorn\""+base+"[gunicorn]\nbind = \"unix:/run/app.sock\"\n"); sc.Pool.OnQueueFull != "reject" {
		t.Errorf("gunicorn on a unix socket: on_queue_full %q, want reject (nginx 502)", sc.Pool.OnQueueFull)
	}
}

// TestPresetPoolKeyWins checks that a pool key the file writes wins over
// the preset, that writing it as well as the server's key that sets it is
// an error unless they agree, and that a scenario written with every value
// in effect (MarshalTOML) decodes to the same scenario.
func TestPresetPoolKeyWins(t *testing.T) {
	sc := decodeText(t, phpFPMScenario, "pool.queue_timeout=0s", "pool.startup_time=100ms")
	if sc.Pool.QueueTimeout != 0 || !reflect.DeepEqual(sc.Pool.StartupTime, scenario.Const(100*engine.Millisecond)) {
		t.Errorf("queue_timeout %v startup_time %v, want the file's 0s and 100ms", sc.Pool.QueueTimeout, sc.Pool.StartupTime)
	}
	_, err := scenario.Decode("test.toml", []byte(phpFPMScenario), scenario.Override{Key: "pool.max_processes", Value: "5", Source: "--set"})
	if err == nil || !strings.Contains(err.Error(), `pool.max_processes = 5: disagrees with php_fpm.max_children, which sets it for server = "php-fpm": set one of them`) {
		t.Errorf("conflict: %v", err)
	}
	if _, err := scenario.Decode("test.toml", []byte(phpFPMScenario), scenario.Override{Key: "pool.max_processes", Value: "4", Source: "--set"}); err != nil {
		t.Errorf("agreeing keys: %v", err)
	}
	text, _ := sc.MarshalTOML()
	again := decodeText(t, string(text))
	if !reflect.DeepEqual(again.Pool, sc.Pool) || *again.PHPFPM != *sc.PHPFPM {
		t.Errorf("round trip changed the pool:\n%+v\n%+v", again.Pool, sc.Pool)
	}
}

// TestPHPFPMEmergencyRestartCountsOnlyCrashes checks the rule that php-fpm's
// emergency restart counts only children that die of SIGSEGV or SIGBUS
// (fpm_children.c; measured: 6 SIGKILLs in 0.75 s, no reload): 40 % of
// requests running past request_terminate_timeout kill their child many
// times a minute and never restart the pool, while crashing requests (a
// SIGSEGV) at a tenth of that rate do.
func TestPHPFPMEmergencyRestartCountsOnlyCrashes(t *testing.T) {
	restarts := func(sets ...string) (int, Metrics) {
		sc := decodeText(t, phpFPMScenario, sets...)
		res, err := Run(sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkConservation(t, res.Metrics)
		n := 0
		for _, lc := range res.Workers {
			if lc.Why == whyEmergency.String() {
				n++
			}
		}
		return n, res.Metrics
	}
	slow := []string{`classes.page.service={ dist = "uniform", min = "0s", max = "2s" }`, `php_fpm.request_terminate_timeout="1s"`, `clients.users.rate=2.0`}
	n, m := restarts(slow...)
	if m.ExecTimeoutKills < 1000 || n != 0 {
		t.Errorf("terminate-timeout kills %v, emergency restarts %d, want many kills and no restart", m.ExecTimeoutKills, n)
	}
	if n, m := restarts(`classes.page.crash=0.04`, `clients.users.rate=2.0`); m.Crashes < 100 || n == 0 {
		t.Errorf("crashes %v, emergency restarts %d, want restarts", m.Crashes, n)
	}
	// IIS's rapid-fail protection, which counts every kill, stops the pool
	// on the same kills.
	if _, m := restarts(append(slow, `pool.rapid_fail.policy="iis"`)...); m.RapidFailTrips == 0 {
		t.Error("policy iis: the kills do not trip rapid-fail protection")
	}
}

// TestStoryGunicornTimeout runs the shipped gunicorn story: reports past
// the 30 s timeout kill their worker (abandoned_exec_timeout), which the
// arbiter replaces at once; with a 120 s timeout almost none is killed.
func TestStoryGunicornTimeout(t *testing.T) {
	res := catalogStory(t, "gunicorn-timeout")
	m := res.Metrics
	if m.ExecTimeoutKills < 20 || m.AbandonedExecTimeout < m.ExecTimeoutKills || m.WorkerStarts != 4+m.ExecTimeoutKills {
		t.Errorf("kills %v abandoned_exec_timeout %v starts %v, want kills, each replaced", m.ExecTimeoutKills, m.AbandonedExecTimeout, m.WorkerStarts)
	}
	if fix := catalogStory(t, "gunicorn-timeout", "gunicorn.timeout=120s").Metrics; fix.ExecTimeoutKills > m.ExecTimeoutKills/10 {
		t.Errorf("timeout 120s: kills %v against %v", fix.ExecTimeoutKills, m.ExecTimeoutKills)
	}
}

// TestStoryPHPFPMPool runs the shipped php-fpm story: segfaulting children
// trip the emergency restart, a full backlog of 9 refuses (nginx 502);
// without the emergency restart no pool-wide restart happens.
func TestStoryPHPFPMPool(t *testing.T) {
	emergency := func(res *Result) int {
		n := 0
		for _, lc := range res.Workers {
			if lc.Why == whyEmergency.String() {
				n++
			}
		}
		return n
	}
	res := catalogStory(t, "php-fpm-pool")
	if m := res.Metrics; emergency(res) == 0 || m.RejectedQueueFull == 0 || m.Crashes == 0 {
		t.Errorf("emergency exits %d rejected %v crashes %v", emergency(res), m.RejectedQueueFull, m.Crashes)
	}
	if n := emergency(catalogStory(t, "php-fpm-pool", "php_fpm.emergency_restart_threshold=0")); n != 0 {
		t.Errorf("without emergency restart: %d emergency exits", n)
	}
}

// TestStoryUWSGILeak runs the shipped uWSGI story: reload-on-rss recycles
// the leaking workers (private memory), harakiri kills the stuck ones;
// without harakiri the stuck workers fill the listen queue.
func TestStoryUWSGILeak(t *testing.T) {
	m := catalogStory(t, "uwsgi-leak").Metrics
	if m.Recycles < 100 || m.ExecTimeoutKills == 0 || m.AbandonedExecTimeout != m.ExecTimeoutKills {
		t.Errorf("recycles %v kills %v abandoned_exec_timeout %v", m.Recycles, m.ExecTimeoutKills, m.AbandonedExecTimeout)
	}
	if stuck := catalogStory(t, "uwsgi-leak", "uwsgi.harakiri=0s").Metrics; stuck.RejectedQueueFull < 10*m.RejectedQueueFull {
		t.Errorf("without harakiri: rejected %v against %v", stuck.RejectedQueueFull, m.RejectedQueueFull)
	}
}

// TestPresetAssumptions checks that a server preset's Assumed block leaves
// out what the server's own settings give (threads, start mode) and what
// does not apply (IIS's HTTPERR naming, the ping with no ping), and keeps
// it for IIS.
func TestPresetAssumptions(t *testing.T) {
	keys := func(sc *scenario.Scenario) map[string]bool {
		m := map[string]bool{}
		for _, a := range scenario.Assumptions(sc) {
			m[a.Key] = true
		}
		return m
	}
	base := "\n[classes.page]\nservice = \"50ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n"
	iis := keys(decodeText(t, "server = \"iis\""+base))
	gun := keys(decodeText(t, "server = \"gunicorn\""+base))
	for _, k := range []string{"pool.threads", "pool.start_mode", "pool.httperr_names", "pool.ping.answered_while_hung", "pool.rapid_fail.window"} {
		if !iis[k] || gun[k] {
			t.Errorf("%s: listed for iis %v, for gunicorn %v; want true, false", k, iis[k], gun[k])
		}
	}
	if !gun["pool.startup_time"] {
		t.Error("gunicorn: pool.startup_time (the application's boot) not listed")
	}
}

// TestPresetGunicornGthreadTimeout checks the rule "with threads > 1
// gunicorn runs the gthread worker, whose main loop keeps notifying the
// arbiter, so timeout does not end a long request". One 40 s request at
// 1 s under timeout = 30 s: a sync worker is killed at the arbiter's check
// at 31 s (1 s + 30 s, a whole second); with threads = 2 it ends ok at 41 s
// plus the preset's request_overhead, and the file's timeout is warned
// about.
func TestPresetGunicornGthreadTimeout(t *testing.T) {
	text := "server = \"gunicorn\"\nhorizon = \"1m\"\n[gunicorn]\ntimeout = \"30s\"\n" +
		"[classes.report]\nservice = \"40s\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n"
	for _, c := range []struct {
		threads string
		outcome string
		at      float64
	}{{"1", "abandoned", 31}, {"2", "ok", 41.00075}} {
		sc, warns, err := scenario.DecodeWarn("test.toml", []byte(text), scenario.Override{Key: "gunicorn.threads", Value: c.threads, Source: "--set"})
		if err != nil {
			t.Fatal(err)
		}
		gthread := c.threads != "1"
		if warned := strings.Contains(strings.Join(warns, "\n"), `test.toml:4: gunicorn.timeout = "30s": does not end long requests`); warned != gthread {
			t.Errorf("threads = %s: warnings %q", c.threads, warns)
		}
		sc.Clients["users"].Rate = 0 // only the request sent at 1 s
		_, trace := runAt(t, sc, engine.Second)
		if at := timesOf(trace, "outcome req=1 "+c.outcome); len(at) != 1 || !near(at[0], c.at) {
			t.Errorf("threads = %s: %s at %v, want at %v", c.threads, c.outcome, at, c.at)
		}
	}
}

// TestPresetsBehindNginxNoMinBytesPerSecond checks the rule "php-fpm,
// gunicorn and uWSGI sit behind nginx, whose send_timeout bounds the time
// between two writes, not the rate: no MinBytesPerSecond": a 2400 B
// response at 100 B/s after 1 s of service is cut by http.sys at 10 s
// (2400 / 240) of sending under IIS, and sent whole in 24 s behind nginx.
func TestPresetsBehindNginxNoMinBytesPerSecond(t *testing.T) {
	for _, c := range []struct {
		server, outcome string
		at              float64
	}{{"iis", "abandoned", 12}, {"php-fpm", "ok", 26.00045}, {"gunicorn", "ok", 26.00075}, {"uwsgi", "ok", 26.00075}} {
		sc := decodeText(t, "server = \""+c.server+"\"\nhorizon = \"1m\"\n[pool]\nstartup_time = \"0s\"\n"+
			"[classes.dl]\nservice = \"1s\"\nresponse_size = \"2400B\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\nbandwidth = \"800bit/s\"\n")
		sc.Clients["users"].Rate = 0 // only the request sent at 1 s
		_, trace := runAt(t, sc, engine.Second)
		if at := timesOf(trace, "outcome req=1 "+c.outcome); len(at) != 1 || !near(at[0], c.at) {
			t.Errorf("%s: %s at %v, want at %v", c.server, c.outcome, at, c.at)
		}
	}
}

// TestPresetsBehindNginxBufferResponses checks the rule "nginx buffers an
// upstream's response by default (fastcgi_buffering, proxy_buffering,
// uwsgi_buffering on)": the php-fpm, gunicorn and uWSGI presets set
// pool.proxy_buffering, IIS does not, and a file's own value (nginx with
// buffering off) wins over the preset (docs/model.md#responses-and-bandwidth).
func TestPresetsBehindNginxBufferResponses(t *testing.T) {
	for _, c := range []struct {
		server, pool string
		want         bool
	}{
		{"iis", "", false}, {"php-fpm", "", true}, {"gunicorn", "", true}, {"uwsgi", "", true},
		{"php-fpm", "proxy_buffering = false\n", false}, {"iis", "proxy_buffering = true\n", true},
	} {
		sc := decodeText(t, "server = \""+c.server+"\"\nhorizon = \"1m\"\n[pool]\n"+c.pool+
			"[classes.dl]\nservice = \"1s\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n")
		if sc.Pool.ProxyBuffering != c.want {
			t.Errorf("server %s, [pool] %q: proxy_buffering %v, want %v", c.server, c.pool, sc.Pool.ProxyBuffering, c.want)
		}
	}
}
