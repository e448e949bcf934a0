package report

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strings"

	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/plots"
)

// Options are what a report says about how it was made.
type Options struct {
	// Version is the poolsim version that draws the report (the sweep's
	// own is in its experiment.toml).
	Version string
	// Command reproduces the results ("" derives one from the files).
	Command string
}

// ChartsOf returns the charts an experiment asks for, for the plots
// package.
func ChartsOf(e *experiments.Experiment) []plots.Chart {
	if e == nil {
		return nil
	}
	out := make([]plots.Chart, len(e.Charts))
	for i, c := range e.Charts {
		out[i] = plots.Chart{Title: c.Title, X: c.X, Y: c.Y, Group: c.Group, Kind: c.Kind}
	}
	return out
}

// WriteSweep writes the report of a finished sweep into its directory as
// report.html and returns its path. Charts that cannot be drawn are left
// out with a warning on the page.
func WriteSweep(s *Sweep, opt Options) (string, error) {
	p, err := sweepPage(s, opt)
	if err != nil {
		return "", err
	}
	return writePage(s.Dir, p)
}

func sweepPage(s *Sweep, opt Options) (*page, error) {
	p := &page{Title: s.Header.File}
	e := s.Experiment
	if e != nil {
		p.Title = e.Name
	}
	q, rest := description(s.Source)
	p.Question, p.Text = prose(q), paragraphs(rest)
	var charted []string
	for _, c := range ChartsOf(e) {
		charted = append(charted, c.Y)
	}
	metrics := keyMetrics(charted, s.Summary)
	if err := s.verdict(p, metrics); err != nil {
		return nil, err
	}
	for _, w := range s.Warnings {
		p.Warnings = append(p.Warnings, prose(w))
	}
	p.Table = s.table(metrics)
	for _, c := range append(plots.DefaultCharts(s.Summary, s.Compare), ChartsOf(e)...) {
		f, err := c.Plot(s.Summary, s.Compare, s.About)
		if err == nil {
			var ch chart
			if ch, err = figure(f); err == nil {
				p.Charts = append(p.Charts, ch)
				continue
			}
		}
		p.Warnings = append(p.Warnings, prose(fmt.Sprintf("Chart %q could not be drawn: %v", c.Title, err)))
	}
	p.ScenarioName = experiments.ScenarioFile + " (" + s.Header.ScenarioFile + ")"
	p.ScenarioSource = markedSource(s.Scenario, s.ScenarioSource)
	if s.Scenario != nil {
		p.Assumptions = Assumptions(s.Scenario, s.ScenarioSource)
	}
	p.Experiment = string(s.Source)
	p.Facts = [][2]string{
		{"poolsim version of the sweep", s.Header.Version},
		{"random-stream scheme", s.Header.StreamScheme},
		{"fingerprint", s.Header.Fingerprint},
		{"files as run", experiments.ExperimentFile + ", " + experiments.ScenarioFile + " (beside this report)"},
	}
	if e != nil {
		p.Facts = append(p.Facts, [2]string{"seed", fmt.Sprint(e.Seed)})
	}
	if opt.Version != "" && opt.Version != s.Header.Version {
		p.Facts = append(p.Facts, [2]string{"report drawn by poolsim", opt.Version})
	}
	p.Command = opt.Command
	if p.Command == "" {
		p.Command = fmt.Sprintf("poolsim sweep %s -o %s", s.Header.File, s.Dir)
		if s.Header.Precision {
			p.Command += "   # with the --precision flags recorded in experiment.toml"
		}
		p.Command += "\npoolsim report " + s.Dir
	}
	return p, nil
}

// verdict writes the answer: a headline and a sentence per key metric from
// the paired comparisons, or, without a baseline, the means.
func (s *Sweep) verdict(p *page, metrics []string) error {
	conf := "the confidence level recorded"
	if s.About.Confidence > 0 {
		conf = strings.TrimSuffix(fmt.Sprintf("%g", s.About.Confidence*100), ".0") + " %"
	}
	n := nRange(s.Summary)
	if s.Compare == nil || len(s.Compare.Rows) == 0 {
		p.Headline = prose("This experiment has no baseline to compare with: the table gives each variant's means with their confidence intervals.")
		p.Basis = fmt.Sprintf("Means over %s replications per grid point, %s confidence intervals%s.", n, conf, horizonText(s.About))
		return nil
	}
	var findings []Finding
	for _, m := range metrics {
		f, err := Compare(s.Compare, m)
		if err != nil {
			continue // a metric the comparison lacks
		}
		findings = append(findings, f)
		p.Verdict = append(p.Verdict, prose(f.Sentence()))
	}
	p.Headline = prose(Headline(findings))
	p.Basis = fmt.Sprintf("Paired differences from the baseline over %s replications with common random numbers (each variant saw the same arrivals and faults), %s confidence intervals%s. A difference is called significant when its interval excludes 0.",
		n, conf, horizonText(s.About))
	return nil
}

