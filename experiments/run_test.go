package experiments

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/poolsim/poolsim/internal/stattest"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// fakeExperiment has two variants, one changing the pool's threads, and a
// sweep of the client's rate: 2 × 3 points.
const fakeExperiment = `name = "fake"
scenario = "small.toml"
replications = 6
seed = 11

[variants."4 threads"]
[variants."8 threads"]
"pool.threads" = 8

[[sweep]]
key = "clients.visitors.rate"
values = [5, 10, 20]
`

// Results are the same bytes whatever the number of workers.
func TestParallelInvariance(t *testing.T) {
	for _, tc := range []struct {
		name string
		sim  simulator
		src  string
	}{
		{"fake", fakeSim(fakeRun), fakeExperiment},
		{"model", modelSimulator, strings.Replace(fakeExperiment, "replications = 6", "replications = 3", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := parseString(t, tc.src, tc.sim)
			var files []map[string][]byte
			var journals []*Journal
			for _, n := range []int{1, 4} {
				dir := t.TempDir()
				mustRunTo(t, e, dir, Options{Parallel: n})
				f := readDir(t, dir)
				delete(f, JournalFile) // in completion order
				files = append(files, f)
				j, err := ReadJournal(dir)
				if err != nil {
					t.Fatal(err)
				}
				journals = append(journals, j)
			}
			for name, data := range files[0] {
				if !bytes.Equal(data, files[1][name]) {
					t.Errorf("%s differs between Parallel 1 and 4", name)
				}
			}
			if len(files[0]) != len(files[1]) || len(files[0]) != 6 {
				t.Errorf("files: %d and %d, want 6 each", len(files[0]), len(files[1]))
			}
			if !slices.EqualFunc(journals[0].Runs, journals[1].Runs, func(a, b Row) bool {
				return a.Run == b.Run && sameValues(a.Values, b.Values)
			}) {
				t.Error("journals hold different runs")
			}
			// Run and RunTo agree.
			r, err := e.Run(context.Background(), Options{Parallel: 3})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			if err := r.Write(dir); err != nil {
				t.Fatal(err)
			}
			for name, data := range readDir(t, dir) {
				if !bytes.Equal(data, files[0][name]) {
					t.Errorf("%s from Run+Write differs from RunTo's", name)
				}
			}
		})
	}
}

// Two variants with the same overrides give identical rows, and an empty
// variant is the scenario as it is.
func TestIdenticalVariants(t *testing.T) {
	src := `scenario = "small.toml"
replications = 3
[variants.a]
"pool.threads" = 6
[variants.b]
pool.threads = 6
[variants.c]
"pool.threads" = 4
[variants.d]
`
	for _, tc := range []struct {
		name string
		sim  simulator
	}{{"fake", fakeSim(fakeRun)}, {"model", modelSimulator}} {
		t.Run(tc.name, func(t *testing.T) {
			e := parseString(t, src, tc.sim)
			r, err := e.Run(context.Background(), Options{Parallel: 2})
			if err != nil {
				t.Fatal(err)
			}
			for rep := range 3 {
				a, b := r.Rows[rep*4], r.Rows[rep*4+1]
				if !sameValues(a.Values, b.Values) {
					t.Errorf("replication %d: variants a and b differ", rep)
				}
				c, d := r.Rows[rep*4+2], r.Rows[rep*4+3]
				if !sameValues(c.Values, d.Values) {
					t.Errorf("replication %d: c (threads = 4, the default) and d (no overrides) differ", rep)
				}
			}
			da, _ := r.Diff("b", "rate_503")
			if da.Diff != 0 || da.CI != 0 || da.UnpairedCI == 0 {
				t.Errorf("b - a: %+v; want a zero difference with a zero paired interval", da)
			}
		})
	}
}

