package experiments

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/poolsim/poolsim/model"
)

// Results are what a sweep produced, in memory: the rows of results.csv and
// the tables computed from them.
type Results struct {
	Experiment *Experiment
	// Metrics are the metric names, in the order of every Values slice
	// (model.MetricNames()).
	Metrics []string
	// Rows holds every run in run-index order. Run keeps them; RunTo streams
	// them to results.csv instead and leaves Rows nil, so that memory does
	// not grow with the number of runs.
	Rows []Row
	// Summary has one entry per grid point, in point order. It is nil for a
	// shard (Options.Shards > 1) or a sweep that did not finish.
	Summary []Summary
	// Compare has one entry per grid point of a variant other than the
	// baseline, in point order; nil without a baseline.
	Compare []Comparison
	// Precision, PrecisionMetric and MaxReplications are the
	// sequential-precision target the sweep ran to (zero: fixed
	// replications).
	Precision       float64
	PrecisionMetric string
	MaxReplications int
}

// Row is one run: replication Replication of grid point Point.
type Row struct {
	// Run is the run's index, stable across invocations: Replication ×
	// (number of grid points) + Point. Adding replications appends runs
	// without renumbering any.
	Run         int
	Point       int
	Replication int
	Seed        uint64
	Values      []float64 // in model.MetricNames() order
}

// Metric returns the run's value of the named metric (NaN if there is no
// such metric).
func (r Row) Metric(name string) float64 {
	if i, ok := metricIndex(name); ok && i < len(r.Values) {
		return r.Values[i]
	}
	return math.NaN()
}

// Summary is one grid point's row of summary.csv.
type Summary struct {
	Point Point
	N     int
	// Mean and CI (the confidence half-width) per metric.
	Mean, CI []float64
}

// Stat returns the point's mean and half-width of the named metric.
func (s Summary) Stat(metric string) (Stat, bool) {
	i, ok := metricIndex(metric)
	if !ok || i >= len(s.Mean) {
		return Stat{}, false
	}
	return Stat{N: s.N, Mean: s.Mean[i], CI: s.CI[i]}, true
}

// Comparison is one row of compare.csv: a grid point against the baseline
// variant's point with the same sweep values, replication by replication.
type Comparison struct {
	Point    Point
	Baseline string
	N        int // replications paired
	// Diff is the mean of the per-replication differences (point minus
	// baseline) per metric; DiffCI its paired-t half-width; UnpairedCI the
	// Welch half-width the same difference would have if the runs were
	// independent. Common random numbers make DiffCI the smaller.
	Diff, DiffCI, UnpairedCI []float64
}

// Metric returns the comparison's difference of the named metric.
func (c Comparison) Metric(metric string) (Diff, bool) {
	i, ok := metricIndex(metric)
	if !ok || i >= len(c.Diff) {
		return Diff{}, false
	}
	return Diff{N: c.N, Baseline: c.Baseline, Diff: c.Diff[i], CI: c.DiffCI[i], UnpairedCI: c.UnpairedCI[i]}, true
}

// Stat is a mean with its confidence half-width over N replications.
type Stat struct {
	N        int
	Mean, CI float64
}

// Diff is a paired difference from the baseline with its confidence
// half-width, and the half-width an unpaired comparison would have.
type Diff struct {
	N          int
	Baseline   string
	Diff, CI   float64
	UnpairedCI float64
}

var metricIndexes = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for i, n := range model.MetricNames() {
		m[n] = i
	}
	return m
})

func metricIndex(name string) (int, bool) {
	i, ok := metricIndexes()[name]
	return i, ok
}

// Point finds the grid point of a variant at the given sweep values, one per
// sweep axis, written as their labels ("40", "60m") or as Go values (40,
// "60m", 0.5).
func (r *Results) Point(variant string, sweep ...any) (Point, bool) {
	return r.Experiment.Point(variant, sweep...)
}

// Point finds the grid point of a variant at the given sweep values.
func (e *Experiment) Point(variant string, sweep ...any) (Point, bool) {
	if len(sweep) != len(e.Sweeps) {
		return Point{}, false
	}
	labels := make([]string, len(sweep))
	for i, v := range sweep {
		labels[i] = label(v)
	}
	for _, p := range e.points {
		if p.Variant == variant && slices.Equal(p.Sweep, labels) {
			return p, true
		}
	}
	return Point{}, false
}

