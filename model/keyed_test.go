package model

import (
	"math/rand/v2"
	"testing"
)

// TestPCGFirstMatchesRand checks the rule that a keyed draw is the first
// output of math/rand/v2's PCG seeded from the stream's key and the
// request's identity (docs/model.md#random-numbers): pcgFirst, which
// computes that output directly, agrees with the library's generator on
// seeds that exercise the carries of the 128-bit state.
func TestPCGFirstMatchesRand(t *testing.T) {
	seeds := [][2]uint64{{0, 0}, {0, 1}, {1, 0}, {^uint64(0), ^uint64(0)}, {1 << 63, 1<<64 - 1442695040888963407}}
	src := rand.New(rand.NewPCG(7, 11))
	for range 1000 {
		seeds = append(seeds, [2]uint64{src.Uint64(), src.Uint64()})
	}
	for _, s := range seeds {
		want := rand.NewPCG(s[0], s[1]).Uint64()
		if got := pcgFirst(s[0], s[1]); got != want {
			t.Fatalf("pcgFirst(%#x, %#x) = %#x, rand's PCG gives %#x", s[0], s[1], got, want)
		}
	}
}

// TestKeyedFloat64IsTheGeneratorsFirstDraw checks that a keyed stream's
// direct uniform draw is the one its positioned generator gives, for
// requests of several identities: a fault drawn either way is the same.
func TestKeyedFloat64IsTheGeneratorsFirstDraw(t *testing.T) {
	k := newKeyedStream(1, 2, "faults/page")
	for who := range 50 {
		for attempt := 1; attempt <= 3; attempt++ {
			key := newRequestKey(nameKey("users"), who, who%7, attempt)
			got := k.float64(key)
			if want := k.at(key).Float64(); got != want {
				t.Fatalf("who %d attempt %d: float64 %v, at().Float64() %v", who, attempt, got, want)
			}
		}
	}
}
