package experiments

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
)

func TestParseDefaults(t *testing.T) {
	e := parseString(t, `scenario = "small.toml"`, fakeSim(fakeRun))
	if e.Name != "exp" || e.Replications != DefaultReplications || e.Seed != DefaultSeed || e.Confidence != DefaultConfidence {
		t.Errorf("defaults: name %q, replications %d, seed %d, confidence %v", e.Name, e.Replications, e.Seed, e.Confidence)
	}
	if len(e.Variants) != 1 || e.Variants[0].Name != BaseVariant || e.Baseline != "" {
		t.Errorf("variants %+v, baseline %q: want the one implicit variant %q and no baseline", e.Variants, e.Baseline, BaseVariant)
	}
	if len(e.Points()) != 1 {
		t.Errorf("%d points, want 1", len(e.Points()))
	}
}

func TestParse(t *testing.T) {
	src := `name = "full"
scenario = "small.toml"
replications = 3
seed = 7
confidence = 0.9

[overrides]
horizon = "5m"

[variants."time 60m"]
"pool.recycle.time" = "60m"
pool.recycle.overlapping = false

[variants.dist]
"classes.page.service" = { dist = "exponential", mean = "30ms" }

[variants.flat]
pool = { threads = 9 }

[variants]
"same" = { "pool.threads" = 4 }

[[sweep]]
key = "clients.visitors.rate"
values = [10, 20.0, 40]

[[sweep]]
key = "pool.recycle.schedule"
values = [[], ["03:00", "15:00"]]

[[chart]]
title = "503s"
y = "rate_503"
group = "clients.visitors.rate"
`
	e := parseString(t, src, fakeSim(fakeRun))
	if e.Name != "full" || e.Replications != 3 || e.Seed != 7 || e.Confidence != 0.9 {
		t.Errorf("got name %q, replications %d, seed %d, confidence %v", e.Name, e.Replications, e.Seed, e.Confidence)
	}
	if want := []Override{{"horizon", `"5m"`, 8}}; !reflect.DeepEqual(e.Overrides, want) {
		t.Errorf("overrides %+v, want %+v", e.Overrides, want)
	}
	want := []Variant{
		{Name: "time 60m", Line: 10, Overrides: []Override{{"pool.recycle.time", `"60m"`, 11}, {"pool.recycle.overlapping", "false", 12}}},
		{Name: "dist", Line: 14, Overrides: []Override{{"classes.page.service", `{ dist = "exponential", mean = "30ms" }`, 15}}},
		{Name: "flat", Line: 17, Overrides: []Override{{"pool", `{ threads = 9 }`, 18}}},
		{Name: "same", Line: 21, Overrides: []Override{{"pool.threads", "4", 21}}},
	}
	if !reflect.DeepEqual(e.Variants, want) {
		t.Errorf("variants:\n got %+v\nwant %+v", e.Variants, want)
	}
	if e.Baseline != "time 60m" {
		t.Errorf("baseline %q, want the first variant", e.Baseline)
	}
	wantSweeps := []Sweep{
		{Key: "clients.visitors.rate", Values: []string{"10", "20.0", "40"}, Labels: []string{"10", "20.0", "40"}, Line: 23},
		{Key: "pool.recycle.schedule", Values: []string{"[]", `["03:00", "15:00"]`}, Labels: []string{"[]", `["03:00", "15:00"]`}, Line: 27},
	}
	if !reflect.DeepEqual(e.Sweeps, wantSweeps) {
		t.Errorf("sweeps:\n got %+v\nwant %+v", e.Sweeps, wantSweeps)
	}
	if want := []Chart{{Title: "503s", X: "variant", Y: "rate_503", Group: "clients.visitors.rate", Line: 31}}; !reflect.DeepEqual(e.Charts, want) {
		t.Errorf("charts %+v, want %+v", e.Charts, want)
	}
	if got := len(e.Points()); got != 4*3*2 {
		t.Errorf("%d points, want 24", got)
	}
}

