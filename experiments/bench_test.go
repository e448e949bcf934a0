package experiments

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// BenchmarkSweep runs a sweep of the small scenario (2 variants × 8
// replications, about 30 ms a run) on 1 and 2 workers and reports runs per
// second, the figure behind the claim that 2 cores run a sweep at least 1.8
// times as fast as one.
func BenchmarkSweep(b *testing.B) {
	e, err := parse("bench.toml", []byte(`scenario = "small.toml"
replications = 8
[variants.a]
[variants.b]
"pool.threads" = 8
`), "testdata", modelSimulator)
	if err != nil {
		b.Fatal(err)
	}
	runs := len(e.Points()) * e.Replications
	for _, par := range []int{1, 2} {
		b.Run(fmt.Sprintf("parallel=%d", par), func(b *testing.B) {
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := e.Run(context.Background(), Options{Parallel: par}); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
			}
			b.ReportMetric(float64(runs*b.N)/total.Seconds(), "runs/s")
		})
	}
}
