package plots

import (
	"errors"
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
)

// MaxBins is the most intervals a time series chart draws: longer series
// are merged into wider intervals (a pixel per interval at the slide size,
// and SVG files of a few hundred kilobytes at most).
const MaxBins = 1000

// outcome is one stacked layer of a time series.
type outcome struct {
	name  string
	color color.NRGBA
	count func(*model.SeriesRow) int64
}

var outcomes = []outcome{
	{"ok", rgb(0x8cd17d), func(r *model.SeriesRow) int64 { return r.OK }},
	{"stale", rgb(0xb6992d), func(r *model.SeriesRow) int64 { return r.Stale }},
	{"error (500)", rgb(0xf28e2b), func(r *model.SeriesRow) int64 { return r.Error }},
	{"503", rgb(0xe15759), func(r *model.SeriesRow) int64 { return r.Rejected }},
	{"expired in queue", rgb(0xb07aa1), func(r *model.SeriesRow) int64 { return r.Expired }},
	{"abandoned", rgb(0x9c755f), func(r *model.SeriesRow) int64 { return r.Abandoned }},
	{"client timeout", rgb(0x499894), func(r *model.SeriesRow) int64 { return r.ClientTimeout }},
}

// stoppedShade darkens whatever the pool-stopped intervals hold.
var stoppedShade = color.NRGBA{R: 0x20, G: 0x20, B: 0x20, A: 0x30}

// TimeSeries draws one run's time series: the outcomes decided in each
// interval, stacked (ok, stale, error, 503, expired,
// abandoned, client timeout; a layer that never happens is left out), the
// workers alive at the end of each interval as a black step line on a
// second axis at the right, and the intervals in which rapid-fail protection
// had stopped the pool shaded. Time runs from the start of the run, in
// hours (minutes or seconds for short runs). interval is the width of a row;
// 0 takes it from the rows' start times. Series longer than MaxBins rows are
// merged into wider intervals.
func TimeSeries(rows []model.SeriesRow, interval engine.Time) (*Figure, error) {
	s, err := newSeriesAxis(rows, interval)
	if err != nil {
		return nil, err
	}
	per := formatSpan(s.interval.Seconds())
	f := newFigure("Outcomes per "+per+" interval", "time since start ("+s.unit+")", "requests per "+per)
	legend := &sideLegend{}
	f.Add(grid(false))
	top := stackOutcomes(f, legend, s)
	ymax := top * 1.06
	if ymax == 0 {
		ymax = 1
	}
	shade := stoppedShading(s)
	if len(shade.boxes) > 0 {
		f.Add(shade)
	}
	if err := workersAlive(f, legend, s, ymax); err != nil {
		return nil, err
	}
	if len(shade.boxes) > 0 {
		legend.add("pool stopped", shade)
	}
	f.setLegend(legend)
	s.timeAxis(f)
	f.Y.Min, f.Y.Max = 0, ymax
	f.Y.Padding = 0
	f.Caption = "What became of the requests in each " + per + " interval of the run, stacked by outcome, with the workers alive (right axis) and the stretches when the pool was stopped shaded."
	return f, nil
}

// seriesAxis is a time series placed on a time axis: rows (merged to at
// most MaxBins) and the start and end of each, in the axis's unit.
type seriesAxis struct {
	rows     []model.SeriesRow
	interval engine.Time
	x0, x1   []float64
	scale    float64 // seconds per axis unit
	unit     string
}

func newSeriesAxis(rows []model.SeriesRow, interval engine.Time) (*seriesAxis, error) {
	if len(rows) == 0 {
		return nil, errors.New("plots: time series has no rows")
	}
	if interval <= 0 {
		if len(rows) < 2 || rows[1].Start <= rows[0].Start {
			return nil, errors.New("plots: time series: interval not given and not found from the rows' start times")
		}
		interval = rows[1].Start - rows[0].Start
	}
	for i := 1; i < len(rows); i++ {
		if rows[i].Start < rows[i-1].Start {
			return nil, fmt.Errorf("plots: time series: row %d starts at %v, before row %d (%v)", i+1, rows[i].Start, i, rows[i-1].Start)
		}
	}
	rows, interval = merge(rows, interval)
	s := &seriesAxis{rows: rows, interval: interval}
	s.scale, s.unit = timeUnit((rows[len(rows)-1].Start + interval).Seconds())
	n := len(rows)
	s.x0, s.x1 = make([]float64, n), make([]float64, n)
	for i, r := range rows {
		s.x0[i] = r.Start.Seconds() / s.scale
		s.x1[i] = (r.Start + interval).Seconds() / s.scale
		if i+1 < n && rows[i+1].Start < r.Start+interval {
			s.x1[i] = rows[i+1].Start.Seconds() / s.scale
		}
	}
	return s, nil
}

// timeAxis sets the x axis to the series' span with round time ticks.
func (s *seriesAxis) timeAxis(f *Figure) {
	f.X.Min, f.X.Max = s.x0[0], s.x1[len(s.x1)-1]
	f.X.Tick.Marker = timeTicks(s.scale)
	f.X.Padding = 0
}

