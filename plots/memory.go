package plots

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// MemoryLimits are the lines drawn across the memory panel: where an
// allocation fails and the worker crashes (pool.memory.limit), and where a
// worker is recycled (pool.recycle.private_memory); zero draws none.
type MemoryLimits struct {
	Crash, Recycle scenario.Size
}

// Memory draws the private memory of the oldest live worker through one
// run, at the end of each interval of the time series (the maximum over an
// interval when a long series is merged), the limits as dashed lines, and
// the run's events along the top: crashes, recycles, kills (ping, startup
// or shutdown limit) and rapid-fail trips (the pool stopped), each with its
// own marker, at the time the worker concerned exited. A run whose workers
// keep no memory draws the events alone over a flat line.
func Memory(rows []model.SeriesRow, workers []model.Lifecycle, interval engine.Time, limits MemoryLimits) (*Figure, error) {
	s, err := newSeriesAxis(rows, interval)
	if err != nil {
		return nil, err
	}
	f := newFigure("Memory of the oldest worker, and events", "time since start ("+s.unit+")", "private memory (MB)")
	f.Add(grid(false))
	legend := &sideLegend{}
	steps := make(plotter.XYs, 0, 2*len(s.rows))
	top := 0.0
	for i, r := range s.rows {
		steps = append(steps, plotter.XY{X: s.x0[i], Y: r.OldestMemoryMB}, plotter.XY{X: s.x1[i], Y: r.OldestMemoryMB})
		top = math.Max(top, r.OldestMemoryMB)
	}
	mem, err := plotter.NewLine(steps)
	if err != nil {
		return nil, fmt.Errorf("plots: memory: %w", err)
	}
	mem.Color, mem.Width = categorical[0], vg.Points(1.8)
	f.Add(mem)
	legend.add("oldest worker's memory", mem)
	for _, l := range []struct {
		size  scenario.Size
		label string
	}{{limits.Crash, "memory limit (crash)"}, {limits.Recycle, "recycle threshold"}} {
		if l.size <= 0 {
			continue
		}
		mb := float64(l.size) / (1 << 20)
		ref := &refLine{value: mb, style: draw.LineStyle{Color: ink, Width: vg.Points(1.2), Dashes: []vg.Length{vg.Points(5), vg.Points(3)}}}
		if l.label == "recycle threshold" {
			ref.style.Color = rgb(0x2f6b2f)
		}
		f.Add(ref)
		legend.add(l.label, ref)
		top = math.Max(top, mb)
	}
	if top == 0 {
		top = 1
	}
	// Events in a strip above the memory; the pool's stops shaded, and
	// marked where each began.
	strip := top * 1.12
	if err := eventStrip(f, legend, workers, engine.FromSeconds(s.x1[len(s.x1)-1]*s.scale), s.scale, strip); err != nil {
		return nil, err
	}
	if shade := stoppedShading(s); len(shade.boxes) > 0 {
		xys := make(plotter.XYs, len(shade.boxes))
		for i, b := range shade.boxes {
			xys[i] = plotter.XY{X: b.x0, Y: top * 1.06} // a row of their own, below the exits
		}
		stops, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("plots: rapid-fail stops: %w", err)
		}
		stops.GlyphStyle = exitKinds[2].glyph
		f.Add(shade, stops)
		legend.add(fmt.Sprintf("rapid-fail stop (%d)", len(xys)), glyphThumb(stops.GlyphStyle), shade)
	}
	f.setLegend(legend)
	s.timeAxis(f)
	f.Y.Min, f.Y.Max, f.Y.Padding = 0, top*1.2, 0
	f.Caption = "The private memory of the oldest live worker, and along the top every crash, recycle, kill and rapid-fail stop of the run."
	return f, nil
}

// eventKind is a kind of event marked along the top of a single-run chart.
type eventKind struct {
	name string
	exit int // the index in exitKinds of the exits it marks
}

// runEvents are marked in this order; idle exits are not events, and the
// pool's stops are marked from the time series (a stop may find no worker
// alive to stop).
var runEvents = []eventKind{
	{"crash", 0}, {"kill", 1}, {"recycle", 4},
}

// eventStrip adds a row of markers at height y: one per distinct time at
// which a worker exited for each kind of event.
func eventStrip(f *Figure, legend *sideLegend, workers []model.Lifecycle, horizon engine.Time, scale, y float64) error {
	for _, ev := range runEvents {
		var at []float64
		for _, w := range workers {
			if w.Exit == engine.Never || w.Exit > horizon || w.Why == "" || exitKindOf(w.Why) != ev.exit {
				continue
			}
			if x := w.Exit.Seconds() / scale; !slices.Contains(at, x) {
				at = append(at, x)
			}
		}
		if len(at) == 0 {
			continue
		}
		xys := make(plotter.XYs, len(at))
		for i, x := range at {
			xys[i] = plotter.XY{X: x, Y: y}
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return fmt.Errorf("plots: %s markers: %w", ev.name, err)
		}
		s.GlyphStyle = exitKinds[ev.exit].glyph
		f.Add(s)
		legend.add(fmt.Sprintf("%s (%d)", ev.name, len(at)), glyphThumb(s.GlyphStyle))
	}
	return nil
}
