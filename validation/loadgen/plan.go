package main

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"time"

	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
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

// arriveLine is poolsim's trace of an arrival (model/queue.go).
var arriveLine = regexp.MustCompile(`^\s*(\d+\.\d+) arrive req=(\d+) client=(\S+) sender=\d+ n=\d+ attempt=(\d+) fault=([0-9.]+) service=(\d+)$`)

// Plan returns the workload of replication rep of sc as poolsim draws it:
// it simulates the replication and reads each arrival's time, fault draw
// and service time from poolsim's trace, so request i of the real run is
// request i of poolsim's replication rep by construction. A fault draw
// below the class's hang probability is a hang, below hang + crash a crash
// after the service (model/worker.go). It refuses what the generator cannot
// replay: retries, polling after each response, and backends (their
// latency is drawn when the request executes).
func Plan(sc *scenario.Scenario, rep uint64) ([]Request, error) {
	if sc.Retry.Policy != "none" && sc.Retry.Policy != "" {
		return nil, fmt.Errorf("retry.policy = %q: the generator replays no retries; use \"none\"", sc.Retry.Policy)
	}
	for _, name := range sortedKeys(sc.Clients) {
		c := sc.Clients[name]
		if cl := sc.Classes[c.Class]; cl == nil || cl.Backend != "" {
			return nil, fmt.Errorf("clients.%s: class %q calls a backend (or is missing); the generator replays only service times", name, c.Class)
		}
		if c.Kind == "polling" && c.Mode == "after_response" {
			return nil, fmt.Errorf("clients.%s.mode = \"after_response\": the generator replays fixed intervals only", name)
		}
	}
	var trace bytes.Buffer
	if _, err := model.Run(sc, model.Options{Replication: rep, Trace: &trace}); err != nil {
		return nil, err
	}
	var reqs []Request
	sc2 := bufio.NewScanner(&trace)
	sc2.Buffer(make([]byte, 64<<10), 1<<20)
	for sc2.Scan() {
		m := arriveLine.FindStringSubmatch(sc2.Text())
		if m == nil {
			continue
		}
		if m[4] != "1" {
			return nil, fmt.Errorf("poolsim retried a request; the generator replays no retries")
		}
		at, _ := strconv.ParseFloat(m[1], 64)
		u, _ := strconv.ParseFloat(m[5], 64)
		svc, _ := strconv.ParseInt(m[6], 10, 64)
		c := sc.Clients[m[3]]
		cl := sc.Classes[c.Class]
		id, _ := strconv.Atoi(m[2])
		rq := Request{ID: id, Client: m[3], Class: c.Class, At: time.Duration(at * 1e9).Round(time.Microsecond),
			Service: time.Duration(svc), Timeout: c.Timeout.T().Duration()}
		switch {
		case u < cl.Hang:
			rq.Fault = FaultHang
		case u < cl.Hang+cl.Crash:
			rq.Fault = FaultCrash
		}
		reqs = append(reqs, rq)
	}
	if err := sc2.Err(); err != nil {
		return nil, err
	}
	if len(reqs) == 0 {
		return nil, fmt.Errorf("poolsim's trace has no arrivals in the format the generator reads (%s)", arriveLine)
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
