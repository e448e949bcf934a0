package fit

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// recoverScenario is a day of two classes with a time-of-day profile: two
// threads, at the peak 0.6 erlang (P(wait) ≈ 0.14 by Erlang C, so every
// request's time-taken overstates the service), at night 0.06 erlang
// (P(wait) ≈ 0.002: the low-load sample's mean wait is about 0.1 ms, a
// quarter of a standard error of the fitted mean). A short queue gives
// QueueFull rejections and crashes give abandoned requests.
const recoverScenario = `
horizon = "24h"
start = 2026-11-23T00:00:00Z
seed = 11
[pool]
threads = 2
queue_length = 3
startup_time = "0s"
idle_timeout = "0s"
[pool.rapid_fail]
enabled = false
[classes.trend_data_ashx]
service = { dist = "lognormal", mean = "40ms", cv = 1.0 }
[classes.api_orders]
service = { dist = "gamma", mean = "200ms", shape = 2.0 }
crash = 0.001
[clients.trend]
kind = "poisson"
rate = 10.0
uri = "/trend/data.ashx"
class = "trend_data_ashx"
profile = [["00:00", 0.1], ["06:00", 1.0], ["18:00", 0.5]]
[clients.orders]
kind = "poisson"
rate = 1.0
uri = "/api/orders"
class = "api_orders"
profile = [["00:00", 0.1], ["06:00", 1.0], ["18:00", 0.5]]
`

