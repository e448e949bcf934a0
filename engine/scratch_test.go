package engine

import (
	"math/rand/v2"
	"testing"
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
	q := newQueue(2)
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
