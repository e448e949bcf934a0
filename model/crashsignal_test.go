package model

import (
	"strings"
	"testing"

	"github.com/poolsim/poolsim/model/scenario"
)

// TestCrashSignalCounts checks the rule "a crash of the request's code kills
// its worker with its class's crash_signal; php-fpm's emergency restart and
// rapid_fail.counts = "crashes" count only fault-signal (segv) deaths, IIS
// rapid-fail protection counts every crash" (docs/model.md#supervisors).
// The emergency-restart story crashes 1 % of its requests, enough to reach
// five crashes in five minutes many times in its hour: with SIGSEGV crashes
// php-fpm reloads; with SIGKILL crashes it never does, however many there
// are, and its log says signal 9 for each; IIS stops the pool on either.
func TestCrashSignalCounts(t *testing.T) {
	kill := "classes.page.crash_signal=kill"
	iis := "pool.rapid_fail.policy=iis"
	for _, c := range []struct {
		name     string
		sets     []string
		restarts bool // some emergency restart
		trips    int  // rapid-fail stops
	}{
		{"segv under emergency_restart", nil, true, 0},
		{"kill under emergency_restart", []string{kill}, false, 0},
		{"segv under iis", []string{iis}, false, 1},
		{"kill under iis", []string{kill, iis}, false, 1},
		{"kill under iis counting crashes", []string{kill, iis, "pool.rapid_fail.counts=crashes"}, false, 0},
	} {
		m := story(t, "emergency-restart", c.sets...).Metrics
		least := 10.0 // an hour of crashes
		if c.trips > 0 {
			least = 5 // the pool stops at the fifth
		}
		if m.Crashes < least || (m.EmergencyRestarts > 0) != c.restarts || int(m.RapidFailTrips) != c.trips {
			t.Errorf("%s: %v crashes, %v emergency restarts, %v rapid-fail trips; want at least %v, restarts %v, %d trips",
				c.name, m.Crashes, m.EmergencyRestarts, m.RapidFailTrips, least, c.restarts, c.trips)
		}
	}
}

// TestCrashSignalInLogs checks that each server's log names the signal a
// crash died of (docs/model.md#events): a class with crash_signal = "kill"
// is logged as SIGKILL, never as SIGSEGV, by php-fpm, gunicorn and uWSGI.
func TestCrashSignalInLogs(t *testing.T) {
	for _, c := range []struct{ server, segv, kill string }{
		{"php-fpm", "signal 11 (SIGSEGV)", "signal 9 (SIGKILL)"},
		{"gunicorn", "was sent SIGSEGV!", "was sent SIGKILL!"},
		{"uwsgi", "killed by signal 11", "killed by signal 9"},
	} {
		for _, sig := range []string{"segv", "kill"} {
			res := story(t, "emergency-restart", "server="+c.server, "classes.page.crash_signal="+sig)
			want := map[string]int{c.segv: 0, c.kill: 0}
			if sig == "segv" {
				want[c.segv] = int(res.Metrics.Crashes)
			} else {
				want[c.kill] = int(res.Metrics.Crashes)
			}
			for text, n := range want {
				got := 0
				for _, l := range res.Log.Lines {
					if strings.Contains(l.Text, text) {
						got += l.Count
					}
				}
				if got != n || res.Metrics.Crashes == 0 {
					t.Errorf("%s, crash_signal %s: %d lines %q, want %d (%v crashes)", c.server, sig, got, text, n, res.Metrics.Crashes)
				}
			}
		}
	}
}

// TestCrashSignalAssumption checks that a crashing class's crash_signal is
// listed among the assumptions exactly where the signal matters
// (docs/model.md#assumptions): a server whose log names it, or a
// supervisor that counts only fault signals; not under IIS's rapid-fail
// protection, which counts every crash.
func TestCrashSignalAssumption(t *testing.T) {
	for _, c := range []struct {
		head   string
		listed bool
	}{
		{"", false},
		{"server = \"php-fpm\"\n", true},
		{"server = \"gunicorn\"\n", true},
		{"pool.rapid_fail.policy = \"emergency_restart\"\n", true},
		{"pool.rapid_fail.counts = \"crashes\"\n", true},
	} {
		src := c.head + "[classes.page]\nservice = \"10ms\"\ncrash = 0.01\n[clients.users]\nkind = \"poisson\"\nrate = 1\n"
		sc, err := scenario.Decode("crash.toml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		listed := false
		for _, a := range scenario.Assumptions(sc) {
			listed = listed || a.Key == "classes.page.crash_signal" && a.Value == `"segv"`
		}
		if listed != c.listed {
			t.Errorf("%q: crash_signal listed %v, want %v", c.head, listed, c.listed)
		}
	}
}
