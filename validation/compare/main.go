// Command compare sets the real runs of the validation suite against
// poolsim's predictions of the same configurations and workloads.
//
//	compare -results validation/results -cases validation/cases -reps 40 \
//	        -doc docs/validation.md -chart docs [-ci]
//
// For each case (cases/NAME.toml, the scenario; cases/NAME.env, the real
// configuration and the METRICS compared) it reads the clean runs in
// results/NAME/*/run.json, simulates replications 0…reps-1 of the scenario
// (replication r of poolsim shares its workload with real run r), and
// writes per metric both means, their confidence intervals, the
// difference's interval (Welch) and a verdict. The table goes between the
// markers of the -doc file, the chart to -chart/validation.{svg,png}, and
// results/summary.csv. With -ci it exits 1 when a metric named in the case's
// GATE disagrees beyond its interval (each gated interval at Bonferroni's
// level, so that all of them together hold at -confidence).
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var o options
	flag.StringVar(&o.results, "results", "validation/results", "`DIR` of the real runs (NAME/REP/run.json)")
	flag.StringVar(&o.cases, "cases", "validation/cases", "`DIR` of the cases")
	flag.IntVar(&o.reps, "reps", 40, "poolsim replications per case")
	flag.Float64Var(&o.conf, "confidence", 0.95, "confidence level of the intervals")
	flag.StringVar(&o.doc, "doc", "", "markdown `FILE` whose generated section receives the tables")
	flag.StringVar(&o.chart, "chart", "", "`DIR` for validation.svg and validation.png")
	flag.BoolVar(&o.ci, "ci", false, "exit 1 when a gated metric disagrees or a case has fewer than 2 clean runs")
	flag.Float64Var(&o.maxRelHalf, "max-rel-half", 0.5, "a gated metric whose paired half-width exceeds this fraction of poolsim's mean fails: too few runs to judge it")
	flag.StringVar(&o.only, "only", "", "comma-separated case names (default: every case with results)")
	flag.Parse()
	failed, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "compare:", err)
		os.Exit(1)
	}
	if o.ci && failed > 0 {
		fmt.Fprintf(os.Stderr, "compare: %d gated comparisons failed\n", failed)
		os.Exit(1)
	}
}

type options struct {
	results, cases, doc, chart, only string
	reps                             int
	conf, maxRelHalf                 float64
	gateConf                         float64 // -ci: each gated comparison's level (gateConfidence); 0: conf
	ci                               bool
}
