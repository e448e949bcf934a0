package engine

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"testing"
)

var holdSizes = []int{10, 1000, 100000}

// expTime draws an Exp(1) span of virtual seconds.
func expTime(r *rand.Rand) Time { return Time(r.ExpFloat64() * float64(Second)) }

type holdModel struct {
	s *Sim
	r *rand.Rand
}

func (m *holdModel) HandleEvent(int) { m.s.After(expTime(m.r), m, 0) }

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

func BenchmarkHold(b *testing.B) {
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) { benchHold(b, n, 2) })
	}
}

func BenchmarkArity(b *testing.B) {
	for _, n := range holdSizes {
		for _, a := range []struct {
			name  string
			shift uint
		}{{"binary", 1}, {"4-ary", 2}} {
			b.Run(fmt.Sprintf("%s/pending=%d", a.name, n), func(b *testing.B) { benchHold(b, n, a.shift) })
		}
	}
}

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

func BenchmarkHoldContainerHeap(b *testing.B) {
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			var (
				h   chHeap
				now Time
				seq uint64
				r   = rand.New(NewSource(1, 0, "hold"))
				fn  func()
			)
			fn = func() {
				seq++
				heap.Push(&h, chItem{at: now + expTime(r), seq: seq, fn: fn})
			}
			step := func() {
				it := heap.Pop(&h).(chItem)
				now = it.at
				it.fn()
			}
			for range n {
				fn()
			}
			for range 2 * n {
				step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				step()
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
