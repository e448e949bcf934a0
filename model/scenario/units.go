package scenario

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/poolsim/poolsim/engine"
)

// maxSpan is the longest duration a scenario may contain (ten years); longer
// values are certainly mistakes.
const maxSpan = Duration(3650 * 24 * engine.Hour)

// maxSize bounds sizes (1 PB).
const maxSize = Size(1) << 50

// neverText is how "never" is written where a duration may be infinite.
const neverText = "never"

var durationUnits = []struct {
	name string
	ns   engine.Time
}{
	{"ns", engine.Nanosecond},
	{"us", engine.Microsecond},
	{"µs", engine.Microsecond}, // U+00B5
	{"μs", engine.Microsecond}, // U+03BC
	{"ms", engine.Millisecond},
	{"s", engine.Second},
	{"m", engine.Minute},
	{"h", engine.Hour},
	{"d", 24 * engine.Hour},
}

const durationHint = `want a duration such as "250ms", "90s", "5m", "1h30m" or "1d" (units ns, us, ms, s, m, h, d)`

// ParseDuration parses a scenario duration: one or more decimal numbers,
// each with a unit, such as "250ms", "90s", "5m", "29h", "1d", "1h30m" or
// "1.5s". The units are ns, us (or µs), ms, s, m, h and d (24 hours); Go's
// time.ParseDuration syntax is a subset. "0s" (or "0") is zero, which in a
// scenario disables a timeout, a limit or a recycle trigger. Negative
// durations, and those of 292 years or more, are refused, and so is
// "never": see [Duration.UnmarshalText] for the form that accepts it.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty duration; " + durationHint)
	}
	if s[0] == '-' {
		return 0, errors.New("negative durations are not allowed")
	}
	if s[0] == '+' {
		s = s[1:]
	}
	if s == "0" {
		return 0, nil
	}
	if s == neverText {
		return 0, errors.New(`"never" is not allowed here; use "0s" to disable`)
	}
	var total engine.Time
	for first := true; s != ""; first = false {
		intPart, frac, rest := splitDecimal(s)
		if intPart == "" && frac == "" {
			if first {
				return 0, errors.New("not a duration; " + durationHint)
			}
			return 0, fmt.Errorf("unexpected %q; %s", s[:1], durationHint)
		}
		s = rest
		// The unit: everything up to the next digit or dot.
		j := 0
		for j < len(s) && (s[j] < '0' || s[j] > '9') && s[j] != '.' {
			j++
		}
		unitText := s[:j]
		s = s[j:]
		if unitText == "" {
			return 0, fmt.Errorf("missing unit after %s%s; %s", intPart, dotted(frac), durationHint)
		}
		var unit engine.Time
		for _, u := range durationUnits {
			if u.name == strings.TrimSpace(unitText) {
				unit = u.ns
				break
			}
		}
		switch {
		case unit == 0:
			return 0, fmt.Errorf("unknown unit %q; %s", strings.TrimSpace(unitText), durationHint)
		case unitText != strings.TrimSpace(unitText):
			return 0, errors.New("no spaces in a duration; " + durationHint)
		}
		v, err := scaleDecimal(intPart, frac, int64(unit))
		if err != nil {
			return 0, errors.New("duration too large")
		}
		if engine.Time(v) > engine.Never-1-total {
			return 0, errors.New("duration too large")
		}
		total += engine.Time(v)
	}
	return Duration(total), nil
}

func dotted(frac string) string {
	if frac == "" {
		return ""
	}
	return "." + frac
}

// scaleDecimal returns intPart.frac × unit rounded to an integer, or an error
// when it overflows int64.
func scaleDecimal(intPart, frac string, unit int64) (int64, error) {
	var n int64
	for _, c := range intPart {
		d := int64(c - '0')
		if n > (math.MaxInt64-d)/10 {
			return 0, errors.New("overflow")
		}
		n = n*10 + d
	}
	if n > math.MaxInt64/unit {
		return 0, errors.New("overflow")
	}
	v := n * unit
	if frac != "" {
		// The fraction contributes less than one unit, so float64 is exact
		// enough once rounded to an integer for every unit used here.
		f, err := strconv.ParseFloat("0."+frac, 64)
		if err != nil {
			return 0, err
		}
		add := int64(math.Round(f * float64(unit)))
		if v > math.MaxInt64-add {
			return 0, errors.New("overflow")
		}
		v += add
	}
	return v, nil
}

