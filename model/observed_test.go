package model

import (
	"reflect"
	"testing"

	"github.com/poolsim/poolsim/model/scenario"
)

const observedScenario = `horizon = "2h"
warmup = "1h"
[classes.page]
service = "10ms"
[clients.users]
kind = "poisson"
rate = 2.0
[observed]
from = 2026-11-23T00:00:00Z
to = 2026-11-23T04:00:00Z
ok = 28800
rejected_queue_full = 40
abandoned = 4
`

// TestObservedRoundTrip: the [observed] table survives MarshalTOML (the
// scenario a sweep records) unchanged.
func TestObservedRoundTrip(t *testing.T) {
	sc := decodeText(t, observedScenario)
	text, err := sc.MarshalTOML()
	if err != nil {
		t.Fatal(err)
	}
	again, err := scenario.Decode("again.toml", text)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if !reflect.DeepEqual(sc.Observed, again.Observed) {
		t.Errorf("observed %+v, after the round trip %+v", sc.Observed, again.Observed)
	}
}

// TestCompareObservedScalesToTheMeasuredSpan checks the comparison's rule:
// the observed counts (4 h of logs) are scaled to the run's measured span
// (horizon less warm-up: 1 h), and simulated ok counts ok and stale.
func TestCompareObservedScalesToTheMeasuredSpan(t *testing.T) {
	sc := decodeText(t, observedScenario)
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rows := CompareObserved(sc, res)
	want := map[string][2]float64{
		"ok":                  {res.Metrics.OK + res.Metrics.Stale, 7200},
		"rejected_queue_full": {0, 10},
		"abandoned":           {0, 1},
		"expired":             {0, 0},
	}
	seen := 0
	for _, r := range rows {
		if w, ok := want[r.Name]; ok {
			seen++
			if r.Simulated != w[0] || r.Observed != w[1] {
				t.Errorf("%s: simulated %v observed %v, want %v and %v", r.Name, r.Simulated, r.Observed, w[0], w[1])
			}
		}
	}
	if seen != len(want) {
		t.Errorf("rows %+v", rows)
	}
	sc.Observed = nil
	if CompareObserved(sc, res) != nil {
		t.Error("a scenario without [observed] compares")
	}
}
