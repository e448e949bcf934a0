package queueing_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/poolsim/poolsim/model/queueing"
)

// Sizing a pool of 10 threads offered 8 Erlangs (8 requests a second of 1 s
// each): without a queue, 12 % are turned away; with a queue of 10, under
// 1 % are (M/M/10/20, exponential times); with no limit on the queue, 41 %
// wait, 0.2 s on average.
func ExampleMMcK() {
	fmt.Printf("no queue: %.1f %% turned away (Erlang B)\n", 100*queueing.ErlangB(10, 8))
	block, lq, busy := queueing.MMcK(10, 20, 8, 1)
	fmt.Printf("queue 10: %.3f %% turned away, mean wait %.2f s, %.2f threads busy\n", 100*block, lq/(8*(1-block)), busy)
	fmt.Printf("unbounded queue: %.1f %% wait, for %.2f s on average (Erlang C)\n", 100*queueing.ErlangC(10, 8), queueing.MMcWait(10, 8, 1))
	// Output:
	// no queue: 12.2 % turned away (Erlang B)
	// queue 10: 0.911 % turned away, mean wait 0.15 s, 7.93 threads busy
	// unbounded queue: 40.9 % wait, for 0.20 s on average (Erlang C)
}

// Parameters outside a formula's domain give NaN, or the limit where the
// queue grows without bound.
func TestTheoryDomain(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  float64
		want float64
	}{
		{"ErlangB(-1, 1)", queueing.ErlangB(-1, 1), math.NaN()},
		{"ErlangB(3, -1)", queueing.ErlangB(3, -1), math.NaN()},
		{"ErlangB(0, 2)", queueing.ErlangB(0, 2), 1},
		{"ErlangC(0, 1)", queueing.ErlangC(0, 1), math.NaN()},
		{"ErlangC(4, 4)", queueing.ErlangC(4, 4), 1},
		{"MMcWait(4, 4, 1)", queueing.MMcWait(4, 4, 1), math.Inf(1)},
		{"MMcWait(4, 1, 0)", queueing.MMcWait(4, 1, 0), math.NaN()},
		{"MMcK block, k < c", first(queueing.MMcK(4, 3, 1, 1)), math.NaN()},
		{"MMcK block, λ = 0", first(queueing.MMcK(4, 8, 0, 1)), 0},
	} {
		if !(tc.got == tc.want || math.IsNaN(tc.got) && math.IsNaN(tc.want)) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	// A load far beyond what float64 powers hold: the rescaling keeps the
	// answer finite, and M/M/c/K tends to Erlang B's c/a share served.
	block, _, busy := queueing.MMcK(400, 800, 4000, 1)
	if math.IsNaN(block) || math.Abs(busy-400) > 1e-9 || math.Abs(block-0.9) > 1e-9 {
		t.Errorf("MMcK(400, 800, 4000, 1) = block %v, busy %v; want 0.9, 400", block, busy)
	}
}

func first(a, _, _ float64) float64 { return a }
