package main

import (
	"bufio"
	"bytes"
	"math"
	"regexp"
	"strconv"

	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// hangEnd is the fact that loadgen measures for the execution limit
// (validation/loadgen/facts.go): the mean time from a hanging request's
// send to the 502 that ended it when its worker was killed. It counts from
// the send, so it contains the request's wait for a worker, which poolsim
// predicts as well; the rule's range (docs/model.md#execution-time-limit)
// is only the part after the start. compare therefore sets it against the
// same requests in poolsim's replication: those the limit ended, from
// their arrival to their end, read from poolsim's trace.
const hangEnd = "hang_end_s_mean"

var (
	traceArrive  = regexp.MustCompile(`^\s*(\d+\.\d+) arrive req=(\d+) `)
	traceLimit   = regexp.MustCompile(`^\s*\d+\.\d+ execution timeout req=(\d+) `)
	traceOutcome = regexp.MustCompile(`^\s*(\d+\.\d+) outcome req=(\d+) `)
)

// runWithHangEnd simulates replication rep of sc and, when want, returns
// the mean time from arrival to end of the requests the execution limit
// ended (NaN if none).
func runWithHangEnd(sc *scenario.Scenario, rep uint64, want bool) (*model.Result, float64, error) {
	if !want {
		res, err := model.Run(sc, model.Options{Replication: rep})
		return res, math.NaN(), err
	}
	var trace bytes.Buffer
	res, err := model.Run(sc, model.Options{Replication: rep, Trace: &trace})
	if err != nil {
		return nil, 0, err
	}
	return res, hangEndOf(&trace), nil
}

// hangEndOf reads a poolsim trace: the mean of end − arrival over the
// requests with an "execution timeout" line (NaN if none).
func hangEndOf(trace *bytes.Buffer) float64 {
	arrived := map[string]float64{}
	limited := map[string]bool{}
	var sum float64
	n := 0
	sc := bufio.NewScanner(trace)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := traceArrive.FindStringSubmatch(line); m != nil {
			arrived[m[2]], _ = strconv.ParseFloat(m[1], 64)
		} else if m := traceLimit.FindStringSubmatch(line); m != nil {
			limited[m[1]] = true
		} else if m := traceOutcome.FindStringSubmatch(line); m != nil && limited[m[2]] {
			t, _ := strconv.ParseFloat(m[1], 64)
			sum += t - arrived[m[2]]
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
