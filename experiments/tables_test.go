package experiments

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/model"
)

// WriteSummary and WriteCompare give the bytes of summary.csv and
// compare.csv.
func TestWriteTablesMatchFiles(t *testing.T) {
	src := strings.Replace(fakeExperiment, "seed = 11\n", "seed = 11\nbaseline = \"4 threads\"\n", 1)
	e := parseString(t, src, fakeSim(fakeRun))
	dir := t.TempDir()
	r, err := RunTo(context.Background(), e, dir, Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		file  string
		write func(w *bytes.Buffer) error
	}{
		{SummaryFile, func(w *bytes.Buffer) error { return r.WriteSummary(w) }},
		{CompareFile, func(w *bytes.Buffer) error { return r.WriteCompare(w) }},
	} {
		want, err := os.ReadFile(filepath.Join(dir, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := tc.write(&got); err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: written\n%s\nwant\n%s", tc.file, got.Bytes(), want)
		}
	}
}

func TestWriteTablesMissing(t *testing.T) {
	r := &Results{Experiment: parseString(t, fakeExperiment, fakeSim(fakeRun))}
	var b bytes.Buffer
	if err := r.WriteSummary(&b); err == nil {
		t.Error("WriteSummary without a summary: no error")
	}
	if err := r.WriteCompare(&b); err == nil {
		t.Error("WriteCompare without a baseline: no error")
	}
	if err := r.Table(&b, "rate_503"); err == nil {
		t.Error("Table without a summary: no error")
	}
}

func TestTable(t *testing.T) {
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	r, err := e.Run(context.Background(), Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := r.Table(&b, "rate_503", "arrivals"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 1+len(r.Summary) {
		t.Fatalf("%d lines, want %d:\n%s", len(lines), 1+len(r.Summary), b.String())
	}
	if f := strings.Fields(lines[0]); strings.Join(f, " ") != "variant clients.visitors.rate n rate_503 arrivals" {
		t.Errorf("header %q", lines[0])
	}
	st, _ := r.Stat("8 threads", "rate_503", 10)
	want := FormatStat("rate_503", st)
	if got := r.Format("8 threads", "rate_503", 10); got != want || !strings.Contains(b.String(), want) || !strings.HasSuffix(want, " %") {
		t.Errorf("Format = %q, want %q in the table:\n%s", got, want, b.String())
	}
	if err := r.Table(&b, "no_such_metric"); err == nil {
		t.Error("unknown metric: no error")
	}
	for _, bad := range []string{r.Format("8 threads", "no_such_metric", 10), r.Format("16 threads", "rate_503", 10)} {
		if !strings.HasPrefix(bad, "[") {
			t.Errorf("Format of a missing point or metric: %q", bad)
		}
	}
}

func TestFormatStat(t *testing.T) {
	for _, tc := range []struct {
		metric string
		s      Stat
		want   string
	}{
		{"rate_503", Stat{Mean: 0.012345, CI: 0.0021}, "1.234 % ± 0.210 %"},
		{"availability", Stat{Mean: 0.5, CI: 0.01}, "50.000 % ± 1.000 %"},
		{"crashes", Stat{Mean: 3.21, CI: 0.414}, "3.21 ± 0.41"},
		{"abandoned", Stat{Mean: 1234.4, CI: 56.6}, "1234 ± 57"},
	} {
		if got := FormatStat(tc.metric, tc.s); got != tc.want {
			t.Errorf("FormatStat(%s, %+v) = %q, want %q", tc.metric, tc.s, got, tc.want)
		}
	}
}

// RunOne reruns a grid point's replication with the sweep's scenario and
// random streams: its metrics are the sweep's row.
func TestRunOne(t *testing.T) {
	e := parseString(t, strings.Replace(fakeExperiment, "replications = 6", "replications = 2", 1), modelSimulator)
	r, err := e.Run(context.Background(), Options{Parallel: 2})
	if err != nil {
		t.Fatal(err)
	}
	p, ok := e.Point("8 threads", 20)
	if !ok {
		t.Fatal("no point")
	}
	sc, err := e.ScenarioAt(p)
	if err != nil || sc.Pool.Threads != 8 || sc.Seed != e.Seed {
		t.Fatalf("ScenarioAt: %v, %+v", err, sc)
	}
	one, err := e.RunOne(p, model.Options{Replication: 1})
	if err != nil {
		t.Fatal(err)
	}
	row := r.Rows[1*len(e.Points())+p.Index]
	if got, want := one.Metrics.Values(), row.Values; !equalFloats(got, want) {
		t.Errorf("RunOne metrics %v, sweep row %v", got, want)
	}
	for _, bad := range []Point{{}, {Index: p.Index, Variant: "4 threads", Sweep: p.Sweep}, {Index: 99, Variant: p.Variant, Sweep: p.Sweep}} {
		if _, err := e.RunOne(bad, model.Options{}); err == nil {
			t.Errorf("RunOne(%+v): no error", bad)
		}
	}
}

func equalFloats(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(a[i] != a[i] && b[i] != b[i]) {
			return false
		}
	}
	return true
}
