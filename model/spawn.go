package model

import "github.com/poolsim/poolsim/engine"

// Spawn is how a server's master keeps its workers where start_mode
// (docs/model.md#start) does not say it (docs/model.md, "Servers"); the
// php-fpm preset sets it from pm, and it has no key of its own. pm = static
// is start_mode = "all_at_once", pm = ondemand is "on_demand" with one
// thread per worker (a worker forked for each waiting connection).
//
//   - "": start_mode decides.
//   - dynamic (php-fpm pm = dynamic): Start workers at time 0; once a
//     second (php-fpm's idle-server maintenance, fpm_process_ctl.c) one
//     idle worker is stopped when more than MaxSpare are idle, and workers
//     are forked when fewer than MinSpare are idle, min(spawn rate,
//     MinSpare − idle) at a time, the spawn rate starting at 1 and doubling
//     each second while it is needed, up to 32 (pm.max_spawn_rate); a
//     worker that ends is replaced at once (fpm_children_bury), and nothing
//     is forked for waiting requests between ticks.
type Spawn struct {
	Mode     string // "" | dynamic
	Start    int    // dynamic: workers at time 0 (pm.start_servers)
	MinSpare int    // dynamic: pm.min_spare_servers
	MaxSpare int    // dynamic: pm.max_spare_servers
}

// maxSpawnRate is php-fpm's pm.max_spawn_rate default.
const maxSpawnRate = 32

// spawner is the master's maintenance tick (dynamic).
type spawner struct {
	w    *world
	rate int
}

// beginSpawn starts the workers a dynamic pool forks at time 0.
func (w *world) beginSpawn() {
	sp := w.pool.Spawn
	if sp.Mode != "dynamic" {
		return
	}
	for i := 0; i < min(sp.Start, w.pool.MaxProcesses); i++ {
		w.startWorker(nil)
	}
	w.spawner = &spawner{w: w, rate: 1}
	w.sim.At(engine.Second, w.spawner, 0)
}

// counted returns the workers that count toward max_processes, and how
// many of them are starting.
func (w *world) counted() (n, starting int) {
	for _, wk := range w.workers {
		if wk.state.countsTowardMax() {
			n++
			if wk.state == lsStarting {
				starting++
			}
		}
	}
	return n, starting
}

// spawnMore is maybeStart for a dynamic pool: a worker that ended below
// start_servers is replaced at once, for waiting requests; the tick does
// the rest.
func (w *world) spawnMore() {
	if w.stopped || w.reloading || w.sim.Now() < w.startBlocked {
		return
	}
	n, starting := w.counted()
	for ; n < min(w.pool.Spawn.Start, w.pool.MaxProcesses) && w.queue.len() > starting; n, starting = n+1, starting+1 {
		w.startWorker(nil)
	}
}

// replenish replaces workers that ended, for a dynamic pool.
func (w *world) replenish() {
	if w.pool.Spawn.Mode != "" {
		w.spawnMore()
	}
}

// HandleEvent is php-fpm's once-a-second idle-server maintenance (dynamic).
func (s *spawner) HandleEvent(int) {
	w := s.w
	w.sim.After(engine.Second, s, 0)
	if w.stopped || w.reloading {
		return
	}
	sp := w.pool.Spawn
	idle := 0
	var last *worker
	for _, wk := range w.workers {
		if wk.state.serving() && wk.busy == 0 {
			idle++
			last = wk
		}
	}
	n, _ := w.counted()
	switch {
	case idle > sp.MaxSpare && last != nil:
		w.rec.event(evkIdle)
		last.on(leIdle, whyIdle)
		s.rate = 1
	case idle < sp.MinSpare && n < w.pool.MaxProcesses:
		for i := 0; i < min(s.rate, sp.MinSpare-idle, w.pool.MaxProcesses-n); i++ {
			w.startWorker(nil)
		}
		s.rate = min(2*s.rate, maxSpawnRate)
	default:
		s.rate = 1
	}
}
