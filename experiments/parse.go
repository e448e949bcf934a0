package experiments

import (
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/internal/tomlin"
	"github.com/poolsim/poolsim/model/scenario"
)

// topKeys are the keys an experiment file may have at its top level.
var topKeys = []string{"name", "scenario", "replications", "seed", "confidence", "baseline", "overrides", "variants", "sweep", "chart"}

var (
	sweepKeys = []string{"key", "values"}
	chartKeys = []string{"title", "x", "y", "group", "kind"}
)

// The confidence levels an experiment may ask for. Below one half an
// interval says little; from 0.9995 on, Student's t quantile for few
// replications is so large (or, at 1 - 1e-16, infinite) that intervals of
// metrics without variance become NaN.
const (
	MinConfidence = 0.5
	MaxConfidence = 0.999
)

// parser accumulates the problems of one experiment file, each as a
// tomlin.FieldError: `FILE:LINE: KEY = VALUE: what is wrong`.
type parser struct {
	file string
	raw  map[string]any
	keys []tomlin.Key
	errs tomlin.Errors
	// misspelt: the [[sweep]] and [[chart]] tables ("sweep 2") with an
	// unknown key, whose missing keys are then not reported again.
	misspelt map[string]bool
	// at and under index keys by path (pathKey): the statements of a path,
	// and those below it, in file order, so that files with thousands of
	// variants are read in linear time.
	at, under map[string][]int
}

func newParser(file string, doc *tomlin.Doc) *parser {
	p := &parser{file: file, raw: doc.Raw, keys: doc.Keys, misspelt: map[string]bool{},
		at: make(map[string][]int, len(doc.Keys)), under: map[string][]int{}}
	for i, k := range doc.Keys {
		p.at[pathKey(k.Path)] = append(p.at[pathKey(k.Path)], i)
		for n := 1; n < len(k.Path); n++ {
			pk := pathKey(k.Path[:n])
			p.under[pk] = append(p.under[pk], i)
		}
	}
	return p
}

func pathKey(path []string) string { return strings.Join(path, "\x00") }

// errorf records a problem at line with the key (as written in messages)
// and its value (TOML text, or "").
func (p *parser) errorf(line int, key, value, format string, args ...any) {
	p.errs = append(p.errs, tomlin.FieldError{File: p.file, Line: line, Key: key, Value: value, Msg: fmt.Sprintf(format, args...)})
}

// mismatch records a value of the wrong type, in the words the scenario
// decoder uses.
func (p *parser) mismatch(line int, key string, v any, want string) {
	p.errorf(line, key, valueText(v), "%s", tomlin.Want(want, v))
}

// err returns the problems found, at most tomlin.MaxReported of them.
func (p *parser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	// In file order; problems without a line last.
	sort.SliceStable(p.errs, func(i, j int) bool {
		a, b := p.errs[i].Line, p.errs[j].Line
		return a > 0 && (b == 0 || a < b)
	})
	return p.errs.Capped(p.file)
}

// line returns the line where path is first written (elem: the array
// element it must belong to, -1 for any), or 0.
func (p *parser) line(elem int, path ...string) int {
	for _, i := range p.at[pathKey(path)] {
		if k := p.keys[i]; elem < 0 || k.Elem == elem {
			return k.Line
		}
	}
	// A key set inside an inline table of an array has no header line: fall
	// back to the array's own key.
	if len(path) > 1 {
		return p.line(elem, path[:len(path)-1]...)
	}
	return 0
}

// valueText is a value as a message shows it: TOML text, shortened.
func valueText(v any) string {
	if v == nil {
		return ""
	}
	if _, table := v.(map[string]any); table {
		return ""
	}
	return tomlin.Shorten(scenario.FormatValue(v))
}

