package model

import (
	"math"
	"testing"

	"github.com/poolsim/poolsim/engine"
)

// TestRequestOverhead checks the rule that a request holds its thread for
// its service time plus pool.request_overhead, and that its response time
// includes it (docs/model.md#requests). Worked by hand: polls every 1 s to
// a 10 ms constant service never wait, so every response takes exactly
// 10 ms, or 12.5 ms with a 2.5 ms overhead; the presets set their measured
// overhead unless the file sets its own.
func TestRequestOverhead(t *testing.T) {
	const text = `
horizon = "10m"
warmup = "0s"
[pool]
threads = 1
startup_time = "0s"
[classes.page]
service = "10ms"
[clients.poll]
kind = "polling"
count = 1
period = "1s"
class = "page"
`
	for _, tc := range []struct {
		sets []string
		want float64
	}{
		{nil, 0.010},
		{[]string{`pool.request_overhead="2.5ms"`}, 0.0125},
	} {
		sc := decodeText(t, text, tc.sets...)
		res, err := Run(sc, Options{})
		if err != nil {
			t.Fatal(err)
		}
		m := res.Metrics
		checkConservation(t, m)
		if m.OK < 590 || math.Abs(m.ResponseMeanS-tc.want) > 1e-9 || math.Abs(m.ResponseP99S-tc.want) > tc.want*0.005 {
			t.Errorf("%v: ok %v, response mean %v p99 %v, want %v", tc.sets, m.OK, m.ResponseMeanS, m.ResponseP99S, tc.want)
		}
	}
	for _, tc := range []struct {
		server string
		want   engine.Time
	}{{"iis", 0}, {"php-fpm", 450 * engine.Microsecond}, {"gunicorn", 750 * engine.Microsecond}, {"uwsgi", 750 * engine.Microsecond}} {
		sc := decodeText(t, "server = \""+tc.server+"\"\n"+text)
		if got := sc.Pool.RequestOverhead.T(); got != tc.want {
			t.Errorf("server %s: request_overhead %v, want %v", tc.server, got, tc.want)
		}
		sc = decodeText(t, "server = \""+tc.server+"\"\n"+text, `pool.request_overhead="3ms"`)
		if got := sc.Pool.RequestOverhead.T(); got != 3*engine.Millisecond {
			t.Errorf("server %s: the file's request_overhead gave %v, want 3ms", tc.server, got)
		}
	}
}
