package main

import (
	"image/color"
	"math"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/poolsim/poolsim/plots"
)

// ratioPoints are measured/predicted ratios with the paired interval's
// half-width as error bars.
type ratioPoints struct {
	plotter.XYs
	plotter.YErrors
}

// ratioChart draws, for every compared metric of every case whose
// prediction is not zero, measured / predicted (poolsim's mean plus the
// paired difference, over poolsim's mean) with the paired interval as an
// error bar, cases side by side: the chart where a few per cent show.
// Ratios beyond 0.5–1.6 are drawn on the edge.
func ratioChart(all []*caseResult, dir string) error {
	p := plot.New()
	p.Title.Text = "Measured / predicted, with the paired 95 % interval"
	p.Y.Label.Text = "measured / poolsim"
	const lo, hi = 0.5, 1.6
	groups := map[string]*ratioPoints{}
	var ticks []plot.Tick
	x := 0.0
	for _, cr := range all {
		start := x
		for _, r := range cr.rows {
			if r.sim.mean == 0 || r.paired.n < 2 {
				continue
			}
			k := metricKind(r.metric)
			g := groups[k]
			if g == nil {
				g = &ratioPoints{}
				groups[k] = g
			}
			y := 1 + r.paired.mean/r.sim.mean
			e := r.paired.half / math.Abs(r.sim.mean)
			// Off-scale values sit on the edge, their bars cut there.
			y = math.Max(lo, math.Min(hi, y))
			g.XYs = append(g.XYs, plotter.XY{X: x, Y: y})
			g.YErrors = append(g.YErrors, struct{ Low, High float64 }{math.Min(e, y-lo), math.Min(e, hi-y)})
			x++
		}
		ticks = append(ticks, plot.Tick{Value: (start + x - 1) / 2, Label: strings.Replace(cr.spec.name, "-", "\n", 1)})
		x += 1.5
	}
	if len(groups) == 0 {
		return nil
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -1, x
	one, _ := plotter.NewLine(plotter.XYs{{X: -1, Y: 1}, {X: x, Y: 1}})
	one.Color = color.Gray{Y: 120}
	p.Add(one)
	colors := map[string]color.Color{"rates": color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 255},
		"response times": color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 255},
		"throughput":     color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 255},
		"worker events":  color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 255}}
	for _, k := range sortedKeys(groups) {
		g := groups[k]
		s, err := plotter.NewScatter(g.XYs)
		if err != nil {
			return err
		}
		s.GlyphStyle.Color, s.GlyphStyle.Radius, s.GlyphStyle.Shape = colors[k], vg.Points(2.5), draw.CircleGlyph{}
		eb, err := plotter.NewYErrorBars(g)
		if err != nil {
			return err
		}
		eb.LineStyle.Color = colors[k]
		p.Add(eb, s)
		p.Legend.Add(k, s)
	}
	p.Legend.Top = true
	p.Y.Min, p.Y.Max = lo, hi
	return plots.Save(&plots.Figure{Plot: p, Caption: "measured over predicted per case and metric, with the paired interval"}, dir, "validation-ratio")
}
