package model

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/engine"
)

// FieldError is one problem with a scenario: where it is (the file, or the
// override's source, and the line when known), the dotted key, the value as
// written, and what is wrong or allowed.
type FieldError struct {
	File  string
	Line  int // 0: unknown
	Col   int // 0: unknown; only syntax errors have one
	Key   string
	Value string // TOML text of the value; "" when there is none
	Msg   string
}

// Error formats e as "file:line: key = value: msg", leaving out what is
// unknown.
func (e FieldError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
		if e.Col > 0 {
			b.WriteString(":" + strconv.Itoa(e.Col))
		}
	}
	sep := func() {
		if b.Len() > 0 {
			b.WriteString(": ")
		}
	}
	if e.Key != "" {
		sep()
		b.WriteString(e.Key)
		if e.Value != "" {
			b.WriteString(" = " + e.Value)
		}
	}
	sep()
	b.WriteString(e.Msg)
	return b.String()
}

// Errors lists every problem found in a scenario, in file order.
type Errors []FieldError

// Error lists the problems one a line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

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
// [DecodeWarn].
func DecodeFileWarn(path string, overrides ...Override) (*Scenario, []string, error) {
	data, err := os.ReadFile(path)
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
	raw, ok := d.parse(data)
	if !ok {
		return nil, nil, d.errs
	}
	var createdByOverride []createdEntry
	for _, o := range overrides {
		src := o.Source
		if src == "" {
			src = "override"
		}
		path, created, err := applyOverride(raw, o)
		if err != nil {
			d.errs = append(d.errs, FieldError{File: src, Key: o.Key, Value: o.Value, Msg: err.Error()})
			if path != nil {
				d.failed[keyString(path)] = true
			}
			continue
		}
		if created == 2 && isNamedTable(path[0]) {
			createdByOverride = append(createdByOverride, createdEntry{key: keyString(path[:2]), src: src, existing: namesIn(raw, path[0], path[1])})
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
	d.raw = raw
	sc := NewScenario()
	d.decodeTable(nil, raw, reflect.ValueOf(sc).Elem())
	fillDerivedDefaults(sc)
	d.validate(sc)
	d.explainCreated(createdByOverride)
	d.sort()
	warnings := make([]string, len(d.warns))
	for i, w := range d.warns {
		warnings[i] = w.Error()
	}
	if len(d.errs) > 0 {
		return nil, warnings, d.errs
	}
	return sc, warnings, nil
}

// scenarioDecoder collects every problem found while decoding and
// validating one scenario.
type scenarioDecoder struct {
	file    string
	lines   map[string]int    // dotted key → its line in the file
	sources map[string]string // dotted key → the source of the override that set it
	failed  map[string]bool   // keys already reported
	written map[string]string // dotted key → its value as written, for messages
	raw     map[string]any    // the file with the overrides applied
	errs    Errors
	warns   Errors
}

func newScenarioDecoder(file string) *scenarioDecoder {
	return &scenarioDecoder{file: file, sources: map[string]string{}, failed: map[string]bool{}, written: map[string]string{}}
}

// keyString writes a key path as a TOML dotted key, quoting parts that
// need it.
func keyString(path []string) string { return toml.Key(path).String() }

// join returns path with more parts, never sharing path's array.
func join(path []string, more ...string) []string {
	p := make([]string, 0, len(path)+len(more))
	return append(append(p, path...), more...)
}

// parse reads data as TOML into a generic tree, reporting syntax errors,
// binary junk and empty files.
func (d *scenarioDecoder) parse(data []byte) (map[string]any, bool) {
	raw, md, _, err := ParseTOML(d.file, data, "empty scenario: nothing to simulate (a scenario needs at least a [classes.NAME] and a [clients.NAME] table)")
	if err != nil {
		d.errs = append(d.errs, err.(Errors)...)
		return nil, false
	}
	d.lines = keyLines(&md)
	return raw, true
}

// keyLines returns the line of every key that the TOML parser recorded.
// github.com/BurntSushi/toml keeps key positions in MetaData but does not
// export them; they are read here by reflection (read-only). Should a later
// version store them differently, errors simply carry no line.
func keyLines(md *toml.MetaData) map[string]int {
	info := reflect.ValueOf(md).Elem().FieldByName("keyInfo")
	if !info.IsValid() || info.Kind() != reflect.Map || info.Type().Key().Kind() != reflect.String {
		return nil
	}
	lines := make(map[string]int, info.Len())
	it := info.MapRange()
	for it.Next() {
		v := it.Value()
		if v.Kind() != reflect.Struct {
			return nil
		}
		pos := v.FieldByName("pos")
		if !pos.IsValid() || pos.Kind() != reflect.Struct {
			return nil
		}
		line := pos.FieldByName("Line")
		if !line.IsValid() || !line.CanInt() {
			return nil
		}
		lines[it.Key().String()] = int(line.Int())
	}
	return lines
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
		if l := d.lines[keyString(path)]; l > 0 {
			return d.file, l
		}
		prefix, best := keyString(path)+".", 0
		for k, l := range d.lines {
			if l > 0 && strings.HasPrefix(k, prefix) && (best == 0 || l < best) {
				best = l
			}
		}
		if best > 0 {
			return d.file, best
		}
	}
	for i := len(path) - 1; i > 0; i-- {
		if l := d.lines[keyString(path[:i])]; l > 0 {
			return d.file, l
		}
	}
	return d.file, 0
}

// related reports whether key has been reported already, or a key above or
// below it has.
func (d *scenarioDecoder) related(key string) bool {
	if len(d.failed) == 0 {
		return false
	}
	if d.failed[key] {
		return true
	}
	for k := range d.failed {
		if strings.HasPrefix(key, k+".") || strings.HasPrefix(k, key+".") || strings.HasPrefix(k, key+"[") {
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
	if !warn {
		if d.related(key + suffix) {
			return
		}
		d.failed[key+suffix] = true
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
	s := FormatValue(v)
	if len(s) > 80 {
		cut := 77
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "..."
	}
	return s
}

// typeName names the TOML type of a decoded value.
func typeName(v any) string {
	switch v := v.(type) {
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		switch v.Location().String() {
		case "time-local":
			return "a time"
		case "date-local":
			return "a date"
		}
		return "a datetime"
	case []any, []map[string]any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%T", v)
}

func (d *scenarioDecoder) mismatch(path []string, v any, want string) {
	d.errorf(path, valueText(v), "want %s, not %s", want, typeName(v))
}

var (
	typeDuration     = reflect.TypeFor[Duration]()
	typeWarmup       = reflect.TypeFor[Warmup]()
	typeSize         = reflect.TypeFor[Size]()
	typeTimeOfDay    = reflect.TypeFor[TimeOfDay]()
	typeDist         = reflect.TypeFor[Dist]()
	typeTime         = reflect.TypeFor[time.Time]()
	typeSchedule     = reflect.TypeFor[[]TimeOfDay]()
	typeProfile      = reflect.TypeFor[[]ProfilePoint]()
	typeClass        = reflect.TypeFor[Class]()
	typeBackend      = reflect.TypeFor[Backend]()
	typeClient       = reflect.TypeFor[Client]()
	typeCache        = reflect.TypeFor[Cache]()
	restartAfterPath = "pool.rapid_fail.restart_after"
)

// isTable reports whether values of type t are written as TOML tables
// rather than as values.
func isTable(t reflect.Type) bool {
	switch t {
	case typeDist, typeWarmup, typeTime:
		return false
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return true
	case reflect.Pointer:
		return t.Elem().Kind() == reflect.Struct
	}
	return false
}

// tomlFields returns the TOML keys of struct type t in field order, with
// their field indexes.
func tomlFields(t reflect.Type) (names []string, index map[string]int) {
	index = make(map[string]int, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("toml"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		names = append(names, name)
		index[name] = i
	}
	return names, index
}

// orderedKeys returns the keys of raw (a table at path) in the order they
// appear in the file, then by name.
func (d *scenarioDecoder) orderedKeys(path []string, raw map[string]any) []string {
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	lines := make(map[string]int, len(keys))
	for _, k := range keys {
		_, lines[k] = d.locate(join(path, k))
	}
	sort.SliceStable(keys, func(i, j int) bool { return lines[keys[i]] < lines[keys[j]] })
	return keys
}

// decodeTable decodes the table raw at path into the struct rv, whose
// fields already hold their defaults.
func (d *scenarioDecoder) decodeTable(path []string, raw map[string]any, rv reflect.Value) {
	names, index := tomlFields(rv.Type())
	for _, k := range d.orderedKeys(path, raw) {
		p := join(path, k)
		i, ok := index[k]
		if !ok {
			d.unknownKey(p, raw, names)
			continue
		}
		d.decodeValue(p, raw[k], rv.Field(i))
	}
}

// unknownKey reports a key that the scenario format does not have; table
// is the table that holds it.
func (d *scenarioDecoder) unknownKey(path []string, table map[string]any, known []string) {
	name := path[len(path)-1]
	v := table[name]
	msg := "unknown key"
	if len(path) == 1 {
		msg = "unknown top-level key"
	}
	if s := suggest(name, known); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
		// The misspelt key stands for s: when s is absent, say so once, not
		// also that s is missing.
		if _, present := table[s]; !present {
			d.failed[keyString(join(path[:len(path)-1], s))] = true
		}
	} else {
		msg += " (known keys: " + strings.Join(known, ", ") + ")"
	}
	d.errorf(path, valueText(v), "%s", msg)
}

// decodeValue decodes v into the field fv (holding its default).
func (d *scenarioDecoder) decodeValue(path []string, v any, fv reflect.Value) {
	d.wrote(path, v)
	switch fv.Type() {
	case typeDuration:
		if x, ok := d.duration(path, v, keyString(path) == restartAfterPath); ok {
			fv.Set(reflect.ValueOf(x))
		}
		return
	case typeWarmup:
		if s, ok := v.(string); ok && strings.TrimSpace(s) == "auto" {
			fv.Set(reflect.ValueOf(Warmup{Auto: true}))
			return
		}
		if x, ok := d.durationHint(path, v, false, `, or "auto"`); ok {
			fv.Set(reflect.ValueOf(Warmup{Duration: x}))
		}
		return
	case typeSize:
		if x, ok := d.size(path, v); ok {
			fv.Set(reflect.ValueOf(x))
		}
		return
	case typeTimeOfDay:
		if x, ok := d.timeOfDay(path, "", v); ok {
			fv.Set(reflect.ValueOf(x))
		}
		return
	case typeDist:
		if x, ok := d.dist(path, v); ok {
			fv.Set(reflect.ValueOf(x))
		}
		return
	case typeTime:
		if x, ok := d.datetime(path, v); ok {
			fv.Set(reflect.ValueOf(x))
		}
		return
	case typeSchedule:
		if x, ok := d.schedule(path, v); ok {
			fv.Set(reflect.ValueOf(x))
		}
		return
	case typeProfile:
		if x, ok := d.profile(path, v); ok {
			fv.Set(reflect.ValueOf(x))
		}
		return
	}
	switch fv.Kind() {
	case reflect.String:
		if s, ok := v.(string); ok {
			fv.SetString(s)
		} else {
			d.mismatch(path, v, "a string")
		}
	case reflect.Bool:
		if b, ok := v.(bool); ok {
			fv.SetBool(b)
		} else {
			d.mismatch(path, v, "true or false")
		}
	case reflect.Int, reflect.Int64:
		if n, ok := v.(int64); ok {
			fv.SetInt(n)
		} else {
			d.mismatch(path, v, "an integer")
		}
	case reflect.Uint64:
		n, ok := v.(int64)
		if s, isString := v.(string); isString {
			// Past TOML's int64, MarshalTOML writes a decimal string.
			if u, err := strconv.ParseUint(s, 10, 64); err == nil && u > math.MaxInt64 {
				fv.SetUint(u)
				return
			}
		}
		switch {
		case !ok:
			d.mismatch(path, v, "an integer")
		case n < 0:
			d.errorf(path, valueText(v), "must be at least 0")
		default:
			fv.SetUint(uint64(n))
		}
	case reflect.Float64:
		switch n := v.(type) {
		case float64:
			fv.SetFloat(n)
		case int64:
			fv.SetFloat(float64(n))
		default:
			d.mismatch(path, v, "a number")
		}
	case reflect.Struct:
		if m, ok := v.(map[string]any); ok {
			d.decodeTable(path, m, fv)
		} else {
			d.mismatch(path, v, "a table")
		}
	case reflect.Pointer:
		m, ok := v.(map[string]any)
		if !ok {
			d.mismatch(path, v, "a table")
			return
		}
		if fv.IsNil() {
			fv.Set(newEntry(fv.Type().Elem()))
		}
		d.decodeTable(path, m, fv.Elem())
	case reflect.Map:
		m, ok := v.(map[string]any)
		if !ok {
			d.mismatch(path, v, fmt.Sprintf("a table of named entries, each a [%s] table", keyString(join(path, "NAME"))))
			return
		}
		if len(m) == 0 {
			return
		}
		if fv.IsNil() {
			fv.Set(reflect.MakeMapWithSize(fv.Type(), len(m)))
		}
		elem := fv.Type().Elem().Elem()
		for _, name := range d.orderedKeys(path, m) {
			p := join(path, name)
			em, ok := m[name].(map[string]any)
			if !ok {
				d.mismatch(p, m[name], fmt.Sprintf("a table [%s]", keyString(p)))
				continue
			}
			entry := newEntry(elem)
			d.decodeTable(p, em, entry.Elem())
			fv.SetMapIndex(reflect.ValueOf(name), entry)
		}
	default:
		d.errorf(path, valueText(v), "cannot decode into %s", fv.Type())
	}
}

// wrote records the value at path as written, for messages.
func (d *scenarioDecoder) wrote(path []string, v any) {
	if _, table := v.(map[string]any); !table {
		d.written[keyString(path)] = valueText(v)
	}
}

// newEntry returns a pointer to a new value of struct type t holding its
// defaults.
func newEntry(t reflect.Type) reflect.Value {
	switch t {
	case typeClass:
		return reflect.ValueOf(NewClass())
	case typeBackend:
		return reflect.ValueOf(NewBackend())
	case typeClient:
		return reflect.ValueOf(NewClient())
	case typeCache:
		return reflect.ValueOf(NewCache())
	}
	return reflect.New(t)
}

func (d *scenarioDecoder) duration(path []string, v any, allowNever bool) (Duration, bool) {
	return d.durationHint(path, v, allowNever, "")
}

// durationHint decodes a duration string; hint is added to messages about
// its form.
func (d *scenarioDecoder) durationHint(path []string, v any, allowNever bool, hint string) (Duration, bool) {
	switch x := v.(type) {
	case string:
		if allowNever && strings.TrimSpace(x) == neverText {
			return Duration(engine.Never), true
		}
		dur, err := ParseDuration(x)
		if err != nil {
			form := strings.Contains(err.Error(), durationHint) // about how a duration is written
			if !form {
				hint = ""
			}
			if allowNever && form {
				if suggest(strings.TrimSpace(x), []string{neverText}) != "" {
					d.errorf(path, valueText(v), `did you mean "never"? (or a duration such as "5m")`)
					return 0, false
				}
				hint += `, or "never"`
			}
			d.errorf(path, valueText(v), "%v%s", err, hint)
			return 0, false
		}
		return dur, true
	case int64:
		if x == 0 {
			return 0, true
		}
		d.errorf(path, valueText(v), "a duration is a string with a unit, such as \"%ds\"%s", x, hint)
	case float64:
		d.errorf(path, valueText(v), "a duration is a string with a unit, such as \"%ss\"%s", strconv.FormatFloat(x, 'g', -1, 64), hint)
	default:
		d.mismatch(path, v, `a duration string such as "90s"`)
	}
	return 0, false
}

func (d *scenarioDecoder) size(path []string, v any) (Size, bool) {
	switch x := v.(type) {
	case string:
		s, err := ParseSize(x)
		if err != nil {
			d.errorf(path, valueText(v), "%v", err)
			return 0, false
		}
		return s, true
	case int64:
		if x == 0 {
			return 0, true
		}
		d.errorf(path, valueText(v), "a size is a string with a unit, such as \"%dMB\" or \"%dB\"", x, x)
	default:
		d.mismatch(path, v, `a size string such as "120MB"`)
	}
	return 0, false
}

// timeOfDay decodes a time of day at path (suffix: its index in an array).
func (d *scenarioDecoder) timeOfDay(path []string, suffix string, v any) (TimeOfDay, bool) {
	switch x := v.(type) {
	case string:
		t, err := ParseTimeOfDay(x)
		if err != nil {
			d.report(false, path, suffix, valueText(v), err.Error())
			return 0, false
		}
		return t, true
	case time.Time:
		if x.Location().String() == "time-local" {
			return timeOfDayFromTOML(x), true
		}
	}
	d.report(false, path, suffix, valueText(v), fmt.Sprintf(`want a time of day such as "03:00", not %s`, typeName(v)))
	return 0, false
}

func (d *scenarioDecoder) datetime(path []string, v any) (time.Time, bool) {
	switch x := v.(type) {
	case time.Time:
		switch x.Location().String() {
		case "datetime-local", "date-local":
			// No offset: the wall clock is taken as UTC, like the logs.
			return time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), x.Nanosecond(), time.UTC), true
		case "time-local":
			d.errorf(path, valueText(v), "want a date and time such as 2026-11-23T00:00:00Z, not a time of day")
			return time.Time{}, false
		}
		return x.UTC(), true
	case string:
		t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(x))
		if err != nil {
			d.errorf(path, valueText(v), "want a date and time such as 2026-11-23T00:00:00Z")
			return time.Time{}, false
		}
		return t.UTC(), true
	}
	d.mismatch(path, v, "a date and time such as 2026-11-23T00:00:00Z")
	return time.Time{}, false
}

func (d *scenarioDecoder) schedule(path []string, v any) ([]TimeOfDay, bool) {
	arr, ok := v.([]any)
	if !ok {
		d.mismatch(path, v, `an array of times of day such as ["03:00", "15:00"]`)
		return nil, false
	}
	var out []TimeOfDay
	good := true
	for i, e := range arr {
		t, ok := d.timeOfDay(path, fmt.Sprintf("[%d]", i), e)
		good = good && ok
		out = append(out, t)
	}
	return out, good
}

const profileHint = `want [time of day, rate multiplier] pairs such as [["00:00", 0.2], ["08:00", 1.0]]`

func (d *scenarioDecoder) profile(path []string, v any) ([]ProfilePoint, bool) {
	arr, ok := v.([]any)
	if !ok {
		d.errorf(path, valueText(v), "%s, not %s", profileHint, typeName(v))
		return nil, false
	}
	var out []ProfilePoint
	good := true
	for i, e := range arr {
		suffix := fmt.Sprintf("[%d]", i)
		pair, ok := e.([]any)
		if !ok || len(pair) != 2 {
			d.report(false, path, suffix, valueText(e), profileHint)
			good = false
			continue
		}
		at, ok := d.timeOfDay(path, suffix, pair[0])
		if !ok {
			good = false
			continue
		}
		var f float64
		switch x := pair[1].(type) {
		case float64:
			f = x
		case int64:
			f = float64(x)
		default:
			d.report(false, path, suffix, valueText(e), "the rate multiplier must be a number; "+profileHint)
			good = false
			continue
		}
		out = append(out, ProfilePoint{At: at, Factor: f})
	}
	return out, good
}

// distParams lists, for each distribution, the parameters its table may
// have.
var distParams = map[string][]string{
	"constant":      {"value", "mean"},
	"deterministic": {"value", "mean"},
	"exponential":   {"mean"},
	"lognormal":     {"mean", "cv"},
	"uniform":       {"min", "max"},
	"gamma":         {"mean", "cv", "shape"},
	"weibull":       {"mean", "shape"},
	"pareto":        {"shape", "min", "mean"},
	"empirical":     {"values"},
}

// distKinds lists the distributions in the order messages name them.
var distKinds = []string{"constant", "deterministic", "exponential", "lognormal", "uniform", "gamma", "weibull", "pareto", "empirical"}

const distHint = `want a duration such as "40ms" or a table such as { dist = "exponential", mean = "30ms" }`

// dist decodes a distribution: a duration (a constant) or a table.
func (d *scenarioDecoder) dist(path []string, v any) (Dist, bool) {
	switch x := v.(type) {
	case string:
		dur, err := ParseDuration(x)
		if err != nil {
			d.errorf(path, valueText(v), "%v; or a distribution table such as { dist = \"exponential\", mean = \"30ms\" }", err)
			return Dist{}, false
		}
		return Const(dur.T()), true
	case map[string]any:
		return d.distTable(path, x)
	case int64:
		if x == 0 {
			return Const(0), true
		}
	}
	d.errorf(path, valueText(v), "%s, not %s", distHint, typeName(v))
	return Dist{}, false
}

func (d *scenarioDecoder) distTable(path []string, m map[string]any) (Dist, bool) {
	text := FormatValue(m)
	kindV, ok := m["dist"]
	if !ok {
		d.errorf(path, text, `missing dist: the distribution's name, one of %s`, quoteList(distKinds))
		return Dist{}, false
	}
	kind, ok := kindV.(string)
	if !ok {
		d.mismatch(join(path, "dist"), kindV, "the distribution's name, a string")
		return Dist{}, false
	}
	params, ok := distParams[kind]
	if !ok {
		msg := "unknown distribution; want one of " + quoteList(distKinds)
		if s := suggest(kind, distKinds); s != "" {
			msg = fmt.Sprintf("unknown distribution; did you mean %q? (one of %s)", s, quoteList(distKinds))
		}
		d.errorf(join(path, "dist"), valueText(kindV), "%s", msg)
		return Dist{}, false
	}
	dist := Dist{Kind: kind}
	good := true
	has := map[string]bool{}
	for _, k := range d.orderedKeys(path, m) {
		if k == "dist" {
			continue
		}
		p := join(path, k)
		if !contains(params, k) {
			msg := fmt.Sprintf("%s has no parameter %q (it takes %s)", kind, k, quoteList(params))
			if s := suggest(k, params); s != "" {
				msg += fmt.Sprintf("; did you mean %q?", s)
			}
			d.errorf(p, valueText(m[k]), "%s", msg)
			good = false
			continue
		}
		has[k] = true
		d.wrote(p, m[k])
		switch k {
		case "mean", "value", "min", "max":
			x, ok := d.duration(p, m[k], false)
			good = good && ok
			switch k {
			case "mean", "value":
				dist.Mean = x.T()
			case "min":
				dist.Min = x.T()
			case "max":
				dist.Max = x.T()
			}
		case "cv", "shape":
			var f float64
			switch x := m[k].(type) {
			case float64:
				f = x
			case int64:
				f = float64(x)
			default:
				d.mismatch(p, m[k], "a number")
				good = false
			}
			if k == "cv" {
				dist.CV = f
			} else {
				dist.Shape = f
			}
		case "values":
			arr, ok := m[k].([]any)
			if !ok {
				d.mismatch(p, m[k], `an array of durations such as ["10ms", "20ms"]`)
				good = false
				continue
			}
			dist.Values = make([]engine.Time, 0, len(arr))
			for i, e := range arr {
				s, ok := e.(string)
				if !ok {
					d.report(false, p, fmt.Sprintf("[%d]", i), valueText(e), fmt.Sprintf(`want a duration such as "10ms", not %s`, typeName(e)))
					good = false
					continue
				}
				x, err := ParseDuration(s)
				if err != nil {
					d.report(false, p, fmt.Sprintf("[%d]", i), valueText(e), err.Error())
					good = false
					continue
				}
				dist.Values = append(dist.Values, x.T())
			}
		}
	}
	// Which parameters each distribution needs.
	need := func(ps ...string) {
		for _, p := range ps {
			if !has[p] {
				d.errorf(path, text, "%s needs %s", kind, p)
				good = false
			}
		}
	}
	oneOf := func(a, b string) {
		switch {
		case has[a] && has[b]:
			d.errorf(path, text, "%s takes %s or %s, not both", kind, a, b)
			good = false
		case !has[a] && !has[b]:
			d.errorf(path, text, "%s needs %s or %s", kind, a, b)
			good = false
		}
	}
	switch kind {
	case "constant", "deterministic":
		oneOf("value", "mean")
	case "exponential":
		need("mean")
	case "lognormal":
		need("mean", "cv")
	case "uniform":
		need("min", "max")
	case "gamma":
		need("mean")
		oneOf("cv", "shape")
	case "weibull":
		need("mean", "shape")
	case "pareto":
		need("shape")
		oneOf("min", "mean")
	case "empirical":
		need("values")
	}
	return dist, good
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// quoteList formats names as "a", "b", "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}

// suggest returns the known name closest to s when it is close enough to
// be a misspelling (or differs only in case), else "".
func suggest(s string, known []string) string {
	best, bestDist := "", -1
	ls := strings.ToLower(s)
	for _, k := range known {
		if strings.ToLower(k) == ls {
			return k
		}
		dist := editDistance(ls, strings.ToLower(k))
		if bestDist < 0 || dist < bestDist {
			best, bestDist = k, dist
		}
	}
	limit := 1
	if n := utf8.RuneCountInString(s); n >= 5 {
		limit = 2
	}
	if n := utf8.RuneCountInString(s); n >= 10 {
		limit = 3
	}
	if bestDist >= 0 && bestDist <= limit {
		return best
	}
	return ""
}

// editDistance is the Damerau–Levenshtein distance (with adjacent
// transpositions) between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > 64 || len(rb) > 64 {
		if a == b {
			return 0
		}
		return 64
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// UnmarshalTOML decodes a distribution from a duration string or a table,
// so that github.com/BurntSushi/toml can decode a Dist directly.
func (dist *Dist) UnmarshalTOML(v any) error {
	d := newScenarioDecoder("")
	x, ok := d.dist(nil, v)
	if ok {
		d.checkDist(nil, x, true, false)
	}
	if len(d.errs) > 0 {
		return d.errs
	}
	*dist = x
	return nil
}

// MarshalTOML writes the distribution as a duration string (a constant) or
// an inline table.
func (dist Dist) MarshalTOML() ([]byte, error) { return []byte(distText(dist)), nil }

// distText writes dist in TOML syntax.
func distText(dist Dist) string {
	dur := func(t engine.Time) string { return QuoteString(Duration(t).String()) }
	num := formatTOMLFloat
	head := `{ dist = "` + dist.Kind + `"`
	switch dist.Kind {
	case "", "constant":
		return dur(dist.Mean)
	case "deterministic":
		return head + ", value = " + dur(dist.Mean) + " }"
	case "exponential":
		return head + ", mean = " + dur(dist.Mean) + " }"
	case "lognormal":
		return head + ", mean = " + dur(dist.Mean) + ", cv = " + num(dist.CV) + " }"
	case "uniform":
		return head + ", min = " + dur(dist.Min) + ", max = " + dur(dist.Max) + " }"
	case "gamma":
		if dist.Shape != 0 {
			return head + ", mean = " + dur(dist.Mean) + ", shape = " + num(dist.Shape) + " }"
		}
		return head + ", mean = " + dur(dist.Mean) + ", cv = " + num(dist.CV) + " }"
	case "weibull":
		return head + ", mean = " + dur(dist.Mean) + ", shape = " + num(dist.Shape) + " }"
	case "pareto":
		if dist.Min != 0 {
			return head + ", shape = " + num(dist.Shape) + ", min = " + dur(dist.Min) + " }"
		}
		return head + ", shape = " + num(dist.Shape) + ", mean = " + dur(dist.Mean) + " }"
	case "empirical":
		vals := make([]string, len(dist.Values))
		for i, v := range dist.Values {
			vals[i] = dur(v)
		}
		return head + ", values = [" + strings.Join(vals, ", ") + "] }"
	}
	return head + " }"
}

// UnmarshalTOML decodes a profile point from its array form ["08:00", 1.0].
func (p *ProfilePoint) UnmarshalTOML(v any) error {
	d := newScenarioDecoder("")
	pts, ok := d.profile(nil, []any{v})
	if !ok || len(pts) != 1 {
		return d.errs
	}
	*p = pts[0]
	return nil
}

// MarshalTOML writes the point as ["08:00", 1.0].
func (p ProfilePoint) MarshalTOML() ([]byte, error) {
	return []byte("[" + QuoteString(p.At.String()) + ", " + formatTOMLFloat(p.Factor) + "]"), nil
}

// MarshalTOML writes the scenario back as TOML with every value, defaults
// included, so that the file records the scenario as run. [Decode] reads
// it back to an equal Scenario.
func (sc *Scenario) MarshalTOML() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# poolsim scenario with every default filled in.\n")
	writeTable(&b, nil, reflect.ValueOf(sc).Elem())
	return b.Bytes(), nil
}

// writeTable writes the struct rv at path: its values, then its tables.
func writeTable(b *bytes.Buffer, path []string, rv reflect.Value) {
	names, index := tomlFields(rv.Type())
	if len(path) > 0 {
		b.WriteString("\n[" + keyString(path) + "]\n")
	}
	for _, n := range names {
		fv := rv.Field(index[n])
		if isTable(fv.Type()) {
			continue
		}
		b.WriteString(toml.Key{n}.String() + " = " + leafText(fv) + "\n")
	}
	for _, n := range names {
		fv := rv.Field(index[n])
		if !isTable(fv.Type()) {
			continue
		}
		p := join(path, n)
		switch fv.Kind() {
		case reflect.Struct:
			writeTable(b, p, fv)
		case reflect.Pointer:
			if !fv.IsNil() {
				writeTable(b, p, fv.Elem())
			}
		case reflect.Map:
			keys := make([]string, 0, fv.Len())
			for _, k := range fv.MapKeys() {
				keys = append(keys, k.String())
			}
			sort.Strings(keys)
			for _, k := range keys {
				e := fv.MapIndex(reflect.ValueOf(k))
				if e.Kind() == reflect.Pointer {
					if e.IsNil() {
						continue
					}
					e = e.Elem()
				}
				writeTable(b, join(p, k), e)
			}
		}
	}
}

// leafText writes the value fv in TOML syntax.
func leafText(fv reflect.Value) string {
	switch x := fv.Interface().(type) {
	case Duration:
		return QuoteString(x.String())
	case Warmup:
		return QuoteString(x.String())
	case Size:
		return QuoteString(x.String())
	case TimeOfDay:
		return QuoteString(x.String())
	case Dist:
		return distText(x)
	case time.Time:
		return x.UTC().Format(time.RFC3339Nano)
	case []TimeOfDay:
		s := make([]string, len(x))
		for i, t := range x {
			s[i] = QuoteString(t.String())
		}
		return "[" + strings.Join(s, ", ") + "]"
	case []ProfilePoint:
		s := make([]string, len(x))
		for i, p := range x {
			t, _ := p.MarshalTOML()
			s[i] = string(t)
		}
		return "[" + strings.Join(s, ", ") + "]"
	}
	switch fv.Kind() {
	case reflect.String:
		return QuoteString(fv.String())
	case reflect.Bool:
		return strconv.FormatBool(fv.Bool())
	case reflect.Int, reflect.Int64:
		return strconv.FormatInt(fv.Int(), 10)
	case reflect.Uint64:
		if u := fv.Uint(); u > math.MaxInt64 {
			return QuoteString(strconv.FormatUint(u, 10)) // past TOML's int64
		}
		return strconv.FormatUint(fv.Uint(), 10)
	case reflect.Float64:
		return formatTOMLFloat(fv.Float())
	}
	return QuoteString(fmt.Sprint(fv.Interface()))
}
