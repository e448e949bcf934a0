package model

import "github.com/poolsim/poolsim/engine"

// Responses with a size (docs/model.md, "Responses and bandwidth"): once a
// request of a class with a response_size has run its service, the worker
// sends the response at its client's bandwidth, holding the thread until
// the last byte is sent (IIS: the worker writes the entity body to http.sys,
// which sends it; the write completes when the client has taken it). A
// download is therefore a long request: a recycle's shutdown time limit,
// the execution time limit and a worker's death cut it. A size or a
// bandwidth given as a distribution is drawn for each request, the size
// when its service ends and the bandwidth only when there is something to
// send (keyed.go, perRequest).
//
// http.sys ends a response that a client takes more slowly than
// pool.min_bytes_per_second (MinBytesPerSecond, 240 B/s by default), with
// Timer_MinBytesPerSecond in the HTTPERR log (abandoned, cause
// min_send_rate). poolsim's assumption: the response is one send, which
// http.sys allows size / MinBytesPerSecond to complete, so a response at a
// bandwidth under the minimum is cut at that time; the worker's thread is
// freed then.
//
// Behind a buffering proxy (pool.proxy_buffering: nginx in front of
// php-fpm, gunicorn or uWSGI, with fastcgi_buffering, proxy_buffering or
// uwsgi_buffering on, nginx's default) the proxy takes the response at
// once: the worker's thread is freed when the service ends, and the
// request's outcome is recorded when the client has received the response,
// size / bandwidth later. The request is then off its worker (stProxied),
// so the worker's recycle or death no longer touches it; the client's own
// timeout still applies as while a worker sends. http.sys's minimum rate
// does not apply to the proxy's send.

// beginSend starts sending r's response, or reports false when it has
// nothing to send at a finite bandwidth.
func (r *request) beginSend() bool {
	size := float64(r.class.responseSize.of(r))
	if size == 0 {
		return false
	}
	bw := float64(r.client.bandwidth.of(r))
	if bw == 0 {
		return false
	}
	w := r.w
	if w.trace != nil && (r.class.responseSize.drawn() || r.client.bandwidth.drawn()) {
		w.tracef("send req=%d size=%d bytes_per_s=%g", r.id, int64(size), bw)
	}
	if w.pool.ProxyBuffering {
		if w.trace != nil {
			w.tracef("proxy takes req=%d", r.id)
		}
		r.worker.handOff(r, engine.FromSeconds(size/bw))
		return true
	}
	r.state = stSending
	if min := float64(w.pool.MinBytesPerSecond); min > 0 && bw < min {
		r.tWork = w.sim.After(engine.FromSeconds(size/min), r, evSendCut)
		return true
	}
	r.tWork = w.sim.After(engine.FromSeconds(size/bw), r, evSendDone)
	return true
}

// cutSend is http.sys ending a response sent too slowly.
func (r *request) cutSend() {
	r.w.rec.event(evkMinSendRate)
	if r.w.trace != nil {
		r.w.tracef("min send rate req=%d", r.id)
	}
	r.worker.completeAs(r, outAbandoned, causeMinSendRate)
}

// proxyDone is the client's receipt of a response sent by a buffering
// proxy: r's outcome, unless its client gave up first, and its release.
func (r *request) proxyDone() {
	r.state = stNone
	r.w.finish(r, outOK, causeNone)
}