// A variant that changes only the pool sees exactly the same arrivals in
// each replication (nothing retries in the scenario), while replications
// differ.
func TestSharedArrivals(t *testing.T) {
	e := parseString(t, `scenario = "small.toml"
replications = 4
[variants.small]
"pool.threads" = 2
"pool.queue_length" = 5
[variants.large]
"pool.threads" = 50
[variants."no overlap"]
"pool.recycle.time" = "2m"
"pool.recycle.overlapping" = false
`, modelSimulator)
	r, err := e.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[float64]bool{}
	for rep := range e.Replications {
		a := r.Rows[rep*3].Metric("arrivals")
		for p := 1; p < 3; p++ {
			if got := r.Rows[rep*3+p].Metric("arrivals"); got != a {
				t.Errorf("replication %d: %s has %v arrivals, small has %v", rep, e.points[p].Variant, got, a)
			}
		}
		seen[a] = true
		if r.Rows[rep*3].Metric("rate_503") == r.Rows[rep*3+1].Metric("rate_503") {
			t.Errorf("replication %d: the pools give the same 503 rate: the variants had no effect", rep)
		}
	}
	if len(seen) < 2 {
		t.Error("every replication has the same arrivals: replications share streams")
	}
	st, _ := r.Stat("small", "arrivals")
	if d, _ := r.Diff("large", "arrivals"); d.Diff != 0 || d.CI != 0 || st.CI == 0 {
		t.Errorf("arrivals large - small = %+v (small: %+v); want exactly 0 ± 0", d, st)
	}
}

// summary.csv agrees with results.csv: the mean and the Student-t
// half-width recomputed from the rows by the textbook two-pass formulas
// (stattest.MeanCI, not the streaming accumulator the sweep uses).
func TestSummaryAgreesWithResults(t *testing.T) {
	e := parseString(t, strings.Replace(fakeExperiment, "replications = 6", "replications = 4", 1), modelSimulator)
	dir := t.TempDir()
	mustRunTo(t, e, dir, Options{})
	results := readCSV(t, filepath.Join(dir, ResultsFile))
	summary := readCSV(t, filepath.Join(dir, SummaryFile))
	nkeys := 1 + len(e.Sweeps)
	metrics := model.MetricNames()
	groups := map[string][][]string{}
	for _, row := range results[1:] {
		k := strings.Join(row[:nkeys], "|")
		groups[k] = append(groups[k], row)
	}
	if len(summary)-1 != len(e.Points()) || len(groups) != len(e.Points()) {
		t.Fatalf("%d summary rows and %d groups of results, want %d", len(summary)-1, len(groups), len(e.Points()))
	}
	for _, s := range summary[1:] {
		rows := groups[strings.Join(s[:nkeys], "|")]
		if n, _ := strconv.Atoi(s[nkeys]); n != len(rows) || n != e.Replications {
			t.Errorf("%v: n = %d, %d rows", s[:nkeys], n, len(rows))
		}
		for m, name := range metrics {
			var xs []float64
			for _, row := range rows {
				x, err := parseCell(row[nkeys+2+m])
				if err != nil {
					t.Fatal(err)
				}
				xs = append(xs, x)
			}
			mean, ci := stattest.MeanCI(xs, e.Confidence)
			gotMean, _ := parseCell(s[nkeys+1+2*m])
			gotCI, _ := parseCell(s[nkeys+2+2*m])
			if !near(gotMean, mean) || !near(gotCI, ci) {
				t.Errorf("%v %s: summary %v ± %v, from results %v ± %v", s[:nkeys], name, gotMean, gotCI, mean, ci)
			}
		}
	}
	if h := summary[0]; h[nkeys] != "n" || h[nkeys+1] != "arrivals_mean" || h[nkeys+2] != "arrivals_ci" {
		t.Errorf("summary header %q", h[:nkeys+3])
	}
}

// sameValues compares metric vectors bit for bit, so that a NaN metric (a
// mean of nothing) equals itself.
func sameValues(a, b []float64) bool {
	return slices.EqualFunc(a, b, func(x, y float64) bool { return math.Float64bits(x) == math.Float64bits(y) })
}