// fields decodes the top-level settings of the file into e.
func (p *parser) fields(e *Experiment, m map[string]any) (baseline string) {
	e.Name = p.str(m, "name")
	if e.Name == "" {
		e.Name = strings.TrimSuffix(filepath.Base(e.File), filepath.Ext(e.File))
	}
	e.Scenario = p.str(m, "scenario")
	if _, ok := m["scenario"]; !ok {
		p.errorf(0, "scenario", "", `required: name the base scenario (a path relative to this file, or a shipped scenario)`)
	}
	if v, ok := p.integer(m, "replications"); ok {
		if v < 1 || v > maxReplications {
			p.errorf(p.line(-1, "replications"), "replications", valueText(v), "must be between 1 and %d", maxReplications)
		} else {
			e.Replications = int(v)
		}
	}
	if v, ok := p.integer(m, "seed"); ok {
		if v < 0 {
			p.errorf(p.line(-1, "seed"), "seed", valueText(v), "must be at least 0")
		} else {
			e.Seed = uint64(v)
		}
	}
	if v, ok := m["confidence"]; ok {
		c, isNum := number(v)
		switch {
		case !isNum:
			p.mismatch(p.line(-1, "confidence"), "confidence", v, "a number")
		case !(c >= MinConfidence && c <= MaxConfidence):
			p.errorf(p.line(-1, "confidence"), "confidence", valueText(v), "must be between %g and %g, such as 0.95", MinConfidence, MaxConfidence)
		default:
			e.Confidence = c
		}
	}
	baseline = p.str(m, "baseline")
	if raw, ok := m["overrides"]; ok {
		if table, isTable := raw.(map[string]any); isTable {
			e.Overrides = p.overridesIn(table, "overrides")
		} else {
			p.errorf(p.line(-1, "overrides"), "overrides", valueText(raw), `want a table of dotted keys, such as [overrides] "horizon" = "24h"`)
		}
	}
	return baseline
}

// strict reports every key the experiment file may not have.
func (p *parser) strict() {
	for _, k := range p.keys {
		top := k.Path[0]
		switch {
		case !slices.Contains(topKeys, top):
			p.unknown(k, toml.Key(k.Path).String(), "unknown top-level key", top, topKeys)
		case top == "sweep" && len(k.Path) >= 2 && !slices.Contains(sweepKeys, k.Path[1]):
			p.misspelt[fmt.Sprint("sweep ", k.Elem)] = true
			p.unknown(k, "sweep."+toml.Key(k.Path[1:2]).String(), "unknown key", k.Path[1], sweepKeys)
		case top == "chart" && len(k.Path) >= 2 && !slices.Contains(chartKeys, k.Path[1]):
			p.unknown(k, "chart."+toml.Key(k.Path[1:2]).String(), "unknown key", k.Path[1], chartKeys)
		case top == "chart" && len(k.Path) > 2:
			p.errorf(k.Line, "chart."+toml.Key(k.Path[1:2]).String(), "", "want a string, got a table")
		}
	}
}

// unknown reports a key that is not one of known, as the scenario decoder
// does: with a suggestion, or else the keys it may be.
func (p *parser) unknown(k tomlin.Key, key, msg, name string, known []string) {
	if s := tomlin.DidYouMean(name, known); s != "" {
		msg += s
	} else {
		msg += " (known keys: " + strings.Join(known, ", ") + ")"
	}
	value := ""
	if !k.Header {
		value = valueText(p.valueOf(k))
	}
	p.errorf(k.Line, key, value, "%s", msg)
}

// valueOf returns the value of the key statement k, or nil.
func (p *parser) valueOf(k tomlin.Key) any {
	if ts, ok := tables(p.raw[k.Path[0]]); ok && len(k.Path) > 1 {
		if k.Elem < 0 || k.Elem >= len(ts) {
			return nil
		}
		return lookup(ts[k.Elem], k.Path[1:])
	}
	return lookup(p.raw, k.Path)
}

func (p *parser) str(m map[string]any, key string) string {
	v, ok := m[key]
	if !ok {
		return ""
	}
	s, isStr := v.(string)
	if !isStr {
		p.mismatch(p.line(-1, key), key, v, "a string")
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
		p.mismatch(p.line(-1, key), key, v, "an integer")
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

// tomlText writes v, a value decoded by the TOML decoder, back as TOML value
// text that decodes to the same value of the same type: the text of an
// override, as scenario.FormatValue writes it.
func tomlText(v any) (string, error) {
	switch v.(type) {
	case string, int64, int, uint64, float64, bool, time.Time, []any, []map[string]any, map[string]any:
		return scenario.FormatValue(v), nil
	}
	return "", fmt.Errorf("unsupported value %v (%T)", v, v)
}

// label is how a sweep value appears in a CSV cell and in lookups: a string
// as it is, anything else as TOML text.
func label(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	s, err := tomlText(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return s
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string { return tomlin.SortedKeys(m) }
