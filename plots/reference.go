package plots

import (
	"bytes"
	"fmt"
	"io"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// FromCSV returns the table that write writes as CSV: with
// experiments.Results, FromCSV(res.WriteSummary) is the sweep's summary.csv
// and FromCSV(res.WriteCompare) its compare.csv, without a file.
func FromCSV(write func(io.Writer) error) (*Table, error) {
	var b bytes.Buffer
	if err := write(&b); err != nil {
		return nil, fmt.Errorf("plots: %w", err)
	}
	return ParseTable(&b)
}

// Where returns the rows of t whose column holds value, as a new table with
// the same columns (and no rows if there is no such column): one variant of
// a summary, say, for a chart of it alone.
func (t *Table) Where(column, value string) *Table {
	out := &Table{Name: fmt.Sprintf("%s where %s = %s", t.name(), column, value), Columns: t.Columns}
	if c := t.Col(column); c >= 0 {
		for _, r := range t.Rows {
			if c < len(r) && r[c] == value {
				out.Rows = append(out.Rows, r)
			}
		}
	}
	return out
}

// Reference draws a reference curve through the points (xs[i], ys[i]) on a
// chart, as a thin dashed dark line over the data (a formula beside the
// simulation, say), and names it in the chart's legend as label (no entry
// when label is ""). ys are in the metric's own units, as model's formulas
// give them (a rate as a fraction: the chart's percentages are applied
// here). Points where ys is not finite, or not positive on a logarithmic
// axis, are left out, as the formula has no value there. It fails when xs
// and ys differ in length or no point is left.
func Reference(p *Figure, label string, xs, ys []float64) error {
	if len(xs) != len(ys) {
		return fmt.Errorf("plots: reference %q: %d x values and %d y values", label, len(xs), len(ys))
	}
	var xys plotter.XYs
	scale := p.yScale
	if scale == 0 {
		scale = 1
	}
	_, logX := p.X.Scale.(plot.LogScale)
	_, logY := p.Y.Scale.(plot.LogScale)
	for i := range xs {
		y := ys[i] * scale
		if finite(xs[i]) && finite(y) && (!logX || xs[i] > 0) && (!logY || y > 0) {
			xys = append(xys, plotter.XY{X: xs[i], Y: y})
		}
	}
	if len(xys) == 0 {
		return fmt.Errorf("plots: reference %q has no finite point to draw", label)
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return fmt.Errorf("plots: reference %q: %w", label, err)
	}
	line.Color = ink
	line.Width = vg.Points(1.5)
	line.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	p.Add(line)
	if label == "" {
		return nil
	}
	if l := legendOf(p); l != nil {
		l.add(label, line)
		return nil
	}
	l := &sideLegend{}
	l.add(label, line)
	p.setLegend(l)
	return nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// legendOf returns the side legend of a chart, or nil.
func legendOf(f *Figure) *sideLegend { return f.legend }