// parseCell reads a table cell: an empty one is NaN (a metric of nothing).
func parseCell(s string) (float64, error) {
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// near compares to a relative 1e-9 (the streaming and two-pass formulas
// round differently in the last bits); two NaNs are near.
func near(a, b float64) bool {
	return a == b || math.IsNaN(a) && math.IsNaN(b) || math.Abs(a-b) <= 1e-9*math.Max(math.Abs(a), math.Abs(b))
}

func readCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestResultsColumns(t *testing.T) {
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	dir := t.TempDir()
	mustRunTo(t, e, dir, Options{Parallel: 2})
	results := readCSV(t, filepath.Join(dir, ResultsFile))
	want := append([]string{"variant", "clients.visitors.rate", "replication", "seed"}, model.MetricNames()...)
	if !slices.Equal(results[0], want) {
		t.Errorf("results header %q", results[0])
	}
	if len(results) != 1+6*6 {
		t.Errorf("%d rows, want 36", len(results)-1)
	}
	// Rows are in run-index order: replication-major.
	if got := results[1][:4]; !slices.Equal(got, []string{"4 threads", "5", "0", "11"}) {
		t.Errorf("first row %q", got)
	}
	if got := results[7][:4]; !slices.Equal(got, []string{"4 threads", "5", "1", "11"}) {
		t.Errorf("row 7 %q", got)
	}
	cmp := readCSV(t, filepath.Join(dir, CompareFile))
	if h := cmp[0]; !slices.Equal(h[:7], []string{"variant", "baseline", "clients.visitors.rate", "n", "arrivals_diff", "arrivals_diff_ci", "arrivals_unpaired_ci"}) {
		t.Errorf("compare header %q", h[:7])
	}
	if len(cmp) != 1+3 {
		t.Errorf("compare has %d rows, want one per point of the non-baseline variant (3)", len(cmp)-1)
	}
	exp, err := os.ReadFile(filepath.Join(dir, ExperimentFile))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(exp, []byte("# poolsim "+DefaultVersion+"\n# stream scheme: ")) || !bytes.HasSuffix(exp, []byte(fakeExperiment)) {
		t.Errorf("experiment.toml:\n%s", exp)
	}
	// It parses back as the same experiment.
	if _, err := parse("experiment.toml", exp, "testdata", fakeSim(fakeRun)); err != nil {
		t.Error(err)
	}
}

// With common random numbers the paired interval of a difference is far
// narrower than the unpaired one.
func TestPairedNarrowerThanUnpaired(t *testing.T) {
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	r, err := e.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Compare {
		d, _ := c.Metric("rate_503")
		// Common noise sd 0.05, own noise sd 0.005: the paired half-width
		// estimates t·0.005·√2/√n, the unpaired one about t·0.05·√2/√n.
		if !(d.CI < d.UnpairedCI/3) {
			t.Errorf("%v: paired ±%v, unpaired ±%v", c.Point, d.CI, d.UnpairedCI)
		}
	}
}

// The shipped experiment, shortened (4 h, 3 replications): every paired
// interval of the headline metrics is narrower than the unpaired one, unless
// one of the two points does not vary at all (in 4 h the pool is rarely
// stopped: most variants have no 503s in any replication).
func TestPairedNarrowerShipped(t *testing.T) {
	e, err := Load("recycle-strategies")
	if err != nil {
		t.Fatal(err)
	}
	e.Replications = 3
	for i, o := range e.Overrides {
		if o.Key == "horizon" {
			e.Overrides[i].Value = `"4h"`
		}
	}
	r, err := e.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Compare) != 11 {
		t.Fatalf("%d comparisons, want 11", len(r.Compare))
	}
	for _, c := range r.Compare {
		for _, m := range []string{"rate_503", "rate_abandoned", "crashes"} {
			d, _ := c.Metric(m)
			v, _ := r.Summary[c.Point.Index].Stat(m)
			b, _ := r.Stat(c.Baseline, m)
			switch {
			case v.CI == 0 || b.CI == 0:
				// One side never varies: pairing cannot help, and the two
				// intervals are the same.
				if !near(d.CI, d.UnpairedCI) {
					t.Errorf("%s %s: paired ±%v, unpaired ±%v, want equal", c.Point.Variant, m, d.CI, d.UnpairedCI)
				}
			case !(d.CI < d.UnpairedCI):
				t.Errorf("%s %s: paired ±%v, unpaired ±%v", c.Point.Variant, m, d.CI, d.UnpairedCI)
			}
			t.Logf("%-38s %-15s %+.3g ± %.2g (unpaired ± %.2g)", c.Point.Variant, m, d.Diff, d.CI, d.UnpairedCI)
		}
	}
}

