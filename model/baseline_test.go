package model

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/poolsim/poolsim/model/queueing"
)

// mm4Baseline is the yardstick for BenchmarkRun/mm4: an M/M/4 FCFS queue
// written directly, with a typed 4-ary heap of departure times and nothing
// else (no pool, no outcomes, no metrics beyond the mean wait). poolsim's
// whole-run cost per request is reported against it by BenchmarkBaseline.
func mm4Baseline(customers int, seed uint64) (meanWait float64) {
	r := rand.New(rand.NewPCG(seed, 0))
	const lambda, mu, c = 3.6, 1.0, 4
	var busy int
	var queue []float64 // arrival times of waiting customers
	var heap []float64  // departure times
	push := func(t float64) {
		heap = append(heap, t)
		i := len(heap) - 1
		for i > 0 {
			p := (i - 1) / 4
			if heap[p] <= heap[i] {
				break
			}
			heap[p], heap[i] = heap[i], heap[p]
			i = p
		}
	}
	pop := func() float64 {
		top := heap[0]
		n := len(heap) - 1
		heap[0] = heap[n]
		heap = heap[:n]
		i := 0
		for {
			m := i
			for k := 4*i + 1; k <= 4*i+4 && k < n; k++ {
				if heap[k] < heap[m] {
					m = k
				}
			}
			if m == i {
				return top
			}
			heap[i], heap[m] = heap[m], heap[i]
			i = m
		}
	}
	var sum float64
	next := r.ExpFloat64() / lambda
	for n := 0; n < customers; {
		if len(heap) > 0 && heap[0] <= next {
			t := pop()
			busy--
			if len(queue) > 0 {
				sum += t - queue[0]
				queue = queue[1:]
				busy++
				push(t + r.ExpFloat64()/mu)
			}
			continue
		}
		n++
		if busy < c {
			busy++
			push(next + r.ExpFloat64()/mu)
		} else {
			queue = append(queue, next)
		}
		next += r.ExpFloat64() / lambda
	}
	return sum / float64(customers)
}

// BenchmarkBaseline runs mm4Baseline with as many customers per op as
// BenchmarkRun/mm4 has requests, so that the two requests/s figures compare
// directly: go test ./model -run '^$' -bench 'Run/mm4|Baseline'
//
// The figure kept is the ratio of the two (issue 14: within 2.5×). On a
// shared machine load comes and goes, so measure the two alternately and
// take the median of the ratios:
//
//	go test -c -o /tmp/model.test ./model
//	/tmp/model.test -test.run '^$' -test.bench 'Baseline$' -test.benchtime 100x
//	/tmp/model.test -test.run '^$' -test.bench 'Run/mm4$' -test.benchtime 40x
//
// On the 2-core machine poolsim is developed on, 21 alternations gave a
// median of 2.14 (BenchmarkRun/mm4 9.4 M requests/s against 20.2 M; the
// middle half of the ratios 2.11 to 2.17), where the code before the work
// on the figure gave 2.75 (7.3 M against 20.3 M).
func BenchmarkBaseline(b *testing.B) {
	const customers = 100000
	start := time.Now()
	for i := 0; b.Loop(); i++ {
		mm4Baseline(customers, uint64(i))
	}
	b.ReportMetric(float64(customers*b.N)/time.Since(start).Seconds(), "requests/s")
}

// TestBaselineMatchesErlangC keeps the yardstick honest: its mean wait is
// Erlang C's within the 99.9 % interval of 20 replications.
func TestBaselineMatchesErlangC(t *testing.T) {
	if testing.Short() {
		t.Skip("replications of the yardstick")
	}
	const reps = 20
	xs := make([]float64, reps)
	for i := range xs {
		xs[i] = mm4Baseline(200000, uint64(i+1))
	}
	checkCI(t, "baseline wait", xs, queueing.MMcWait(4, 3.6, 1), 0.125)
}