// Stat returns the mean and half-width of a metric at a grid point.
func (r *Results) Stat(variant, metric string, sweep ...any) (Stat, bool) {
	p, ok := r.Point(variant, sweep...)
	if !ok || p.Index >= len(r.Summary) {
		return Stat{}, false
	}
	return r.Summary[p.Index].Stat(metric)
}

// Diff returns a grid point's paired difference from the baseline.
func (r *Results) Diff(variant, metric string, sweep ...any) (Diff, bool) {
	p, ok := r.Point(variant, sweep...)
	if !ok {
		return Diff{}, false
	}
	for _, c := range r.Compare {
		if c.Point.Index == p.Index {
			d, ok := c.Metric(metric)
			return d, ok
		}
	}
	return Diff{}, false
}

// Values returns a metric's value in every replication of a grid point, in
// replication order (nil when the rows were streamed to disk).
func (r *Results) Values(variant, metric string, sweep ...any) []float64 {
	p, ok := r.Point(variant, sweep...)
	i, okm := metricIndex(metric)
	if !ok || !okm {
		return nil
	}
	var out []float64
	for _, row := range r.Rows {
		if row.Point == p.Index {
			out = append(out, row.Values[i])
		}
	}
	return out
}

// FormatFloat is the one way numbers are written to tables: the shortest
// text that reads back as the same float64, and an empty cell for NaN (a
// metric of nothing, such as the response time of no ok request).
func FormatFloat(f float64) string {
	if math.IsNaN(f) {
		return ""
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// Write writes the tables into dir (created if needed), each file
// atomically (a temporary file renamed into place): results.csv when Rows
// are held, summary.csv and compare.csv when computed, precision.csv for a
// sequential-precision sweep, and experiment.toml and scenario.toml, the
// files as run.
func (r *Results) Write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if r.Rows != nil {
		err := writeAtomic(filepath.Join(dir, ResultsFile), func(w *bufio.Writer) error {
			t := newRowWriter(w, r.Experiment)
			for _, row := range r.Rows {
				if err := t.write(row); err != nil {
					return err
				}
			}
			return t.flush()
		})
		if err != nil {
			return err
		}
	}
	return r.writeTables(dir)
}

// writeTables writes everything but results.csv.
func (r *Results) writeTables(dir string) error {
	e := r.Experiment
	if r.Summary != nil {
		if err := writeAtomic(filepath.Join(dir, SummaryFile), func(w *bufio.Writer) error { return r.writeSummary(w) }); err != nil {
			return err
		}
	}
	if r.Compare != nil {
		if err := writeAtomic(filepath.Join(dir, CompareFile), func(w *bufio.Writer) error { return r.writeCompare(w) }); err != nil {
			return err
		}
	}
	if r.Precision > 0 && r.Summary != nil {
		if err := writeAtomic(filepath.Join(dir, PrecisionFile), r.writePrecision); err != nil {
			return err
		}
	}
	return e.writeInputs(dir, r.Precision, r.PrecisionMetric, r.MaxReplications)
}

// Output file names.
const (
	ResultsFile    = "results.csv"
	SummaryFile    = "summary.csv"
	CompareFile    = "compare.csv"
	PrecisionFile  = "precision.csv"
	ExperimentFile = "experiment.toml"
	ScenarioFile   = "scenario.toml"
	// EffectiveScenarioFile is the base scenario with every value in
	// effect, defaults included, and poolsim's assumptions listed.
	EffectiveScenarioFile = "scenario-effective.toml"
	JournalFile           = "journal.jsonl"
)

// rowWriter writes results.csv rows.
type rowWriter struct {
	c   *csv.Writer
	e   *Experiment
	rec []string
}

func newRowWriter(w *bufio.Writer, e *Experiment) *rowWriter {
	t := &rowWriter{c: csv.NewWriter(w), e: e}
	header := append([]string{"variant"}, e.SweepKeys()...)
	header = append(header, "replication", "seed")
	header = append(header, model.MetricNames()...)
	t.c.Write(header)
	return t
}

func (t *rowWriter) write(row Row) error {
	p := t.e.points[row.Point]
	t.rec = append(t.rec[:0], pointCells(p)...)
	t.rec = append(t.rec, strconv.Itoa(row.Replication), strconv.FormatUint(row.Seed, 10))
	for _, v := range row.Values {
		t.rec = append(t.rec, FormatFloat(v))
	}
	return t.c.Write(t.rec)
}

func (t *rowWriter) flush() error {
	t.c.Flush()
	return t.c.Error()
}

func pointCells(p Point) []string {
	cells := []string{csvText(p.Variant)}
	for _, l := range p.Sweep {
		cells = append(cells, csvText(l))
	}
	return cells
}

// csvText escapes a text cell that a spreadsheet would take for a formula
// (OWASP, CSV injection: a leading =, +, -, @, tab or carriage return)
// with a leading single quote; numbers such as -5 are left alone.
func csvText(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return s
	}
	return "'" + s
}

