package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/experiments/sweeptest"

	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/model"
	scn "github.com/poolsim/poolsim/model/scenario"
)

// scenario is sweeptest's small pool: four threads, a queue of ten, a
// crash probability of 0.002.
const scenario = sweeptest.Scenario

const experiment = `# Does a crash probability of 0.002 cost anything?
#
# Two variants of small.toml, paired.
name = "Small experiment"
scenario = "small.toml"
replications = 4
seed = 5
baseline = "solid"

[variants."crashy"]
"classes.page.crash" = 0.002

[variants."solid"]
"classes.page.crash" = 0.0

[[chart]]
title = "Crashes by variant"
y = "crashes"
`

// sweep runs the small experiment into a fresh directory.
func sweep(t *testing.T) string {
	t.Helper()
	dir, _ := sweeptest.Run(t, scenario, experiment)
	return dir
}

// selfContained fails when the page refers to anything outside itself: a
// script, a style sheet, an image, a font or any URL but the SVG
// namespaces.
func selfContained(t *testing.T, page string) {
	t.Helper()
	for _, bad := range []string{"<script", "<link", "<img", "<iframe", "src=", "@import", "url(", "@font-face"} {
		if strings.Contains(page, bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	urls := regexp.MustCompile(`(?i)(https?|ftp|wss?)://[^"'\s<]*`).FindAllString(page, -1)
	for _, u := range urls {
		if u != "http://www.w3.org/2000/svg" && u != "http://www.w3.org/1999/xlink" {
			t.Errorf("the page refers to %s", u)
		}
	}
}

// The report of a sweep puts the question and the answer first, then the
// table, the charts, the scenario with its assumptions and how to
// reproduce it; it is self-contained and drawn the same every time.
func TestSweepReport(t *testing.T) {
	dir := sweep(t)
	s, err := LoadSweep(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.About.Confidence != 0.95 || s.About.Horizon != "20m" || s.About.Warmup != "1m" {
		t.Errorf("about %+v", s.About)
	}
	path, err := WriteSweep(s, Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	selfContained(t, page)
	order := []string{
		"<h1>Small experiment</h1>",
		`<p class="question">Does a crash probability of 0.002 cost anything?</p>`,
		`id="answer"`, "than the baseline <code>solid</code>", "over 4 replications", "95 % confidence", "each run simulates 20m, the first 1m left out",
		`id="table"`, "<td>crashy</td>", "<td>solid</td>",
		`id="charts"`, "<figure>", "<strong>Crashes by variant.</strong>",
		`id="scenario"`, "<code>pool.threads</code>", "<mark", "threads      = 4</mark>",
		`id="reproduce"`, "poolsim/rng/v1", "poolsim sweep exp.toml -o " + dir,
	}
	at := 0
	for _, want := range order {
		i := strings.Index(page[at:], want)
		if i < 0 {
			t.Errorf("after byte %d, the page lacks %q", at, want)
			continue
		}
		at += i
	}
	// Four charts: 503 and abandoned rates, the difference, the experiment's.
	if n := strings.Count(page, "<figure>"); n != 4 || strings.Count(page, "<svg") != 4 {
		t.Errorf("%d figures and %d SVGs, want 4", n, strings.Count(page, "<svg"))
	}
	again, err := WriteSweep(s, Options{Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(again); string(b2) != page {
		t.Error("the report differs when drawn twice")
	}
}

// LoadSweep refuses what is not a finished sweep.
func TestLoadSweepErrors(t *testing.T) {
	if _, err := LoadSweep(t.TempDir()); err == nil || !strings.Contains(err.Error(), "experiment.toml") {
		t.Errorf("empty directory: %v", err)
	}
	dir := sweep(t)
	os.Remove(filepath.Join(dir, experiments.SummaryFile))
	if _, err := LoadSweep(dir); err == nil || !strings.Contains(err.Error(), "is the sweep finished") {
		t.Errorf("no summary: %v", err)
	}
}

// A run's report holds its metrics, its three charts and how to reproduce
// it; drawn from its saved inputs, it is the same page.
func TestRunReport(t *testing.T) {
	dir := t.TempDir()
	in := RunInputs{Version: "test", StreamScheme: "s", Scenario: "small.toml", Set: []string{"pool.threads=2"}, Interval: "1m0s"}
	if err := SaveRunInputs(dir, in, []byte(scenario)); err != nil {
		t.Fatal(err)
	}
	r, err := LoadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if r.Scenario.Pool.Threads != 2 || len(r.Result.Series) != 20 {
		t.Fatalf("threads %d, %d series rows; want 2 and 20", r.Scenario.Pool.Threads, len(r.Result.Series))
	}
	path, err := WriteRun(r, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(path)
	page := string(b)
	selfContained(t, page)
	for _, want := range []string{"<h1>Small</h1>", "One run (seed 3, replication 0)", "<code>rate_503</code>",
		"Outcomes per 1m interval", "Worker lifecycles", "Memory of the oldest worker",
		"poolsim run small.toml --set pool.threads=2 --interval 1m0s --plot " + dir} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(page, "<svg"); n != 3 {
		t.Errorf("%d charts, want 3", n)
	}
}

// The assumptions of a scenario are found by key, with their values, and
// marked where the file sets them.
func TestAssumptions(t *testing.T) {
	sc, err := scn.Decode("small.toml", []byte(scenario))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Assumption{}
	for _, a := range Assumptions(sc, []byte(scenario)) {
		got[a.Key] = a
	}
	if a := got["pool.threads"]; a.Value != "4" || !a.Written {
		t.Errorf("pool.threads: %+v", a)
	}
	if a := got["pool.rapid_fail.window"]; a.Value != `"sliding"` || a.Written {
		t.Errorf("pool.rapid_fail.window: %+v", a)
	}
	if a, ok := got["pool.ping.answered_while_hung"]; !ok || a.Value != "false" {
		t.Errorf("pool.ping.answered_while_hung: %+v", a)
	}
	if n := strings.Count(string(markedSource(sc, []byte(scenario))), "<mark"); n != 1 {
		t.Errorf("%d lines marked, want 1 (threads = 4)", n)
	}
}

// TestWorkersSentence checks the wording rule of a run's report
// (docs/model.md, "Outputs"): worker events before the warm-up are named
// beside the counts that leave them out, as the summary names them, and
// each noun takes the form its count does.
func TestWorkersSentence(t *testing.T) {
	early := &model.Result{BeforeWarmup: model.WarmupEvents{WorkerStarts: 1, Crashes: 0, RapidFailTrips: 1}}
	early.Metrics.WorkerStarts, early.Metrics.Crashes, early.Metrics.RapidFailTrips = 4, 5, 1
	many := &model.Result{}
	many.Metrics.WorkerStarts, many.Metrics.Crashes, many.Metrics.Recycles, many.Metrics.RapidFailTrips = 9, 1, 2, 3
	for _, c := range []struct {
		res  *model.Result
		want string
	}{
		{early, "Workers: 4 started (+1 before the warm-up), 5 crashes, 0 recycles, 0 ping kills, 0 shutdown-limit kills, 1 rapid-fail trip (+1 before the warm-up)."},
		{many, "Workers: 9 started, 1 crash, 2 recycles, 0 ping kills, 0 shutdown-limit kills, 3 rapid-fail trips."},
	} {
		if got := workersSentence(c.res); got != c.want {
			t.Errorf("got  %s\nwant %s", got, c.want)
		}
	}
}
