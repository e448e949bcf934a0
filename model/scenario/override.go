package scenario

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/internal/tomlin"
)

// Override sets one value of a scenario by its dotted key, as `--set` and
// an experiment's variants and sweeps do. Key is a TOML dotted key
// ("pool.recycle.time", `clients."my client".count`); Value is the new value
// in TOML syntax (`"60m"`, `50000`, `{ dist = "exponential", mean = "30ms" }`);
// Source names where the override came from, for error messages ("--set",
// `exp.toml:12 variants."time 60m"`).
//
// An override replaces the value at Key whole (a table replaces a table) and
// may add a key the file leaves out, or a new named class, backend or client.
type Override struct {
	Key, Value, Source string
}

// String formats o as key=value.
func (o Override) String() string { return o.Key + "=" + o.Value }

// ParseSet parses a `--set key=value` argument. The value is in TOML syntax
// (`25`, `true`, `"60m"`, `{ dist = "exponential", mean = "1s" }`); a value
// that is not valid TOML, such as a bare word (`60m`, `error`), is taken as
// a string. The override's Source is "--set".
func ParseSet(s string) (Override, error) {
	key, value, ok := strings.Cut(s, "=")
	if !ok {
		return Override{}, fmt.Errorf("want key=value, such as pool.threads=50, not %q", s)
	}
	if !utf8.ValidString(s) {
		return Override{}, fmt.Errorf("%s: not UTF-8 text", strconv.QuoteToASCII(s))
	}
	if !tomlin.Printable(s) {
		return Override{}, fmt.Errorf("%s: control characters are not allowed", strconv.Quote(s))
	}
	key, value = strings.TrimSpace(key), strings.TrimSpace(value)
	if _, err := ParseKey(key); err != nil {
		return Override{}, err
	}
	if value == "" {
		return Override{}, fmt.Errorf("%s: the value is empty: want key=value, such as pool.threads=50 (an empty string is written %s=\"\")", key, key)
	}
	if _, err := parseTOMLValue(value); err != nil {
		value = QuoteString(value)
	}
	return Override{Key: key, Value: value, Source: "--set"}, nil
}

// ParseKey splits a TOML dotted key into its parts: `clients."a b".count`
// is ["clients", "a b", "count"].
func ParseKey(key string) ([]string, error) {
	if strings.TrimSpace(key) == "" {
		return nil, errors.New("missing key")
	}
	if strings.ContainsAny(key, "\n\r") {
		return nil, fmt.Errorf("invalid key %q: a key is one line", key)
	}
	doc, err := tomlin.Parse("", []byte(key+" = 0"), "missing key")
	if err != nil {
		var es tomlin.Errors
		if errors.As(err, &es) && len(es) > 0 && !strings.HasPrefix(es[0].Msg, "TOML syntax") {
			return nil, fmt.Errorf("invalid key %s: %s", tomlin.Shorten(strconv.Quote(key)), es[0].Msg)
		}
		return nil, fmt.Errorf("invalid key %q: want a dotted key such as pool.recycle.time or clients.\"my client\".count", key)
	}
	var path []string
	cur := doc.Raw
	for {
		if len(cur) != 1 {
			return nil, fmt.Errorf("invalid key %q", key)
		}
		for k, v := range cur {
			path = append(path, k)
			switch v := v.(type) {
			case map[string]any:
				cur = v
			case int64:
				if v != 0 {
					return nil, fmt.Errorf("invalid key %q", key)
				}
				return path, nil
			default:
				return nil, fmt.Errorf("invalid key %q", key)
			}
		}
	}
}

// parseTOMLValue parses one TOML value written as text, through the one
// front end of input files (so that a value nested too deep is refused
// before it is decoded).
func parseTOMLValue(text string) (any, error) {
	if strings.TrimSpace(text) == "" {
		return nil, errors.New("missing value")
	}
	doc, err := tomlin.Parse("", []byte("v = "+text+"\n"), "missing value")
	if err != nil {
		var es tomlin.Errors
		if errors.As(err, &es) && len(es) > 0 {
			return nil, errors.New(strings.TrimPrefix(es[0].Msg, "TOML syntax: "))
		}
		return nil, err
	}
	v, ok := doc.Raw["v"]
	if !ok || len(doc.Raw) != 1 {
		return nil, errors.New("not a single TOML value")
	}
	// Everything else parsed must lie inside v.
	for _, k := range doc.Keys {
		if k.Path[0] != "v" {
			return nil, errors.New("not a single TOML value")
		}
	}
	return v, nil
}

// QuoteString returns s as a TOML basic string.
func QuoteString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r) // utf8.RuneError for invalid bytes: U+FFFD
		}
	}
	b.WriteByte('"')
	return b.String()
}

// FormatValue writes a decoded TOML value (string, int64, float64, bool,
// time.Time, []any, map[string]any, as github.com/BurntSushi/toml decodes
// into an interface) back in TOML syntax, for an Override's Value. Tables
// become inline tables with their keys sorted ("dist" first).
func FormatValue(v any) string {
	var b strings.Builder
	writeTOMLValue(&b, v)
	return b.String()
}

func writeTOMLValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case string:
		b.WriteString(QuoteString(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case int:
		b.WriteString(strconv.Itoa(v))
	case uint64:
		b.WriteString(strconv.FormatUint(v, 10))
	case float64:
		b.WriteString(formatTOMLFloat(v))
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case time.Time:
		b.WriteString(formatTOMLTime(v))
	case []any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeTOMLValue(b, e)
		}
		b.WriteByte(']')
	case []map[string]any:
		b.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				b.WriteString(", ")
			}
			writeTOMLValue(b, e)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			// A distribution's name reads best first.
			if (keys[i] == "dist") != (keys[j] == "dist") {
				return keys[i] == "dist"
			}
			return keys[i] < keys[j]
		})
		if len(keys) == 0 {
			b.WriteString("{}")
			return
		}
		b.WriteString("{ ")
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(toml.Key{k}.String())
			b.WriteString(" = ")
			writeTOMLValue(b, v[k])
		}
		b.WriteString(" }")
	default:
		b.WriteString(QuoteString(fmt.Sprint(v)))
	}
}

// formatTOMLFloat writes f so that it reads back as the same float (and as
// a float, not an integer).
func formatTOMLFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eEn") {
		s += ".0"
	}
	return s
}

// formatTOMLTime writes t as a TOML datetime, date or time: local ones
// (those github.com/BurntSushi/toml decodes in its "-local" zones) without
// an offset.
func formatTOMLTime(t time.Time) string {
	switch t.Location().String() {
	case "datetime-local":
		return t.Format("2006-01-02T15:04:05.999999999")
	case "date-local":
		return t.Format("2006-01-02")
	case "time-local":
		return t.Format("15:04:05.999999999")
	}
	return t.Format(time.RFC3339Nano)
}

// applyOverride sets o in the raw decoded file. It returns the key's parts
// and how many of them name what the override created or replaced: the
// tables it had to create on the way, and the value it set.
func applyOverride(raw map[string]any, o Override) ([]string, int, error) {
	path, err := ParseKey(o.Key)
	if err != nil {
		return nil, 0, err
	}
	v, err := parseTOMLValue(o.Value)
	if err != nil {
		return path, 0, fmt.Errorf("invalid value %s: %v (a string needs quotes)", o.Value, err)
	}
	created := len(path)
	cur := raw
	for i, k := range path[:len(path)-1] {
		next, ok := cur[k]
		if !ok {
			if created == len(path) {
				created = i + 1
			}
			m := map[string]any{}
			cur[k] = m
			cur = m
			continue
		}
		m, ok := next.(map[string]any)
		if !ok {
			return path, 0, fmt.Errorf("cannot set %s: %s is a value, not a table", o.Key, toml.Key(path[:i+1]))
		}
		cur = m
	}
	cur[path[len(path)-1]] = v
	return path, created, nil
}

// createdEntry is a class, backend or client that an override brought into
// being because the scenario has none of that name: more often a misspelt
// name than a new entry, so errors in it say so.
type createdEntry struct {
	key, src string
	existing []string // the names the scenario has
	path     []string // the override's key
}

// dottedName returns the override's key with the entry's name quoted, when
// the scenario has an entry whose name holds a dot that the unquoted key
// split (clients.api.v2.rate for the client "api.v2": clients."api.v2".rate).
func (c createdEntry) dottedName() string {
	rest := strings.Join(c.path[1:], ".")
	for _, name := range c.existing {
		if strings.Contains(name, ".") && strings.HasPrefix(rest, name+".") {
			return c.path[0] + "." + strconv.Quote(name) + "." + strings.TrimPrefix(rest, name+".")
		}
	}
	return ""
}

// entryExists reports whether key names, below a named table, an entry
// that raw already has: `clients.browsers` when the file has
// [clients.browsers].
func entryExists(raw map[string]any, key string) bool {
	path, err := ParseKey(key)
	if err != nil || len(path) < 2 {
		return false
	}
	m, _ := raw[path[0]].(map[string]any)
	_, ok := m[path[1]]
	return ok
}

func isNamedTable(k string) bool { return k == "classes" || k == "backends" || k == "clients" }

// namesIn returns the names under raw[table], but not except, sorted.
func namesIn(raw map[string]any, table, except string) []string {
	m, _ := raw[table].(map[string]any)
	var names []string
	for _, k := range tomlin.SortedKeys(m) {
		if k != except {
			names = append(names, k)
		}
	}
	return names
}

// explainCreated adds, for each entry an override created that then fails
// validation, an error saying that the scenario has no such entry.
func (d *scenarioDecoder) explainCreated(entries []createdEntry) {
	for _, c := range entries {
		broken := false
		for _, e := range d.errs {
			if strings.HasPrefix(e.Key, c.key+".") || e.Key == c.key {
				broken = true
				break
			}
		}
		if !broken {
			continue
		}
		has := "none"
		if len(c.existing) > 0 {
			has = quoteList(c.existing)
		}
		msg := fmt.Sprintf("the scenario has no such entry (it has %s), so the override created one", has)
		if q := c.dottedName(); q != "" {
			msg += fmt.Sprintf("; a name with a dot is written in quotes: %s", q)
		}
		d.errs = append(d.errs, FieldError{File: c.src, Key: c.key, Msg: msg})
	}
}
