package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// spec is one case: the scenario and the real configuration's settings.
type spec struct {
	name     string
	env      map[string]string
	scenario *scenario.Scenario
	metrics  []string // compared
	gate     []string // checked by -ci
}

// realRun is the part of a loadgen run.json that compare reads.
type realRun struct {
	Replication uint64             `json:"replication"`
	Metrics     map[string]float64 `json:"metrics"`
	Quality     map[string]float64 `json:"quality"`
	Check       map[string]float64 `json:"check"`
	Facts       map[string]float64 `json:"facts"`
	Clean       bool               `json:"clean"`
	Disturbed   string             `json:"disturbed"`
}

// row is one metric of one case, measured against predicted.
type row struct {
	caseName, metric string
	real, sim        summary
	diffHalf         float64 // half-width of the difference's interval
	paired           summary // real run r − poolsim replication r (the same workload)
	verdict          string
	gated, failed    bool
}

type caseResult struct {
	spec     *spec
	runs     []realRun // clean
	rejected []realRun
	rows     []row
	// presetOverhead is the scenario's pool.request_overhead; when
	// calibrated, poolsim predicted with cal instead.
	presetOverhead time.Duration
	cal            calibration
	calibrated     bool
}

var defaultMetrics = []string{"rate_503", "rate_abandoned", "rate_client_timeout", "response_mean_s", "response_p90_s", "throughput_rps"}

func run(o options) (int, error) {
	names, err := caseNames(o)
	if err != nil {
		return 0, err
	}
	if o.ci {
		if o.gateConf, err = gateConfidence(o, names); err != nil {
			return 0, err
		}
	}
	var all []*caseResult
	failed := 0
	for _, name := range names {
		cr, err := compareCase(o, name)
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(os.Stderr, "%-15s %s\n", name, overheadText(cr))
		for _, r := range cr.rows {
			if r.failed {
				failed++
			}
			fmt.Fprintf(os.Stderr, "%-15s %-20s measured %-18s poolsim %-18s %s; paired %s\n", r.caseName, r.metric,
				fmtCI(r.real), fmtCI(r.sim), r.verdict, fmtCI(r.paired))
		}
		all = append(all, cr)
	}
	if err := writeSummaryCSV(filepath.Join(o.results, "summary.csv"), all); err != nil {
		return 0, err
	}
	if o.doc != "" {
		if err := writeDoc(o.doc, generated(o, all)); err != nil {
			return 0, err
		}
	}
	if o.chart != "" {
		if err := chart(all, o.chart); err != nil {
			return 0, err
		}
	}
	return failed, nil
}

