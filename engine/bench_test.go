package engine

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"slices"
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

// newHold returns a hold model with pending events, run long enough for
// the event times to reach steady state.
func newHold(pending int) *holdModel {
	s := New(1, 0)
	m := &holdModel{s: s, r: rand.New(NewSource(1, 0, "hold"))}
	for range pending {
		s.After(expTime(m.r), m, 0)
	}
	for range 2 * pending {
		s.Step()
	}
	return m
}

func benchHold(b *testing.B, pending int) {
	m := newHold(pending)
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
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) { benchHold(b, n) })
	}
}

// BenchmarkArity compares the engine's 4-ary heap with a binary one, both
// with the same branch-free sifting, on the hold model reduced to the heap
// alone (fire the root, put the next event in its place), so that the
// ratio measures the arity and nothing else; the 4-ary heap is the
// engine's (see the comment on queue). The two heaps run side by side in
// alternating chunks of events, so that both see the same machine: on a
// shared machine, load that comes and goes otherwise decides the
// comparison. An operation is one event on each heap; the metrics give each
// heap's event rate and the ratio of their times.
func BenchmarkArity(b *testing.B) {
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			bin := newRawHold(n, 1, replaceTop2)
			four := newRawHold(n, root, replaceTop4)
			var tBin, tFour time.Duration
			b.ResetTimer()
			for done := 0; done < b.N; {
				k := min(b.N-done, 1024)
				t0 := time.Now()
				four.steps(k)
				t1 := time.Now()
				bin.steps(k)
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

// rawHold is the hold model on a bare implicit heap of entries whose root
// is at index top.
type rawHold struct {
	h          []entry
	top        int
	seq        uint64
	r          *rand.Rand
	replaceTop func([]entry, entry)
}

func newRawHold(pending, top int, replaceTop func([]entry, entry)) *rawHold {
	m := &rawHold{h: make([]entry, top), top: top, r: rand.New(NewSource(1, 0, "hold")), replaceTop: replaceTop}
	for range pending {
		// Inserting in arbitrary order and sorting gives a valid heap.
		m.h = append(m.h, entry{at: expTime(m.r), key: m.seq << 32})
		m.seq++
	}
	slices.SortFunc(m.h[top:], func(a, b entry) int {
		if a.before(&b) {
			return -1
		}
		return 1
	})
	m.steps(2 * pending)
	return m
}

func (m *rawHold) steps(k int) {
	for range k {
		now := m.h[m.top].at
		m.replaceTop(m.h, entry{at: now + expTime(m.r), key: m.seq << 32})
		m.seq++
	}
}

// replaceTop2 is replaceTop4 for the binary heap h (root at 1, children of
// i at 2i and 2i+1, parent of i at i/2).
func replaceTop2(h []entry, e entry) {
	n := len(h)
	i := 1
	for {
		first := i << 1
		if first+2 > n {
			if first < n {
				h[i] = h[first]
				i = first
			}
			break
		}
		c := h[first : first+2 : first+2]
		c0a, c0k, c1a, c1k := c[0].at, c[0].key, c[1].at, c[1].key
		l := lessv(c1a, c1k, c0a, c0k)
		m := -l
		h[i] = entry{c0a ^ (c0a^c1a)&Time(m), c0k ^ (c0k^c1k)&m}
		i = first + int(l)
	}
	for i > 1 {
		p := i >> 1
		if !e.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
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
