package plots

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Lines draws a metric of a summary table against the numeric sweep key x:
// one line per variant (and per value of any other sweep key that varies)
// through the means, with the confidence interval as a translucent band
// clipped at the metric's natural bounds. Sweep values may be numbers,
// durations ("90s", "1d") or sizes ("120MB", "1.5TB"), read as a scenario
// reads them; an axis of durations or sizes is labelled in their units, and
// drawn logarithmic when its values span more than a decade. Rates are
// drawn as percentages. Each line has its own marker and, once colours
// repeat, dash pattern; a line that coincides with an earlier one says so in
// the legend ("identical to …").
func Lines(summary *Table, x, metric string) (*Figure, error) {
	return lines(summary, x, metric, false)
}

// line is one series of a line chart, sorted by x.
type line struct {
	label          string
	xs, ys, lo, hi []float64
	hasCI          bool
	sameAs         string // the label of an earlier line with the same values
}

func lines(summary *Table, x, metric string, raw bool) (*Figure, error) {
	if err := summary.need("summary"); err != nil {
		return nil, err
	}
	if x == "" || x == "variant" {
		return nil, fmt.Errorf("plots: a line chart needs a numeric sweep key for x, not %q (use Bars for variants)", x)
	}
	pts, dims, err := summary.points(metric, "_mean", "_ci")
	if err != nil {
		return nil, err
	}
	xi, err := dimIndex(summary, dims, x)
	if err != nil {
		return nil, err
	}
	raws := make([]string, len(pts))
	for i, pt := range pts {
		raws[i] = pt.dims[xi]
	}
	kind := kindOf(raws)
	if kind == notNumeric {
		for _, v := range raws {
			if _, ok := number(v); !ok {
				return nil, fmt.Errorf("plots: %s: sweep key %q has the value %q, which is not a number: draw it as bars grouped by %q instead", summary.name(), x, v, x)
			}
		}
		return nil, fmt.Errorf("plots: %s: sweep key %q mixes numbers, durations and sizes (%s)", summary.name(), x, strings.Join(distinct(raws), ", "))
	}
	a, err := arrange(summary, pts, dims, xi, 0, raw) // the variant heads the series
	if err != nil {
		return nil, err
	}
	f := newFigure(capitalize(MetricName(metric))+" against "+keyTitle(x, raw), keyAxisTitle(x, raw), axisLabel(metric))
	f.yScale = MetricScale(metric)
	ls := lineSeries(f, pts, a, kind, xi, metric)
	if len(ls) == 0 {
		return nil, fmt.Errorf("plots: %s has no values of %s to draw", summary.name(), metric)
	}
	logY := strings.HasSuffix(metric, "_s") && positiveSpan(ls)
	if err := drawLines(f, ls, a, logY); err != nil {
		return nil, err
	}
	xAxis(f, kind, distinct(raws))
	yAxis(f, ls, metric, logY)
	f.Caption = fmt.Sprintf("%s (%s) against %s (%s): the mean over the replications at each swept value, with its confidence interval as a band.",
		capitalize(MetricName(metric)), metric, KeyName(x), x)
	return f, nil
}

// keyAxisTitle is a sweep key's axis title: its readable name with the unit
// of a plain number, or the key as written when raw.
func keyAxisTitle(key string, raw bool) string {
	if raw {
		return key
	}
	return KeyLabel(key)
}

// lineSeries gathers the points of each series of a, sorted by x, scaled
// and clipped, and marks the series identical to an earlier one.
func lineSeries(f *Figure, pts []point, a *arrangement, kind valueKind, xi int, metric string) []*line {
	scale := MetricScale(metric)
	bmin, bmax := metricBounds(metric)
	var out []*line
	for k, label := range a.series {
		var idx []int
		for i := range pts {
			if a.serOf[i] == k && !math.IsNaN(pts[i].value) {
				idx = append(idx, i)
			}
		}
		if len(idx) == 0 {
			continue
		}
		xOf := func(i int) float64 { v, _ := kind.parse(pts[i].dims[xi]); return v }
		slices.SortStableFunc(idx, func(i, j int) int { return cmp.Compare(xOf(i), xOf(j)) })
		l := &line{label: label, hasCI: true}
		for _, i := range idx {
			f.countN(pts[i].n)
			v := pts[i].value * scale
			l.xs, l.ys = append(l.xs, xOf(i)), append(l.ys, v)
			lo, hi := v, v
			if pts[i].hasCI {
				lo, hi = clip(v-pts[i].ci*scale, bmin, bmax), clip(v+pts[i].ci*scale, bmin, bmax)
			} else {
				l.hasCI = false
			}
			l.lo, l.hi = append(l.lo, lo), append(l.hi, hi)
		}
		for _, prev := range out {
			if prev.sameAs == "" && sameLine(prev, l) {
				l.sameAs = prev.label
				break
			}
		}
		out = append(out, l)
	}
	return out
}

// sameLine reports whether two lines have the same points and intervals,
// as variants that never differ in a run do.
func sameLine(a, b *line) bool {
	eq := func(x, y []float64) bool {
		return slices.EqualFunc(x, y, func(u, v float64) bool { return math.Abs(u-v) <= 1e-9*math.Max(1, math.Abs(u)) })
	}
	return eq(a.xs, b.xs) && eq(a.ys, b.ys) && eq(a.lo, b.lo) && eq(a.hi, b.hi)
}

