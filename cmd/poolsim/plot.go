package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/plots"
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
	pos, status, stop := f.parse(c, args)
	if stop {
		return status
	}
	if len(pos) != 1 {
		return f.usageError(c, "want one directory, got %d arguments", len(pos))
	}
	dir := pos[0]
	if _, err := os.Stat(filepath.Join(dir, experiments.SummaryFile)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return c.errorf("%s has no %s: is it the output directory of a finished sweep?", dir, experiments.SummaryFile)
		}
		return c.errorf("%v", err)
	}
	charts, err := readCharts(filepath.Join(dir, experiments.ExperimentFile))
	if err != nil {
		return c.errorf("%v", err)
	}
	files, err := plots.Draw(dir, charts)
	for _, name := range files {
		fmt.Fprintln(c.stdout, name)
	}
	if err != nil {
		return c.errorf("%v", err)
	}
	return exitOK
}

// readCharts returns the [[chart]] tables of an experiment file as run (a
// sweep's experiment.toml), or none when there is no such file. Only the
// chart tables are read: the base scenario the file names need not be at
// hand.
func readCharts(path string) ([]plots.Chart, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var file struct {
		Chart []experiments.Chart `toml:"chart"`
	}
	if _, err := toml.Decode(string(data), &file); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return plotCharts(file.Chart), nil
}

// drawRun draws the charts of one run into dir: its time series and its
// worker timeline. It returns the files written.
func drawRun(dir string, sc *model.Scenario, res *model.Result, interval engine.Time) ([]string, error) {
	var files []string
	if len(res.Series) > 0 {
		p, err := plots.TimeSeries(res.Series, interval)
		if err != nil {
			return files, err
		}
		p.Title.Text = sc.Name + ": requests over time"
		if err := plots.Save(p, dir, "timeseries"); err != nil {
			return files, err
		}
		files = append(files, filepath.Join(dir, "timeseries.png"), filepath.Join(dir, "timeseries.svg"))
	}
	if len(res.Workers) > 0 {
		p, err := plots.Timeline(res.Workers, res.Horizon)
		if err != nil {
			return files, err
		}
		p.Title.Text = sc.Name + ": worker processes"
		if err := plots.Save(p, dir, "workers"); err != nil {
			return files, err
		}
		files = append(files, filepath.Join(dir, "workers.png"), filepath.Join(dir, "workers.svg"))
	}
	return files, nil
}
