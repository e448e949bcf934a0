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

// Sentence says in plain words what the comparisons of the metric show,
// names in backquotes: "Abandoned rate: significantly lower than `time
// 29h` (better) for `time 60m` (by 0.41 ± 0.05 percentage points);
// significantly higher (worse) for `non-overlapped` (by 1.2 ± 0.3). The
// other 3 do not differ significantly (1 identical to the baseline in every
// replication)." Points with the very same difference are named together;
// one other point is "the other one", in the singular.
func (f Finding) Sentence() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: ", capitalize(plots.MetricName(f.Metric)))
	if len(f.Lower)+len(f.Higher) == 0 {
		fmt.Fprintf(&b, "no variant differs significantly from `%s` (every paired interval includes 0", f.Baseline)
		if f.Identical > 0 {
			fmt.Fprintf(&b, "; %s identical to it in every replication", count(f.Identical, f.Identical == len(f.Same)))
		}
		b.WriteString(").")
		return b.String()
	}
	better, _ := f.better()
	var parts []string
	for i, group := range [][]Difference{f.Lower, f.Higher} {
		if len(group) == 0 {
			continue
		}
		dir := []string{"lower", "higher"}[i]
		judged := ""
		if plots.MetricBetter(f.Metric) != 0 {
			judged = " (worse)"
			if slices.Contains(better, group[0]) {
				judged = " (better)"
			}
		}
		s := fmt.Sprintf("significantly %s%s", dir, judged)
		if len(parts) == 0 {
			s += fmt.Sprintf(" than `%s`", f.Baseline)
		}
		parts = append(parts, s+" for "+strings.Join(limit(sameDiffs(f.Metric, group), 5), ", "))
	}
	b.WriteString(strings.Join(parts, "; "))
	b.WriteString(".")
	switch n := len(f.Same); {
	case n == 1 && f.Identical == 1:
		b.WriteString(" The other one does not differ significantly (identical to the baseline in every replication).")
	case n == 1:
		b.WriteString(" The other one does not differ significantly.")
	case n > 1:
		fmt.Fprintf(&b, " The other %d do not differ significantly", n)
		if f.Identical > 0 {
			fmt.Fprintf(&b, " (%s identical to the baseline in every replication)", count(f.Identical, f.Identical == n))
		}
		b.WriteString(".")
	}
	return b.String()
}

// sameDiffs names the points of a group with their differences, those with
// the very same difference together: "`a` (by 0.41 ± 0.05 percentage
// points)", "`b` and `c` (by 1.2 ± 0.3 each)".
func sameDiffs(metric string, group []Difference) []string {
	var out []string
	for i := 0; i < len(group); {
		j := i + 1
		for j < len(group) && group[j].Diff == group[i].Diff && group[j].CI == group[i].CI {
			j++
		}
		names := make([]string, 0, j-i)
		for _, d := range group[i:j] {
			names = append(names, "`"+d.Point+"`")
		}
		by := amount(metric, group[i])
		if len(out) > 0 {
			by = strings.TrimSuffix(strings.TrimSuffix(by, " percentage points"), " s")
		}
		if j-i > 1 {
			by += " each"
		}
		if group[i].CI == 0 {
			by += ", in every replication"
		}
		out = append(out, joinAnd(names)+" (by "+by+")")
		i = j
	}
	return out
}

// amount writes the size of a difference with its half-width and unit:
// "0.41 ± 0.05 percentage points", "1.3 ± 0.2 s", "12.0 ± 2.0".
func amount(metric string, d Difference) string {
	scale := plots.MetricScale(metric)
	num := formatPair(math.Abs(d.Diff)*scale, d.CI*scale)
	s := num[0] + " ± " + num[1]
	if d.CI == 0 { // the same difference in every replication
		s = num[0]
	}
	switch unit := plots.MetricLabel(metric); {
	case scale == 100:
		s += " percentage points"
	case unit == "seconds":
		s += " s"
	case unit == "requests/s":
		s += " requests/s"
	}
	return s
}

func joinAnd(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// Headline is the answer in one sentence, on the first metric: the point
// that does best if any is significantly better than the baseline, or the
// points tied for best, named together.
func Headline(findings []Finding) string {
	if len(findings) == 0 {
		return ""
	}
	f := findings[0]
	name := plots.MetricName(f.Metric)
	better, worse := f.better()
	if plots.MetricBetter(f.Metric) == 0 { // neither way is better
		if n := len(f.Lower) + len(f.Higher); n > 0 {
			return fmt.Sprintf("On the %s, %d %s significantly from the baseline `%s`.", name, n, plural(n, "variant differs", "variants differ"), f.Baseline)
		}
		return fmt.Sprintf("No variant differs significantly from the baseline `%s` in %s.", f.Baseline, name)
	}
	if len(better) == 0 {
		s := fmt.Sprintf("No variant has a significantly better %s than the baseline `%s`", name, f.Baseline)
		if len(worse) > 0 {
			s += fmt.Sprintf("; %d %s significantly worse", len(worse), plural(len(worse), "is", "are"))
		}
		return s + "."
	}
	// Those with the very same difference as the best are tied with it
	// (two variants that each remove every 503, say), named together.
	d := better[0]
	tied := []string{"`" + d.Point + "`"}
	for _, o := range better[1:] {
		if o.Diff == d.Diff && o.CI == d.CI {
			tied = append(tied, "`"+o.Point+"`")
		}
	}
	best := tied[0] + " does best"
	if len(tied) > 1 {
		best = joinAnd(tied) + " do best (tied)"
	}
	s := fmt.Sprintf("On the %s, %s: %s than the baseline `%s`", name, best, describe(f.Metric, d), f.Baseline)
	if len(better) > len(tied) {
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
