package experiments

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/internal/tomlin"
)

// Defaults of the experiment file.
const (
	DefaultReplications = 10
	DefaultSeed         = 1
	DefaultConfidence   = 0.95
	// BaseVariant names the one implicit variant of an experiment that
	// declares none: the scenario as it is.
	BaseVariant = "base"
)

// Limits that keep a mistyped experiment from asking for the impossible.
const (
	maxPoints       = 1_000_000
	maxReplications = 1_000_000
	// maxCheckedPoints bounds the grid points Parse decodes one by one.
	maxCheckedPoints = 10_000
)

// ChartKinds returns the values a [[chart]] table's kind may take: "" lets
// the chart pick (bars against the variant, lines against a numeric sweep
// key); "diff" draws each variant's paired difference from the baseline.
func ChartKinds() []string { return []string{"", "bars", "lines", "diff", "bar", "line"} }

// Experiment is a parsed experiment file: a base scenario, the variants and
// sweep axes that form its grid, and how many replications to run of each
// grid point. Its fields describe the file as parsed: read them, but change
// none but Replications (which only sets how many runs a sweep makes of each
// point). An Experiment is safe for concurrent use.
type Experiment struct {
	Name string
	// File is the experiment file as named to Load or Parse: a path, or the
	// name of a shipped experiment.
	File string
	// Scenario is the scenario reference as written; ScenarioFile is where
	// it was found (a path, or a shipped scenario's name).
	Scenario     string
	ScenarioFile string
	Replications int
	Seed         uint64
	Confidence   float64
	// Baseline is the variant the others are compared with: the baseline
	// key, or else the first variant; "" when there are fewer than two.
	Baseline string
	// Overrides apply to every run, before the variant's own (which may set
	// the same keys again).
	Overrides []Override
	// Variants in file order; one variant BaseVariant with no overrides when
	// the file declares none.
	Variants []Variant
	// Sweeps in file order. The grid is Variants × Sweeps[0].Values × … with
	// the last axis varying fastest.
	Sweeps []Sweep
	Charts []Chart
	// Version is the poolsim version recorded in experiment.toml and part
	// of the fingerprint of its runs: "" (DefaultVersion) after Parse, set
	// by the program that runs it (the command line sets its own), and
	// the version the sweep recorded after LoadRun, so that a sweep can be
	// resumed or merged by any program.
	Version string

	source       []byte // the experiment file
	scenarioData []byte
	points       []Point
	sim          simulator
}

// Variant is a named set of overrides of the base scenario.
type Variant struct {
	Name      string
	Overrides []Override
	Line      int
}

// Override sets one dotted key of the scenario; Value is TOML value text
// ("60m" as `"60m"`, 20000 as `20000`).
type Override struct {
	Key   string
	Value string
	Line  int
}

// Sweep is one axis of the grid: a dotted key and the values it takes.
type Sweep struct {
	Key string
	// Values as TOML value text, and Labels as they appear in CSV cells and
	// lookups: a string as it is, any other value as its TOML text.
	Values []string
	Labels []string
	Line   int
}

// Chart is a [[chart]] table: which chart to draw from the results.
type Chart struct {
	Title string `toml:"title"`
	X     string `toml:"x"`     // "variant" (the default) or a sweep key
	Y     string `toml:"y"`     // a metric name
	Group string `toml:"group"` // "", "variant" or a sweep key
	Kind  string `toml:"kind"`  // one of ChartKinds
	Line  int    `toml:"-"`
}

// Point is one grid point: a variant and one value of every sweep axis.
type Point struct {
	Index   int
	Variant string
	// Sweep holds the labels of the point's sweep values, one per
	// Experiment.Sweeps entry.
	Sweep []string
}

// String names the point: the variant, then its sweep values in
// parentheses: `time 60m (40, 2h)`.
func (p Point) String() string {
	if len(p.Sweep) == 0 {
		return p.Variant
	}
	return p.Variant + " (" + strings.Join(p.Sweep, ", ") + ")"
}

// describe names the point for messages, with the sweep keys:
// `variant "time 60m", clients.trendpage.count=40`.
func (p Point) describe(sweeps []Sweep) string {
	var b strings.Builder
	fmt.Fprintf(&b, "variant %q", p.Variant)
	for i, l := range p.Sweep {
		fmt.Fprintf(&b, ", %s=%s", sweeps[i].Key, l)
	}
	return b.String()
}

// Points returns the grid points in order; a point's Index is its position.
func (e *Experiment) Points() []Point { return e.points }

// Source returns the experiment file's bytes as parsed, without a leading
// byte-order mark.
func (e *Experiment) Source() []byte { return e.source }

// ScenarioSource returns the base scenario's bytes.
func (e *Experiment) ScenarioSource() []byte { return e.scenarioData }

// SweepKeys returns the dotted keys of the sweep axes, in order.
func (e *Experiment) SweepKeys() []string {
	keys := make([]string, len(e.Sweeps))
	for i, s := range e.Sweeps {
		keys[i] = s.Key
	}
	return keys
}

// Variant returns the variant called name.
func (e *Experiment) Variant(name string) (*Variant, bool) {
	for i := range e.Variants {
		if e.Variants[i].Name == name {
			return &e.Variants[i], true
		}
	}
	return nil, false
}

