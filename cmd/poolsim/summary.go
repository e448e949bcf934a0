package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/httperr"
	"github.com/poolsim/poolsim/model/scenario"
)

// writeJSON writes the metrics as one flat JSON object, keys in the order of
// model.MetricNames, one a line. A metric of nothing (model.NaNMetrics, the
// response time when no request was ok) is null.
func writeJSON(w io.Writer, m *model.Metrics) error {
	names := model.MetricNames()
	values := m.Values()
	var b strings.Builder
	b.WriteString("{\n")
	for i, name := range names {
		key, _ := json.Marshal(name)
		b.WriteString("  ")
		b.Write(key)
		b.WriteString(": ")
		b.WriteString(jsonNumber(values[i]))
		if i < len(names)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonNumber formats v as encoding/json does, or null when it is not finite.
func jsonNumber(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "null"
	}
	out, _ := json.Marshal(v)
	return string(out)
}

// writeSummary writes the readable report of one run.
func writeSummary(w io.Writer, sc *scenario.Scenario, replication uint64, res *model.Result, warnings []string) error {
	bw := bufio.NewWriter(w)
	m := &res.Metrics
	title := sc.Name
	if title == "" {
		title = "(unnamed scenario)"
	}
	fmt.Fprintf(bw, "%s\n", title)
	fmt.Fprintf(bw, "  horizon %s, warm-up %s", res.Horizon, res.Warmup)
	if sc.Warmup.Auto {
		fmt.Fprint(bw, " (estimated with MSER-5)")
	}
	fmt.Fprintf(bw, ": requests arriving in the %s after the warm-up are counted\n", res.Horizon-res.Warmup)
	fmt.Fprintf(bw, "  seed %d, replication %d, %d events\n", sc.Seed, replication, int64(m.Events))

	writeOutcomes(bw, sc, res)
	t := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	writeRates(bw, t, sc, res)
	writeWorkers(bw, t, res)
	writeLog(bw, t, res.Log)

	fmt.Fprint(bw, "\nAssumed (poolsim's assumptions, not server settings; docs/model.md#assumptions)\n")
	for _, a := range scenario.Assumptions(sc) {
		fmt.Fprintf(t, "  %s = %s\t%s\n", a.Key, a.Value, a.Why)
	}
	t.Flush()

	warnings = append(slices.Clip(warnings), res.Warnings...)
	if len(warnings) > 0 {
		fmt.Fprint(bw, "\nWarnings\n")
		for _, w := range warnings {
			fmt.Fprintf(bw, "  %s\n", w)
		}
	}
	return bw.Flush()
}

// writeOutcomes writes the table of outcomes: every request in one row,
// with its HTTP status and the HTTPERR reason of the era in effect.
func writeOutcomes(bw io.Writer, sc *scenario.Scenario, res *model.Result) {
	m := &res.Metrics
	fmt.Fprint(bw, "\nOutcomes\n")
	share := func(n float64) string {
		if m.Arrivals == 0 {
			return "-"
		}
		return fmt.Sprintf("%.2f %%", 100*n/m.Arrivals)
	}
	tab := &table{right: []bool{false, true, true, false, false}}
	row := func(name string, n float64) {
		status, reason := model.OutcomeWords(sc, name)
		tab.add(name, count(n), share(n), status, reason)
	}
	sub := func(name string, n float64) {
		tab.add("  "+name, count(n), share(n), "", "")
	}
	reasonHead := "HTTPERR reason"
	if !iis(sc) {
		reasonHead = "what the client sees (nginx in front)"
	}
	tab.add("outcome", "requests", "share", "HTTP", reasonHead)
	row("ok", m.OK)
	row("stale", m.Stale)
	row("error", m.Error)
	row("rejected_queue_full", m.RejectedQueueFull)
	if iis(sc) && res.RejectedDisabled > 0 {
		// HTTP.sys names a refusal of a pool an operator stopped Disabled,
		// of one rapid-fail protection stopped AppOffline.
		if res.RejectedDisabled == m.RejectedAppOffline {
			tab.add("rejected_app_offline", count(m.RejectedAppOffline), share(m.RejectedAppOffline), "503", httperr.ReasonDisabled)
		} else {
			tab.add("rejected_app_offline", count(m.RejectedAppOffline), share(m.RejectedAppOffline), "503", httperr.ReasonAppOffline+" / "+httperr.ReasonDisabled)
			sub("rapid-fail stop ("+httperr.ReasonAppOffline+")", m.RejectedAppOffline-res.RejectedDisabled)
			sub("operator stop ("+httperr.ReasonDisabled+")", res.RejectedDisabled)
		}
	} else {
		row("rejected_app_offline", m.RejectedAppOffline)
	}
	if m.RejectedShutdown > 0 {
		row("rejected_shutdown", m.RejectedShutdown)
	}
	if m.RejectedTCPReset > 0 {
		row("rejected_tcp_reset", m.RejectedTCPReset)
	}
	row("expired", m.Expired)
	row("abandoned", m.Abandoned)
	sub("crash", m.AbandonedCrash)
	sub("shutdown time limit", m.AbandonedShutdown)
	sub("ping kill", m.AbandonedPing)
	sub("memory limit", m.AbandonedMemory)
	if m.AbandonedExecTimeout > 0 {
		sub("execution time limit", m.AbandonedExecTimeout)
	}
	if m.AbandonedMinSendRate > 0 {
		sub("too slow a client (Timer_MinBytesPerSecond)", m.AbandonedMinSendRate)
	}
	row("client_timeout", m.ClientTimeout)
	row("in_flight", m.InFlight)
	row("arrivals", m.Arrivals)
	if m.Retries > 0 {
		sub("retries", m.Retries)
	}
	tab.write(bw, "  ")
}

// writeRates writes the rates, availability and response times.
func writeRates(bw io.Writer, t *tabwriter.Writer, sc *scenario.Scenario, res *model.Result) {
	m := &res.Metrics
	fmt.Fprint(bw, "\nRates\n")
	fmt.Fprintf(t, "  rate_503\t%s\t%s\n", percent(m.Rate503), rate503Label(sc, res))
	by := "by a dying worker"
	if m.AbandonedMinSendRate > 0 {
		by += " or cut by MinBytesPerSecond"
	}
	fmt.Fprintf(t, "  rate_abandoned\t%s\tof arrivals were abandoned %s\n", percent(m.RateAbandoned), by)
	fmt.Fprintf(t, "  rate_error\t%s\tof arrivals got 500\n", percent(m.RateError))
	fmt.Fprintf(t, "  rate_ok\t%s\tof arrivals got 200 from the application\n", percent(m.RateOK))
	fmt.Fprintf(t, "  serving_availability\t%s\tof the time the pool could serve (not stopped, and waiting requests had a ready worker that was not hung)\n", percent(m.ServingAvailability))
	fmt.Fprintf(t, "  time_not_stopped\t%s\tof the time the pool was not stopped, by rapid-fail protection or an operator (also availability)\n", percent(m.TimeNotStopped))
	fmt.Fprintf(t, "  outages\t%s\t%s in all, %s on average; time to recover %s\n", count(m.Outages), seconds(m.OutageTimeS), seconds(m.OutageMeanS), seconds(m.TimeToRecoverS))
	fmt.Fprintf(t, "  throughput_rps\t%.3f/s\tok responses per second\n", m.ThroughputRPS)
	t.Flush()

	fmt.Fprint(bw, "\nResponse time of ok requests\n")
	fmt.Fprintf(t, "  mean\t%s\tp50\t%s\tp90\t%s\tp99\t%s\n",
		seconds(m.ResponseMeanS), seconds(m.ResponseP50S), seconds(m.ResponseP90S), seconds(m.ResponseP99S))
	fmt.Fprintf(t, "  wait in queue (mean)\t%s\n", seconds(m.WaitMeanS))
	fmt.Fprintf(t, "  queue length (mean)\t%.2f\tbusy threads (mean)\t%.2f\n", m.QueueMean, m.BusyMean)
	if m.Stale > 0 {
		fmt.Fprintf(t, "  age of stale data (mean)\t%s\n", seconds(m.StaleAgeMeanS))
	}
	t.Flush()
}

// rate503Label says what rate_503 counts, in the words of the outcome
// table above it: the refusals (rejected_queue_full, rejected_app_offline,
// rejected_shutdown), which are IIS's 503s but nginx's 502s or 504s in
// front of the other servers.
func rate503Label(sc *scenario.Scenario, res *model.Result) string {
	if iis(sc) {
		if res.RejectedDisabled > 0 {
			return "of arrivals got 503 (QueueFull, AppOffline, Disabled, or from a worker shutting down)"
		}
		return "of arrivals got 503 (QueueFull, AppOffline, or from a worker shutting down)"
	}
	names := []string{"rejected_queue_full", "rejected_app_offline"}
	if sc.Pool.Recycle.Drain == "refuse" {
		names = append(names, "rejected_shutdown")
	}
	var parts []string
	for _, name := range names {
		status, _ := model.OutcomeWords(sc, name)
		parts = append(parts, name+" "+status)
	}
	return "of arrivals were refused (" + strings.Join(parts, ", ") + "; named after IIS's 503)"
}

// iis reports whether the scenario's pool is IIS's (whose words are
// HTTP.sys's), not one behind nginx.
func iis(sc *scenario.Scenario) bool { return sc.Server == "" || sc.Server == "iis" }

// writeWorkers writes the worker events, with those before the warm-up
// beside the counts that leave them out.
func writeWorkers(bw io.Writer, t *tabwriter.Writer, res *model.Result) {
	m := &res.Metrics
	fmt.Fprint(bw, "\nWorkers\n")
	fmt.Fprintf(t, "  worker_starts\t%s\tcrashes\t%s\trecycles\t%s\n", count(m.WorkerStarts)+beforeWarmup(res.BeforeWarmup.WorkerStarts),
		count(m.Crashes)+beforeWarmup(res.BeforeWarmup.Crashes), count(m.Recycles))
	fmt.Fprintf(t, "  ping_kills\t%s\tshutdown_kills\t%s\tstartup_kills\t%s\n", count(m.PingKills), count(m.ShutdownKills), count(m.StartupKills))
	fmt.Fprintf(t, "  rapid_fail_trips\t%s\temergency_restarts\t%s\tlock_conflicts\t%s\n",
		count(m.RapidFailTrips)+beforeWarmup(res.BeforeWarmup.RapidFailTrips), count(m.EmergencyRestarts), count(m.LockConflicts))
	if m.ExecTimeouts+m.SynDrops+m.ThreadsInjected+m.AdminStops+m.MinSendRateCuts > 0 {
		fmt.Fprintf(t, "  exec_timeouts\t%s\texec_timeout_kills\t%s\tmin_send_rate_cuts\t%s\n", count(m.ExecTimeouts), count(m.ExecTimeoutKills), count(m.MinSendRateCuts))
		fmt.Fprintf(t, "  syn_drops\t%s\tthreads_injected\t%s\tadmin_stops\t%s\n", count(m.SynDrops), count(m.ThreadsInjected), count(m.AdminStops))
	}
	t.Flush()
	writeExits(bw, res.WorkerCounts)
}

// writeLog writes the lines the supervisor would have logged, under the
// name of its own log.
func writeLog(bw io.Writer, t *tabwriter.Writer, log model.SupervisorLog) {
	fmt.Fprintf(bw, "\n%s\n", log.Name)
	n := 0
	for _, e := range log.Lines {
		if e.Count == 0 {
			continue
		}
		fmt.Fprintf(t, "  %s\t%d\t%s\n", e.Key, e.Count, e.Text)
		n++
	}
	t.Flush()
	if n == 0 {
		fmt.Fprint(bw, "  none\n")
	}
}

// writeExits summarizes how the run's worker processes ended, from the
// counts of every start and exit (the lifecycles kept may be fewer).
func writeExits(w io.Writer, c model.WorkerCounts) {
	if c.Started == 0 {
		fmt.Fprint(w, "  no worker process started\n")
		return
	}
	counts := map[string]int{}
	exited := 0
	for why, n := range c.Exits {
		if why == "" {
			why = "unknown"
		}
		counts[why] += n
		exited += n
	}
	reasons := slices.Sorted(maps.Keys(counts))
	parts := make([]string, 0, len(reasons))
	for _, r := range reasons {
		parts = append(parts, fmt.Sprintf("%s %d", r, counts[r]))
	}
	fmt.Fprintf(w, "  %s in the whole run, warm-up included: %d alive at the horizon",
		plural(c.Started, "worker process", "worker processes"), c.Started-exited)
	if len(parts) > 0 {
		fmt.Fprintf(w, "; exits by reason: %s", strings.Join(parts, ", "))
	}
	fmt.Fprintln(w)
}

// beforeWarmup notes events left out of a count because they happened
// before the warm-up ended.
func beforeWarmup(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" (+%d before the warm-up)", n)
}

