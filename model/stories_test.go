package model

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model/httperr"
	"github.com/poolsim/poolsim/model/scenario"
)

// The story tests run the mechanisms of the field reports as scenario files
// (testdata/stories/*.toml, each explaining its story in its comments) and
// check each mechanism and its fix. A fix is an override of the story's
// file, so both runs share their random streams (common random numbers):
// the same arrivals, the same slow episodes, the same faults.

// story decodes testdata/stories/name.toml with the overrides (`--set`
// syntax) and runs replication 0.
func story(t *testing.T, name string, sets ...string) *Result {
	t.Helper()
	return runStory(t, name, 0, sets...)
}

func runStory(t *testing.T, name string, rep uint64, sets ...string) *Result {
	t.Helper()
	sc := decodeStory(t, name, sets...)
	res, err := Run(sc, Options{Replication: rep})
	if err != nil {
		t.Fatalf("%s %v: %v", name, sets, err)
	}
	checkConservation(t, res.Metrics)
	return res
}

func decodeStory(t testing.TB, name string, sets ...string) *scenario.Scenario {
	t.Helper()
	var ovs []scenario.Override
	for _, s := range sets {
		o, err := scenario.ParseSet(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		ovs = append(ovs, o)
	}
	sc, err := scenario.DecodeFile(filepath.Join("testdata", "stories", name+".toml"), ovs...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return sc
}

// expect is one assertion on a metric: op is one of == > >= <.
type expect struct {
	metric string
	op     string
	value  float64
}

func checkExpects(t *testing.T, label string, m Metrics, es []expect) {
	t.Helper()
	for _, e := range es {
		v, ok := m.Get(e.metric)
		if !ok {
			t.Fatalf("no metric %q", e.metric)
		}
		var good bool
		switch e.op {
		case "==":
			good = v == e.value
		case ">":
			good = v > e.value
		case ">=":
			good = v >= e.value
		case "<":
			good = v < e.value
		default:
			t.Fatalf("bad op %q", e.op)
		}
		if !good {
			t.Errorf("%s: %s = %v, want %s %v", label, e.metric, v, e.op, e.value)
		}
	}
}

// TestStorySlowBackend is the seed's story: a slow backend with
// on_timeout = "crash" abandons requests and trips rapid-fail protection
// into 503 AppOffline; on_timeout = "error" turns the same episodes into
// 500s with no crash.
func TestStorySlowBackend(t *testing.T) {
	crash := story(t, "slow-backend")
	checkExpects(t, "on_timeout = crash", crash.Metrics, []expect{
		{"abandoned_crash", ">", 0},
		{"crashes", ">=", 5},
		{"rapid_fail_trips", ">=", 1},
		{"rejected_app_offline", ">", 0},
		{"availability", "<", 1},
	})
	fixed := story(t, "slow-backend", "backends.historian.on_timeout=error")
	checkExpects(t, "on_timeout = error", fixed.Metrics, []expect{
		{"crashes", "==", 0},
		{"abandoned", "==", 0},
		{"error", ">", 0},
		{"rejected_app_offline", "==", 0},
		{"rapid_fail_trips", "==", 0},
		{"availability", "==", 1},
	})
	// Polling on a fixed interval sends the same requests whatever the
	// answers: the two runs differ only in what the pool does with them.
	if crash.Metrics.Arrivals != fixed.Metrics.Arrivals {
		t.Errorf("arrivals differ: %v with crash, %v with error", crash.Metrics.Arrivals, fixed.Metrics.Arrivals)
	}
	t.Logf("crash: %v abandoned, %v crashes, %v trips, %v AppOffline; error: %v errors, %v client timeouts, %v QueueFull",
		crash.Metrics.Abandoned, crash.Metrics.Crashes, crash.Metrics.RapidFailTrips, crash.Metrics.RejectedAppOffline,
		fixed.Metrics.Error, fixed.Metrics.ClientTimeout, fixed.Metrics.RejectedQueueFull)
}

// TestStoryRecycleDownloads: a time-based recycle with a shutdown limit
// shorter than the downloads abandons them; a longer limit abandons none.
//
// How many: the draining worker holds every download that started within
// the last 3 minutes; those that started within the last 3 min − 90 s are
// still running when the shutdown limit kills it. Downloads start on
// arrival (50 threads are never all busy at λ·S = 18), so the number
// killed per recycle is Poisson with mean λ(S − limit) = 0.1 × 90 = 9. Over
// 20 replications of 3 recycles each, the mean per recycle is checked
// against 9 (99.9 % t-interval).
func TestStoryRecycleDownloads(t *testing.T) {
	short := story(t, "recycle-downloads")
	checkExpects(t, "shutdown limit 90s", short.Metrics, []expect{
		{"recycles", ">=", 1},
		{"abandoned_shutdown", ">", 0},
		{"shutdown_kills", ">=", 1},
	})
	long := story(t, "recycle-downloads", "pool.shutdown_time_limit=10m")
	checkExpects(t, "shutdown limit 10m", long.Metrics, []expect{
		{"recycles", "==", short.Metrics.Recycles},
		{"abandoned_shutdown", "==", 0},
		{"abandoned", "==", 0},
		{"shutdown_kills", "==", 0},
	})

	sc := decodeStory(t, "recycle-downloads")
	rs := runReps(t, sc, 0, 20)
	perRecycle := metric(rs, func(m *Metrics) float64 { return m.AbandonedShutdown / m.Recycles })
	checkCI(t, "downloads abandoned per recycle", perRecycle, 0.1*90, 1.6)
}

// TestStoryRecycleOverlap: overlapped and non-overlapped recycles differ as
// the docs say. Overlapped, the replacement is ready before the old worker
// stops taking requests: with enough threads nothing waits, expires or is
// refused. Non-overlapped, arrivals queue for the replacement's 20 s start:
// λ = 10/s fills the 100 places in about 10 s (503 QueueFull after that)
// and those queued in the first 5 s wait past the 15 s queue timeout
// (Timer_AppPool), at each of the recycles.
func TestStoryRecycleOverlap(t *testing.T) {
	over := story(t, "recycle-overlap")
	checkExpects(t, "overlapped", over.Metrics, []expect{
		{"recycles", ">=", 4},
		{"rejected_queue_full", "==", 0},
		{"expired", "==", 0},
		{"rejected_app_offline", "==", 0},
		{"abandoned", "==", 0},
	})
	non := story(t, "recycle-overlap", "pool.recycle.overlapping=false")
	checkExpects(t, "non-overlapped", non.Metrics, []expect{
		{"recycles", "==", over.Metrics.Recycles},
		{"rejected_queue_full", ">", 0},
		{"expired", ">", 0},
		{"abandoned", "==", 0},
	})
	if !(non.Metrics.WaitMeanS > over.Metrics.WaitMeanS) {
		t.Errorf("non-overlapped mean wait %v is not above the overlapped %v", non.Metrics.WaitMeanS, over.Metrics.WaitMeanS)
	}
	// Overlapped, two workers are alive during every recycle; never so
	// non-overlapped.
	if maxAlive(over) != 2 || maxAlive(non) != 1 {
		t.Errorf("workers alive at once: overlapped %d (want 2), non-overlapped %d (want 1)", maxAlive(over), maxAlive(non))
	}
	t.Logf("non-overlapped per recycle: %.1f QueueFull, %.1f expired; mean wait %.3fs vs %.3fs overlapped",
		non.Metrics.RejectedQueueFull/non.Metrics.Recycles, non.Metrics.Expired/non.Metrics.Recycles,
		non.Metrics.WaitMeanS, over.Metrics.WaitMeanS)
}

// maxAlive is the largest number of worker processes alive at one instant.
func maxAlive(res *Result) int {
	best := 0
	for _, a := range res.Workers {
		n := 0
		for _, b := range res.Workers {
			if b.Spans[0].Start <= a.Spans[0].Start && a.Spans[0].Start < b.Exit {
				n++
			}
		}
		best = max(best, n)
	}
	return best
}

// storyNames lists testdata/stories.
func storyNames(t testing.TB) []string {
	ents, err := os.ReadDir(filepath.Join("testdata", "stories"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		if n, ok := strings.CutSuffix(e.Name(), ".toml"); ok {
			out = append(out, n)
		}
	}
	return out
}

// fixes are the overrides the story tests apply, so that conservation and
// determinism are checked on every variant that is run.
var fixes = map[string][][]string{
	"slow-backend":      {{"backends.historian.on_timeout=error"}, {"backends.historian.on_timeout=wait"}},
	"recycle-downloads": {{"pool.shutdown_time_limit=10m"}},
	"recycle-overlap":   {{"pool.recycle.overlapping=false"}},
	"hung-ping":         {{"pool.ping.enabled=false"}, {"pool.ping.answered_while_hung=true"}},
	"singleton-lock":    {{"pool.recycle.overlapping=false"}, {"lock.on_contention=wait"}, {"lock.on_contention=crash"}},
	"stale-cache":       {{"backends.historian.cache.ttl=1s"}},
	"retry-stopped":     {{"retry.policy=exponential"}, {"retry.policy=none"}},
	"crash-loop":        {{"pool.rapid_fail.policy=backoff"}, {"pool.rapid_fail.policy=emergency_restart"}, {"pool.load_balancer=tcp"}},
}

// allScenarios is every shipped scenario and every story with its fixes,
// with a label each.
func allScenarios(t *testing.T) ([]string, []*scenario.Scenario) {
	var labels []string
	var scs []*scenario.Scenario
	for _, name := range catalog.Names() {
		data, _ := catalog.Scenario(name)
		sc, err := scenario.Decode(name+".toml", data)
		if err != nil {
			t.Fatalf("shipped scenario %s: %v", name, err)
		}
		labels, scs = append(labels, "catalog/"+name), append(scs, sc)
	}
	for _, name := range storyNames(t) {
		labels, scs = append(labels, "story/"+name), append(scs, decodeStory(t, name))
		for _, f := range fixes[name] {
			labels, scs = append(labels, "story/"+name+" "+strings.Join(f, " ")), append(scs, decodeStory(t, name, f...))
		}
	}
	return labels, scs
}

// TestConservation runs every shipped scenario and every story variant, in
// two replications, and checks that the outcomes add up to the arrivals,
// that the abandoned add up to their causes, that nothing is negative, and
// that the rates are the counts over the arrivals.
func TestConservation(t *testing.T) {
	labels, scs := allScenarios(t)
	if len(catalog.Names()) == 0 {
		t.Error("no shipped scenarios to check")
	}
	for i, sc := range scs {
		t.Run(labels[i], func(t *testing.T) {
			for _, res := range runReps(t, sc, 0, 2) {
				m := res.Metrics
				checkConservation(t, m)
				for j, v := range m.Values() {
					name := MetricNames()[j]
					if v < 0 || v != v && !slices.Contains(NaNMetrics(), name) {
						t.Errorf("%s = %v", name, v)
					}
				}
				if (m.OK == 0) != math.IsNaN(m.ResponseMeanS) {
					t.Errorf("ok = %v but response_mean_s = %v: NaN exactly when no request was ok", m.OK, m.ResponseMeanS)
				}
				if m.Availability < 0 || m.Availability > 1 {
					t.Errorf("availability %v", m.Availability)
				}
			}
		})
	}
}

// checkHTTPErrCounts checks the rule "HTTP.sys logs one HTTPERR line per
// request it refuses, expires or loses, under the reason names of
// pool.httperr_names" (docs/model.md#outcomes): it runs sc without a
// warm-up (so that every request is counted, as every one is logged),
// parses the log back and matches its lines with the counts (a response
// cut by MinBytesPerSecond is Timer_MinBytesPerSecond). QueueFull and
// AppOffline lines appear only when HTTP.sys answers 503
// (load_balancer = "http"); a reset is not logged.
func checkHTTPErrCounts(t *testing.T, sc *scenario.Scenario) {
	t.Helper()
	c := *sc
	c.Warmup = scenario.Warmup{}
	var log bytes.Buffer
	res, err := Run(&c, Options{HTTPErr: &log})
	if err != nil {
		t.Fatal(err)
	}
	lines, err := httperr.Parse(bytes.NewReader(log.Bytes()))
	if err != nil {
		t.Fatalf("HTTPERR log does not parse: %v", err)
	}
	m := res.Metrics
	got := httperr.CountReasons(lines)
	expired, abandoned := HTTPErrReasons(&sc.Pool)
	want := map[string]float64{
		expired:                  m.Expired,
		abandoned:                m.Abandoned - m.AbandonedMinSendRate,
		httperr.ReasonMinBytes:   m.AbandonedMinSendRate,
		httperr.ReasonQueueFull:  m.RejectedQueueFull,
		httperr.ReasonAppOffline: m.RejectedAppOffline,
	}
	total := 0
	for reason, n := range want {
		if float64(got[reason]) != n {
			t.Errorf("HTTPERR has %d %s lines, the run counts %v", got[reason], reason, n)
		}
		total += got[reason]
	}
	if len(lines) != total {
		t.Errorf("HTTPERR has lines with other reasons: %v", got)
	}
}

// TestDeterminism runs each scenario twice with the same seed, expecting
// identical metrics, lifecycles, time series and HTTPERR bytes (the log
// also parsed back and matched with the counts), and once with another
// seed, expecting different metrics. Shipped scenarios longer than a few
// hundred thousand requests are shortened to keep the test quick.
func TestDeterminism(t *testing.T) {
	labels, scs := allScenarios(t)
	for i, sc := range scs {
		t.Run(labels[i], func(t *testing.T) {
			if ExpectedRequests(sc) > 2e5 {
				c := *sc
				c.Horizon = scenario.Duration(engine.FromSeconds(sc.Horizon.T().Seconds() * 2e5 / ExpectedRequests(sc)))
				sc = &c
			}
			var log1, log2 bytes.Buffer
			r1, err := Run(sc, Options{HTTPErr: &log1, Interval: engine.Minute})
			if err != nil {
				t.Fatal(err)
			}
			r2, err := Run(sc, Options{HTTPErr: &log2, Interval: engine.Minute})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.EqualFunc(r1.Metrics.Values(), r2.Metrics.Values(), func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }) {
				t.Errorf("same seed, different metrics:\n%+v\n%+v", r1.Metrics, r2.Metrics)
			}
			if !reflect.DeepEqual(r1.Workers, r2.Workers) || !reflect.DeepEqual(r1.Series, r2.Series) {
				t.Errorf("same seed, different lifecycles or series")
			}
			if !bytes.Equal(log1.Bytes(), log2.Bytes()) {
				t.Errorf("same seed, different HTTPERR logs (%d and %d bytes)", log1.Len(), log2.Len())
			}
			checkHTTPErrCounts(t, sc)
			other := *sc
			other.Seed = sc.Seed + 1
			r3, err := Run(&other, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if slices.EqualFunc(r1.Metrics.Values(), r3.Metrics.Values(), func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }) {
				t.Errorf("seeds %d and %d give identical metrics: %+v", sc.Seed, other.Seed, r1.Metrics)
			}
		})
	}
}
