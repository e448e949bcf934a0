package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
	"github.com/poolsim/poolsim/plots"
	"github.com/poolsim/poolsim/plots/report"
)

// runPlot implements "poolsim plot".
func runPlot(c *cli, args []string) int {
	f := newFlagSet("plot", `poolsim plot DIR

Redraws the charts of a sweep from the tables in DIR (summary.csv, and
compare.csv when the experiment has a baseline) into DIR/charts, as PNG and
SVG: the default charts (503 and abandoned rates by variant, and the
differences from the baseline) and those of the [[chart]] tables of
DIR/experiment.toml. Useful after editing the [[chart]] tables, or after
updating poolsim.

Example:

	poolsim plot out/recycle-strategies`)
	dir, status, ok := f.parseOne(c, args, "directory")
	if !ok {
		return status
	}
	if _, err := os.Stat(filepath.Join(dir, experiments.SummaryFile)); err != nil {
		if errors.Is(err, fs.ErrNotExist) && report.IsRun(dir) {
			return c.errorf("%s holds a run's charts (%s), not a sweep's: \"poolsim report %s\" redraws them", dir, report.RunFile, dir)
		}
		if errors.Is(err, fs.ErrNotExist) {
			return c.errorf("%s has no %s: is it the output directory of a finished sweep?", dir, experiments.SummaryFile)
		}
		return c.errorf("%v", err)
	}
	charts, about, err := sweepCharts(dir)
	if err != nil {
		return c.errorf("%v", err)
	}
	files, err := plots.Draw(dir, charts, about)
	for _, name := range files {
		fmt.Fprintln(c.stdout, name)
	}
	if err != nil {
		return c.errorf("%v", err)
	}
	return exitOK
}

// sweepCharts returns the charts a sweep's experiment asks for and what
// they rest on, from the files the sweep left in dir (none when it has no
// experiment.toml).
func sweepCharts(dir string) ([]plots.Chart, plots.About, error) {
	if _, err := os.Stat(filepath.Join(dir, experiments.ExperimentFile)); errors.Is(err, fs.ErrNotExist) {
		return nil, plots.About{}, nil
	}
	s, err := report.LoadSweep(dir)
	if err != nil {
		return nil, plots.About{}, err
	}
	return report.ChartsOf(s.Experiment), s.About, nil
}

// drawSweep draws the charts of a finished sweep (or merge) in dir: the
// default ones and those of the experiment, each with a footnote saying
// what it rests on.
func drawSweep(dir string, res *experiments.Results) ([]string, error) {
	about, _ := report.AboutExperiment(res.Experiment)
	return plots.Draw(dir, report.ChartsOf(res.Experiment), about)
}

// drawRun draws the charts of one run into dir (its time series, its worker
// timeline and the memory of its oldest worker, with the run's events) and
// writes its one-run report there. It returns the files written.
func drawRun(dir, arg string, fl *runFlags, sc *scenario.Scenario, res *model.Result, interval engine.Time, warnings []string) ([]string, error) {
	var files []string
	save := func(f *plots.Figure, base string) error {
		f.Note = report.RunNote(sc, fl.replication, res)
		if err := plots.Save(f, dir, base); err != nil {
			return err
		}
		files = append(files, filepath.Join(dir, base+".png"), filepath.Join(dir, base+".svg"))
		return nil
	}
	if len(res.Series) > 0 {
		f, err := plots.TimeSeries(res.Series, interval)
		if err != nil {
			return files, err
		}
		f.Title.Text = sc.Name + ": requests over time"
		if err := save(f, "timeseries"); err != nil {
			return files, err
		}
		m, err := plots.Memory(res.Series, res.Workers, interval, plots.MemoryLimits{Crash: sc.Pool.Memory.Limit, Recycle: sc.Pool.Recycle.PrivateMemory})
		if err != nil {
			return files, err
		}
		if err := save(m, "memory"); err != nil {
			return files, err
		}
	}
	if len(res.Workers) > 0 {
		f, err := plots.Timeline(res.Workers, res.Horizon)
		if err != nil {
			return files, err
		}
		f.Title.Text = sc.Name + ": worker processes"
		if err := save(f, "workers"); err != nil {
			return files, err
		}
	}
	path, err := runReportFor(dir, arg, fl, sc, res, interval, warnings)
	if err != nil {
		return files, err
	}
	return append(files, path), nil
}
