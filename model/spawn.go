package model

import "github.com/poolsim/poolsim/engine"

// maxSpawnRate is php-fpm's pm.max_spawn_rate default.
const maxSpawnRate = 32

// spawner is the master's maintenance tick (dynamic).
type spawner struct {
	w    *world
	rate int
}

// beginSpawn starts the workers a server forks at time 0.
func (w *world) beginSpawn() {
	sp := w.pool.Spawn
	switch w.spawnMode {
	case "static":
		w.spawnMore()
	case "dynamic":
		for i := 0; i < min(sp.Start, w.pool.MaxProcesses); i++ {
			w.startWorker(nil)
		}
		w.spawner = &spawner{w: w, rate: 1}
		w.sim.At(engine.Second, w.spawner, 0)
	case "spare", "backlog":
		w.beginCheaper()
	}
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

// spawnMore is maybeStart for a server with a master that forks: static
// keeps max_processes; ondemand forks for waiting connections; dynamic
// replaces at once only what has ended below its floor (the tick does the
// rest); uWSGI's cheaper modes keep the slots not cheaped (cheaper.go).
func (w *world) spawnMore() {
	if w.stopped || w.reloading || w.sim.Now() < w.startBlocked {
		return
	}
	n, starting := w.counted()
	switch w.spawnMode {
	case "static":
		for ; n < w.pool.MaxProcesses; n++ {
			w.startWorker(nil)
		}
	case "ondemand":
		for ; n < w.pool.MaxProcesses && starting < w.queue.len(); n, starting = n+1, starting+1 {
			w.startWorker(nil)
		}
	case "dynamic":
		for ; n < min(w.pool.Spawn.Start, w.pool.MaxProcesses) && w.queue.len() > starting; n, starting = n+1, starting+1 {
			w.startWorker(nil)
		}
	case "spare", "backlog":
		for alive, _, _ := w.cheaper.slots(); alive < w.cheaper.active; alive++ {
			w.startWorker(nil)
		}
	}
}

// replenish replaces workers that ended, for the servers whose master does.
func (w *world) replenish() {
	if w.spawnMode != "" {
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
