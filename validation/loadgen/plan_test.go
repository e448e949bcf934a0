package main

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestPlanIsPoolsimsWorkload checks the rule the comparison rests on: the
// generator's request i is poolsim's request i of the same replication,
// with the same arrival time, service time and fault, as poolsim then
// executes it (the plan reads the arrivals' draws; this reads the
// outcomes). With unlimited threads and crashes switched off (the fault
// draw is the same uniform, so hangs stay where they were), a request's
// outcome comes at its arrival plus its service, and a hanging one at its
// client's timeout. With crashes on, every crash the plan asks for kills
// the worker at its arrival plus service, abandoning what runs there: each
// poolsim abandonment happens at one of the plan's crash times, and each
// crashing request is abandoned by then.
func TestPlanIsPoolsimsWorkload(t *testing.T) {
	sc, err := scenario.DecodeFile("testdata/shared.toml")
	if err != nil {
		t.Fatal(err)
	}
	noCrash, err := scenario.ParseSet("classes.a.crash=0.0")
	if err != nil {
		t.Fatal(err)
	}
	scNoCrash, err := scenario.DecodeFile("testdata/shared.toml", noCrash)
	if err != nil {
		t.Fatal(err)
	}
	const tick = 2e-6 // the trace prints microseconds
	horizon := sc.Horizon.T().Duration()
	for _, rep := range []uint64{0, 7} {
		plan, err := Plan(sc, rep)
		if err != nil {
			t.Fatal(err)
		}
		planNoCrash, err := Plan(scNoCrash, rep)
		if err != nil {
			t.Fatal(err)
		}
		if len(planNoCrash) != len(plan) {
			t.Fatalf("rep %d: %d requests without crashes, %d with", rep, len(planNoCrash), len(plan))
		}
		arrive, end, outcome := trace(t, scNoCrash, rep)
		if len(arrive) != len(plan) {
			t.Fatalf("rep %d: poolsim sent %d requests, the plan has %d", rep, len(arrive), len(plan))
		}
		faults := map[Fault]int{}
		crashAt := map[int]float64{}
		for _, rq := range plan {
			faults[rq.Fault]++
			if d := math.Abs(arrive[rq.ID] - rq.At.Seconds()); d > tick {
				t.Fatalf("rep %d request %d: poolsim arrives at %.6f s, the plan at %.6f s", rep, rq.ID, arrive[rq.ID], rq.At.Seconds())
			}
			want, wantEnd := "ok", rq.At+rq.Service
			switch rq.Fault {
			case FaultCrash:
				crashAt[rq.ID] = wantEnd.Seconds()
			case FaultHang:
				want, wantEnd = "client_timeout", rq.At+rq.Timeout
			}
			if wantEnd >= horizon {
				continue // in flight at the horizon
			}
			if outcome[rq.ID] != want || math.Abs(end[rq.ID]-wantEnd.Seconds()) > 2*tick {
				t.Fatalf("rep %d request %d: poolsim %s at %.6f s, the plan says %s at %.6f s",
					rep, rq.ID, outcome[rq.ID], end[rq.ID], want, wantEnd.Seconds())
			}
		}
		// 600 requests of class a at 5 % crashes and 2 % hangs: both occur.
		if faults[FaultCrash] < 10 || faults[FaultHang] < 5 {
			t.Fatalf("rep %d: faults %v: too few for the test to mean something", rep, faults)
		}

		_, end, outcome = trace(t, sc, rep)
		for id, at := range crashAt {
			if at < horizon.Seconds() && (outcome[id] != "abandoned" || end[id] > at+2*tick) {
				t.Errorf("rep %d request %d crashes at %.6f s in the plan; poolsim: %s at %.6f s", rep, id, at, outcome[id], end[id])
			}
		}
		for id, o := range outcome {
			if o != "abandoned" {
				continue
			}
			found := false
			for _, at := range crashAt {
				found = found || math.Abs(end[id]-at) <= 2*tick
			}
			if !found {
				t.Errorf("rep %d request %d: poolsim abandons it at %.6f s, when the plan has no crash", rep, id, end[id])
			}
		}
	}
}

// trace runs sc's replication rep and reads each request's arrival, end and
// outcome from poolsim's trace.
func trace(t *testing.T, sc *scenario.Scenario, rep uint64) (arrive, end map[int]float64, outcome map[int]string) {
	t.Helper()
	var b bytes.Buffer
	if _, err := model.Run(sc, model.Options{Replication: rep, Trace: &b}); err != nil {
		t.Fatal(err)
	}
	return readTrace(&b)
}

func readTrace(b *bytes.Buffer) (arrive, end map[int]float64, outcome map[int]string) {
	arrive, end, outcome = map[int]float64{}, map[int]float64{}, map[int]string{}
	sc := bufio.NewScanner(b)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 {
			continue
		}
		var at float64
		var id int
		fmt.Sscan(f[0], &at)
		switch f[1] {
		case "arrive":
			fmt.Sscanf(f[2], "req=%d", &id)
			arrive[id] = at
		case "outcome":
			fmt.Sscanf(f[2], "req=%d", &id)
			end[id], outcome[id] = at, f[3]
		}
	}
	return
}

// TestPlanRefusesWhatItCannotReplay: retries, profiles, after-response
// polling and backends are drawn by poolsim during the run, so the
// generator cannot share them.
func TestPlanRefusesWhatItCannotReplay(t *testing.T) {
	for _, set := range []string{`retry.policy="fixed"`, `clients.tabs.mode="after_response"`} {
		ov, err := scenario.ParseSet(set)
		if err != nil {
			t.Fatal(err)
		}
		sc, err := scenario.DecodeFile("testdata/shared.toml", ov)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Plan(sc, 0); err == nil {
			t.Errorf("%s: planned", set)
		}
	}
}
