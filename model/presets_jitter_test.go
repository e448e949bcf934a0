package model

import (
	"math"
	"strconv"
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

// TestStoryGunicornMaxRequestsJitter runs the shipped gunicorn story of
// max_requests_jitter (gunicorn's settings: "intended to stagger worker
// restarts to avoid all workers restarting at the same time"): four
// workers that start together and share the load reach an equal limit
// together, and while their 10 s boots overlap the requests wait with no
// worker ready (outages). Against the same mean limit without jitter
// (max_requests = 1250), the jitter of 500 must remove most of the outage
// time and more than halve the mean wait, summed over seeds 1–4, with the
// same number of recycles within 5 %. Every recycle is max_requests' (no
// OOM kill); without max_requests the OOM killer ends the workers at 2 GB.
func TestStoryGunicornMaxRequestsJitter(t *testing.T) {
	var jit, flat struct{ outage, wait, recycles float64 }
	for seed := 1; seed <= 4; seed++ {
		s := "seed=" + strconv.Itoa(seed)
		j := catalogStory(t, "gunicorn-max-requests", s).Metrics
		f := catalogStory(t, "gunicorn-max-requests", s, "gunicorn.max_requests=1250", "gunicorn.max_requests_jitter=0").Metrics
		if j.Crashes != 0 || f.Crashes != 0 {
			t.Errorf("seed %d: OOM kills %v and %v with max_requests, want none", seed, j.Crashes, f.Crashes)
		}
		jit.outage, jit.wait, jit.recycles = jit.outage+j.OutageTimeS, jit.wait+j.WaitMeanS, jit.recycles+j.Recycles
		flat.outage, flat.wait, flat.recycles = flat.outage+f.OutageTimeS, flat.wait+f.WaitMeanS, flat.recycles+f.Recycles
	}
	if jit.outage > flat.outage/4 || jit.wait > flat.wait/2 || math.Abs(jit.recycles-flat.recycles) > 0.05*flat.recycles {
		t.Errorf("seeds 1–4, jitter 500 against none: outage %.1f s against %.1f s, mean wait %.3f s against %.3f s, recycles %v against %v",
			jit.outage, flat.outage, jit.wait, flat.wait, jit.recycles, flat.recycles)
	}
	if m := catalogStory(t, "gunicorn-max-requests", "gunicorn.max_requests=0").Metrics; m.Crashes == 0 || m.AbandonedMemory == 0 {
		t.Errorf("without max_requests: crashes %v abandoned_memory %v, want OOM kills", m.Crashes, m.AbandonedMemory)
	}
}
