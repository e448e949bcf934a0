package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model"
)

// summaryOf runs a scenario given as TOML and returns its summary.
func summaryOf(t *testing.T, src string) string {
	t.Helper()
	sc, err := model.Decode("test.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := model.Run(sc, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := writeSummary(&b, sc, 0, res, nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestSummaryWording checks the summary's rules of wording
// (docs/model.md#outputs): a response time of no request reads n/a, a
// single worker process is singular, and the supervisor's log is named for
// the supervisor (WAS events for IIS, php-fpm's log, Kubernetes events).
func TestSummaryWording(t *testing.T) {
	const hung = `
horizon = "10m"
[pool]
threads = 1
[pool.ping]
enabled = false
[classes.page]
service = "1s"
hang = 1.0
[clients.users]
kind = "poisson"
rate = 1
`
	crashLoop := func(policy string) string {
		return `
horizon = "10m"
[pool]
startup_time = "0s"
[pool.rapid_fail]
policy = "` + policy + `"
[classes.page]
service = "100ms"
crash = 1.0
[clients.users]
kind = "poisson"
rate = 5
`
	}
	for _, tc := range []struct {
		name, src string
		want      []string
		not       []string
	}{
		{"no ok request", hung, []string{"mean                  n/a  p50  n/a  p90  n/a  p99  n/a", "  1 worker process in the whole run"}, []string{"1 worker processes"}},
		{"iis", crashLoop("iis"), []string{"\nWAS events (System log, source WAS)\n", "5002  1", "Connection_Abandoned_By_ReqQueue"}, []string{"_AppPool"}},
		{"php-fpm", crashLoop("emergency_restart"), []string{"\nphp-fpm log (error_log)\n", "child exited on signal 11 (SIGSEGV)", "initiating reload"}, []string{"WAS events"}},
		// rate_503 says what it counts in the words of the outcome rows.
		{"rate_503 iis", crashLoop("iis"), []string{"of arrivals got 503 (QueueFull, AppOffline, or from a worker shutting down)"}, nil},
		{"rate_503 php-fpm", "server = \"php-fpm\"\n" + crashLoop("emergency_restart"),
			[]string{"of arrivals were refused (rejected_queue_full 502, rejected_app_offline 502; named after IIS's 503)"}, []string{"QueueFull", "AppOffline"}},
		{"kubernetes", crashLoop("backoff"), []string{"\nKubernetes events (kubectl get events)\n", "BackOff"}, []string{"WAS events"}},
		// Stopped before the warm-up ends: availability 0 beside a trip
		// counted before it, and a warning, never a bare "0 trips".
		{"stopped before the warm-up", "warmup = \"5m\"\n" + crashLoop("iis"),
			[]string{"rapid_fail_trips  0 (+1 before the warm-up)", "\nWarnings\n", "already stopped"}, nil},
	} {
		out := summaryOf(t, tc.src)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: summary lacks %q:\n%s", tc.name, w, out)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(out, w) {
				t.Errorf("%s: summary has %q:\n%s", tc.name, w, out)
			}
		}
	}
}

// TestSummaryOutcomesAddUp checks conservation as the reader sees it
// (docs/model.md#outcomes): in the summary of every shipped scenario, the
// printed outcome rows (not the indented breakdowns) add up to the
// arrivals row, each outcome printed once.
func TestSummaryOutcomesAddUp(t *testing.T) {
	for _, name := range catalog.Names() {
		t.Run(name, func(t *testing.T) {
			data, _ := catalog.Scenario(name)
			out := summaryOf(t, string(data))
			sum, arrivals, seen := outcomeRows(t, out)
			if arrivals < 0 {
				t.Fatalf("no arrivals row:\n%s", out)
			}
			if sum != arrivals {
				t.Errorf("outcome rows add up to %d, arrivals %d:\n%s", sum, arrivals, out)
			}
			for row, n := range seen {
				if n > 1 {
					t.Errorf("outcome %s printed %d times", row, n)
				}
			}
		})
	}
}

// outcomeRows reads the Outcomes table of a summary: the sum of its
// top-level rows, the arrivals row (-1 if none) and how often each row
// name appears.
func outcomeRows(t *testing.T, summary string) (sum, arrivals int64, seen map[string]int) {
	t.Helper()
	_, table, ok := strings.Cut(summary, "\nOutcomes\n")
	if !ok {
		t.Fatalf("no Outcomes table:\n%s", summary)
	}
	table, _, _ = strings.Cut(table, "\n\n")
	arrivals, seen = -1, map[string]int{}
	for _, line := range strings.Split(table, "\n")[1:] { // after the header
		if strings.HasPrefix(line, "    ") {
			continue // a breakdown of the row above
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			t.Fatalf("outcome row %q", line)
		}
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil {
			t.Fatalf("outcome row %q: %v", line, err)
		}
		if f[0] == "arrivals" {
			arrivals = n
			continue
		}
		sum += n
		seen[f[0]]++
	}
	return sum, arrivals, seen
}
