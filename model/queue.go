package model

import (
	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/policies"
)

// ring is the kernel (http.sys) request queue: FIFO, growable. A request
// dropped from it (pool.drop_given_up) stays in buf, marked, until it
// reaches the head, and is not counted.
type ring struct {
	buf        []*request
	head, size int
	gone       int    // dropped requests still in buf
	w          *world // releases the dropped requests
}

// len is the number of requests waiting.
func (q *ring) len() int { return q.size - q.gone }

// drop takes r, waiting in the queue, out of the count; it leaves buf when
// it reaches the head.
func (q *ring) drop(r *request) {
	r.dropped = true
	q.gone++
}

// trim removes the dropped requests at the head and frees them.
func (q *ring) trim() {
	if q.gone > 0 {
		q.trimDropped()
	}
}

func (q *ring) trimDropped() {
	for q.gone > 0 && q.size > 0 && q.buf[q.head].dropped {
		r := q.take()
		q.gone--
		r.state = stNone
		q.w.release(r)
	}
}

func (q *ring) push(r *request) {
	if q.size == len(q.buf) {
		nb := make([]*request, max(16, 2*len(q.buf)))
		for i := 0; i < q.size; i++ {
			nb[i] = q.buf[(q.head+i)%len(q.buf)]
		}
		q.buf, q.head = nb, 0
	}
	q.buf[(q.head+q.size)%len(q.buf)] = r
	q.size++
}

func (q *ring) front() *request {
	q.trim()
	return q.buf[q.head]
}

func (q *ring) pop() *request {
	q.trim()
	return q.take()
}

// take removes the head, dropped or not.
func (q *ring) take() *request {
	r := q.buf[q.head]
	q.buf[q.head] = nil
	q.head = (q.head + 1) % len(q.buf)
	q.size--
	return r
}

// admit is a request's arrival at http.sys.
func (w *world) admit(r *request) {
	now := w.sim.Now()
	r.arrival = now
	r.warm = now >= w.warmup
	r.class.serviceKS.at(r.key)
	r.service = r.class.service.Next()
	w.rec.arrival(r)
	if w.trace != nil {
		w.tracef("arrive req=%d client=%s sender=%d n=%d attempt=%d fault=%.9f service=%d",
			r.id, r.client.name, r.poller, r.ordinal, r.attempt, r.class.faults.float64(r.key), int64(r.service))
	}
	if t := r.client.c.Timeout.T(); t > 0 {
		r.tClient = w.sim.After(t, r, evClientTimeout)
	}
	w.offer(r)
}

// offer is a connection reaching the pool's queue: at its arrival, or when a
// SYN dropped by a full backlog is retransmitted (synretry.go).
func (w *world) offer(r *request) {
	now := w.sim.Now()
	if w.stopped {
		w.reject(r, outRejectedOffline)
		return
	}
	if w.queue.len() == 0 {
		if wk := w.pickWorker(); wk != nil {
			wk.execute(r)
			return
		}
	}
	if w.queue.len() >= w.pool.QueueLength {
		w.maybeStart()
		if w.dropSyn(r) {
			return
		}
		w.reject(r, outRejectedFull)
		return
	}
	r.state = stQueued
	if qt := w.pool.QueueTimeout.T(); qt > 0 {
		r.deadline = now.Add(qt)
	} else {
		r.deadline = engine.Never
	}
	w.rec.level(w)
	w.queue.push(r)
	w.rec.queueLen(w.queue.len())
	w.armExpiry()
	w.maybeStart()
	if w.threadPool {
		w.starved() // work now waits: the thread pool injects (threadpool.go)
	}
	w.servingChanged()
}

func (w *world) reject(r *request, o outcome) {
	r.state = stNone
	w.finish(r, o, causeNone)
}

