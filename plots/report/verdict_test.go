package report

import (
	"strings"
	"testing"

	"github.com/poolsim/poolsim/plots"
)

func table(t *testing.T, csv string) *plots.Table {
	t.Helper()
	tb, err := plots.ParseTable(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	tb.Name = "compare.csv"
	return tb
}

// The verdict on constructed comparisons: an interval clear of zero below
// the baseline is significantly better for a metric where less is better,
// above it worse; an interval across zero is no difference; a difference
// of zero with a zero interval is identical; a single replication resolves
// nothing.
func TestVerdict(t *testing.T) {
	compare := table(t, `variant,baseline,n,rate_abandoned_diff,rate_abandoned_diff_ci,rate_ok_diff,rate_ok_diff_ci,recycles_diff,recycles_diff_ci
base,base,10,0,0,0,0,0,0
time 60m,base,10,-0.0041,0.0005,0.0040,0.0006,12,2
non-overlapped,base,10,0.0120,0.0030,-0.0110,0.0031,12,2
schedule,base,10,0.0002,0.0004,-0.0001,0.0003,1,0
no recycle,base,10,0,0,0,0,0,0
alone,base,1,-0.5,NaN,0.5,NaN,3,NaN
`)
	for _, tc := range []struct {
		metric   string
		sentence string
		headline string
	}{
		{"rate_abandoned",
			"Abandoned rate: significantly lower (better) than `base` for `time 60m` (by 0.41 ± 0.05 percentage points); significantly higher (worse) for `non-overlapped` (by 1.2 ± 0.3 percentage points). The other 3 do not differ significantly (1 identical to the baseline in every replication).",
			"On the abandoned rate, `time 60m` does best: 0.41 percentage points lower (± 0.05) than the baseline `base`."},
		{"rate_ok", // more is better
			"OK rate: significantly lower (worse) than `base` for `non-overlapped` (by 1.1 ± 0.3 percentage points); significantly higher (better) for `time 60m` (by 0.40 ± 0.06 percentage points). The other 3 do not differ significantly (1 identical to the baseline in every replication).",
			"On the OK rate, `time 60m` does best: 0.40 percentage points higher (± 0.06) than the baseline `base`."},
		{"recycles", // neither way is better
			"Recycles: significantly higher than `base` for `time 60m` and `non-overlapped` (by 12.0 ± 2.0 each), `schedule` (by 1, in every replication). The other 2 do not differ significantly (1 identical to the baseline in every replication).",
			"On the recycles, 3 variants differ significantly from the baseline `base`."},
	} {
		f, err := Compare(compare, tc.metric)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Sentence(); got != tc.sentence {
			t.Errorf("%s:\n got %s\nwant %s", tc.metric, got, tc.sentence)
		}
		if got := Headline([]Finding{f}); got != tc.headline {
			t.Errorf("%s headline:\n got %s\nwant %s", tc.metric, got, tc.headline)
		}
	}
}

// TestVerdictTiesAndOne checks the wording rules of the verdict
// (docs/model.md, "Outputs"): variants with the very same paired
// difference, the best among them, are named together as tied (both remove
// every 503 of the baseline in every replication), and a single other
// variant is "the other one", in the singular.
func TestVerdictTiesAndOne(t *testing.T) {
	for _, tc := range []struct {
		csv, sentenceEnd, headline string
	}{
		{`variant,baseline,n,rate_503_diff,rate_503_diff_ci
crash on timeout,crash on timeout,5,0,0
500 on timeout,crash on timeout,5,-0.87,0.16
timeout 60s,crash on timeout,5,-0.87,0.16
same,crash on timeout,5,0,0
`, "The other one does not differ significantly (identical to the baseline in every replication).",
			"On the 503 rate, `500 on timeout` and `timeout 60s` do best (tied): 87 percentage points lower (± 16) than the baseline `crash on timeout`."},
		{`variant,baseline,n,rate_503_diff,rate_503_diff_ci
base,base,5,0,0
a,base,5,-0.5,0.1
b,base,5,-0.5,0.1
c,base,5,-0.2,0.1
d,base,5,0.01,0.1
`, "The other one does not differ significantly.",
			"On the 503 rate, `a` and `b` do best (tied): 50 percentage points lower (± 10) than the baseline `base` (3 variants are significantly better)."},
	} {
		f, err := Compare(table(t, tc.csv), "rate_503")
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Sentence(); !strings.HasSuffix(got, tc.sentenceEnd) {
			t.Errorf("sentence:\n got %s\nwant it to end %s", got, tc.sentenceEnd)
		}
		if got := Headline([]Finding{f}); got != tc.headline {
			t.Errorf("headline:\n got %s\nwant %s", got, tc.headline)
		}
	}
}

func TestVerdictNoDifference(t *testing.T) {
	compare := table(t, `variant,baseline,clients.x.rate,n,rate_503_diff,rate_503_diff_ci
a,base,10,8,0.0003,0.0009
a,base,20,8,0,0
b,base,10,8,0,0
`)
	f, err := Compare(compare, "rate_503")
	if err != nil {
		t.Fatal(err)
	}
	want := "503 rate: no variant differs significantly from `base` (every paired interval includes 0; 2 identical to it in every replication)."
	if got := f.Sentence(); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got, want := Headline([]Finding{f}), "No variant has a significantly better 503 rate than the baseline `base`."; got != want {
		t.Errorf("headline %q, want %q", got, want)
	}
	if f.Same[0].Point != "a (10)" {
		t.Errorf("point named %q, want %q", f.Same[0].Point, "a (10)")
	}
	if _, err := Compare(compare, "crashes"); err == nil {
		t.Error("a metric the table lacks: no error")
	}
}

func TestFormatPair(t *testing.T) {
	for _, tc := range []struct {
		v, ci float64
		want  [2]string
	}{
		{0.41, 0.05, [2]string{"0.41", "0.05"}},
		{0.0372, 0.0121, [2]string{"0.037", "0.012"}},
		{1234.5, 56, [2]string{"1234", "56"}},
		{3, 0, [2]string{"3", "?"}},
	} {
		if got := formatPair(tc.v, tc.ci); got != tc.want {
			t.Errorf("formatPair(%g, %g) = %q, want %q", tc.v, tc.ci, got, tc.want)
		}
	}
}
