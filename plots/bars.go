package plots

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Bars draws a metric of a summary table by variant as grouped bars: one bar
// per variant and value of the sweep key group (one bar per variant when
// group is ""), the mean with its confidence interval as an error bar, the
// value axis from 0. Sweep keys other than group that take several values
// split the bars further, so that no grid point is hidden.
func Bars(summary *Table, metric, group string) (*plot.Plot, error) {
	return bars(summary, metric, "variant", group)
}

// bars draws grouped bars of metric with categories from dimension x
// ("variant" or a sweep key) and series from dimension group ("" for
// none, "variant", or a sweep key).
func bars(t *Table, metric, x, group string) (*plot.Plot, error) {
	p, _, _, err := buildBars(t, metric, x, group)
	return p, err
}

// buildBars is bars, also returning the bar series and the error bars.
func buildBars(t *Table, metric, x, group string) (*plot.Plot, []*rects, *errBars, error) {
	if err := t.need("summary"); err != nil {
		return nil, nil, nil, err
	}
	pts, dims, err := t.points(metric, "_mean", "_ci")
	if err != nil {
		return nil, nil, nil, err
	}
	if x == "" {
		x = "variant"
	}
	xi, err := dimIndex(t, dims, x)
	if err != nil {
		return nil, nil, nil, err
	}
	gi := -1
	if group != "" {
		if group == x {
			return nil, nil, nil, fmt.Errorf("plots: chart of %s groups by %q, which is already its x axis", metric, group)
		}
		if gi, err = dimIndex(t, dims, group); err != nil {
			return nil, nil, nil, err
		}
	}
	a, err := arrange(t, pts, dims, xi, gi)
	if err != nil {
		return nil, nil, nil, err
	}

	p := newPlot(capitalize(MetricName(metric))+" by "+x, x+"  (error bars: confidence interval)", axisLabel(metric))
	p.Add(grid(false))

	n := len(a.series)
	groupW := 0.8
	if n == 1 {
		groupW = 0.6
	}
	slot := groupW / float64(n)
	series := make([]*rects, n)
	for k := range series {
		series[k] = &rects{fill: seriesColor(k, n, a.ordered)}
	}
	eb := &errBars{capHalf: slot * 0.2, style: draw.LineStyle{Color: ink, Width: vg.Points(1.2)}}
	lo, hi := 0.0, 0.0
	for i, pt := range pts {
		if math.IsNaN(pt.value) {
			continue
		}
		xc := float64(a.catOf[i]) - groupW/2 + slot*(float64(a.serOf[i])+0.5)
		series[a.serOf[i]].boxes = append(series[a.serOf[i]].boxes, box{xc - slot*0.43, xc + slot*0.43, 0, pt.value})
		lo, hi = math.Min(lo, pt.value), math.Max(hi, pt.value)
		if pt.hasCI && pt.ci > 0 {
			eb.bars = append(eb.bars, errBar{x: xc, y: pt.value, lo: pt.value - pt.ci, hi: pt.value + pt.ci})
			lo, hi = math.Min(lo, pt.value-pt.ci), math.Max(hi, pt.value+pt.ci)
		}
	}
	for _, s := range series {
		p.Add(s)
	}
	p.Add(eb)

	categoryTicks(p, a.cats, false)
	p.X.Min, p.X.Max = -0.5, float64(len(a.cats))-0.5
	valueRange(p, &p.Y, lo, hi)
	if lo == 0 && hi == 0 {
		p.Add(&note{text: "all values are 0", style: p.Y.Label.TextStyle})
	}

	if n > 1 {
		l := &sideLegend{heading: a.heading}
		for k, label := range a.series {
			l.add(label, series[k])
		}
		addLegend(p, l)
	}
	return p, series, eb, nil
}

// valueRange sets a value axis to include 0 and [lo, hi] with a little
// headroom; an axis of zeros spans [0, 1].
func valueRange(p *plot.Plot, ax *plot.Axis, lo, hi float64) {
	if lo == 0 && hi == 0 {
		ax.Min, ax.Max = 0, 1
		return
	}
	span := hi - lo
	ax.Min, ax.Max = lo, hi
	if lo < 0 {
		ax.Min = lo - 0.05*span
	}
	if hi > 0 {
		ax.Max = hi + 0.05*span
	}
	ax.Padding = 0
}
