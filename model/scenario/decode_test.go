package scenario

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/engine"
)

var update = flag.Bool("update", false, "rewrite the expected messages of testdata/scenarios")

// TestScenarioCatalogue decodes every file of testdata/scenarios: those in
// good/ must decode (their warnings, if any, are in NAME.warn), those in
// bad/ must fail with exactly the messages in NAME.err. Run with -update to
// rewrite the expected files after changing a message, and review the diff.
func TestScenarioCatalogue(t *testing.T) {
	for _, dir := range []string{"good", "bad"} {
		files, err := filepath.Glob(filepath.Join("testdata", "scenarios", dir, "*.toml"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no files in testdata/scenarios/%s: %v", dir, err)
		}
		for _, file := range files {
			name := filepath.Base(file)
			t.Run(dir+"/"+name, func(t *testing.T) {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				sc, warnings, err := DecodeWarn(name, data)
				var got, sidecar string
				switch dir {
				case "good":
					if err != nil {
						t.Fatalf("decode: %v", err)
					}
					if sc == nil {
						t.Fatal("nil scenario without error")
					}
					sidecar = strings.TrimSuffix(file, ".toml") + ".warn"
					if len(warnings) > 0 {
						got = strings.Join(warnings, "\n") + "\n"
					}
				case "bad":
					if err == nil {
						t.Fatal("decoded without error")
					}
					if sc != nil {
						t.Error("a scenario returned with an error")
					}
					var list Errors
					if !errors.As(err, &list) || len(list) == 0 {
						t.Fatalf("error %T is not a non-empty Errors: %v", err, err)
					}
					for _, e := range list {
						if e.Msg == "" || e.File != name {
							t.Errorf("incomplete error %#v", e)
						}
					}
					sidecar = strings.TrimSuffix(file, ".toml") + ".err"
					got = err.Error() + "\n"
				}
				if *update {
					if got == "" {
						os.Remove(sidecar)
						return
					}
					if err := os.WriteFile(sidecar, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(sidecar)
				if err != nil && !(os.IsNotExist(err) && got == "") {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("messages differ from %s\n--- got\n%s--- want\n%s", sidecar, got, want)
				}
			})
		}
	}
}

// decodeOK decodes src and fails the test on error.
func decodeOK(t *testing.T, src string, overrides ...Override) *Scenario {
	t.Helper()
	sc, err := Decode("test.toml", []byte(src), overrides...)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return sc
}

// decodeErr decodes src, which must fail, and returns the messages.
func decodeErr(t *testing.T, src string, overrides ...Override) string {
	t.Helper()
	_, err := Decode("test.toml", []byte(src), overrides...)
	if err == nil {
		t.Fatalf("decoded without error:\n%s", src)
	}
	return err.Error()
}

const minimal = `
[classes.page]
service = "40ms"

[clients.users]
kind = "poisson"
rate = 1.0
`

func TestDefaults(t *testing.T) {
	sc := decodeOK(t, minimal)
	want := NewScenario()
	page := NewClass()
	page.Service = Const(40 * engine.Millisecond)
	users := NewClient()
	users.Kind, users.Rate, users.Class, users.URI = "poisson", 1, "page", "/users"
	want.Classes = map[string]*Class{"page": page}
	want.Clients = map[string]*Client{"users": users}
	if !reflect.DeepEqual(sc, want) {
		t.Errorf("got  %+v\nwant %+v", sc, want)
	}
	// The IIS defaults of research/iis-app-pools.md §1.
	p := sc.Pool
	checks := []struct {
		name      string
		got, want any
	}{
		{"horizon", sc.Horizon, Duration(engine.Hour)},
		{"warmup", sc.Warmup, Warmup{}},
		{"start", sc.Start, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"seed", sc.Seed, uint64(1)},
		{"pool.name", p.Name, "DefaultAppPool"},
		{"queue_length", p.QueueLength, 1000},
		{"max_processes", p.MaxProcesses, 1},
		{"threads", p.Threads, 25},
		{"startup_time", p.StartupTime, Const(2 * engine.Second)},
		{"startup_time_limit", p.StartupTimeLimit, Duration(90 * engine.Second)},
		{"shutdown_time_limit", p.ShutdownTimeLimit, Duration(90 * engine.Second)},
		{"idle_timeout", p.IdleTimeout, Duration(20 * engine.Minute)},
		{"queue_timeout", p.QueueTimeout, Duration(2 * engine.Minute)},
		{"load_balancer", p.LoadBalancer, "http"},
		{"dispatch", p.Dispatch, "round_robin"},
		{"start_mode", p.StartMode, "on_demand"},
		{"httperr_names", p.HTTPErrNames, "reqqueue"},
		{"ping", p.Ping, Ping{Enabled: true, Interval: Duration(30 * engine.Second), ResponseTime: Duration(90 * engine.Second)}},
		{"rapid_fail", p.RapidFail, RapidFail{Policy: "iis", Enabled: true, MaxCrashes: 5, Interval: Duration(5 * engine.Minute), RestartAfter: Duration(engine.Never), Window: "sliding", Counts: "supervisor"}},
		{"recycle", p.Recycle, Recycle{Time: Duration(29 * engine.Hour), Overlapping: true, Drain: "requeue"}},
		{"memory", p.Memory, Memory{Base: 120 << 20, VirtualGrowth: 1}},
		// The mechanisms: off, or IIS's (http.sys MinBytesPerSecond 240).
		{"server", sc.Server, "iis"},
		{"execution_timeout", p.ExecutionTimeout, Duration(0)},
		{"on_execution_timeout", p.OnExecutionTimeout, "abort"},
		{"min_bytes_per_second", p.MinBytesPerSecond, int64(240)},
		{"on_queue_full", p.OnQueueFull, "reject"},
		{"thread_pool", p.ThreadPool, ThreadPool{Injection: Duration(500 * engine.Millisecond), Retire: Duration(20 * engine.Second)}},
		{"lock", sc.Lock, Lock{OnContention: "fail"}},
		{"retry", sc.Retry, Retry{Policy: "none", MaxAttempts: 3, Delay: Duration(engine.Second), MaxDelay: Duration(30 * engine.Second)}},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %+v, want %+v", c.name, c.got, c.want)
		}
	}
}

// TestDefaultsKeptInTables checks that writing some keys of a table leaves
// the others, true booleans included, at their defaults.
func TestDefaultsKeptInTables(t *testing.T) {
	sc := decodeOK(t, minimal+`class = "page"

[pool.ping]
interval = "10s"

[pool.rapid_fail]
max_crashes = 3

[pool.recycle]
time = "1h"

[classes.db]
service = "1ms"
backend = "db"

[backends.db]
latency = "1ms"

[backends.db.cache]
`)
	p := sc.Pool
	if !p.Ping.Enabled || p.Ping.ResponseTime != Duration(90*engine.Second) || p.Ping.Interval != Duration(10*engine.Second) {
		t.Errorf("ping = %+v", p.Ping)
	}
	if !p.RapidFail.Enabled || p.RapidFail.Interval != Duration(5*engine.Minute) || p.RapidFail.MaxCrashes != 3 {
		t.Errorf("rapid_fail = %+v", p.RapidFail)
	}
	if !p.Recycle.Overlapping || p.Recycle.Time != Duration(engine.Hour) {
		t.Errorf("recycle = %+v", p.Recycle)
	}
	b := sc.Backends["db"]
	if b.Timeout != Duration(30*engine.Second) || b.OnTimeout != "error" || b.Cache == nil || b.Cache.TTL != Duration(engine.Minute) || b.Slow != nil {
		t.Errorf("backend = %+v", b)
	}
	if _, err := Decode("x", []byte(minimal+"[classes.db]\nservice = \"1ms\"\n")); err == nil || !strings.Contains(err.Error(), `clients.users.class: required: which class the requests are (one of "db", "page")`) {
		t.Errorf("two classes and a client without one: %v", err)
	}
}

func TestCaseSensitive(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"Seed = 7\n" + minimal, `test.toml:1: Seed = 7: unknown top-level key; did you mean "seed"?`},
		{"SEED = 7\nseed = 8\n" + minimal, `test.toml:1: SEED = 7: unknown top-level key; did you mean "seed"?`},
		{minimal + "[Pool]\nthreads = 3\n", `test.toml:8: Pool: unknown top-level key; did you mean "pool"?`},
		{minimal + "[pool]\nThreads = 3\n", `test.toml:9: pool.Threads = 3: unknown key; did you mean "threads"?`},
		{minimal + "class = \"Page\"\n", `test.toml:8: clients.users.class = "Page": no class of that name; did you mean "page"?`},
	} {
		got := decodeErr(t, c.src)
		if got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
	// Enumerated values are case-sensitive too.
	got := decodeErr(t, minimal+"[pool.rapid_fail]\npolicy = \"IIS\"\n")
	if want := `test.toml:9: pool.rapid_fail.policy = "IIS": did you mean "iis"? (one of "iis", "emergency_restart", "backoff")`; got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestClientClassDefault(t *testing.T) {
	sc := decodeOK(t, minimal)
	if c := sc.Clients["users"]; c.Class != "page" || c.URI != "/users" {
		t.Errorf("client = %+v", c)
	}
	sc = decodeOK(t, `
[classes.page]
service = "40ms"
[clients."night owls"]
kind = "poisson"
rate = 1.0
`)
	if c := sc.Clients["night owls"]; c.URI != "/night%20owls" {
		t.Errorf("uri = %q", c.URI)
	}
}

// TestEveryProblemAtOnce checks that one decode reports problems of every
// kind together: syntax aside, nothing stops at the first error.
func TestEveryProblemAtOnce(t *testing.T) {
	_, err := Decode("x.toml", []byte(`
horizon = "0s"
[pool]
threads = 0
thread = 1
[classes.page]
service = { dist = "lognormal", mean = "40ms" }
crash = 2.0
[clients.users]
kind = "polling"
class = "nope"
`), Override{Key: "pool.max_processes", Value: "0", Source: "--set"})
	var list Errors
	if !errors.As(err, &list) {
		t.Fatalf("err = %v", err)
	}
	var keys []string
	for _, e := range list {
		keys = append(keys, e.Key)
	}
	want := []string{"horizon", "pool.threads", "pool.thread", "classes.page.service", "classes.page.crash", "clients.users.count", "clients.users.period", "clients.users.class", "pool.max_processes"}
	if !reflect.DeepEqual(keys, want) {
		t.Errorf("keys %q\nwant %q\n%v", keys, want, err)
	}
}

func TestRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "scenarios", "good", "*.toml"))
	for _, file := range files {
		data, _ := os.ReadFile(file)
		sc, err := Decode(file, data)
		if err != nil {
			t.Fatal(err)
		}
		out, err := sc.MarshalTOML()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode(file+" (written)", out)
		if err != nil {
			t.Fatalf("%s: decoding the written scenario: %v\n%s", file, err, out)
		}
		if !reflect.DeepEqual(sc, back) {
			t.Errorf("%s: round trip differs:\n%s", file, out)
		}
		again, _ := back.MarshalTOML()
		if string(again) != string(out) {
			t.Errorf("%s: writing is not stable:\n%s\n---\n%s", file, out, again)
		}
	}
}

