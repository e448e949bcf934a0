package plots

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/plot"

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

// goldenCharts are the charts the golden files hold.
func goldenCharts(t *testing.T) map[string]func() (*plot.Plot, error) {
	summary := mustTable(t, "summary.csv")
	compare := mustTable(t, "compare.csv")
	return map[string]func() (*plot.Plot, error){
		"bars_grouped":   func() (*plot.Plot, error) { return Bars(summary, "rate_503", "clients.trendpage.count") },
		"bars_ungrouped": func() (*plot.Plot, error) { return Bars(summary, "ok", "") },
		"lines":          func() (*plot.Plot, error) { return Lines(summary, "clients.trendpage.count", "response_p99_s") },
		"differences":    func() (*plot.Plot, error) { return Differences(compare, "rate_503") },
		"timeseries":     func() (*plot.Plot, error) { return TimeSeries(seriesRows(t), 10*engine.Minute) },
		"timeline":       func() (*plot.Plot, error) { return Timeline(lifecycles(t), 2*engine.Hour) },
	}
}

// TestGolden compares each chart's SVG with testdata/NAME.golden.svg
// (go test -run Golden -update rewrites them; -png DIR saves the charts to
// look at). SVG, not PNG: PNG bytes change with the CPU target.
func TestGolden(t *testing.T) {
	for name, draw := range goldenCharts(t) {
		t.Run(name, func(t *testing.T) {
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
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				out := filepath.Join(t.TempDir(), name+".svg")
				os.WriteFile(out, got.Bytes(), 0o644)
				t.Errorf("%s differs from %s (%s); got written to %s", name, path, firstDiff(got.String(), string(want)), out)
			}
		})
	}
}

// TestChartsDeterministic draws each chart twice: the SVG must not change.
func TestChartsDeterministic(t *testing.T) {
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
			t.Errorf("%s: two drawings differ (%s)", name, firstDiff(svg[0].String(), svg[1].String()))
		}
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d: %.120q vs %.120q", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines vs %d", len(al), len(bl))
}