// The grid is variants × sweep axes, the last axis turning fastest, and a
// point's index is its position.
func TestGrid(t *testing.T) {
	e := parseString(t, `scenario = "small.toml"
[variants.a]
[variants.b]
"pool.threads" = 8
[[sweep]]
key = "clients.visitors.rate"
values = [1, 2, 3]
[[sweep]]
key = "pool.queue_length"
values = [10, 20]
`, fakeSim(fakeRun))
	var got []string
	for i, p := range e.Points() {
		if p.Index != i {
			t.Errorf("point %d has index %d", i, p.Index)
		}
		got = append(got, p.Variant+" "+strings.Join(p.Sweep, " "))
	}
	want := []string{
		"a 1 10", "a 1 20", "a 2 10", "a 2 20", "a 3 10", "a 3 20",
		"b 1 10", "b 1 20", "b 2 10", "b 2 20", "b 3 10", "b 3 20",
	}
	if !slices.Equal(got, want) {
		t.Errorf("grid:\n got %q\nwant %q", got, want)
	}
	p, ok := e.Point("b", 2, "20")
	if !ok || p.Index != 9 {
		t.Errorf("Point(b, 2, 20) = %+v, %v; want index 9", p, ok)
	}
	if _, ok := e.Point("b", 2); ok {
		t.Error("Point with too few sweep values found a point")
	}
	// The scenario of a point has the variant's and the sweep's values, and
	// the experiment's seed.
	sc, err := e.scenario(9)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Pool.Threads != 8 || sc.Clients["visitors"].Rate != 2 || sc.Pool.QueueLength != 20 || sc.Seed != DefaultSeed {
		t.Errorf("point 9: threads %d, rate %v, queue %d, seed %d", sc.Pool.Threads, sc.Clients["visitors"].Rate, sc.Pool.QueueLength, sc.Seed)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      []string // substrings of the error
	}{
		{"syntax", "scenario = \"small.toml\"\nreplications = = 3\n", []string{"exp.toml:2:"}},
		{"empty", "", []string{"exp.toml: empty file: nothing to simulate"}},
		{"binary", "\x00\x01\x02", []string{"exp.toml:1:"}},
		{"unknown key", "scenario = \"small.toml\"\nreplication = 3\n", []string{`exp.toml:2: replication = 3: unknown top-level key; did you mean "replications"?`}},
		{"case matters", "Scenario = \"small.toml\"\n", []string{`exp.toml:1: Scenario = "small.toml": unknown top-level key; did you mean "scenario"?`}},
		{"unknown sweep key", "scenario = \"small.toml\"\n[[sweep]]\nkey = \"pool.threads\"\nvalue = [1]\n", []string{`exp.toml:4: sweep.value = [1]: unknown key; did you mean "values"?`}},
		{"unknown chart key", "scenario = \"small.toml\"\n[[chart]]\ny = \"rate_503\"\ncolour = \"red\"\n", []string{`exp.toml:4: chart.colour = "red": unknown key (known keys: title, x, y, group, kind)`}},
		{"replications type", "scenario = \"small.toml\"\nreplications = \"ten\"\n", []string{`exp.toml:2: replications = "ten": want an integer, got a string`}},
		{"replications zero", "scenario = \"small.toml\"\nreplications = 0\n", []string{"exp.toml:2: replications = 0: must be between 1 and"}},
		{"seed negative", "scenario = \"small.toml\"\nseed = -1\n", []string{"exp.toml:2: seed = -1"}},
		{"confidence", "scenario = \"small.toml\"\nconfidence = 95\n", []string{"exp.toml:2: confidence = 95: must be between 0.5 and 0.999"}},
		{"confidence one", "scenario = \"small.toml\"\nconfidence = 1.0\n", []string{"exp.toml:2: confidence = 1.0: must be between 0.5 and 0.999"}},
		{"name type", "name = 3\nscenario = \"small.toml\"\n", []string{"exp.toml:1: name = 3: want a string, got an integer"}},
		{"no such scenario", "scenario = \"nope.toml\"\n", []string{`exp.toml:1: scenario = "nope.toml": no such file`}},
		{"no such shipped scenario", "scenario = \"nope\"\n", []string{`exp.toml:1: scenario = "nope": no such file, and no shipped scenario`}},
		{"baseline", "scenario = \"small.toml\"\nbaseline = \"c\"\n[variants.a]\n[variants.b]\n", []string{`exp.toml:2: baseline = "c": no such variant (want one of "a", "b")`}},
		{"baseline without variants", "scenario = \"small.toml\"\nbaseline = \"base\"\n", []string{`exp.toml:2: baseline = "base": no such variant`}},
		{"variant not a table", "scenario = \"small.toml\"\n[variants]\na = 3\n", []string{`exp.toml:3: variants.a = 3: want a table of overrides such as "pool.recycle.time" = "60m", got an integer`}},
		{"variant unknown key", "scenario = \"small.toml\"\n[variants.a]\n\"pool.thread\" = 3\n", []string{`exp.toml:3: variants.a: pool.thread`, "unknown key"}},
		{"variant bad value", "scenario = \"small.toml\"\n[variants.\"time 60m\"]\n\"pool.recycle.time\" = \"60x\"\n", []string{`exp.toml:3: variants."time 60m": pool.recycle.time = "60x"`}},
		{"variant wrong type", "scenario = \"small.toml\"\n[variants.a]\n\"pool.threads\" = \"many\"\n", []string{`exp.toml:3: variants.a: pool.threads = "many": want an integer, got a string`}},
		{"variant sets seed", "scenario = \"small.toml\"\n[variants.a]\nseed = 3\n", []string{`exp.toml:3: variants.a.seed = 3: the experiment's seed applies to every run`}},
		{"variant sets a key twice", "scenario = \"small.toml\"\n[variants.a]\n\"pool.threads\" = 3\npool.threads = 4\n", []string{`exp.toml:4: variants.a.pool.threads = 4: set twice (line 3)`}},
		{"array of tables in a variant", "scenario = \"small.toml\"\n[variants.a]\n[[variants.a.things]]\nk = 1\n", []string{`exp.toml:4: variants.a.things.k: inside an array of tables`}},
		{"override bad", "scenario = \"small.toml\"\n[overrides]\nhorizon = \"long\"\n", []string{`exp.toml:3: overrides: horizon = "long"`}},
		{"sweep not tables", "scenario = \"small.toml\"\nsweep = 3\n", []string{"exp.toml:2: sweep = 3: want [[sweep]] tables with key and values"}},
		{"chart not tables", "scenario = \"small.toml\"\nchart = \"x\"\n", []string{`exp.toml:2: chart = "x": want [[chart]] tables`}},
		{"sweep no values", "scenario = \"small.toml\"\n[[sweep]]\nkey = \"pool.threads\"\nvalues = []\n", []string{"exp.toml:4: sweep.values = []: the [[sweep]] of pool.threads needs values = [ ... ] with at least one value"}},
		{"sweep no key", "scenario = \"small.toml\"\n[[sweep]]\nvalues = [1]\n", []string{"exp.toml:2: sweep.key: required: the dotted key the [[sweep]] sets"}},
		{"sweep bad value", "scenario = \"small.toml\"\n[[sweep]]\nkey = \"pool.threads\"\nvalues = [1, -2]\n", []string{"exp.toml:2: [[sweep]]: pool.threads = -2: must be between 1 and"}},
		{"sweep duplicate value", "scenario = \"small.toml\"\n[[sweep]]\nkey = \"pool.threads\"\nvalues = [1, 1]\n", []string{"exp.toml:4: sweep.values = 1: listed twice in the [[sweep]] of pool.threads"}},
		{"sweep twice", "scenario = \"small.toml\"\n[[sweep]]\nkey = \"pool.threads\"\nvalues = [1]\n[[sweep]]\nkey = \"pool.threads\"\nvalues = [2]\n", []string{"exp.toml:5: sweep.key = \"pool.threads\": swept twice (also line 2)"}},
		{"sweep seed", "scenario = \"small.toml\"\n[[sweep]]\nkey = \"seed\"\nvalues = [1, 2]\n", []string{`exp.toml:2: sweep.key = "seed": replications already vary the random streams`}},
		{"variant and sweep", "scenario = \"small.toml\"\n[variants.a]\n\"pool.threads\" = 3\n[[sweep]]\nkey = \"pool.threads\"\nvalues = [1]\n", []string{`exp.toml:3: variants.a.pool.threads = 3: a [[sweep]] also sets it (line 4): set it in one place`}},
		{"variant and sweep spelt differently", "scenario = \"small.toml\"\n[variants.a]\npool.threads = 3\n[[sweep]]\nkey = 'pool.\"threads\"'\nvalues = [1]\n", []string{`exp.toml:3: variants.a.pool.threads = 3: a [[sweep]] also sets it (line 4): set it in one place`}},
		{"sweep bad key", "scenario = \"small.toml\"\n[[sweep]]\nkey = \"pool..threads\"\nvalues = [1]\n", []string{`exp.toml:3: sweep.key = "pool..threads": invalid key "pool..threads"`}},
		{"too big", "scenario = \"small.toml\"\n#" + strings.Repeat("x", 16<<20) + "\n", []string{"exp.toml: file too large: a scenario or experiment is at most 16 MB of TOML"}},
		{"chart y", "scenario = \"small.toml\"\n[[chart]]\ny = \"rate_502\"\n", []string{`exp.toml:2: chart.y = "rate_502": want a metric name such as rate_503 (see poolsim run --json); did you mean "rate_503"?`}},
		{"chart x", "scenario = \"small.toml\"\n[[chart]]\ny = \"rate_503\"\nx = \"pool.threads\"\n", []string{`exp.toml:2: chart.x = "pool.threads": want "variant" or a sweep key`}},
		{"chart kind", "scenario = \"small.toml\"\n[[chart]]\ny = \"rate_503\"\nkind = \"pie\"\n", []string{`exp.toml:2: chart.kind = "pie": want bars, lines or diff`}},
		{"diff chart without baseline", "scenario = \"small.toml\"\n[[chart]]\ny = \"rate_503\"\nkind = \"diff\"\n", []string{`exp.toml:2: chart.kind = "diff": a difference chart needs a baseline`}},
		{"several at once", "scenario = \"small.toml\"\nreplications = 0\nseed = -1\n", []string{"exp.toml:2: replications", "exp.toml:3: seed"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parse("exp.toml", []byte(tc.src), "testdata", fakeSim(fakeRun))
			if err == nil {
				t.Fatalf("no error; want %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to contain %q", err, w)
				}
			}
		})
	}
}

