package model

import (
	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// backendRT is a dependency at run time: its connection pool, its slow
// episodes and the cache of its last good answer.
type backendRT struct {
	w       *world
	name    string
	b       *scenario.Backend
	latency *scenario.Sampler // draws from latKS
	slowLat *scenario.Sampler // draws from slowKS
	latKS   *keyedStream
	slowKS  *keyedStream
	every   *scenario.Sampler
	lasting *scenario.Sampler
	slow    bool
	inUse   int
	waiters []*request
	// lastGood is when a call last returned; hasGood says there was one.
	lastGood engine.Time
	hasGood  bool
}

const (
	evSlowStart = iota
	evSlowEnd
)

func newBackend(w *world, name string, b *scenario.Backend, rep uint64) *backendRT {
	sim := w.sim
	rt := &backendRT{w: w, name: name, b: b, latKS: newKeyedStream(w.sc.Seed, rep, "backend/"+name)}
	rt.latency = b.Latency.Sampler(rt.latKS.rand)
	if b.Slow != nil {
		rt.slowKS = newKeyedStream(w.sc.Seed, rep, "backend/"+name+"/slow")
		rt.slowLat = b.Slow.Latency.Sampler(rt.slowKS.rand)
		ep := sim.Stream("backend/" + name + "/episodes")
		rt.every = b.Slow.Every.Sampler(ep)
		rt.lasting = b.Slow.Lasting.Sampler(ep)
	}
	return rt
}

func (b *backendRT) begin() {
	if b.every != nil {
		b.w.sim.After(b.every.Next(), b, evSlowStart)
	}
}

func (b *backendRT) HandleEvent(kind int) {
	switch kind {
	case evSlowStart:
		b.slow = true
		if b.w.trace != nil {
			b.w.tracef("backend %s slow", b.name)
		}
		b.w.sim.After(b.lasting.Next(), b, evSlowEnd)
	case evSlowEnd:
		b.slow = false
		if b.w.trace != nil {
			b.w.tracef("backend %s normal", b.name)
		}
		b.w.sim.After(b.every.Next(), b, evSlowStart)
	}
}

// call starts r's call, waiting for a connection if all are in use.
func (b *backendRT) call(r *request) {
	if b.b.Connections > 0 && b.inUse >= b.b.Connections {
		r.state = stConnWait
		b.waiters = append(b.waiters, r)
		return
	}
	b.inUse++
	r.conn = true
	var lat engine.Time
	if b.slow {
		b.slowKS.at(r.key)
		lat = b.slowLat.Next()
	} else {
		b.latKS.at(r.key)
		lat = b.latency.Next()
	}
	t := b.b.Timeout.T()
	if t > 0 && b.b.OnTimeout != "wait" && lat > t {
		r.tWork = b.w.sim.After(t, r, evBackendTimeout)
		return
	}
	r.tWork = b.w.sim.After(lat, r, evBackendDone)
}

func (b *backendRT) release(r *request) {
	r.conn = false
	b.inUse--
	if len(b.waiters) > 0 && (b.b.Connections == 0 || b.inUse < b.b.Connections) {
		next := b.waiters[0]
		copy(b.waiters, b.waiters[1:])
		b.waiters = b.waiters[:len(b.waiters)-1]
		next.state = stExec
		b.call(next)
	}
}

func (b *backendRT) dropWaiter(r *request) {
	for i, x := range b.waiters {
		if x == r {
			b.waiters = append(b.waiters[:i], b.waiters[i+1:]...)
			return
		}
	}
}

func (b *backendRT) done(r *request) {
	b.lastGood, b.hasGood = b.w.sim.Now(), true
	b.release(r)
	r.beginService()
}

// timeout is the application giving up on the call; on_timeout says what
// the application does then.
func (b *backendRT) timeout(r *request) {
	b.release(r)
	wk := r.worker
	switch b.b.OnTimeout {
	case "crash":
		wk.crash(causeCrash, r)
	case "stale":
		now := b.w.sim.Now()
		if b.b.Cache != nil && b.hasGood && now-b.lastGood <= b.b.Cache.TTL.T() {
			r.staleAge = now - b.lastGood
			wk.complete(r, outStale)
			return
		}
		wk.complete(r, outError)
	default: // error
		wk.complete(r, outError)
	}
}
