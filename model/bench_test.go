package model

import (
	"testing"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model/scenario"
)

// BenchmarkRun measures whole runs: building the world, simulating, and
// collecting the result. It reports the measured arrivals (the requests
// after the warm-up) and all engine events per second of wall time.
//
//	mm4:     M/M/4 at ρ = 0.9 (λ = 3.6/s, exponential service of 1 s), about
//	         100 000 requests per run.
//	buffered: mm4 whose requests send 1 MB at 8 Mbit/s (1.048576 s)
//	         through a buffering proxy (pool.proxy_buffering): the same
//	         load on the workers, a transfer event more per request.
//	default: the shipped default scenario (catalog.Default, the trend page),
//	         decoded from its TOML.
//
// Run with: go test ./model -run '^$' -bench BenchmarkRun -benchmem
func BenchmarkRun(b *testing.B) {
	mm4 := baseScenario(3.6, engine.Second, 4, 1<<30, engine.FromSeconds(1e5/3.6))
	buffered := baseScenario(3.6, engine.Second, 4, 1<<30, engine.FromSeconds(1e5/3.6))
	buffered.Pool.ProxyBuffering = true
	for _, c := range buffered.Classes {
		c.ResponseSize = scenario.Constant[scenario.Size](1 << 20)
	}
	for _, c := range buffered.Clients {
		c.Bandwidth = scenario.Constant(scenario.Rate(1e6))
	}
	data, ok := catalog.Scenario(catalog.Default)
	if !ok {
		b.Fatalf("no shipped scenario %q", catalog.Default)
	}
	def, err := scenario.Decode(catalog.Default+".toml", data)
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		sc   *scenario.Scenario
	}{{"mm4", mm4}, {"buffered", buffered}, {"default", def}} {
		b.Run(bc.name, func(b *testing.B) {
			var requests, events float64
			start := time.Now()
			for i := 0; b.Loop(); i++ {
				res, err := Run(bc.sc, Options{Replication: uint64(i)})
				if err != nil {
					b.Fatal(err)
				}
				requests += res.Metrics.Arrivals
				events += res.Metrics.Events
			}
			elapsed := time.Since(start).Seconds()
			b.ReportMetric(requests/elapsed, "requests/s")
			b.ReportMetric(events/elapsed, "events/s")
			b.ReportMetric(requests/float64(b.N), "requests/op")
		})
	}
}
