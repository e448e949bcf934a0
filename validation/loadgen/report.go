package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/poolsim/poolsim/model/scenario"
)

// Report is run.json: one real run in poolsim's metric names, with the
// evidence for its classification and its cleanliness.
type Report struct {
	Scenario    string             `json:"scenario"`
	Replication uint64             `json:"replication"`
	Server      string             `json:"server"`
	Start       time.Time          `json:"start"`
	Metrics     map[string]float64 `json:"metrics"`
	// Check compares the classification with nginx's own log: per reason,
	// the 502s the client saw with that reason, and nginx's lines.
	Check     map[string]float64 `json:"check"`
	Quality   map[string]float64 `json:"quality"`
	Facts     map[string]float64 `json:"facts"`
	Clean     bool               `json:"clean"`
	Disturbed string             `json:"disturbed,omitempty"`
}

func report(o options, sc *scenario.Scenario, plan []Request, rr *runResult) (*Report, error) {
	reasons, unknownLines, events, err := readRunLogs(o)
	if err != nil {
		return nil, err
	}
	warm, horizon := sc.Warmup.T().Duration(), sc.Horizon.T().Duration()
	m, check, lags, appOver := outcomeMetrics(plan, rr, reasons, warm, horizon)
	check["nginx_lines_unmatched"] = float64(unknownLines)
	lifecycleMetrics(m, events, rr.start.Add(warm), rr.start.Add(horizon))
	q := runQuality(rr, lags, appOver)
	rep := &Report{Scenario: o.scenario, Replication: o.replication, Server: o.server, Start: rr.start,
		Metrics: m, Check: check, Quality: q, Facts: facts(o.server, sc.Pool.MaxProcesses*max(sc.Pool.Threads, 1), plan, rr, events, reasons), Clean: true}
	if why := disturbed(o, m, q, unknownLines, rr.sigErr); len(why) > 0 {
		rep.Clean = false
		rep.Disturbed = strings.Join(why, "; ")
	}
	return rep, nil
}

// readRunLogs reads nginx's error log (the reason of each 502, by request
// id) and the server's own log (its workers' events) from the run's
// directory.
func readRunLogs(o options) (reasons map[int]string, unknownLines int, events []ServerEvent, err error) {
	errPath := filepath.Join(o.runDir, "nginx-error.log")
	ef, err := os.Open(errPath)
	if err != nil {
		return nil, 0, nil, err
	}
	reasons, unknownLines, err = ParseNginxErrors(ef)
	ef.Close()
	if err != nil {
		return nil, 0, nil, fmt.Errorf("%s: %v", errPath, err)
	}
	logName := map[string]string{"php-fpm": "php-fpm.log", "gunicorn": "gunicorn.log"}[o.server]
	sf, err := os.Open(filepath.Join(o.runDir, logName))
	if err != nil {
		return nil, 0, nil, err
	}
	events, err = ParseServerLog(o.server, sf)
	sf.Close()
	return reasons, unknownLines, events, err
}

// outcomeMetrics classifies every request and computes poolsim's outcome
// metrics over the requests sent after the warm-up; it also returns the
// check counts (502s seen against nginx's lines), every request's send lag
// and the application's overrun of the hold of ok requests.
func outcomeMetrics(plan []Request, rr *runResult, reasons map[int]string, warm, horizon time.Duration) (m, check map[string]float64, lags, appOver []float64) {
	m = map[string]float64{}
	for _, k := range []string{OutOK, OutError, OutRejectedFull, OutRejectedOffline, OutAbandoned, OutClientTimeout,
		OutGatewayTimeout, OutUnclassified, OutSendError, "in_flight"} {
		m[k] = 0
	}
	check = map[string]float64{}
	var resp []float64
	for i := range plan {
		rq, res := &plan[i], &rr.results[i]
		lags = append(lags, res.lag.Seconds()*1e3)
		reason := reasons[rq.ID]
		out := Classify(res.status, res.timedOut, res.sendErr != "", reason)
		if res.status == 502 {
			check["client_502_"+reason]++
		}
		if reason != "" {
			check["nginx_"+reason]++
		}
		if rq.At < warm {
			continue
		}
		m["arrivals"]++
		// As poolsim counts it: a request not decided by the horizon is
		// in flight, whatever it became afterwards.
		if rr.start.Add(horizon).Before(res.sent.Add(res.latency)) {
			out = "in_flight"
		}
		m[out]++
		if out == OutOK {
			resp = append(resp, res.latency.Seconds())
			if rq.Fault == FaultNone {
				appOver = append(appOver, float64(res.overrunUS)/1e3)
			}
		}
	}
	span := (horizon - warm).Seconds()
	n := m["arrivals"]
	m["rate_503"] = ratio(m[OutRejectedFull]+m[OutRejectedOffline], n)
	m["rate_abandoned"] = ratio(m[OutAbandoned], n)
	m["rate_ok"] = ratio(m[OutOK], n)
	m["rate_client_timeout"] = ratio(m[OutClientTimeout], n)
	m["rate_error"] = ratio(m[OutError], n)
	m["throughput_rps"] = m[OutOK] / span
	m["response_mean_s"] = mean(resp)
	m["response_p50_s"] = quantile(resp, 0.5)
	m["response_p90_s"] = quantile(resp, 0.9)
	m["response_p99_s"] = quantile(resp, 0.99)
	return m, check, lags, appOver
}

