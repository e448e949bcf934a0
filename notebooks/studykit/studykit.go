// Package studykit is what poolsim's study notebooks share: it runs an
// experiment once per notebook session, hands its results to the plots
// package as tables held in memory (no file written and read back), and
// draws the charts with footnotes that say what they rest on (the number
// of replications, the confidence level, the horizon).
//
// A notebook's setup cell imports it and adds the one function that needs
// the notebook kernel, show:
//
//	func show(f *plots.Figure, err error) {
//		gonbui.DisplayPNG(studykit.PNG(f, err))
//		gonbui.Sync()
//	}
//
// and its cells then read
//
//	res := studykit.Sweep("studies/recycle-strategies.toml")
//	show(studykit.Bars(res, "rate_503", ""))
package studykit

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/plots"
	"github.com/poolsim/poolsim/plots/report"
)

// Must stops the cell with the error, if there is one.
func Must[T any](v T, err error) T {
	Check(err)
	return v
}

// Check stops the cell with the error, if there is one (a notebook shows
// the panic as the cell's error).
func Check(err error) {
	if err != nil {
		panic(err)
	}
}

// Sweep runs an experiment file, two runs at a time, once per session of
// the notebook: the results go to the session's temporary directory
// ($GONB_TMP_DIR, else the system's), where later cells find them.
func Sweep(file string) *experiments.Results {
	base := os.Getenv("GONB_TMP_DIR")
	if base == "" {
		base = filepath.Join(os.TempDir(), "poolsim-studies")
	}
	dir := filepath.Join(base, strings.TrimSuffix(filepath.Base(file), ".toml"))
	e := Must(experiments.Load(file))
	// The first call runs the sweep; later ones resume it, which runs
	// nothing once it is complete.
	_, err := experiments.ReadJournal(dir)
	resume := !errors.Is(err, fs.ErrNotExist)
	return Must(experiments.RunTo(context.Background(), e, dir, experiments.Options{Parallel: 2, Resume: resume}))
}

// Summary is the results' summary as a table for the plots package: the
// cells of summary.csv, made in memory by the writer of that file (no file
// is written, and the cells are those of the file, byte for byte). It
// stops the cell when there is no summary.
func Summary(res *experiments.Results) *plots.Table {
	t := Must(plots.FromCSV(res.WriteSummary))
	t.Name = res.Experiment.Name + " (summary)"
	return t
}

// Compare is the results' paired differences from the baseline as a table
// for the plots package (compare.csv's cells, made in memory), or nil
// without a baseline.
func Compare(res *experiments.Results) *plots.Table {
	if res.Compare == nil {
		return nil
	}
	t := Must(plots.FromCSV(res.WriteCompare))
	t.Name = res.Experiment.Name + " (compare)"
	return t
}

// Chart draws a chart of the results, with its footnote.
func Chart(res *experiments.Results, c plots.Chart) (*plots.Figure, error) {
	about, _ := report.AboutExperiment(res.Experiment)
	return c.Plot(Summary(res), Compare(res), about)
}

// Noted gives a chart drawn from the results' tables (a part of them,
// say, with Table.Where) the footnote of the results: the replications, the
// confidence level, the horizon.
//
//	show(studykit.Noted(res)(plots.Lines(studykit.Summary(res).Where("variant", "a"), "pool.threads", "rate_503")))
func Noted(res *experiments.Results) func(*plots.Figure, error) (*plots.Figure, error) {
	about, _ := report.AboutExperiment(res.Experiment)
	return func(f *plots.Figure, err error) (*plots.Figure, error) {
		if err != nil {
			return nil, err
		}
		f.Describe(about)
		return f, nil
	}
}

// Bars draws a metric by variant, grouped by a sweep key ("" for none).
func Bars(res *experiments.Results, metric, group string) (*plots.Figure, error) {
	return Chart(res, plots.Chart{Y: metric, Group: group, Kind: "bars"})
}

// Lines draws a metric against a numeric sweep key.
func Lines(res *experiments.Results, x, metric string) (*plots.Figure, error) {
	return Chart(res, plots.Chart{X: x, Y: metric, Kind: "lines"})
}

// Differences draws each variant's paired difference from the baseline.
func Differences(res *experiments.Results, metric string) (*plots.Figure, error) {
	return Chart(res, plots.Chart{Y: metric, Kind: "diff"})
}

// PNG renders a chart at the slide size for a notebook cell's output,
// stopping the cell on an error.
func PNG(f *plots.Figure, err error) []byte {
	return Must(plots.PNG(Must(f, err), plots.Width, plots.Height))
}