// A combination of a variant and a sweep value can be wrong when neither is
// alone: the error names the grid point.
func TestParseGridPointError(t *testing.T) {
	src := `scenario = "small.toml"
[variants.a]
[variants.big]
"pool.memory.base" = "500MB"
[[sweep]]
key = "pool.recycle.private_memory"
values = ["0MB", "400MB"]
`
	_, err := parse("exp.toml", []byte(src), "testdata", fakeSim(fakeRun))
	if err == nil || !strings.Contains(err.Error(), `variant "big", pool.recycle.private_memory=400MB`) {
		t.Fatalf("error %v: want one naming variant big at private_memory 400MB", err)
	}
}

func TestLoad(t *testing.T) {
	e, err := Load("testdata/two.toml")
	if err != nil {
		t.Fatal(err)
	}
	if e.ScenarioFile != "testdata/small.toml" || e.File != "testdata/two.toml" {
		t.Errorf("file %q, scenario %q", e.File, e.ScenarioFile)
	}
	if _, err := Load("testdata/none.toml"); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := Load("no-such-experiment"); err == nil || !strings.Contains(err.Error(), "no shipped experiment") {
		t.Errorf("missing name: %v", err)
	}
	if _, err := Load("trend-page"); err == nil || !strings.Contains(err.Error(), "is a shipped scenario") {
		t.Errorf("scenario name: %v", err)
	}
	// A shipped experiment names a shipped scenario.
	e, err = Load("recycle-strategies")
	if err != nil {
		t.Fatal(err)
	}
	if e.ScenarioFile != "trend-page" || len(e.Variants) != 12 || e.Baseline != "time 29h" {
		t.Errorf("recycle-strategies: scenario %q, %d variants, baseline %q", e.ScenarioFile, len(e.Variants), e.Baseline)
	}
}