// pickWorker returns a serving worker with a free thread, chosen by the
// dispatch policy, or nil.
func (w *world) pickWorker() *worker {
	if len(w.workers) == 1 {
		if wk := w.workers[0]; wk.takesRequests() && wk.busy < wk.threads {
			return wk
		}
		return nil
	}
	w.readyBuf = w.readyBuf[:0]
	w.readyIdx = w.readyIdx[:0]
	for i, wk := range w.workers {
		if wk.takesRequests() && wk.busy < wk.threads {
			w.readyBuf = append(w.readyBuf, wk)
			w.readyIdx = append(w.readyIdx, i)
		}
	}
	if len(w.readyBuf) == 0 {
		return nil
	}
	return w.workers[w.readyIdx[w.dispatch.Pick(w.readyBuf)]]
}

// pump hands queued requests to free threads, and starts a worker when
// queued work has none to go to.
func (w *world) pump() {
	if w.stopped {
		return
	}
	for w.queue.len() > 0 {
		wk := w.pickWorker()
		if wk == nil {
			break
		}
		w.rec.level(w)
		wk.execute(w.queue.pop())
	}
	// uWSGI's cheaper master keeps its slots not cheaped running, work or
	// not (cheaper.go).
	if w.queue.len() > 0 || w.keepsWorkers || w.cheaper != nil {
		w.maybeStart()
		if w.threadPool {
			w.starved()
		}
	}
	w.servingChanged()
}

// maybeStart starts workers, up to max_processes (docs/model.md#start).
//
// start_mode = "on_demand" (IIS's default): WAS starts a worker when
// requests wait and no worker can take them. A web garden starts as many at
// once as the waiting requests need: another worker starts while the
// requests waiting outnumber the threads of the workers already starting
// (poolsim's assumption; IIS documents only that workers start when
// requests arrive).
//
// "all_at_once" (gunicorn, php-fpm pm = static) and "always_running" (IIS
// startMode = AlwaysRunning): every worker starts when the pool starts,
// and one that exits is replaced at once: the spawner's static mode
// (spawn.go).
//
// On demand, with max_processes workers counting already and no back-off
// holding starts back, nothing starts: that case, a busy pool's, inlines
// to two tests.
func (w *world) maybeStart() {
	if w.countingWorkers >= w.fullAt && w.sim.Now() >= w.startBlocked {
		return
	}
	w.startMore()
}

func (w *world) startMore() {
	if w.stopped || w.reloading {
		return
	}
	now := w.sim.Now()
	if now < w.startBlocked {
		if !w.startArmed {
			w.startArmed = true
			w.sim.At(w.startBlocked, w, evStartAllowed)
		}
		return
	}
	if w.spawnMode != "" {
		w.spawnMore() // a server's master forks, or start_mode keeps every worker (spawn.go)
		return
	}
	counted, startingThreads := 0, 0
	for _, wk := range w.workers {
		if wk.state.countsTowardMax() {
			counted++
			if wk.state == lsStarting {
				startingThreads += wk.threads
			}
		}
	}
	for ; counted < w.pool.MaxProcesses; counted++ {
		if counted > 0 && w.queue.len() <= startingThreads {
			return // the workers on their way will take what waits
		}
		startingThreads += w.startWorker(nil).threads
	}
}

// armExpiry keeps one timer for the queue's head: requests expire in FIFO
// order, since they all wait at most queue_timeout. Without a
// queue_timeout no request expires, and it inlines to that test.
func (w *world) armExpiry() {
	if w.pool.QueueTimeout > 0 {
		w.armExpiryTimer()
	}
}

func (w *world) armExpiryTimer() {
	if w.expiryArmed || w.queue.len() == 0 {
		return
	}
	d := w.queue.front().deadline
	if d == engine.Never {
		return
	}
	w.expiryArmed = true
	w.sim.At(d, w, evExpiry)
}

func (w *world) expire() {
	w.expiryArmed = false
	now := w.sim.Now()
	for w.queue.len() > 0 && w.queue.front().deadline <= now {
		w.rec.level(w)
		r := w.queue.pop()
		r.state = stNone
		if w.trace != nil {
			w.tracef("expire req=%d", r.id)
		}
		w.finish(r, outExpired, causeNone)
	}
	w.armExpiry()
	w.servingChanged()
}

var _ policies.WorkerView = (*worker)(nil)
