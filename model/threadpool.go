package model

import "github.com/poolsim/poolsim/engine"

// ThreadPool is the CLR thread pool's growth (docs/model.md, "Thread-pool
// growth"): a worker starts with min threads and, while requests wait in the
// queue and all its threads are busy, injects one thread every injection
// up to max (the CLR's starvation injection: its gate thread checks every
// 500 ms, GateThreadDelayMs in PortableThreadPool.GateThread.cs, and adds a
// thread when queued work made no progress). A thread above min that has
// stayed idle for retire exits (ThreadPoolThreadTimeoutMs = 20 s in
// PortableThreadPool.WorkerThread.cs); poolsim retires one idle thread per
// retire period while the worker has idle threads above min. A slow backend
// that blocks threads thus queues requests long before max is reached
// (thread-pool starvation), again at every slow episode. max = 0 leaves
// the fixed pool.threads.
type ThreadPool struct {
	Min       int      `toml:"min"`
	Max       int      `toml:"max"`
	Injection Duration `toml:"injection"`
	Retire    Duration `toml:"retire"` // "0s": threads are never retired
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
	wk.armRetire()
}

// armRetire arms the retirement of an idle thread above min.
func (wk *worker) armRetire() {
	w := wk.w
	r := w.pool.ThreadPool.Retire.T()
	if r <= 0 || wk.threads <= w.pool.ThreadPool.Min || w.sim.Pending(wk.tRetire) {
		return
	}
	wk.tRetire = w.sim.After(r, wk, evRetire)
}

// retire ends one idle thread above min, if the worker has one now.
func (wk *worker) retire() {
	w := wk.w
	wk.tRetire = engine.Timer{}
	if wk.state == lsDead {
		return
	}
	if wk.busy < wk.threads && wk.threads > w.pool.ThreadPool.Min {
		wk.threads--
		w.rec.event(evkThreadRetired)
		if w.trace != nil {
			w.tracef("worker %d thread retired: %d threads", wk.id, wk.threads)
		}
	}
	wk.armRetire()
}
