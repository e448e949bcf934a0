package engine

import (
	"container/heap"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

var sinkT Time

func BenchmarkScratchExp(b *testing.B) {
	r := rand.New(NewSource(1, 0, "hold"))
	for range b.N {
		sinkT += expTime(r)
	}
}

func BenchmarkScratchPCG(b *testing.B) {
	r := NewSource(1, 0, "hold")
	for range b.N {
		sinkT += Time(r.Uint64() >> 40)
	}
}

type nopH struct{}

func (nopH) HandleEvent(int) {}

func BenchmarkScratchQueue10(b *testing.B) {
	q := newQueue(defaultShift)
	var x uint64 = 1
	for range 10 {
		x = x*6364136223846793005 + 1442695040888963407
		q.push(Time(x>>40), nopH{}, 0)
	}
	for range b.N {
		q.head()
		at, _, _ := q.fire()
		x = x*6364136223846793005 + 1442695040888963407
		q.push(at+Time(x>>40), nopH{}, 0)
		q.settle()
	}
}

func TestScratchPaired(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	for _, n := range holdSizes {
		m := newHold(n, 2)
		m1 := newHold(n, 1)
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
		const K = 20000
		var re, rb []float64
		for range 60 {
			t0 := time.Now()
			for range K {
				m.s.Step()
			}
			t1 := time.Now()
			for range K {
				step()
			}
			t2 := time.Now()
			for range K {
				m1.s.Step()
			}
			t3 := time.Now()
			re = append(re, float64(t2.Sub(t1))/float64(t1.Sub(t0)))
			rb = append(rb, float64(t3.Sub(t2))/float64(t1.Sub(t0)))
		}
		slices.Sort(re)
		slices.Sort(rb)
		t.Logf("pending=%d container/engine median %.2f (q1 %.2f q3 %.2f); binary/4ary median %.2f", n, re[30], re[15], re[45], rb[30])
	}
}

func TestScratchBreakdown(t *testing.T) {
	if testing.Short() {
		t.Skip()
	}
	n := 1000
	m := newHold(n, 2)
	m2 := newHold(n, 2)
	q := &m2.s.q
	r := m2.r
	const K = 20000
	var rs []float64
	var d1, d2 time.Duration
	for range 60 {
		t0 := time.Now()
		for range K {
			m.s.Step()
		}
		t1 := time.Now()
		for range K {
			q.head()
			at, h, kind := q.fire()
			q.push(at+expTime(r), h, kind)
			q.settle()
		}
		t2 := time.Now()
		rs = append(rs, float64(t1.Sub(t0))/float64(t2.Sub(t1)))
		d1 += t1.Sub(t0)
		d2 += t2.Sub(t1)
	}
	slices.Sort(rs)
	t.Logf("step/bare median %.2f; step %.1f ns bare %.1f ns", rs[30], float64(d1)/60/K, float64(d2)/60/K)
}
