package model

import "github.com/poolsim/poolsim/engine"

// A full TCP backlog (docs/model.md, "A full queue"). With
// pool.on_queue_full = "syn_retry", a connection that finds the queue full
// is not refused: Linux drops its SYN (net.ipv4.tcp_abort_on_overflow = 0)
// and the client retransmits it after 1 s, then 2, 4, 8 … s (the initial
// retransmission timeout of 1 s, doubling; RFC 6298, tcp_syn_retries = 6).
// Each retransmission finds the queue as it is then. A connection not
// accepted within pool.connect_timeout (nginx proxy_connect_timeout, 60 s:
// the proxy answers 504) fails, outcome rejected_queue_full; "0s" is the
// kernel's own limit, the seventh timeout at 127 s.
//
// "reject" (the default) refuses at once: http.sys's 503 QueueFull, or a
// unix socket's EAGAIN, which nginx answers with 502 (php-fpm, measured).

// synRTO is the retransmission timeout after the n-th dropped SYN (n ≥ 1).
func synRTO(n int) engine.Time { return engine.Second << (n - 1) }

// maxSynRetries is Linux's net.ipv4.tcp_syn_retries default.
const maxSynRetries = 6

// dropSyn drops r's SYN at a full backlog and schedules its retransmission,
// or reports false when the connection fails now.
func (w *world) dropSyn(r *request) bool {
	if !w.synDrop {
		return false
	}
	now := w.sim.Now()
	deadline := r.arrival + w.connectLimit()
	if now >= deadline {
		return false
	}
	r.syns++
	w.rec.event(evkSynDrop)
	next := now + synRTO(r.syns)
	if r.syns > maxSynRetries || next > deadline {
		next = deadline
	}
	r.state = stSynWait
	r.tWork = w.sim.At(next, r, evSynRetry)
	return true
}

// synRetry is a retransmitted SYN reaching the pool.
func (w *world) synRetry(r *request) {
	r.state = stNone
	if w.sim.Now() >= r.arrival+w.connectLimit() {
		w.reject(r, outRejectedFull)
		return
	}
	w.offer(r)
}

// kernelConnectLimit is when Linux gives up a connection whose SYNs are
// all dropped: the seventh timeout, 1 + 2 + … + 64 s.
const kernelConnectLimit = (engine.Second << (maxSynRetries + 1)) - engine.Second // 127 s

// connectLimit is how long a connection may take to be accepted: the
// client's connect_timeout, but never past the kernel's own limit.
func (w *world) connectLimit() engine.Time {
	if l := w.pool.ConnectTimeout.T(); l > 0 {
		return min(l, kernelConnectLimit)
	}
	return kernelConnectLimit
}

// stopSyn forgets r's pending retransmission when its client gives up.
func (r *request) stopSyn() {
	if r.state == stSynWait {
		r.w.sim.Cancel(r.tWork)
		r.state = stNone
	}
}
