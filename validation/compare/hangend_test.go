package main

import (
	"bytes"
	"math"
	"testing"
)

// TestHangEndOf checks how compare reads poolsim's kill times from its
// trace: only requests with an "execution timeout" line count, from their
// arrival to their outcome (waits included): request 1 arrives at 0.5 s,
// is ended at 2.0 s (1.5 s); request 3 arrives at 1.0 s and is ended at
// 3.5 s (2.5 s); request 2, abandoned with request 1's worker without
// reaching the limit itself, and request 4, served, do not count: mean 2 s.
// A trace with no limit line gives NaN (nothing to compare).
func TestHangEndOf(t *testing.T) {
	trace := `    0.500000 arrive req=1 client=load sender=1 n=0 attempt=1 fault=0.01 service=1000
    0.700000 arrive req=2 client=load sender=2 n=0 attempt=1 fault=0.50 service=1000
    1.000000 arrive req=3 client=load sender=3 n=0 attempt=1 fault=0.01 service=1000
    1.100000 arrive req=4 client=load sender=4 n=0 attempt=1 fault=0.60 service=1000
    1.200000 outcome req=4 ok
    2.000000 execution timeout req=1 worker=1 exit_worker
    2.000000 outcome req=2 abandoned
    2.000000 outcome req=1 abandoned
    3.500000 execution timeout req=3 worker=2 kill_worker
    3.500000 outcome req=3 abandoned
`
	if got := hangEndOf(bytes.NewBufferString(trace)); math.Abs(got-2) > 1e-12 {
		t.Errorf("hang end %v s, want 2 s", got)
	}
	if got := hangEndOf(bytes.NewBufferString("    0.500000 arrive req=1 client=load sender=1 n=0 attempt=1 fault=0.9 service=1\n    0.6 outcome req=1 ok\n")); !math.IsNaN(got) {
		t.Errorf("hang end without kills %v, want NaN", got)
	}
}