// Load reads an experiment file, or else the shipped experiment of that name
// (a file on disk wins). A relative scenario path in the file is resolved
// against the file's directory. Only a regular file of at most
// scenario.MaxFileBytes is read, and its problems are reported as "poolsim
// sweep" reports them.
func Load(pathOrName string) (*Experiment, error) {
	in, err := ReadInput(pathOrName, KindExperiment)
	if err != nil {
		return nil, err
	}
	return in.Parse()
}

// Parse decodes and validates an experiment file. filename names it in
// errors; baseDir is the directory a relative scenario path is resolved
// against ("" for an experiment that is not on disk: its scenario must then
// be a shipped one or an absolute path).
//
// Decoding is strict: unknown keys, wrong types and values out of range are
// errors naming the file, line and key. Every variant, every sweep value and
// every grid point is decoded against the scenario, so an override the
// scenario rejects is reported here, before anything runs. One call
// reports every problem once, at most tomlin.MaxReported of them.
func Parse(filename string, data []byte, baseDir string) (*Experiment, error) {
	return parse(filename, data, baseDir, modelSimulator)
}

func looksLikePath(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.HasSuffix(s, ".toml")
}

func parse(filename string, data []byte, baseDir string, sim simulator) (*Experiment, error) {
	doc, err := tomlin.Parse(filename, data, tomlin.EmptyInput)
	if err != nil {
		return nil, err
	}
	if !IsExperiment(doc.Raw) && isScenario(doc.Raw) {
		return nil, tomlin.Errors{{File: filename, Msg: fmt.Sprintf("a scenario, not an experiment: run it with \"poolsim run %s\"", filename)}}
	}
	p := newParser(filename, doc)
	p.strict()
	e := &Experiment{
		File:         filename,
		Replications: DefaultReplications,
		Seed:         DefaultSeed,
		Confidence:   DefaultConfidence,
		source:       slices.Clone(doc.Data), // without a byte-order mark, which would not survive experiment.toml's header
		sim:          sim,
	}
	m := doc.Raw
	baseline := p.fields(e, m)
	p.variants(e, m)
	p.sweeps(e, m)
	p.charts(e, m)
	p.crossChecks(e, baseline)

	// The scenario, and each variant and sweep value applied to it, even
	// when the file has other problems: one pass reports them all.
	scLine := p.line(-1, "scenario")
	if _, isStr := m["scenario"].(string); !isStr {
		return nil, p.err()
	}
	file, scenario, err := resolveScenario(e.Scenario, baseDir)
	if err != nil {
		p.errorf(scLine, "scenario", valueText(e.Scenario), "%v", err)
		return nil, p.err()
	}
	e.ScenarioFile, e.scenarioData = file, scenario
	structural := len(p.errs) > 0
	if !structural {
		if err := e.buildGrid(); err != nil {
			return nil, err
		}
	}
	if err := joinProblems(filename, p.err(), e.validate(scLine, !structural)); err != nil {
		return nil, err
	}
	return e, nil
}

// joinProblems reports the problems of the file and those its scenario
// finds in it, each line once, at most tomlin.MaxReported lines.
func joinProblems(name string, fileErr, scenario error) error {
	if scenario == nil {
		return fileErr
	}
	if fileErr == nil {
		return capLines(scenario, name)
	}
	return capLines(errors.Join(fileErr, scenario), name)
}

// capLines drops repeated lines of err and cuts it to tomlin.MaxReported
// lines and a count of the rest, a line naming the file name.
func capLines(err error, name string) error {
	lines := strings.Split(err.Error(), "\n")
	seen := make(map[string]bool, len(lines))
	out := lines[:0]
	for _, l := range lines {
		if !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	if len(out) > tomlin.MaxReported {
		more := len(out) - tomlin.MaxReported
		out = append(out[:tomlin.MaxReported], tomlin.CapNote(nil, name, more)[0].Error())
	}
	return errors.New(strings.Join(out, "\n"))
}

// resolveScenario finds the base scenario: a file (relative to baseDir), or
// a shipped scenario. A file on disk wins over a shipped name.
func resolveScenario(ref, baseDir string) (string, []byte, error) {
	if ref == "" {
		return "", nil, errors.New(`want a scenario file or the name of a shipped scenario`)
	}
	if baseDir != "" || filepath.IsAbs(ref) {
		path := ref
		if !filepath.IsAbs(ref) {
			path = filepath.Join(baseDir, ref)
		}
		data, err := tomlin.ReadFile(path)
		if err == nil {
			return path, data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", nil, err
		}
		if looksLikePath(ref) {
			return "", nil, fmt.Errorf("no such file (%s)", tomlin.SafeName(path))
		}
	}
	if data, ok := shippedScenario(ref); ok {
		return ref, data, nil
	}
	if looksLikePath(ref) {
		return "", nil, errors.New("a path is relative to the experiment file, which is not on disk here")
	}
	if _, ok := catalog.Experiment(ref); ok {
		return "", nil, fmt.Errorf("that is a shipped experiment, not a scenario (shipped scenarios: %s)", strings.Join(catalog.Names(), ", "))
	}
	return "", nil, fmt.Errorf("no such file, and no shipped scenario of that name (shipped scenarios: %s)", strings.Join(catalog.Names(), ", "))
}
