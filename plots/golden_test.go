package plots

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/internal/golden"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
)

var (
	update = flag.Bool("update", false, "rewrite the golden SVG files in testdata")
	pngDir = flag.String("png", "", "also save each golden chart as PNG and SVG into this directory, to look at")
)

// mustTable reads a table from testdata.
func mustTable(t *testing.T, name string) *Table {
	t.Helper()
	tb, err := ReadTable(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// seriesRows reads testdata/series.csv: start_s, the outcome counts,
// workers_alive, stopped.
func seriesRows(t *testing.T) []model.SeriesRow {
	t.Helper()
	tb := mustTable(t, "series.csv")
	var rows []model.SeriesRow
	for r := range tb.Rows {
		v := func(col string) int64 {
			f, err := tb.Float(r, tb.Col(col))
			if err != nil {
				t.Fatal(err)
			}
			return int64(f)
		}
		rows = append(rows, model.SeriesRow{
			Start:         engine.Time(v("start_s")) * engine.Second,
			OK:            v("ok"),
			Stale:         v("stale"),
			Error:         v("error"),
			Rejected:      v("rejected"),
			Expired:       v("expired"),
			Abandoned:     v("abandoned"),
			ClientTimeout: v("client_timeout"),
			WorkersAlive:  int(v("workers_alive")),
			Stopped:       tb.Str(r, tb.Col("stopped")) == "true",
		})
	}
	return rows
}

// lifecycles reads testdata/lifecycles.csv: id, pid, exit_s (empty: alive),
// why, spans as phase:start-end;... in seconds (end "never").
func lifecycles(t *testing.T) []model.Lifecycle {
	t.Helper()
	tb := mustTable(t, "lifecycles.csv")
	secs := func(s string) engine.Time {
		if s == "" || s == "never" {
			return engine.Never
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return engine.FromSeconds(f)
	}
	phases := map[string]model.Phase{"starting": model.PhaseStarting, "serving": model.PhaseServing, "draining": model.PhaseDraining, "hung": model.PhaseHung}
	var ws []model.Lifecycle
	for r := range tb.Rows {
		id, _ := strconv.Atoi(tb.Str(r, tb.Col("id")))
		pid, _ := strconv.Atoi(tb.Str(r, tb.Col("pid")))
		w := model.Lifecycle{ID: id, PID: pid, Exit: secs(tb.Str(r, tb.Col("exit_s"))), Why: tb.Str(r, tb.Col("why"))}
		for _, s := range strings.Split(tb.Str(r, tb.Col("spans")), ";") {
			ph, se, _ := strings.Cut(s, ":")
			a, b, _ := strings.Cut(se, "-")
			w.Spans = append(w.Spans, model.Span{Phase: phases[ph], Start: secs(a), End: secs(b)})
		}
		ws = append(ws, w)
	}
	return ws
}

// memoryRows is the series of testdata/series.csv with the memory of a
// leaking worker: 200 MB at each start, growing until its exit.
func memoryRows(t *testing.T) []model.SeriesRow {
	rows := seriesRows(t)
	for i := range rows {
		rows[i].OldestMemoryMB = 200 + 90*float64(i%4)
	}
	return rows
}

// about is what the golden charts rest on, for their footnotes.
var about = About{Confidence: 0.95, Horizon: "12h", Warmup: "15m"}

// goldenCharts are the charts the golden files hold: one for each kind and
// for each convention (readable names, percentages, duration and size axes
// linear and logarithmic, clipped intervals, zero bars, identical lines, a
// footnote with n, confidence and horizon, the memory and events of a run).
func goldenCharts(t *testing.T) map[string]func() (*Figure, error) {
	summary := mustTable(t, "summary.csv")
	compare := mustTable(t, "compare.csv")
	recycle := mustTable(t, "recycle-time.csv")
	memory := mustTable(t, "private-memory.csv")
	zeros := mustTable(t, "zeros.csv")
	chart := func(tb *Table, c Chart) func() (*Figure, error) {
		return func() (*Figure, error) { return c.Plot(tb, compare, about) }
	}
	return map[string]func() (*Figure, error){
		"bars_grouped":   chart(summary, Chart{Y: "rate_503", Group: "clients.trendpage.count"}),
		"bars_ungrouped": chart(summary, Chart{Y: "ok"}),
		"bars_zero":      chart(zeros, Chart{Y: "rate_503"}),
		"lines":          chart(summary, Chart{X: "clients.trendpage.count", Y: "response_p99_s"}),
		"lines_raw_keys": chart(summary, Chart{X: "clients.trendpage.count", Y: "rate_503", RawKeys: true}),
		"lines_duration": chart(recycle, Chart{X: "pool.recycle.time", Y: "rate_503"}),
		"lines_log_time": chart(recycle, Chart{X: "pool.recycle.time", Y: "response_p99_s"}),
		"lines_size":     chart(memory, Chart{X: "pool.recycle.private_memory", Y: "crashes"}),
		"differences":    chart(summary, Chart{Y: "rate_503", Kind: "diff"}),
		"timeseries":     func() (*Figure, error) { return TimeSeries(seriesRows(t), 10*engine.Minute) },
		"timeline":       func() (*Figure, error) { return Timeline(lifecycles(t), 2*engine.Hour) },
		"memory": func() (*Figure, error) {
			return Memory(memoryRows(t), lifecycles(t), 10*engine.Minute, MemoryLimits{Crash: 600 << 20, Recycle: 500 << 20})
		},
	}
}

// TestGolden compares each chart's SVG with testdata/NAME.golden.svg
// (go test -run Golden -update rewrites them; -png DIR saves the charts to
// look at). SVG, not PNG: PNG bytes change with the CPU target.
func TestGolden(t *testing.T) {
	t.Parallel()
	for name, draw := range goldenCharts(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, err := draw()
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := SVG(&got, p, Width, Height); err != nil {
				t.Fatal(err)
			}
			if *pngDir != "" {
				if err := Save(p, *pngDir, name); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join("testdata", name+".golden.svg")
			if err := golden.Compare(path, got.Bytes(), *update); err != nil {
				out := filepath.Join(t.TempDir(), name+".svg")
				os.WriteFile(out, got.Bytes(), 0o644)
				t.Errorf("%v; got written to %s", err, out)
			}
		})
	}
}

// TestChartsDeterministic draws each chart twice: the SVG must not change.
func TestChartsDeterministic(t *testing.T) {
	t.Parallel()
	for name, draw := range goldenCharts(t) {
		var svg [2]bytes.Buffer
		for i := range svg {
			p, err := draw()
			if err != nil {
				t.Fatal(err)
			}
			if err := SVG(&svg[i], p, Width, Height); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(svg[0].Bytes(), svg[1].Bytes()) {
			t.Errorf("%s: two drawings differ (%s)", name, golden.FirstDiff(svg[0].Bytes(), svg[1].Bytes()))
		}
	}
}
