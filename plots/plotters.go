package plots

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The plotters here place everything in data units, so that bars, their
// error bars and markers stay aligned at any canvas size (gonum's BarChart
// offsets groups in canvas units, which error bars do not follow).

// box is a rectangle in data units.
type box struct{ x0, x1, y0, y1 float64 }

// rects fills rectangles. With fullHeight, each spans the whole data area
// vertically (y0 and y1 are ignored): shading of time intervals.
type rects struct {
	boxes      []box
	fill       color.Color
	line       draw.LineStyle // drawn when Width > 0
	fullHeight bool
}

func (r *rects) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, b := range r.boxes {
		x0, x1 := trX(b.x0), trX(b.x1)
		y0, y1 := c.Min.Y, c.Max.Y
		if !r.fullHeight {
			y0, y1 = trY(b.y0), trY(b.y1)
		}
		pts := c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}})
		if len(pts) == 0 {
			continue
		}
		c.FillPolygon(r.fill, pts)
		if r.line.Width > 0 {
			c.StrokeLines(r.line, append(pts, pts[0]))
		}
	}
}

func (r *rects) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, b := range r.boxes {
		xmin, xmax = math.Min(xmin, b.x0), math.Max(xmax, b.x1)
		if !r.fullHeight {
			ymin = math.Min(ymin, math.Min(b.y0, b.y1))
			ymax = math.Max(ymax, math.Max(b.y0, b.y1))
		}
	}
	return xmin, xmax, ymin, ymax
}

func (r *rects) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y},
	}
	c.FillPolygon(r.fill, pts)
	if r.line.Width > 0 {
		c.StrokeLines(r.line, append(pts, pts[0]))
	}
}

// errBar is a confidence interval [lo, hi] at (x, y); along x when the
// bars are horizontal.
type errBar struct{ x, y, lo, hi float64 }

// errBars draws intervals with caps whose half-width is capHalf data units
// across the interval's direction.
type errBars struct {
	bars       []errBar
	horizontal bool
	capHalf    float64
	style      draw.LineStyle
}

func (e *errBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for _, b := range e.bars {
		if math.IsNaN(b.lo) || math.IsNaN(b.hi) {
			continue
		}
		if !e.horizontal {
			x, lo, hi := trX(b.x), trY(b.lo), trY(b.hi)
			w := trX(b.x+e.capHalf) - x
			c.StrokeLines(e.style, []vg.Point{{X: x, Y: lo}, {X: x, Y: hi}})
			c.StrokeLines(e.style, []vg.Point{{X: x - w, Y: lo}, {X: x + w, Y: lo}})
			c.StrokeLines(e.style, []vg.Point{{X: x - w, Y: hi}, {X: x + w, Y: hi}})
			continue
		}
		y, lo, hi := trY(b.y), trX(b.lo), trX(b.hi)
		h := trY(b.y+e.capHalf) - y
		c.StrokeLines(e.style, []vg.Point{{X: lo, Y: y}, {X: hi, Y: y}})
		c.StrokeLines(e.style, []vg.Point{{X: lo, Y: y - h}, {X: lo, Y: y + h}})
		c.StrokeLines(e.style, []vg.Point{{X: hi, Y: y - h}, {X: hi, Y: y + h}})
	}
}

func (e *errBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, b := range e.bars {
		lo, hi := b.lo, b.hi
		if math.IsNaN(lo) || math.IsNaN(hi) {
			continue
		}
		if e.horizontal {
			xmin, xmax = math.Min(xmin, lo), math.Max(xmax, hi)
			ymin, ymax = math.Min(ymin, b.y), math.Max(ymax, b.y)
		} else {
			xmin, xmax = math.Min(xmin, b.x), math.Max(xmax, b.x)
			ymin, ymax = math.Min(ymin, lo), math.Max(ymax, hi)
		}
	}
	return xmin, xmax, ymin, ymax
}

func (e *errBars) Thumbnail(c *draw.Canvas) {
	x, y := c.Center().X, c.Center().Y
	w, h := (c.Max.X-c.Min.X)/2, (c.Max.Y-c.Min.Y)/2
	if e.horizontal {
		c.StrokeLines(e.style, []vg.Point{{X: x - w, Y: y}, {X: x + w, Y: y}})
		c.StrokeLines(e.style, []vg.Point{{X: x - w, Y: y - h}, {X: x - w, Y: y + h}})
		c.StrokeLines(e.style, []vg.Point{{X: x + w, Y: y - h}, {X: x + w, Y: y + h}})
		return
	}
	cw := w / 2
	c.StrokeLines(e.style, []vg.Point{{X: x, Y: y - h}, {X: x, Y: y + h}})
	c.StrokeLines(e.style, []vg.Point{{X: x - cw, Y: y - h}, {X: x + cw, Y: y - h}})
	c.StrokeLines(e.style, []vg.Point{{X: x - cw, Y: y + h}, {X: x + cw, Y: y + h}})
}

