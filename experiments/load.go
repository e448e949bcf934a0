package experiments

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/internal/tomlin"
	"github.com/poolsim/poolsim/model/scenario"
)

// Kind is the kind of an input file: a scenario or an experiment.
type Kind string

// The kinds of input file.
const (
	KindScenario   Kind = "scenario"
	KindExperiment Kind = "experiment"
)

// Input is a scenario or experiment file: read from disk, or shipped with
// poolsim and named by its catalog name.
type Input struct {
	Name    string // the name used in messages: the path, or the catalog name
	Data    []byte
	Shipped bool
}

// ReadInput reads arg as a file, or else as the name of a shipped scenario
// or experiment of the kind wanted. A file on disk wins over a shipped
// name. Only a regular file of at most scenario.MaxFileBytes is read: not a
// device, a FIFO or a directory.
func ReadInput(arg string, kind Kind) (Input, error) {
	data, err := tomlin.ReadFile(arg)
	if err == nil {
		return Input{Name: arg, Data: data}, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return Input{}, err
	}
	name := tomlin.SafeName(arg)
	if looksLikePath(arg) {
		// A shipped name written as a file name ("trend-page.toml").
		if base := strings.TrimSuffix(filepath.Base(arg), ".toml"); base != "" && shippedAs(base, kind) {
			return Input{}, fmt.Errorf("%s: no such file; %s is a shipped %s: \"poolsim %s %s\"", name, base, kind, commandFor(kind), base)
		}
		return Input{}, fmt.Errorf("%s: no such file", name)
	}
	scenario, isScenario := catalog.Scenario(arg)
	experiment, isExperiment := catalog.Experiment(arg)
	switch {
	case kind == KindScenario && isScenario:
		return Input{Name: arg, Data: scenario, Shipped: true}, nil
	case kind == KindExperiment && isExperiment:
		return Input{Name: arg, Data: experiment, Shipped: true}, nil
	case kind == KindScenario && isExperiment:
		return Input{}, fmt.Errorf("%s is a shipped experiment, not a scenario: run it with \"poolsim sweep %s\"", arg, arg)
	case kind == KindExperiment && isScenario:
		return Input{}, fmt.Errorf("%s is a shipped scenario, not an experiment: run it with \"poolsim run %s\"", arg, arg)
	}
	known := catalog.Names()
	if kind == KindExperiment {
		known = catalog.ExperimentNames()
	}
	if s := tomlin.Suggest(arg, known); s != "" {
		return Input{}, fmt.Errorf("%s: no such file, and no shipped %s of that name; did you mean %q? (\"poolsim list\" shows them)", name, kind, s)
	}
	return Input{}, fmt.Errorf("%s: no such file, and no shipped %s of that name (\"poolsim list\" shows them)", name, kind)
}

// shippedAs reports whether name is shipped as the kind.
func shippedAs(name string, kind Kind) bool {
	if kind == KindExperiment {
		_, ok := catalog.Experiment(name)
		return ok
	}
	_, ok := catalog.Scenario(name)
	return ok
}

// commandFor is the poolsim command that takes an input of the kind.
func commandFor(kind Kind) string {
	if kind == KindExperiment {
		return "sweep"
	}
	return "run"
}

// Parse parses the input as an experiment: a relative scenario path is
// resolved against the file's directory.
func (in Input) Parse() (*Experiment, error) {
	dir := ""
	if !in.Shipped {
		dir = filepath.Dir(in.Name)
	}
	return Parse(in.Name, in.Data, dir)
}

// CheckInput checks what every input file must be, whichever kind
// (tomlin.Parse), so that every command and Load report the same problem
// for the same file. It returns the data without a leading byte-order mark.
func CheckInput(name string, data []byte) ([]byte, error) {
	doc, err := tomlin.Parse(name, data, tomlin.EmptyInput)
	if err != nil {
		return nil, err
	}
	return doc.Data, nil
}

// experimentOnlyKeys are the top-level keys of an experiment file that a
// scenario file does not have.
var experimentOnlyKeys = []string{"scenario", "replications", "confidence", "baseline", "overrides", "variants", "sweep", "chart"}

// IsExperiment reports whether a parsed TOML document is an experiment
// file: one with a top-level key that only experiments have ("scenario",
// "variants", "sweep" …).
func IsExperiment(top map[string]any) bool {
	for _, k := range experimentOnlyKeys {
		if _, ok := top[k]; ok {
			return true
		}
	}
	return false
}

// isScenario reports whether a document that is no experiment has a key
// that only scenarios have (horizon, pool, classes …).
func isScenario(top map[string]any) bool {
	t := reflect.TypeFor[scenario.Scenario]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ",")
		if _, ok := top[name]; ok && name != "" && !slices.Contains(topKeys, name) {
			return true
		}
	}
	return false
}

