package plots

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Figure is one chart: the gonum plot, with the side legend that Reference
// adds to, a caption and the footnote drawn under the chart. The plot is
// embedded, so that f.Title.Text, f.X and f.Add work as on a *plot.Plot.
type Figure struct {
	*plot.Plot
	// Caption says in a sentence or two what the chart shows, for a report
	// or a notebook; it is not drawn.
	Caption string
	// Note is the footnote drawn under the chart: the number of
	// replications, the confidence level and the horizon it rests on.
	Note string

	legend *sideLegend
	yScale float64 // from a metric's values to the y axis (100 for rates); 0: 1
	nMin   int     // replications per point, over the points drawn (0: none known)
	nMax   int
	paired bool
}

// newFigure returns a figure with poolsim's style (see newPlot).
func newFigure(title, xlabel, ylabel string) *Figure {
	return &Figure{Plot: newPlot(title, xlabel, ylabel)}
}

// setLegend adds the side legend l to the chart, as its legend.
func (f *Figure) setLegend(l *sideLegend) {
	f.Add(l)
	f.legend = l
}

// countN records the replications behind one point drawn.
func (f *Figure) countN(n int) {
	if n <= 0 {
		return
	}
	if f.nMin == 0 || n < f.nMin {
		f.nMin = n
	}
	f.nMax = max(f.nMax, n)
}

// About is what the charts of a sweep rest on, stated in each chart's
// footnote: the confidence level of its intervals and the simulated span.
type About struct {
	// Confidence is the level of the confidence intervals (0.95); 0 when
	// unknown.
	Confidence float64
	// Horizon and Warmup are the simulated span and the warm-up left out
	// of it, as written ("24h", "15m", or a range "1h–24h" when they vary
	// across the grid); "" when unknown.
	Horizon, Warmup string
}

// Describe writes the figure's footnote from what it drew (the
// replications per point) and what a sweep rests on:
// "n = 10 replications per point · 95 % confidence intervals · horizon
// 24h, warm-up 15m".
func (f *Figure) Describe(a About) {
	var parts []string
	switch {
	case f.nMin == 0:
	case f.nMin == f.nMax && f.paired:
		parts = append(parts, fmt.Sprintf("n = %d paired replications per point", f.nMin))
	case f.nMin == f.nMax:
		parts = append(parts, fmt.Sprintf("n = %d replications per point", f.nMin))
	default:
		parts = append(parts, fmt.Sprintf("n = %d to %d replications per point", f.nMin, f.nMax))
	}
	if a.Confidence > 0 {
		parts = append(parts, percent(a.Confidence)+" confidence intervals")
	} else if f.nMin > 0 {
		parts = append(parts, "confidence level not recorded")
	}
	switch {
	case a.Horizon != "" && a.Warmup != "" && a.Warmup != "0s":
		parts = append(parts, "horizon "+a.Horizon+", warm-up "+a.Warmup+" left out")
	case a.Horizon != "":
		parts = append(parts, "horizon "+a.Horizon)
	}
	f.Note = strings.Join(parts, " · ")
}

// percent writes a level such as 0.95 as "95 %".
func percent(level float64) string {
	return strconv.FormatFloat(math.Round(level*1e4)/100, 'f', -1, 64) + " %"
}

// noteSize is the font size of a footnote.
const noteSize = 9

// drawFigure draws the chart on a canvas, its footnote (if any) along the
// bottom edge in small grey type.
func drawFigure(f *Figure, dc draw.Canvas) {
	if f.Note == "" {
		f.Draw(dc)
		return
	}
	sty := f.Legend.TextStyle
	sty.Font = sansSize(noteSize)
	sty.Color = axisGrey
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	h := sty.FontExtents().Height * 1.4
	dc.FillText(sty, vg.Point{X: dc.Min.X, Y: dc.Min.Y}, f.Note)
	f.Draw(draw.Crop(dc, 0, 0, h, 0))
}