// TestFitRecoversPoolsimLogs runs a known scenario with --accesslog and
// --httperr and fits its logs: the low-load service fits recover the true
// parameters within 4 standard errors while every request's fit is biased
// up by queueing; the rate and each hour's profile factor are within 4
// Poisson standard errors; the observed outcomes equal the run's.
func TestFitRecoversPoolsimLogs(t *testing.T) {
	dir := t.TempDir()
	sc, err := scenario.Decode("recover.toml", []byte(recoverScenario))
	if err != nil {
		t.Fatal(err)
	}
	access, _ := os.Create(filepath.Join(dir, "u_ex.log"))
	httperr, _ := os.Create(filepath.Join(dir, "httperr.log"))
	res, err := model.Run(sc, model.Options{AccessLog: access, HTTPErr: httperr})
	access.Close()
	httperr.Close()
	if err != nil {
		t.Fatal(err)
	}
	w, err := Read([]string{access.Name(), httperr.Name()}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkServiceFits(t, w)
	checkRateAndProfile(t, w)
	checkObservedAndText(t, w, res)
}

// within checks an estimate against the truth within 4 standard errors,
// and that the standard error is at most maxRel of the truth (else the
// check would mean little).
func within(t *testing.T, what string, got, want, se, maxRel float64) {
	t.Helper()
	if se > maxRel*math.Abs(want) {
		t.Errorf("%s: standard error %.3g is over %.0f%% of %.4g: too loose to mean anything", what, se, 100*maxRel, want)
	}
	if math.Abs(got-want) > 4*se {
		t.Errorf("%s = %.5g, want %.5g ± 4×%.3g", what, got, want, se)
	} else {
		t.Logf("%s = %.5g, true %.5g (SE %.2g)", what, got, want, se)
	}
}

func candidate(t *testing.T, f *Fitted, kind string) Candidate {
	t.Helper()
	for _, c := range f.Candidates {
		if c.Dist.Kind == kind {
			return c
		}
	}
	t.Fatalf("no %s candidate", kind)
	return Candidate{}
}

// checkServiceFits: the low-load fits recover the true parameters; every
// request's fit is biased up by the waits.
func checkServiceFits(t *testing.T, w *Workload) {
	classes := map[string]*Class{}
	for _, c := range w.Classes {
		classes[c.Name] = c
	}
	trend, orders := classes["trend_data_ashx"], classes["api_orders"]
	if trend == nil || orders == nil || trend.LowLoad == nil || orders.LowLoad == nil {
		t.Fatalf("classes %v: want trend_data_ashx and api_orders, each with a low-load fit", w.Classes)
	}
	// Lognormal mean 40 ms, cv 1: sigma² = ln 2, mu = ln 0.04 − sigma²/2.
	s2 := math.Log(2)
	ln := candidate(t, trend.LowLoad, "lognormal")
	within(t, "trend mu", ln.Params[0], math.Log(0.040)-s2/2, ln.StdErr[0], 0.01)
	within(t, "trend sigma", ln.Params[1], math.Sqrt(s2), ln.StdErr[1], 0.02)
	if trend.LowLoad.Best().Dist.Kind != "lognormal" {
		t.Errorf("trend: AIC chose %s, want lognormal", trend.LowLoad.Best().Dist.Kind)
	}
	g := candidate(t, orders.LowLoad, "gamma")
	within(t, "orders shape", g.Params[0], 2, g.StdErr[0], 0.05)
	within(t, "orders rate", g.Params[1], 2/0.200, g.StdErr[1], 0.05)

	// Every request's fit includes the waits: its mean is higher.
	all := candidate(t, trend.All, "lognormal")
	if lowMean, allMean := ln.Dist.Expected().Seconds(), all.Dist.Expected().Seconds(); allMean < lowMean*1.02 {
		t.Errorf("every request's mean %.4g s is not above the low-load mean %.4g s: no queueing seen", allMean, lowMean)
	} else {
		t.Logf("mean service: low load %.4g s, every request %.4g s", lowMean, allMean)
	}

}

// checkRateAndProfile: the rate and each hour's factor are within 4
// Poisson standard errors; Poisson arrivals are not called bursty.
func checkRateAndProfile(t *testing.T, w *Workload) {
	// Rate: the profile's mean factor is (6×0.1 + 12×1 + 6×0.5)/24 = 0.65.
	span := w.To.Sub(w.From).Seconds()
	n := float64(w.Requests + w.HTTPErr)
	within(t, "rate", w.Rate, 11*0.65, math.Sqrt(n)/span, 0.01)
	trueFactor := func(h int) float64 {
		switch {
		case h < 6:
			return 0.1 / 0.65
		case h < 18:
			return 1 / 0.65
		}
		return 0.5 / 0.65
	}
	for h, pt := range w.Profile {
		// One hour's count is Poisson: the factor's SE is √count/(3600 × rate).
		count := trueFactor(h) * w.Rate * 3600
		within(t, "profile "+pt.At.String(), pt.Factor, trueFactor(h), math.Sqrt(count)/3600/w.Rate+0.0005, 0.06)
	}
	if w.OverDispersed() {
		t.Errorf("Poisson arrivals reported over-dispersed: %g ± %g", w.Dispersion, w.DispersionSE)
	}

}

// checkObservedAndText: the logs hold exactly what the run counted, and
// the written scenario decodes with its [observed] table.
func checkObservedAndText(t *testing.T, w *Workload, res *model.Result) {
	// The logs hold exactly what the run counted (nothing in flight at the end).
	m := res.Metrics
	o := w.Observed
	if m.InFlight != 0 || m.ClientTimeout != 0 {
		t.Fatalf("in flight %v, client timeouts %v: the comparison below assumes none", m.InFlight, m.ClientTimeout)
	}
	for _, c := range []struct {
		name     string
		got, run float64
	}{{"ok", float64(o.OK), m.OK + m.Stale}, {"error", float64(o.Error), m.Error},
		{"rejected_queue_full", float64(o.RejectedQueueFull), m.RejectedQueueFull},
		{"abandoned", float64(o.Abandoned), m.Abandoned}} {
		if c.got != c.run {
			t.Errorf("observed %s = %v, the run counted %v", c.name, c.got, c.run)
		}
	}
	if o.RejectedQueueFull == 0 || o.Abandoned == 0 {
		t.Errorf("no QueueFull (%d) or abandoned (%d) lines: the scenario does not exercise HTTPERR", o.RejectedQueueFull, o.Abandoned)
	}

	// The written scenario validates and runs, and its comparison rows
	// scale the observed counts to the run's span.
	text := w.TOML(nil)
	fitted, err := scenario.Decode("fitted.toml", text)
	if err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	if !strings.Contains(string(text), `service = { dist = "lognormal"`) {
		t.Errorf("no lognormal service in\n%s", text)
	}
	if fitted.Observed == nil || fitted.Observed.OK != o.OK {
		t.Errorf("[observed] not written back: %+v", fitted.Observed)
	}
}
