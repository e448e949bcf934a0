package experiments

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model"
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
	maxFileBytes    = 16 << 20
	// maxCheckedPoints bounds the grid points Parse decodes one by one.
	maxCheckedPoints = 10_000
)

// ChartKinds returns the values a [[chart]] table's kind may take: "" lets the
// chart pick (bars against the variant, lines against a numeric sweep key);
// "diff" draws each variant's paired difference from the baseline.
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

// Source returns the experiment file's bytes as parsed.
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
// against the file's directory.
func Load(pathOrName string) (*Experiment, error) {
	data, err := os.ReadFile(pathOrName)
	if err == nil {
		return Parse(pathOrName, data, filepath.Dir(pathOrName))
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	if looksLikePath(pathOrName) {
		return nil, fmt.Errorf("%s: no such file", pathOrName)
	}
	if data, ok := shippedExperiment(pathOrName); ok {
		return Parse(pathOrName, data, "")
	}
	if _, ok := shippedScenario(pathOrName); ok {
		return nil, fmt.Errorf("%s is a shipped scenario, not an experiment", pathOrName)
	}
	return nil, fmt.Errorf("%s: no such file, and no shipped experiment of that name", pathOrName)
}

// Parse decodes and validates an experiment file. filename names it in
// errors; baseDir is the directory a relative scenario path is resolved
// against ("" for an experiment that is not on disk: its scenario must then
// be a shipped one or an absolute path).
//
// Decoding is strict: unknown keys, wrong types and values out of range are
// errors naming the file, line and key. Every variant, every sweep value and
// every grid point is decoded against the scenario, so an override the
// scenario rejects is reported here, before anything runs.
func Parse(filename string, data []byte, baseDir string) (*Experiment, error) {
	return parse(filename, data, baseDir, modelSimulator)
}

func looksLikePath(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.HasSuffix(s, ".toml")
}

// topKeys are the keys an experiment file may have at its top level.
var topKeys = []string{"name", "scenario", "replications", "seed", "confidence", "baseline", "overrides", "variants", "sweep", "chart"}

var (
	sweepKeys = []string{"key", "values"}
	chartKeys = []string{"title", "x", "y", "group", "kind"}
)

// parser accumulates the errors of one experiment file.
type parser struct {
	file string
	keys []srcKey
	errs []error
}

func (p *parser) errorf(line int, format string, args ...any) {
	if len(p.errs) >= 20 {
		return
	}
	msg := fmt.Sprintf(format, args...)
	if line > 0 {
		p.errs = append(p.errs, fmt.Errorf("%s:%d: %s", p.file, line, msg))
	} else {
		p.errs = append(p.errs, fmt.Errorf("%s: %s", p.file, msg))
	}
}

func (p *parser) err() error { return errors.Join(p.errs...) }

// line returns the line where path is first written (elem: the array
// element it must belong to, -1 for any), or 0.
func (p *parser) line(elem int, path ...string) int {
	for _, k := range p.keys {
		if (elem < 0 || k.elem == elem) && slices.Equal(k.path, path) {
			return k.line
		}
	}
	// A key set inside an inline table of an array has no header line: fall
	// back to the array's own key.
	if len(path) > 1 {
		return p.line(elem, path[:len(path)-1]...)
	}
	return 0
}

func parse(filename string, data []byte, baseDir string, sim simulator) (*Experiment, error) {
	if len(data) > maxFileBytes {
		return nil, fmt.Errorf("%s: %d bytes: an experiment file is at most %d", filename, len(data), maxFileBytes)
	}
	var m map[string]any
	if _, err := toml.Decode(string(data), &m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s:%d:%d: %s", filename, pe.Position.Line, pe.Position.Col, pe.Message)
		}
		return nil, fmt.Errorf("%s: %w", filename, err)
	}
	p := &parser{file: filename, keys: scanKeys(data)}
	p.strict()
	if err := p.err(); err != nil {
		return nil, err
	}
	e := &Experiment{
		File:         filename,
		Replications: DefaultReplications,
		Seed:         DefaultSeed,
		Confidence:   DefaultConfidence,
		source:       slices.Clone(data),
		sim:          sim,
	}
	e.Name = p.str(m, "name")
	if e.Name == "" {
		e.Name = strings.TrimSuffix(filepath.Base(filename), filepath.Ext(filename))
	}
	e.Scenario = p.str(m, "scenario")
	if _, ok := m["scenario"]; !ok {
		p.errorf(0, `scenario missing: name the base scenario (a path relative to this file, or a shipped scenario)`)
	}
	if v, ok := p.integer(m, "replications"); ok {
		if v < 1 || v > maxReplications {
			p.errorf(p.line(-1, "replications"), "replications = %d: want 1 to %d", v, maxReplications)
		} else {
			e.Replications = int(v)
		}
	}
	if v, ok := p.integer(m, "seed"); ok {
		if v < 0 {
			p.errorf(p.line(-1, "seed"), "seed = %d: want a non-negative integer", v)
		} else {
			e.Seed = uint64(v)
		}
	}
	if v, ok := m["confidence"]; ok {
		c, isNum := number(v)
		switch {
		case !isNum:
			p.errorf(p.line(-1, "confidence"), "confidence: want a number, got %s", typeName(v))
		case !(c > 0 && c < 1):
			p.errorf(p.line(-1, "confidence"), "confidence = %v: want a number between 0 and 1 (exclusive), such as 0.95", c)
		default:
			e.Confidence = c
		}
	}
	baseline := p.str(m, "baseline")
	if raw, ok := m["overrides"]; ok {
		if table, isTable := raw.(map[string]any); isTable {
			e.Overrides = p.overridesIn(table, "overrides")
		} else {
			p.errorf(p.line(-1, "overrides"), "overrides: want a table of dotted keys, such as [overrides] \"horizon\" = \"24h\"")
		}
	}
	p.variants(e, m)
	p.sweeps(e, m)
	p.charts(e, m)
	if err := p.err(); err != nil {
		return nil, err
	}

	// Cross-checks.
	swept := map[string]int{}
	for _, s := range e.Sweeps {
		swept[s.Key] = s.Line
	}
	for _, o := range e.Overrides {
		if _, ok := swept[o.Key]; ok {
			p.errorf(o.Line, "[overrides] sets %s, which a [[sweep]] also sets (line %d): set it in one place", o.Key, swept[o.Key])
		}
	}
	for _, v := range e.Variants {
		for _, o := range v.Overrides {
			if _, ok := swept[o.Key]; ok {
				p.errorf(o.Line, "variant %q sets %s, which a [[sweep]] also sets (line %d): set it in one place", v.Name, o.Key, swept[o.Key])
			}
		}
	}
	if baseline != "" {
		if _, ok := e.Variant(baseline); !ok || len(e.Variants) < 2 {
			p.errorf(p.line(-1, "baseline"), "baseline %q: no such variant (want one of %s)", baseline, variantNames(e))
		}
		e.Baseline = baseline
	} else if len(e.Variants) >= 2 {
		e.Baseline = e.Variants[0].Name
	}
	sweepSet := map[string]bool{"variant": true}
	for _, s := range e.Sweeps {
		sweepSet[s.Key] = true
	}
	metrics := model.MetricNames()
	for _, c := range e.Charts {
		if c.X != "" && !sweepSet[c.X] {
			p.errorf(c.Line, "chart x = %q: want \"variant\" or a sweep key", c.X)
		}
		if c.Group != "" && (!sweepSet[c.Group] || c.Group == c.X) {
			p.errorf(c.Line, "chart group = %q: want \"variant\" or a sweep key other than x", c.Group)
		}
		if !slices.Contains(metrics, c.Y) {
			p.errorf(c.Line, "chart y = %q: want a metric name such as rate_503 (see poolsim run --json)", c.Y)
		}
		if c.Kind == "diff" && e.Baseline == "" {
			p.errorf(c.Line, "chart kind = \"diff\": a difference chart needs a baseline (at least two variants)")
		}
		if !slices.Contains(ChartKinds(), c.Kind) {
			p.errorf(c.Line, "chart kind = %q: want bars, lines or diff", c.Kind)
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}

	file, scenario, err := resolveScenario(e.Scenario, baseDir)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %w", filename, p.line(-1, "scenario"), err)
	}
	e.ScenarioFile, e.scenarioData = file, scenario
	if err := e.buildGrid(); err != nil {
		return nil, err
	}
	if err := e.validate(p.line(-1, "scenario")); err != nil {
		return nil, err
	}
	return e, nil
}

