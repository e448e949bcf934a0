package plots

import (
	"errors"
	"io"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/plotter"
)

func TestFromCSV(t *testing.T) {
	t.Parallel()
	tab, err := FromCSV(func(w io.Writer) error {
		_, err := io.WriteString(w, "variant,n,rate_503_mean,rate_503_ci\na,3,0.1,0.01\nb,3,0.2,0.02\n")
		return err
	})
	if err != nil || len(tab.Rows) != 2 || tab.Kind() != "summary" {
		t.Fatalf("FromCSV: %v, %+v", err, tab)
	}
	if _, err := FromCSV(func(io.Writer) error { return errors.New("no summary") }); err == nil || !strings.Contains(err.Error(), "no summary") {
		t.Errorf("FromCSV of a failing writer: %v", err)
	}
}

func TestWhere(t *testing.T) {
	t.Parallel()
	tab := mustRead(t, "testdata/summary.csv")
	for _, tc := range []struct{ column, value string }{
		{"variant", "no recycle"},
		{"clients.trendpage.count", "20"},
		{"variant", "no such variant"},
		{"no such column", "x"},
	} {
		want := 0
		c := tab.Col(tc.column)
		for _, r := range tab.Rows {
			if c >= 0 && r[c] == tc.value {
				want++
			}
		}
		got := tab.Where(tc.column, tc.value)
		if len(got.Rows) != want || !slices.Equal(got.Columns, tab.Columns) {
			t.Errorf("Where(%q, %q): %d rows, want %d", tc.column, tc.value, len(got.Rows), want)
		}
		for _, r := range got.Rows {
			if r[c] != tc.value {
				t.Errorf("Where(%q, %q) kept %v", tc.column, tc.value, r)
			}
		}
	}
	if n := len(tab.Where("variant", "no recycle").Rows); n == 0 {
		t.Error("Where found no rows of variant \"no recycle\"")
	}
}

// Reference adds its entry to the chart's side legend, or gives the chart
// one.
func TestReference(t *testing.T) {
	t.Parallel()
	summary := mustRead(t, "testdata/summary.csv")
	p, err := Lines(summary, "clients.trendpage.count", "rate_503")
	if err != nil {
		t.Fatal(err)
	}
	l := legendOf(p)
	if l == nil {
		t.Fatal("Lines: no side legend remembered")
	}
	before := len(l.entries)
	xs := []float64{20, 40, 80}
	if err := Reference(p, "Erlang B", xs, []float64{0.01, math.NaN(), 0.05}); err != nil {
		t.Fatal(err)
	}
	if err := Reference(p, "", xs, []float64{0.02, 0.03, 0.06}); err != nil {
		t.Fatal(err)
	}
	if len(l.entries) != before+1 || l.entries[before].label != "Erlang B" {
		t.Fatalf("legend entries %+v, want one more, \"Erlang B\"", l.entries)
	}
	// The chart draws the 503 rate in per cent: a formula's fraction 0.01
	// is drawn at 1 (%), and the NaN left out.
	if line, ok := l.entries[before].thumbs[0].(*plotter.Line); !ok || len(line.XYs) != 2 || line.XYs[0].Y != 1 || line.XYs[1].Y != 5 {
		t.Errorf("reference drawn through %+v, want (20, 1) and (80, 5)", l.entries[before].thumbs[0])
	}
	if _, err := PNG(p, Width, Height); err != nil {
		t.Errorf("PNG: %v", err)
	}

	bare := newFigure("t", "x", "y")
	if err := Reference(bare, "theory", xs, []float64{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if l := legendOf(bare); l == nil || len(l.entries) != 1 {
		t.Errorf("a chart without a legend: legend %+v", l)
	}

	for _, tc := range []struct {
		name   string
		xs, ys []float64
	}{
		{"lengths differ", xs, []float64{1}},
		{"nothing finite", xs, []float64{math.NaN(), math.Inf(1), math.Inf(-1)}},
		{"empty", nil, nil},
	} {
		if err := Reference(newFigure("t", "x", "y"), "theory", tc.xs, tc.ys); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func mustRead(t *testing.T, path string) *Table {
	t.Helper()
	tab, err := ReadTable(path)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}
