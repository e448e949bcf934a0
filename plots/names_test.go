package plots

import (
	"math"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/model"
)

// Every metric of the contract has an entry in the dictionary of names: a
// metric added to model without one fails here rather than reaching a
// chart as "rate new thing (count)".
func TestEveryMetricIsNamed(t *testing.T) {
	t.Parallel()
	for _, m := range model.MetricNames() {
		info, ok := metrics[m]
		if !ok {
			t.Errorf("metric %q has no entry in the dictionary of names (plots/names.go)", m)
			continue
		}
		if info.name == "" || strings.Contains(info.name, "_") || info.unit == "" {
			t.Errorf("metric %q: name %q, unit %q", m, info.name, info.unit)
		}
	}
	for m := range metrics {
		if _, ok := metricIndex(m); !ok {
			t.Errorf("the dictionary names %q, which is not a metric of the contract", m)
		}
	}
}

func metricIndex(name string) (int, bool) {
	for i, m := range model.MetricNames() {
		if m == name {
			return i, true
		}
	}
	return -1, false
}

// Rates are fractions drawn as percentages, bounded by 0 % and 100 %;
// counts and times are bounded below by 0.
func TestMetricUnits(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		metric, unit string
		scale        float64
		lo, hi       float64
	}{
		{"rate_503", "% of requests", 100, 0, 100},
		{"availability", "% of time", 100, 0, 100},
		{"response_p99_s", "seconds", 1, 0, math.Inf(1)},
		{"throughput_rps", "requests/s", 1, 0, math.Inf(1)},
		{"abandoned", "requests", 1, 0, math.Inf(1)},
		{"crashes", "count", 1, 0, math.Inf(1)},
		{"rate_from_the_future", "% of requests", 100, 0, 100},
		{"something_new", "count", 1, math.Inf(-1), math.Inf(1)},
	} {
		lo, hi := metricBounds(tc.metric)
		if MetricLabel(tc.metric) != tc.unit || MetricScale(tc.metric) != tc.scale || lo != tc.lo || hi != tc.hi {
			t.Errorf("%s: unit %q scale %g bounds [%g, %g]; want %q %g [%g, %g]", tc.metric,
				MetricLabel(tc.metric), MetricScale(tc.metric), lo, hi, tc.unit, tc.scale, tc.lo, tc.hi)
		}
	}
	if MetricBetter("rate_503") != -1 || MetricBetter("availability") != 1 || MetricBetter("recycles") != 0 {
		t.Error("which way is better: wrong for rate_503, availability or recycles")
	}
}

func TestKeyNames(t *testing.T) {
	t.Parallel()
	for key, want := range map[string]string{
		"clients.arrivals.rate":       "arrival rate (requests/s)",
		"clients.trendpage.count":     "polling clients (clients)",
		"pool.shutdown_time_limit":    "shutdown time limit",
		"pool.recycle.private_memory": "private-memory recycle threshold",
		"backends.db.timeout":         "backend timeout",
		"clients.a.b.rate":            "clients.a.b.rate", // * is one segment
		"pool.unknown":                "pool.unknown",
	} {
		if got := KeyLabel(key); got != want {
			t.Errorf("KeyLabel(%q) = %q, want %q", key, got, want)
		}
	}
}

// Sweep values read as the scenario contract reads them (issue: "1d",
// "120mb" and "1.5TB" were "not a number", and any unknown value was
// labelled MB).
func TestValueKinds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		values []string
		kind   valueKind
		want   []float64
	}{
		{[]string{"20", "2.5", "1e3"}, plainNumber, []float64{20, 2.5, 1000}},
		{[]string{"90s", "5m", `"1h"`, "1d", "0s"}, durationValue, []float64{90, 300, 3600, 86400, 0}},
		{[]string{"120MB", "120mb", "1.5TB", "512KB"}, sizeValue, []float64{120 << 20, 120 << 20, 1.5 * (1 << 40), 512 << 10}},
		{[]string{"5m", "120MB"}, notNumeric, nil},
		{[]string{"12XB"}, notNumeric, nil},
		{[]string{"fast", "slow"}, notNumeric, nil},
	} {
		k := kindOf(tc.values)
		if k != tc.kind {
			t.Errorf("kindOf(%q) = %v, want %v", tc.values, k, tc.kind)
			continue
		}
		for i, w := range tc.want {
			if got, ok := k.parse(tc.values[i]); !ok || got != w {
				t.Errorf("%q read as %g, %v; want %g", tc.values[i], got, ok, w)
			}
		}
	}
	for _, tc := range []struct {
		kind valueKind
		v    float64
		want string
	}{
		{durationValue, 1800, "30m"}, {durationValue, 29 * 3600, "29h"}, {durationValue, 90, "1m30s"},
		{sizeValue, 512 << 20, "512MB"}, {sizeValue, 1.5 * (1 << 30), "1.5GB"}, {sizeValue, 1 << 40, "1TB"},
	} {
		if got := tc.kind.format(tc.v); got != tc.want {
			t.Errorf("format(%g) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// A duration axis spanning more than a decade is logarithmic, labelled
// with durations; a linear one with round durations.
func TestKindTicks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		ticks  kindTicks
		lo, hi float64
		want   []string
	}{
		{kindTicks{durationValue, true}, 1500, 30 * 3600, []string{"30m", "1h", "2h", "3h", "6h", "12h", "24h"}},
		{kindTicks{durationValue, false}, 0, 3600, []string{"0s", "10m", "20m", "30m", "40m", "50m", "1h"}},
		{kindTicks{sizeValue, true}, 100 << 20, 3 << 30, []string{"128MB", "256MB", "512MB", "1GB", "2GB"}},
		{kindTicks{sizeValue, false}, 0, 2 << 30, []string{"0B", "512MB", "1GB", "1.5GB", "2GB"}},
	} {
		if got := labels(tc.ticks.Ticks(tc.lo, tc.hi)); strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%+v ticks of [%g, %g] = %q, want %q", tc.ticks, tc.lo, tc.hi, got, tc.want)
		}
	}
}