// strict reports every key the experiment file may not have.
func (p *parser) strict() {
	for _, k := range p.keys {
		top := k.path[0]
		switch {
		case !slices.Contains(topKeys, top):
			p.errorf(k.line, "unknown key %q%s (want one of %s)", toml.Key(k.path).String(), suggest(top, topKeys), strings.Join(topKeys, ", "))
		case top == "sweep" && len(k.path) >= 2 && !slices.Contains(sweepKeys, k.path[1]):
			p.errorf(k.line, "unknown key %q in [[sweep]]%s (want key, values)", k.path[1], suggest(k.path[1], sweepKeys))
		case top == "chart" && len(k.path) >= 2 && !slices.Contains(chartKeys, k.path[1]):
			p.errorf(k.line, "unknown key %q in [[chart]]%s (want one of %s)", k.path[1], suggest(k.path[1], chartKeys), strings.Join(chartKeys, ", "))
		case top == "chart" && len(k.path) > 2:
			p.errorf(k.line, "chart %s: want a string", k.path[1])
		}
	}
}

// suggest returns `; did you mean "x"?` for the known key closest to s
// (by edit distance, case ignored, at most 2 edits), or "".
func suggest(s string, known []string) string {
	best, bestD := "", 3
	for _, k := range known {
		if d := editDistance(strings.ToLower(s), k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func (p *parser) str(m map[string]any, key string) string {
	v, ok := m[key]
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		p.errorf(p.line(-1, key), "%s: want a string, got %s", key, typeName(v))
	}
	return s
}

func (p *parser) integer(m map[string]any, key string) (int64, bool) {
	v, ok := m[key]
	if !ok {
		return 0, false
	}
	i, isInt := v.(int64)
	if !isInt {
		p.errorf(p.line(-1, key), "%s: want an integer, got %s", key, typeName(v))
	}
	return i, isInt
}

func number(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	}
	return 0, false
}

// typeName names a decoded TOML value's type for messages.
func typeName(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("the string %q", v)
	case int64:
		return fmt.Sprintf("the integer %d", v)
	case float64:
		return fmt.Sprintf("the number %v", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	case map[string]any:
		return "a table"
	case []any, []map[string]any:
		return "an array"
	}
	return fmt.Sprintf("%T", v)
}

func (p *parser) variants(e *Experiment, m map[string]any) {
	raw, ok := m["variants"]
	if !ok {
		e.Variants = []Variant{{Name: BaseVariant}}
		return
	}
	vm, isTable := raw.(map[string]any)
	if !isTable {
		p.errorf(p.line(-1, "variants"), `variants: want tables of overrides, such as [variants."time 60m"]`)
		return
	}
	// File order, from the source: the decoded map has none.
	var names []string
	for _, k := range p.keys {
		if k.path[0] == "variants" && len(k.path) >= 2 && !slices.Contains(names, k.path[1]) {
			names = append(names, k.path[1])
		}
	}
	for _, name := range sortedKeys(vm) { // defensive: the scan missed one
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	for _, name := range names {
		line := p.line(-1, "variants", name)
		if name == "" {
			p.errorf(line, "a variant needs a name")
			continue
		}
		table, isTable := vm[name].(map[string]any)
		if !isTable {
			p.errorf(line, "variant %q: want a table of overrides such as \"pool.recycle.time\" = \"60m\", got %s", name, typeName(vm[name]))
			continue
		}
		v := Variant{Name: name, Line: line}
		v.Overrides = p.overridesIn(table, "variants", name)
		e.Variants = append(e.Variants, v)
	}
	if len(e.Variants) == 0 && len(p.errs) == 0 {
		e.Variants = []Variant{{Name: BaseVariant}}
	}
}

// overridesIn collects the overrides written in the table at prefix, in
// file order: every key/value statement below it, a key whose value is an
// inline table being one override (that replaces the table whole).
func (p *parser) overridesIn(table map[string]any, prefix ...string) []Override {
	what := toml.Key(prefix).String()
	var out []Override
	for _, k := range p.keys {
		if k.header || len(k.path) <= len(prefix) || !slices.Equal(k.path[:len(prefix)], prefix) {
			continue
		}
		if k.depth != len(k.path) && k.depth > len(prefix) {
			continue // inside an inline-table value
		}
		key, err := canonicalKey(overrideKey(k.path[len(prefix):]))
		if err != nil {
			p.errorf(k.line, "%s: %v", what, err)
			continue
		}
		value := lookup(table, k.path[len(prefix):])
		if value == nil {
			p.errorf(k.line, "%s: %s: inside an array of tables: write the whole array as one value, key = [{ ... }]", what, key)
			continue
		}
		text, err := tomlText(value)
		if err != nil {
			p.errorf(k.line, "%s: %s: %v", what, key, err)
			continue
		}
		if key == "seed" {
			p.errorf(k.line, "%s: seed: the experiment's seed applies to every run (set seed at the top of the experiment)", what)
			continue
		}
		if i := slices.IndexFunc(out, func(o Override) bool { return o.Key == key }); i >= 0 {
			p.errorf(k.line, "%s: %s set twice (line %d)", what, key, out[i].Line)
			continue
		}
		out = append(out, Override{Key: key, Value: text, Line: k.line})
	}
	return out
}

// overrideKey writes the key of a variant's override as a scenario dotted
// key. The parts of the key as written are joined with dots; a part that is
// itself a dotted key (the usual `"pool.recycle.time" = "60m"`) is taken
// as it is, and any other part that needs quotes (`clients."my client"`)
// is quoted. A name that contains a dot must therefore be quoted inside the
// string: `"clients.\"a.b\".count" = 5`.
func overrideKey(parts []string) string {
	out := make([]string, len(parts))
	for i, p := range parts {
		if isDottedKey(p) {
			out[i] = p
		} else {
			out[i] = toml.Key{p}.String()
		}
	}
	return strings.Join(out, ".")
}

// isDottedKey reports whether s is a valid TOML (dotted) key as written.
func isDottedKey(s string) bool {
	_, err := model.ParseKey(s)
	return err == nil
}

// canonicalKey writes a dotted key in one standard way (bare parts where
// possible, quoted otherwise), so that two spellings of a key compare equal.
func canonicalKey(s string) (string, error) {
	parts, err := model.ParseKey(s)
	if err != nil {
		return "", err
	}
	return toml.Key(parts).String(), nil
}

// lookup follows path through nested tables.
func lookup(m map[string]any, path []string) any {
	var v any = m
	for _, k := range path {
		t, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = t[k]
	}
	return v
}

// tables returns an array of tables however it was written.
func tables(v any) ([]map[string]any, bool) {
	switch v := v.(type) {
	case []map[string]any:
		return v, true
	case []any:
		out := make([]map[string]any, len(v))
		for i, e := range v {
			t, ok := e.(map[string]any)
			if !ok {
				return nil, false
			}
			out[i] = t
		}
		return out, true
	}
	return nil, false
}

func (p *parser) sweeps(e *Experiment, m map[string]any) {
	raw, ok := m["sweep"]
	if !ok {
		return
	}
	ts, ok := tables(raw)
	if !ok {
		p.errorf(p.line(-1, "sweep"), "sweep: want [[sweep]] tables with key and values")
		return
	}
	for i, t := range ts {
		line := p.line(i, "sweep")
		key, isStr := t["key"].(string)
		if !isStr || key == "" {
			p.errorf(line, "[[sweep]] %d: want key = \"a.dotted.key\" (a string), got %s", i+1, typeName(t["key"]))
			continue
		}
		key, err := canonicalKey(key)
		if err != nil {
			p.errorf(p.line(i, "sweep", "key"), "[[sweep]] %d: %v", i+1, err)
			continue
		}
		if key == "seed" {
			p.errorf(line, "[[sweep]] key = \"seed\": replications already vary the random streams; the experiment's seed applies to every run")
			continue
		}
		values, isArr := t["values"].([]any)
		if !isArr {
			if ts, isTables := t["values"].([]map[string]any); isTables {
				for _, v := range ts {
					values = append(values, v)
				}
				isArr = true
			}
		}
		if !isArr || len(values) == 0 {
			p.errorf(p.line(i, "sweep", "values"), "[[sweep]] %s: want values = [ ... ] with at least one value", key)
			continue
		}
		if j := slices.IndexFunc(e.Sweeps, func(s Sweep) bool { return s.Key == key }); j >= 0 {
			p.errorf(line, "[[sweep]] %s: swept twice (also line %d)", key, e.Sweeps[j].Line)
			continue
		}
		s := Sweep{Key: key, Line: line}
		for _, v := range values {
			text, err := tomlText(v)
			if err != nil {
				p.errorf(p.line(i, "sweep", "values"), "[[sweep]] %s: %v", key, err)
				break
			}
			l := label(v)
			if slices.Contains(s.Labels, l) {
				p.errorf(p.line(i, "sweep", "values"), "[[sweep]] %s: value %s listed twice", key, l)
				break
			}
			s.Values = append(s.Values, text)
			s.Labels = append(s.Labels, l)
		}
		e.Sweeps = append(e.Sweeps, s)
	}
}

func (p *parser) charts(e *Experiment, m map[string]any) {
	raw, ok := m["chart"]
	if !ok {
		return
	}
	ts, ok := tables(raw)
	if !ok {
		p.errorf(p.line(-1, "chart"), "chart: want [[chart]] tables")
		return
	}
	for i, t := range ts {
		c := Chart{Line: p.line(i, "chart")}
		for _, f := range []struct {
			key string
			dst *string
		}{{"title", &c.Title}, {"x", &c.X}, {"y", &c.Y}, {"group", &c.Group}, {"kind", &c.Kind}} {
			v, ok := t[f.key]
			if !ok {
				continue
			}
			s, isStr := v.(string)
			if !isStr {
				p.errorf(p.line(i, "chart", f.key), "chart %s: want a string, got %s", f.key, typeName(v))
				continue
			}
			*f.dst = s
		}
		if c.X == "" {
			c.X = "variant"
		}
		e.Charts = append(e.Charts, c)
	}
}

func variantNames(e *Experiment) string {
	if len(e.Variants) < 2 {
		return "the name of a variant; the experiment needs at least two variants to have a baseline"
	}
	names := make([]string, len(e.Variants))
	for i, v := range e.Variants {
		names[i] = fmt.Sprintf("%q", v.Name)
	}
	return strings.Join(names, ", ")
}

// resolveScenario finds the base scenario: a file (relative to baseDir), or
// a shipped scenario. A file on disk wins over a shipped name.
func resolveScenario(ref, baseDir string) (string, []byte, error) {
	if ref == "" {
		return "", nil, errors.New(`scenario = "": want a scenario file or the name of a shipped scenario`)
	}
	if baseDir != "" || filepath.IsAbs(ref) {
		path := ref
		if !filepath.IsAbs(ref) {
			path = filepath.Join(baseDir, ref)
		}
		data, err := os.ReadFile(path)
		if err == nil {
			return path, data, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", nil, fmt.Errorf("scenario %q: %w", ref, err)
		}
		if looksLikePath(ref) {
			return "", nil, fmt.Errorf("scenario %q: no such file (%s)", ref, path)
		}
	}
	if data, ok := shippedScenario(ref); ok {
		return ref, data, nil
	}
	if looksLikePath(ref) {
		return "", nil, fmt.Errorf("scenario %q: a path is relative to the experiment file, which is not on disk here", ref)
	}
	if _, ok := catalog.Experiment(ref); ok {
		return "", nil, fmt.Errorf("scenario %q: that is a shipped experiment, not a scenario (shipped scenarios: %s)", ref, strings.Join(catalog.Names(), ", "))
	}
	return "", nil, fmt.Errorf("scenario %q: no such file, and no shipped scenario of that name (shipped scenarios: %s)", ref, strings.Join(catalog.Names(), ", "))
}

// buildGrid lays out the grid points: variants in order, then the sweep
// axes as an odometer whose last axis turns fastest.
func (e *Experiment) buildGrid() error {
	n := len(e.Variants)
	for _, s := range e.Sweeps {
		if n > maxPoints/len(s.Values) {
			return fmt.Errorf("%s: the grid has more than %d points: sweep fewer values", e.File, maxPoints)
		}
		n *= len(s.Values)
	}
	e.points = make([]Point, 0, n)
	idx := make([]int, len(e.Sweeps))
	for _, v := range e.Variants {
		for {
			pt := Point{Index: len(e.points), Variant: v.Name, Sweep: make([]string, len(e.Sweeps))}
			for a, s := range e.Sweeps {
				pt.Sweep[a] = s.Labels[idx[a]]
			}
			e.points = append(e.points, pt)
			a := len(idx) - 1
			for ; a >= 0; a-- {
				idx[a]++
				if idx[a] < len(e.Sweeps[a].Values) {
					break
				}
				idx[a] = 0
			}
			if a < 0 {
				break
			}
		}
	}
	return nil
}

// variantOverrides returns the experiment's overrides and then a
// variant's, each with its source for messages: `exp.toml:12
// variants."time 60m"`.
func (e *Experiment) variantOverrides(v *Variant) []override {
	ov := e.commonOverrides()
	for _, o := range v.Overrides {
		ov = append(ov, override{Key: o.Key, Value: o.Value, Source: fmt.Sprintf("%s:%d variants.%s", e.File, o.Line, toml.Key{v.Name})})
	}
	return ov
}

// commonOverrides returns the [overrides] table's overrides.
func (e *Experiment) commonOverrides() []override {
	ov := make([]override, 0, len(e.Overrides)+8)
	for _, o := range e.Overrides {
		ov = append(ov, override{Key: o.Key, Value: o.Value, Source: fmt.Sprintf("%s:%d overrides", e.File, o.Line)})
	}
	return ov
}

// sweepOverride returns value i of sweep axis s as an override.
func (e *Experiment) sweepOverride(s *Sweep, i int) override {
	return override{Key: s.Key, Value: s.Values[i], Source: fmt.Sprintf("%s:%d [[sweep]]", e.File, s.Line)}
}

// overrides returns the overrides of grid point p: its variant's, then its
// sweep values.
func (e *Experiment) overrides(p int) []override {
	pt := e.points[p]
	v, _ := e.Variant(pt.Variant)
	ov := e.variantOverrides(v)
	for a := range e.Sweeps {
		s := &e.Sweeps[a]
		ov = append(ov, e.sweepOverride(s, slices.Index(s.Labels, pt.Sweep[a])))
	}
	return ov
}

// scenario decodes the scenario of grid point p, with the experiment's seed
// (which replaces the scenario's own).
func (e *Experiment) scenario(p int) (*model.Scenario, error) {
	sc, err := e.sim.decode(e.ScenarioFile, e.scenarioData, e.overrides(p))
	if err != nil {
		return nil, err
	}
	sc.Seed = e.Seed
	return sc, nil
}

// validate decodes the scenario alone, with each variant, with each sweep
// value, and at every grid point, so that the first error found names its
// culprit: the scenario, a variant, a sweep value, or a combination.
func (e *Experiment) validate(scenarioLine int) error {
	if _, err := e.sim.decode(e.ScenarioFile, e.scenarioData, nil); err != nil {
		return e.explain(err, fmt.Sprintf("%s:%d: scenario %q", e.File, scenarioLine, e.Scenario), false)
	}
	// Every variant and every sweep value alone, so that one pass reports
	// all that is wrong with them.
	var errs []error
	for i := range e.Variants {
		v := &e.Variants[i]
		if _, err := e.sim.decode(e.ScenarioFile, e.scenarioData, e.variantOverrides(v)); err != nil {
			where := fmt.Sprintf("%s:%d: variant %q", e.File, v.Line, v.Name)
			if v.Line == 0 && len(e.Overrides) > 0 {
				// The implicit variant of a file without variants: what it
				// adds to the scenario is the [overrides] table.
				where = fmt.Sprintf("%s:%d: [overrides]", e.File, e.Overrides[0].Line)
			}
			errs = append(errs, e.explain(err, where, false))
		}
	}
	for a := range e.Sweeps {
		s := &e.Sweeps[a]
		for i := range s.Values {
			ov := append(e.commonOverrides(), e.sweepOverride(s, i))
			if _, err := e.sim.decode(e.ScenarioFile, e.scenarioData, ov); err != nil {
				errs = append(errs, e.explain(err, fmt.Sprintf("%s:%d: [[sweep]] %s = %s", e.File, s.Line, s.Key, s.Values[i]), false))
			}
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if len(e.Sweeps) == 0 || len(e.points) > maxCheckedPoints {
		// Every point is a variant, checked above; or the grid is so large
		// that checking every combination would take longer than a while:
		// a bad combination is then reported when its first run starts.
		return nil
	}
	for p := range e.points {
		if _, err := e.sim.decode(e.ScenarioFile, e.scenarioData, e.overrides(p)); err != nil {
			// Each part is valid alone: name the combination on every line.
			return e.explain(err, fmt.Sprintf("%s: at %s", e.File, e.points[p].describe(e.Sweeps)), true)
		}
	}
	return nil
}

// explain puts context in front of each line of a scenario error that does
// not already name the experiment file (an override's errors name it, with
// the line and the variant; the scenario file's own errors do not), or of
// every line when always is set.
func (e *Experiment) explain(err error, context string, always bool) error {
	var b strings.Builder
	for i, line := range strings.Split(err.Error(), "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if always || !strings.HasPrefix(line, e.File+":") {
			b.WriteString(context + ": ")
		}
		b.WriteString(line)
	}
	return errors.New(b.String())
}
