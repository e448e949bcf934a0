package scenario

import (
	"math"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
)

func TestParseDuration(t *testing.T) {
	good := []struct {
		in   string
		want engine.Time
	}{
		{"0", 0},
		{"0s", 0},
		{"90s", 90 * engine.Second},
		{"5m", 5 * engine.Minute},
		{"29h", 29 * engine.Hour},
		{"1d", 24 * engine.Hour},
		{"1d12h", 36 * engine.Hour},
		{"250ms", 250 * engine.Millisecond},
		{"1h30m", 90 * engine.Minute},
		{"1h30m10s", 90*engine.Minute + 10*engine.Second},
		{"1.5s", 1500 * engine.Millisecond},
		{".5s", 500 * engine.Millisecond},
		{"1.5h", 90 * engine.Minute},
		{"0.1s", 100 * engine.Millisecond},
		{"10us", 10 * engine.Microsecond},
		{"10µs", 10 * engine.Microsecond},
		{"7ns", 7},
		{" 90s ", 90 * engine.Second},
		{"+5s", 5 * engine.Second},
		{"278000s", 278000 * engine.Second},
		{"106751d", 106751 * 24 * engine.Hour},
	}
	for _, c := range good {
		got, err := ParseDuration(c.in)
		if err != nil || got.T() != c.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	bad := []struct{ in, msg string }{
		{"", "empty duration"},
		{"90", "missing unit after 90"},
		{"1.5", "missing unit after 1.5"},
		{"-5s", "negative"},
		{"5 s", "no spaces"},
		{"90 parsecs", `unknown unit "parsecs"`},
		{"5x", `unknown unit "x"`},
		{"5S", `unknown unit "S"`},
		{"never", `"never" is not allowed here`},
		{"forever", "not a duration"},
		{"s", "not a duration"},
		{"5s.", `unexpected "."`},
		{"1h-5m", `unknown unit "h-"`},
		{"106752d", "too large"},
		{"99999999999999999999s", "too large"},
		{"9223372036854775807ns", "too large"},
	}
	for _, c := range bad {
		_, err := ParseDuration(c.in)
		if err == nil || !strings.Contains(err.Error(), c.msg) {
			t.Errorf("ParseDuration(%q) error %v, want one containing %q", c.in, err, c.msg)
		}
	}
}

func TestDurationString(t *testing.T) {
	for in, want := range map[engine.Time]string{
		0:                                "0s",
		90 * engine.Second:               "90s",
		29 * engine.Hour:                 "29h",
		48 * engine.Hour:                 "48h",
		90 * engine.Minute:               "90m",
		1500 * engine.Millisecond:        "1500ms",
		engine.Second + 1:                "1000000001ns",
		3 * engine.Microsecond:           "3us",
		engine.Never:                     "never",
		-5 * engine.Second:               "-5s",
		engine.Hour + engine.Millisecond: "3600001ms",
	} {
		if got := Duration(in).String(); got != want {
			t.Errorf("Duration(%d).String() = %q, want %q", in, got, want)
		}
	}
	// Every non-negative duration reads back exactly.
	for _, v := range []engine.Time{1, 999, engine.Second + 1, 123456789012345, math.MaxInt64 - 1} {
		back, err := ParseDuration(Duration(v).String())
		if err != nil || back.T() != v {
			t.Errorf("%d -> %q -> %d, %v", v, Duration(v).String(), back, err)
		}
	}
}

func TestParseSize(t *testing.T) {
	good := map[string]Size{
		"0": 0, "0MB": 0, "0KB": 0, "120MB": 120 << 20, "8KB": 8 << 10, "1.5GB": 3 << 29,
		"1KiB": 1024, "100B": 100, "2TB": 2 << 40, "1PB": 1 << 50, "120mb": 120 << 20, "120 MB": 120 << 20, "0.5KB": 512,
	}
	for in, want := range good {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for in, msg := range map[string]string{
		"": "empty size", "120": "missing unit", "-8KB": "negative", "2XB": `unknown unit "XB"`,
		"MB": "want a size", "2000PB": "too large", "1.2.3MB": "unknown unit", "99999999999999999999B": "too large",
	} {
		_, err := ParseSize(in)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseSize(%q) error %v, want one containing %q", in, err, msg)
		}
	}
	for in, want := range map[Size]string{0: "0MB", 120 << 20: "120MB", 1536 << 20: "1536MB", 8 << 10: "8KB", 1000: "1000B", 2 << 30: "2GB"} {
		if got := in.String(); got != want {
			t.Errorf("Size(%d).String() = %q, want %q", in, got, want)
		}
		if back, err := ParseSize(in.String()); err != nil || back != in {
			t.Errorf("%d -> %q -> %d, %v", in, in.String(), back, err)
		}
	}
}

func TestParseTimeOfDay(t *testing.T) {
	good := map[string]engine.Time{
		"00:00": 0, "03:00": 3 * engine.Hour, "3:00": 3 * engine.Hour, "15:30:00": 15*engine.Hour + 30*engine.Minute,
		"23:59:59": 24*engine.Hour - engine.Second, "12:00:00.5": 12*engine.Hour + 500*engine.Millisecond,
	}
	for in, want := range good {
		got, err := ParseTimeOfDay(in)
		if err != nil || engine.Time(got) != want {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v", in, got, err, want)
		}
		if back, err := ParseTimeOfDay(got.String()); err != nil || back != got {
			t.Errorf("%q -> %q -> %v, %v", in, got.String(), back, err)
		}
	}
	for in, msg := range map[string]string{
		"24:00": "midnight", "25:00": "want a time of day", "12:60": "want a time of day", "3pm": "want a time of day",
		"12": "want a time of day", "12:00:00:00": "want a time of day", "": "want a time of day", "1:2": "want a time of day",
		"-1:00": "want a time of day", "12:00:00.": "want a time of day", "123:00": "want a time of day",
	} {
		_, err := ParseTimeOfDay(in)
		if err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("ParseTimeOfDay(%q) error %v, want one containing %q", in, err, msg)
		}
	}
}

func TestWarmupText(t *testing.T) {
	var w Warmup
	if err := w.UnmarshalText([]byte("auto")); err != nil || !w.Auto {
		t.Errorf("auto: %+v, %v", w, err)
	}
	if err := w.UnmarshalText([]byte("15m")); err != nil || w.Auto || w.Duration != Duration(15*engine.Minute) {
		t.Errorf("15m: %+v, %v", w, err)
	}
	if err := w.UnmarshalText([]byte("soon")); err == nil || !strings.Contains(err.Error(), `or "auto"`) {
		t.Errorf("soon: %v", err)
	}
	if s := (Warmup{Auto: true}).String(); s != "auto" {
		t.Errorf("String = %q", s)
	}
	var d Duration
	if err := d.UnmarshalText([]byte("never")); err != nil || d.T() != engine.Never {
		t.Errorf("never: %v %v", d, err)
	}
}