// Cancelling keeps every finished row; resuming completes the sweep with the
// same bytes as an uninterrupted one.
func TestCancelAndResume(t *testing.T) {
	ref := t.TempDir()
	mustRunTo(t, parseString(t, fakeExperiment, fakeSim(fakeRun)), ref, Options{Parallel: 2})
	want := readDir(t, ref)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := parseString(t, fakeExperiment, fakeSim(cancellingRun(13, cancel)))
	dir := t.TempDir()
	_, err := RunTo(ctx, e, dir, Options{Parallel: 3})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("RunTo after cancel: %v, want context.Canceled", err)
	}
	j, err := ReadJournal(dir)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, filepath.Join(dir, ResultsFile))
	if n := len(j.Runs); n < 13 || n >= 36 || len(rows)-1 != n {
		t.Fatalf("after cancel: %d runs journaled, %d rows in results.csv; want the same, at least 13 and fewer than 36", n, len(rows)-1)
	}
	full := readCSV(t, filepath.Join(ref, ResultsFile))
	for i, r := range j.Runs {
		if !slices.Equal(rows[i+1], full[r.Run+1]) {
			t.Errorf("partial row %d (run %d) differs from the full sweep's", i, r.Run)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, SummaryFile)); err == nil {
		t.Error("a cancelled sweep wrote summary.csv")
	}

	var ran atomic.Int64
	e2 := parseString(t, fakeExperiment, fakeSim(countingRun(&ran, fakeRun)))
	mustRunTo(t, e2, dir, Options{Parallel: 2, Resume: true})
	if got := int(ran.Load()); got != 36-len(j.Runs) {
		t.Errorf("resume ran %d runs, want the %d missing", got, 36-len(j.Runs))
	}
	got := readDir(t, dir)
	for name, data := range want {
		if name != JournalFile && !bytes.Equal(data, got[name]) {
			t.Errorf("%s after resume differs from an uninterrupted sweep's", name)
		}
	}
	j2, err := ReadJournal(dir)
	if err != nil || len(j2.Runs) != 36 {
		t.Errorf("journal after resume: %v runs, %v", len(j2.Runs), err)
	}
	// A journal of another experiment is refused.
	other := parseString(t, strings.Replace(fakeExperiment, "seed = 11", "seed = 12", 1), fakeSim(fakeRun))
	if _, err := RunTo(context.Background(), other, dir, Options{Resume: true}); !errors.Is(err, errJournalMismatch) {
		t.Errorf("resume with another experiment: %v", err)
	}
}

// Cancelling Run returns the rows finished so far.
func TestRunCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e := parseString(t, fakeExperiment, fakeSim(cancellingRun(5, cancel)))
	r, err := e.Run(ctx, Options{Parallel: 1})
	if !errors.Is(err, context.Canceled) || r == nil || len(r.Rows) != 5 || r.Summary != nil {
		t.Fatalf("Run: %v, %+v", err, r)
	}
	for i, row := range r.Rows {
		if row.Run != i {
			t.Errorf("row %d is run %d", i, row.Run)
		}
	}
}

