package model

import (
	"math/rand/v2"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// clientRT sends requests: an open Poisson stream (one event per arrival)
// or a set of polling clients (one poller each).
type clientRT struct {
	w      *world
	name   string
	c      *scenario.Client
	class  *classRT
	uri    string
	idBase int
	// bandwidth in bytes per second at which each request's response
	// reaches the client; 0: unlimited (transfer.go).
	bandwidth perRequest[scenario.Rate]
	arrive    *rand.Rand
	key       uint64 // hash of the name, for request identities
	n         int    // Poisson arrivals so far
	pollers   []poller
	// profile: rate multiplier by time of day, as sorted (offset, factor).
	profile   []scenario.ProfilePoint
	maxFactor float64
	trace     *traceRT // kind = "trace"
}

// poller is one polling client (a browser tab with setInterval).
type poller struct {
	c    *clientRT
	i    int
	sent int // polls so far
}

const (
	evPoisson = iota
	evPoll
)

func newClient(w *world, name string, c *scenario.Client, idBase int, rep uint64) *clientRT {
	cl := &clientRT{w: w, name: name, c: c, class: w.classes[c.Class], uri: c.URI, idBase: idBase,
		arrive: w.sim.Stream("arrivals/" + name), key: nameKey(name), profile: c.Profile, maxFactor: 1}
	if cl.uri == "" {
		cl.uri = "/" + name
	}
	cl.bandwidth = newPerRequest(c.Bandwidth, w.sc.Seed, rep, "bandwidth/"+name)
	if len(c.Profile) > 0 {
		cl.maxFactor = 0
		for _, p := range c.Profile {
			cl.maxFactor = max(cl.maxFactor, p.Factor)
		}
	}
	return cl
}

func (c *clientRT) begin() {
	sim := c.w.sim
	switch c.c.Kind {
	case "poisson":
		c.scheduleNext()
	case "trace":
		c.trace.begin()
	case "polling":
		c.pollers = make([]poller, c.c.Count)
		period := c.c.Period.T()
		for i := range c.pollers {
			c.pollers[i] = poller{c: c, i: i}
			// Clients opened the page at random moments: a uniform phase.
			sim.At(engine.Time(c.arrive.Float64()*float64(period)), &c.pollers[i], evPoll)
		}
	}
}

// factor is the profile's rate multiplier at time t.
func (c *clientRT) factor(t engine.Time) float64 {
	if len(c.profile) == 0 {
		return 1
	}
	tod := (t + c.w.dayOffset) % (24 * engine.Hour)
	f := c.profile[len(c.profile)-1].Factor // before the first point: yesterday's last
	for _, p := range c.profile {
		if engine.Time(p.At) > tod {
			break
		}
		f = p.Factor
	}
	return f
}

// scheduleNext draws the next Poisson arrival; a time-of-day profile thins
// a stream at the peak rate (Lewis and Shedler).
func (c *clientRT) scheduleNext() {
	rate := c.c.Rate * c.maxFactor
	if rate <= 0 {
		return
	}
	sim := c.w.sim
	t := sim.Now()
	for {
		t = t.Add(engine.FromSeconds(c.arrive.ExpFloat64() / rate))
		if t >= c.w.horizon {
			return
		}
		if len(c.profile) == 0 || c.arrive.Float64()*c.maxFactor < c.factor(t) {
			break
		}
	}
	sim.At(t, c, evPoisson)
}

func (c *clientRT) HandleEvent(kind int) {
	c.n++
	c.send(c.n, 0, 1)
	c.scheduleNext()
}

func (p *poller) HandleEvent(kind int) {
	c := p.c
	p.sent++
	c.send(p.i, p.sent, 1)
	if c.c.Mode != "after_response" {
		c.w.sim.After(c.c.Period.T(), p, evPoll)
	}
}

// send makes attempt attempt of sender who's n-th request now.
func (c *clientRT) send(who, n, attempt int) {
	r := c.w.newRequest()
	c.identify(r, who, n, attempt)
	c.w.admit(r)
}

func (c *clientRT) identify(r *request, who, n, attempt int) {
	r.client, r.class, r.poller, r.ordinal, r.attempt = c, c.class, who, n, attempt
	r.key = newRequestKey(c.key, who, n, attempt)
}

// after is told each request's outcome: the client may retry, and a client
// polling after each response schedules its next poll.
func (c *clientRT) after(r *request, o outcome) {
	w := c.w
	switch o {
	case outRejectedFull, outRejectedOffline, outRejectedReset, outAbandoned, outClientTimeout, outExpired:
		if d, ok := w.retry.Next(r.attempt, w.retryRand.at(r.key)); ok {
			nr := w.newRequest()
			c.identify(nr, r.poller, r.ordinal, r.attempt+1)
			nr.class, nr.uri = r.class, r.uri // a trace's request keeps its own class and path
			w.sim.After(d, nr, evArrive)
			return
		}
	}
	if c.c.Kind == "polling" && c.c.Mode == "after_response" {
		w.sim.After(c.c.Period.T(), &c.pollers[r.poller], evPoll)
	}
}