// RunHeader is what the comment header of a sweep's experiment.toml
// records about the sweep.
type RunHeader struct {
	// Version is the poolsim version that ran the sweep, StreamScheme its
	// random-stream scheme, Fingerprint the experiment's fingerprint.
	Version, StreamScheme, Fingerprint string
	// File and ScenarioFile are the base names of the experiment file and
	// of its scenario as they were run.
	File, ScenarioFile string
	// Precision is set when the sweep ran to a sequential-precision target.
	Precision bool
	// Lines is the number of lines of the header, the blank line after it
	// included: line n of the experiment file is line n+Lines of
	// experiment.toml.
	Lines int
}

// ReadRunHeader reads the header of dir/experiment.toml and returns it
// with the experiment file that follows it.
func ReadRunHeader(dir string) (RunHeader, []byte, error) {
	h, _, src, err := readRun(dir)
	return h, src, err
}

// readRun reads dir/experiment.toml: its header, the whole file, and the
// experiment file after the header.
func readRun(dir string) (h RunHeader, whole, src []byte, err error) {
	path := filepath.Join(dir, ExperimentFile)
	whole, err = tomlin.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return h, nil, nil, fmt.Errorf("%s: no %s: not the output directory of a sweep", dir, ExperimentFile)
	}
	if err != nil {
		return h, nil, nil, err
	}
	h, src, ok := splitRunHeader(whole)
	if !ok {
		return h, nil, nil, fmt.Errorf("%s: no poolsim header (\"# poolsim VERSION\", \"# fingerprint: …\"): not written by poolsim sweep", path)
	}
	return h, whole, src, nil
}

// splitRunHeader separates the comment header that writeInputs puts in
// front of the experiment file from the file.
func splitRunHeader(data []byte) (RunHeader, []byte, bool) {
	var h RunHeader
	rest := data
	for {
		line, after, found := bytes.Cut(rest, []byte("\n"))
		if !found {
			return RunHeader{}, nil, false
		}
		h.Lines++
		rest = after
		if len(line) == 0 {
			break
		}
		s, ok := strings.CutPrefix(string(line), "# ")
		if !ok {
			return RunHeader{}, nil, false
		}
		switch {
		case strings.HasPrefix(s, "poolsim ") && h.Lines == 1:
			h.Version = strings.TrimPrefix(s, "poolsim ")
		case strings.HasPrefix(s, "stream scheme: "):
			h.StreamScheme = strings.TrimPrefix(s, "stream scheme: ")
		case strings.HasPrefix(s, "fingerprint: "):
			h.Fingerprint = strings.TrimPrefix(s, "fingerprint: ")
		case strings.HasPrefix(s, "experiment "):
			files := strings.TrimSuffix(strings.TrimPrefix(s, "experiment "), " (as run: "+ScenarioFile+")")
			i := strings.LastIndex(files, ", scenario ")
			if i < 0 {
				return RunHeader{}, nil, false
			}
			h.File, h.ScenarioFile = unquoteName(files[:i]), unquoteName(files[i+len(", scenario "):])
		case strings.HasPrefix(s, "sequential precision: "):
			h.Precision = true
		}
	}
	if h.Version == "" || h.Fingerprint == "" || h.File == "" {
		return RunHeader{}, nil, false
	}
	return h, rest, true
}

// unquoteName reads a file name as the header writes it: quoted when it is
// not printable text.
func unquoteName(s string) string {
	if u, err := strconv.Unquote(s); err == nil && strings.HasPrefix(s, `"`) {
		return u
	}
	return s
}

