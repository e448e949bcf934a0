package scenario

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Rate is a transfer rate in bytes per second, as a client's bandwidth:
// written "2Mbit/s", "512kbit/s", "250KB/s", "1.5MB/s"; "" or "0" is
// unlimited.
type Rate float64

// maxBandwidth bounds rates (1 PB/s).
const maxBandwidth = Rate(1e15)

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
		if f*u.bytes > float64(maxBandwidth) {
			return 0, fmt.Errorf("must be at most 1PB/s")
		}
		return f * u.bytes, nil
	}
	return 0, fmt.Errorf("%s", bandwidthHint)
}

// rateUnitsByPreference are the units String tries, in the order it
// prefers them: bit rates, as networks are quoted, then byte rates.
var rateUnitsByPreference = []string{"Gbit/s", "Mbit/s", "kbit/s", "GB/s", "MB/s", "KB/s", "B/s", "bit/s"}

// String writes r so that [ParseBandwidth] reads it back exactly: a whole
// number of the first unit that gives one ("2Mbit/s", "512kbit/s",
// "1MB/s", "240B/s"), else the shortest form; 0 is "0", unlimited.
func (r Rate) String() string {
	f := float64(r)
	if f == 0 {
		return "0"
	}
	best := strconv.FormatFloat(f, 'f', -1, 64) + "B/s" // always reads back
	for _, name := range rateUnitsByPreference {
		for _, u := range bandwidthUnits {
			if u.unit != name {
				continue
			}
			num := strconv.FormatFloat(f/u.bytes, 'f', -1, 64)
			if back, err := ParseBandwidth(num + u.unit); err != nil || back != f {
				continue
			}
			if !strings.Contains(num, ".") {
				return num + u.unit
			}
			if len(num+u.unit) < len(best) {
				best = num + u.unit
			}
		}
	}
	return best
}

// MarshalText writes r as String does.
func (r Rate) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// rate decodes a rate at path: a string such as "2Mbit/s", or 0.
func (d *scenarioDecoder) rate(path []string, v any) (Rate, bool) {
	return unitValue(d, path, v, parseRate, "rate", [2]string{"Mbit/s", "KB/s"}, `"2Mbit/s"`)
}
