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
	model.PhaseExiting:  rgb(0xbab0ac),
}

var phaseOrder = []model.Phase{model.PhaseStarting, model.PhaseServing, model.PhaseDraining, model.PhaseExiting, model.PhaseHung}

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
func Timeline(workers []model.Lifecycle, horizon engine.Time) (*Figure, error) {
	if len(workers) == 0 {
		return nil, errors.New("plots: timeline has no workers")
	}
	if horizon <= 0 {
		if horizon = lastTime(workers); horizon <= 0 {
			return nil, errors.New("plots: timeline: no horizon given and none found in the lifecycles")
		}
	}
	scale, unit := timeUnit(horizon.Seconds())
	at := func(t engine.Time) float64 { return min(t, horizon).Seconds() / scale }

	n := len(workers)
	f := newFigure("Worker lifecycles", "time since start ("+unit+")", "worker (start order)")
	f.Add(grid(true))
	legend := &sideLegend{}
	phaseSpans(f, legend, workers, horizon, at)
	if err := exitMarks(f, legend, workers, horizon, at); err != nil {
		return nil, err
	}
	f.setLegend(legend)
	workerTicks(f, workers)
	f.Y.Min, f.Y.Max = -0.6, float64(n)-0.4
	f.X.Min, f.X.Max = 0, horizon.Seconds()/scale
	f.X.Tick.Marker = timeTicks(scale)
	f.X.Padding = 0
	f.Caption = "The life of every worker process, one row each in start order: its phases, and a marker where and why it ended."
	return f, nil
}

// lastTime is the latest time the lifecycles mention.
func lastTime(workers []model.Lifecycle) engine.Time {
	var last engine.Time
	for _, w := range workers {
		for _, s := range w.Spans {
			if s.End != engine.Never {
				last = max(last, s.End)
			}
			last = max(last, s.Start)
		}
		if w.Exit != engine.Never {
			last = max(last, w.Exit)
		}
	}
	return last
}

// phaseSpans adds a bar per phase of each worker's life, one colour per
// phase.
func phaseSpans(f *Figure, legend *sideLegend, workers []model.Lifecycle, horizon engine.Time, at func(engine.Time) float64) {
	const half = 0.32
	n := len(workers)
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
	for _, ph := range phaseOrder {
		if r := spans[ph]; r != nil {
			f.Add(r)
			legend.add(ph.String(), r)
		}
	}
	if other != nil {
		f.Add(other)
		legend.add("other phase", other)
	}
}

// exitMarks adds a marker at each worker's exit, one scatter per kind.
func exitMarks(f *Figure, legend *sideLegend, workers []model.Lifecycle, horizon engine.Time, at func(engine.Time) float64) error {
	n := len(workers)
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
			return fmt.Errorf("plots: exit markers: %w", err)
		}
		s.GlyphStyle = exitKinds[k].glyph
		// Smaller markers when rows are thin (about 230 points of rows at
		// the slide size), so that a crash loop still shows its spans.
		s.GlyphStyle.Radius = min(s.GlyphStyle.Radius, max(vg.Points(1.5), vg.Points(0.45*230/float64(n))))
		f.Add(s)
		legend.add(exitLabel(k, whys[k]), glyphThumb(exitKinds[k].glyph))
	}
	return nil
}

// exitLabel names a kind of exit with the reasons seen: "killed (ping)".
func exitLabel(k int, whys []string) string {
	label := exitKinds[k].name
	if len(whys) > 1 || whys[0] != label {
		label += " (" + strings.ReplaceAll(strings.Join(whys, ", "), "_", " ") + ")"
	}
	return label
}

// workerTicks labels the worker rows, thinned when there are many.
func workerTicks(f *Figure, workers []model.Lifecycle) {
	n := len(workers)
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
	f.Y.Tick.Marker = plot.ConstantTicks(ticks)
	f.Y.Tick.Length = 0
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
