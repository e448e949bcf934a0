package experiments_test

import (
	"context"
	"fmt"
	"log"

	"github.com/poolsim/poolsim/experiments"
)

// Two variants that differ only in the pool, swept over the arrival rate.
// With common random numbers both see the same arrivals in each
// replication: their difference in arrivals is exactly zero, with a zero
// interval, while the arrivals themselves vary between replications.
func Example() {
	e, err := experiments.Load("testdata/two.toml")
	if err != nil {
		log.Fatal(err)
	}
	r, err := e.Run(context.Background(), experiments.Options{})
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range r.Summary {
		st, _ := s.Stat("arrivals")
		fmt.Printf("%s: n=%d, arrivals vary: %v\n", s.Point, s.N, st.CI > 0)
	}
	d, _ := r.Diff("8 threads", "arrivals", 20)
	fmt.Printf("arrivals, 8 threads - %s: %v ± %v\n", d.Baseline, d.Diff, d.CI)
	// Output:
	// 4 threads (10): n=4, arrivals vary: true
	// 4 threads (20): n=4, arrivals vary: true
	// 8 threads (10): n=4, arrivals vary: true
	// 8 threads (20): n=4, arrivals vary: true
	// arrivals, 8 threads - 4 threads: 0 ± 0
}
