package report

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/poolsim/poolsim/experiments"
	scn "github.com/poolsim/poolsim/model/scenario"
	"github.com/poolsim/poolsim/plots"
)

// Sweep is a finished sweep as its output directory holds it.
type Sweep struct {
	Dir string
	// Experiment is the experiment as run (nil when it could not be
	// loaded: the report then says so and works from the tables alone).
	Experiment *experiments.Experiment
	Header     experiments.RunHeader
	// Source and ScenarioSource are experiment.toml (after its header)
	// and scenario.toml as run.
	Source, ScenarioSource []byte
	// Summary and Compare are summary.csv and compare.csv (Compare nil
	// without a baseline); Precision is precision.csv when the sweep ran to
	// a precision target.
	Summary, Compare, Precision *plots.Table
	// About is what every chart rests on.
	About plots.About
	// Scenario is the base scenario with the experiment's overrides, that
	// of the first grid point (nil when it could not be decoded).
	Scenario *scn.Scenario
	// Warnings carried from the run: scenario warnings, precision not met,
	// warm-up concerns, loading problems.
	Warnings []string
}

// LoadSweep reads a finished sweep's output directory: experiment.toml and
// scenario.toml as run, summary.csv, and compare.csv and precision.csv when
// there are.
func LoadSweep(dir string) (*Sweep, error) {
	s := &Sweep{Dir: dir}
	h, src, err := experiments.ReadRunHeader(dir)
	if err != nil {
		return nil, err
	}
	s.Header, s.Source = h, src
	if s.ScenarioSource, err = os.ReadFile(filepath.Join(dir, experiments.ScenarioFile)); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	if s.Summary, err = plots.ReadTable(filepath.Join(dir, experiments.SummaryFile)); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("report: %s has no %s: is the sweep finished (a shard, or interrupted)?", dir, experiments.SummaryFile)
		}
		return nil, fmt.Errorf("report: %w", err)
	}
	if s.Compare, err = readOptional(dir, experiments.CompareFile); err != nil {
		return nil, err
	}
	if s.Precision, err = readOptional(dir, experiments.PrecisionFile); err != nil {
		return nil, err
	}
	s.Experiment, err = loadExperiment(dir, h, src)
	if err != nil {
		s.Warnings = append(s.Warnings, fmt.Sprintf("The experiment could not be loaded as run (%v): the report works from the tables alone, without the horizon and the scenario's warnings.", err))
	} else {
		s.About, s.Scenario = AboutExperiment(s.Experiment)
	}
	s.Warnings = append(s.Warnings, s.warnings()...)
	return s, nil
}

