package main

import (
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