// ciCell writes a confidence half-width: empty when n < 2, since one
// replication gives no interval.
func ciCell(n int, ci float64) string {
	if n < 2 {
		return ""
	}
	return FormatFloat(ci)
}

func (r *Results) writeSummary(w io.Writer) error {
	c := csv.NewWriter(w)
	header := append([]string{"variant"}, r.Experiment.SweepKeys()...)
	header = append(header, "n")
	for _, m := range r.Metrics {
		header = append(header, m+"_mean", m+"_ci")
	}
	c.Write(header)
	for _, s := range r.Summary {
		rec := append(pointCells(s.Point), strconv.Itoa(s.N))
		for i := range s.Mean {
			rec = append(rec, FormatFloat(s.Mean[i]), ciCell(s.N, s.CI[i]))
		}
		c.Write(rec)
	}
	c.Flush()
	return c.Error()
}

func (r *Results) writeCompare(w io.Writer) error {
	c := csv.NewWriter(w)
	header := []string{"variant", "baseline"}
	header = append(header, r.Experiment.SweepKeys()...)
	header = append(header, "n")
	for _, m := range r.Metrics {
		header = append(header, m+"_diff", m+"_diff_ci", m+"_unpaired_ci")
	}
	c.Write(header)
	for _, d := range r.Compare {
		cells := pointCells(d.Point)
		rec := append([]string{cells[0], csvText(d.Baseline)}, cells[1:]...)
		rec = append(rec, strconv.Itoa(d.N))
		for i := range d.Diff {
			rec = append(rec, FormatFloat(d.Diff[i]), ciCell(d.N, d.DiffCI[i]), ciCell(d.N, d.UnpairedCI[i]))
		}
		c.Write(rec)
	}
	c.Flush()
	return c.Error()
}

// writePrecision writes, per grid point, how many replications it needed to
// reach the target relative half-width of the precision metric.
func (r *Results) writePrecision(w *bufio.Writer) error {
	c := csv.NewWriter(w)
	header := append([]string{"variant"}, r.Experiment.SweepKeys()...)
	header = append(header, "n", "metric", "mean", "ci", "relative_ci", "target", "met")
	c.Write(header)
	for _, s := range r.Summary {
		st, _ := s.Stat(r.PrecisionMetric)
		rel := relative(st)
		rec := append(pointCells(s.Point), strconv.Itoa(s.N), r.PrecisionMetric,
			FormatFloat(st.Mean), ciCell(st.N, st.CI), FormatFloat(rel), FormatFloat(r.Precision),
			strconv.FormatBool(rel <= r.Precision))
		c.Write(rec)
	}
	c.Flush()
	return c.Error()
}

// relative is the half-width relative to the mean's magnitude: 0 when both
// are 0 (a metric that is 0 in every replication is known exactly), +Inf
// when only the mean is.
func relative(s Stat) float64 {
	switch {
	case s.CI == 0:
		return 0
	case s.Mean == 0:
		return math.Inf(1)
	}
	return s.CI / math.Abs(s.Mean)
}

// writeAtomic writes path through a temporary file in the same directory,
// renamed into place once complete, so that a reader never sees half a file.
func writeAtomic(path string, write func(w *bufio.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}