func caseNames(o options) ([]string, error) {
	if o.only != "" {
		return strings.Split(o.only, ","), nil
	}
	ents, err := os.ReadDir(o.results)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range ents {
		if _, err := os.Stat(filepath.Join(o.cases, e.Name()+".toml")); e.IsDir() && err == nil {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

func loadSpec(dir, name string) (*spec, error) {
	sc, err := scenario.DecodeFile(filepath.Join(dir, name+".toml"))
	if err != nil {
		return nil, err
	}
	env, err := readEnv(filepath.Join(dir, name+".env"))
	if err != nil {
		return nil, err
	}
	s := &spec{name: name, env: env, scenario: sc, metrics: defaultMetrics}
	if m := env["METRICS"]; m != "" {
		s.metrics = strings.Fields(m)
	}
	s.gate = strings.Fields(env["GATE"])
	if err := checkCrashSignal(sc, env["CRASH_SIGNAL"]); err != nil {
		return nil, fmt.Errorf("%s: %v", filepath.Join(dir, name+".toml"), err)
	}
	return s, nil
}

// checkCrashSignal checks that the scenario's crashing classes die of the
// signal the real application is told to crash with (the case's
// CRASH_SIGNAL, the load generator's -crash-signal; 9 by default).
func checkCrashSignal(sc *scenario.Scenario, sig string) error {
	if sig == "" {
		sig = "9"
	}
	want := map[string]string{"9": "kill", "11": "segv"}[sig]
	if want == "" {
		return fmt.Errorf("CRASH_SIGNAL=%s: want 9 (SIGKILL) or 11 (SIGSEGV)", sig)
	}
	for _, n := range sortedKeys(sc.Classes) {
		if c := sc.Classes[n]; c.Crash > 0 && c.CrashSignal != want {
			return fmt.Errorf("classes.%s.crash_signal = %q, but the real application crashes with signal %s (CRASH_SIGNAL): write %q", n, c.CrashSignal, sig, want)
		}
	}
	return nil
}

// readEnv reads a case's KEY=VALUE file (shell syntax, values optionally in
// double quotes, # comments).
func readEnv(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: %q: want KEY=VALUE", path, n, line)
		}
		env[k] = strings.Trim(v, `"`)
	}
	return env, sc.Err()
}

func compareCase(o options, name string) (*caseResult, error) {
	s, err := loadSpec(o.cases, name)
	if err != nil {
		return nil, err
	}
	cr := &caseResult{spec: s}
	paths, _ := filepath.Glob(filepath.Join(o.results, name, "*", "run.json"))
	sort.Strings(paths)
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		var r realRun
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		if r.Clean {
			cr.runs = append(cr.runs, r)
		} else {
			cr.rejected = append(cr.rejected, r)
		}
	}
	cr.presetOverhead = s.scenario.Pool.RequestOverhead.T().Duration()
	if s.env["CALIBRATE"] != "0" {
		if cal, ok := measuredCalibration(cr.runs); ok {
			s.scenario.Pool.RequestOverhead = scenario.Duration(engine.FromDuration(cal.hold))
			cr.cal, cr.calibrated = cal, true
		}
	}
	sim := make([]*model.Metrics, o.reps)
	simHang := make([]float64, o.reps)
	for rep := range sim {
		res, h, err := runWithHangEnd(s.scenario, uint64(rep), contains(s.metrics, hangEnd))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		sim[rep], simHang[rep] = &res.Metrics, h
	}
	for _, m := range s.metrics {
		var xr, xs, xp []float64
		for rep, sm := range sim {
			v, ok := sm.Get(m)
			if m == hangEnd {
				v, ok = simHang[rep], true
			}
			if !ok {
				return nil, fmt.Errorf("%s: METRICS: %q is not a poolsim metric", name, m)
			}
			if cr.calibrated && isResponseTime(m) {
				v += cr.cal.path.Seconds()
			}
			xs = append(xs, v)
		}
		for _, r := range cr.runs {
			v := r.Metrics[m]
			if m == hangEnd {
				v = r.Facts[m]
				if r.Facts["hang_end_n"] == 0 {
					continue
				}
			}
			xr = append(xr, v)
			if int(r.Replication) < len(xs) && !math.IsNaN(xs[r.Replication]) {
				xp = append(xp, v-xs[r.Replication])
			}
		}
		xs = dropNaN(xs)
		r := row{caseName: name, metric: m, real: summarize(xr, o.conf), sim: summarize(xs, o.conf), paired: summarize(xp, o.conf)}
		r.gated = contains(s.gate, m)
		if r.gated && o.gateConf > 0 {
			r.paired = summarize(xp, o.gateConf)
		}
		r.paired.half = max(r.paired.half, resolution(m, cr.runs))
		r.diffHalf = welch(r.real, r.sim, o.conf)
		r.verdict, r.failed = verdict(r, o.maxRelHalf)
		cr.rows = append(cr.rows, r)
	}
	return cr, nil
}

// calibration is this machine's per-request cost, measured in the clean
// runs of a case. The presets' pool.request_overhead was measured once, on
// one machine; the servers' own cost moves with the machine and its load,
// so compare predicts with the cost measured in the same runs, which keeps
// the comparison about poolsim's rules (queueing, loss, faults, recycles)
// rather than about one constant. Both values are reported.
type calibration struct {
	// hold is what a request holds its worker beyond its service: the
	// worker's turnaround between requests plus the application's overrun
	// (loadgen's turnarounds). It becomes pool.request_overhead.
	hold time.Duration
	// path is the rest of what a request that found a worker free takes
	// beyond its service: the part of its way from the generator to the
	// application and back that the worker's turnaround does not contain
	// (nginx, the generator, the socket): pre + post − turnaround, from
	// loadgen's pre_ms_p50 and post_ms_mean. poolsim's response times,
	// measured at the pool, do not contain it; compare adds it to them.
	path time.Duration
}

// measuredCalibration pools the runs' facts over their requests (each run's
// figure weighted by its count); fewer than 20 requests of any kind leave
// the scenario as it is.
func measuredCalibration(runs []realRun) (calibration, bool) {
	var turn, over, nTurn, pre, nPre, post, nPost float64
	for _, r := range runs {
		k := r.Facts["turnaround_n"]
		turn += r.Facts["turnaround_ms_mean"] * k
		over += r.Facts["app_overrun_ms_mean"] * k
		nTurn += k
		k = r.Facts["pre_n"]
		pre += r.Facts["pre_ms_p50"] * k
		nPre += k
		k = r.Facts["post_n"]
		post += r.Facts["post_ms_mean"] * k
		nPost += k
	}
	if nTurn < 20 || nPre < 20 || nPost < 20 {
		return calibration{}, false
	}
	ms := func(x float64) time.Duration { return time.Duration(math.Round(x*1e3)) * time.Microsecond }
	return calibration{hold: ms((turn + over) / nTurn), path: ms(pre/nPre + post/nPost - turn/nTurn)}, true
}