// positiveSpan reports whether every mean is positive and they span more
// than a decade.
func positiveSpan(ls []*line) bool {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, l := range ls {
		for _, y := range l.ys {
			lo, hi = math.Min(lo, y), math.Max(hi, y)
		}
	}
	return spansDecades(lo, hi)
}

// lineGlyphs tell lines apart where they cross or coincide.
var lineGlyphs = []draw.GlyphDrawer{
	draw.CircleGlyph{}, draw.BoxGlyph{}, draw.PyramidGlyph{}, draw.RingGlyph{},
	draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{},
}

// drawLines adds the bands, then the lines and their markers over every
// band, and the legend.
func drawLines(f *Figure, ls []*line, a *arrangement, logY bool) error {
	f.Add(grid(false))
	legend := &sideLegend{heading: a.heading}
	if len(ls) > 1 && a.heading == "" {
		legend.heading = "variant and sweep point"
	}
	floor := math.Inf(1)
	for _, l := range ls {
		floor = math.Min(floor, slices.Min(l.ys))
	}
	var top []plot.Plotter
	for k, l := range ls {
		col := seriesColor(k, len(ls), false)
		var thumbs []plot.Thumbnailer
		if l.hasCI && len(l.xs) > 1 && l.sameAs == "" { // an identical band would darken the other
			var ring plotter.XYs
			for i := range l.xs {
				ring = append(ring, plotter.XY{X: l.xs[i], Y: l.hi[i]})
			}
			for i := len(l.xs) - 1; i >= 0; i-- {
				lo := l.lo[i]
				if logY {
					lo = math.Max(lo, floor/2)
				}
				ring = append(ring, plotter.XY{X: l.xs[i], Y: lo})
			}
			band, err := plotter.NewPolygon(ring)
			if err != nil {
				return fmt.Errorf("plots: band of %s: %w", l.label, err)
			}
			band.Color = withAlpha(col, 56)
			band.LineStyle.Width = 0
			f.Add(band)
			thumbs = append(thumbs, band)
		}
		xys := make(plotter.XYs, len(l.xs))
		for i := range l.xs {
			xys[i] = plotter.XY{X: l.xs[i], Y: l.ys[i]}
		}
		ln, err := plotter.NewLine(xys)
		if err != nil {
			return fmt.Errorf("plots: line of %s: %w", l.label, err)
		}
		ln.Color, ln.Width, ln.Dashes = col, vg.Points(2), seriesDashes(k)
		dots, err := plotter.NewScatter(xys)
		if err != nil {
			return fmt.Errorf("plots: points of %s: %w", l.label, err)
		}
		dots.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: lineGlyphs[k%len(lineGlyphs)]}
		label := l.label
		if l.sameAs != "" {
			// Drawn dashed over the line it hides, and said in words.
			ln.Dashes = []vg.Length{vg.Points(4), vg.Points(4)}
			label += " (identical to " + l.sameAs + ")"
		}
		top = append(top, ln, dots)
		legend.add(label, append(thumbs, ln, dots)...)
	}
	f.Add(top...)
	f.setLegend(legend)
	return nil
}

// xAxis sets the range and ticks of a line chart's sweep axis: the swept
// values themselves when there are few, else round values of their kind;
// logarithmic when positive values span more than a decade.
func xAxis(f *Figure, kind valueKind, raws []string) {
	xs := make([]float64, len(raws))
	for i, r := range raws {
		xs[i], _ = kind.parse(r)
	}
	xmin, xmax := slices.Min(xs), slices.Max(xs)
	log := spansDecades(xmin, xmax)
	switch {
	case log:
		f.X.Scale = plot.LogScale{}
		f.X.Min, f.X.Max = xmin/1.15, xmax*1.15
	case xmax > xmin:
		pad := 0.03 * (xmax - xmin)
		f.X.Min, f.X.Max = xmin-pad, xmax+pad
	default:
		pad := math.Max(0.5, math.Abs(xmin)*0.1)
		f.X.Min, f.X.Max = xmin-pad, xmax+pad
	}
	if len(raws) <= 8 {
		ticks := make([]plot.Tick, len(raws))
		for i, r := range raws {
			ticks[i] = plot.Tick{Value: xs[i], Label: strings.Trim(r, `"`)}
		}
		f.X.Tick.Marker = plot.ConstantTicks(ticks)
		return
	}
	switch {
	case kind != plainNumber:
		f.X.Tick.Marker = kindTicks{kind: kind, log: log}
	case log:
		f.X.Tick.Marker = logTicks{}
	}
}

// yAxis sets the value axis of a line chart: from 0 on a linear axis, or
// logarithmic, with duration ticks, for times spanning more than a decade.
func yAxis(f *Figure, ls []*line, metric string, logY bool) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, l := range ls {
		lo, hi = math.Min(lo, slices.Min(l.lo)), math.Max(hi, slices.Max(l.hi))
		lo = math.Min(lo, slices.Min(l.ys))
	}
	if strings.HasSuffix(metric, "_s") {
		f.Y.Label.Text = MetricName(metric)
		f.Y.Tick.Marker = kindTicks{kind: durationValue, log: logY}
	}
	if logY {
		floor := math.Inf(1)
		for _, l := range ls {
			floor = math.Min(floor, slices.Min(l.ys))
		}
		f.Y.Scale = plot.LogScale{}
		f.Y.Min, f.Y.Max = floor/2.2, hi*1.3
		return
	}
	valueRange(&f.Y, math.Min(lo, 0), math.Max(hi, 0))
	if lo == 0 && hi == 0 {
		f.Add(&note{text: "all values are 0", style: f.Y.Label.TextStyle})
	}
}
