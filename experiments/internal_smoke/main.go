package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/poolsim/poolsim/experiments"
)

func main() {
	e, err := experiments.Load(os.Args[1])
	if err != nil {
		fmt.Println("ERR", err)
		os.Exit(1)
	}
	t := time.Now()
	r, err := experiments.RunTo(context.Background(), e, os.Args[2], experiments.Options{Progress: os.Stderr})
	fmt.Println(err, time.Since(t))
	if r != nil {
		for _, s := range r.Summary {
			fmt.Printf("%-40s", s.Point.Variant)
			for _, m := range []string{"rate_503", "rate_abandoned", "recycles", "crashes", "rapid_fail_trips", "client_timeout", "shutdown_kills"} {
				st, _ := s.Stat(m)
				fmt.Printf(" %s=%.4g±%.2g", m, st.Mean, st.CI)
			}
			fmt.Println()
		}
		for _, c := range r.Compare {
			fmt.Printf("%-40s", c.Point.Variant)
			for _, m := range []string{"rate_503", "rate_abandoned"} {
				d, _ := c.Metric(m)
				fmt.Printf(" %s=%.3g ±%.2g (unpaired ±%.2g)", m, d.Diff, d.CI, d.UnpairedCI)
			}
			fmt.Println()
		}
	}
}
