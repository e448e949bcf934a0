package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/poolsim/poolsim/plots"
)

// Difference is one grid point's paired difference from the baseline in a
// metric: the mean of the per-replication differences and its confidence
// half-width over N replications.
type Difference struct {
	Point    string
	N        int
	Diff, CI float64
}

// significant reports whether the interval excludes zero: a difference
// the experiment resolved. One replication (no interval) resolves nothing.
func (d Difference) significant() bool {
	return d.N >= 2 && !math.IsNaN(d.CI) && !math.IsInf(d.CI, 0) && math.Abs(d.Diff) > d.CI
}

// identical reports whether the point and the baseline gave the same value
// in every replication (the same runs: a change that never came into play).
func (d Difference) identical() bool { return d.Diff == 0 && d.CI == 0 }

// Finding is what the paired comparisons say about one metric: the points
// significantly above and below the baseline (largest first) and those that
// do not differ.
type Finding struct {
	Metric   string
	Baseline string
	// Lower and Higher differ significantly; Same do not (Identical of
	// them gave the baseline's value in every replication).
	Lower, Higher, Same []Difference
	Identical           int
}

// Compare reads a metric's paired differences from a comparison table
// (compare.csv) and sorts them by what they show. Rows comparing the
// baseline with itself are left out.
func Compare(compare *plots.Table, metric string) (Finding, error) {
	f := Finding{Metric: metric}
	vc, cc, nc := compare.Col(metric+"_diff"), compare.Col(metric+"_diff_ci"), compare.Col("n")
	if compare.Kind() != "compare" || vc < 0 || cc < 0 || nc < 0 {
		return f, fmt.Errorf("report: %s has no paired differences of %s", compare.Name, metric)
	}
	bc := compare.Col("baseline")
	for r := range compare.Rows {
		if compare.Str(r, bc) == compare.Str(r, compare.Col("variant")) {
			continue
		}
		if f.Baseline == "" {
			f.Baseline = compare.Str(r, bc)
		}
		d := Difference{Point: pointName(compare, r)}
		var err error
		if d.Diff, err = compare.Float(r, vc); err != nil {
			return f, err
		}
		if d.CI, err = compare.Float(r, cc); err != nil {
			return f, err
		}
		d.N, _ = strconv.Atoi(compare.Str(r, nc))
		switch {
		case math.IsNaN(d.Diff):
			continue
		case d.significant() && d.Diff < 0:
			f.Lower = append(f.Lower, d)
		case d.significant():
			f.Higher = append(f.Higher, d)
		default:
			f.Same = append(f.Same, d)
			if d.identical() {
				f.Identical++
			}
		}
	}
	bySize := func(a, b Difference) int { return cmp.Compare(math.Abs(b.Diff), math.Abs(a.Diff)) }
	slices.SortStableFunc(f.Lower, bySize)
	slices.SortStableFunc(f.Higher, bySize)
	return f, nil
}

// better and worse are the significant differences by which way the metric
// is better; for a metric that is neither (arrivals, recycles) both are nil.
func (f Finding) better() (better, worse []Difference) {
	switch plots.MetricBetter(f.Metric) {
	case -1:
		return f.Lower, f.Higher
	case +1:
		return f.Higher, f.Lower
	}
	return nil, nil
}

// Sentence says in plain words what the comparisons of the metric show, names
// in backquotes: "503 rate: `requests 20000` is 0.041 percentage points lower
// (± 0.012) than `time 29h`, better. The other 9 do not differ
// significantly (3 identical to it in every replication)."
func (f Finding) Sentence() string {
	name := plots.MetricName(f.Metric)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", capitalize(name))
	significant := append(slices.Clone(f.Lower), f.Higher...)
	if len(significant) == 0 {
		fmt.Fprintf(&b, "no variant differs significantly from `%s` (every paired interval includes 0", f.Baseline)
		if f.Identical > 0 {
			fmt.Fprintf(&b, "; %s identical to it in every replication", count(f.Identical, f.Identical == len(f.Same)))
		}
		b.WriteString(").")
		return b.String()
	}
	better, _ := f.better()
	var parts []string
	for _, d := range significant {
		s := fmt.Sprintf("`%s` is %s than `%s`", d.Point, describe(f.Metric, d), f.Baseline)
		if plots.MetricBetter(f.Metric) != 0 {
			if slices.Contains(better, d) {
				s += ", better"
			} else {
				s += ", worse"
			}
		}
		parts = append(parts, s)
	}
	b.WriteString(strings.Join(limit(parts, 6), "; "))
	b.WriteString(".")
	if n := len(f.Same); n > 0 {
		fmt.Fprintf(&b, " The other %d do not differ significantly", n)
		if f.Identical > 0 {
			fmt.Fprintf(&b, " (%s identical to the baseline in every replication)", count(f.Identical, f.Identical == n))
		}
		b.WriteString(".")
	}
	return b.String()
}