// String formats d in the scenario syntax with the largest unit that divides
// it exactly ("29h", "90s", "250ms", "1500ms"), or "never".
func (d Duration) String() string {
	switch {
	case engine.Time(d) == engine.Never:
		return neverText
	case d == 0:
		return "0s"
	case d < 0:
		return "-" + Duration(-d).String()
	}
	for i := len(durationUnits) - 1; i >= 0; i-- {
		u := durationUnits[i]
		if u.name == "d" || u.name == "µs" || u.name == "μs" {
			continue // "1d" reads less well than "24h"; "us" is the ASCII form
		}
		if engine.Time(d)%u.ns == 0 {
			return strconv.FormatInt(int64(engine.Time(d)/u.ns), 10) + u.name
		}
	}
	return strconv.FormatInt(int64(d), 10) + "ns"
}

// MarshalText writes d as String does, so that it decodes back exactly.
func (d Duration) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses a duration as [ParseDuration] does, and also "never"
// (engine.Never), which only restart_after accepts once validated.
func (d *Duration) UnmarshalText(text []byte) error {
	if strings.TrimSpace(string(text)) == neverText {
		*d = Duration(engine.Never)
		return nil
	}
	v, err := ParseDuration(string(text))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// String formats w as "auto" or as its duration.
func (w Warmup) String() string {
	if w.Auto {
		return "auto"
	}
	return w.Duration.String()
}

// MarshalText writes w as "auto" or as a duration.
func (w Warmup) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// UnmarshalText parses "auto" or a duration.
func (w *Warmup) UnmarshalText(text []byte) error {
	if strings.TrimSpace(string(text)) == "auto" {
		*w = Warmup{Auto: true}
		return nil
	}
	v, err := ParseDuration(string(text))
	if err != nil {
		return fmt.Errorf(`%v, or "auto"`, err)
	}
	*w = Warmup{Duration: v}
	return nil
}

var sizeUnits = []struct {
	name  string
	bytes int64
}{
	{"b", 1},
	{"kb", 1 << 10}, {"kib", 1 << 10},
	{"mb", 1 << 20}, {"mib", 1 << 20},
	{"gb", 1 << 30}, {"gib", 1 << 30},
	{"tb", 1 << 40}, {"tib", 1 << 40},
	{"pb", 1 << 50}, {"pib", 1 << 50},
}

const sizeHint = `want a size such as "120MB", "8KB" or "1.5GB" (KB = 1024 bytes)`

// ParseSize parses a scenario size: a decimal number and a unit, such as
// "120MB", "8KB", "1.5GB" or "0MB". Like IIS's KB, the units are powers of
// 1024: KB = 1024 bytes, MB = 1024 KB, GB, TB and PB likewise; KiB, MiB,
// GiB, TiB and PiB are synonyms, B is bytes, and units are
// case-insensitive. Sizes past 1PB are refused.
func ParseSize(s string) (Size, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty size; " + sizeHint)
	}
	if s[0] == '-' {
		return 0, errors.New("negative sizes are not allowed")
	}
	intPart, frac, rest := splitDecimal(s)
	if intPart == "" && frac == "" {
		return 0, errors.New(sizeHint)
	}
	unitText := strings.ToLower(strings.TrimSpace(rest))
	if unitText == "" {
		if intPart == "0" || strings.Trim(intPart+frac, "0") == "" {
			return 0, nil
		}
		return 0, fmt.Errorf("missing unit after %s%s; %s", intPart, dotted(frac), sizeHint)
	}
	var unit int64
	for _, u := range sizeUnits {
		if u.name == unitText {
			unit = u.bytes
		}
	}
	if unit == 0 {
		return 0, fmt.Errorf("unknown unit %q; %s", strings.TrimSpace(rest), sizeHint)
	}
	v, err := scaleDecimal(intPart, frac, unit)
	if err != nil || Size(v) > maxSize {
		return 0, errors.New("size too large (at most 1PB)")
	}
	return Size(v), nil
}

