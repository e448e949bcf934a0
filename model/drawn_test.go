package model

import (
	"math"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/stattest"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestDrawnPerRequest checks the rule "an allocation, a response size or a
// bandwidth given as a distribution is drawn for each request"
// (docs/model.md, "Distributions of sizes and rates"): requests sent one
// at a time, so that none meets another, each fail or not on their own
// draw, and the count that fails is Binomial(n, p) with p the share of the
// distribution past the mechanism's threshold. A constant at the
// distribution's mean would fail none of them (or all).
//
//   - allocate uniform on [100MB, 600MB] in a 32-bit worker (2048 MB) with
//     1600 MB of virtual memory at start: an allocation over 448 MB crashes
//     the worker, p = 152/500.
//   - bandwidth uniform on [800bit/s, 3200bit/s] (100 to 400 B/s) against
//     MinBytesPerSecond 240: a response sent more slowly is cut,
//     p = 140/300.
//   - response_size exponential with a mean of 1MB at 1MB/s, and a client
//     that gives up after 1.2 s: the send takes longer with p = e^−1.2.
func TestDrawnPerRequest(t *testing.T) {
	const mb = scenario.Size(1 << 20)
	for _, c := range []struct {
		name   string
		set    func(sc *scenario.Scenario)
		failed func(m Metrics) float64
		p      float64
	}{
		{"allocate", func(sc *scenario.Scenario) {
			sc.Pool.Bitness = 32
			sc.Pool.Memory.VirtualBase = 1600 * mb
			sc.Classes["page"].Allocate = scenario.SizeDist{Kind: "uniform", Min: 100 * mb, Max: 600 * mb}
		}, func(m Metrics) float64 { return m.AbandonedMemory }, 152.0 / 500},
		{"bandwidth", func(sc *scenario.Scenario) {
			sc.Pool.MinBytesPerSecond = 240
			sc.Classes["page"].ResponseSize = scenario.Constant[scenario.Size](2400)
			sc.Clients["users"].Bandwidth = scenario.RateDist{Kind: "uniform", Min: 100, Max: 400}
		}, func(m Metrics) float64 { return m.AbandonedMinSendRate }, 140.0 / 300},
		{"response_size", func(sc *scenario.Scenario) {
			sc.Classes["page"].Service = scenario.Const(0)
			sc.Classes["page"].ResponseSize = scenario.SizeDist{Kind: "exponential", Mean: mb}
			sc.Clients["users"].Bandwidth = scenario.Constant(scenario.Rate(mb))
			sc.Clients["users"].Timeout = scenario.Duration(1200 * engine.Millisecond)
		}, func(m Metrics) float64 { return m.ClientTimeout }, math.Exp(-1.2)},
	} {
		t.Run(c.name, func(t *testing.T) {
			const n, gap = 3000, 30 * engine.Second
			sc := handScenario(1, engine.Second, n*gap)
			c.set(sc)
			at := make([]engine.Time, n)
			for i := range at {
				at[i] = engine.Time(i) * gap
			}
			res, _ := runAt(t, sc, at...)
			m := res.Metrics
			lo, hi := stattest.BinomialBounds(n, c.p, 0.999)
			if got := int(c.failed(m)); got < lo || got > hi || m.Arrivals != n {
				t.Errorf("%d of %d failed, want %d to %d (p = %.4f)", got, int(m.Arrivals), lo, hi, c.p)
			}
			t.Logf("%d of %d failed, want %d to %d", int(c.failed(m)), n, lo, hi)
			if float64(hi-lo)/n > 0.06 {
				t.Errorf("interval %d to %d of %d is too wide to tell", lo, hi, n)
			}
		})
	}
}

// TestDrawsCommonToVariants checks the rule "a request's allocation,
// response size and bandwidth are keyed on its identity"
// (docs/model.md#random-numbers): variant B adds a second client of the
// same class (whose requests draw from the same streams) and more threads,
// and every request of the first client that both variants execute must
// still get the same three draws. The trace lists each arrival's identity
// and each drawn value.
func TestDrawsCommonToVariants(t *testing.T) {
	const mb = scenario.Size(1 << 20)
	draws := func(b bool) map[string]string {
		sc := baseScenario(3, engine.Second, 8, 1000, 20*engine.Minute)
		sc.Pool.RapidFail.Enabled = false
		sc.Classes["page"].Allocate = scenario.SizeDist{Kind: "uniform", Min: mb, Max: 100 * mb}
		sc.Classes["page"].ResponseSize = scenario.SizeDist{Kind: "lognormal", Mean: mb / 10, CV: 1.5}
		sc.Clients["users"].Bandwidth = scenario.RateDist{Kind: "lognormal", Mean: 1e6, CV: 1}
		if b {
			sc.Pool.Threads = 16
			sc.Clients["others"] = &scenario.Client{Kind: "poisson", Rate: 3, Class: "page", Bandwidth: sc.Clients["users"].Bandwidth}
		}
		_, trace := runTraced(t, sc)
		ids := map[string]string{}
		out := map[string]string{}
		arrive := regexp.MustCompile(`arrive req=(\d+) client=(\S+) sender=(\d+) n=(\d+) attempt=(\d+)`)
		drawn := regexp.MustCompile(`(allocate|send) req=(\d+) (.*)`)
		for _, line := range strings.Split(trace, "\n") {
			if m := arrive.FindStringSubmatch(line); m != nil {
				ids[m[1]] = strings.Join(m[2:], "/")
			} else if m := drawn.FindStringSubmatch(line); m != nil {
				out[ids[m[2]]] += m[1] + " " + m[3] + "; "
			}
		}
		return out
	}
	a, b := draws(false), draws(true)
	common, others, distinct := 0, 0, map[string]bool{}
	for id, db := range b {
		if strings.HasPrefix(id, "others/") {
			others++
			continue
		}
		da, ok := a[id]
		if !ok {
			continue
		}
		common++
		distinct[da] = true
		if da != db {
			t.Errorf("request %s: %s in variant A, %s in variant B", id, da, db)
		}
	}
	if common < 2000 || others < 2000 || len(distinct) < common {
		t.Fatalf("%d requests in both variants with %d distinct draws, %d of the other client: the variants must share many requests, and draw different values for each", common, len(distinct), others)
	}
}

// TestDrawnAssumptionsListed checks the rule "every value that is an
// assumption is shown as in effect" (docs/model.md#assumptions) for the
// distributions of sizes and rates: that each request draws its own is
// listed for each one given as a distribution, with a value that sets the
// same scenario again, and not for a constant.
func TestDrawnAssumptionsListed(t *testing.T) {
	const src = `
[classes.download]
service       = "200ms"
response_size = { dist = "lognormal", mean = "20MB", cv = 1.5 }
allocate      = { dist = "uniform", min = "1MB", max = "9MB" }

[classes.page]
service       = "20ms"
response_size = "40KB"

[clients.users]
kind      = "poisson"
rate      = 0.2
class     = "download"
bandwidth = { dist = "lognormal", mean = "8Mbit/s", cv = 1 }
`
	sc := decodeText(t, src)
	listed := map[string]bool{}
	for _, a := range scenario.Assumptions(sc) {
		listed[a.Key] = true
		if again := decodeText(t, src, a.Key+"="+a.Value); !reflect.DeepEqual(again, sc) {
			t.Errorf("%s = %s is not the value in effect", a.Key, a.Value)
		}
	}
	for key, want := range map[string]bool{
		"classes.download.response_size": true, "classes.download.allocate": true, "clients.users.bandwidth": true,
		"classes.page.response_size": false, "classes.page.allocate": false,
	} {
		if listed[key] != want {
			t.Errorf("%s listed %v, want %v", key, listed[key], want)
		}
	}
}