// TestEncodeWithBurntSushi checks that the types of the scenario encode and
// decode through github.com/BurntSushi/toml directly, as other packages
// may use them.
func TestEncodeWithBurntSushi(t *testing.T) {
	type doc struct {
		D  Duration       `toml:"d"`
		N  Duration       `toml:"n"`
		S  Size           `toml:"s"`
		T  TimeOfDay      `toml:"t"`
		W  Warmup         `toml:"w"`
		A  Warmup         `toml:"a"`
		X  Dist           `toml:"x"`
		C  Dist           `toml:"c"`
		Z  SizeDist       `toml:"z"`
		R  RateDist       `toml:"r"`
		RC RateDist       `toml:"rc"`
		P  []ProfilePoint `toml:"p"`
		TS []TimeOfDay    `toml:"ts"`
	}
	src := `
d = "1h30m"
n = "never"
s = "1.5GB"
t = "15:30"
w = "15m"
a = "auto"
x = { dist = "gamma", mean = "1s", shape = 2 }
c = "40ms"
z = { dist = "uniform", min = "100MB", max = "600MB" }
r = { dist = "lognormal", mean = "8Mbit/s", cv = 1 }
rc = "2Mbit/s"
p = [["00:00", 0.2], ["08:00", 1]]
ts = ["03:00", "04:00:30"]
`
	var got doc
	if _, err := toml.Decode(src, &got); err != nil {
		t.Fatal(err)
	}
	want := doc{
		D: Duration(90 * engine.Minute), N: Duration(engine.Never), S: 3 << 29,
		T: TimeOfDay(15*engine.Hour + 30*engine.Minute),
		W: Warmup{Duration: Duration(15 * engine.Minute)}, A: Warmup{Auto: true},
		X: Dist{Kind: "gamma", Mean: engine.Second, Shape: 2}, C: Const(40 * engine.Millisecond),
		Z: SizeDist{Kind: "uniform", Min: 100 << 20, Max: 600 << 20},
		R: RateDist{Kind: "lognormal", Mean: 1e6, CV: 1}, RC: Constant[Rate](250_000),
		P:  []ProfilePoint{{0, 0.2}, {TimeOfDay(8 * engine.Hour), 1}},
		TS: []TimeOfDay{TimeOfDay(3 * engine.Hour), TimeOfDay(4*engine.Hour + 30*engine.Second)},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got  %+v\nwant %+v", got, want)
	}
	var b strings.Builder
	if err := toml.NewEncoder(&b).Encode(got); err != nil {
		t.Fatal(err)
	}
	var back doc
	if _, err := toml.Decode(b.String(), &back); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if !reflect.DeepEqual(back, want) {
		t.Errorf("encoded\n%s\ndecoded %+v", b.String(), back)
	}
	for _, bad := range []string{`x = { dist = "exponential" }`, `x = { dist = "exponential", mean = "1s", cv = 1 }`, `x = { dist = "lognormal", mean = "1s", cv = -1 }`, `p = [["25:00", 1]]`, `d = "5 parsecs"`,
		`z = { dist = "uniform", min = "6MB", max = "1MB" }`, `z = "50ms"`, `r = { dist = "uniform", min = "0", max = "1Mbit/s" }`} {
		if _, err := toml.Decode(bad, &back); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestValidateInCode(t *testing.T) {
	sc := NewScenario()
	sc.Classes = map[string]*Class{"page": NewClass()}
	sc.Classes["page"].Service = Dist{Kind: "exponential", Mean: engine.Second}
	sc.Clients = map[string]*Client{"users": NewClient()}
	c := sc.Clients["users"]
	c.Kind, c.Rate, c.Class = "poisson", 1, "page"
	c.Mode, c.URI = "", "" // built in code: the simulator's defaults
	if err := sc.Validate(); err != nil {
		t.Fatalf("valid scenario: %v", err)
	}
	sc.Pool.Threads = 0
	sc.Pool.QueueTimeout = Duration(engine.Never)
	sc.Classes["page"].Crash = 2
	sc.Clients["users"].Rate = 0
	sc.Clients["other"] = nil
	err := sc.Validate()
	want := `classes.page.crash = 2.0: a probability must be between 0 and 1
clients.other: missing
clients.users.rate = 0.0: must be more than 0 and at most 10000000 requests per second
pool.queue_timeout = "never": "never" is only allowed for pool.rapid_fail.restart_after; "0s" disables a timeout, a limit or a trigger
pool.threads = 0: must be between 1 and 1000000`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func TestFieldErrorFormat(t *testing.T) {
	for _, c := range []struct {
		e    FieldError
		want string
	}{
		{FieldError{File: "a.toml", Line: 3, Key: "pool.threads", Value: "0", Msg: "must be at least 1"}, "a.toml:3: pool.threads = 0: must be at least 1"},
		{FieldError{File: "a.toml", Key: "clients", Msg: "needs a client"}, "a.toml: clients: needs a client"},
		{FieldError{File: "a.toml", Line: 2, Col: 7, Msg: "syntax"}, "a.toml:2:7: syntax"},
		{FieldError{File: "--set", Key: "name", Value: `""`, Msg: "empty"}, `--set: name = "": empty`},
		{FieldError{Key: "k", Msg: "m"}, "k: m"},
		{FieldError{Msg: "m"}, "m"},
	} {
		if got := c.e.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	es := Errors{{File: "a", Msg: "x"}, {File: "a", Msg: "y"}}
	if es.Error() != "a: x\na: y" {
		t.Errorf("Errors.Error() = %q", es.Error())
	}
}

func TestSuggest(t *testing.T) {
	known := []string{"threads", "queue_length", "max_processes", "name"}
	for in, want := range map[string]string{
		"thread": "threads", "Threads": "threads", "treads": "threads", "thraeds": "threads",
		"queue_lenght": "queue_length", "que_length": "queue_length", "nme": "name",
		"colour": "", "x": "", "max": "",
	} {
		if got := suggest(in, known); got != want {
			t.Errorf("suggest(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzDecode checks that no input makes Decode panic, that every failure is
// a non-empty Errors, and that every scenario it accepts is written back by
// MarshalTOML as a file that decodes to the same scenario and passes
// Validate. The seed corpus is every scenario of testdata/scenarios and of
// the shipped catalog.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "scenarios", "*", "*.toml"))
	shipped, _ := filepath.Glob(filepath.Join("..", "experiments", "catalog", "scenarios", "*.toml"))
	for _, file := range append(files, shipped...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, seed := range hostileSeeds() {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc, err := Decode("fuzz.toml", data)
		if err != nil {
			var list Errors
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T is not a non-empty Errors: %v", err, err)
			}
			for _, e := range list {
				if e.Msg == "" {
					t.Errorf("error without a message: %#v", e)
				}
			}
			return
		}
		if err := sc.Validate(); err != nil {
			t.Fatalf("Decode accepted what Validate refuses: %v", err)
		}
		out, err := sc.MarshalTOML()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Decode("written.toml", out)
		if err != nil {
			t.Fatalf("written scenario does not decode: %v\n%s", err, out)
		}
		if !reflect.DeepEqual(sc, back) {
			t.Fatalf("round trip differs:\n%s", out)
		}
	})
}

func ExampleDecode() {
	src := []byte(`
horizon = "2h"

[classes.page]
service = { dist = "lognormal", mean = "40ms", cv = 1.0 }

[clients.users]
kind = "poisson"
rate = 5.0
`)
	set, _ := ParseSet("pool.threads=50")
	sc, err := Decode("shop.toml", src, set)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sc.Horizon, sc.Pool.Name, sc.Pool.Threads, sc.Pool.QueueLength, sc.Pool.Recycle.Time)
	fmt.Println(sc.ClientNames(), sc.Clients["users"].Class)
	// Output:
	// 2h DefaultAppPool 50 1000 29h
	// [users] page
}

func ExampleDecode_errors() {
	src := []byte(`
horizon = "12 h"

[pool]
thread = 50

[classes.page]
service = "40ms"
crash = 1.5

[clients.users]
kind = "polling"
count = 40
class = "pages"
`)
	_, err := Decode("shop.toml", src, Override{Key: "pool.queue_length", Value: "-1", Source: "--set"})
	fmt.Println(err)
	// Output:
	// shop.toml:2: horizon = "12 h": no spaces in a duration; want a duration such as "250ms", "90s", "5m", "1h30m" or "1d" (units ns, us, ms, s, m, h, d)
	// shop.toml:5: pool.thread = 50: unknown key; did you mean "threads"?
	// shop.toml:9: classes.page.crash = 1.5: a probability must be between 0 and 1
	// shop.toml:11: clients.users.period: required: how often each client polls, such as "5s"
	// shop.toml:14: clients.users.class = "pages": no class of that name; did you mean "page"?
	// --set: pool.queue_length = -1: must be between 0 and 2147483647
}

func ExampleParseSet() {
	for _, arg := range []string{"pool.recycle.time=60m", "clients.trendpage.count=80", `classes.trend.service={dist="exponential", mean="30ms"}`} {
		o, _ := ParseSet(arg)
		fmt.Printf("%s = %s\n", o.Key, o.Value)
	}
	// Output:
	// pool.recycle.time = "60m"
	// clients.trendpage.count = 80
	// classes.trend.service = {dist="exponential", mean="30ms"}
}

// hostileSeeds are fuzz seeds for the attacks on the decoder: nesting far
// deeper than any scenario (arrays, inline tables, dotted keys, table
// headers), and huge counts (of keys, of errors, of values).
func hostileSeeds() []string {
	deep := 10_000
	var many, refs strings.Builder
	many.WriteString("[pool]\n")
	for i := range 2000 {
		fmt.Fprintf(&many, "k%d = %d\n", i, i)
	}
	for i := range 300 {
		fmt.Fprintf(&refs, "[clients.c%d]\nkind = \"poisson\"\nrate = 1.0\nclass = \"x%d\"\n", i, i)
	}
	return []string{
		"a = " + strings.Repeat("[", deep) + strings.Repeat("]", deep),
		"a = " + strings.Repeat("{b = ", deep) + "1" + strings.Repeat("}", deep),
		strings.Repeat("a.", deep) + "b = 1",
		"[" + strings.Repeat("a.", deep) + "b]",
		"[[" + strings.Repeat("a.", deep) + "b]]",
		many.String(),
		refs.String(),
		"[pool]\nthreads = 9223372036854775807\nmax_processes = -9223372036854775808\nqueue_length = 1e308\n",
		"[classes.a]\nservice = { dist = \"empirical\", values = [" + strings.Repeat("\"1ms\", ", 5000) + "\"1ms\"] }\n",
		"horizon = \"106751d\"\n[clients.a]\nkind = \"polling\"\ncount = 9223372036854775807\nperiod = \"1ns\"\n",
	}
}

// TestPHPFPMKeyNames checks the rule of docs/model.md "php-fpm" that
// php-fpm's own dotted key names, copied from www.conf into [php_fpm], are
// answered with the name [php_fpm] uses (pm.X is X, listen.backlog is
// listen_backlog), and a www.conf key poolsim does not model is said to be
// one.
func TestPHPFPMKeyNames(t *testing.T) {
	const rule = " (pm.X -> X; listen.backlog -> listen_backlog)"
	for _, c := range []struct{ table, want string }{
		{"pm.max_children = 4\n", `test.toml:10: php_fpm.pm.max_children = 4: php-fpm's pm.max_children is written max_children in [php_fpm]` + rule},
		{"listen.backlog = 8\n", `test.toml:10: php_fpm.listen.backlog = 8: php-fpm's listen.backlog is written listen_backlog in [php_fpm]` + rule},
		{"pm.status_path = \"/status\"\n", `test.toml:10: php_fpm.pm.status_path = "/status": php-fpm's pm.status_path has no [php_fpm] key: it is not modelled` + rule},
	} {
		got := decodeErr(t, "server = \"php-fpm\"\n"+minimal+"[php_fpm]\n"+c.table)
		if got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}