// A run's error stops the sweep and names the run.
func TestRunError(t *testing.T) {
	e := parseString(t, fakeExperiment, fakeSim(func(sc *scenario.Scenario, rep uint64) (model.Metrics, error) {
		if sc.Pool.Threads == 8 && rep == 2 {
			return model.Metrics{}, errors.New("boom")
		}
		if rep == 3 {
			panic("kaboom")
		}
		return fakeRun(sc, rep)
	}))
	_, err := e.Run(context.Background(), Options{Parallel: 2})
	if err == nil || !strings.Contains(err.Error(), `exp.toml: run 15 (variant "8 threads", clients.visitors.rate=5, replication 2): boom`) {
		t.Errorf("error %v", err)
	}
	e.sim.run = func(*scenario.Scenario, model.Options) (model.Metrics, error) { panic("kaboom") }
	_, err = e.Run(context.Background(), Options{Parallel: 2})
	if err == nil || !strings.Contains(err.Error(), "run 0 (") || !strings.Contains(err.Error(), "panic: kaboom") {
		t.Errorf("error %v", err)
	}
}

// Shards split the runs into contiguous blocks; together they are the
// sweep.
func TestShards(t *testing.T) {
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	ref := t.TempDir()
	mustRunTo(t, e, ref, Options{})
	full := readCSV(t, filepath.Join(ref, ResultsFile))
	var joined [][]string
	var runs []int
	var dirs []string
	for i := range 4 {
		dir := t.TempDir()
		dirs = append(dirs, dir)
		r := mustRunTo(t, e, dir, Options{Shards: 4, ShardIndex: i, Parallel: 2})
		if r.Summary != nil {
			t.Error("a shard computed a summary")
		}
		if _, err := os.Stat(filepath.Join(dir, SummaryFile)); err == nil {
			t.Error("a shard wrote summary.csv")
		}
		rows := readCSV(t, filepath.Join(dir, ResultsFile))
		joined = append(joined, rows[1:]...)
		j, err := ReadJournal(dir)
		if err != nil {
			t.Fatal(err)
		}
		if j.Shards != 4 || j.ShardIndex != i || j.Fingerprint != e.Fingerprint() {
			t.Errorf("shard %d journal header %+v", i, j)
		}
		for _, r := range j.Runs {
			runs = append(runs, r.Run)
		}
	}
	if !slices.EqualFunc(joined, full[1:], slices.Equal) {
		t.Error("the shards' rows, concatenated, differ from the sweep's")
	}
	if len(runs) != 36 || !slices.IsSorted(runs) {
		t.Errorf("shard runs %v", runs)
	}
	if _, err := e.Run(context.Background(), Options{Shards: 2, ShardIndex: 2}); err == nil {
		t.Error("shard index 2 of 2 accepted")
	}

	// Merged, the shards are the sweep, byte for byte.
	merged := t.TempDir()
	if _, err := Merge(e, merged, dirs...); err != nil {
		t.Fatal(err)
	}
	want, got := readDir(t, ref), readDir(t, merged)
	for name, data := range want {
		if name != JournalFile && !bytes.Equal(data, got[name]) {
			t.Errorf("merged %s differs from the unsharded sweep's", name)
		}
	}
	if j, err := ReadJournal(merged); err != nil || len(j.Runs) != 36 || j.Shards != 1 {
		t.Errorf("merged journal: %v, %v", j, err)
	}
	// A missing shard, or a shard of another experiment, is refused.
	if _, err := Merge(e, t.TempDir(), dirs[0], dirs[1], dirs[3]); err == nil || !strings.Contains(err.Error(), "9 of 36 runs missing, the first run 18 (") {
		t.Errorf("merge without shard 2: %v", err)
	}
	other := parseString(t, strings.Replace(fakeExperiment, "seed = 11", "seed = 12", 1), fakeSim(fakeRun))
	if _, err := Merge(other, t.TempDir(), dirs...); !errors.Is(err, errJournalMismatch) {
		t.Errorf("merge into another experiment: %v", err)
	}
}

