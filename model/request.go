package model

import (
	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/httperr"
	"github.com/poolsim/poolsim/model/scenario"
)

type reqState uint8

const (
	stNone     reqState = iota // not held by the pool (pending retry, or gone)
	stQueued                   // in the kernel queue
	stExec                     // on a thread: backend call or service
	stConnWait                 // on a thread, waiting for a backend connection
	stLockWait                 // on a thread, waiting for the system-wide lock
	stHung                     // on a thread for good
	stSending                  // on a thread, sending the response (transfer.go)
	stProxied                  // off its thread: a buffering proxy sends its response to the client (transfer.go)
	stSynWait                  // outside: its SYN was dropped by a full backlog and will be retransmitted (synretry.go)
)

// outcome is how a request ended (DESIGN.md §1).
type outcome uint8

const (
	outOK outcome = iota
	outStale
	outError
	outRejectedFull
	outRejectedOffline
	outExpired
	outAbandoned
	outClientTimeout
	outRejectedReset // refused by resetting the connection (load_balancer = "tcp")
	outRefused       // 503 from a worker shutting down (drain.go)
	numOutcomes
)

// cause is why a request was abandoned.
type cause uint8

const (
	causeNone cause = iota
	causeCrash
	causeShutdown
	causePing
	causeMemory
	causeExecTimeout // the execution time limit killed the worker (exectimeout.go)
	causeMinSendRate // http.sys ended a response sent below MinBytesPerSecond (transfer.go)
	numCauses
)

// request is one HTTP request (one attempt: a retry is a new request).
// Requests are recycled through a free list, so a run allocates only up to
// its peak number of requests in the system.
type request struct {
	w        *world
	id       uint64
	client   *clientRT
	poller   int // index of the polling client, or the Poisson arrival number
	class    *classRT
	uri      string // the path a trace client's log gave; "": the client's uri
	attempt  int
	ordinal  int        // the poller's poll number (0 for Poisson arrivals)
	key      requestKey // identity for the request's own draws (keyed.go)
	arrival  engine.Time
	deadline engine.Time // queue expiry
	started  engine.Time
	worker   *worker
	execIdx  int

	// service is drawn at arrival, and the fault as the request's code runs
	// (worker.proceed), from streams keyed on the request's identity, so
	// that two variants of a scenario give the same request the same fate
	// (common random numbers).
	service engine.Time

	staleAge engine.Time
	tClient  engine.Timer
	tWork    engine.Timer
	tExec    engine.Timer // the execution time limit
	alloc    int64        // bytes this request holds in its worker (allocation.go)
	syns     int          // SYNs dropped so far (synretry.go)

	// The flags last, side by side, so that the struct (zeroed for every
	// request) spans no more words than it must.
	state      reqState
	warm       bool
	done       bool // outcome recorded
	conn       bool // holds a backend connection
	dropped    bool // left the queue when its client gave up (pool.drop_given_up)
	crashAtEnd bool
}

const (
	evArrive = iota
	evClientTimeout
	evBackendDone
	evBackendTimeout
	evServiceDone
	evExecTimeout
	evSendDone
	evSendCut
	evSynRetry
)

func (r *request) HandleEvent(kind int) {
	switch kind {
	case evArrive:
		r.w.admit(r)
	case evClientTimeout:
		if r.w.trace != nil {
			r.w.tracef("client timeout req=%d", r.id)
		}
		r.stopSyn()
		r.w.finish(r, outClientTimeout, causeNone)
		r.w.givenUp(r)
	case evBackendDone:
		r.class.backend.done(r)
	case evBackendTimeout:
		r.class.backend.timeout(r)
	case evServiceDone:
		wk := r.worker
		if r.crashAtEnd {
			wk.crash(causeCrash, r)
			return
		}
		if !r.class.responseSize.none() && r.beginSend() {
			return
		}
		wk.complete(r, outOK)
	case evExecTimeout:
		r.worker.execTimeout(r)
	case evSendDone:
		if r.state == stProxied {
			r.proxyDone() // a buffering proxy's send (transfer.go)
			return
		}
		r.worker.complete(r, outOK)
	case evSendCut:
		r.cutSend()
	case evSynRetry:
		r.w.synRetry(r)
	}
}