// gateConfidence is the confidence level of each gated comparison under
// -ci: Bonferroni's, so that the chance that any of the k gated metrics
// fails when poolsim and the server agree stays at 1 − confidence (with
// 95 % intervals for each of 8 gated metrics, a correct model would fail
// a third of CI runs).
func gateConfidence(o options, names []string) (float64, error) {
	k := 0
	for _, name := range names {
		env, err := readEnv(filepath.Join(o.cases, name+".env"))
		if err != nil {
			return 0, err
		}
		k += len(strings.Fields(env["GATE"]))
	}
	conf := 1 - (1-o.conf)/float64(max(k, 1))
	fmt.Fprintf(os.Stderr, "compare: %d gated comparisons, each at %.4g %% confidence (Bonferroni: %.3g %% for all)\n", k, 100*conf, 100*o.conf)
	return conf, nil
}

// isResponseTime says whether a metric is a response time, which the
// client's path outside the pool lengthens.
func isResponseTime(metric string) bool {
	return (strings.HasPrefix(metric, "response_") || metric == hangEnd) && strings.HasSuffix(metric, "_s")
}

// overheadText says with which per-request cost poolsim predicted.
func overheadText(cr *caseResult) string {
	if !cr.calibrated {
		return fmt.Sprintf("pool.request_overhead %v (the scenario's; not calibrated)", cr.presetOverhead)
	}
	return fmt.Sprintf("pool.request_overhead %v measured in these runs (the preset's: %v), and %v added to response times for the client's path outside the pool",
		cr.cal.hold, cr.presetOverhead, cr.cal.path)
}

// resolution is the smallest difference a metric can show between a real
// run and its replication: one event for a count (an event within
// milliseconds of the horizon falls on either side of it in the two), one
// request for a rate. The paired interval is never narrower, so that a
// handful of runs whose differences happen to be equal do not make an
// interval of width zero.
func resolution(metric string, runs []realRun) float64 {
	switch {
	case metricKind(metric) == "worker events":
		return 1
	case strings.HasPrefix(metric, "rate_"):
		var n float64
		for _, r := range runs {
			n += r.Metrics["arrivals"] / float64(len(runs))
		}
		if n > 0 {
			return 1 / n
		}
	}
	return 0
}

// verdict is the paired test: real run r and replication r share their
// workload, so their difference is free of the workload's variation, which
// dominates a comparison of two means over a handful of real runs. A
// gated metric fails when it disagrees, or when it has too few runs to
// tell: fewer than 2, or a paired half-width above maxRel of poolsim's
// mean.
func verdict(r row, maxRel float64) (string, bool) {
	d, half := r.paired.mean, r.paired.half
	switch {
	case r.paired.n < 2:
		return fmt.Sprintf("too few clean runs (%d)", r.paired.n), r.gated
	case r.real.mean == 0 && r.sim.mean == 0:
		return "agrees (both 0)", false
	case math.Abs(d) > half:
		return "DISAGREES" + relText(d, half, r.sim.mean), r.gated
	case r.sim.mean != 0 && half > maxRel*math.Abs(r.sim.mean):
		return "agrees" + relText(d, half, r.sim.mean) + fmt.Sprintf(", but the interval is wider than ±%.0f %%", 100*maxRel), r.gated
	}
	return "agrees" + relText(d, half, r.sim.mean), false
}

// relText is the difference relative to poolsim's mean, with its interval.
func relText(d, half, base float64) string {
	if base == 0 {
		return fmt.Sprintf(" (%+.3g ± %.2g)", d, half)
	}
	return fmt.Sprintf(" (%+.1f %% ± %.1f %%)", 100*d/math.Abs(base), 100*half/math.Abs(base))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func fmtCI(s summary) string {
	if s.n == 0 {
		return "-"
	}
	return fmt.Sprintf("%.4g ± %.2g", s.mean, s.half)
}

// dropNaN returns x without its NaNs (replications with nothing to
// measure).
func dropNaN(x []float64) []float64 {
	out := x[:0:0]
	for _, v := range x {
		if !math.IsNaN(v) {
			out = append(out, v)
		}
	}
	return out
}
