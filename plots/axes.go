package plots

import (
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"

	"github.com/poolsim/poolsim/model/scenario"
)

// valueKind is how the values of a sweep key read as numbers: plain numbers,
// durations (in seconds) or sizes (in bytes), parsed with the scenario
// contract's own parsers so that "1d", "120mb" and "1.5TB" read as they do
// in a scenario.
type valueKind int

const (
	notNumeric valueKind = iota
	plainNumber
	durationValue
	sizeValue
)

// kindOf finds the one kind that reads every value, or notNumeric.
func kindOf(values []string) valueKind {
	for _, k := range []valueKind{plainNumber, durationValue, sizeValue} {
		all := len(values) > 0
		for _, v := range values {
			if _, ok := k.parse(v); !ok {
				all = false
				break
			}
		}
		if all {
			return k
		}
	}
	return notNumeric
}

// parse reads one value of the kind.
func (k valueKind) parse(s string) (float64, bool) {
	s = strings.Trim(strings.TrimSpace(s), `"`)
	switch k {
	case plainNumber:
		v, err := strconv.ParseFloat(s, 64)
		return v, err == nil && !math.IsNaN(v) && !math.IsInf(v, 0)
	case durationValue:
		d, err := scenario.ParseDuration(s)
		return d.T().Seconds(), err == nil
	case sizeValue:
		z, err := scenario.ParseSize(s)
		return float64(z), err == nil
	}
	return 0, false
}

// format writes a value of the kind as a tick label: a duration as "90s" or
// "29h", a size as "512MB" or "1.5GB".
func (k valueKind) format(v float64) string {
	switch k {
	case durationValue:
		return formatSpan(v)
	case sizeValue:
		return formatSize(v)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// number parses a sweep value as a plain number, a duration (in seconds) or
// a size (in bytes); ok is false otherwise.
func number(s string) (float64, bool) {
	for _, k := range []valueKind{plainNumber, durationValue, sizeValue} {
		if v, ok := k.parse(s); ok {
			return v, true
		}
	}
	return 0, false
}

// formatSize writes bytes with the largest binary unit that keeps at least
// 1 ("512MB", "1.5GB", "2TB").
func formatSize(b float64) string {
	units := []string{"B", "KB", "MB", "GB", "TB", "PB"}
	i := 0
	for i < len(units)-1 && math.Abs(b) >= 1024 {
		b /= 1024
		i++
	}
	return strconv.FormatFloat(math.Round(b*100)/100, 'f', -1, 64) + units[i]
}

// spansDecades reports whether positive values lo < hi span more than a
// decade: such an axis is drawn logarithmic.
func spansDecades(lo, hi float64) bool { return lo > 0 && hi/lo > 10 }

// roundDurations are the steps of a duration axis, in seconds.
var roundDurations = []float64{
	0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5,
	1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800,
	3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400,
}

// kindTicks labels an axis of durations or sizes with round values of
// their own unit ("30m", "1h", "2h"; "256MB", "512MB", "1GB"), on a linear
// or a logarithmic axis.
type kindTicks struct {
	kind valueKind
	log  bool
}

func (t kindTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) {
		return nil
	}
	var steps []float64
	switch t.kind {
	case durationValue:
		steps = roundDurations
	case sizeValue:
		for b := 1.0; b <= 1<<50; b *= 2 {
			steps = append(steps, b)
		}
	default:
		return niceTicks{}.Ticks(lo, hi)
	}
	var ticks []plot.Tick
	if t.log {
		// Every round value in range, thinned to at most eight labels.
		var in []float64
		for _, s := range steps {
			if s >= lo*(1-1e-9) && s <= hi*(1+1e-9) {
				in = append(in, s)
			}
		}
		every := max(1, (len(in)+7)/8)
		for i, v := range in {
			tk := plot.Tick{Value: v}
			if i%every == 0 {
				tk.Label = t.kind.format(v)
			}
			ticks = append(ticks, tk)
		}
		return ticks
	}
	step := firstStep(steps, hi-lo, 6)
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: t.kind.format(v)})
	}
	return ticks
}

// logTicks labels a logarithmic axis of plain numbers at 1, 2 and 5 times
// powers of ten.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || lo <= 0 {
		return nil
	}
	var ticks []plot.Tick
	for e := math.Floor(math.Log10(lo)); math.Pow(10, e) <= hi; e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if v >= lo*(1-1e-9) && v <= hi*(1+1e-9) {
				ticks = append(ticks, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'g', -1, 64)})
			}
		}
	}
	return ticks
}