// beginService holds the thread for the request's service and the server
// stack's own time per request (pool.request_overhead;
// docs/model.md#requests).
func (r *request) beginService() {
	r.tWork = r.w.sim.After(r.service+r.w.pool.RequestOverhead.T(), r, evServiceDone)
}

// abandonInWorker is the request's end when its worker dies under it.
func (r *request) abandonInWorker(wk *worker, c cause) {
	r.detach()
	wk.remove(r)
	r.w.finish(r, outAbandoned, c)
}

// detach stops whatever r's thread is doing (a backend call or wait, a lock
// wait, the service, a send) before r leaves its thread early.
func (r *request) detach() {
	w := r.w
	w.sim.Cancel(r.tWork)
	switch r.state {
	case stConnWait:
		r.class.backend.dropWaiter(r)
	case stLockWait:
		w.dropLockWaiter(r)
	}
	if r.conn {
		r.class.backend.release(r)
	}
}

// finish records r's outcome, once; a request whose client has given up may
// stay in the pool until it leaves, and is freed then.
func (w *world) finish(r *request, o outcome, c cause) {
	// Rule: with load_balancer = "tcp" HTTP.sys resets the connection
	// instead of answering 503; the reset is its own outcome
	// (docs/model.md#outcomes).
	if (o == outRejectedFull || o == outRejectedOffline) && w.tcpReset {
		o = outRejectedReset
	}
	if !r.done {
		r.done = true
		w.sim.Cancel(r.tClient)
		w.rec.outcome(r, o, c)
		if w.httperr != nil {
			w.logHTTPErr(r, o, c)
		}
		if w.access != nil {
			w.logAccess(r, o)
		}
		if w.trace != nil {
			w.tracef("outcome req=%d %s", r.id, outcomeNames[o])
		}
		r.client.after(r, o)
	}
	if r.state == stNone {
		w.release(r)
	}
}

var outcomeNames = [numOutcomes]string{"ok", "stale", "error", "rejected_queue_full", "rejected_app_offline", "expired", "abandoned", "client_timeout", "rejected_tcp_reset", "rejected_shutdown"}

func (w *world) logHTTPErr(r *request, o outcome, c cause) {
	var reason string
	switch o {
	case outRejectedFull:
		reason = httperr.ReasonQueueFull
	case outRejectedOffline:
		reason = httperr.ReasonAppOffline
		if w.adminStopped {
			reason = httperr.ReasonDisabled // stopped by an operator, not by rapid-fail protection
		}
	case outExpired:
		reason = w.reasonExpired
	case outAbandoned:
		reason = w.reasonAbandoned
		if c == causeMinSendRate {
			reason = httperr.ReasonMinBytes
		}
	default:
		return
	}
	w.httperr.Log(w.sim.Now(), r.clientID(), "GET", r.path(), reason)
}

func (r *request) clientID() int { return r.client.idBase + r.poller }

// givenUp applies pool.drop_given_up to a request whose client has just
// given up: by default it keeps its place in the queue (poolsim's
// assumption; docs/model.md#requests); with drop_given_up HTTP.sys drops it
// from the queue as its connection closes.
func (w *world) givenUp(r *request) {
	if !w.pool.DropGivenUp || r.state != stQueued || r.dropped {
		return
	}
	w.rec.level(w)
	w.queue.drop(r)
	if w.trace != nil {
		w.tracef("dropped req=%d", r.id)
	}
	w.servingChanged()
}

// HTTPErrReasons returns the HTTPERR reasons the pool logs for a request
// that expired in the queue and for one abandoned by a dying worker, as
// pool.httperr_names says ("reqqueue", the default, or "apppool").
func HTTPErrReasons(p *scenario.Pool) (expired, abandoned string) {
	if p.HTTPErrNames == httperr.NamesAppPool {
		return httperr.ReasonTimerAppPool, httperr.ReasonAbandoned
	}
	return httperr.ReasonTimerReqQueue, httperr.ReasonAbandonedReqQueue
}
