package plots_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/poolsim/poolsim/plots"
)

// Bars of the 503 rate by variant, one bar per swept client count, saved as
// PNG and SVG.
func ExampleBars() {
	summary, err := plots.ReadTable("testdata/summary.csv")
	if err != nil {
		log.Fatal(err)
	}
	p, err := plots.Bars(summary, "rate_503", "clients.trendpage.count")
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "charts")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := plots.Save(p, dir, "rate-503"); err != nil {
		log.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fmt.Println(e.Name())
	}
	// Output:
	// rate-503.png
	// rate-503.svg
}

// Draw redraws every chart of a sweep's result directory, as
// `poolsim plot DIR` does: the default charts and those the experiment
// asks for.
func ExampleDraw() {
	dir, err := os.MkdirTemp("", "sweep")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	for _, f := range []string{"summary.csv", "compare.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			log.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), b, 0o644)
	}
	files, err := plots.Draw(dir, []plots.Chart{
		{Title: "p99 response time against clients", X: "clients.trendpage.count", Y: "response_p99_s", Kind: "lines"},
	}, plots.About{Confidence: 0.95, Horizon: "12h", Warmup: "15m"})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		rel, _ := filepath.Rel(dir, f)
		fmt.Println(rel)
	}
	// Output:
	// charts/503-rate-by-variant.png
	// charts/503-rate-by-variant.svg
	// charts/abandoned-rate-by-variant.png
	// charts/abandoned-rate-by-variant.svg
	// charts/503-rate-difference-from-no-recycle.png
	// charts/503-rate-difference-from-no-recycle.svg
	// charts/p99-response-time-against-clients.png
	// charts/p99-response-time-against-clients.svg
}

func ExampleMetricLabel() {
	for _, m := range []string{"rate_503", "response_p99_s", "throughput_rps", "abandoned", "crashes"} {
		fmt.Printf("%s: %s (%s)\n", m, plots.MetricName(m), plots.MetricLabel(m))
	}
	// Output:
	// rate_503: 503 rate (% of requests)
	// response_p99_s: p99 response time (seconds)
	// throughput_rps: throughput (requests/s)
	// abandoned: abandoned requests (requests)
	// crashes: crashes (count)
}

// KeyLabel titles a chart's axis with a scenario key's readable name, and
// the unit of a plain number.
func ExampleKeyLabel() {
	for _, k := range []string{"clients.arrivals.rate", "pool.shutdown_time_limit", "pool.threads", "some.new_key"} {
		fmt.Printf("%s: %s\n", k, plots.KeyLabel(k))
	}
	// Output:
	// clients.arrivals.rate: arrival rate (requests/s)
	// pool.shutdown_time_limit: shutdown time limit
	// pool.threads: threads per worker (threads)
	// some.new_key: some.new_key
}