// readOptional reads a table that a sweep writes only sometimes.
func readOptional(dir, name string) (*plots.Table, error) {
	t, err := plots.ReadTable(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	return t, nil
}

var scenarioLine = regexp.MustCompile(`(?m)^scenario\s*=\s*("[^"\n]*"|'[^'\n]*')`)

// loadExperiment loads the experiment as run. experiments.LoadRun refuses
// a sweep made by another version of poolsim (its runs cannot be resumed);
// a report only reads it, so the experiment is then parsed again with its
// scenario pointed at scenario.toml.
func loadExperiment(dir string, h experiments.RunHeader, src []byte) (*experiments.Experiment, error) {
	e, err := experiments.LoadRun(dir)
	if err == nil {
		return e, nil
	}
	abs, aerr := filepath.Abs(filepath.Join(dir, experiments.ScenarioFile))
	if aerr != nil || !scenarioLine.Match(src) {
		return nil, err
	}
	redirected := scenarioLine.ReplaceAll(src, []byte("scenario = "+scn.QuoteString(abs)))
	e, perr := experiments.Parse(filepath.Join(dir, experiments.ExperimentFile), redirected, "")
	if perr != nil {
		return nil, err
	}
	e.File, e.ScenarioFile = h.File, h.ScenarioFile
	return e, nil
}

// AboutExperiment returns what the charts of an experiment rest on (its
// confidence level, the horizon and warm-up of its grid points, as a range
// when they differ) and the scenario of its first grid point.
func AboutExperiment(e *experiments.Experiment) (plots.About, *scn.Scenario) {
	a := plots.About{Confidence: e.Confidence}
	var first *scn.Scenario
	var horizons, warmups []string
	for i, p := range e.Points() {
		if i >= 500 { // enough to see a range; decoding more costs time
			break
		}
		sc, err := e.ScenarioAt(p)
		if err != nil {
			continue
		}
		if first == nil {
			first = sc
		}
		horizons = appendNew(horizons, sc.Horizon.String())
		w := sc.Warmup.Duration.String()
		if sc.Warmup.Auto {
			w = "estimated per run (MSER-5)"
		}
		warmups = appendNew(warmups, w)
	}
	a.Horizon, a.Warmup = span(horizons), span(warmups)
	return a, first
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// span writes one value, or the first and last of several ("1h to 24h").
func span(values []string) string {
	switch len(values) {
	case 0:
		return ""
	case 1:
		return values[0]
	}
	return values[0] + " to " + values[len(values)-1]
}

// warnings are what the run's files say a reader should know.
func (s *Sweep) warnings() []string {
	var out []string
	if _, w, err := scn.DecodeWarn(experiments.ScenarioFile, s.ScenarioSource); err == nil {
		for _, x := range w {
			out = append(out, "Scenario: "+x)
		}
	}
	if t := s.Precision; t != nil {
		if c := t.Col("met"); c >= 0 {
			var missed []string
			for r := range t.Rows {
				if t.Str(r, c) != "true" {
					missed = append(missed, pointName(t, r))
				}
			}
			if len(missed) > 0 {
				out = append(out, fmt.Sprintf("Precision not met at %d of %d grid points (the replication budget ran out first): %s.",
					len(missed), len(t.Rows), strings.Join(limit(missed, 6), "; ")))
			}
		}
	}
	if nc := s.Summary.Col("n"); nc >= 0 {
		for r := range s.Summary.Rows {
			if s.Summary.Str(r, nc) == "1" {
				out = append(out, "A grid point has a single replication: it has no confidence interval, and no difference can be called significant.")
				break
			}
		}
	}
	if s.Scenario != nil && !s.Scenario.Warmup.Auto && s.Scenario.Warmup.Duration == 0 {
		out = append(out, "No warm-up: the start of every run (an empty queue, workers starting) is counted with the rest.")
	}
	if s.Scenario != nil && s.Scenario.Warmup.Auto {
		if wc := s.Summary.Col("warmup_s_mean"); wc >= 0 {
			h := s.Scenario.Horizon.T().Seconds()
			for r := range s.Summary.Rows {
				if v, err := s.Summary.Float(r, wc); err == nil && v > h/2 {
					out = append(out, fmt.Sprintf("The estimated warm-up of %s is over half the horizon: its runs may not have settled.", pointName(s.Summary, r)))
					break
				}
			}
		}
	}
	if s.Experiment != nil {
		if err := s.Experiment.CheckBudget(); err != nil {
			out = append(out, "Budget: "+err.Error())
		}
	}
	return out
}

// pointName names a table's row by its variant and sweep values:
// "time 60m (40, 2h)".
func pointName(t *plots.Table, r int) string {
	name := t.Str(r, t.Col("variant"))
	var vals []string
	for _, k := range t.SweepKeys() {
		vals = append(vals, t.Str(r, t.Col(k)))
	}
	if len(vals) > 0 {
		name += " (" + strings.Join(vals, ", ") + ")"
	}
	return name
}

func limit(list []string, n int) []string {
	if len(list) <= n {
		return list
	}
	return append(list[:n:n], fmt.Sprintf("and %d more", len(list)-n))
}

// description splits the experiment file's leading comment into the
// question (its first paragraph) and the rest.
func description(src []byte) (question string, rest []string) {
	var paras []string
	var cur []string
	flush := func() {
		if len(cur) > 0 {
			paras = append(paras, strings.Join(cur, " "))
			cur = nil
		}
	}
	for line := range bytes.Lines(src) {
		l := strings.TrimSpace(string(line))
		if !strings.HasPrefix(l, "#") {
			if l == "" && len(paras)+len(cur) == 0 {
				continue
			}
			break
		}
		text := strings.TrimSpace(strings.TrimPrefix(l, "#"))
		if text == "" {
			flush()
			continue
		}
		if strings.HasPrefix(text, "- ") {
			flush()
		}
		cur = append(cur, text)
	}
	flush()
	if len(paras) == 0 {
		return "", nil
	}
	return paras[0], paras[1:]
}
