package plots

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Chart describes a chart of a sweep's results: a [[chart]] table of an
// experiment file.
type Chart struct {
	Title string
	// X is "variant" (or "") for bars by variant, or a sweep key.
	X string
	// Y is a metric name (DESIGN.md §5).
	Y string
	// Group is an optional sweep key (or "variant") that splits the bars.
	Group string
	// Kind is "bars", "lines" or "diff" ("bar", "line" and "difference"
	// are accepted too); "" picks bars when X is the variant and lines when
	// X is a sweep key.
	Kind string
	// RawKeys titles axes and legends with the sweep keys as written
	// (pool.shutdown_time_limit) rather than their readable names
	// (shutdown time limit).
	RawKeys bool
}

// chartKinds maps each kind a chart may name to the kind drawn.
var chartKinds = map[string]string{
	"bars": "bars", "bar": "bars",
	"lines": "lines", "line": "lines",
	"diff": "diff", "difference": "diff", "differences": "diff",
}

// Plot draws the chart from a summary table, or for Kind "diff" from a
// comparison table, with a footnote saying what it rests on.
func (c Chart) Plot(summary, compare *Table, about About) (*Figure, error) {
	kind := c.Kind
	if kind == "" {
		kind = "bars"
		if c.X != "" && c.X != "variant" {
			kind = "lines"
		}
	}
	var (
		f   *Figure
		err error
	)
	switch chartKinds[kind] {
	case "bars":
		f, err = bars(summary, c.Y, c.X, c.Group, c.RawKeys)
	case "lines":
		f, err = lines(summary, c.X, c.Y, c.RawKeys)
	case "diff":
		if compare == nil {
			return nil, fmt.Errorf("plots: chart %q: a difference chart needs compare.csv (an experiment with a baseline)", c.name())
		}
		f, err = Differences(compare, c.Y)
	default:
		return nil, fmt.Errorf("plots: chart %q: unknown kind %q (want bars, lines or diff)", c.name(), c.Kind)
	}
	if err != nil {
		return nil, err
	}
	if c.Title != "" {
		f.Title.Text = c.Title
	}
	f.Describe(about)
	return f, nil
}

func (c Chart) name() string {
	if c.Title != "" {
		return c.Title
	}
	return c.Y
}

// DefaultCharts are the charts drawn for every experiment: the 503 and
// abandoned rates by variant, grouped by the first sweep key if there is
// one, and, when there is a comparison with a baseline, the paired
// differences of the 503 rate.
func DefaultCharts(summary, compare *Table) []Chart {
	group := ""
	if keys := summary.SweepKeys(); summary != nil && len(keys) > 0 {
		group = keys[0]
	}
	charts := []Chart{
		{Title: "503 rate by variant", X: "variant", Y: "rate_503", Group: group, Kind: "bars"},
		{Title: "Abandoned rate by variant", X: "variant", Y: "rate_abandoned", Group: group, Kind: "bars"},
	}
	if compare != nil {
		b := ""
		if c := compare.Col("baseline"); c >= 0 && len(compare.Rows) > 0 {
			b = compare.Str(0, c)
		}
		title := "503 rate: difference from the baseline"
		if b != "" {
			title = "503 rate: difference from " + b
		}
		charts = append(charts, Chart{Title: title, Y: "rate_503", Kind: "diff"})
	}
	return charts
}

// Draw redraws the charts of a sweep's result directory: it reads
// dir/summary.csv (and dir/compare.csv when there is one), draws the
// DefaultCharts and then the given charts, each with a footnote from about,
// and saves each as PNG and SVG in dir/charts, named by a slug of its title
// ("503 rate by variant" → 503-rate-by-variant.png). It returns the files
// written. A chart that cannot be drawn (say, a metric the tables lack)
// does not stop the others: its error is returned, joined with any other,
// along with the files written.
func Draw(dir string, charts []Chart, about About) ([]string, error) {
	summary, err := ReadTable(filepath.Join(dir, "summary.csv"))
	if err != nil {
		return nil, err
	}
	var compare *Table
	if _, err := os.Stat(filepath.Join(dir, "compare.csv")); err == nil {
		if compare, err = ReadTable(filepath.Join(dir, "compare.csv")); err != nil {
			return nil, err
		}
	}
	out := filepath.Join(dir, "charts")
	var (
		files []string
		errs  []error
		used  []string
	)
	for _, c := range append(DefaultCharts(summary, compare), charts...) {
		p, err := c.Plot(summary, compare, about)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		base := Slug(p.Title.Text)
		for i := 2; slices.Contains(used, base); i++ {
			base = fmt.Sprintf("%s-%d", Slug(p.Title.Text), i)
		}
		used = append(used, base)
		if err := Save(p, out, base); err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, filepath.Join(out, base+".png"), filepath.Join(out, base+".svg"))
	}
	return files, errors.Join(errs...)
}

// Slug turns a title into a file name: lower-case letters and digits, words
// joined by hyphens ("503 rate: difference from no recycle" →
// "503-rate-difference-from-no-recycle"); "chart" when nothing is left.
func Slug(title string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			hyphen = false
		default:
			hyphen = true
		}
	}
	s := b.String()
	if len(s) > 80 {
		s = s[:80]
		if i := strings.LastIndexByte(s, '-'); i > 0 {
			s = s[:i] // at a word boundary
		}
	}
	if s == "" {
		return "chart"
	}
	return s
}
