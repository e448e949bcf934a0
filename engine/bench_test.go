package engine

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

// The hold model is the classic benchmark of pending-event sets: with n
// events pending, fire the earliest and schedule one at now + Exp(1), so
// that the set keeps its size. An operation is one event. Run with
//
//	go test -run '^$' -bench . -benchmem ./engine/
//
// BenchmarkHold and BenchmarkHoldContainerHeap run the same model on the
// engine and on container/heap, so that their ratio is measured in one run.

var holdSizes = []int{10, 1000, 100000}

// expTime draws an Exp(1) span of virtual seconds.
func expTime(r *rand.Rand) Time { return Time(r.ExpFloat64() * float64(Second)) }

// holdModel is the hold model on the engine: one component whose every
// event schedules the next.
type holdModel struct {
	s *Sim
	r *rand.Rand
}

func (m *holdModel) HandleEvent(int) { m.s.After(expTime(m.r), m, 0) }

// newHold returns a hold model with pending events on a queue of arity
// 1<<shift, run long enough for the event times to reach steady state.
func newHold(pending int, shift uint) *holdModel {
	s := New(1, 0)
	s.q = newQueue(shift)
	m := &holdModel{s: s, r: rand.New(NewSource(1, 0, "hold"))}
	for range pending {
		s.After(expTime(m.r), m, 0)
	}
	for range 2 * pending {
		s.Step()
	}
	return m
}

func benchHold(b *testing.B, pending int, shift uint) {
	m := newHold(pending, shift)
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m.s.Step()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkHold measures the engine's event rate on the hold model.
func BenchmarkHold(b *testing.B) {
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) { benchHold(b, n, defaultShift) })
	}
}

// BenchmarkArity compares a binary heap with a 4-ary one on the hold model;
// the faster is the default (see the comment on queue). The two heaps run
// side by side in alternating chunks of events, so that both see the same
// machine: on a shared machine, load that comes and goes otherwise decides
// the comparison. An operation is one event on each heap; the metrics give
// each heap's event rate and the ratio of their times.
func BenchmarkArity(b *testing.B) {
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			bin, four := newHold(n, 1), newHold(n, 2)
			var tBin, tFour time.Duration
			b.ResetTimer()
			for done := 0; done < b.N; {
				k := min(b.N-done, 1024)
				t0 := time.Now()
				for range k {
					four.s.Step()
				}
				t1 := time.Now()
				for range k {
					bin.s.Step()
				}
				tFour += t1.Sub(t0)
				tBin += time.Since(t1)
				done += k
			}
			b.ReportMetric(float64(b.N)/tBin.Seconds(), "binary-events/s")
			b.ReportMetric(float64(b.N)/tFour.Seconds(), "4-ary-events/s")
			b.ReportMetric(tBin.Seconds()/tFour.Seconds(), "binary/4-ary")
		})
	}
}

// The baseline: a pending-event set on container/heap whose events carry
// the func to call, as a simulator written the obvious way in Go does. The
// items are values, the func is made once, so what it pays for is the heap
// package's interface: Less and Swap through an interface, and Push and Pop
// boxing each event into an any.

type chItem struct {
	at  Time
	seq uint64
	fn  func()
}

type chHeap []chItem

func (h chHeap) Len() int { return len(h) }
func (h chHeap) Less(i, j int) bool {
	return h[i].at < h[j].at || (h[i].at == h[j].at && h[i].seq < h[j].seq)
}
func (h chHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *chHeap) Push(x any)   { *h = append(*h, x.(chItem)) }
func (h *chHeap) Pop() any {
	old := *h
	n := len(old) - 1
	it := old[n]
	*h = old[:n]
	return it
}

// containerHold is the hold model on the baseline.
type containerHold struct {
	h   chHeap
	now Time
	seq uint64
	r   *rand.Rand
	fn  func()
}

func newContainerHold(pending int) *containerHold {
	c := &containerHold{r: rand.New(NewSource(1, 0, "hold"))}
	c.fn = func() {
		c.seq++
		heap.Push(&c.h, chItem{at: c.now + expTime(c.r), seq: c.seq, fn: c.fn})
	}
	for range pending {
		c.fn()
	}
	for range 2 * pending {
		c.step()
	}
	return c
}

func (c *containerHold) step() {
	it := heap.Pop(&c.h).(chItem)
	c.now = it.at
	it.fn()
}

// BenchmarkHoldContainerHeap runs the hold model on the baseline.
func BenchmarkHoldContainerHeap(b *testing.B) {
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			c := newContainerHold(n)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				c.step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkMM1 runs the M/M/1 queue of mm1_test.go (load 0.8) and reports
// customers served per second; an operation is one customer, that is an
// arrival and a departure.
func BenchmarkMM1(b *testing.B) {
	m := newMM1(1, 0, 0.8, 1, 0, 0)
	m.run(10000) // grow the tables
	b.ReportAllocs()
	b.ResetTimer()
	m.run(10000 + b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "customers/s")
}
