package model

import (
	"strings"
	"testing"
)

// TestServerLogs checks the rule of docs/model.md#events that the summary
// lists each server's own log, not IIS's WAS events, with each kind of
// line counted from the run's events: gunicorn's error log (arbiter.py),
// uWSGI's log (core/master_utils.c, core/uwsgi.c) and php-fpm's error_log
// in the pool "www" (fpm_request.c: a request over
// request_terminate_timeout is logged and its child sent SIGTERM); and
// Kubernetes events for a pool under policy backoff, whatever its server.
func TestServerLogs(t *testing.T) {
	const load = `
horizon = "20m"
[classes.page]
service = "100ms"
hang = 0.001
[clients.users]
kind = "poisson"
rate = 10
`
	for _, c := range []struct {
		name, src, log string
		// lines maps a piece of a line's text to the metric it counts.
		lines map[string]func(*Metrics) float64
	}{
		{"gunicorn", "server = \"gunicorn\"\n" + load + "[gunicorn]\nworkers = 4\ntimeout = \"2s\"\nmax_requests = 200\n",
			"gunicorn error log (--error-logfile)", map[string]func(*Metrics) float64{
				"WORKER TIMEOUT (pid:N)":                       func(m *Metrics) float64 { return m.ExecTimeoutKills },
				"Autorestarting worker after current request.": func(m *Metrics) float64 { return m.Recycles },
			}},
		{"uwsgi", "server = \"uwsgi\"\n" + load + "[uwsgi]\nprocesses = 4\nharakiri = \"2s\"\nmax_requests = 200\n",
			"uWSGI log (logto)", map[string]func(*Metrics) float64{
				"HARAKIRI ON WORKER":   func(m *Metrics) float64 { return m.ExecTimeoutKills },
				"max requests reached": func(m *Metrics) float64 { return m.Recycles },
			}},
		{"php-fpm", "server = \"php-fpm\"\n" + load + "[php_fpm]\npm = \"static\"\nmax_children = 4\nrequest_terminate_timeout = \"2s\"\n",
			"php-fpm log (error_log)", map[string]func(*Metrics) float64{
				"[pool www] child, script '...' execution timed out, terminating": func(m *Metrics) float64 { return m.ExecTimeoutKills },
				"[pool www] child exited on signal 15 (SIGTERM)":                  func(m *Metrics) float64 { return m.ExecTimeoutKills },
				"[pool www] child exited on signal 9 (SIGKILL)":                   func(*Metrics) float64 { return 0 },
			}},
	} {
		res, err := Run(decodeText(t, c.src), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Log.Name != c.log {
			t.Errorf("%s: log %q, want %q", c.name, res.Log.Name, c.log)
		}
		for text, metric := range c.lines {
			want := int(metric(&res.Metrics))
			found := false
			for _, l := range res.Log.Lines {
				if strings.Contains(l.Text, text) {
					found = true
					if l.Count != want {
						t.Errorf("%s: %d × %q, want %d", c.name, l.Count, l.Text, want)
					}
				}
			}
			if !found {
				t.Errorf("%s: no line %q in %+v", c.name, text, res.Log.Lines)
			}
		}
		if res.Metrics.ExecTimeoutKills == 0 || c.name != "php-fpm" && res.Metrics.Recycles == 0 {
			t.Errorf("%s: no timeout kill or no recycle: the test checks nothing", c.name)
		}
	}
	// Under Kubernetes (policy backoff) the pool is seen through its events,
	// whatever server runs in the container.
	sc := decodeText(t, "server = \"gunicorn\"\n"+load+"[pool.rapid_fail]\npolicy = \"backoff\"\n")
	res, err := Run(sc, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Log.Name != "Kubernetes events (kubectl get events)" {
		t.Errorf("gunicorn under backoff: log %q, want Kubernetes events", res.Log.Name)
	}
}
