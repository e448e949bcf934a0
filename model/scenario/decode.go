package scenario

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/internal/tomlin"
)

// FieldError is one problem with a scenario: where it is (the file, or the
// override's source, and the line when known), the dotted key, the value as
// written, and what is wrong or allowed. Its Error method formats it as
// `FILE:LINE: KEY = VALUE: what is wrong`.
type FieldError = tomlin.FieldError

// Errors lists every problem found in a scenario, in file order, one a
// line; past the first hundred, a last line counts the rest.
type Errors = tomlin.Errors

// MaxFileBytes bounds a scenario or experiment file.
const MaxFileBytes = tomlin.MaxFileBytes

// Decode reads a scenario file strictly, fills in the defaults, applies the
// overrides in order, and validates the result. filename is used in error
// messages. The error, when not nil, is of type [Errors] and lists every
// problem at once. Warnings (values IIS would refuse but poolsim models)
// are dropped; see [DecodeWarn].
func Decode(filename string, data []byte, overrides ...Override) (*Scenario, error) {
	sc, _, err := DecodeWarn(filename, data, overrides...)
	return sc, err
}

// DecodeFile reads and decodes the scenario file at path, as [Decode].
func DecodeFile(path string, overrides ...Override) (*Scenario, error) {
	sc, _, err := DecodeFileWarn(path, overrides...)
	return sc, err
}

// DecodeFileWarn reads and decodes the scenario file at path, as
// [DecodeWarn]. Only a regular file of at most [MaxFileBytes] is read.
func DecodeFileWarn(path string, overrides ...Override) (*Scenario, []string, error) {
	data, err := tomlin.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	return DecodeWarn(path, data, overrides...)
}

// DecodeWarn is [Decode] that also returns the warnings, each formatted as
// a [FieldError].
//
// The file is TOML (DESIGN.md §3). Decoding is strict: keys are
// case-sensitive, an unknown or misspelt key is an error (with a
// suggestion when a known key is close), and so is a value of the wrong
// type. Absent keys take their defaults ([NewScenario], [NewClass],
// [NewBackend], [NewClient], [NewCache]), also inside named classes,
// backends and clients. An override replaces the value at its dotted key
// before the file's values are checked, so its errors are reported like the
// file's, under the override's Source.
func DecodeWarn(filename string, data []byte, overrides ...Override) (*Scenario, []string, error) {
	d := newScenarioDecoder(filename)
	doc, err := tomlin.Parse(filename, data, tomlin.EmptyInput)
	if err != nil {
		return nil, nil, err
	}
	d.setLines(doc.Keys)
	raw := doc.Raw
	created := d.applyOverrides(raw, overrides)
	d.raw = raw
	sc := NewScenario()
	d.decodeTable(nil, raw, reflect.ValueOf(sc).Elem())
	fillDerivedDefaults(sc)
	d.validate(sc)
	d.explainCreated(created)
	d.sort()
	warnings := make([]string, len(d.warns))
	for i, w := range d.warns {
		warnings[i] = w.Error()
	}
	if errs := d.result(); errs != nil {
		return nil, warnings, errs
	}
	return sc, warnings, nil
}

// applyOverrides sets each override in raw, in order, and records which
// keys they own; it returns the named entries they created.
func (d *scenarioDecoder) applyOverrides(raw map[string]any, overrides []Override) []createdEntry {
	var createdByOverride []createdEntry
	for _, o := range overrides {
		src := o.Source
		if src == "" {
			src = "override"
		}
		existed := o.Key != "" && entryExists(raw, o.Key)
		path, created, err := applyOverride(raw, o)
		if err != nil {
			d.errs = append(d.errs, FieldError{File: src, Key: o.Key, Value: o.Value, Msg: err.Error()})
			if path != nil {
				d.mark(keyString(path))
			}
			continue
		}
		if created == 2 && isNamedTable(path[0]) && !existed {
			createdByOverride = append(createdByOverride, createdEntry{key: keyString(path[:2]), src: src, existing: namesIn(raw, path[0], path[1]), path: path})
		}
		// The override owns the tables it created and the value it set.
		key := keyString(path[:created])
		for k := range d.sources {
			if strings.HasPrefix(k, key+".") {
				delete(d.sources, k)
			}
		}
		d.sources[key] = src
	}
	return createdByOverride
}

// scenarioDecoder collects every problem found while decoding and
// validating one scenario.
type scenarioDecoder struct {
	file string
	// lines: dotted key → its line in the file; firstBelow: dotted key →
	// the first line of a key written below it.
	lines, firstBelow map[string]int
	sources           map[string]string // dotted key → the source of the override that set it
	// failed: keys already reported; failedBelow: keys with a reported
	// key below them.
	failed, failedBelow map[string]bool
	written             map[string]string // dotted key → its value as written, for messages
	// setBy: a pool key the file leaves out → the server setting whose
	// preset set it, named in the key's messages (presets.go).
	setBy   map[string][]string
	raw     map[string]any // the file with the overrides applied
	errs    Errors
	dropped int // errors past tomlin.MaxReported, counted only
	warns   Errors
}

func newScenarioDecoder(file string) *scenarioDecoder {
	return &scenarioDecoder{file: file, sources: map[string]string{}, failed: map[string]bool{},
		failedBelow: map[string]bool{}, written: map[string]string{}, setBy: map[string][]string{}}
}

// result returns the errors found, or nil; past tomlin.MaxReported, a last
// line counts the others.
func (d *scenarioDecoder) result() error {
	if len(d.errs) == 0 {
		return nil
	}
	return tomlin.CapNote(d.errs, d.file, d.dropped)
}

