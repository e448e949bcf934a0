package model

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model/scenario"
)

// The mechanism tests drive a pool with requests sent at chosen instants,
// so that each case can be worked out by hand: the scenario's only client
// sends nothing by itself (a Poisson rate of 0), and an injector sends one
// request at each time given.

// injector sends one request of the first client at each event.
type injector struct {
	c *clientRT
	n int
}

func (in *injector) HandleEvent(int) {
	in.n++
	in.c.send(0, in.n, 1)
}

// handScenario is one worker of the given threads, ready at once, with a
// constant service, no ping, no idle timeout, no periodic recycle, rapid-fail
// protection off, and a client that sends only what runAt injects.
func handScenario(threads int, service engine.Time, horizon engine.Time) *scenario.Scenario {
	sc := baseScenario(0, service, threads, 1000, horizon)
	sc.Classes["page"].Service = scenario.Const(service)
	sc.Pool.RapidFail.Enabled = false
	sc.Pool.OnExecutionTimeout = "abort"
	sc.Pool.Memory.VirtualGrowth = 1
	return sc
}

// runAt runs sc with one request sent at each of times, and returns the
// result and the trace.
func runAt(t *testing.T, sc *scenario.Scenario, times ...engine.Time) (*Result, string) {
	t.Helper()
	var trace, httperr bytes.Buffer
	w, err := newWorld(sc, Options{Trace: &trace, HTTPErr: &httperr, Interval: sc.Horizon.T() / 10}, 0)
	if err != nil {
		t.Fatal(err)
	}
	in := &injector{c: w.clients[0]}
	for _, at := range times {
		w.sim.At(at, in, 0)
	}
	res, err := w.run()
	if err != nil {
		t.Fatal(err)
	}
	checkConservation(t, res.Metrics)
	return res, trace.String() + "\n--- HTTPERR\n" + httperr.String()
}

// timesOf returns the times of the trace lines that contain s.
func timesOf(trace, s string) []float64 {
	var ts []float64
	for _, line := range strings.Split(trace, "\n") {
		if strings.Contains(line, s) {
			var f float64
			if _, err := fmtSscan(line, &f); err == nil {
				ts = append(ts, f)
			}
		}
	}
	return ts
}

// near reports whether two trace times agree: the trace prints them to the
// microsecond.
func near(a, b float64) bool { return a-b < 1e-6 && b-a < 1e-6 }

// lines returns the trace lines that contain s.
func lines(trace, s string) []string {
	var out []string
	for _, line := range strings.Split(trace, "\n") {
		if strings.Contains(line, s) {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

func fmtSscan(line string, f *float64) (int, error) { return fmt.Sscan(strings.TrimSpace(line), f) }

// traceBuf collects a trace.
type traceBuf struct{ bytes.Buffer }

// decodeText decodes a scenario given as text.
func decodeText(t *testing.T, text string, sets ...string) *scenario.Scenario {
	t.Helper()
	var ovs []scenario.Override
	for _, s := range sets {
		o, err := scenario.ParseSet(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	sc, err := scenario.Decode("test.toml", []byte(text), ovs...)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// catalogStory decodes the shipped scenario name with the overrides
// (`--set` syntax) and runs replication 0.
func catalogStory(t *testing.T, name string, sets ...string) *Result {
	t.Helper()
	data, ok := catalog.Scenario(name)
	if !ok {
		t.Fatalf("no shipped scenario %q", name)
	}
	sc := decodeText(t, string(data), sets...)
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatalf("%s %v: %v", name, sets, err)
	}
	checkConservation(t, res.Metrics)
	return res
}
