package plots

import (
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// An interval is clipped at the metric's natural bounds: no whisker below
// 0 % (zeros.csv: 0.09 % ± 0.26 %).
func TestIntervalsClippedAtZero(t *testing.T) {
	t.Parallel()
	_, set, err := buildBars(mustTable(t, "zeros.csv"), "rate_503", "variant", "", false)
	if err != nil {
		t.Fatal(err)
	}
	clipped := false
	for _, b := range set.eb.bars {
		if b.lo < 0 || b.hi > 100 {
			t.Errorf("error bar %+v leaves [0 %%, 100 %%]", b)
		}
		if b.lo == 0 && b.y > 0 {
			clipped = true
		}
	}
	if !clipped {
		t.Error("the interval 0.09 % ± 0.26 % was not clipped at 0")
	}
}

// A bar of height zero is marked, with its value, where it stands.
func TestZeroBarsMarked(t *testing.T) {
	t.Parallel()
	_, set, err := buildBars(mustTable(t, "zeros.csv"), "crashes", "variant", "", false)
	if err != nil {
		t.Fatal(err)
	}
	z := set.zeros
	if z == nil || len(z.at) != 1 || z.at[0] != 1 {
		t.Fatalf("zero marks %+v, want one at x = 1 (requests 20000)", z)
	}
	if zeroLabel("rate_503") != "0 %" || zeroLabel("crashes") != "0" {
		t.Error("zero labels")
	}
}

// Lines with the same values are told apart: the later one says which it
// is identical to, and no two lines share a marker.
func TestIdenticalLinesTold(t *testing.T) {
	t.Parallel()
	f, err := Lines(mustTable(t, "recycle-time.csv"), "pool.recycle.time", "rate_503")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, e := range f.legend.entries {
		labels = append(labels, e.label)
	}
	want := []string{"overlapped", "no recycle (identical to overlapped)", "non-overlapped"}
	if strings.Join(labels, "|") != strings.Join(want, "|") {
		t.Errorf("legend %q, want %q", labels, want)
	}
}

// A duration axis over 30m, 2h and 29h (more than a decade) is
// logarithmic; a p99 spanning 0.12 s to 4.9 s likewise, with duration
// ticks; the 503 rate, in per cent, is linear from 0.
func TestLogAxes(t *testing.T) {
	t.Parallel()
	tb := mustTable(t, "recycle-time.csv")
	for _, tc := range []struct {
		metric     string
		logX, logY bool
	}{
		{"rate_503", true, false},
		{"response_p99_s", true, true},
	} {
		f, err := Lines(tb, "pool.recycle.time", tc.metric)
		if err != nil {
			t.Fatal(err)
		}
		_, lx := f.X.Scale.(plot.LogScale)
		_, ly := f.Y.Scale.(plot.LogScale)
		if lx != tc.logX || ly != tc.logY {
			t.Errorf("%s: log x %v, log y %v; want %v, %v", tc.metric, lx, ly, tc.logX, tc.logY)
		}
	}
	f, err := Lines(mustTable(t, "summary.csv"), "clients.trendpage.count", "rate_503")
	if err != nil {
		t.Fatal(err)
	}
	if _, log := f.X.Scale.(plot.LogScale); log {
		t.Error("clients 20 to 80 (less than a decade) drawn on a log axis")
	}
}

// Every chart of a sweep states n, the confidence level and the horizon.
func TestFootnote(t *testing.T) {
	t.Parallel()
	summary, compare := mustTable(t, "summary.csv"), mustTable(t, "compare.csv")
	for _, c := range []Chart{{Y: "rate_503"}, {X: "clients.trendpage.count", Y: "ok"}, {Y: "rate_503", Kind: "diff"}} {
		f, err := c.Plot(summary, compare, About{Confidence: 0.9, Horizon: "24h", Warmup: "15m"})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"n = 10 ", "90 % confidence", "horizon 24h, warm-up 15m"} {
			if !strings.Contains(f.Note, want) {
				t.Errorf("%+v: footnote %q lacks %q", c, f.Note, want)
			}
		}
	}
	f := &Figure{nMin: 3, nMax: 40}
	f.Describe(About{})
	if f.Note != "n = 3 to 40 replications per point · confidence level not recorded" {
		t.Errorf("footnote %q", f.Note)
	}
}

// The one variant of a sweep names no line when a sweep key splits them:
// the lines are the recycle ages, under that heading.
func TestOneVariantNamesNoLine(t *testing.T) {
	t.Parallel()
	tb, err := ParseTable(strings.NewReader(`variant,pool.recycle.time,pool.shutdown_time_limit,n,rate_abandoned_mean,rate_abandoned_ci
base,30m,90s,8,0.05,0.001
base,30m,3m,8,0.03,0.001
base,1h,90s,8,0.02,0.001
base,1h,3m,8,0.01,0.001
`))
	if err != nil {
		t.Fatal(err)
	}
	f, err := Lines(tb, "pool.shutdown_time_limit", "rate_abandoned")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, e := range f.legend.entries {
		labels = append(labels, e.label)
	}
	if f.legend.heading != "recycle age" || strings.Join(labels, "|") != "30m|1h" {
		t.Errorf("legend %q: %q, want \"recycle age\": 30m, 1h", f.legend.heading, labels)
	}
}
