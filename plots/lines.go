package plots

import (
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
// through the means, with the confidence interval as a translucent band.
// Sweep values may be numbers, durations ("90s", read in seconds) or sizes
// ("120MB", read in MB).
func Lines(summary *Table, x, metric string) (*plot.Plot, error) {
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
	xs := make([]float64, len(pts))
	var raw []string
	for i, pt := range pts {
		v, ok := number(pt.dims[xi])
		if !ok {
			return nil, fmt.Errorf("plots: %s: sweep key %q has the value %q, which is not a number: draw it as bars grouped by %q instead", summary.name(), x, pt.dims[xi], x)
		}
		xs[i] = v
		raw = append(raw, pt.dims[xi])
	}
	// The variant heads the series; other varying keys split them.
	a, err := arrange(summary, pts, dims, xi, 0)
	if err != nil {
		return nil, err
	}

	xlabel := x
	if u := numericUnit(raw); u != "" {
		xlabel += " (" + u + ")"
	}
	p := newPlot(capitalize(MetricName(metric))+" against "+x, xlabel, axisLabel(metric))
	p.Add(grid(false))
	legend := &sideLegend{heading: a.heading}
	if len(a.series) > 1 && a.heading == "" {
		legend.heading = "variant and sweep point"
	}

	lo, hi := math.Inf(1), math.Inf(-1)
	var lines []plot.Plotter
	for k, label := range a.series {
		var idx []int
		for i := range pts {
			if a.serOf[i] == k && !math.IsNaN(pts[i].value) {
				idx = append(idx, i)
			}
		}
		slices.SortStableFunc(idx, func(i, j int) int {
			switch {
			case xs[i] < xs[j]:
				return -1
			case xs[i] > xs[j]:
				return 1
			}
			return 0
		})
		col := seriesColor(k, len(a.series), false)
		mean := make(plotter.XYs, len(idx))
		var upper, lower plotter.XYs
		for j, i := range idx {
			mean[j] = plotter.XY{X: xs[i], Y: pts[i].value}
			lo, hi = math.Min(lo, pts[i].value), math.Max(hi, pts[i].value)
			if pts[i].hasCI {
				upper = append(upper, plotter.XY{X: xs[i], Y: pts[i].value + pts[i].ci})
				lower = append(lower, plotter.XY{X: xs[i], Y: pts[i].value - pts[i].ci})
				lo, hi = math.Min(lo, pts[i].value-pts[i].ci), math.Max(hi, pts[i].value+pts[i].ci)
			}
		}
		if len(mean) == 0 {
			continue
		}
		var thumbs []plot.Thumbnailer
		if len(upper) == len(mean) && len(mean) > 1 {
			ring := append(upper, reversed(lower)...)
			band, err := plotter.NewPolygon(ring)
			if err != nil {
				return nil, fmt.Errorf("plots: band of %s: %w", label, err)
			}
			band.Color = withAlpha(col, 56)
			band.LineStyle.Width = 0
			p.Add(band)
			thumbs = append(thumbs, band)
		}
		line, err := plotter.NewLine(mean)
		if err != nil {
			return nil, fmt.Errorf("plots: line of %s: %w", label, err)
		}
		line.Color = col
		line.Width = vg.Points(2)
		line.Dashes = seriesDashes(k)
		dots, err := plotter.NewScatter(mean)
		if err != nil {
			return nil, fmt.Errorf("plots: points of %s: %w", label, err)
		}
		dots.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		lines = append(lines, line, dots)
		legend.add(label, append(thumbs, line, dots)...)
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("plots: %s has no values of %s to draw", summary.name(), metric)
	}
	p.Add(lines...) // over every band
	addLegend(p, legend)

	xmin, xmax := slices.Min(xs), slices.Max(xs)
	pad := 0.03 * (xmax - xmin)
	if pad == 0 {
		pad = math.Max(0.5, math.Abs(xmin)*0.1)
	}
	p.X.Min, p.X.Max = xmin-pad, xmax+pad
	valueRange(p, &p.Y, math.Min(lo, 0), math.Max(hi, 0))
	if lo == 0 && hi == 0 {
		p.Add(&note{text: "all values are 0", style: p.Y.Label.TextStyle})
	}
	if vals := distinct(raw); len(vals) <= 8 {
		// Tick exactly the swept values.
		var ticks []plot.Tick
		for _, v := range vals {
			f, _ := number(v)
			ticks = append(ticks, plot.Tick{Value: f, Label: strings.Trim(v, `"`)})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	return p, nil
}

func reversed(xys plotter.XYs) plotter.XYs {
	out := slices.Clone(xys)
	slices.Reverse(out)
	return out
}