// LoadRun loads the experiment that a sweep ran into dir (the output
// directory of RunTo, a shard's included) from the files it wrote there:
// dir/experiment.toml, whose scenario is resolved to dir/scenario.toml
// whatever the file names, so that neither the original experiment file nor
// its scenario need be at hand. The Experiment is the one that ran: its
// File and ScenarioFile are the base names the sweep recorded, its lines
// those of the original experiment file, and its Fingerprint that of the
// runs.
//
// LoadRun refuses a directory whose files no longer give the fingerprint
// recorded in experiment.toml's header: files edited after the sweep, or a
// sweep with random streams other than this poolsim's. The Experiment
// carries the version the sweep recorded (Version), so that any program
// can resume or merge it.
func LoadRun(dir string) (*Experiment, error) {
	h, whole, src, err := readRun(dir)
	if err != nil {
		return nil, err
	}
	expPath := filepath.Join(dir, ExperimentFile)
	scPath, err := filepath.Abs(filepath.Join(dir, ScenarioFile))
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(scPath); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%s: no %s: not the output directory of a sweep", dir, ScenarioFile)
		}
		return nil, err
	}
	// The whole file, header included, so that errors name its lines.
	doc, err := tomlin.Parse(expPath, whole, tomlin.EmptyInput)
	if err != nil {
		return nil, err
	}
	top := doc.Raw
	ref, _ := top["scenario"].(string)
	redirected, err := redirectScenario(src, scPath)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", expPath, err)
	}
	// Parse the file as it is in dir, header included, so that errors name
	// its lines there.
	header := whole[:len(whole)-len(src)]
	e, err := parse(expPath, append(bytes.Clone(header), redirected...), "", modelSimulator)
	if err != nil {
		return nil, err
	}

	// Present the experiment as it was run, by the version that ran it.
	e.Version = h.Version
	e.File, e.ScenarioFile, e.Scenario = h.File, h.ScenarioFile, ref
	e.source = bytes.Clone(src)
	if name, _ := top["name"].(string); name == "" {
		e.Name = strings.TrimSuffix(filepath.Base(h.File), filepath.Ext(h.File))
	}
	shift := func(line *int) {
		if *line > h.Lines {
			*line -= h.Lines
		}
	}
	for i := range e.Overrides {
		shift(&e.Overrides[i].Line)
	}
	for i := range e.Variants {
		shift(&e.Variants[i].Line)
		for j := range e.Variants[i].Overrides {
			shift(&e.Variants[i].Overrides[j].Line)
		}
	}
	for i := range e.Sweeps {
		shift(&e.Sweeps[i].Line)
	}
	for i := range e.Charts {
		shift(&e.Charts[i].Line)
	}

	if h.StreamScheme != engine.StreamScheme {
		return nil, fmt.Errorf("%s: the sweep was run by poolsim %s with random streams %s; this poolsim has random streams %s: its runs are not interchangeable with this version's",
			dir, h.Version, h.StreamScheme, engine.StreamScheme)
	}
	if fp := e.Fingerprint(); fp != h.Fingerprint {
		return nil, fmt.Errorf("%s: %s or %s was changed after the sweep: the files give fingerprint %s, the runs were made with %s",
			dir, ExperimentFile, ScenarioFile, fp, h.Fingerprint)
	}
	return e, nil
}

// redirectScenario rewrites the top-level scenario value of a parsed
// experiment file to name path, keeping every other byte and every line
// where it was.
func redirectScenario(src []byte, path string) ([]byte, error) {
	doc, err := tomlin.Parse("", src, tomlin.EmptyInput)
	if err != nil {
		return nil, err
	}
	line := 0
	for _, k := range doc.Keys {
		if !k.Header && k.Depth == 1 && len(k.Path) == 1 && k.Path[0] == "scenario" {
			line = k.Line
			break
		}
	}
	if line == 0 {
		return nil, errors.New("no scenario key")
	}
	off := 0
	for n := 1; n < line; n++ {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return nil, errors.New("cannot find the scenario key")
		}
		off += i + 1
	}
	// Past the key and the equals sign.
	i := skipBlank(src, off)
	if i < len(src) && (src[i] == '"' || src[i] == '\'') {
		i = skipString(src, i)
	} else {
		for i < len(src) && bareKeyByte(src[i]) {
			i++
		}
	}
	i = skipBlank(src, i)
	if i >= len(src) || src[i] != '=' {
		return nil, errors.New("cannot find the scenario value")
	}
	start := skipBlank(src, i+1)
	end := skipString(src, start)
	if end <= start {
		return nil, errors.New("cannot find the scenario value")
	}
	var out bytes.Buffer
	out.Write(src[:start])
	out.WriteString(scenario.QuoteString(path))
	out.WriteString(strings.Repeat("\n", bytes.Count(src[start:end], []byte("\n"))))
	out.Write(src[end:])

	// The rewrite changed the scenario and nothing else.
	before, after := doc.Raw, map[string]any{}
	if d, err := tomlin.Parse("", out.Bytes(), tomlin.EmptyInput); err == nil {
		after = d.Raw
	}
	if after["scenario"] != path {
		return nil, errors.New("cannot rewrite the scenario value")
	}
	delete(before, "scenario")
	delete(after, "scenario")
	if !reflect.DeepEqual(before, after) {
		return nil, errors.New("cannot rewrite the scenario value")
	}
	return out.Bytes(), nil
}

func bareKeyByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func skipBlank(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return i
}

// skipString returns the offset just past the TOML string starting at i
// (basic, literal, or either multi-line kind), or i if there is none.
func skipString(src []byte, i int) int {
	if i >= len(src) || src[i] != '"' && src[i] != '\'' {
		return i
	}
	q := src[i]
	escapes := q == '"'
	if bytes.HasPrefix(src[i:], []byte{q, q, q}) {
		j := i + 3
		for j < len(src) {
			if escapes && src[j] == '\\' {
				j += 2
				continue
			}
			if bytes.HasPrefix(src[j:], []byte{q, q, q}) {
				j += 3
				// Up to two more quotes belong to the string.
				for k := 0; k < 2 && j < len(src) && src[j] == q; k++ {
					j++
				}
				return j
			}
			j++
		}
		return len(src)
	}
	j := i + 1
	for j < len(src) && src[j] != '\n' {
		if escapes && src[j] == '\\' {
			j += 2
			continue
		}
		if src[j] == q {
			return j + 1
		}
		j++
	}
	return j
}
