package plots

import (
	"cmp"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Slide size and resolution of saved charts.
const (
	Width  = 8 * vg.Inch
	Height = 4.5 * vg.Inch
	DPI    = 160 // PNG: 1280 × 720 pixels at the slide size
)

// Font sizes, readable on a projected slide.
const (
	titleSize  = 14
	labelSize  = 11
	tickSize   = 10
	legendSize = 10
)

var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

func sansSize(size vg.Length) font.Font {
	f := sans
	f.Size = size
	return f
}

// newPlot returns a plot with poolsim's style: sans fonts at slide sizes, a
// title, axis labels, light grid lines along the value axis.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = sansSize(titleSize)
	p.Title.Padding = vg.Points(8)
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = sansSize(labelSize)
		a.Tick.Label.Font = sansSize(tickSize)
		a.Label.Padding = vg.Points(4)
		a.LineStyle.Color = axisGrey
		a.Tick.LineStyle.Color = axisGrey
		a.Tick.Marker = niceTicks{}
	}
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	p.Legend.TextStyle.Font = sansSize(legendSize)
	return p
}

// grid returns grid lines along the value axis only (horizontal lines for
// vertical bars, vertical lines when horizontal is true).
func grid(horizontal bool) *plotter.Grid {
	g := plotter.NewGrid()
	g.Horizontal.Color = gridGrey
	g.Vertical.Color = gridGrey
	g.Horizontal.Width = vg.Points(0.5)
	g.Vertical.Width = vg.Points(0.5)
	if horizontal {
		g.Horizontal.Color = nil
	} else {
		g.Vertical.Color = nil
	}
	return g
}

var (
	axisGrey = color.Gray{Y: 0x55}
	gridGrey = color.Gray{Y: 0xdd}
	ink      = color.Gray{Y: 0x22}
)

// categorical is Tableau 10: distinct hues that stay apart for common forms
// of colour blindness, and readable on white.
var categorical = []color.NRGBA{
	rgb(0x4e79a7), rgb(0xf28e2b), rgb(0xe15759), rgb(0x76b7b2), rgb(0x59a14f),
	rgb(0xedc948), rgb(0xb07aa1), rgb(0xff9da7), rgb(0x9c755f), rgb(0xbab0ac),
}

// sequentialBlues runs from light to dark: for ordered values such as a
// swept count.
var sequentialBlues = []color.NRGBA{
	rgb(0x9ecae1), rgb(0x6baed6), rgb(0x4292c6), rgb(0x2171b5), rgb(0x08519c), rgb(0x08306b),
}

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}
}

func withAlpha(c color.NRGBA, a uint8) color.NRGBA { c.A = a; return c }

// seriesColor is the colour of series i of n; ordered (numeric) series take
// shades of blue, others distinct hues.
func seriesColor(i, n int, ordered bool) color.NRGBA {
	if ordered && n > 1 && n <= 6 {
		// Spread over the ramp, keeping both ends.
		k := int(math.Round(float64(i) * float64(len(sequentialBlues)-1) / float64(n-1)))
		if n <= 3 {
			k = []int{1, 3, 5}[i+3-n]
		}
		return sequentialBlues[k]
	}
	return categorical[i%len(categorical)]
}

// seriesDashes varies the line pattern once the colours repeat.
func seriesDashes(i int) []vg.Length {
	switch (i / len(categorical)) % 3 {
	case 1:
		return []vg.Length{vg.Points(6), vg.Points(3)}
	case 2:
		return []vg.Length{vg.Points(2), vg.Points(2)}
	}
	return nil
}

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// timeUnit picks the unit of a time axis spanning span: hours for long runs,
// minutes or seconds for short ones.
func timeUnit(span float64) (scale float64, name string) {
	switch {
	case span >= 3*3600:
		return 3600, "hours"
	case span >= 3*60:
		return 60, "minutes"
	}
	return 1, "seconds"
}

// wrap breaks s at spaces into lines of at most width characters (a longer
// word stays whole).
func wrap(s string, width int) string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return s
	}
	var lines []string
	line := words[0]
	for _, w := range words[1:] {
		if len(line)+1+len(w) <= width {
			line += " " + w
			continue
		}
		lines = append(lines, line)
		line = w
	}
	return strings.Join(append(lines, line), "\n")
}

