package model

import "github.com/poolsim/poolsim/engine"

// ThreadPool is the CLR thread pool's growth (docs/model.md, "Thread-pool
// growth"): a worker starts with min threads and, while requests wait in the
// queue and all its threads are busy, injects one thread every injection
// (the CLR's starvation injection, about one thread per 500 ms) up to max.
// A slow backend that blocks threads thus queues requests long before max
// is reached (thread-pool starvation). poolsim's assumption: threads, once
// injected, are not retired while the worker lives (the CLR retires threads
// idle for a while; poolsim keeps the worst case for queueing out).
// max = 0 leaves the fixed pool.threads.
type ThreadPool struct {
	Min       int      `toml:"min"`
	Max       int      `toml:"max"`
	Injection Duration `toml:"injection"`
}

// initialThreads is how many threads a new worker has.
func (w *world) initialThreads() int {
	if w.threadPool {
		return w.pool.ThreadPool.Min
	}
	return w.pool.Threads
}

// starved arms thread injection in every serving worker whose threads are
// all busy while requests wait.
func (w *world) starved() {
	tp := w.pool.ThreadPool
	for _, wk := range w.workers {
		if wk.state.serving() && wk.busy >= wk.threads && wk.threads < tp.Max && !w.sim.Pending(wk.tInject) {
			wk.tInject = w.sim.After(tp.Injection.T(), wk, evInject)
		}
	}
}

// inject adds a thread if work still waits for one.
func (wk *worker) inject() {
	w := wk.w
	wk.tInject = engine.Timer{}
	if !wk.state.serving() || w.queue.len() == 0 || wk.busy < wk.threads || wk.threads >= w.pool.ThreadPool.Max {
		return
	}
	wk.threads++
	w.rec.event(evkThreadInjected)
	if w.trace != nil {
		w.tracef("worker %d thread injected: %d threads", wk.id, wk.threads)
	}
	w.pump()
}