// String formats s with the largest unit that divides it exactly ("120MB",
// "8KB", "1000B").
func (s Size) String() string {
	if s == 0 {
		return "0MB"
	}
	if s < 0 {
		return "-" + (-s).String()
	}
	for _, u := range []struct {
		name  string
		bytes int64
	}{{"PB", 1 << 50}, {"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if int64(s)%u.bytes == 0 {
			return strconv.FormatInt(int64(s)/u.bytes, 10) + u.name
		}
	}
	return strconv.FormatInt(int64(s), 10) + "B"
}

// MarshalText writes s as String does.
func (s Size) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText parses a size as [ParseSize] does.
func (s *Size) UnmarshalText(text []byte) error {
	v, err := ParseSize(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

const timeOfDayHint = `want a time of day such as "03:00" or "15:30:00" (00:00 to 23:59:59)`

// ParseTimeOfDay parses a time of day, "HH:MM" or "HH:MM:SS" on the 24-hour
// clock from 00:00 to 23:59:59 (the seconds may have a fraction). Midnight
// is "00:00", not "24:00".
func ParseTimeOfDay(s string) (TimeOfDay, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, errors.New(timeOfDayHint)
	}
	var frac engine.Time
	if len(parts) == 3 {
		if sec, f, ok := strings.Cut(parts[2], "."); ok {
			if f == "" || len(f) > 9 || strings.Trim(f, "0123456789") != "" {
				return 0, errors.New(timeOfDayHint)
			}
			n, _ := strconv.Atoi(f + strings.Repeat("0", 9-len(f)))
			parts[2], frac = sec, engine.Time(n)
		}
	}
	var v [3]int
	for i, p := range parts {
		if len(p) == 0 || len(p) > 2 || (i > 0 && len(p) != 2) || strings.Trim(p, "0123456789") != "" {
			return 0, errors.New(timeOfDayHint)
		}
		v[i], _ = strconv.Atoi(p)
	}
	if v[0] == 24 && v[1] == 0 && v[2] == 0 && frac == 0 {
		return 0, errors.New(`"24:00" is midnight: write "00:00"`)
	}
	if v[0] > 23 || v[1] > 59 || v[2] > 59 {
		return 0, errors.New(timeOfDayHint)
	}
	return TimeOfDay(engine.Time(v[0])*engine.Hour + engine.Time(v[1])*engine.Minute + engine.Time(v[2])*engine.Second + frac), nil
}

// timeOfDayFromTOML converts a TOML local time (03:00:00 written without
// quotes) into a TimeOfDay.
func timeOfDayFromTOML(t time.Time) TimeOfDay {
	return TimeOfDay(engine.Time(t.Hour())*engine.Hour + engine.Time(t.Minute())*engine.Minute +
		engine.Time(t.Second())*engine.Second + engine.Time(t.Nanosecond()))
}

// String formats t as "HH:MM", or "HH:MM:SS" when it has seconds.
func (t TimeOfDay) String() string {
	d := engine.Time(t)
	if d < 0 || d >= 24*engine.Hour {
		return Duration(d).String()
	}
	h, m, s := d/engine.Hour, d%engine.Hour/engine.Minute, d%engine.Minute/engine.Second
	if rest := d % engine.Second; rest != 0 {
		return strings.TrimRight(fmt.Sprintf("%02d:%02d:%02d.%09d", h, m, s, rest), "0")
	}
	if s == 0 {
		return fmt.Sprintf("%02d:%02d", h, m)
	}
	return fmt.Sprintf("%02d:%02d:%02d", h, m, s)
}

// MarshalText writes t as String does.
func (t TimeOfDay) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText parses a time of day as [ParseTimeOfDay] does.
func (t *TimeOfDay) UnmarshalText(text []byte) error {
	v, err := ParseTimeOfDay(string(text))
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// splitDecimal splits a leading decimal number off s: its integer digits,
// the digits after a dot, and what follows.
func splitDecimal(s string) (intPart, frac, rest string) {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intPart = s[:i]
	if i < len(s) && s[i] == '.' {
		j := i + 1
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		frac = s[i+1 : j]
		i = j
	}
	return intPart, frac, s[i:]
}