// Headline is the answer in one sentence, on the first metric: the point
// that does best if any is significantly better than the baseline.
func Headline(findings []Finding) string {
	if len(findings) == 0 {
		return ""
	}
	f := findings[0]
	name := plots.MetricName(f.Metric)
	better, worse := f.better()
	if plots.MetricBetter(f.Metric) == 0 {
		better, worse = f.Lower, f.Higher
	}
	if len(better) == 0 {
		s := fmt.Sprintf("No variant has a significantly better %s than the baseline `%s`", name, f.Baseline)
		if len(worse) > 0 {
			s += fmt.Sprintf("; %d %s significantly worse", len(worse), plural(len(worse), "is", "are"))
		}
		return s + "."
	}
	d := better[0]
	s := fmt.Sprintf("On the %s, `%s` does best: %s than the baseline `%s`", name, d.Point, describe(f.Metric, d), f.Baseline)
	if len(better) > 1 {
		s += fmt.Sprintf(" (%d variants are significantly better)", len(better))
	}
	return s + "."
}

// describe writes a difference with its unit and direction: "0.41
// percentage points lower (± 0.05)", "1.3 s higher (± 0.2)", "4 more (± 1)".
func describe(metric string, d Difference) string {
	scale := plots.MetricScale(metric)
	v, ci := math.Abs(d.Diff)*scale, d.CI*scale
	num := formatPair(v, ci)
	dir := "higher"
	if d.Diff < 0 {
		dir = "lower"
	}
	switch unit := plots.MetricLabel(metric); {
	case scale == 100:
		return fmt.Sprintf("%s percentage points %s (± %s)", num[0], dir, num[1])
	case unit == "seconds":
		return fmt.Sprintf("%s s %s (± %s)", num[0], dir, num[1])
	case unit == "requests/s":
		return fmt.Sprintf("%s requests/s %s (± %s)", num[0], dir, num[1])
	}
	if d.Diff < 0 {
		dir = "fewer"
	} else {
		dir = "more"
	}
	return fmt.Sprintf("%s %s (± %s)", num[0], dir, num[1])
}

// formatPair writes a value and its half-width to the half-width's
// precision: one significant digit of the half-width, two when it starts
// with 1 or 2 ("0.41", "0.05"; "0.037", "0.012"; "1234", "56").
func formatPair(v, ci float64) [2]string {
	if ci <= 0 || math.IsNaN(ci) || math.IsInf(ci, 0) {
		return [2]string{strconv.FormatFloat(v, 'g', 3, 64), "?"}
	}
	e := int(math.Floor(math.Log10(ci)))
	decimals := -e
	if lead := math.Round(ci/math.Pow(10, float64(e))*1e6) / 1e6; lead < 3 {
		decimals++
	}
	decimals = max(0, decimals)
	return [2]string{strconv.FormatFloat(v, 'f', decimals, 64), strconv.FormatFloat(ci, 'f', decimals, 64)}
}

func count(n int, all bool) string {
	if all && n > 1 {
		return "all " + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// defaultMetrics are the key metrics of every report, after those the
// experiment charts.
var defaultMetrics = []string{"rate_503", "rate_abandoned", "rate_error", "response_p99_s"}

// maxKeyMetrics bounds the metrics of the verdict and the table.
const maxKeyMetrics = 5

// keyMetrics are the metrics the verdict and the table speak of: those the
// experiment's charts draw, then defaultMetrics, that the table has.
func keyMetrics(charted []string, t *plots.Table) []string {
	var out []string
	for _, m := range append(slices.Clone(charted), defaultMetrics...) {
		if len(out) < maxKeyMetrics && !slices.Contains(out, m) && slices.Contains(t.Metrics(), m) {
			out = append(out, m)
		}
	}
	return out
}
