package scenario

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
)

var (
	typeDuration     = reflect.TypeFor[Duration]()
	typeWarmup       = reflect.TypeFor[Warmup]()
	typeSize         = reflect.TypeFor[Size]()
	typeTimeOfDay    = reflect.TypeFor[TimeOfDay]()
	typeDist         = reflect.TypeFor[Dist]()
	typeSizeDist     = reflect.TypeFor[SizeDist]()
	typeRateDist     = reflect.TypeFor[RateDist]()
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
	case typeDist, typeSizeDist, typeRateDist, typeWarmup, typeTime:
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
		if d.phpFPMDotted(path, k, raw[k]) {
			continue
		}
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
			d.mark(keyString(join(path[:len(path)-1], s)))
		}
	} else {
		msg += " (known keys: " + strings.Join(known, ", ") + ")"
	}
	d.errorf(path, valueText(v), "%s", msg)
}

// decodeValue decodes v into the field fv (holding its default).
func (d *scenarioDecoder) decodeValue(path []string, v any, fv reflect.Value) {
	d.wrote(path, v)
	if x, ok, typed := d.decodeTyped(path, v, fv.Type()); typed {
		if ok {
			fv.Set(reflect.ValueOf(x))
		}
		return
	}
	switch fv.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int64, reflect.Uint64, reflect.Float64:
		d.decodeScalar(path, v, fv)
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
		d.decodeNamed(path, v, fv)
	default:
		d.errorf(path, valueText(v), "cannot decode into %s", fv.Type())
	}
}

// decodeTyped decodes the values of poolsim's own types (durations, sizes,
// distributions …). typed is false for any other type t.
func (d *scenarioDecoder) decodeTyped(path []string, v any, t reflect.Type) (x any, ok, typed bool) {
	switch t {
	case typeDuration:
		x, ok = d.duration(path, v, keyString(path) == restartAfterPath)
	case typeWarmup:
		x, ok = d.warmup(path, v)
	case typeSize:
		x, ok = d.size(path, v)
	case typeTimeOfDay:
		x, ok = d.timeOfDay(path, "", v)
	case typeDist:
		x, ok = d.dist(path, v)
	case typeSizeDist:
		x, ok = decodeDist[Size](d, path, v)
	case typeRateDist:
		x, ok = decodeDist[Rate](d, path, v)
	case typeTime:
		x, ok = d.datetime(path, v)
	case typeSchedule:
		x, ok = d.schedule(path, v)
	case typeProfile:
		x, ok = d.profile(path, v)
	default:
		return nil, false, false
	}
	return x, ok, true
}

func (d *scenarioDecoder) warmup(path []string, v any) (Warmup, bool) {
	if s, ok := v.(string); ok && strings.TrimSpace(s) == "auto" {
		return Warmup{Auto: true}, true
	}
	x, ok := d.durationHint(path, v, false, `, or "auto"`)
	return Warmup{Duration: x}, ok
}

// decodeScalar decodes a string, boolean or number into fv.
func (d *scenarioDecoder) decodeScalar(path []string, v any, fv reflect.Value) {
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
	}
}

// decodeNamed decodes a table of named entries (classes, backends,
// clients) into the map fv.
func (d *scenarioDecoder) decodeNamed(path []string, v any, fv reflect.Value) {
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

// iisMinutes are the keys whose IIS Manager field is in minutes.
var iisMinutes = map[string]bool{"pool.recycle.time": true, "pool.idle_timeout": true, "pool.rapid_fail.interval": true}

// durationHint decodes a duration string; hint is added to messages about
// its form.
//
// A bare number for a setting that IIS Manager shows in minutes (the
// regular time interval, 1740; the idle time-out, 20; the failure interval,
// 5) is offered in minutes too.
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
		if iisMinutes[keyString(path)] {
			hint = fmt.Sprintf(" (or, in IIS Manager's minutes, \"%dm\")", x) + hint
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
	return unitValue(d, path, v, parseSizeValue, "size", [2]string{"MB", "B"}, `"120MB"`)
}

// unitValue decodes a value written as a string with a unit, such as a
// size or a rate, read by parse; a bare 0 is zero. what names the
// quantity, units are two units to suggest for a bare number, and example
// is one value.
func unitValue[Q Quantity](d *scenarioDecoder, path []string, v any, parse func(string) (Q, error), what string, units [2]string, example string) (Q, bool) {
	switch x := v.(type) {
	case string:
		q, err := parse(x)
		if err != nil {
			d.errorf(path, valueText(v), "%v", err)
			return 0, false
		}
		return q, true
	case int64:
		if x == 0 {
			return 0, true
		}
		d.errorf(path, valueText(v), "a %s is a string with a unit, such as \"%d%s\" or \"%d%s\"", what, x, units[0], x, units[1])
	default:
		d.mismatch(path, v, "a "+what+" string such as "+example)
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
	d.report(false, path, suffix, valueText(v), tomlin.Want(`a time of day such as "03:00"`, v))
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
		d.errorf(path, valueText(v), "%s, got %s", profileHint, typeName(v))
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