// plural writes n and the noun in the form n takes.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// count formats a count metric.
func count(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	return strconv.FormatFloat(v, 'g', 6, 64)
}

// percent formats a fraction as a percentage.
func percent(v float64) string {
	return fmt.Sprintf("%.3f %%", 100*v)
}

// seconds formats a time in seconds with a unit that suits it.
func seconds(s float64) string {
	switch {
	case math.IsNaN(s):
		return "n/a"
	case math.IsInf(s, 0):
		return "-"
	case s == 0:
		return "0s"
	case s < 1e-3:
		return fmt.Sprintf("%.0fµs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.1fms", s*1e3)
	case s < 60:
		return fmt.Sprintf("%.2fs", s)
	}
	return engine.FromSeconds(s).Duration().Round(time.Second).String()
}

// table is a text table whose columns are aligned left or right.
type table struct {
	right []bool // per column: align right
	rows  [][]string
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write prints the table, each line prefixed with indent and without
// trailing spaces.
func (t *table) write(w io.Writer, indent string) {
	var width []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range t.rows {
		var b strings.Builder
		b.WriteString(indent)
		for i, c := range r {
			if i > 0 {
				b.WriteString("  ")
			}
			pad := strings.Repeat(" ", width[i]-utf8.RuneCountInString(c))
			if i < len(t.right) && t.right[i] {
				b.WriteString(pad + c)
			} else {
				b.WriteString(c + pad)
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}
