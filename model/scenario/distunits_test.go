package scenario

import (
	"reflect"
	"strings"
	"testing"
)

// TestSizeAndRateDistributions decodes allocations, response sizes and
// bandwidths, constants and tables, into the values they stand for: the
// parameters are read in the quantity's own unit (KB = 1024 bytes; bit
// rates decimal).
func TestSizeAndRateDistributions(t *testing.T) {
	const mb = Size(1 << 20)
	for _, c := range []struct {
		key, value string
		want       any
	}{
		{"allocate", `"550MB"`, Constant(550 * mb)},
		{"allocate", `{ dist = "uniform", min = "100MB", max = "600MB" }`, SizeDist{Kind: "uniform", Min: 100 * mb, Max: 600 * mb}},
		{"allocate", `{ dist = "constant", value = "1.5GB" }`, Constant(1536 * mb)},
		{"allocate", `0`, Constant[Size](0)},
		{"response_size", `{ dist = "lognormal", mean = "2MB", cv = 1.5 }`, SizeDist{Kind: "lognormal", Mean: 2 * mb, CV: 1.5}},
		{"response_size", `{ dist = "exponential", mean = "512KB" }`, SizeDist{Kind: "exponential", Mean: mb / 2}},
		{"response_size", `{ dist = "pareto", shape = 1.2, min = "10KB" }`, SizeDist{Kind: "pareto", Shape: 1.2, Min: 10 << 10}},
		{"response_size", `{ dist = "empirical", values = ["4KB", "30MB"] }`, SizeDist{Kind: "empirical", Values: []Size{4 << 10, 30 * mb}}},
		{"bandwidth", `"2Mbit/s"`, Constant[Rate](250_000)},
		{"bandwidth", `"0"`, Constant[Rate](0)},
		{"bandwidth", `{ dist = "lognormal", mean = "8Mbit/s", cv = 1 }`, RateDist{Kind: "lognormal", Mean: 1_000_000, CV: 1}},
		{"bandwidth", `{ dist = "uniform", min = "512kbit/s", max = "1MB/s" }`, RateDist{Kind: "uniform", Min: 64_000, Max: 1 << 20}},
		{"bandwidth", `{ dist = "empirical", values = ["240B/s", "100bit/s"] }`, RateDist{Kind: "empirical", Values: []Rate{240, 12.5}}},
	} {
		t.Run(c.key+" = "+c.value, func(t *testing.T) {
			table := "classes.page"
			if c.key == "bandwidth" {
				table = "clients.users"
			}
			set, err := ParseSet(table + "." + c.key + "=" + c.value)
			if err != nil {
				t.Fatal(err)
			}
			sc := decodeOK(t, minimal, set)
			var got any
			switch c.key {
			case "allocate":
				got = sc.Classes["page"].Allocate
			case "response_size":
				got = sc.Classes["page"].ResponseSize
			case "bandwidth":
				got = sc.Clients["users"].Bandwidth
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestSizeAndRateKinds checks every family of the table with sizes and
// with rates as it is checked with durations: the text decodes back, and
// the sampler's mean agrees with Expected.
func TestSizeAndRateKinds(t *testing.T) {
	const mb = Size(1 << 20)
	checkKinds(t, []SizeDist{
		Constant(550 * mb),
		{Kind: "deterministic", Mean: 40 * mb},
		{Kind: "exponential", Mean: 2 * mb},
		{Kind: "lognormal", Mean: 2 * mb, CV: 1.5},
		{Kind: "uniform", Min: 100 * mb, Max: 600 * mb},
		{Kind: "gamma", Mean: 64 * mb, CV: 0.5},
		{Kind: "weibull", Mean: 64 * mb, Shape: 1.5},
		{Kind: "pareto", Shape: 3, Min: 10 << 10},
		{Kind: "empirical", Values: []Size{4 << 10, 120 << 10, 30 * mb}},
	})
	checkKinds(t, []RateDist{
		Constant[Rate](250_000),
		{Kind: "exponential", Mean: 1_000_000},
		{Kind: "lognormal", Mean: 1_000_000, CV: 1},
		{Kind: "uniform", Min: 64_000, Max: 1 << 20},
		{Kind: "gamma", Mean: 250_000, Shape: 3},
		{Kind: "pareto", Shape: 2.5, Mean: 250_000},
		{Kind: "empirical", Values: []Rate{240, 12.5, 1 << 20}},
	})
}

// TestRateText checks that a rate is written in the unit it was most
// likely given in, and reads back exactly.
func TestRateText(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{"2Mbit/s", "2Mbit/s"},
		{"512kbit/s", "512kbit/s"},
		{"1.5Gbit/s", "1500Mbit/s"},
		{"1MB/s", "1MB/s"},
		{"250KB/s", "2048kbit/s"},
		{"240B/s", "240B/s"},
		{"100bit/s", "100bit/s"},
		{"0.3bit/s", "0.3bit/s"},
		{"0", "0"},
	} {
		f, err := ParseBandwidth(c.in)
		if err != nil {
			t.Fatalf("%s: %v", c.in, err)
		}
		got := Rate(f).String()
		back, err := ParseBandwidth(got)
		if got != c.want || err != nil || back != f {
			t.Errorf("%s: written %q (reads back as %v, %v), want %q", c.in, got, back, err, c.want)
		}
	}
}

// TestDistributionsInGoCode checks the distributions of sizes and rates
// that a scenario built in Go carries: Validate refuses what Decode would,
// naming the key.
func TestDistributionsInGoCode(t *testing.T) {
	for _, c := range []struct {
		name string
		set  func(sc *Scenario)
		want string
	}{
		{"negative constant", func(sc *Scenario) { sc.Classes["page"].Allocate = Constant[Size](-5) }, "classes.page.allocate"},
		{"min above max", func(sc *Scenario) {
			sc.Classes["page"].ResponseSize = SizeDist{Kind: "uniform", Min: 2 << 20, Max: 1 << 20}
		}, "classes.page.response_size.max"},
		{"unknown kind", func(sc *Scenario) { sc.Clients["users"].Bandwidth = RateDist{Kind: "normal", Mean: 1e6} }, "clients.users.bandwidth.dist"},
		{"zero rate drawn", func(sc *Scenario) { sc.Clients["users"].Bandwidth = RateDist{Kind: "exponential"} }, "clients.users.bandwidth.mean"},
	} {
		t.Run(c.name, func(t *testing.T) {
			sc := decodeOK(t, minimal)
			c.set(sc)
			err := sc.Validate()
			if err == nil || !strings.Contains(err.Error(), c.want+" = ") {
				t.Errorf("Validate: %v, want an error at %s", err, c.want)
			}
		})
	}
	sc := decodeOK(t, minimal)
	sc.Classes["page"].Allocate = SizeDist{} // absent: no allocation
	sc.Clients["users"].Bandwidth = RateDist{}
	if err := sc.Validate(); err != nil {
		t.Errorf("absent allocate and bandwidth: %v", err)
	}
}

// TestEveryUnitHasEveryFamily checks that durations, sizes and rates have
// the same families, in the order messages name them.
func TestEveryUnitHasEveryFamily(t *testing.T) {
	names := func(n int, name func(int) string) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = name(i)
		}
		return out
	}
	for unit, got := range map[string][]string{
		"duration": names(len(durationUnit.kinds), func(i int) string { return durationUnit.kinds[i].name }),
		"size":     names(len(sizeUnit.kinds), func(i int) string { return sizeUnit.kinds[i].name }),
		"rate":     names(len(rateUnit.kinds), func(i int) string { return rateUnit.kinds[i].name }),
	} {
		if !reflect.DeepEqual(got, distKinds) {
			t.Errorf("%s families %v, want %v", unit, got, distKinds)
		}
	}
}
