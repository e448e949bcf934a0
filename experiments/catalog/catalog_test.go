package catalog_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model/scenario"
)

func TestDefaultIsShipped(t *testing.T) {
	if _, ok := catalog.Scenario(catalog.Default); !ok {
		t.Fatalf("default scenario %q is not shipped", catalog.Default)
	}
}

func TestNamesSorted(t *testing.T) {
	names := catalog.Names()
	if !slices.IsSorted(names) {
		t.Errorf("Names() = %v, not sorted", names)
	}
	for _, want := range []string{"trend-page", "mm4", "erlang-b", "long-downloads", "leaky-app", "singleton-lock", "hung-requests"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names() = %v lacks %q", names, want)
		}
	}
}

// TestShippedScenariosDecode decodes every shipped scenario strictly and
// checks that it round-trips through MarshalTOML.
func TestShippedScenariosDecode(t *testing.T) {
	for _, name := range catalog.Names() {
		t.Run(name, func(t *testing.T) {
			data, _ := catalog.Scenario(name)
			sc, warnings, err := scenario.DecodeWarn(name+".toml", data)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			for _, w := range warnings {
				if name != "erlang-b" { // queue_length = 0 is the point of erlang-b
					t.Errorf("warning: %s", w)
				}
			}
			out, err := sc.MarshalTOML()
			if err != nil {
				t.Fatal(err)
			}
			back, err := scenario.Decode(name+" (as run)", out)
			if err != nil {
				t.Fatalf("decode of MarshalTOML output: %v\n%s", err, out)
			}
			if !reflect.DeepEqual(sc, back) {
				t.Errorf("round trip differs:\n%s", out)
			}
		})
	}
}

func TestDescribe(t *testing.T) {
	for _, e := range catalog.List() {
		if e.Description == "" || e.Description == e.Name || strings.HasPrefix(e.Description, "#") {
			t.Errorf("%s %s: description %q: want the file's first comment line", e.Kind, e.Name, e.Description)
		}
		if got := catalog.Describe(e.Name); got != e.Description {
			t.Errorf("Describe(%q) = %q, List says %q", e.Name, got, e.Description)
		}
	}
	if got := catalog.Describe("no-such"); got != "no-such" {
		t.Errorf("Describe(no-such) = %q", got)
	}
}

func TestReadUnknown(t *testing.T) {
	for _, name := range []string{"no-such", "", "../catalog", "scenarios/mm4", "mm4.toml"} {
		if _, err := catalog.Read(name); err == nil {
			t.Errorf("Read(%q): no error", name)
		}
		if _, ok := catalog.Scenario(name); ok {
			t.Errorf("Scenario(%q) found", name)
		}
	}
	if _, err := catalog.Read("mm4"); err != nil {
		t.Error(err)
	}
}

// TestShippedFacts pins what each story scenario is about, so that an edit
// does not quietly remove its point.
func TestShippedFacts(t *testing.T) {
	load := func(name string) *scenario.Scenario {
		data, _ := catalog.Scenario(name)
		sc, err := scenario.Decode(name, data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return sc
	}
	tp := load("trend-page")
	h := tp.Backends["historian"]
	if c := tp.Clients["trendpage"]; c.Kind != "polling" || c.Count != 40 || c.Period.T().Seconds() != 5 {
		t.Errorf("trend-page client: %+v", c)
	}
	if h.OnTimeout != "crash" || h.Timeout.T().Seconds() != 30 || h.Slow == nil || !tp.Pool.RapidFail.Enabled {
		t.Errorf("trend-page historian: %+v", h)
	}
	if tp.Horizon.T().Seconds() != 12*3600 || tp.Warmup.T().Seconds() != 15*60 {
		t.Errorf("trend-page horizon %v warmup %v", tp.Horizon, tp.Warmup)
	}

	mm4 := load("mm4")
	c := mm4.Clients["arrivals"]
	svc := mm4.Classes["job"].Service
	if mm4.Pool.Threads != 4 || mm4.Pool.MaxProcesses != 1 || c.Rate != 3.6 || svc.Kind != "exponential" || svc.Mean.Seconds() != 1 {
		t.Errorf("mm4 is not M/M/4 at rho 0.9: %+v %+v", mm4.Pool, c)
	}
	if n := c.Rate * mm4.Horizon.T().Seconds(); n < 0.99e6 || n > 1.01e6 {
		t.Errorf("mm4 expects %.0f requests, want about one million", n)
	}
	if mm4.Pool.Ping.Enabled || mm4.Pool.RapidFail.Enabled || mm4.Pool.Recycle.Time != 0 || mm4.Pool.IdleTimeout != 0 || mm4.Pool.QueueTimeout != 0 || !mm4.Pool.StartupTime.IsZero() {
		t.Errorf("mm4 has faults or timeouts: %+v", mm4.Pool)
	}
	// gunicorn-max-requests: equal limits synchronise the restarts of
	// workers that boot slowly; the jitter is the point.
	gm := load("gunicorn-max-requests")
	if gm.Gunicorn == nil || gm.Pool.Recycle.Requests != 1000 || gm.Pool.Recycle.RequestsJitter != 500 || gm.Pool.Recycle.Overlapping ||
		gm.Pool.MaxProcesses != 4 || gm.Pool.StartupTime.Mean.Seconds() != 10 || gm.Warmup.T().Seconds() != 30 {
		t.Errorf("gunicorn-max-requests: %+v", gm.Pool)
	}
	if eb := load("erlang-b"); eb.Pool.QueueLength != 0 {
		t.Errorf("erlang-b queue_length = %d", eb.Pool.QueueLength)
	}
}
