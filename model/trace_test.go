package model

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/model/accesslog"
	"github.com/poolsim/poolsim/model/scenario"
)

const traceLogHead = "#Software: Microsoft Internet Information Services 10.0\n#Version: 1.0\n#Fields: date time cs-uri-stem sc-status sc-substatus time-taken\n"

func traceScenario(t *testing.T, dir, log string, extra string) *scenario.Scenario {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "u_ex.log"), []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	src := `horizon = "1h"
start = 2026-11-23T00:00:00Z
[pool]
threads = 100
startup_time = "0s"
[classes.other]
service = "10ms"
[classes.api_orders]
service = "500ms"
[clients.replay]
kind = "trace"
file = "u_ex.log"
class = "other"
` + extra
	path := filepath.Join(dir, "replay.toml")
	sc, err := scenario.Decode(path, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// TestTraceReplaysArrivals checks the trace client's rules: a request
// arrives at its logged end less its time-taken, in arrival order although
// the log is in end order; log time maps to (T − start) / speedup; requests
// before the start are skipped; a path whose class name
// (accesslog.AppendClassName) names a class goes to it, any other to the
// client's class; the replayed path is the one logged.
func TestTraceReplaysArrivals(t *testing.T) {
	log := traceLogHead +
		"2026-11-22 23:59:59 /early 200 0 5\n" +
		"2026-11-23 00:00:10 /home 200 0 5000\n" + // arrived at 5 s
		"2026-11-23 00:00:08 /API/Orders 200 0 1000\n" + // arrived at 7 s
		"2026-11-23 00:00:06 /home 200 0 0\n" + // arrived at 6 s
		"2026-11-23 00:00:20 /home 200 0 0\n"
	for _, tt := range []struct {
		speedup string
		want    []float64 // arrival times in seconds
	}{
		{"", []float64{5.5, 6.5, 7.5, 20.5}},
		{"speedup = 2.0\n", []float64{2.75, 3.25, 3.75, 10.25}},
	} {
		sc := traceScenario(t, t.TempDir(), log, tt.speedup)
		var trace, access bytes.Buffer
		res, err := Run(sc, Options{Trace: &trace, AccessLog: &access})
		if err != nil {
			t.Fatal(err)
		}
		got := arrivalTimes(trace.String())
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("speedup %q: arrivals at %v s, want %v", tt.speedup, got, tt.want)
		}
		if res.Metrics.Arrivals != 4 || res.Metrics.OK != 4 {
			t.Errorf("arrivals %v ok %v, want 4 and 4", res.Metrics.Arrivals, res.Metrics.OK)
		}
		if len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "1 requests before the scenario's start") {
			t.Errorf("notes %q, want one about the early request", res.Notes)
		}
		// Each path's time-taken shows its class: api_orders 500 ms, the rest 10 ms.
		r := accesslog.NewReader("access", &access, accesslog.Options{})
		taken := map[string][]int64{}
		for {
			rec, err := r.Next()
			if err != nil {
				break
			}
			taken[string(rec.Path)] = append(taken[string(rec.Path)], rec.Taken.Milliseconds())
		}
		if fmt.Sprint(taken) != "map[/API/Orders:[500] /home:[10 10 10]]" {
			t.Errorf("access log time-taken by path %v", taken)
		}
	}
}

// TestTraceMemoryFlat: a trace is streamed, so replaying a log ten times
// longer allocates about the same; loading it whole would allocate at
// least its size again.
func TestTraceMemoryFlat(t *testing.T) {
	alloc := func(lines int) uint64 {
		var b strings.Builder
		b.WriteString(traceLogHead)
		for i := 0; i < lines; i++ {
			s := 1 + i/10 // ten requests a second
			fmt.Fprintf(&b, "2026-11-23 %02d:%02d:%02d /p%d 200 0 3\n", s/3600, s/60%60, s%60, i%50)
		}
		sc := traceScenario(t, t.TempDir(), b.String(), "")
		sc.Horizon = scenario.Duration(24 * 3600 * 1e9)
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		res, err := Run(sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&m1)
		if int(res.Metrics.Arrivals) != lines {
			t.Fatalf("%d arrivals, want %d", int(res.Metrics.Arrivals), lines)
		}
		return m1.TotalAlloc - m0.TotalAlloc
	}
	small, large := alloc(20_000), alloc(200_000)
	t.Logf("allocated: %d bytes for 20 000 lines, %d for 200 000", small, large)
	// 180 000 more lines of about 45 bytes: loading them would take 8 MB.
	if large > small+1<<20 {
		t.Errorf("20 000 lines allocate %d bytes, 200 000 lines %d: not flat", small, large)
	}
}

// TestTraceMergesHTTPErr: a trace client with httperr replays the HTTPERR
// log's requests too (the requests HTTP.sys answered never reached the
// access log), merged in time with the access log's, each at its logged
// time.
func TestTraceMergesHTTPErr(t *testing.T) {
	dir := t.TempDir()
	httperr := "#Software: Microsoft HTTP API 2.0\n#Version: 1.0\n#Date: 2026-11-23 00:00:00\n" +
		"#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\n" +
		"2026-11-23 00:00:07 10.1.2.3 50000 10.0.0.5 80 HTTP/1.1 GET /home 503 1 QueueFull p\n"
	if err := os.WriteFile(filepath.Join(dir, "httperr1.log"), []byte(httperr), 0o644); err != nil {
		t.Fatal(err)
	}
	log := traceLogHead + "2026-11-23 00:00:06 /home 200 0 0\n2026-11-23 00:00:08 /home 200 0 0\n"
	sc := traceScenario(t, dir, log, "httperr = \"httperr1.log\"\n")
	var trace bytes.Buffer
	res, err := Run(sc, Options{Trace: &trace})
	if err != nil {
		t.Fatal(err)
	}
	got := arrivalTimes(trace.String())
	if fmt.Sprint(got) != "[6.5 7.5 8.5]" || res.Metrics.Arrivals != 3 {
		t.Errorf("arrivals at %v (%v), want [6.5 7.5 8.5]", got, res.Metrics.Arrivals)
	}
}

// arrivalTimes returns the times, in seconds, of the arrivals in a run's
// event-by-event trace.
func arrivalTimes(trace string) []float64 {
	var got []float64
	for _, line := range strings.Split(trace, "\n") {
		var at float64
		if strings.Contains(line, " arrive ") {
			fmt.Sscan(line, &at)
			got = append(got, at)
		}
	}
	return got
}

// TestTraceOutsideTheSpanNoted: a log that does not overlap the span
// replayed sends nothing, and the run says where the log begins.
func TestTraceOutsideTheSpanNoted(t *testing.T) {
	sc := traceScenario(t, t.TempDir(), traceLogHead+"2026-11-25 10:00:00 /home 200 0 5\n", "")
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Metrics.Arrivals != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "the log begins at 2026-11-25T10:00:00Z") {
		t.Errorf("arrivals %v, notes %q", res.Metrics.Arrivals, res.Notes)
	}
}
