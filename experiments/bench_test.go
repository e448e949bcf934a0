package experiments

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"
)

// BenchmarkSweep runs a sweep of the small scenario (2 variants × 16
// replications, about 7 ms of CPU a run) on 1 and 2 workers and reports runs per
// second, the figure behind the claim that 2 cores run a sweep at least 1.8
// times as fast as one. It also reports the process's CPU time per run: on
// a machine busy with other work the wall-clock rate cannot scale, but equal
// CPU time per run on 1 and 2 workers shows that the workers do not slow
// each other down.
func BenchmarkSweep(b *testing.B) {
	e, err := parse("bench.toml", []byte(`scenario = "small.toml"
replications = 16
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
			cpu0 := cpuTime()
			for b.Loop() {
				start := time.Now()
				if _, err := e.Run(context.Background(), Options{Parallel: par}); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
			}
			n := float64(runs * b.N)
			b.ReportMetric(n/total.Seconds(), "runs/s")
			b.ReportMetric((cpuTime()-cpu0).Seconds()*1000/n, "cpu-ms/run")
		})
	}
}

// cpuTime returns the user and system CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
