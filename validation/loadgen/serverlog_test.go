package main

import (
	"math"
	"os"
	"reflect"
	"testing"
)

// TestParseServerLog reads a php-fpm log (an emergency-restart run: six
// SIGSEGV crashes, two reloads "failed processes threshold (3 in 10 sec)")
// and a gunicorn log (a timeout run) written by the suite, and checks the
// worker events counted, against counts taken with grep. Starts, idle
// exits (code 0) and SIGTERM kills between an emergency restart and
// "ready to handle connections" belong to the reload, not to crashes or
// recycles; the shutdown at the end of the run (after the last ready) is
// not a reload's.
func TestParseServerLog(t *testing.T) {
	tests := []struct {
		server, file string
		want         map[string]int
	}{
		{"php-fpm", "testdata/php-fpm.log", map[string]int{
			"start": 8, "start_in_reload": 8, "crash_segv": 6, "emergency_restart": 2, "ready": 3,
			"exit_in_reload": 3, "term_in_reload": 3, "term": 3, "crash_kill": 1}},
		{"gunicorn", "testdata/gunicorn.log", map[string]int{
			"start": 12, "timeout_kill": 9, "crash_kill": 1}},
	}
	for _, tt := range tests {
		f, err := os.Open(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		evs, err := ParseServerLog(tt.server, f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, ev := range evs {
			got[ev.Kind]++
			if ev.At.IsZero() {
				t.Errorf("%s: event %+v has no time", tt.file, ev)
			}
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.file, got, tt.want)
		}
	}
}

// TestParseServerLogTerminateElapsed reads a php-fpm log of the suite's
// fpm-terminate case (request_terminate_timeout = 1s, heartbeat 333 ms) and
// checks that each execution-limit kill carries the master's own figure of
// the time since the child accepted the request: the 12 figures of the log
// (taken with grep), each inside the heartbeat rule's range [1, 1.333) s
// (docs/model.md#execution-time-limit).
func TestParseServerLogTerminateElapsed(t *testing.T) {
	f, err := os.Open("testdata/php-fpm-terminate.log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evs, err := ParseServerLog("php-fpm", f)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{1.313951, 1.024010, 1.016779, 1.153147, 1.059019, 1.191276, 1.022296, 1.253995, 1.244304, 1.113642, 1.123742, 1.331963}
	var got []float64
	for _, ev := range evs {
		if ev.Kind == "timeout_kill" {
			got = append(got, ev.Elapsed.Seconds())
		} else if ev.Elapsed != 0 {
			t.Errorf("%s event with an elapsed time %v", ev.Kind, ev.Elapsed)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d kills with elapsed times %v, want %d", len(got), got, len(want))
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-9 || got[i] < 1 || got[i] >= 4.0/3 {
			t.Errorf("kill %d: elapsed %v s, want %v s, inside [1, 1.333)", i, got[i], want[i])
		}
	}
}
