package plots

import (
	"errors"
	"fmt"
	"image/color"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
)

// phaseColors colour the phases of a worker's life.
var phaseColors = map[model.Phase]color.NRGBA{
	model.PhaseStarting: rgb(0xedc948),
	model.PhaseServing:  rgb(0x4e79a7),
	model.PhaseDraining: rgb(0xf28e2b),
	model.PhaseHung:     rgb(0xe15759),
}

var phaseOrder = []model.Phase{model.PhaseStarting, model.PhaseServing, model.PhaseDraining, model.PhaseHung}

// exitKind is a kind of end of a worker, drawn as a marker.
type exitKind struct {
	name  string
	whys  []string // Lifecycle.Why values of this kind; nil: every other reason (recycles)
	glyph draw.GlyphStyle
}

var exitKinds = []exitKind{
	{"crash", []string{"crash", "memory"}, draw.GlyphStyle{Color: ink, Radius: vg.Points(5), Shape: boldCross{}}},
	{"killed", []string{"ping", "startup_limit", "shutdown_limit"}, draw.GlyphStyle{Color: rgb(0x7b3294), Radius: vg.Points(5), Shape: boldCross{}}},
	{"pool stopped", []string{"rapid_fail", "emergency_restart"}, draw.GlyphStyle{Color: ink, Radius: vg.Points(3.5), Shape: draw.BoxGlyph{}}},
	{"idle timeout", []string{"idle"}, draw.GlyphStyle{Color: axisGrey, Radius: vg.Points(4), Shape: draw.RingGlyph{}}},
	{"recycle", nil, draw.GlyphStyle{Color: rgb(0x2f6b2f), Radius: vg.Points(4.5), Shape: draw.PyramidGlyph{}}},
}

// exitKindOf returns the index in exitKinds of a reason (not "").
func exitKindOf(why string) int {
	for i, k := range exitKinds {
		if k.whys == nil || slices.Contains(k.whys, why) {
			return i
		}
	}
	return len(exitKinds) - 1
}

// maxWorkerLabels is the most worker rows labelled on the y axis.
const maxWorkerLabels = 24

// Timeline draws the life of every worker of one run: one row per worker in
// start order (the first at the top), coloured spans for its phases
// (starting, serving, draining, hung), and at its exit a marker by the
// reason: a cross for a crash, a purple cross for a kill (ping, startup or
// shutdown limit), a triangle for a recycle, a square when the pool was
// stopped, a ring for an idle timeout. horizon ends spans of workers alive
// at the end (0: the latest time in the lifecycles).
func Timeline(workers []model.Lifecycle, horizon engine.Time) (*plot.Plot, error) {
	if len(workers) == 0 {
		return nil, errors.New("plots: timeline has no workers")
	}
	if horizon <= 0 {
		for _, w := range workers {
			for _, s := range w.Spans {
				if s.End != engine.Never {
					horizon = max(horizon, s.End)
				}
				horizon = max(horizon, s.Start)
			}
			if w.Exit != engine.Never {
				horizon = max(horizon, w.Exit)
			}
		}
		if horizon <= 0 {
			return nil, errors.New("plots: timeline: no horizon given and none found in the lifecycles")
		}
	}
	scale, unit := timeUnit(horizon.Seconds())
	at := func(t engine.Time) float64 { return min(t, horizon).Seconds() / scale }

	n := len(workers)
	p := newPlot("Worker lifecycles", "time since start ("+unit+")", "worker (start order)")
	p.Add(grid(true))

	const half = 0.32
	spans := map[model.Phase]*rects{}
	var other *rects
	for i, w := range workers {
		y := float64(n - 1 - i)
		for _, s := range w.Spans {
			if s.Start >= horizon || s.End <= s.Start {
				continue
			}
			r := spans[s.Phase]
			if _, known := phaseColors[s.Phase]; !known {
				if other == nil {
					other = &rects{fill: color.Gray{Y: 0xaa}}
				}
				r = other
			} else if r == nil {
				r = &rects{fill: phaseColors[s.Phase]}
				spans[s.Phase] = r
			}
			r.boxes = append(r.boxes, box{at(s.Start), at(s.End), y - half, y + half})
		}
	}
	legend := &sideLegend{}
	for _, ph := range phaseOrder {
		if r := spans[ph]; r != nil {
			p.Add(r)
			legend.add(ph.String(), r)
		}
	}
	if other != nil {
		p.Add(other)
		legend.add("other phase", other)
	}

	// Exit markers, one scatter per kind.
	marks := make([]plotter.XYs, len(exitKinds))
	whys := make([][]string, len(exitKinds))
	for i, w := range workers {
		if w.Exit == engine.Never || w.Exit > horizon || w.Why == "" {
			continue
		}
		k := exitKindOf(w.Why)
		marks[k] = append(marks[k], plotter.XY{X: at(w.Exit), Y: float64(n - 1 - i)})
		if !slices.Contains(whys[k], w.Why) {
			whys[k] = append(whys[k], w.Why)
		}
	}
	for k, xys := range marks {
		if len(xys) == 0 {
			continue
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("plots: exit markers: %w", err)
		}
		s.GlyphStyle = exitKinds[k].glyph
		// Smaller markers when rows are thin (about 230 points of rows at
		// the slide size), so that a crash loop still shows its spans.
		s.GlyphStyle.Radius = min(s.GlyphStyle.Radius, max(vg.Points(1.5), vg.Points(0.45*230/float64(n))))
		p.Add(s)
		label := exitKinds[k].name
		if len(whys[k]) > 1 || whys[k][0] != label {
			label += " (" + strings.ReplaceAll(strings.Join(whys[k], ", "), "_", " ") + ")"
		}
		legend.add(label, glyphThumb(exitKinds[k].glyph))
	}
	addLegend(p, legend)

	// Worker labels, thinned when there are many rows.
	every := max(1, (n+maxWorkerLabels-1)/maxWorkerLabels)
	var ticks []plot.Tick
	for i, w := range workers {
		t := plot.Tick{Value: float64(n - 1 - i)}
		if i%every == 0 {
			t.Label = fmt.Sprintf("#%d", w.ID)
			if w.PID != 0 {
				t.Label += fmt.Sprintf(" pid %d", w.PID)
			}
		}
		ticks = append(ticks, t)
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Tick.Length = 0
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Min, p.X.Max = 0, horizon.Seconds()/scale
	p.X.Tick.Marker = timeTicks(scale)
	p.X.Padding = 0
	return p, nil
}

// boldCross is an × that stays visible over coloured spans.
type boldCross struct{}

func (boldCross) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: max(vg.Points(0.5), sty.Radius*0.4)})
	r := sty.Radius * 0.7071
	var path vg.Path
	path.Move(vg.Point{X: pt.X - r, Y: pt.Y - r})
	path.Line(vg.Point{X: pt.X + r, Y: pt.Y + r})
	path.Move(vg.Point{X: pt.X - r, Y: pt.Y + r})
	path.Line(vg.Point{X: pt.X + r, Y: pt.Y - r})
	c.Stroke(path)
}
