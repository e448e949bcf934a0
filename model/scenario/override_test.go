package scenario

import (
	"reflect"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/engine"
)

func TestParseSet(t *testing.T) {
	good := []struct{ in, key, value string }{
		{"pool.threads=50", "pool.threads", "50"},
		{"pool.recycle.time=60m", "pool.recycle.time", `"60m"`},
		{`pool.recycle.time="60m"`, "pool.recycle.time", `"60m"`},
		{"backends.historian.on_timeout=error", "backends.historian.on_timeout", `"error"`},
		{"pool.ping.enabled=false", "pool.ping.enabled", "false"},
		{"clients.visitors.rate=2.5", "clients.visitors.rate", "2.5"},
		{" pool.threads = 50 ", "pool.threads", "50"},
		{`classes.trend.service={ dist = "exponential", mean = "30ms" }`, "classes.trend.service", `{ dist = "exponential", mean = "30ms" }`},
		{`pool.recycle.schedule=["03:00", "15:00"]`, "pool.recycle.schedule", `["03:00", "15:00"]`},
		{`clients."night owls".count=3`, `clients."night owls".count`, "3"},
		{"name=Trend page, 40 clients", "name", `"Trend page, 40 clients"`},
		{"name=a=b", "name", `"a=b"`},
		{`name=""`, "name", `""`},
		{`name=say "hi"`, "name", `"say \"hi\""`},
		{"start=2026-11-23T00:00:00Z", "start", "2026-11-23T00:00:00Z"},
	}
	for _, c := range good {
		o, err := ParseSet(c.in)
		if err != nil {
			t.Errorf("ParseSet(%q): %v", c.in, err)
			continue
		}
		if o.Key != c.key || o.Value != c.value || o.Source != "--set" {
			t.Errorf("ParseSet(%q) = %+v, want key %q value %s", c.in, o, c.key, c.value)
		}
		if _, err := parseTOMLValue(o.Value); err != nil {
			t.Errorf("ParseSet(%q): value %s is not TOML: %v", c.in, o.Value, err)
		}
	}
	bad := []struct{ in, msg string }{
		{"pool.threads", "want key=value"},
		{"=5", "missing key"},
		{"pool threads=5", "invalid key"},
		{"pool..threads=5", "invalid key"},
		{"[pool]=5", "invalid key"},
		// An empty value is a mistake, not the empty string (which is
		// written ""), and says so rather than that the entry is missing.
		{"clients.browsers=", "clients.browsers: the value is empty"},
		{"name= ", "name: the value is empty"},
		// Text that is not UTF-8, and control characters (a newline that
		// would add a key, a terminal escape), are refused.
		{"name=\xff\xfe", "not UTF-8 text"},
		{"pool.threads\xff=5", "not UTF-8 text"},
		{"name=1\nseed = 2", "control characters are not allowed"},
		{"name=\x1b[31mred", "control characters are not allowed"},
	}
	for _, c := range bad {
		_, err := ParseSet(c.in)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParseSet(%q) error %v, want one containing %q", c.in, err, c.msg)
		}
	}
}

