package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Differences draws a comparison table's paired differences of a metric:
// each variant's mean difference from the baseline (variant − baseline) as a
// point with its confidence interval as a horizontal error bar, variants top
// to bottom, a line at zero. Rates are drawn in percentage points. When the
// table has <metric>_unpaired_ci columns, the unpaired intervals are drawn as
// wide pale bands under the paired ones, to show how much common random
// numbers narrowed them. An interval that does not cross zero is a
// difference the experiment resolved. With sweep keys, each variant has one
// point per sweep point, side by side.
func Differences(compare *Table, metric string) (*Figure, error) {
	if err := compare.need("compare"); err != nil {
		return nil, err
	}
	pts, dims, unpaired, baselines, err := differencePoints(compare, metric)
	if err != nil {
		return nil, err
	}
	a, err := arrange(compare, pts, dims, 0, -1, false, 1)
	if err != nil {
		return nil, err
	}
	unit := MetricLabel(metric)
	if isRate(metric) {
		unit = "percentage points"
	}
	title := fmt.Sprintf("%s: difference from %s", capitalize(MetricName(metric)), baselines[0])
	xlabel := fmt.Sprintf("%s − %s (%s)", MetricName(metric), baselines[0], unit)
	if len(baselines) > 1 {
		title = capitalize(MetricName(metric)) + ": difference from the baseline"
		xlabel = fmt.Sprintf("difference in %s, variant − baseline (%s)", MetricName(metric), unit)
	}
	f := newFigure(title, xlabel+"  (error bars: confidence interval)", "")
	f.paired = true
	if len(unpaired) > 0 {
		f.X.Label.Text = xlabel + "  (error bars: paired confidence interval)"
	}
	f.Add(grid(true))
	lo, hi := drawDifferences(f, pts, a, unpaired, MetricScale(metric))

	nc := len(a.cats)
	names := make([]string, nc)
	for i, c := range a.cats {
		names[nc-1-i] = c
	}
	categoryTicks(f.Plot, names, true)
	f.Y.Min, f.Y.Max = -0.5, float64(nc)-0.5
	span := hi - lo
	if span == 0 {
		span = 1
	}
	f.X.Min, f.X.Max = lo-0.06*span, hi+0.06*span
	f.Caption = fmt.Sprintf("Each variant's difference from %s in %s (%s), paired replication by replication (common random numbers): an interval clear of the zero line is a difference the experiment resolved.",
		baselines[0], MetricName(metric), metric)
	return f, nil
}

// differencePoints reads a metric's differences from a comparison table,
// leaving out a baseline compared with itself, with the unpaired
// half-widths by row (when the table has them) and the baselines named.
func differencePoints(compare *Table, metric string) (pts []point, dims []string, unpaired map[int]float64, baselines []string, err error) {
	all, dims, err := compare.points(metric, "_diff", "_diff_ci")
	if err != nil {
		return nil, nil, nil, nil, err
	}
	unpaired = map[int]float64{}
	if uc := compare.Col(metric + "_unpaired_ci"); uc >= 0 {
		for _, pt := range all {
			if v, err := compare.Float(pt.row, uc); err == nil && finite(v) {
				unpaired[pt.row] = math.Abs(v)
			}
		}
	}
	for _, pt := range all {
		if pt.dims[0] == pt.dims[1] {
			continue
		}
		pts = append(pts, pt)
		baselines = append(baselines, pt.dims[1])
	}
	if len(pts) == 0 {
		return nil, nil, nil, nil, fmt.Errorf("plots: %s compares no variant with a baseline other than itself", compare.name())
	}
	baselines = distinct(baselines)
	if len(baselines) > 1 {
		// Name each row by its pair.
		for i := range pts {
			pts[i].dims = append([]string(nil), pts[i].dims...)
			pts[i].dims[0] = pts[i].dims[0] + " vs " + pts[i].dims[1]
		}
	}
	return pts, dims, unpaired, baselines, nil
}

// drawDifferences draws the points, their paired and unpaired intervals,
// the zero line and the legend; it returns the range of values drawn.
func drawDifferences(f *Figure, pts []point, a *arrangement, unpaired map[int]float64, scale float64) (lo, hi float64) {
	nc, n := len(a.cats), len(a.series)
	rowY := func(cat, ser int) float64 {
		y := float64(nc - 1 - cat)
		if n > 1 {
			band := 0.55
			y += band/2 - band/float64(n)*(float64(ser)+0.5)
		}
		return y
	}
	zero := &refLine{value: 0, vertical: true, style: draw.LineStyle{Color: axisGrey, Width: vg.Points(1.5)}}
	f.Add(zero)
	capHalf := 0.12
	if n > 1 {
		capHalf = 0.55 / float64(n) * 0.3
	}
	legend := &sideLegend{heading: a.heading}
	wide := &errBars{horizontal: true, style: draw.LineStyle{Color: color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0x55}, Width: vg.Points(min(7, 60/float64(nc*n)))}}
	f.Add(wide)
	for k, label := range a.series {
		col := seriesColor(k, n, a.ordered)
		if n == 1 {
			col = categorical[0]
		}
		eb := &errBars{horizontal: true, capHalf: capHalf, style: draw.LineStyle{Color: col, Width: vg.Points(1.6)}}
		var xys plotter.XYs
		for i, pt := range pts {
			if a.serOf[i] != k || math.IsNaN(pt.value) {
				continue
			}
			f.countN(pt.n)
			v, y := pt.value*scale, rowY(a.catOf[i], k)
			xys = append(xys, plotter.XY{X: v, Y: y})
			lo, hi = math.Min(lo, v), math.Max(hi, v)
			if u, ok := unpaired[pt.row]; ok && u > 0 {
				wide.bars = append(wide.bars, errBar{x: v, y: y, lo: v - u*scale, hi: v + u*scale})
				lo, hi = math.Min(lo, v-u*scale), math.Max(hi, v+u*scale)
			}
			if pt.hasCI {
				eb.bars = append(eb.bars, errBar{x: v, y: y, lo: v - pt.ci*scale, hi: v + pt.ci*scale})
				lo, hi = math.Min(lo, v-pt.ci*scale), math.Max(hi, v+pt.ci*scale)
			}
		}
		if len(xys) == 0 {
			continue
		}
		dots, _ := plotter.NewScatter(xys) // xys is finite and not empty
		dots.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: lineGlyphs[k%len(lineGlyphs)]}
		f.Add(eb, dots)
		if n > 1 {
			legend.add(label, eb, dots)
		}
	}
	if len(wide.bars) > 0 {
		legend.add("paired CI", &errBars{horizontal: true, style: draw.LineStyle{Color: ink, Width: vg.Points(1.6)}})
		legend.add("unpaired CI", thumb(func(c *draw.Canvas) {
			y := c.Center().Y
			sty := wide.style
			sty.Width = vg.Points(6)
			c.StrokeLines(sty, []vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}})
		}))
	}
	legend.add("no difference", zero)
	f.setLegend(legend)
	return lo, hi
}
