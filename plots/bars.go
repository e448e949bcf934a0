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
// group is ""), the mean with its confidence interval as an error bar
// clipped at the metric's natural bounds (no 503 rate below 0 %), the value
// axis from 0. Rates are drawn as percentages. A bar of zero height is drawn
// as a marker with its value, so that it does not read as missing data.
// Sweep keys other than group that take several values split the bars
// further, so that no grid point is hidden.
func Bars(summary *Table, metric, group string) (*Figure, error) {
	return bars(summary, metric, "variant", group, false)
}

// bars draws grouped bars of metric with categories from dimension x
// ("variant" or a sweep key) and series from dimension group ("" for
// none, "variant", or a sweep key); raw keeps the keys' names as written.
func bars(t *Table, metric, x, group string, raw bool) (*Figure, error) {
	f, _, err := buildBars(t, metric, x, group, raw)
	return f, err
}

// barSet is what buildBars places: the bars of each series, their error
// bars and the markers of zero bars.
type barSet struct {
	series []*rects
	eb     *errBars
	zeros  *zeroMarks
}

// buildBars is bars, also returning what it placed.
func buildBars(t *Table, metric, x, group string, raw bool) (*Figure, barSet, error) {
	if err := t.need("summary"); err != nil {
		return nil, barSet{}, err
	}
	pts, dims, err := t.points(metric, "_mean", "_ci")
	if err != nil {
		return nil, barSet{}, err
	}
	if x == "" {
		x = "variant"
	}
	xi, err := dimIndex(t, dims, x)
	if err != nil {
		return nil, barSet{}, err
	}
	gi := -1
	if group != "" {
		if group == x {
			return nil, barSet{}, fmt.Errorf("plots: chart of %s groups by %q, which is already its x axis", metric, group)
		}
		if gi, err = dimIndex(t, dims, group); err != nil {
			return nil, barSet{}, err
		}
	}
	a, err := arrange(t, pts, dims, xi, gi, raw)
	if err != nil {
		return nil, barSet{}, err
	}

	xname := keyTitle(x, raw)
	f := newFigure(capitalize(MetricName(metric))+" by "+xname, xname+"  (error bars: confidence interval)", axisLabel(metric))
	f.yScale = MetricScale(metric)
	f.Add(grid(false))
	set, lo, hi := placeBars(f, pts, a, metric)
	for _, s := range set.series {
		f.Add(s)
	}
	f.Add(set.eb, set.zeros)

	categoryTicks(f.Plot, a.cats, false)
	f.X.Min, f.X.Max = -0.5, float64(len(a.cats))-0.5
	valueRange(&f.Y, lo, hi)
	if n := len(a.series); n > 1 {
		l := &sideLegend{heading: a.heading}
		for k, label := range a.series {
			l.add(label, set.series[k])
		}
		f.setLegend(l)
	}
	f.Caption = fmt.Sprintf("%s (%s) of each %s: the mean over the replications, with its confidence interval as an error bar.",
		capitalize(MetricName(metric)), metric, x)
	return f, set, nil
}

// placeBars lays out one bar per point, returning them with the range of
// values they cover.
func placeBars(f *Figure, pts []point, a *arrangement, metric string) (set barSet, lo, hi float64) {
	n := len(a.series)
	groupW := 0.8
	if n == 1 {
		groupW = 0.6
	}
	slot := groupW / float64(n)
	set.series = make([]*rects, n)
	for k := range set.series {
		set.series[k] = &rects{fill: seriesColor(k, n, a.ordered)}
	}
	set.eb = &errBars{capHalf: slot * 0.2, style: draw.LineStyle{Color: ink, Width: vg.Points(1.2)}}
	set.zeros = &zeroMarks{metric: metric}
	scale := MetricScale(metric)
	bmin, bmax := metricBounds(metric)
	for i, pt := range pts {
		if math.IsNaN(pt.value) {
			continue
		}
		f.countN(pt.n)
		v := pt.value * scale
		xc := float64(a.catOf[i]) - groupW/2 + slot*(float64(a.serOf[i])+0.5)
		set.series[a.serOf[i]].boxes = append(set.series[a.serOf[i]].boxes, box{xc - slot*0.43, xc + slot*0.43, 0, v})
		if v == 0 {
			set.zeros.at = append(set.zeros.at, xc)
		}
		lo, hi = math.Min(lo, v), math.Max(hi, v)
		if pt.hasCI && pt.ci > 0 {
			l, h := clip(v-pt.ci*scale, bmin, bmax), clip(v+pt.ci*scale, bmin, bmax)
			set.eb.bars = append(set.eb.bars, errBar{x: xc, y: v, lo: l, hi: h})
			lo, hi = math.Min(lo, l), math.Max(hi, h)
		}
	}
	return set, lo, hi
}

// clip bounds v to [lo, hi].
func clip(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// keyTitle names a dimension on a chart: "variant" stays, a sweep key gets
// its readable name unless raw.
func keyTitle(key string, raw bool) string {
	if raw || key == "variant" || key == "" {
		return key
	}
	return KeyName(key)
}

// valueRange sets a value axis to include 0 and [lo, hi] with a little
// headroom; an axis of zeros spans [0, 1].
func valueRange(ax *plot.Axis, lo, hi float64) {
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
		ax.Max = hi + 0.08*span
	}
	ax.Padding = 0
}

// zeroMarks draws, at each x of a bar of height zero, a short dark line on
// the axis and the value "0" above it: a bar that is there and is zero.
type zeroMarks struct {
	at     []float64
	metric string
}

func (z *zeroMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := p.Y.Tick.Label
	sty.XAlign, sty.YAlign, sty.Rotation = draw.XCenter, draw.YBottom, 0
	sty.Color = ink
	label := zeroLabel(z.metric)
	line := draw.LineStyle{Color: ink, Width: vg.Points(2.5)}
	for _, x := range z.at {
		xc, y := trX(x), trY(0)
		c.StrokeLines(line, []vg.Point{{X: xc - vg.Points(6), Y: y}, {X: xc + vg.Points(6), Y: y}})
		c.FillText(sty, vg.Point{X: xc, Y: y + vg.Points(3)}, label)
	}
}

// zeroLabel is a zero bar's value as written over it.
func zeroLabel(metric string) string {
	if isRate(metric) {
		return "0 %"
	}
	return "0"
}
