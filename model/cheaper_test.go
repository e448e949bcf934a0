package model

import (
	"reflect"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// The rules of uWSGI's cheaper subsystem (docs/model.md, "uWSGI's cheaper
// subsystem"; core/master_utils.c). Workers have one thread and start in
// 12 ms; the master checks at 1 s, 2 s, …

// cheaperScenario is spawnScenario with uWSGI's cheaper mode sp over
// processes slots, requests of service, and a horizon.
func cheaperScenario(sp scenario.Spawn, processes int, service, horizon engine.Time) *scenario.Scenario {
	sc := spawnScenario(sp, processes, service)
	sc.Horizon = scenario.Duration(horizon)
	return sc
}

// exits returns the exit times of the workers, in start order.
func exits(res *Result) []engine.Time {
	var ts []engine.Time
	for _, lc := range res.Workers {
		ts = append(ts, lc.Exit)
	}
	return ts
}

func secs(ss ...float64) []engine.Time {
	var ts []engine.Time
	for _, s := range ss {
		if s < 0 {
			ts = append(ts, engine.Never)
			continue
		}
		ts = append(ts, engine.Time(s*float64(engine.Second)))
	}
	return ts
}

// TestCheaperSpareGrowsByStep checks uwsgi_cheaper_algo_spare's growth and
// shrinking, worked by hand: processes 8, cheaper 2, cheaper_step 2,
// cheaper_overload 3; 8 requests of 20 s at 0.5 s. Every check finds every
// worker busy: the overload count passes 3 at the 4th check, so 2 workers
// are forked at 4 s, 2 at 8 s, 2 at 12 s (each takes a queued request).
// With all 8 busy, the overload count passes 3 again at 16 s and 20 s but
// no slot is free. From 20.5 s workers go idle: with none overloaded the
// idle count climbs one a check (not while exactly one worker is idle, as
// at 24 s) and every 3rd count cheaps the oldest idle worker: at 23 s,
// 27 s, 30 s, 33 s, 36 s and 39 s, leaving cheaper = 2.
func TestCheaperSpareGrowsByStep(t *testing.T) {
	sc := cheaperScenario(scenario.Spawn{Mode: "spare", Start: 2, Min: 2, Step: 2, Overload: 3}, 8, 20*engine.Second, 45*engine.Second)
	half := 500 * engine.Millisecond
	res, _ := runAt(t, sc, half, half, half, half, half, half, half, half)
	if got, want := starts(res), secs(0, 0, 4, 4, 8, 8, 12, 12); !reflect.DeepEqual(got, want) {
		t.Errorf("starts %v, want %v", got, want)
	}
	if got, want := exits(res), secs(23, 27, 30, 33, 36, 39, -1, -1); !reflect.DeepEqual(got, want) {
		t.Errorf("exits %v, want %v", got, want)
	}
	if m := res.Metrics; m.OK != 8 {
		t.Errorf("ok %v, want all 8", m.OK)
	}
}

// TestCheaperSpareShrinksWhenIdle checks spare's shrinking with no load:
// cheaper_initial 6, cheaper 2, cheaper_overload 3: the idle count reaches
// 3, 6, 9, 12 at 3 s, 6 s, 9 s, 12 s, each cheaping the oldest worker, and
// at 15 s only cheaper = 2 are left, which stay.
func TestCheaperSpareShrinksWhenIdle(t *testing.T) {
	sc := cheaperScenario(scenario.Spawn{Mode: "spare", Start: 6, Min: 2, Step: 1, Overload: 3}, 8, engine.Second, 30*engine.Second)
	res, _ := runAt(t, sc)
	if got, want := exits(res), secs(3, 6, 9, 12, -1, -1); !reflect.DeepEqual(got, want) {
		t.Errorf("exits %v, want %v", got, want)
	}
}

// TestCheaperSpareStableWithOneIdle checks spare's stable state: exactly
// one idle worker changes nothing. cheaper_initial 3, cheaper 1,
// cheaper_overload 1 (cheap at every idle count): with 2 long requests, 1
// of 3 workers is idle at every check and none is cheaped; with 1 request,
// 2 are idle at 1 s, one is cheaped, and then 1 of 2 is idle: stable.
func TestCheaperSpareStableWithOneIdle(t *testing.T) {
	half := 500 * engine.Millisecond
	for _, c := range []struct {
		requests []engine.Time
		want     []engine.Time
	}{
		{[]engine.Time{half, half}, secs(-1, -1, -1)},
		{[]engine.Time{half}, secs(-1, 1, -1)},
	} {
		sc := cheaperScenario(scenario.Spawn{Mode: "spare", Start: 3, Min: 1, Step: 1, Overload: 1}, 4, 100*engine.Second, 10*engine.Second)
		res, _ := runAt(t, sc, c.requests...)
		if got := exits(res); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%d requests: exits %v, want %v", len(c.requests), got, c.want)
		}
	}
}

