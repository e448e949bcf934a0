package plots

import (
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
)

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"503 rate by variant":                  "503-rate-by-variant",
		"503 rate: difference from no recycle": "503-rate-difference-from-no-recycle",
		"  P99 (s) — against clients.count!  ": "p99-s-against-clients-count",
		"":                                     "chart",
		"///":                                  "chart",
		strings.Repeat("long title ", 20) + "end": "long-title-long-title-long-title-long-title-long-title-long-title-long-title",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func labels(ticks []plot.Tick) []string {
	var out []string
	for _, t := range ticks {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return out
}

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   []string
	}{
		{0, 0.043, []string{"0", "0.01", "0.02", "0.03", "0.04"}},
		{0, 0.0105, []string{"0", "0.002", "0.004", "0.006", "0.008", "0.010"}},
		{0, 0.014, []string{"0", "0.0025", "0.0050", "0.0075", "0.0100", "0.0125"}},
		{0, 1, []string{"0", "0.2", "0.4", "0.6", "0.8", "1.0"}},
		{0, 2.6, []string{"0", "0.5", "1.0", "1.5", "2.0", "2.5"}},
		{0, 1060, []string{"0", "200", "400", "600", "800", "1000"}},
		{0, 420000, []string{"0", "100k", "200k", "300k", "400k"}},
		{-0.04, 0.002, []string{"-0.04", "-0.03", "-0.02", "-0.01", "0"}},
		{0, 0, nil},
	} {
		if got := labels(niceTicks{}.Ticks(tc.lo, tc.hi)); !slices.Equal(got, tc.want) {
			t.Errorf("ticks of [%g, %g] = %q, want %q", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestTimeTicks(t *testing.T) {
	for _, tc := range []struct {
		scale, hi float64
		want      []string
	}{
		{3600, 12, []string{"0", "2", "4", "6", "8", "10", "12"}},
		{3600, 29, []string{"0", "4", "8", "12", "16", "20", "24", "28"}},
		{3600, 3, []string{"0", "0.5", "1", "1.5", "2", "2.5", "3"}},
		{60, 120, []string{"0", "15", "30", "45", "60", "75", "90", "105", "120"}},
		{1, 90, []string{"0", "15", "30", "45", "60", "75", "90"}},
	} {
		if got := labels(timeTicks(tc.scale).Ticks(0, tc.hi)); !slices.Equal(got, tc.want) {
			t.Errorf("time ticks of [0, %g] at scale %g = %q, want %q", tc.hi, tc.scale, got, tc.want)
		}
	}
}

func TestMerge(t *testing.T) {
	rows := make([]model.SeriesRow, 3*MaxBins+7)
	var ok, rejected int64
	for i := range rows {
		rows[i] = model.SeriesRow{Start: engine.Time(i) * 5 * engine.Second, OK: int64(i % 13), Rejected: int64(i % 3), WorkersAlive: i % 4, Stopped: i == 100}
		ok += rows[i].OK
		rejected += rows[i].Rejected
	}
	got, interval := merge(rows, 5*engine.Second)
	if interval != 30*engine.Second { // 4 rows would be 20s: rounded up to 30s
		t.Errorf("merged interval %v, want 30s", interval)
	}
	if len(got) > MaxBins {
		t.Errorf("%d rows after merging, want at most %d", len(got), MaxBins)
	}
	var gotOK, gotRejected int64
	stopped := 0
	for i, r := range got {
		gotOK += r.OK
		gotRejected += r.Rejected
		if r.Stopped {
			stopped++
		}
		if r.Start != engine.Time(i)*interval {
			t.Errorf("row %d starts at %v", i, r.Start)
		}
	}
	if gotOK != ok || gotRejected != rejected || stopped != 1 {
		t.Errorf("merged ok %d rejected %d stopped %d, want %d %d 1", gotOK, gotRejected, stopped, ok, rejected)
	}
	if short, iv := merge(rows[:10], engine.Second); len(short) != 10 || iv != engine.Second {
		t.Error("a short series was merged")
	}
}

func TestArrangeSeveralKeys(t *testing.T) {
	tb, err := ParseTable(strings.NewReader(`variant,a,b,n,m_mean,m_ci
x,1,fast,3,1,0.1
x,2,fast,3,2,0.1
x,1,slow,3,3,0.1
y,1,fast,3,4,0.1
`))
	if err != nil {
		t.Fatal(err)
	}
	pts, dims, err := tb.points("m", "_mean", "_ci")
	if err != nil {
		t.Fatal(err)
	}
	a, err := arrange(tb, pts, dims, 0, 1, false) // x: variant; series: a first, then b
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"x", "y"}; !slices.Equal(a.cats, want) {
		t.Errorf("categories %q, want %q", a.cats, want)
	}
	if want := []string{"a=1, b=fast", "a=1, b=slow", "a=2, b=fast"}; !slices.Equal(a.series, want) {
		t.Errorf("series %q, want %q", a.series, want)
	}
	if a.heading != "" || a.ordered {
		t.Errorf("heading %q ordered %v", a.heading, a.ordered)
	}
	if _, err := Bars(tb, "m", "a"); err != nil {
		t.Errorf("bars with two sweep keys: %v", err)
	}
	if _, err := Lines(tb, "a", "m"); err != nil {
		t.Errorf("lines with two sweep keys: %v", err)
	}
}