// stepArea fills the band between lo and hi over bins [x0[i], x1[i]): one
// layer of a stacked histogram. Contiguous bins make one polygon.
type stepArea struct {
	x0, x1, lo, hi []float64
	fill           color.Color
}

func (s *stepArea) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var top, bottom []vg.Point
	flush := func() {
		if len(top) > 0 {
			ring := append([]vg.Point(nil), top...)
			for i := len(bottom) - 1; i >= 0; i-- {
				ring = append(ring, bottom[i])
			}
			if pts := c.ClipPolygonXY(ring); len(pts) > 0 {
				c.FillPolygon(s.fill, pts)
			}
		}
		top, bottom = top[:0], bottom[:0]
	}
	for i := range s.x0 {
		if i > 0 && s.x0[i] != s.x1[i-1] {
			flush()
		}
		if s.hi[i] == s.lo[i] && len(top) == 0 {
			continue
		}
		a, b := trX(s.x0[i]), trX(s.x1[i])
		lo, hi := trY(s.lo[i]), trY(s.hi[i])
		top = append(top, vg.Point{X: a, Y: hi}, vg.Point{X: b, Y: hi})
		bottom = append(bottom, vg.Point{X: a, Y: lo}, vg.Point{X: b, Y: lo})
	}
	flush()
}

func (s *stepArea) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for i := range s.x0 {
		xmin, xmax = math.Min(xmin, s.x0[i]), math.Max(xmax, s.x1[i])
		ymin, ymax = math.Min(ymin, s.lo[i]), math.Max(ymax, s.hi[i])
	}
	return xmin, xmax, ymin, ymax
}

func (s *stepArea) Thumbnail(c *draw.Canvas) {
	c.FillPolygon(s.fill, []vg.Point{
		{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y},
		{X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y},
	})
}

// refLine is a line across the whole data area at a value of x (vertical)
// or of y.
type refLine struct {
	value    float64
	vertical bool
	style    draw.LineStyle
}

func (r *refLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	if r.vertical {
		x := trX(r.value)
		if c.ContainsX(x) {
			c.StrokeLines(r.style, []vg.Point{{X: x, Y: c.Min.Y}, {X: x, Y: c.Max.Y}})
		}
		return
	}
	y := trY(r.value)
	if c.ContainsY(y) {
		c.StrokeLines(r.style, []vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}})
	}
}

func (r *refLine) Thumbnail(c *draw.Canvas) {
	if r.vertical {
		x := c.Center().X
		c.StrokeLines(r.style, []vg.Point{{X: x, Y: c.Min.Y}, {X: x, Y: c.Max.Y}})
		return
	}
	y := c.Center().Y
	c.StrokeLines(r.style, []vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}})
}

// note writes a line of text in the middle of the data area (for example
// "all values are 0").
type note struct {
	text  string
	style text.Style
}

func (n *note) Plot(c draw.Canvas, p *plot.Plot) {
	sty := n.style
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, c.Center(), n.text)
}

// thumb draws a legend thumbnail.
type thumb func(c *draw.Canvas)

func (t thumb) Thumbnail(c *draw.Canvas) { t(c) }

// legendEntry is one line of a side legend.
type legendEntry struct {
	label  string
	thumbs []plot.Thumbnailer
}

// sideAxis is a secondary value axis drawn along the right edge of the data
// area: ticks at data values of y, labelled as given.
type sideAxis struct {
	label string
	ticks []plot.Tick
}

// sideLegend draws a legend to the right of the data area, outside it, and
// optionally a secondary axis between the two. It reserves its width
// through a glyph box, so the data area shrinks to make room at any size.
type sideLegend struct {
	heading string
	entries []legendEntry
	axis    *sideAxis
}

const (
	legendGap   = 10 // points between the data area (or side axis) and the legend
	thumbWidth  = 16 // points
	thumbTextSp = 5  // points between a thumbnail and its text
	sideTickLen = 4  // points
)

