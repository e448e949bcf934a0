package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Bandwidth is a transfer rate as the scenario writes it: "2Mbit/s",
// "512kbit/s", "250KB/s", "1.5MB/s"; "" or "0" is unlimited. It is kept as
// written (the decoder reads it as a string) and parsed by
// [ParseBandwidth] when the scenario is checked and built.
type Bandwidth string

// bandwidthUnits: bit rates are decimal, as network rates are quoted
// (1 Mbit/s = 10^6 bit/s); byte rates use poolsim's sizes (KB = 1024 B).
// Prefixed units come before the bare ones they end with.
var bandwidthUnits = []struct {
	unit  string
	bytes float64 // bytes per second per unit
}{
	{"kbit/s", 1e3 / 8}, {"Kbit/s", 1e3 / 8}, {"Mbit/s", 1e6 / 8}, {"Gbit/s", 1e9 / 8}, {"bit/s", 1.0 / 8},
	{"KB/s", 1 << 10}, {"MB/s", 1 << 20}, {"GB/s", 1 << 30}, {"B/s", 1},
}

const bandwidthHint = `want a rate such as "2Mbit/s", "512kbit/s" or "250KB/s" (bit rates are decimal, KB = 1024 bytes), or "0" for unlimited`

// ParseBandwidth returns the rate in bytes per second; 0 is unlimited.
func ParseBandwidth(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if t == "" || t == "0" {
		return 0, nil
	}
	for _, u := range bandwidthUnits {
		num, ok := strings.CutSuffix(t, u.unit)
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("%s", bandwidthHint)
		}
		if f < 0 {
			return 0, fmt.Errorf("must not be negative")
		}
		if f > 0 && f*u.bytes < 1e-3 {
			return 0, fmt.Errorf("must be at least 0.001 bytes per second, or 0 for unlimited")
		}
		if f*u.bytes > 1e15 {
			return 0, fmt.Errorf("must be at most 1PB/s")
		}
		return f * u.bytes, nil
	}
	return 0, fmt.Errorf("%s", bandwidthHint)
}

// BytesPerSecond returns the parsed rate; it is 0 (unlimited) for a value
// that does not parse, which validation has already refused.
func (b Bandwidth) BytesPerSecond() float64 {
	f, _ := ParseBandwidth(string(b))
	return f
}