// categoryTicks labels the integer positions 0..len(names)-1 of an axis
// with names. Along x, names are wrapped onto lines; when they would still
// crowd each other at the slide size, they are rotated instead.
func categoryTicks(p *plot.Plot, names []string, horizontal bool) {
	ticks := make([]plot.Tick, len(names))
	for i, n := range names {
		ticks[i] = plot.Tick{Value: float64(i), Label: n}
	}
	if horizontal {
		// Categories along y.
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
		p.Y.Tick.Length = 0
		return
	}
	p.X.Tick.Length = 0
	p.X.Padding = 0
	// Room per category, assuming the data area of a slide-size chart with
	// a legend beside it.
	room := vg.Points(380) / vg.Length(len(names))
	sty := p.X.Tick.Label
	wrapped := make([]plot.Tick, len(ticks))
	fits := true
	for i, t := range ticks {
		wrapped[i] = plot.Tick{Value: t.Value, Label: wrap(t.Label, 14)}
		for _, line := range strings.Split(wrapped[i].Label, "\n") {
			if sty.Width(line) > room-vg.Points(4) {
				fits = false
			}
		}
	}
	if fits {
		p.X.Tick.Marker = plot.ConstantTicks(wrapped)
		return
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Label.Rotation = math.Pi / 6
	p.X.Tick.Label.XAlign = draw.XRight
	p.X.Tick.Label.YAlign = draw.YTop
}

// sortValues orders the distinct values of a dimension: numerically when
// all are numbers, else in order of first appearance. ordered reports the
// former.
func sortValues(values []string) (sorted []string, ordered bool) {
	sorted = slices.Clone(values)
	for _, v := range values {
		if _, ok := number(v); !ok {
			return sorted, false
		}
	}
	slices.SortStableFunc(sorted, func(a, b string) int {
		x, _ := number(a)
		y, _ := number(b)
		return cmp.Compare(x, y)
	})
	return sorted, true
}

// distinct returns the distinct values in order of first appearance.
func distinct(values []string) []string {
	var out []string
	for _, v := range values {
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// formatSpan formats a span of seconds compactly: "1m", "10s", "2h30m".
func formatSpan(seconds float64) string {
	d := time.Duration(math.Round(seconds * 1e9))
	s := d.String()
	s = strings.Replace(s, "m0s", "m", 1)
	s = strings.Replace(s, "h0m", "h", 1)
	return s
}

// niceTicks labels four to six round values (1, 2, 2.5 or 5 times a power of
// ten) across the axis, with unlabelled minor ticks between them; large
// values are written with k and M.
type niceTicks struct{}

func (niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) {
		return nil
	}
	raw := (hi - lo) / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	var step float64
	var minorDiv float64
	for _, m := range []struct{ mult, minor float64 }{{1, 5}, {2, 4}, {2.5, 5}, {5, 5}, {10, 5}} {
		step, minorDiv = m.mult*mag, m.minor
		if (hi-lo)/step <= 6.001 {
			break
		}
	}
	e := math.Floor(math.Log10(step) + 1e-9)
	decimals := -int(e)
	if r := step / math.Pow(10, e); math.Abs(r-2.5) < 1e-9 {
		decimals++ // 0.25, 0.025: one more digit
	}
	decimals = max(0, decimals)
	big := math.Max(math.Abs(lo), math.Abs(hi)) >= 1e4
	var ticks []plot.Tick
	first := math.Ceil(lo/step-1e-9) * step
	for i := 0; ; i++ {
		v := first + float64(i)*step
		if v > hi+step*1e-9 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: formatTick(v, decimals, big)})
	}
	minor := step / minorDiv
	start := math.Ceil(lo/minor-1e-9) * minor
	for i := 0; ; i++ {
		v := start + float64(i)*minor
		if v > hi+minor*1e-9 {
			break
		}
		if k := v / step; math.Abs(k-math.Round(k)) < 1e-6 {
			continue
		}
		ticks = append(ticks, plot.Tick{Value: v})
	}
	return ticks
}

func formatTick(v float64, decimals int, big bool) string {
	if big {
		switch {
		case math.Abs(v) >= 1e6:
			return strconv.FormatFloat(v/1e6, 'f', -1, 64) + "M"
		case v != 0:
			return strconv.FormatFloat(v/1e3, 'f', -1, 64) + "k"
		}
		return "0"
	}
	if v == 0 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// firstStep returns the first of steps (ascending) that cuts span into at
// most n steps, or the last.
func firstStep(steps []float64, span float64, n int) float64 {
	for _, s := range steps {
		if span/s <= float64(n) {
			return s
		}
	}
	return steps[len(steps)-1]
}

// stepTicks labels multiples of the first step in steps that gives at most
// eight labels, with minor ticks at a fifth (or quarter) of it.
type stepTicks []float64

func (st stepTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || math.IsInf(hi-lo, 0) || len(st) == 0 {
		return nil
	}
	step := firstStep(st, hi-lo, 8)
	for (hi-lo)/step > 8 {
		step *= 2
	}
	minor := step / 4
	if r := step / math.Pow(10, math.Floor(math.Log10(step)+1e-9)); math.Abs(r-1) < 1e-9 || math.Abs(r-5) < 1e-9 {
		minor = step / 5
	}
	var ticks []plot.Tick
	for i := math.Ceil(lo/minor - 1e-9); i*minor <= hi+minor*1e-9; i++ {
		v := i * minor
		if v == 0 {
			v = 0 // not -0
		}
		if k := v / step; math.Abs(k-math.Round(k)) < 1e-6 {
			ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', -1, 64)})
			continue
		}
		ticks = append(ticks, plot.Tick{Value: v})
	}
	return ticks
}

// timeTicks are round steps of a time axis in hours (scale 3600), minutes
// (60) or seconds.
func timeTicks(scale float64) plot.Ticker {
	switch scale {
	case 3600:
		return stepTicks{0.25, 0.5, 1, 2, 3, 4, 6, 12, 24, 48, 168}
	case 60:
		return stepTicks{1, 2, 5, 10, 15, 20, 30, 60}
	}
	return stepTicks{0.001, 0.01, 0.1, 0.5, 1, 2, 5, 10, 15, 30, 60}
}
