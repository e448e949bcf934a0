package scenario

import (
	"bytes"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// UnmarshalTOML decodes a distribution from a value in its unit (a
// duration, a size, a rate) or a table, so that github.com/BurntSushi/toml
// can decode a Distribution directly.
func (dist *Distribution[Q]) UnmarshalTOML(v any) error {
	d := newScenarioDecoder("")
	x, ok := decodeDist[Q](d, nil, v)
	if ok {
		checkDistOf(d, nil, x, true, false)
	}
	if len(d.errs) > 0 {
		return d.errs
	}
	*dist = x
	return nil
}

// MarshalTOML writes the distribution as a string in its unit (a
// constant) or an inline table.
func (dist Distribution[Q]) MarshalTOML() ([]byte, error) { return []byte(distText(dist)), nil }

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
	case SizeDist:
		return distText(x)
	case RateDist:
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