// TestCheaperBacklog checks uwsgi_cheaper_algo_backlog over TCP: 10
// requests of 100 s at 0.5 s on one worker leave 9 queued; more than
// cheaper_overload = 2 queued forks cheaper_step = 1 worker a check, each
// taking one: forks at 1 s … 7 s, after which 2 wait (not more than 2:
// nothing). With no load, fewer than 2 queued cheaps one a check down to
// cheaper: exits at 1 s and 2 s of 3 workers.
func TestCheaperBacklog(t *testing.T) {
	sp := scenario.Spawn{Mode: "backlog", Start: 1, Min: 1, Step: 1, Overload: 2}
	sc := cheaperScenario(sp, 10, 100*engine.Second, 20*engine.Second)
	half := 500 * engine.Millisecond
	burst := []engine.Time{half, half, half, half, half, half, half, half, half, half}
	res, _ := runAt(t, sc, burst...)
	if got, want := starts(res), secs(0, 1, 2, 3, 4, 5, 6, 7); !reflect.DeepEqual(got, want) {
		t.Errorf("starts %v, want %v", got, want)
	}
	sp.Start = 3
	res, _ = runAt(t, cheaperScenario(sp, 10, engine.Second, 10*engine.Second))
	if got, want := exits(res), secs(1, 2, -1); !reflect.DeepEqual(got, want) {
		t.Errorf("idle: exits %v, want %v", got, want)
	}
}

// TestCheaperBacklogUnixSocketNeverForks checks that backlog on a unix
// socket reads the queue as 0 (master_check_listen_queue reads TCP
// sockets only): the same burst as TestCheaperBacklog forks nothing.
func TestCheaperBacklogUnixSocketNeverForks(t *testing.T) {
	sc := cheaperScenario(scenario.Spawn{Mode: "backlog", Start: 1, Min: 1, Step: 1, Overload: 2, UnixSocket: true}, 10, 100*engine.Second, 20*engine.Second)
	half := 500 * engine.Millisecond
	res, _ := runAt(t, sc, half, half, half, half, half, half, half, half, half, half)
	if got, want := starts(res), secs(0); !reflect.DeepEqual(got, want) {
		t.Errorf("starts %v, want %v", got, want)
	}
}

// TestCheaperOwedCheapBlocksTheAlgorithm checks uwsgi_calc_cheaper's
// cheaper_fifo_delta: a cheap that finds no idle worker is retried at each
// next check instead of running the algorithm. backlog, cheaper 1,
// cheaper_overload 1: at 1 s the queue is empty and both workers are busy
// (requests of 10 s at 0.5 s), so the cheap is owed; the 3 requests queued
// at 1.5 s would make backlog fork, but the owed cheap runs instead, until
// a worker is idle at 21 s (after 20.5 s), which is cheaped. No worker is
// ever forked.
func TestCheaperOwedCheapBlocksTheAlgorithm(t *testing.T) {
	sc := cheaperScenario(scenario.Spawn{Mode: "backlog", Start: 2, Min: 1, Step: 1, Overload: 1}, 4, 10*engine.Second, 35*engine.Second)
	half, one5 := 500*engine.Millisecond, 1500*engine.Millisecond
	res, _ := runAt(t, sc, half, half, one5, one5, one5)
	if got, want := starts(res), secs(0, 0); !reflect.DeepEqual(got, want) {
		t.Errorf("starts %v, want %v", got, want)
	}
	if got, want := exits(res), secs(-1, 21); !reflect.DeepEqual(got, want) {
		t.Errorf("exits %v, want %v", got, want)
	}
}

