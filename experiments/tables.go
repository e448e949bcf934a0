package experiments

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// WriteSummary writes the summary table, the bytes of summary.csv: one row
// per grid point with the mean and confidence half-width of every metric.
// It fails when there is no summary (a shard, or a sweep that did not
// finish).
func (r *Results) WriteSummary(w io.Writer) error {
	if r.Summary == nil {
		return errors.New("experiments: no summary (a shard, or a sweep that did not finish)")
	}
	return r.writeSummary(w)
}

// WriteCompare writes the paired differences from the baseline, the bytes
// of compare.csv. It fails when the experiment has no baseline.
func (r *Results) WriteCompare(w io.Writer) error {
	if r.Compare == nil {
		return errors.New("experiments: no comparison (the experiment has no baseline, or the sweep did not finish)")
	}
	return r.writeCompare(w)
}

// Table writes the mean ± confidence half-width of the named metrics at
// every grid point, aligned in columns: the variant, the sweep values, the
// number of replications, then one column per metric. Rates and
// availability are in per cent. It fails on an unknown metric or when
// there is no summary.
func (r *Results) Table(w io.Writer, metrics ...string) error {
	if r.Summary == nil {
		return errors.New("experiments: no summary (a shard, or a sweep that did not finish)")
	}
	for _, m := range metrics {
		if _, ok := metricIndex(m); !ok {
			return fmt.Errorf("experiments: unknown metric %q", m)
		}
	}
	t := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprint(t, "variant")
	for _, k := range r.Experiment.SweepKeys() {
		fmt.Fprintf(t, "\t%s", k)
	}
	fmt.Fprint(t, "\tn")
	for _, m := range metrics {
		fmt.Fprintf(t, "\t%s", m)
	}
	fmt.Fprintln(t)
	for _, s := range r.Summary {
		fmt.Fprint(t, s.Point.Variant)
		for _, l := range s.Point.Sweep {
			fmt.Fprintf(t, "\t%s", l)
		}
		fmt.Fprintf(t, "\t%d", s.N)
		for _, m := range metrics {
			st, _ := s.Stat(m)
			fmt.Fprintf(t, "\t%s", FormatStat(m, st))
		}
		fmt.Fprintln(t)
	}
	if err := t.Flush(); err != nil {
		return err
	}
	if slices.ContainsFunc(r.Summary, func(s Summary) bool { return s.N == 1 }) {
		_, err := fmt.Fprintln(w, "(± n/a: one replication gives no confidence interval; run at least 2)")
		return err
	}
	return nil
}

// Format returns a metric's mean ± confidence half-width at a grid point as
// text, as Table writes it ("1.234 % ± 0.210 %", "3.2 ± 0.41"), or an
// explanation in brackets when there is no such point or metric.
func (r *Results) Format(variant, metric string, sweep ...any) string {
	if _, ok := metricIndex(metric); !ok {
		return fmt.Sprintf("[unknown metric %q]", metric)
	}
	s, ok := r.Stat(variant, metric, sweep...)
	if !ok {
		return fmt.Sprintf("[no grid point %q %v]", variant, sweep)
	}
	return FormatStat(metric, s)
}

// FormatStat formats a mean ± confidence half-width: rates (rate_*) and
// availability in per cent with three decimals, other metrics with three
// significant digits (whole numbers from 100 up).
//
// With one replication there is no interval: "± n/a".
func FormatStat(metric string, s Stat) string {
	pct := strings.HasPrefix(metric, "rate_") || metric == "availability"
	var mean, ci string
	switch {
	case pct:
		mean, ci = fmt.Sprintf("%.3f %%", 100*s.Mean), fmt.Sprintf("%.3f %%", 100*s.CI)
	case s.Mean >= 100 || s.Mean <= -100:
		mean, ci = fmt.Sprintf("%.0f", s.Mean), fmt.Sprintf("%.0f", s.CI)
	default:
		mean, ci = fmt.Sprintf("%.3g", s.Mean), fmt.Sprintf("%.2g", s.CI)
	}
	if s.N == 1 {
		ci = "n/a"
	}
	return mean + " ± " + ci
}

// ScenarioAt returns the scenario of a grid point, decoded with the
// experiment's overrides, the point's variant and sweep values, and the
// experiment's seed: what every run of the point simulates.
func (e *Experiment) ScenarioAt(p Point) (*scenario.Scenario, error) {
	if p.Index < 0 || p.Index >= len(e.points) || e.points[p.Index].Variant != p.Variant || !slices.Equal(e.points[p.Index].Sweep, p.Sweep) {
		return nil, fmt.Errorf("experiments: %s is not a grid point of %s", p, e.Name)
	}
	return e.scenario(p.Index)
}

// RunOne runs one replication of a grid point alone (opt.Replication
// selects which, with the same random streams as in the sweep) and returns
// the whole result: with opt.Interval, a time series, and the workers'
// lifecycles, for a closer look at what happened.
func (e *Experiment) RunOne(p Point, opt model.Options) (*model.Result, error) {
	sc, err := e.ScenarioAt(p)
	if err != nil {
		return nil, err
	}
	return model.Run(sc, opt)
}

// PrecisionMissed returns the grid points of a sweep to a precision target
// (Options.Precision) whose relative half-width of the metric is still
// above the target: they reached MaxReplications first.
func (r *Results) PrecisionMissed() []Point {
	if r.Precision == 0 {
		return nil
	}
	var missed []Point
	for _, s := range r.Summary {
		if st, ok := s.Stat(r.PrecisionMetric); ok && !(relative(st) <= r.Precision) {
			missed = append(missed, s.Point)
		}
	}
	return missed
}
