package model

import "github.com/poolsim/poolsim/engine"

// cheaperCheck is how often uWSGI's master runs its cheaper algorithm:
// uwsgi_calc_cheaper runs at most once per check-interval (default 1 s,
// core/master_utils.c).
const cheaperCheck = engine.Second

// cheaper is uWSGI 2.0's cheaper subsystem (docs/model.md, "uWSGI's cheaper
// subsystem"), the spawn modes spare and backlog: core/master_utils.c,
// uwsgi_calc_cheaper with uwsgi_cheaper_algo_spare and
// uwsgi_cheaper_algo_backlog. A process slot is active (forked and not
// cheaped) or cheaped; the master keeps the active ones running, replacing
// one that dies, and once a second its algorithm asks for more or fewer.
type cheaper struct {
	w *world
	// active is the slots not cheaped: the workers the master keeps.
	active int
	// overloadCount and idleCount are spare's counters (static in
	// uwsgi_cheaper_algo_spare).
	overloadCount, idleCount int
	// owed is uwsgi.cheaper_fifo_delta: a cheap that found no idle worker
	// is retried at the next check instead of running the algorithm.
	owed int
}

// beginCheaper forks cheaper-initial workers at time 0 (core/uwsgi.c: the
// first cheaper_initial slots; the others start cheaped) and arms the
// master's checks.
func (w *world) beginCheaper() {
	w.cheaper = &cheaper{w: w}
	w.cheaper.reset()
	w.spawnMore()
	w.sim.At(cheaperCheck, w.cheaper, 0)
}

// reset is the state of a master that has just started.
func (c *cheaper) reset() {
	*c = cheaper{w: c.w, active: min(c.w.pool.Spawn.Start, c.w.pool.MaxProcesses)}
}

// slots counts the workers alive that are not cheaped, those of them busy
// (uwsgi_worker_is_busy: some thread in a request), and the slots free to
// fork into (cheaped and exited).
func (c *cheaper) slots() (active, busy, free int) {
	exiting := 0
	for _, wk := range c.w.workers {
		switch {
		case wk.state == lsDrainIdle:
			exiting++ // cheaped, not yet exited: its slot is not free
		case wk.state.countsTowardMax():
			active++
			if wk.busy > 0 {
				busy++
			}
		}
	}
	return active, busy, c.w.pool.MaxProcesses - c.active - exiting
}

// HandleEvent is the master's check (uwsgi_calc_cheaper).
func (c *cheaper) HandleEvent(int) {
	w := c.w
	w.sim.After(cheaperCheck, c, 0)
	if w.stopped || w.reloading {
		return
	}
	needed := c.owed
	if needed != 0 {
		c.owed = 0
	} else if w.pool.Spawn.Mode == "backlog" {
		needed = c.backlog()
	} else {
		needed = c.spare()
	}
	for ; needed > 0; needed-- {
		c.active++
		w.startWorker(nil)
	}
	for ; needed < 0; needed++ {
		if !c.cheapOldestIdle() {
			c.owed--
		}
	}
}

// spare is uwsgi_cheaper_algo_spare (uWSGI 2.0): a check that finds every
// active worker busy counts an overload (and clears the idle count), one
// that finds an idle worker takes one back; more than cheaper-overload
// overloads fork up to cheaper-step workers and clear the count. With no
// overload counted, a check that finds exactly one idle worker is stable;
// otherwise it counts idle, and every cheaper-overload-th idle count cheaps
// a worker while more than cheaper are active.
func (c *cheaper) spare() int {
	sp := c.w.pool.Spawn
	active, busy, free := c.slots()
	if busy == active {
		c.overloadCount++
		c.idleCount = 0
	} else if c.overloadCount > 0 {
		c.overloadCount--
	}
	if c.overloadCount > sp.Overload {
		c.overloadCount = 0
		return min(free, sp.Step)
	}
	if c.overloadCount > 0 || active-busy == 1 {
		return 0
	}
	c.idleCount++
	if active > sp.Min && c.idleCount%sp.Overload == 0 {
		return -1
	}
	return 0
}

// backlog is uwsgi_cheaper_algo_backlog: more than cheaper-overload
// connections in the listen queue fork up to cheaper-step workers; fewer
// cheap one while more than cheaper are active. The master reads the queue
// of a TCP socket (get_tcp_info); a unix socket's reads 0 on Linux.
func (c *cheaper) backlog() int {
	sp := c.w.pool.Spawn
	queued := c.w.queue.len()
	if sp.UnixSocket {
		queued = 0
	}
	active, _, free := c.slots()
	switch {
	case queued > sp.Overload:
		return min(free, sp.Step)
	case queued < sp.Overload && active > sp.Min:
		return -1
	}
	return 0
}

// cheapOldestIdle cheaps the oldest idle worker (the one spawned first,
// sent SIGWINCH: it exits once its request, if any, is done), and reports
// whether there was one. A worker still starting is not taken (poolsim's
// assumption: uWSGI could pick one only if no older worker is idle).
func (c *cheaper) cheapOldestIdle() bool {
	for _, wk := range c.w.workers {
		if wk.state.serving() && wk.busy == 0 {
			c.active--
			c.w.rec.event(evkIdle)
			wk.on(leIdle, whyIdle)
			return true
		}
	}
	return false
}
