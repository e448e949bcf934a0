package plots

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/model"
)

func TestChartErrors(t *testing.T) {
	summary := mustTable(t, "summary.csv")
	compare := mustTable(t, "compare.csv")
	headerOnly, err := ParseTable(strings.NewReader("variant,n,rate_503_mean,rate_503_ci\n"))
	if err != nil {
		t.Fatal(err)
	}
	noCI, err := ParseTable(strings.NewReader("variant,n,rate_503_mean\na,3,0.1\n"))
	if err != nil {
		t.Fatal(err)
	}
	dup, err := ParseTable(strings.NewReader("variant,n,rate_503_mean,rate_503_ci\na,3,0.1,0.01\na,3,0.2,0.01\n"))
	if err != nil {
		t.Fatal(err)
	}
	words, err := ParseTable(strings.NewReader("variant,mode,n,rate_503_mean,rate_503_ci\na,fast,3,0.1,0.01\na,slow,3,0.2,0.01\n"))
	if err != nil {
		t.Fatal(err)
	}
	onlyBaseline, err := ParseTable(strings.NewReader("variant,baseline,n,rate_503_diff,rate_503_diff_ci\na,a,3,0,0\n"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		draw func() (*Figure, error)
		want []string // every one must be in the error
	}{
		{"missing metric names column, file and metrics", func() (*Figure, error) { return Bars(summary, "rate_50", "") },
			[]string{`"rate_50_mean"`, "summary.csv", "its metrics are: ok, rate_503, rate_abandoned, response_p99_s"}},
		{"missing ci column", func() (*Figure, error) { return Bars(noCI, "rate_503", "") },
			[]string{`"rate_503_ci"`}},
		{"missing metric in compare", func() (*Figure, error) { return Differences(compare, "crashes") },
			[]string{`"crashes_diff"`, "compare.csv", "rate_abandoned"}},
		{"empty metric", func() (*Figure, error) { return Bars(summary, "", "") }, []string{"no metric"}},
		{"no rows", func() (*Figure, error) { return Bars(headerOnly, "rate_503", "") }, []string{"has no rows"}},
		{"nil table", func() (*Figure, error) { return Bars(nil, "rate_503", "") }, []string{"no summary table"}},
		{"compare given to Bars", func() (*Figure, error) { return Bars(compare, "rate_503", "") },
			[]string{"compare.csv is not a summary table"}},
		{"summary given to Differences", func() (*Figure, error) { return Differences(summary, "rate_503") },
			[]string{"is not a compare table"}},
		{"unknown group", func() (*Figure, error) { return Bars(summary, "rate_503", "clients.count") },
			[]string{`no sweep key "clients.count"`, "clients.trendpage.count"}},
		{"group is x", func() (*Figure, error) { return bars(summary, "rate_503", "variant", "variant", false) },
			[]string{"already its x axis"}},
		{"duplicate grid point", func() (*Figure, error) { return Bars(dup, "rate_503", "") },
			[]string{"rows 2 and 3 are the same point"}},
		{"lines need a sweep key", func() (*Figure, error) { return Lines(summary, "variant", "rate_503") },
			[]string{"numeric sweep key"}},
		{"lines need numbers", func() (*Figure, error) { return Lines(words, "mode", "rate_503") },
			[]string{`"fast", which is not a number`}},
		{"baseline only", func() (*Figure, error) { return Differences(onlyBaseline, "rate_503") },
			[]string{"no variant with a baseline"}},
		{"empty series", func() (*Figure, error) { return TimeSeries(nil, engine.Minute) }, []string{"no rows"}},
		{"series interval unknown", func() (*Figure, error) { return TimeSeries([]model.SeriesRow{{}}, 0) },
			[]string{"interval not given"}},
		{"series out of order", func() (*Figure, error) {
			return TimeSeries([]model.SeriesRow{{Start: engine.Minute}, {Start: 0}}, engine.Minute)
		}, []string{"row 2 starts at 0s, before row 1"}},
		{"empty timeline", func() (*Figure, error) { return Timeline(nil, engine.Hour) }, []string{"no workers"}},
		{"timeline without times", func() (*Figure, error) {
			return Timeline([]model.Lifecycle{{ID: 1, Exit: engine.Never}}, 0)
		}, []string{"no horizon"}},
		{"unknown chart kind", func() (*Figure, error) { return Chart{Y: "rate_503", Kind: "pie"}.Plot(summary, nil, About{}) },
			[]string{`unknown kind "pie"`}},
		{"diff without compare", func() (*Figure, error) { return Chart{Y: "rate_503", Kind: "diff"}.Plot(summary, nil, About{}) },
			[]string{"needs compare.csv"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.draw()
			if err == nil {
				t.Fatalf("no error (plot %v)", p != nil)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

// TestBarsLayout checks that every row of the summary becomes one bar with
// its error bar at the same x (in data units) and the right height.
func TestBarsLayout(t *testing.T) {
	summary := mustTable(t, "summary.csv")
	for _, group := range []string{"clients.trendpage.count", ""} {
		p, set, err := buildBars(summary, "rate_503", "variant", group, false)
		series, eb := set.series, set.eb
		if err != nil {
			t.Fatal(err)
		}
		var boxes []box
		for _, s := range series {
			boxes = append(boxes, s.boxes...)
		}
		ebs := eb.bars
		if len(boxes) != len(summary.Rows) || len(ebs) != len(summary.Rows) {
			t.Fatalf("group %q: %d bars and %d error bars for %d rows", group, len(boxes), len(ebs), len(summary.Rows))
		}
		for i, b := range boxes {
			// Find the error bar of this bar.
			j := slices.IndexFunc(ebs, func(e errBar) bool { return e.x == (b.x0+b.x1)/2 })
			if j < 0 {
				t.Errorf("bar %d [%g, %g]: no error bar at its centre", i, b.x0, b.x1)
				continue
			}
			if ebs[j].y != b.y1 || !(ebs[j].lo < b.y1 && b.y1 < ebs[j].hi) {
				t.Errorf("bar %d of height %g: error bar %+v", i, b.y1, ebs[j])
			}
		}
		if p.Y.Min != 0 {
			t.Errorf("y axis starts at %g, want 0", p.Y.Min)
		}
	}
}

func TestDraw(t *testing.T) {
	if testing.Short() {
		t.Skip("renders ten PNG files: slow under the race detector (ExampleDraw draws the same in -short)")
	}
	dir := t.TempDir()
	for _, f := range []string{"summary.csv", "compare.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, err := Draw(dir, []Chart{
		{Title: "p99 against clients", X: "clients.trendpage.count", Y: "response_p99_s"},
		{Title: "Typo", Y: "rate_5O3"},
		{Title: "503 rate by variant", Y: "rate_503", Kind: "bars"}, // same title as a default
	}, About{})
	if err == nil || !strings.Contains(err.Error(), `"rate_5O3_mean"`) {
		t.Errorf("err = %v, want the bad chart's missing column", err)
	}
	var names []string
	for _, f := range files {
		if filepath.Dir(f) != filepath.Join(dir, "charts") {
			t.Errorf("%s is not in %s/charts", f, dir)
		}
		names = append(names, filepath.Base(f))
	}
	want := []string{
		"503-rate-by-variant.png", "503-rate-by-variant.svg",
		"abandoned-rate-by-variant.png", "abandoned-rate-by-variant.svg",
		"503-rate-difference-from-no-recycle.png", "503-rate-difference-from-no-recycle.svg",
		"p99-against-clients.png", "p99-against-clients.svg",
		"503-rate-by-variant-2.png", "503-rate-by-variant-2.svg",
	}
	if !slices.Equal(names, want) {
		t.Errorf("files\n%q\nwant\n%q", names, want)
	}
	entries, err := os.ReadDir(filepath.Join(dir, "charts"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		t.Errorf("charts holds %d files, want %d (temporary files left?)", len(entries), len(want))
	}
	b, err := os.ReadFile(filepath.Join(dir, "charts", "503-rate-by-variant.png"))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if sz := img.Bounds().Size(); sz.X != 1280 || sz.Y != 720 {
		t.Errorf("PNG is %v pixels, want 1280×720", sz)
	}

	// Without compare.csv: no difference chart; without summary.csv: an error.
	os.Remove(filepath.Join(dir, "compare.csv"))
	files, err = Draw(dir, nil, About{})
	if err != nil || len(files) != 4 {
		t.Errorf("without compare.csv: %d files, %v", len(files), err)
	}
	if _, err := Draw(t.TempDir(), nil, About{}); err == nil || !strings.Contains(err.Error(), "summary.csv") {
		t.Errorf("empty directory: err = %v", err)
	}
}

func TestSave(t *testing.T) {
	p, err := Bars(mustTable(t, "summary.csv"), "rate_503", "")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "new", "dir")
	if err := Save(p, dir, "chart"); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"chart.png", "chart.svg"}) {
		t.Errorf("Save wrote %q", names)
	}
	svg, _ := os.ReadFile(filepath.Join(dir, "chart.svg"))
	if !bytes.Contains(svg, []byte("Liberation Sans")) || bytes.Contains(svg, []byte("Liberation Serif")) {
		t.Error("SVG text is not all in Liberation Sans")
	}
	for _, bad := range []string{"", "a/b", ".."} {
		if err := Save(p, dir, bad); err == nil {
			t.Errorf("Save(%q): no error", bad)
		}
	}
	if err := Save(nil, dir, "x"); err == nil {
		t.Error("Save(nil): no error")
	}
	if _, err := PNG(p, 0, Height); err == nil {
		t.Error("PNG of zero width: no error")
	}
}

func TestPNG(t *testing.T) {
	p, err := Timeline(lifecycles(t), 0)
	if err != nil {
		t.Fatal(err)
	}
	b, err := PNG(p, 4*vg.Inch, 3*vg.Inch)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if sz := img.Bounds().Size(); sz.X != 4*DPI || sz.Y != 3*DPI {
		t.Errorf("PNG is %v pixels, want %d×%d", sz, 4*DPI, 3*DPI)
	}
}

func TestChartKinds(t *testing.T) {
	summary := mustTable(t, "summary.csv")
	compare := mustTable(t, "compare.csv")
	// Every kind an experiment file may name is one the package draws.
	for _, k := range experiments.ChartKinds() {
		c := Chart{Y: "rate_503", Kind: k}
		if k == "lines" || k == "line" {
			c.X = "clients.trendpage.count"
		}
		if _, err := c.Plot(summary, compare, About{}); err != nil {
			t.Errorf("kind %q of an experiment file: %v", k, err)
		}
	}
	for _, c := range []Chart{
		{Y: "rate_503"},
		{Y: "rate_503", Kind: "bar", Group: "clients.trendpage.count"},
		{X: "clients.trendpage.count", Y: "rate_503", Kind: "bars"}, // sweep values along x, a bar per variant
		{X: "clients.trendpage.count", Y: "rate_503"},               // lines
		{X: "clients.trendpage.count", Y: "rate_503", Kind: "line"},
		{Y: "rate_503", Kind: "diff", Title: "Paired"},
	} {
		p, err := c.Plot(summary, compare, About{})
		if err != nil {
			t.Errorf("%+v: %v", c, err)
			continue
		}
		if c.Title != "" && p.Title.Text != c.Title {
			t.Errorf("%+v: title %q", c, p.Title.Text)
		}
	}
}

func TestAllZero(t *testing.T) {
	tb, err := ParseTable(strings.NewReader("variant,n,rate_503_mean,rate_503_ci\na,5,0,0\nb,5,0,NaN\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Bars(tb, "rate_503", "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Y.Min != 0 || p.Y.Max != 1 {
		t.Errorf("y axis [%g, %g], want [0, 1]", p.Y.Min, p.Y.Max)
	}
}