// full reports whether no more errors will be listed, only counted: a
// caller may then skip work that only makes a message better.
func (d *scenarioDecoder) full() bool { return len(d.errs) >= tomlin.MaxReported }

// keyString writes a key path as a TOML dotted key, quoting parts that
// need it.
func keyString(path []string) string { return toml.Key(path).String() }

// join returns path with more parts, never sharing path's array.
func join(path []string, more ...string) []string {
	p := make([]string, 0, len(path)+len(more))
	return append(append(p, path...), more...)
}

// Names and lists in messages, as every input file words them.
var (
	suggest   = tomlin.Suggest
	quoteList = tomlin.QuoteList
	typeName  = tomlin.TypeName
)

func contains(list []string, s string) bool { return slices.Contains(list, s) }

// setLines records the line of every key written in the file (the last,
// for a key written more than once as [[array]] tables are) and, for each
// key with keys below it, the first line of those.
func (d *scenarioDecoder) setLines(keys []tomlin.Key) {
	d.lines = make(map[string]int, len(keys))
	d.firstBelow = map[string]int{}
	for _, k := range keys {
		if k.Line <= 0 {
			continue
		}
		s := keyString(k.Path)
		d.lines[s] = k.Line
		for i := range len(s) {
			if s[i] != '.' {
				continue
			}
			if l, ok := d.firstBelow[s[:i]]; !ok || k.Line < l {
				d.firstBelow[s[:i]] = k.Line
			}
		}
	}
}

// locate returns where the value at path came from: the override that set
// it or one of its ancestors, else the file and the line of the key, of its
// first key written below it, or of its nearest ancestor.
func (d *scenarioDecoder) locate(path []string) (string, int) {
	for i := len(path); i > 0; i-- {
		if src, ok := d.sources[keyString(path[:i])]; ok {
			return src, 0
		}
	}
	if len(path) > 0 {
		key := keyString(path)
		if l := d.lines[key]; l > 0 {
			return d.file, l
		}
		if l := d.firstBelow[key]; l > 0 {
			return d.file, l
		}
	}
	for i := len(path) - 1; i > 0; i-- {
		if l := d.lines[keyString(path[:i])]; l > 0 {
			return d.file, l
		}
	}
	return d.file, 0
}

// mark records that key has been reported.
func (d *scenarioDecoder) mark(key string) {
	d.failed[key] = true
	for i := range len(key) {
		if key[i] == '.' || key[i] == '[' {
			d.failedBelow[key[:i]] = true
		}
	}
}

// related reports whether key has been reported already, or a key above or
// below it has.
func (d *scenarioDecoder) related(key string) bool {
	if len(d.failed) == 0 {
		return false
	}
	if d.failed[key] || d.failedBelow[key] {
		return true
	}
	for i := range len(key) {
		if key[i] == '.' && d.failed[key[:i]] {
			return true
		}
	}
	return false
}

// report records a problem with the value at path; suffix is appended to
// the key as written in the message (an array index such as "[2]").
// A problem is not reported twice for one key, nor for keys above or below
// one that was reported: the first report says what is wrong.
func (d *scenarioDecoder) report(warn bool, path []string, suffix, value, msg string) {
	key := keyString(path)
	if len(path) == 0 {
		key = ""
	}
	if from, ok := d.setBy[key]; ok && suffix == "" {
		// A pool key a server setting set: say so at the setting.
		msg += fmt.Sprintf(" (%s, which it sets)", key)
		path, key = from, keyString(from)
		value = d.written[key]
	}
	if !warn {
		if d.related(key + suffix) {
			return
		}
		d.mark(key + suffix)
		if d.full() {
			d.dropped++
			return
		}
	} else if len(d.warns) >= tomlin.MaxReported {
		return
	}
	if w, ok := d.written[key]; ok && suffix == "" && value != "" {
		value = w // as the file wrote it, not as it was normalised
	}
	file, line := d.locate(path)
	e := FieldError{File: file, Line: line, Key: key + suffix, Value: value, Msg: msg}
	if warn {
		d.warns = append(d.warns, e)
	} else {
		d.errs = append(d.errs, e)
	}
}

func (d *scenarioDecoder) errorf(path []string, value, format string, args ...any) {
	d.report(false, path, "", value, fmt.Sprintf(format, args...))
}

func (d *scenarioDecoder) warnf(path []string, value, format string, args ...any) {
	d.report(true, path, "", value, fmt.Sprintf(format, args...))
}

// mismatch reports a value of the wrong type: "want WHAT, got a string".
func (d *scenarioDecoder) mismatch(path []string, v any, want string) {
	d.errorf(path, valueText(v), "%s", tomlin.Want(want, v))
}

// sort puts the problems in file order: the file's by line, then those of
// overrides and those without a line, each by key.
func (d *scenarioDecoder) sort() {
	for _, es := range []Errors{d.errs, d.warns} {
		sort.SliceStable(es, func(i, j int) bool {
			a, b := es[i], es[j]
			ga, gb := d.group(a), d.group(b)
			if ga != gb {
				return ga < gb
			}
			if a.Line != b.Line {
				return a.Line < b.Line
			}
			if a.Col != b.Col {
				return a.Col < b.Col
			}
			return a.Key < b.Key
		})
	}
}

func (d *scenarioDecoder) group(e FieldError) int {
	switch {
	case e.File == d.file && e.Line > 0:
		return 0
	case e.File == d.file:
		return 1
	}
	return 2
}

// valueText is v in TOML syntax for a message (tables are left out, long
// values shortened).
func valueText(v any) string {
	if _, ok := v.(map[string]any); ok {
		return ""
	}
	return tomlin.Shorten(FormatValue(v))
}
