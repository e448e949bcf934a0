package main

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
)

// Fault is what a request asks the application to do besides its service.
type Fault int

const (
	FaultNone  Fault = iota
	FaultCrash       // kill the worker after the service time
	FaultHang        // never finish
)

// Request is one request of the workload shared with poolsim.
type Request struct {
	ID      int
	Client  string
	Class   string
	At      time.Duration // send time, from the start of the run
	Service time.Duration
	Fault   Fault
	Timeout time.Duration // the client's; 0: none
}

// Plan draws the workload of replication rep of sc exactly as poolsim does
// (model/client.go, model/pool.go): arrival times from the stream
// arrivals/<client>, then, in arrival order, one uniform from faults/<class>
// (below hang: a hang; below hang+crash: a crash after the service) and one
// service time from service/<class>. Request i of the real run is therefore
// request i of poolsim's replication rep. It refuses what the generator
// cannot replay: retries, rate profiles, polling after each response, and
// backends (whose latency poolsim draws when the request executes).
func Plan(sc *model.Scenario, rep uint64) ([]Request, error) {
	if sc.Retry.Policy != "none" && sc.Retry.Policy != "" {
		return nil, fmt.Errorf("retry.policy = %q: the generator replays no retries; use \"none\"", sc.Retry.Policy)
	}
	horizon := sc.Horizon.T()
	var reqs []Request
	for _, name := range sortedKeys(sc.Clients) {
		c := sc.Clients[name]
		if cl := sc.Classes[c.Class]; cl == nil || cl.Backend != "" {
			return nil, fmt.Errorf("clients.%s: class %q calls a backend (or is missing); the generator replays only service times", name, c.Class)
		}
		r := rand.New(engine.NewSource(sc.Seed, rep, "arrivals/"+name))
		add := func(t engine.Time) {
			reqs = append(reqs, Request{Client: name, Class: c.Class, At: t.Duration(), Timeout: c.Timeout.T().Duration()})
		}
		switch c.Kind {
		case "poisson":
			if len(c.Profile) > 0 {
				return nil, fmt.Errorf("clients.%s.profile: the generator replays constant rates only", name)
			}
			if c.Rate <= 0 {
				continue
			}
			for t := engine.Time(0); ; {
				t = t.Add(engine.FromSeconds(r.ExpFloat64() / c.Rate))
				if t >= horizon {
					break
				}
				add(t)
			}
		case "polling":
			if c.Mode == "after_response" {
				return nil, fmt.Errorf("clients.%s.mode = \"after_response\": the generator replays fixed intervals only", name)
			}
			period := c.Period.T()
			for range c.Count {
				for t := engine.Time(r.Float64() * float64(period)); t < horizon; t += period {
					add(t)
				}
			}
		default:
			return nil, fmt.Errorf("clients.%s.kind = %q: not replayable", name, c.Kind)
		}
	}
	sort.SliceStable(reqs, func(i, j int) bool { return reqs[i].At < reqs[j].At })

	type classDraws struct {
		faults *rand.Rand
		svc    *model.Sampler
		c      *model.Class
	}
	classes := map[string]*classDraws{}
	for _, name := range sortedKeys(sc.Classes) {
		c := sc.Classes[name]
		classes[name] = &classDraws{
			faults: rand.New(engine.NewSource(sc.Seed, rep, "faults/"+name)),
			svc:    c.Service.Sampler(rand.New(engine.NewSource(sc.Seed, rep, "service/"+name))),
			c:      c,
		}
	}
	for i := range reqs {
		rq := &reqs[i]
		rq.ID = i + 1
		cd := classes[rq.Class]
		u := cd.faults.Float64()
		rq.Service = cd.svc.Next().Duration()
		switch {
		case u < cd.c.Hang:
			rq.Fault = FaultHang
		case u < cd.c.Hang+cd.c.Crash:
			rq.Fault = FaultCrash
		}
	}
	return reqs, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