// Sequential precision adds replications until each point's relative
// half-width meets the target; the result does not depend on Parallel.
func TestPrecision(t *testing.T) {
	// rate_503 has sd about 0.05 around 0.1 + 0.001·threads + ...: a
	// relative half-width of 0.2 needs n with t·0.05/√n <= 0.2·0.105,
	// about 25 replications.
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	var outs []map[string][]byte
	for _, par := range []int{1, 3} {
		dir := t.TempDir()
		r := mustRunTo(t, e, dir, Options{Parallel: par, Precision: 0.2, Metric: "rate_503", MaxReplications: 60})
		for _, s := range r.Summary {
			st, _ := s.Stat("rate_503")
			if rel := st.CI / math.Abs(st.Mean); rel > 0.2 && s.N < 60 {
				t.Errorf("%v: n = %d, relative half-width %.3f", s.Point, s.N, rel)
			}
			if s.N <= e.Replications || s.N > 60 {
				t.Errorf("%v: n = %d, want more than %d, at most 60", s.Point, s.N, e.Replications)
			}
		}
		outs = append(outs, readDir(t, dir))
	}
	for name, data := range outs[0] {
		if name != JournalFile && !bytes.Equal(data, outs[1][name]) {
			t.Errorf("%s differs between Parallel 1 and 3", name)
		}
	}
	prec := string(outs[0][PrecisionFile])
	if !strings.HasPrefix(prec, "variant,clients.visitors.rate,n,metric,mean,ci,relative_ci,target,met\n") || !strings.Contains(prec, ",rate_503,") {
		t.Errorf("precision.csv:\n%s", prec)
	}
	// A target met at once adds nothing.
	r, err := e.Run(context.Background(), Options{Precision: 100, Metric: "rate_503"})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Summary {
		if s.N != e.Replications {
			t.Errorf("%v: n = %d with a target met at once", s.Point, s.N)
		}
	}
	// Bad options.
	for _, opt := range []Options{
		{Precision: 0.1, Metric: "nope"},
		{Precision: 0.1, Metric: "rate_503", Shards: 2},
		{Precision: 0.1, Metric: "rate_503", MaxReplications: 2},
		{Precision: -1},
		{Parallel: -1},
	} {
		if _, err := e.Run(context.Background(), opt); err == nil {
			t.Errorf("options %+v accepted", opt)
		}
	}
}

