package plots

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Differences draws a comparison table's paired differences of a metric:
// each variant's mean difference from the baseline (variant − baseline) as a
// point with its confidence interval as a horizontal error bar, variants top
// to bottom, a line at zero. When the table has <metric>_unpaired_ci
// columns, the unpaired intervals are drawn as wide pale bands under the
// paired ones, to show how much common random numbers narrowed them. An
// interval that does not cross zero is a
// difference the experiment resolved. With sweep keys, each variant has one
// point per sweep point, side by side.
func Differences(compare *Table, metric string) (*plot.Plot, error) {
	if err := compare.need("compare"); err != nil {
		return nil, err
	}
	pts, dims, err := compare.points(metric, "_diff", "_diff_ci")
	if err != nil {
		return nil, err
	}
	// The unpaired half-widths, when the table has them, show what common
	// random numbers saved.
	unpaired := map[int]float64{}
	if uc := compare.Col(metric + "_unpaired_ci"); uc >= 0 {
		for _, pt := range pts {
			if v, err := compare.Float(pt.row, uc); err == nil && !math.IsNaN(v) && !math.IsInf(v, 0) {
				unpaired[pt.row] = math.Abs(v)
			}
		}
	}
	// Leave out a baseline compared with itself.
	var kept []point
	var baselines []string
	for _, pt := range pts {
		if pt.dims[0] == pt.dims[1] {
			continue
		}
		kept = append(kept, pt)
		baselines = append(baselines, pt.dims[1])
	}
	if len(kept) == 0 {
		return nil, fmt.Errorf("plots: %s compares no variant with a baseline other than itself", compare.name())
	}
	pts = kept
	baselines = distinct(baselines)
	if len(baselines) > 1 {
		// Name each row by its pair.
		for i := range pts {
			pts[i].dims = append([]string(nil), pts[i].dims...)
			pts[i].dims[0] = pts[i].dims[0] + " vs " + pts[i].dims[1]
		}
	}
	a, err := arrange(compare, pts, dims, 0, -1, 1)
	if err != nil {
		return nil, err
	}

	title := fmt.Sprintf("%s: difference from %s", capitalize(MetricName(metric)), baselines[0])
	xlabel := fmt.Sprintf("%s − %s (%s)", MetricName(metric), baselines[0], MetricLabel(metric))
	if len(baselines) > 1 {
		title = capitalize(MetricName(metric)) + ": difference from the baseline"
		xlabel = fmt.Sprintf("difference in %s, variant − baseline (%s)", MetricName(metric), MetricLabel(metric))
	}
	p := newPlot(title, xlabel+"  (error bars: confidence interval)", "")
	if len(unpaired) > 0 {
		p.X.Label.Text = xlabel + "  (error bars: paired confidence interval)"
	}
	p.Add(grid(true))

	// Variants top to bottom: the first at the highest y.
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
	p.Add(zero)

	capHalf := 0.12
	if n > 1 {
		capHalf = 0.55 / float64(n) * 0.3
	}
	lo, hi := 0.0, 0.0
	legend := &sideLegend{heading: a.heading}
	// Unpaired intervals: wide pale bands under the paired ones.
	wide := &errBars{horizontal: true, style: draw.LineStyle{Color: color.NRGBA{R: 0x99, G: 0x99, B: 0x99, A: 0x55}, Width: vg.Points(min(7, 60/float64(nc*n)))}}
	p.Add(wide)
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
			y := rowY(a.catOf[i], k)
			xys = append(xys, plotter.XY{X: pt.value, Y: y})
			lo, hi = math.Min(lo, pt.value), math.Max(hi, pt.value)
			if u, ok := unpaired[pt.row]; ok && u > 0 {
				wide.bars = append(wide.bars, errBar{x: pt.value, y: y, lo: pt.value - u, hi: pt.value + u})
				lo, hi = math.Min(lo, pt.value-u), math.Max(hi, pt.value+u)
			}
			if pt.hasCI {
				eb.bars = append(eb.bars, errBar{x: pt.value, y: y, lo: pt.value - pt.ci, hi: pt.value + pt.ci})
				lo, hi = math.Min(lo, pt.value-pt.ci), math.Max(hi, pt.value+pt.ci)
			}
		}
		if len(xys) == 0 {
			continue
		}
		dots, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("plots: points of %s: %w", label, err)
		}
		dots.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		p.Add(eb, dots)
		if n > 1 {
			legend.add(label, eb, dots)
		}
	}
	if len(wide.bars) > 0 {
		paired := &errBars{horizontal: true, style: draw.LineStyle{Color: ink, Width: vg.Points(1.6)}}
		legend.add("paired CI", paired)
		legend.add("unpaired CI", thumb(func(c *draw.Canvas) {
			y := c.Center().Y
			sty := wide.style
			sty.Width = vg.Points(6)
			c.StrokeLines(sty, []vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}})
		}))
	}
	legend.add("no difference", zero)
	addLegend(p, legend)

	names := make([]string, nc)
	for i, c := range a.cats {
		names[nc-1-i] = c
	}
	categoryTicks(p, names, true)
	p.Y.Min, p.Y.Max = -0.5, float64(nc)-0.5
	span := hi - lo
	if span == 0 {
		span = 1
	}
	p.X.Min, p.X.Max = lo-0.06*span, hi+0.06*span
	return p, nil
}