// stoppedShading shades the intervals in which the pool was stopped.
func stoppedShading(s *seriesAxis) *rects {
	shade := &rects{fill: stoppedShade, fullHeight: true}
	for i, r := range s.rows {
		if r.Stopped {
			if k := len(shade.boxes) - 1; k >= 0 && shade.boxes[k].x1 == s.x0[i] {
				shade.boxes[k].x1 = s.x1[i]
				continue
			}
			shade.boxes = append(shade.boxes, box{x0: s.x0[i], x1: s.x1[i]})
		}
	}
	return shade
}

// stackOutcomes adds one stacked layer per outcome that happens (ok always)
// and returns the height of the stack.
func stackOutcomes(f *Figure, legend *sideLegend, s *seriesAxis) (top float64) {
	n := len(s.rows)
	base := make([]float64, n)
	for k, o := range outcomes {
		lo, hi := make([]float64, n), make([]float64, n)
		var any bool
		for i := range s.rows {
			c := float64(o.count(&s.rows[i]))
			lo[i], hi[i] = base[i], base[i]+c
			base[i] = hi[i]
			top = math.Max(top, hi[i])
			any = any || c != 0
		}
		if !any && k != 0 {
			continue
		}
		area := &stepArea{x0: s.x0, x1: s.x1, lo: lo, hi: hi, fill: o.color}
		f.Add(area)
		legend.add(o.name, area)
	}
	return top
}

// workersAlive draws the workers alive as a step line scaled into the
// value axis, with its own axis at the right.
func workersAlive(f *Figure, legend *sideLegend, s *seriesAxis, ymax float64) error {
	maxW := 1
	for _, r := range s.rows {
		maxW = max(maxW, r.WorkersAlive)
	}
	wscale := ymax * 0.9 / float64(maxW)
	steps := make(plotter.XYs, 0, 2*len(s.rows))
	for i, r := range s.rows {
		y := float64(r.WorkersAlive) * wscale
		steps = append(steps, plotter.XY{X: s.x0[i], Y: y}, plotter.XY{X: s.x1[i], Y: y})
	}
	workers, err := plotter.NewLine(steps)
	if err != nil {
		return fmt.Errorf("plots: workers alive: %w", err)
	}
	workers.Color = ink
	workers.Width = vg.Points(1.5)
	f.Add(workers)
	legend.add("workers alive (right axis)", workers)
	step := max(1, int(math.Ceil(float64(maxW)/5)))
	axis := &sideAxis{label: "workers alive"}
	for w := 0; w <= maxW; w += step {
		axis.ticks = append(axis.ticks, plot.Tick{Value: float64(w) * wscale, Label: fmt.Sprint(w)})
	}
	legend.axis = axis
	return nil
}

// merge joins consecutive rows so that at most MaxBins remain: counts add
// up, workers alive and busy threads are those at the end of the merged
// interval, the queue and memory are maxima, and the pool counts as stopped
// if it was in any of the rows.
func merge(rows []model.SeriesRow, interval engine.Time) ([]model.SeriesRow, engine.Time) {
	if len(rows) <= MaxBins {
		return rows, interval
	}
	k := (len(rows) + MaxBins - 1) / MaxBins
	// Prefer a round merged interval (2m rather than 1m45s).
	for _, r := range roundSpans {
		if r >= interval*engine.Time(k) && r%interval == 0 {
			k = int(r / interval)
			break
		}
	}
	out := make([]model.SeriesRow, 0, (len(rows)+k-1)/k)
	for i := 0; i < len(rows); i += k {
		m := rows[i]
		for _, r := range rows[i+1 : min(i+k, len(rows))] {
			m.Arrivals += r.Arrivals
			m.OK += r.OK
			m.Stale += r.Stale
			m.Error += r.Error
			m.Rejected += r.Rejected
			m.Expired += r.Expired
			m.Abandoned += r.Abandoned
			m.ClientTimeout += r.ClientTimeout
			m.QueueMax = max(m.QueueMax, r.QueueMax)
			m.BusyThreads = r.BusyThreads
			m.WorkersAlive = r.WorkersAlive
			m.OldestMemoryMB = math.Max(m.OldestMemoryMB, r.OldestMemoryMB)
			m.Stopped = m.Stopped || r.Stopped
			m.ResponseSumS += r.ResponseSumS
		}
		out = append(out, m)
	}
	return out, interval * engine.Time(k)
}

// roundSpans are the interval widths a long series is merged into when
// its own interval divides one.
var roundSpans = []engine.Time{
	engine.Second, 2 * engine.Second, 5 * engine.Second, 10 * engine.Second, 15 * engine.Second, 30 * engine.Second,
	engine.Minute, 2 * engine.Minute, 5 * engine.Minute, 10 * engine.Minute, 15 * engine.Minute, 30 * engine.Minute,
	engine.Hour, 2 * engine.Hour, 3 * engine.Hour, 6 * engine.Hour, 12 * engine.Hour, 24 * engine.Hour,
}

// glyphThumb is a thumbnail of a glyph.
func glyphThumb(g draw.GlyphStyle) thumb {
	return func(c *draw.Canvas) { c.DrawGlyph(g, c.Center()) }
}