func TestJournal(t *testing.T) {
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	dir := t.TempDir()
	r, err := e.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	w, err := createJournal(filepath.Join(dir, JournalFile), Journal{Experiment: "fake", Fingerprint: e.Fingerprint(), Points: 6, Seed: 11, Metrics: model.MetricNames()}, false)
	if err != nil {
		t.Fatal(err)
	}
	rows := slices.Clone(r.Rows[:10])
	rows[3].Values = slices.Clone(rows[3].Values)
	rows[3].Values[0], rows[3].Values[1] = math.NaN(), math.Inf(-1)
	slices.Reverse(rows)
	if err := w.append(rows); err != nil {
		t.Fatal(err)
	}
	w.close()
	// A torn last line, as left by a crash while writing.
	f, _ := os.OpenFile(filepath.Join(dir, JournalFile), os.O_APPEND|os.O_WRONLY, 0)
	fmt.Fprint(f, `{"run":10,"point":4,"replic`)
	f.Close()
	j, err := ReadJournal(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(j.Runs) != 10 || j.Points != 6 || j.Seed != 11 || j.Fingerprint != e.Fingerprint() {
		t.Fatalf("journal: %d runs, header %+v", len(j.Runs), j)
	}
	for i, row := range j.Runs {
		want := r.Rows[i]
		if i == 3 { // set to NaN and -Inf above
			if !math.IsNaN(row.Values[0]) || !math.IsInf(row.Values[1], -1) {
				t.Errorf("NaN and -Inf read back as %v, %v", row.Values[0], row.Values[1])
			}
			continue
		}
		if row.Run != want.Run || row.Point != want.Point || row.Replication != want.Replication || !sameValues(row.Values, want.Values) {
			t.Errorf("run %d: %+v, want %+v", i, row, want)
		}
	}
	// Appending drops the torn line first.
	w, err = createJournal(filepath.Join(dir, JournalFile), Journal{}, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.append(r.Rows[10:11]); err != nil {
		t.Fatal(err)
	}
	w.close()
	if j, err := ReadJournal(dir); err != nil || len(j.Runs) != 11 {
		t.Errorf("after append: %v, %v", j, err)
	}
	// Damage in the middle is an error.
	os.WriteFile(filepath.Join(dir, JournalFile), []byte("{\"journal\":\"poolsim-journal/1\",\"points\":6,\"metrics\":[\"a\"]}\nnot json\n{}\n"), 0o644)
	if _, err := ReadJournal(dir); err == nil || !strings.Contains(err.Error(), "journal.jsonl:2:") {
		t.Errorf("damaged journal: %v", err)
	}
	os.WriteFile(filepath.Join(dir, JournalFile), []byte("hello\n"), 0o644)
	if _, err := ReadJournal(dir); err == nil || !strings.Contains(err.Error(), "not a poolsim journal") {
		t.Errorf("not a journal: %v", err)
	}
}

func TestResultsLookups(t *testing.T) {
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	r, err := e.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	st, ok := r.Stat("8 threads", "rate_503", 10)
	if !ok || st.N != 6 || st.CI <= 0 {
		t.Errorf("Stat = %+v, %v", st, ok)
	}
	vals := r.Values("8 threads", "rate_503", "10")
	var sum float64
	for _, v := range vals {
		sum += v
	}
	if len(vals) != 6 || !near(sum/6, st.Mean) {
		t.Errorf("Values = %v, mean %v; Stat mean %v", vals, sum/6, st.Mean)
	}
	d, ok := r.Diff("8 threads", "rate_503", 10)
	base, _ := r.Stat("4 threads", "rate_503", 10)
	if !ok || d.Baseline != "4 threads" || !near(d.Diff, st.Mean-base.Mean) {
		t.Errorf("Diff = %+v, %v; means %v - %v", d, ok, st.Mean, base.Mean)
	}
	if _, ok := r.Diff("4 threads", "rate_503", 10); ok {
		t.Error("the baseline has a difference from itself")
	}
	if _, ok := r.Stat("8 threads", "rate_504", 10); ok {
		t.Error("Stat found a metric that does not exist")
	}
	if _, ok := r.Stat("8 threads", "rate_503", 11); ok {
		t.Error("Stat found a sweep value that does not exist")
	}
	if got := r.Rows[0].Metric("warmup_s"); got != 60 {
		t.Errorf("warmup_s = %v, want the scenario's 60", got)
	}
}

func TestProgress(t *testing.T) {
	var buf bytes.Buffer
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	if _, err := e.Run(context.Background(), Options{Progress: &buf}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "sweep: 36/36 runs (100%)") || strings.Contains(out, "\r") || !strings.HasSuffix(out, "\n") {
		t.Errorf("progress on a pipe: %q", out)
	}
	if isTerminal(&buf) {
		t.Error("a buffer is a terminal")
	}
	// A live line redraws in place and ends with a newline.
	p := &progress{w: &buf, tty: true, start: time.Now()}
	buf.Reset()
	p.total.Store(10)
	p.done.Store(4)
	p.print(false)
	p.done.Store(10)
	p.print(true)
	if out := buf.String(); strings.Count(out, "\r") != 2 || !strings.HasSuffix(out, "\n") || !strings.Contains(out, "10/10 runs (100%)") {
		t.Errorf("live progress: %q", out)
	}
}

// warmup = "auto" estimates the warm-up per run (MSER-5); the summary
// reports its mean like any metric.
func TestWarmupAuto(t *testing.T) {
	e := parseString(t, `scenario = "small.toml"
replications = 3
[overrides]
warmup = "auto"
`, modelSimulator)
	r, err := e.Run(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range r.Rows {
		if w := row.Metric("warmup_s"); w < 0 || w > 600 {
			t.Errorf("run %d: warmup_s = %v, want within the first half of the 20 min horizon", row.Run, w)
		}
	}
	st, ok := r.Stat(BaseVariant, "warmup_s")
	if !ok || st.N != 3 {
		t.Errorf("warmup_s summary %+v, %v", st, ok)
	}
}
