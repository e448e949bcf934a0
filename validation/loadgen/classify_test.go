package main

import (
	"os"
	"testing"
)

// TestParseNginxErrors reads lines of nginx's error log written by the
// suite's runs (testdata/nginx-error.log: EAGAIN from php-fpm's and from
// gunicorn's full backlog, php-fpm's reset and gunicorn's premature close
// when a worker died, a warm-up request without id, and one line of no
// known kind) and checks the reason each request gets.
func TestParseNginxErrors(t *testing.T) {
	f, err := os.Open("testdata/nginx-error.log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, unknown, err := ParseNginxErrors(f)
	if err != nil {
		t.Fatal(err)
	}
	for id, r := range map[int]string{61: reasonWorkerDied, 3: reasonWorkerDied} {
		if got[id] != r {
			t.Errorf("request %d: reason %q, want %q", id, got[id], r)
		}
	}
	backlog := 0
	for _, r := range got {
		if r == reasonBacklogFull {
			backlog++
		}
	}
	if backlog != 2 || unknown != 1 || len(got) != 4 {
		t.Errorf("got %v (%d backlog_full), %d unknown lines; want 2 backlog_full, 2 worker_died, 1 unknown", got, backlog, unknown)
	}
}

// TestClassify is the table of docs/validation.md, "How each outcome is
// recognised".
func TestClassify(t *testing.T) {
	tests := []struct {
		status   int
		timedOut bool
		sendErr  bool
		reason   string
		want     string
	}{
		{200, false, false, "", OutOK},
		{502, false, false, reasonBacklogFull, OutRejectedFull},
		{502, false, false, reasonNotListening, OutRejectedOffline},
		{502, false, false, reasonWorkerDied, OutAbandoned},
		{502, false, false, "", OutUnclassified},
		{504, false, false, reasonUpstreamTimed, OutGatewayTimeout},
		{500, false, false, "", OutError},
		{0, true, false, "", OutClientTimeout},
		{0, false, true, "", OutSendError},
	}
	for _, tt := range tests {
		if got := Classify(tt.status, tt.timedOut, tt.sendErr, tt.reason); got != tt.want {
			t.Errorf("Classify(%d, %v, %v, %q) = %s, want %s", tt.status, tt.timedOut, tt.sendErr, tt.reason, got, tt.want)
		}
	}
}