// TestCheaperReplacesDeadWorker checks that a worker that dies other than
// by being cheaped keeps its slot: the master forks its replacement at
// once (a crash at 0.6 s, replaced at 0.6 s), while a cheaped one is not
// replaced (TestCheaperSpareShrinksWhenIdle).
func TestCheaperReplacesDeadWorker(t *testing.T) {
	sc := cheaperScenario(scenario.Spawn{Mode: "spare", Start: 3, Min: 2, Step: 1, Overload: 100}, 4, 100*engine.Millisecond, 5*engine.Second)
	sc.Classes["page"].Crash = 1
	res, _ := runAt(t, sc, 500*engine.Millisecond)
	if got, want := starts(res), secs(0, 0, 0, 0.6); !reflect.DeepEqual(got, want) {
		t.Errorf("starts %v, want %v", got, want)
	}
}

// TestCheaperConservation runs Poisson load through both algorithms, with
// crashes, and checks that every request has one outcome and that the
// workers alive stay between cheaper (once started) and processes.
func TestCheaperConservation(t *testing.T) {
	for _, mode := range []string{"spare", "backlog"} {
		sc := baseScenario(40, 200*engine.Millisecond, 1, 50, 10*engine.Minute)
		sc.Pool.MaxProcesses = 12
		sc.Pool.StartupTime = scenario.Const(12 * engine.Millisecond)
		sc.Pool.Spawn = scenario.Spawn{Mode: mode, Start: 3, Min: 2, Step: 2, Overload: 2}
		sc.Classes["page"].Crash = 0.01
		sc.Pool.RapidFail.Enabled = false
		sc.Pool.Dispatch = "least_busy"
		res, err := Run(sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		checkConservation(t, res.Metrics)
		if res.Metrics.Arrivals < 20000 {
			t.Errorf("%s: %v arrivals", mode, res.Metrics.Arrivals)
		}
		// Alive workers at each start and exit, in time order.
		type change struct {
			at engine.Time
			d  int
		}
		var cs []change
		for _, lc := range res.Workers {
			cs = append(cs, change{lc.Spans[0].Start, 1})
			if lc.Exit != engine.Never {
				cs = append(cs, change{lc.Exit, -1})
			}
		}
		most := 0
		for at := engine.Time(0); at <= sc.Horizon.T(); at += engine.Second / 2 {
			n := 0
			for _, c := range cs {
				if c.at <= at {
					n += c.d
				}
			}
			most = max(most, n)
			if n > 12 || n < 2 {
				t.Errorf("%s: %d workers alive at %v", mode, n, at)
			}
		}
		if most <= 3 {
			t.Errorf("%s: the pool never grew past cheaper_initial (at most %d workers)", mode, most)
		}
	}
}

// TestPresetUWSGICheaper checks the [uwsgi] cheaper settings' translation
// (core/init.c defaults): cheaper > 0 selects the algorithm's spawn mode
// with cheaper_initial (unset: cheaper) workers at start and start_mode
// on_demand; cheaper = 0 runs every process (all_at_once); backlog knows
// whether its socket is a unix one. The cheaper checks' assumptions are
// listed when the subsystem runs.
func TestPresetUWSGICheaper(t *testing.T) {
	base := "server = \"uwsgi\"\n[classes.page]\nservice = \"50ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n[uwsgi]\nprocesses = 8\n"
	for _, c := range []struct {
		sets  []string
		spawn scenario.Spawn
		start string
	}{
		{nil, scenario.Spawn{}, "all_at_once"},
		{[]string{"uwsgi.cheaper=2"}, scenario.Spawn{Mode: "spare", Start: 2, Min: 2, Step: 1, Overload: 3, UnixSocket: true}, "on_demand"},
		{[]string{"uwsgi.cheaper=2", "uwsgi.cheaper_initial=5", "uwsgi.cheaper_step=3", "uwsgi.cheaper_overload=1"},
			scenario.Spawn{Mode: "spare", Start: 5, Min: 2, Step: 3, Overload: 1, UnixSocket: true}, "on_demand"},
		{[]string{"uwsgi.cheaper=1", "uwsgi.cheaper_algo=backlog", "uwsgi.socket=127.0.0.1:3031", "uwsgi.cheaper_overload=0"},
			scenario.Spawn{Mode: "backlog", Start: 1, Min: 1, Step: 1, Overload: 0}, "on_demand"},
	} {
		sc := decodeText(t, base, c.sets...)
		if p := sc.Pool; p.Spawn != c.spawn || p.StartMode != c.start {
			t.Errorf("%v: spawn %+v start_mode %q, want %+v %q", c.sets, p.Spawn, p.StartMode, c.spawn, c.start)
		}
		// The checks' phase and the 2.0 rule are assumed only when the
		// cheaper subsystem runs.
		assumed := false
		for _, a := range scenario.Assumptions(sc) {
			assumed = assumed || a.Key == "uwsgi.cheaper"
		}
		if assumed != (c.spawn.Mode != "") {
			t.Errorf("%v: uwsgi.cheaper listed as assumed: %v", c.sets, assumed)
		}
	}
}

// TestStoryUWSGICheaper runs the shipped uwsgi-cheaper story: spare forks
// and cheaps through the hour (many more worker starts than processes, 2
// left at the horizon), and requests wait longer than with every process
// running (cheaper = 0: 8 starts); backlog on the unix socket reads the
// queue as 0 and never forks (2 starts), so the listen queue overflows.
func TestStoryUWSGICheaper(t *testing.T) {
	res := catalogStory(t, "uwsgi-cheaper")
	m := res.Metrics
	alive := 0
	for _, lc := range res.Workers {
		if lc.Exit == engine.Never {
			alive++
		}
	}
	if m.WorkerStarts <= 8 || alive != 2 {
		t.Errorf("spare: %v worker starts, %d alive at the horizon; want more than 8 and 2", m.WorkerStarts, alive)
	}
	all := catalogStory(t, "uwsgi-cheaper", "uwsgi.cheaper=0").Metrics
	if all.WorkerStarts != 8 || all.WaitMeanS >= m.WaitMeanS {
		t.Errorf("cheaper = 0: %v starts, wait %v s against spare's %v s", all.WorkerStarts, all.WaitMeanS, m.WaitMeanS)
	}
	blind := catalogStory(t, "uwsgi-cheaper", "uwsgi.cheaper_algo=backlog").Metrics
	if blind.WorkerStarts != 2 || blind.RejectedQueueFull == 0 {
		t.Errorf("backlog on a unix socket: %v starts, %v rejected", blind.WorkerStarts, blind.RejectedQueueFull)
	}
}

// TestCheaperSpawnValidated checks that a cheaper spawn mode made in Go
// (no [uwsgi] table) is checked as the preset checks it: spare with
// cheaper_overload 0 would divide by zero in uWSGI's master.
func TestCheaperSpawnValidated(t *testing.T) {
	sc := decodeText(t, "server = \"uwsgi\"\n[uwsgi]\nprocesses = 4\ncheaper = 2\n[classes.page]\nservice = \"50ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n")
	if err := sc.Validate(); err != nil {
		t.Fatalf("valid: %v", err)
	}
	for _, sp := range []scenario.Spawn{
		{Mode: "spare", Start: 2, Min: 2, Step: 1, Overload: 0},
		{Mode: "spare", Start: 2, Min: 4, Step: 1, Overload: 3},
		{Mode: "backlog", Start: 1, Min: 2, Step: 1, Overload: 0},
		{Mode: "backlog", Start: 2, Min: 2, Step: 0, Overload: 0},
	} {
		sc.Pool.Spawn = sp
		if err := sc.Validate(); err == nil || !strings.Contains(err.Error(), "pool.spawn") {
			t.Errorf("%+v: %v, want an error naming pool.spawn", sp, err)
		}
	}
}

// TestCheaperAfterPoolWideReload checks that after a pool-wide reload
// (pool.reload = "pool_wide", a configuration change at 2 s) the master
// starts again with cheaper_initial workers, as uWSGI does after its
// re-exec, without waiting for a request: 3 workers at 0, 3 at 2 s plus
// reload_delay.
func TestCheaperAfterPoolWideReload(t *testing.T) {
	sc := cheaperScenario(scenario.Spawn{Mode: "spare", Start: 3, Min: 2, Step: 1, Overload: 100}, 4, engine.Second, 5*engine.Second)
	sc.Pool.Reload = "pool_wide"
	sc.Pool.ReloadDelay = scenario.Duration(75 * engine.Millisecond)
	sc.Events = map[string]*scenario.Event{"deploy": {At: scenario.Duration(2 * engine.Second), Action: "config_change"}}
	res, _ := runAt(t, sc)
	if got, want := starts(res), secs(0, 0, 0, 2.075, 2.075, 2.075); !reflect.DeepEqual(got, want) {
		t.Errorf("starts %v, want %v", got, want)
	}
}
