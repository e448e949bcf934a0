package plots

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Save writes the chart as dir/base.png (DPI dots per inch) and
// dir/base.svg, at the slide size Width × Height, creating dir if needed.
// Each file is written to a temporary file in dir and renamed into place, so
// that a reader never sees half a chart.
func Save(p *Figure, dir, base string) error {
	if p == nil || p.Plot == nil {
		return errors.New("plots: Save: no plot")
	}
	if base == "" || base == "." || base == ".." || base != filepath.Base(base) {
		return fmt.Errorf("plots: Save: %q is not a file name", base)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	png, err := PNG(p, Width, Height)
	if err != nil {
		return err
	}
	var svg bytes.Buffer
	if err := SVG(&svg, p, Width, Height); err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(dir, base+".png"), png); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, base+".svg"), svg.Bytes())
}

// PNG renders the chart in memory as a PNG image of w × h at DPI dots per
// inch (for a notebook: plots.PNG(p, plots.Width, plots.Height)).
func PNG(p *Figure, w, h vg.Length) ([]byte, error) {
	if p == nil || p.Plot == nil {
		return nil, errors.New("plots: PNG: no plot")
	}
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("plots: PNG: size %v × %v is not positive", w, h)
	}
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))
	render(p, c)
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG writes the chart as SVG of w × h to out. Text refers to the Liberation
// Sans font by name rather than embedding it (which would add half a
// megabyte to every chart).
func SVG(out io.Writer, p *Figure, w, h vg.Length) error {
	if p == nil || p.Plot == nil {
		return errors.New("plots: SVG: no plot")
	}
	if w <= 0 || h <= 0 {
		return fmt.Errorf("plots: SVG: size %v × %v is not positive", w, h)
	}
	c := vgsvg.NewWith(vgsvg.UseWH(w, h))
	render(p, c)
	if _, err := c.WriteTo(out); err != nil {
		return fmt.Errorf("plots: SVG: %w", err)
	}
	return nil
}

// Margin is the white space around a rendered chart.
const Margin = 8 * vg.Millimeter / 2

// render draws the chart on a white canvas, inside a margin.
func render(p *Figure, c vg.CanvasSizer) {
	dc := draw.New(c)
	if p.BackgroundColor != nil {
		dc.SetColor(p.BackgroundColor)
		dc.Fill(dc.Rectangle.Path())
	}
	drawFigure(p, draw.Crop(dc, Margin, -Margin, Margin, -Margin))
}

// writeAtomic writes data to path through a temporary file in the same
// directory and a rename.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("plots: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("plots: writing %s: %w", path, err)
	}
	return nil
}
