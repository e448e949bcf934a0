package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/httperr"
)

const small = "testdata/small.toml"

// runOK runs poolsim and fails the test unless it exits 0.
func runOK(t *testing.T, args ...string) string {
	t.Helper()
	status, stdout, stderr := poolsim(t, args...)
	if status != 0 {
		t.Fatalf("poolsim %s: exit status %d\n%s", strings.Join(args, " "), status, stderr)
	}
	return stdout
}

func TestRunDefaultScenario(t *testing.T) {
	status, stdout, stderr := poolsim(t, "run")
	if status != 0 {
		t.Fatalf("exit status %d\n%s", status, stderr)
	}
	for _, want := range []string{"Trend page", "Outcomes", "AppOffline", "Connection_Abandoned_By_ReqQueue", "WAS events", "p99"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
}

// TestRunJSON checks that --json prints one JSON object whose keys are the
// metric names, in order, with a number for each.
func TestRunJSON(t *testing.T) {
	stdout := runOK(t, "run", small, "--json")
	var obj map[string]any
	dec := json.NewDecoder(strings.NewReader(stdout))
	dec.UseNumber()
	if err := dec.Decode(&obj); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value:\n%s", stdout)
	}
	names := model.MetricNames()
	if len(obj) != len(names) {
		t.Errorf("%d keys, want %d", len(obj), len(names))
	}
	// Every metric is present: a number, or null for a mean of nothing
	// (here no request was served stale).
	for _, name := range names {
		v, present := obj[name]
		if _, ok := v.(json.Number); !ok && !(present && v == nil && slices.Contains(model.NaNMetrics(), name)) {
			t.Errorf("%s = %v, want a number", name, obj[name])
		}
	}
	if v, present := obj["stale_age_mean_s"]; !present || v != nil {
		t.Errorf("stale_age_mean_s = %v with no stale answer, want null", v)
	}
	// Keys in MetricNames order.
	keys := regexp.MustCompile(`(?m)^  "([a-z0-9_]+)":`).FindAllStringSubmatch(stdout, -1)
	var got []string
	for _, k := range keys {
		got = append(got, k[1])
	}
	if !slices.Equal(got, names) {
		t.Errorf("keys in order %v, want %v", got, names)
	}
	// The counts add up to the arrivals.
	sum := 0.0
	for _, k := range []string{"ok", "stale", "error", "rejected_queue_full", "rejected_app_offline", "rejected_tcp_reset", "expired", "abandoned", "client_timeout", "in_flight"} {
		v, _ := obj[k].(json.Number).Float64()
		sum += v
	}
	if arrivals, _ := obj["arrivals"].(json.Number).Float64(); sum != arrivals || arrivals == 0 {
		t.Errorf("outcomes add up to %v, arrivals %v", sum, arrivals)
	}
}

func TestJSONNumber(t *testing.T) {
	var inf float64 = 1
	for range 2000 {
		inf *= 10
	}
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {12345, "12345"}, {0.25, "0.25"}, {1e-7, "1e-7"}, {1e21, "1e+21"},
		{inf, "null"}, {-inf, "null"}, {inf - inf, "null"},
	}
	for _, tt := range tests {
		if got := jsonNumber(tt.v); got != tt.want {
			t.Errorf("jsonNumber(%v) = %s, want %s", tt.v, got, tt.want)
		}
	}
}

// TestRunFlagOrder checks that flags mean the same before and after the
// file, in both spellings.
func TestRunFlagOrder(t *testing.T) {
	want := runOK(t, "run", "--json", "--seed", "9", small)
	for _, args := range [][]string{
		{"run", small, "--json", "--seed", "9"},
		{"run", "-json", small, "-seed=9"},
		{"run", "--seed=9", small, "--json"},
	} {
		if got := runOK(t, args...); got != want {
			t.Errorf("poolsim %s differs from poolsim run --json --seed 9 %s", strings.Join(args, " "), small)
		}
	}
}

// TestRunDeterministic checks that the same input and seed give the same
// bytes, and that another seed gives other numbers.
func TestRunDeterministic(t *testing.T) {
	for _, args := range [][]string{{"run", small}, {"run", small, "--json"}} {
		a, b := runOK(t, args...), runOK(t, args...)
		if a != b {
			t.Errorf("poolsim %s: two runs differ", strings.Join(args, " "))
		}
	}
	seed1 := runOK(t, "run", small, "--json", "--seed", "1")
	seed2 := runOK(t, "run", small, "--json", "--seed", "2")
	if seed1 == seed2 {
		t.Error("seeds 1 and 2 give the same metrics")
	}
	rep1 := runOK(t, "run", small, "--json", "--replication", "1")
	if rep1 == runOK(t, "run", small, "--json") {
		t.Error("replications 0 and 1 give the same metrics")
	}
}

func TestRunSet(t *testing.T) {
	base := runOK(t, "run", small, "--json")
	more := runOK(t, "run", small, "--json", "--set", "clients.browsers.rate=20", "--set", "pool.threads=8")
	if base == more {
		t.Fatal("--set changed nothing")
	}
	arrivals := func(s string) float64 {
		var m struct{ Arrivals float64 }
		if err := json.Unmarshal([]byte(s), &m); err != nil {
			t.Fatal(err)
		}
		return m.Arrivals
	}
	if a, b := arrivals(base), arrivals(more); b < 1.5*a {
		t.Errorf("doubling the rate took arrivals from %v to %v", a, b)
	}
	// A bare word is a string; a wrong value is reported as the file's errors are.
	status, _, stderr := poolsim(t, "run", small, "--set", "pool.threads=many")
	if status != 1 || !strings.Contains(stderr, "pool.threads") {
		t.Errorf("--set pool.threads=many: exit %d, stderr %q; want 1 and an error naming the key", status, stderr)
	}
}