func TestOverrideKey(t *testing.T) {
	for _, tc := range []struct {
		parts []string
		want  string
	}{
		{[]string{"pool.recycle.time"}, "pool.recycle.time"},
		{[]string{"pool", "recycle", "time"}, "pool.recycle.time"},
		{[]string{"clients", "my client", "count"}, `clients."my client".count`},
		{[]string{`clients."a.b".count`}, `clients."a.b".count`},
		{[]string{"pool", "recycle.time"}, "pool.recycle.time"},
	} {
		if got := overrideKey(tc.parts); got != tc.want {
			t.Errorf("overrideKey(%q) = %q, want %q", tc.parts, got, tc.want)
		}
	}
}

// tomlText writes every kind of decoded value so that it decodes back to
// the same value.
func TestTOMLTextRoundTrip(t *testing.T) {
	src := `
s = "a \"quoted\" \\ string\twith\nescapes and ünïcode \u0001"
i = -42
f = 2.0
g = 1e-7
h = 6.02e23
big = 1e300
inf = inf
b = true
dt = 2026-11-23T00:00:00Z
ldt = 2026-11-23T01:02:03.5
ld = 2026-11-23
lt = 07:32:00
a = [1, "two", [3.5], { x = 1 }]
e = []
t = { dist = "lognormal", mean = "40ms", cv = 1.5, "odd key" = 1 }
at = [{ a = 1 }, { b = 2 }]
`
	var m map[string]any
	if _, err := toml.Decode(src, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range sortedKeys(m) {
		text, err := tomlText(m[k])
		if err != nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		var back map[string]any
		if _, err := toml.Decode("v = "+text, &back); err != nil {
			t.Errorf("%s: %s does not parse: %v", k, text, err)
			continue
		}
		if !equalTOML(back["v"], m[k]) {
			t.Errorf("%s: %s reads back as %#v, want %#v", k, text, back["v"], m[k])
		}
	}
	if got, _ := tomlText(2.0); got != "2.0" {
		t.Errorf("tomlText(2.0) = %s: a float must stay a float", got)
	}
}

func equalTOML(a, b any) bool {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb) && ta.Location().String() == tb.Location().String()
	}
	if fa, ok := a.(float64); ok {
		fb, ok := b.(float64)
		return ok && (fa == fb || math.IsNaN(fa) && math.IsNaN(fb))
	}
	return reflect.DeepEqual(a, b)
}
