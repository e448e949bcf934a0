package model

import (
	"math"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
)

// TestPresetGunicornMaxRequestsJitter checks gunicorn's rule "a worker
// exits after max_requests + randint(0, max_requests_jitter) requests"
// (gunicorn/workers/base.py; randint includes both ends) through the
// preset: max_requests = 3, max_requests_jitter = 2, one worker, 3000
// requests one at a time. Every worker but the last serves 3, 4 or 5, each
// with probability 1/3: over the n workers each count is within 3.3
// binomial standard deviations of n/3 (a 99.9 % bound), and all three
// occur.
func TestPresetGunicornMaxRequestsJitter(t *testing.T) {
	sc := decodeText(t, "server = \"gunicorn\"\nhorizon = \"3100s\"\n[gunicorn]\nmax_requests = 3\nmax_requests_jitter = 2\n"+
		"[classes.page]\nservice = \"10ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1.0\n")
	sc.Clients["users"].Rate = 0 // only the requests sent below
	var at []engine.Time
	for i := range 3000 {
		at = append(at, engine.Time(i)*engine.Second)
	}
	_, trace := runAt(t, sc, at...)
	served := map[string]int{}
	var order []string
	for _, line := range lines(trace, "start req=") {
		w := line[strings.Index(line, "worker="):]
		if served[w] == 0 {
			order = append(order, w)
		}
		served[w]++
	}
	count := map[int]float64{}
	for _, w := range order[:len(order)-1] { // the last may not have reached its limit
		count[served[w]]++
	}
	n := float64(len(order) - 1)
	t.Logf("workers by requests served: %v of %v", count, n)
	sd := math.Sqrt(n / 3 * 2 / 3)
	for k := 3; k <= 5; k++ {
		if math.Abs(count[k]-n/3) > 3.3*sd {
			t.Errorf("%v of %v workers served %d requests, want %.0f ± %.0f", count[k], n, k, n/3, 3.3*sd)
		}
	}
	if count[3]+count[4]+count[5] != n {
		t.Errorf("workers by requests served: %v, want only 3, 4 and 5", count)
	}
}