// TestRunErrors checks the messages for files that cannot run: every
// problem of a mistyped file with its line and key, a missing file, a name
// that is not shipped.
func TestRunErrors(t *testing.T) {
	tests := []struct {
		args []string
		want []string // regexps, each matching a line of stderr
	}{
		{[]string{"run", "testdata/bad.toml"}, []string{
			`^testdata/bad.toml:6: pool.thredas = 5: unknown key; did you mean "threads"\?$`,
			`^testdata/bad.toml:7: pool.queue_length = -3: `,
			`^testdata/bad.toml:14: clients.a.rate = "fast": `,
			`^testdata/bad.toml:15: clients.a.class = "nope": `,
		}},
		{[]string{"run", "testdata/missing.toml"}, []string{`^poolsim: testdata/missing.toml: no such file$`}},
		{[]string{"run", "no-such-scenario"}, []string{`no such file, and no shipped scenario of that name`}},
		{[]string{"run", "testdata"}, []string{`^poolsim: testdata: a directory, not a TOML file: a scenario or experiment is a regular file$`}},
		{[]string{"run", small, "--max-events", "1000"}, []string{`--max-events`}},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			status, stdout, stderr := poolsim(t, tt.args...)
			if status != 1 {
				t.Errorf("exit status %d, want 1", status)
			}
			if stdout != "" {
				t.Errorf("stdout is not empty:\n%s", stdout)
			}
			for _, re := range tt.want {
				if !regexp.MustCompile("(?m)" + re).MatchString(stderr) {
					t.Errorf("stderr does not match %s:\n%s", re, stderr)
				}
			}
		})
	}
	// validate reports the same errors as run.
	_, _, runErr := poolsim(t, "run", "testdata/bad.toml")
	_, _, valErr := poolsim(t, "validate", "testdata/bad.toml")
	if runErr != valErr {
		t.Errorf("run and validate report differently:\nrun:\n%s\nvalidate:\n%s", runErr, valErr)
	}
}

// TestRunOutputFiles checks --timeseries, --httperr, --trace and --plot.
func TestRunOutputFiles(t *testing.T) {
	dir := t.TempDir()
	ts := filepath.Join(dir, "ts.csv")
	he := filepath.Join(dir, "httperr.log")
	tr := filepath.Join(dir, "trace.log")
	charts := filepath.Join(dir, "charts")
	_, _, stderr := poolsim(t, "run", small, "--timeseries", ts, "--interval", "5m", "--httperr", he, "--trace", tr, "--plot", charts, "--json")
	if !strings.Contains(stderr, "wrote "+filepath.Join(charts, "timeseries.png")) {
		t.Errorf("stderr does not list the charts:\n%s", stderr)
	}

	f, err := os.Open(ts)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], model.SeriesHeader[:]) {
		t.Errorf("header %v, want %v", rows[0], model.SeriesHeader)
	}
	// 30 minutes in 5-minute rows.
	if len(rows) != 1+6 {
		t.Errorf("%d rows, want a header and 6", len(rows))
	}
	if len(rows) > 2 && (rows[1][0] != "0" || rows[2][0] != "300" || rows[2][1] != "2026-11-23T08:05:00Z") {
		t.Errorf("rows start %v, %v; want 0 and 300 s, 08:05", rows[1][:2], rows[2][:2])
	}

	log, err := os.ReadFile(he)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := httperr.Parse(bytes.NewReader(log))
	if err != nil {
		t.Fatalf("HTTPERR log does not parse: %v", err)
	}
	if len(lines) == 0 {
		t.Error("the HTTPERR log is empty, though small.toml crashes workers")
	}
	if fi, err := os.Stat(tr); err != nil || fi.Size() == 0 {
		t.Errorf("trace: %v, %v", fi, err)
	}
	for _, name := range []string{"timeseries.png", "timeseries.svg", "workers.png", "workers.svg"} {
		if _, err := os.Stat(filepath.Join(charts, name)); err != nil {
			t.Error(err)
		}
	}
	// No temporary files are left behind.
	left, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// TestRunOutputFileErrors checks that an output file that cannot be
// written fails the command before it runs, and that a failed run leaves
// no output file.
func TestRunOutputFileErrors(t *testing.T) {
	dir := t.TempDir()
	status, _, stderr := poolsim(t, "run", small, "--timeseries", filepath.Join(dir, "no", "such", "dir", "ts.csv"))
	if status != 1 || !strings.Contains(stderr, "cannot write") {
		t.Errorf("exit status %d, stderr %q; want 1 and cannot write", status, stderr)
	}
	ts := filepath.Join(dir, "ts.csv")
	status, _, _ = poolsim(t, "run", small, "--timeseries", ts, "--max-events", "10")
	if status != 1 {
		t.Errorf("exit status %d, want 1", status)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a failed run left files: %v", entries)
	}
}