func (l *sideLegend) add(label string, thumbs ...plot.Thumbnailer) {
	l.entries = append(l.entries, legendEntry{label: label, thumbs: thumbs})
}

func (l *sideLegend) style(p *plot.Plot) text.Style {
	sty := p.Legend.TextStyle
	sty.Color = ink
	return sty
}

func (l *sideLegend) headingStyle(p *plot.Plot) text.Style {
	sty := l.style(p)
	sty.Color = axisGrey
	return sty
}

// axisWidth is the room the side axis takes.
func (l *sideLegend) axisWidth(p *plot.Plot) vg.Length {
	if l.axis == nil {
		return 0
	}
	sty := p.Y.Tick.Label
	var w vg.Length
	for _, t := range l.axis.ticks {
		w = max(w, sty.Width(t.Label))
	}
	w += vg.Points(sideTickLen + 3)
	if l.axis.label != "" {
		w += vg.Points(4) + p.Y.Label.TextStyle.Height(l.axis.label)
	}
	return w
}

func (l *sideLegend) legendWidth(p *plot.Plot) vg.Length {
	if len(l.entries) == 0 && l.heading == "" {
		return 0
	}
	sty := l.style(p)
	w := l.headingStyle(p).Width(l.heading)
	for _, e := range l.entries {
		w = max(w, vg.Points(thumbWidth+thumbTextSp)+sty.Width(e.label))
	}
	return vg.Points(legendGap) + w
}

func (l *sideLegend) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	w := l.axisWidth(p) + l.legendWidth(p)
	if w == 0 {
		return nil
	}
	// At the right edge of the data area, as wide as the legend and with
	// no height, so that only the horizontal padding makes room for it.
	return []plot.GlyphBox{{X: 1, Y: 0.5, Rectangle: vg.Rectangle{Max: vg.Point{X: w + vg.Points(2)}}}}
}

func (l *sideLegend) Plot(c draw.Canvas, p *plot.Plot) {
	x := c.Max.X
	if l.axis != nil {
		l.drawAxis(c, p)
		x += l.axisWidth(p)
	}
	if len(l.entries) == 0 && l.heading == "" {
		return
	}
	x += vg.Points(legendGap)
	sty := l.style(p)
	ext := sty.FontExtents()
	lineH := (ext.Ascent + ext.Descent) * 1.35
	y := c.Max.Y - lineH/2 // centre of the first line
	if l.heading != "" {
		hs := l.headingStyle(p)
		hs.XAlign, hs.YAlign = draw.XLeft, draw.YCenter
		c.FillText(hs, vg.Point{X: x, Y: y}, l.heading)
		y -= lineH
	}
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
	thumbH := (ext.Ascent + ext.Descent) * 0.8
	for _, e := range l.entries {
		tc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: x, Y: y - thumbH/2},
			Max: vg.Point{X: x + vg.Points(thumbWidth), Y: y + thumbH/2},
		}}
		for _, t := range e.thumbs {
			t.Thumbnail(&tc)
		}
		c.FillText(sty, vg.Point{X: x + vg.Points(thumbWidth+thumbTextSp), Y: y}, e.label)
		y -= lineH
	}
}

func (l *sideLegend) drawAxis(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	x := c.Max.X
	line := p.Y.LineStyle
	c.StrokeLines(line, []vg.Point{{X: x, Y: c.Min.Y}, {X: x, Y: c.Max.Y}})
	sty := p.Y.Tick.Label
	sty.XAlign, sty.YAlign, sty.Rotation = draw.XLeft, draw.YCenter, 0
	var labelW vg.Length
	for _, t := range l.axis.ticks {
		y := trY(t.Value)
		if !c.ContainsY(y) {
			continue
		}
		c.StrokeLines(p.Y.Tick.LineStyle, []vg.Point{{X: x, Y: y}, {X: x + vg.Points(sideTickLen), Y: y}})
		c.FillText(sty, vg.Point{X: x + vg.Points(sideTickLen+3), Y: y}, t.Label)
		labelW = max(labelW, sty.Width(t.Label))
	}
	if l.axis.label != "" {
		ls := p.Y.Label.TextStyle
		ls.Rotation = math.Pi / 2
		ls.XAlign, ls.YAlign = draw.XCenter, draw.YTop
		lx := x + vg.Points(sideTickLen+3) + labelW + vg.Points(4)
		c.FillText(ls, vg.Point{X: lx, Y: (c.Min.Y + c.Max.Y) / 2}, l.axis.label)
	}
}
