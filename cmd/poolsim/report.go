package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
	"github.com/poolsim/poolsim/plots/report"
)

const reportUsage = `poolsim report DIR

Writes DIR/report.html, the page a design review reads: one self-contained
file (charts inlined as SVG, no script, nothing fetched) to open in a
browser or print to PDF.

DIR is the output directory of a finished sweep ("poolsim sweep -o DIR",
"poolsim merge -o DIR") or of a run's charts ("poolsim run --plot DIR").
A sweep's report puts the question and the answer first: the experiment's
title and description, then a verdict computed from the paired comparisons
with the baseline (which variants are significantly better or worse on each
key metric, which do not differ), then every variant's means with their
confidence intervals, the number of replications, the confidence level, the
horizon and warm-up, the charts with captions, the warnings the run
carries, the scenario as run with poolsim's assumptions marked, the
version, the random-stream scheme and the command that reproduces it. A
run's report shows its summary, time series, worker timeline with its
events and the memory of the oldest worker (the run is simulated again from
DIR/run.json and DIR/scenario.toml, which give the same result).

"poolsim sweep --report" and "poolsim run --plot DIR" write it themselves.

Examples:

	poolsim report out/recycle-strategies
	poolsim run trend-page --plot out/trend && poolsim report out/trend`

// runReport implements "poolsim report".
func runReport(c *cli, args []string) int {
	f := newFlagSet("report", reportUsage)
	dir, status, ok := f.parseOne(c, args, "directory")
	if !ok {
		return status
	}
	var (
		path string
		err  error
	)
	switch {
	case report.IsRun(dir):
		var r *report.Run
		if r, err = report.LoadRun(dir); err == nil {
			path, err = report.WriteRun(r, report.Options{Version: poolsimVersion()})
		}
	default:
		if _, serr := os.Stat(filepath.Join(dir, experiments.ExperimentFile)); serr != nil {
			return c.errorf("%s holds neither a sweep (%s) nor a run's charts (%s)", dir, experiments.ExperimentFile, report.RunFile)
		}
		path, err = writeSweepReport(dir)
	}
	if err != nil {
		return c.errorf("%v", err)
	}
	fmt.Fprintln(c.stdout, path)
	return exitOK
}

// writeSweepReport writes the report of the finished sweep in dir.
func writeSweepReport(dir string) (string, error) {
	s, err := report.LoadSweep(dir)
	if err != nil {
		return "", err
	}
	return report.WriteSweep(s, report.Options{Version: poolsimVersion()})
}

// sweepReport is the hook of "poolsim sweep --report": it writes the
// report of the sweep just finished in dir.
func (c *cli) sweepReport(dir string) int {
	path, err := writeSweepReport(dir)
	if err != nil {
		return c.errorf("report: %v", err)
	}
	fmt.Fprintf(c.stdout, "report: %s\n", path)
	return exitOK
}

// runReportFor writes the one-run report of "poolsim run --plot DIR": it
// saves the run's inputs beside the charts, so that "poolsim report DIR"
// can draw it again, and the page.
func runReportFor(dir, arg string, fl *runFlags, sc *scenario.Scenario, res *model.Result, interval engine.Time, warnings []string) (string, error) {
	in, err := readInput(arg, kindScenario)
	if err != nil {
		return "", err
	}
	inputs := report.RunInputs{
		Version: poolsimVersion(), StreamScheme: engine.StreamScheme, Scenario: arg,
		Set: fl.sets.raw, Replication: fl.replication, Interval: time.Duration(interval).String(), MaxEvents: fl.maxEvents,
	}
	if fl.seed.set {
		inputs.Seed = &fl.seed.v
	}
	if err := report.SaveRunInputs(dir, inputs, in.data); err != nil {
		return "", err
	}
	r := &report.Run{Dir: dir, Inputs: inputs, Source: in.data, Scenario: sc, Result: res, Warnings: warnings}
	return report.WriteRun(r, report.Options{Version: poolsimVersion()})
}
