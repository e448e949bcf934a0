package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
	scn "github.com/poolsim/poolsim/model/scenario"
	"github.com/poolsim/poolsim/plots"
)

// RunFile records how a run was made (beside its scenario as
// scenario.toml), so that `poolsim report DIR` can draw its report again.
const RunFile = "run.json"

// RunInputs are the inputs of one run, as poolsim run took them.
type RunInputs struct {
	Version      string   `json:"poolsim"`
	StreamScheme string   `json:"stream_scheme"`
	Scenario     string   `json:"scenario"` // the file or shipped name given
	Set          []string `json:"set,omitempty"`
	Seed         *uint64  `json:"seed,omitempty"` // --seed, when given
	Replication  uint64   `json:"replication"`
	Interval     string   `json:"interval"`
	MaxEvents    float64  `json:"max_events,omitempty"`
}

// Command is the poolsim run command that reproduces the run.
func (in RunInputs) Command(plotDir string) string {
	parts := []string{"poolsim", "run", shellQuote(in.Scenario)}
	for _, s := range in.Set {
		parts = append(parts, "--set", shellQuote(s))
	}
	if in.Seed != nil {
		parts = append(parts, "--seed", fmt.Sprint(*in.Seed))
	}
	if in.Replication != 0 {
		parts = append(parts, "--replication", fmt.Sprint(in.Replication))
	}
	if in.MaxEvents != 0 {
		parts = append(parts, "--max-events", fmt.Sprint(in.MaxEvents))
	}
	parts = append(parts, "--interval", in.Interval, "--plot", shellQuote(plotDir))
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r == '/' || r == '=' || r == ':' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// Run is one run for its report.
type Run struct {
	Dir      string
	Inputs   RunInputs
	Source   []byte // the scenario file as read
	Scenario *scn.Scenario
	Result   *model.Result
	// Warnings are the scenario's.
	Warnings []string
}

// SaveRunInputs writes the run's inputs into dir (run.json and
// scenario.toml) so that its report can be drawn again.
func SaveRunInputs(dir string, in RunInputs, source []byte) error {
	b, err := json.MarshalIndent(in, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFile(dir, RunFile, append(b, '\n')); err != nil {
		return err
	}
	return writeFile(dir, "scenario.toml", source)
}

// writeFile writes dir/name through a temporary file renamed into place,
// so that a reader never sees half a file.
func writeFile(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// IsRun reports whether dir holds a run's inputs (run.json).
func IsRun(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, RunFile))
	return err == nil
}

// LoadRun runs again the run whose inputs dir holds: the same scenario,
// overrides, seed and replication give the same result.
func LoadRun(dir string) (*Run, error) {
	b, err := os.ReadFile(filepath.Join(dir, RunFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("report: %s has no %s: not the --plot directory of a run", dir, RunFile)
	}
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	r := &Run{Dir: dir}
	if err := json.Unmarshal(b, &r.Inputs); err != nil {
		return nil, fmt.Errorf("report: %s: %v", filepath.Join(dir, RunFile), err)
	}
	if r.Source, err = os.ReadFile(filepath.Join(dir, "scenario.toml")); err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	var sets []scn.Override
	for _, s := range r.Inputs.Set {
		o, err := scn.ParseSet(s)
		if err != nil {
			return nil, fmt.Errorf("report: %s: set %q: %v", RunFile, s, err)
		}
		sets = append(sets, o)
	}
	sc, warnings, err := scn.DecodeWarn(r.Inputs.Scenario, r.Source, sets...) // named as the run named it, for the same warnings
	if err != nil {
		return nil, err
	}
	if r.Inputs.Seed != nil {
		sc.Seed = *r.Inputs.Seed
	}
	interval, err := time.ParseDuration(r.Inputs.Interval)
	if err != nil || interval <= 0 {
		return nil, fmt.Errorf("report: %s: interval %q is not a positive duration", RunFile, r.Inputs.Interval)
	}
	res, err := model.Run(sc, model.Options{Replication: r.Inputs.Replication, Interval: engine.FromDuration(interval), MaxEvents: r.Inputs.MaxEvents})
	if err != nil {
		return nil, err
	}
	r.Scenario, r.Result, r.Warnings = sc, res, warnings
	return r, nil
}

// WriteRun writes the report of one run into its directory as report.html
// and returns its path: the run's summary, its time series, the worker
// timeline with its events, and the memory of the oldest worker.
func WriteRun(r *Run, opt Options) (string, error) {
	p, err := runPage(r, opt)
	if err != nil {
		return "", err
	}
	return writePage(r.Dir, p)
}

// workersSentence counts the run's worker events as the summary does:
// those before the warm-up beside the counts that leave them out (else 5
// crashes of 4 starts puzzle a reader), each noun in the form its count
// takes.
func workersSentence(res *model.Result) string {
	m, before := &res.Metrics, res.BeforeWarmup
	n := func(v float64, one, many string, early int) string {
		s := fmt.Sprintf("%.0f %s", v, plural(int(v), one, many))
		if early > 0 {
			s += fmt.Sprintf(" (+%d before the warm-up)", early)
		}
		return s
	}
	return "Workers: " + strings.Join([]string{
		n(m.WorkerStarts, "started", "started", before.WorkerStarts),
		n(m.Crashes, "crash", "crashes", before.Crashes),
		n(m.Recycles, "recycle", "recycles", 0),
		n(m.PingKills, "ping kill", "ping kills", 0),
		n(m.ShutdownKills, "shutdown-limit kill", "shutdown-limit kills", 0),
		n(m.RapidFailTrips, "rapid-fail trip", "rapid-fail trips", before.RapidFailTrips),
	}, ", ") + "."
}

func runPage(r *Run, opt Options) (*page, error) {
	sc, res, m := r.Scenario, r.Result, &r.Result.Metrics
	p := &page{Title: sc.Name}
	if p.Title == "" {
		p.Title = "One run of " + r.Inputs.Scenario
	}
	if q, rest := description(r.Source); q != "" {
		p.Question, p.Text = prose(q), paragraphs(rest)
	}
	p.Headline = prose(fmt.Sprintf("Of %.0f requests, %s got 503, %s were abandoned, %s got 500; %s were answered OK (p99 %s).",
		m.Arrivals, pct(m.Rate503), pct(m.RateAbandoned), pct(m.RateError), pct(m.RateOK), secs(m.ResponseP99S)))
	p.Verdict = []template.HTML{prose(workersSentence(res))}
	p.Basis = fmt.Sprintf("One run (seed %d, replication %d): a single sample, without confidence intervals; a sweep with replications gives those. The horizon is %s, of which the first %s is left out of the counts.",
		sc.Seed, r.Inputs.Replication, res.Horizon, res.Warmup)
	for _, w := range r.Warnings {
		p.Warnings = append(p.Warnings, prose("Scenario: "+w))
	}
	p.Table = metricsGrid(m)
	figs, err := runFigures(r)
	if err != nil {
		return nil, err
	}
	for _, f := range figs {
		f.Note = RunNote(sc, r.Inputs.Replication, res)
		ch, err := figure(f)
		if err != nil {
			return nil, err
		}
		p.Charts = append(p.Charts, ch)
	}
	p.ScenarioName = r.Inputs.Scenario
	if len(r.Inputs.Set) > 0 {
		p.ScenarioName += " with --set " + strings.Join(r.Inputs.Set, ", --set ")
	}
	p.ScenarioSource = markedSource(sc, r.Source)
	p.Assumptions = Assumptions(sc, r.Source)
	p.Facts = [][2]string{
		{"poolsim version of the run", r.Inputs.Version},
		{"random-stream scheme", r.Inputs.StreamScheme},
		{"seed, replication", fmt.Sprintf("%d, %d", sc.Seed, r.Inputs.Replication)},
		{"files as run", RunFile + ", scenario.toml (beside this report)"},
	}
	if opt.Version != "" && opt.Version != r.Inputs.Version {
		p.Facts = append(p.Facts, [2]string{"report drawn by poolsim", opt.Version})
	}
	p.Command = opt.Command
	if p.Command == "" {
		p.Command = r.Inputs.Command(r.Dir)
	}
	return p, nil
}

// RunNote is the footnote of a chart of one run: "one run · seed 1,
// replication 0 · horizon 12h0m0s, warm-up 15m0s".
func RunNote(sc *scn.Scenario, replication uint64, res *model.Result) string {
	return fmt.Sprintf("one run · seed %d, replication %d · horizon %s, warm-up %s", sc.Seed, replication, res.Horizon, res.Warmup)
}

// runFigures are the charts of one run: time series, worker timeline (with
// its exits marked), memory of the oldest worker with the run's events.
func runFigures(r *Run) ([]*plots.Figure, error) {
	res, sc := r.Result, r.Scenario
	interval, _ := time.ParseDuration(r.Inputs.Interval)
	var figs []*plots.Figure
	if len(res.Series) > 0 {
		f, err := plots.TimeSeries(res.Series, engine.FromDuration(interval))
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	if len(res.Workers) > 0 {
		f, err := plots.Timeline(res.Workers, res.Horizon)
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	if len(res.Series) > 0 {
		f, err := plots.Memory(res.Series, res.Workers, engine.FromDuration(interval),
			plots.MemoryLimits{Crash: sc.Pool.Memory.Limit, Recycle: sc.Pool.Recycle.PrivateMemory})
		if err != nil {
			return nil, err
		}
		figs = append(figs, f)
	}
	return figs, nil
}

// metricsGrid is every metric of the run with its name, key and value.
func metricsGrid(m *model.Metrics) *grid {
	g := &grid{Caption: "The run's metrics", Head: []template.HTML{"metric", "key", "value"}}
	values := m.Values()
	for i, name := range model.MetricNames() {
		v := values[i] * plots.MetricScale(name)
		unit := plots.MetricLabel(name)
		text := strconv.FormatFloat(v, 'g', 6, 64) + " " + unit
		switch {
		case math.IsNaN(v):
			text = "n/a (nothing to measure)"
		case unit == "count":
			text = strconv.FormatFloat(v, 'g', 6, 64)
		}
		g.Rows = append(g.Rows, []template.HTML{
			td(template.HTMLEscapeString(plots.MetricName(name)), false),
			td("<code>"+name+"</code>", false),
			td(template.HTMLEscapeString(text), true),
		})
	}
	return g
}

func pct(f float64) string  { return fmt.Sprintf("%.3g %%", 100*f) }
func secs(f float64) string { return fmt.Sprintf("%.3g s", f) }