// lifecycleMetrics adds the workers' events from the server's log within
// [from, to), the span the outcome metrics cover.
func lifecycleMetrics(m map[string]float64, events []ServerEvent, from, to time.Time) {
	kinds := map[string]float64{}
	for _, k := range []string{"start", "crash_kill", "crash_segv", "term", "exit", "timeout_kill", "emergency_restart", "reload",
		"start_in_reload", "exit_in_reload", "term_in_reload", "crash_kill_in_reload"} {
		kinds[k] = 0
	}
	for _, ev := range events {
		if !ev.At.Before(from) && ev.At.Before(to) {
			kinds[ev.Kind]++
		}
	}
	for k, v := range kinds {
		m["server_"+k] = v
	}
	m["worker_starts"] = kinds["start"] + kinds["start_in_reload"]
	m["exec_timeout_kills"] = kinds["timeout_kill"]
	m["emergency_restarts"] = kinds["emergency_restart"]
	m["crashes"] = kinds["crash_kill"] + kinds["crash_segv"]
	m["recycles"] = kinds["exit"]
}

// runQuality measures how undisturbed the run was: the generator's send
// lag, the scheduler's overrun of the probe's sleeps and the application's
// overrun of its holds.
func runQuality(rr *runResult, lags, appOver []float64) map[string]float64 {
	probeMS := make([]float64, len(rr.probe))
	for i, d := range rr.probe {
		probeMS[i] = d.Seconds() * 1e3
	}
	return map[string]float64{
		"send_lag_p99_ms":      quantile(lags, 0.99),
		"send_lag_max_ms":      quantile(lags, 1),
		"probe_overrun_p99_ms": quantile(probeMS, 0.99),
		"probe_overrun_max_ms": quantile(probeMS, 1),
		"app_overrun_mean_ms":  mean(appOver),
		"app_overrun_p99_ms":   quantile(appOver, 0.99),
	}
}

// disturbed says why a run is rejected, if it is: a quality measure past
// its gate, a request it could not place, or a signal that failed.
func disturbed(o options, m, q map[string]float64, unknownLines int, sigErr error) []string {
	var why []string
	if q["send_lag_p99_ms"] > o.gateLagMS {
		why = append(why, fmt.Sprintf("send lag p99 %.2f ms > %.1f", q["send_lag_p99_ms"], o.gateLagMS))
	}
	if q["probe_overrun_p99_ms"] > o.gateProbeMS {
		why = append(why, fmt.Sprintf("scheduler overrun p99 %.2f ms > %.1f", q["probe_overrun_p99_ms"], o.gateProbeMS))
	}
	if q["app_overrun_p99_ms"] > o.gateAppMS {
		why = append(why, fmt.Sprintf("application overrun p99 %.2f ms > %.1f", q["app_overrun_p99_ms"], o.gateAppMS))
	}
	if m[OutUnclassified]+m[OutSendError]+m[OutGatewayTimeout] > 0 || unknownLines > 0 {
		why = append(why, fmt.Sprintf("%.0f unclassified, %.0f send errors, %.0f gateway timeouts, %d unknown nginx lines",
			m[OutUnclassified], m[OutSendError], m[OutGatewayTimeout], unknownLines))
	}
	if sigErr != nil {
		why = append(why, "signal: "+sigErr.Error())
	}
	return why
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func mean(x []float64) float64 {
	if len(x) == 0 {
		return 0
	}
	var s float64
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// quantile is the nearest-rank quantile (0 of an empty sample).
func quantile(x []float64, p float64) float64 {
	if len(x) == 0 {
		return 0
	}
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	i := int(math.Ceil(p*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

func writeRequests(path string, plan []Request, rr *runResult) error {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"id", "client", "at_s", "lag_ms", "service_s", "fault", "status", "timed_out", "latency_s", "pid", "overrun_us", "send_error"})
	for i := range plan {
		rq, res := &plan[i], &rr.results[i]
		w.Write([]string{strconv.Itoa(rq.ID), rq.Client, f6(rq.At.Seconds()), f6(res.lag.Seconds() * 1e3),
			f6(rq.Service.Seconds()), []string{"", "crash", "hang"}[rq.Fault], strconv.Itoa(res.status),
			strconv.FormatBool(res.timedOut), f6(res.latency.Seconds()), strconv.Itoa(res.pid),
			strconv.FormatInt(res.overrunUS, 10), res.sendErr})
	}
	w.Flush()
	return writeAtomic(path, b.Bytes())
}

func f6(v float64) string { return strconv.FormatFloat(v, 'f', 6, 64) }

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, append(b, '\n'))
}

func writeAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