func TestParseKey(t *testing.T) {
	for in, want := range map[string][]string{
		"pool.recycle.time":           {"pool", "recycle", "time"},
		`clients."night owls".count`:  {"clients", "night owls", "count"},
		`clients.'a.b'.rate`:          {"clients", "a.b", "rate"},
		"horizon":                     {"horizon"},
		` classes . trend . service `: {"classes", "trend", "service"},
	} {
		got, err := ParseKey(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseKey(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

const overrideBase = `
name = "base"

[classes.trend]
service = "40ms"
backend = "historian"

[backends.historian]
latency = "30ms"

[clients.trendpage]
kind = "polling"
count = 40
period = "5s"
`

func set(key, value string) Override { return Override{Key: key, Value: value, Source: "--set"} }

func TestOverrides(t *testing.T) {
	sc := decodeOK(t, overrideBase,
		set("pool.recycle.time", `"60m"`),
		set("clients.trendpage.count", "80"),
		set("classes.trend.service", `{ dist = "exponential", mean = "30ms" }`),
		set("backends.historian.on_timeout", `"error"`),
		set("pool.ping.enabled", "false"),
		set("backends.historian.cache", `{ ttl = "5m" }`),
		set("clients.visitors", `{ kind = "poisson", rate = 2.5 }`),
		set("clients.visitors.profile", `[["00:00", 0.5]]`),
		set("name", `"first"`),
		set("name", `"second"`),
		set("pool.rapid_fail.restart_after", `"5m"`),
	)
	check := []struct {
		name      string
		got, want any
	}{
		{"recycle.time", sc.Pool.Recycle.Time, Duration(engine.Hour)},
		{"count", sc.Clients["trendpage"].Count, 80},
		{"service", sc.Classes["trend"].Service, Dist{Kind: "exponential", Mean: 30 * engine.Millisecond}},
		{"on_timeout", sc.Backends["historian"].OnTimeout, "error"},
		{"ping", sc.Pool.Ping.Enabled, false},
		{"ping interval kept", sc.Pool.Ping.Interval, Duration(30 * engine.Second)},
		{"cache", *sc.Backends["historian"].Cache, Cache{TTL: Duration(5 * engine.Minute)}},
		{"new client", *sc.Clients["visitors"], Client{Kind: "poisson", Rate: 2.5, Class: "trend", Mode: "interval", URI: "/visitors",
			Profile: []ProfilePoint{{0, 0.5}}, Bandwidth: Constant[Rate](0)}},
		{"last wins", sc.Name, "second"},
		{"restart_after", sc.Pool.RapidFail.RestartAfter, Duration(5 * engine.Minute)},
	}
	for _, c := range check {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %+v, want %+v", c.name, c.got, c.want)
		}
	}
	// An override replaces a table whole: keys it does not give take their
	// defaults again, not the file's values.
	sc = decodeOK(t, overrideBase+"[pool.ping]\ninterval = \"10s\"\n", set("pool.ping", "{ enabled = false }"))
	if sc.Pool.Ping.Interval != Duration(30*engine.Second) || sc.Pool.Ping.Enabled {
		t.Errorf("ping = %+v", sc.Pool.Ping)
	}
}

func TestOverrideErrors(t *testing.T) {
	cases := []struct {
		o    Override
		want string
	}{
		{set("pool.threads", "0"), "--set: pool.threads = 0: must be between 1 and 1000000"},
		{set("pool.thread", "5"), `--set: pool.thread = 5: unknown key; did you mean "threads"?`},
		// IIS Manager shows the regular time interval in minutes.
		{set("pool.recycle.time", "1740"), `--set: pool.recycle.time = 1740: a duration is a string with a unit, such as "1740s" (or, in IIS Manager's minutes, "1740m")`},
		{set("pool.shutdown_time_limit", "90"), `--set: pool.shutdown_time_limit = 90: a duration is a string with a unit, such as "90s"`},
		// IIS's maxProcesses = 0 is one worker per NUMA node.
		{set("pool.max_processes", "0"), `--set: pool.max_processes = 0: must be between 1 and 100000 (IIS's 0 means one worker per NUMA node: write the number of nodes)`},
		{set("pool.recycle.time", `"60 min"`), `--set: pool.recycle.time = "60 min": unknown unit "min"`},
		{set("classes.trend.service.mean", `"1s"`), `--set: classes.trend.service.mean = "1s": cannot set classes.trend.service.mean: classes.trend.service is a value, not a table`},
		{set("name.first", `"x"`), `--set: name.first = "x": cannot set name.first: name is a value, not a table`},
		{set("pool.name.x", "1"), "--set: pool.name: want a string, got a table"},
		{set("clients.trendpage.class", `"trnd"`), `--set: clients.trendpage.class = "trnd": no class of that name; did you mean "trend"?`},
		{set("pool threads", "5"), `--set: pool threads = 5: invalid key "pool threads"`},
		{set("pool.threads", "fifty"), "--set: pool.threads = fifty: invalid value fifty"},
		{set("clients.new", `{ kind = "poisson" }`), "--set: clients.new.rate: required"},
		// Replacing an entry the scenario has with a bad value says what is
		// wrong with the value, not that the scenario has no such entry.
		{set("clients.trendpage", `""`), `--set: clients.trendpage = "": want a table [clients.trendpage], got a string`},
		{set("classes.trend", `{ service = "x" }`), `--set: classes.trend.service = "x": not a duration`},
		{Override{Key: "seed", Value: "-3", Source: `exp.toml:12 variants."neg"`}, `exp.toml:12 variants."neg": seed = -3: must be at least 0`},
		{Override{Key: "seed", Value: "-3"}, "override: seed = -3: must be at least 0"},
	}
	for _, c := range cases {
		got := decodeErr(t, overrideBase, c.o)
		if strings.Contains(got, "no such entry") && c.o.Key != "clients.new" {
			t.Errorf("%+v: says the entry is missing:\n%s", c.o, got)
		}
		if !strings.Contains(got, c.want) {
			t.Errorf("%+v:\ngot  %s\nwant %s", c.o, got, c.want)
		}
		if strings.Contains(got, "test.toml") {
			t.Errorf("%+v: error blamed on the file:\n%s", c.o, got)
		}
	}
	// A client whose name holds a dot, addressed without quotes: the
	// override created another entry, and the message says how to quote
	// the name (docs/model.md, "Overrides").
	got0 := decodeErr(t, overrideBase+"[clients.\"api.v2\"]\nkind = \"poisson\"\nrate = 1\nclass = \"trend\"\n", set("clients.api.v2.rate", "10"))
	if want := `--set: clients.api: the scenario has no such entry (it has "api.v2", "trendpage"), so the override created one; a name with a dot is written in quotes: clients."api.v2".rate`; !strings.Contains(got0, want) {
		t.Errorf("dotted name:\ngot  %s\nwant %s", got0, want)
	}
	// A file error and an override error are both reported, the file's first.
	got := decodeErr(t, overrideBase+"[pool]\nthreads = 0\n", set("pool.queue_length", "-1"))
	want := "test.toml:16: pool.threads = 0: must be between 1 and 1000000\n--set: pool.queue_length = -1: must be between 0 and 2147483647"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A value the file set and an override replaced is blamed on the override.
	got = decodeErr(t, overrideBase+"[pool]\nthreads = 10\n", set("pool.threads", "0"))
	if got != "--set: pool.threads = 0: must be between 1 and 1000000" {
		t.Errorf("got %s", got)
	}
}

func TestFormatValue(t *testing.T) {
	for _, c := range []struct {
		v    any
		want string
	}{
		{"60m", `"60m"`},
		{int64(5), "5"},
		{1.0, "1.0"},
		{2.5, "2.5"},
		{1e-7, "1e-07"},
		{true, "true"},
		{[]any{"a", int64(1)}, `["a", 1]`},
		{map[string]any{"mean": "1s", "dist": "exponential"}, `{ dist = "exponential", mean = "1s" }`},
		{map[string]any{"a b": int64(1)}, `{ "a b" = 1 }`},
		{map[string]any{}, "{}"},
		{"tab\there \"q\" \x01", `"tab\there \"q\" \u0001"`},
	} {
		got := FormatValue(c.v)
		if got != c.want {
			t.Errorf("FormatValue(%#v) = %s, want %s", c.v, got, c.want)
		}
		// FormatValue escapes what input files may not hold (a control
		// character): the library reads it back.
		var m map[string]any
		_, err := toml.Decode("v = "+got, &m)
		back := m["v"]
		if err != nil {
			t.Errorf("%s does not parse: %v", got, err)
		} else if !reflect.DeepEqual(back, c.v) {
			t.Errorf("%s parses to %#v, want %#v", got, back, c.v)
		}
	}
}

// FuzzParseSet checks that ParseSet never panics, and that what it accepts
// is a valid dotted key and a valid TOML value.
func FuzzParseSet(f *testing.F) {
	for _, s := range []string{
		"pool.threads=50", "pool.recycle.time=60m", `classes.trend.service={ dist = "exponential", mean = "30ms" }`,
		`clients."night owls".count=3`, "name=a=b", "=5", "x", "a.b.c=[1, 2", "k=\"\\u00e9\"", "k=1979-05-27T07:32:00Z",
		"k={a={b={c=1}}}", "k='''x'''", "k=\"\"\"a\nb\"\"\"", "k=inf", "k=0x1F", "k=\xff", "\"\"=1",
		// Nesting far deeper than any scenario, in the value and in the key.
		"pool.threads=" + strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000),
		"pool.threads=" + strings.Repeat("{a=", 10_000) + "1" + strings.Repeat("}", 10_000),
		strings.Repeat("a.", 10_000) + "b=1",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseSet(s)
		if err != nil {
			if err.Error() == "" {
				t.Error("empty error message")
			}
			return
		}
		if _, err := ParseKey(o.Key); err != nil {
			t.Errorf("ParseSet(%q) accepted key %q: %v", s, o.Key, err)
		}
		if _, err := parseTOMLValue(o.Value); err != nil {
			t.Errorf("ParseSet(%q) gave value %q that is not TOML: %v", s, o.Value, err)
		}
		// Applying it to a scenario never panics either.
		_, _ = Decode("fuzz.toml", []byte(minimal), o)
	})
}