func horizonText(a plots.About) string {
	switch {
	case a.Horizon != "" && a.Warmup != "" && a.Warmup != "0s":
		return "; each run simulates " + a.Horizon + ", the first " + a.Warmup + " left out"
	case a.Horizon != "":
		return "; each run simulates " + a.Horizon
	}
	return ""
}

// nRange is the replications per grid point: "10" or "8 to 40".
func nRange(t *plots.Table) string {
	c := t.Col("n")
	lo, hi := math.Inf(1), math.Inf(-1)
	for r := range t.Rows {
		if v, err := t.Float(r, c); err == nil && !math.IsNaN(v) {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	switch {
	case lo > hi:
		return "an unrecorded number of"
	case lo == hi:
		return fmt.Sprint(lo)
	}
	return fmt.Sprintf("%g to %g", lo, hi)
}

// table is every grid point with the key metrics' means and intervals, and
// which earlier point gave the very same results.
func (s *Sweep) table(metrics []string) *grid {
	t := s.Summary
	g := &grid{Caption: "Every variant: means and " + confText(s.About) + " confidence intervals"}
	g.Head = []template.HTML{"variant"}
	keys := t.SweepKeys()
	for _, k := range keys {
		g.Head = append(g.Head, template.HTML(template.HTMLEscapeString(plots.KeyName(k))+"<br><code>"+template.HTMLEscapeString(k)+"</code>"))
	}
	g.Head = append(g.Head, "n")
	for _, m := range metrics {
		g.Head = append(g.Head, template.HTML(template.HTMLEscapeString(plots.MetricName(m)+" ("+plots.MetricLabel(m)+")")+"<br><code>"+m+"</code>"))
	}
	g.Head = append(g.Head, "note")
	for r, row := range t.Rows {
		cells := []template.HTML{td(template.HTMLEscapeString(t.Str(r, t.Col("variant"))), false)}
		for _, k := range keys {
			cells = append(cells, td(template.HTMLEscapeString(t.Str(r, t.Col(k))), true))
		}
		cells = append(cells, td(t.Str(r, t.Col("n")), true))
		for _, m := range metrics {
			mean, _ := t.Float(r, t.Col(m+"_mean"))
			ci, _ := t.Float(r, t.Col(m+"_ci"))
			cells = append(cells, td(formatStat(m, mean, ci), true))
		}
		note := ""
		for q := range r {
			if slices.Equal(t.Rows[q][len(keys)+2:], row[len(keys)+2:]) && slices.Equal(t.Rows[q][1:len(keys)+1], row[1:len(keys)+1]) {
				note = "the same results as <code>" + template.HTMLEscapeString(pointName(t, q)) + "</code> in every replication"
				break
			}
		}
		cells = append(cells, td(note, false))
		g.Rows = append(g.Rows, cells)
	}
	return g
}

func confText(a plots.About) string {
	if a.Confidence <= 0 {
		return ""
	}
	return strings.TrimSuffix(fmt.Sprintf("%g", a.Confidence*100), ".0") + " %"
}

func td(html string, num bool) template.HTML {
	if num {
		return template.HTML(`<td class="num">` + html + "</td>")
	}
	return template.HTML("<td>" + html + "</td>")
}

// formatStat writes a mean ± half-width in the metric's unit as drawn:
// rates in per cent.
func formatStat(metric string, mean, ci float64) string {
	if math.IsNaN(mean) {
		return "–"
	}
	scale := plots.MetricScale(metric)
	unit := ""
	if scale == 100 {
		unit = " %"
	} else if plots.MetricLabel(metric) == "seconds" {
		unit = " s"
	}
	if math.IsNaN(ci) || ci == 0 {
		return fmt.Sprintf("%.4g%s", mean*scale, unit)
	}
	p := formatPair(mean*scale, ci*scale)
	return p[0] + unit + " ± " + p[1]
}
