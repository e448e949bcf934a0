package main

import (
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// reportOf runs a scenario given as TOML and returns what write prints of
// it.
func reportOf(t *testing.T, src string, write func(io.Writer, *scenario.Scenario, *model.Result) error) string {
	t.Helper()
	sc, err := scenario.Decode("test.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := model.Run(sc, model.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := write(&b, sc, res); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// summaryOf runs a scenario given as TOML and returns its summary.
func summaryOf(t *testing.T, src string) string {
	t.Helper()
	return reportOf(t, src, func(w io.Writer, sc *scenario.Scenario, res *model.Result) error {
		return writeSummary(w, sc, 0, res, nil)
	})
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
		// A zero duration has its unit, as every other one.
		{"zero wait", "horizon = \"10m\"\n[pool]\nthreads = 50\nstartup_time = \"0s\"\nstart_mode = \"always_running\"\n[classes.page]\nservice = \"10ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1\n",
			[]string{"  wait in queue (mean)  0s\n"}, nil},
		// An operator's stop: HTTP.sys's Disabled, not AppOffline, and the
		// pool "not stopped" whoever stopped it.
		{"operator stop", "horizon = \"10m\"\n[classes.page]\nservice = \"10ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 5\n[events.stop]\nat = \"5m\"\naction = \"stop\"\n[events.start]\nat = \"7m\"\naction = \"start\"\n",
			[]string{"503   Disabled\n", "of arrivals got 503 (QueueFull, AppOffline, Disabled, or from a worker shutting down)", "of the time the pool was not stopped, by rapid-fail protection or an operator"},
			[]string{"AppOffline / Disabled", "rapid-fail stop"}},
		// rate_503 says what it counts in the words of the outcome rows.
		{"rate_503 iis", crashLoop("iis"), []string{"of arrivals got 503 (QueueFull, AppOffline, or from a worker shutting down)"}, nil},
		{"rate_503 php-fpm", "server = \"php-fpm\"\n" + crashLoop("emergency_restart"),
			[]string{"of arrivals were refused (rejected_queue_full 502, rejected_app_offline 502; named after IIS's 503)"}, []string{"QueueFull", "AppOffline"}},
		// rate_abandoned names MinBytesPerSecond's cuts when there are
		// some: every response at 100 B/s is cut.
		{"min send rate", "horizon = \"10m\"\n[classes.page]\nservice = \"10ms\"\nresponse_size = \"2400B\"\n[clients.users]\nkind = \"poisson\"\nrate = 1\nbandwidth = \"800bit/s\"\n",
			[]string{"of arrivals were abandoned by a dying worker or cut by MinBytesPerSecond", "too slow a client (Timer_MinBytesPerSecond)"}, nil},
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

// TestObservedCheckNote checks the wording rule of docs/model.md "Checking
// the fit": the note on requests poolsim does not model is printed only
// when the logs held some, with their counts.
func TestObservedCheckNote(t *testing.T) {
	const src = `
horizon = "10m"
[classes.page]
service = "10ms"
[clients.users]
kind = "poisson"
rate = 1
[observed]
from = 2026-11-23T00:00:00Z
to = 2026-11-23T00:10:00Z
ok = 600
`
	for _, c := range []struct {
		extra, want string
	}{
		{"", ""},
		{"not_modelled = 12\nhttperr_other = 3\n", "not_modelled = 12\n  (status 4xx), httperr_other = 3 (other HTTPERR reasons)"},
	} {
		out := reportOf(t, src+c.extra, writeObservedCheck)
		if !strings.Contains(out, "\"differs\"") {
			t.Fatalf("no comparison:\n%s", out)
		}
		if has := strings.Contains(out, "do not model") || strings.Contains(out, "does not model"); has != (c.want != "") || !strings.Contains(out, c.want) {
			t.Errorf("%q: note wrong:\n%s", c.extra, out)
		}
	}
}

// TestSummaryAppOfflineAndDisabled checks the wording rule of
// docs/model.md "Operator actions" when both stops refused requests: the
// row names both HTTPERR reasons and splits its count beneath, the split
// adding up to the row.
func TestSummaryAppOfflineAndDisabled(t *testing.T) {
	sc, err := scenario.Decode("test.toml", []byte("[classes.page]\nservice = \"10ms\"\n[clients.users]\nkind = \"poisson\"\nrate = 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	res := &model.Result{RejectedDisabled: 4}
	res.Metrics.RejectedAppOffline, res.Metrics.OK, res.Metrics.Arrivals = 10, 90, 100
	var b strings.Builder
	writeOutcomes(&b, sc, res)
	squeezed := regexp.MustCompile(` +`).ReplaceAllString(b.String(), " ")
	for _, want := range []string{
		"\n rejected_app_offline 10 10.00 % 503 AppOffline / Disabled\n",
		"\n rapid-fail stop (AppOffline) 6 6.00 %\n",
		"\n operator stop (Disabled) 4 4.00 %\n",
	} {
		if !strings.Contains(squeezed, want) {
			t.Errorf("outcomes lack %q:\n%s", want, b.String())
		}
	}
}
