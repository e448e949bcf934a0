package plots

import (
	"math"
	"strings"
)

var inf = math.Inf(1)

// The dictionary of names: what a chart calls the metrics of DESIGN.md §5
// and the scenario keys a sweep varies, so that an axis reads
// "arrival rate (requests/s)" rather than clients.arrivals.rate. A chart
// drawn with Chart.RawKeys, and every caption, still give the raw key.

// metricInfo is a metric's readable name, its unit on an axis, and which way
// is better.
type metricInfo struct {
	name string
	unit string
	// better is -1 when less is better (503s, crashes), +1 when more is
	// (OK rate, availability), 0 when neither (arrivals, recycles).
	better int
}

var metrics = map[string]metricInfo{
	"arrivals":                {"arrivals", "requests", 0},
	"ok":                      {"OK responses", "requests", +1},
	"stale":                   {"stale responses", "requests", -1},
	"error":                   {"errors (500)", "requests", -1},
	"rejected_queue_full":     {"503 (queue full)", "requests", -1},
	"rejected_app_offline":    {"503 (app offline)", "requests", -1},
	"rejected_tcp_reset":      {"connection resets (pool stopped)", "requests", -1},
	"expired":                 {"expired in queue", "requests", -1},
	"abandoned":               {"abandoned requests", "requests", -1},
	"client_timeout":          {"client timeouts", "requests", -1},
	"in_flight":               {"in flight at the horizon", "requests", 0},
	"abandoned_crash":         {"abandoned by crashes", "requests", -1},
	"abandoned_shutdown":      {"abandoned at shutdown limit", "requests", -1},
	"abandoned_ping":          {"abandoned by ping kills", "requests", -1},
	"abandoned_memory":        {"abandoned by memory crashes", "requests", -1},
	"retries":                 {"retries", "requests", -1},
	"rate_503":                {"503 rate", "% of requests", -1},
	"rate_abandoned":          {"abandoned rate", "% of requests", -1},
	"rate_error":              {"error rate", "% of requests", -1},
	"rate_ok":                 {"OK rate", "% of requests", +1},
	"rate_stale":              {"stale rate", "% of requests", -1},
	"rate_client_timeout":     {"client timeout rate", "% of requests", -1},
	"rate_expired":            {"expired rate", "% of requests", -1},
	"rate_reset":              {"connection reset rate", "% of requests", -1},
	"availability":            {"time not stopped by rapid-fail", "% of time", +1},
	"time_not_stopped":        {"time not stopped by rapid-fail", "% of time", +1},
	"serving_availability":    {"serving availability", "% of time", +1},
	"outages":                 {"outages", "count", -1},
	"outage_time_s":           {"total outage time", "seconds", -1},
	"outage_mean_s":           {"mean outage", "seconds", -1},
	"time_to_recover_s":       {"time to recover", "seconds", -1},
	"emergency_restarts":      {"emergency restarts", "count", -1},
	"abandoned_exec_timeout":  {"abandoned: execution time limit", "requests", -1},
	"abandoned_min_send_rate": {"abandoned: too slow a client", "requests", -1},
	"rejected_shutdown":       {"503 from a worker shutting down", "requests", -1},
	"exec_timeouts":           {"requests ended by the execution limit", "requests", -1},
	"exec_timeout_kills":      {"workers killed by the execution limit", "count", -1},
	"min_send_rate_cuts":      {"responses cut by MinBytesPerSecond", "count", -1},
	"admin_stops":             {"pool stops by an operator", "count", -1},
	"threads_injected":        {"threads injected", "count", 0},
	"threads_retired":         {"threads retired", "count", 0},
	"syn_drops":               {"SYNs dropped by a full backlog", "count", -1},
	"wait_mean_s":             {"mean queue wait", "seconds", -1},
	"response_mean_s":         {"mean response time", "seconds", -1},
	"response_p50_s":          {"median response time", "seconds", -1},
	"response_p90_s":          {"p90 response time", "seconds", -1},
	"response_p99_s":          {"p99 response time", "seconds", -1},
	"stale_age_mean_s":        {"mean age of stale responses", "seconds", -1},
	"warmup_s":                {"warm-up", "seconds", 0},
	"throughput_rps":          {"throughput", "requests/s", 0},
	"worker_starts":           {"worker starts", "count", 0},
	"crashes":                 {"crashes", "count", -1},
	"recycles":                {"recycles", "count", 0},
	"ping_kills":              {"ping kills", "count", -1},
	"rapid_fail_trips":        {"rapid-fail trips", "count", -1},
	"lock_conflicts":          {"lock conflicts", "count", -1},
	"shutdown_kills":          {"shutdown-limit kills", "count", -1},
	"startup_kills":           {"startup-limit kills", "count", -1},
	"queue_mean":              {"mean queue length", "requests", -1},
	"busy_mean":               {"mean busy threads", "threads", 0},
	"events":                  {"events simulated", "count", 0},
}

// MetricName returns a readable name of a metric ("rate_503" → "503 rate");
// a metric the dictionary lacks keeps its name, with spaces for
// underscores.
func MetricName(metric string) string {
	if m, ok := metrics[metric]; ok {
		return m.name
	}
	return strings.ReplaceAll(metric, "_", " ")
}

// MetricLabel returns the unit of a metric on an axis: rates are
// "% of requests" (drawn as percentages), availability "% of time", *_s
// "seconds", *_rps "requests/s", request counts "requests", other counts
// "count".
func MetricLabel(metric string) string {
	if m, ok := metrics[metric]; ok {
		return m.unit
	}
	switch {
	case isRate(metric):
		return "% of requests"
	case strings.HasSuffix(metric, "_s"):
		return "seconds"
	case strings.HasSuffix(metric, "_rps"):
		return "requests/s"
	}
	return "count"
}

// MetricBetter tells which way a metric is better: -1 when less is (503s,
// crashes, response times), +1 when more is (OK rate, availability), 0 when
// it is neither (arrivals, recycles) or the metric is unknown.
func MetricBetter(metric string) int { return metrics[metric].better }

// isRate reports whether a metric is a fraction, drawn and written as a
// percentage.
func isRate(metric string) bool {
	return strings.HasPrefix(metric, "rate_") || metrics[metric].unit == "% of time"
}

// MetricScale is the factor from a metric's value to the number drawn: 100
// for rates and availability (fractions drawn as percentages), else 1.
func MetricScale(metric string) float64 {
	if isRate(metric) {
		return 100
	}
	return 1
}

// metricBounds are the natural bounds of a metric as drawn (after
// MetricScale): [0, 100] for a percentage, [0, +Inf) for counts and times.
// An interval is clipped to them.
func metricBounds(metric string) (lo, hi float64) {
	if isRate(metric) {
		return 0, 100
	}
	if _, known := metrics[metric]; known || strings.HasSuffix(metric, "_s") {
		return 0, inf
	}
	return -inf, inf
}

// axisLabel is "name (unit)".
func axisLabel(metric string) string {
	return MetricName(metric) + " (" + MetricLabel(metric) + ")"
}

// keyInfo names a scenario key; * stands for one segment, the name of a
// class, backend or client.
type keyInfo struct{ pattern, name, unit string }

var keys = []keyInfo{
	{"horizon", "simulated time", ""},
	{"warmup", "warm-up", ""},
	{"seed", "seed", ""},
	{"pool.queue_length", "queue length", "requests"},
	{"pool.max_processes", "worker processes", "processes"},
	{"pool.threads", "threads per worker", "threads"},
	{"pool.startup_time.mean", "mean start-up time", ""},
	{"pool.startup_time_limit", "startup time limit", ""},
	{"pool.shutdown_time_limit", "shutdown time limit", ""},
	{"pool.idle_timeout", "idle timeout", ""},
	{"pool.queue_timeout", "queue timeout", ""},
	{"pool.load_balancer", "load balancer", ""},
	{"pool.dispatch", "dispatch in the web garden", ""},
	{"pool.ping.enabled", "health pings", ""},
	{"pool.ping.interval", "ping interval", ""},
	{"pool.ping.response_time", "ping response time limit", ""},
	{"pool.ping.answered_while_hung", "pings answered while hung", ""},
	{"pool.rapid_fail.policy", "failure policy", ""},
	{"pool.rapid_fail.enabled", "rapid-fail protection", ""},
	{"pool.rapid_fail.max_crashes", "rapid-fail threshold", "failures"},
	{"pool.rapid_fail.interval", "rapid-fail interval", ""},
	{"pool.rapid_fail.window", "rapid-fail window", ""},
	{"pool.rapid_fail.restart_after", "restart after a rapid-fail stop", ""},
	{"pool.recycle.time", "recycle age", ""},
	{"pool.recycle.requests", "recycle after", "requests"},
	{"pool.recycle.private_memory", "private-memory recycle threshold", ""},
	{"pool.recycle.jitter", "recycle jitter", ""},
	{"pool.recycle.requests_jitter", "recycle request jitter", "requests"},
	{"pool.recycle.overlapping", "overlapped recycle", ""},
	{"pool.memory.base", "memory at start", ""},
	{"pool.memory.per_request", "memory leaked per request", ""},
	{"pool.memory.limit", "memory limit", ""},
	{"classes.*.service.mean", "mean service time", ""},
	{"classes.*.crash", "crash probability", "per request"},
	{"classes.*.hang", "hang probability", "per request"},
	{"backends.*.latency.mean", "mean backend latency", ""},
	{"backends.*.connections", "backend connections", "connections"},
	{"backends.*.timeout", "backend timeout", ""},
	{"backends.*.on_timeout", "on a backend timeout", ""},
	{"backends.*.cache.ttl", "cache lifetime", ""},
	{"clients.*.rate", "arrival rate", "requests/s"},
	{"clients.*.count", "polling clients", "clients"},
	{"clients.*.period", "polling period", ""},
	{"clients.*.timeout", "client timeout", ""},
	{"clients.*.mode", "polling mode", ""},
	{"lock.on_contention", "on lock contention", ""},
	{"retry.policy", "retry policy", ""},
	{"retry.max_attempts", "attempts", "attempts"},
	{"retry.delay", "retry delay", ""},
	{"retry.max_delay", "maximum retry delay", ""},
}

// lookupKey finds a key in the dictionary.
func lookupKey(key string) (keyInfo, bool) {
	parts := strings.Split(key, ".")
	for _, k := range keys {
		pat := strings.Split(k.pattern, ".")
		if len(pat) != len(parts) {
			continue
		}
		if matches(pat, parts) {
			return k, true
		}
	}
	return keyInfo{}, false
}

func matches(pat, parts []string) bool {
	for i := range pat {
		if pat[i] != "*" && pat[i] != parts[i] {
			return false
		}
	}
	return true
}

// KeyName returns a readable name of a scenario key
// ("pool.shutdown_time_limit" → "shutdown time limit",
// "clients.arrivals.rate" → "arrival rate"); "variant" stays; a key the
// dictionary lacks is returned as it is.
func KeyName(key string) string {
	if k, ok := lookupKey(key); ok {
		return k.name
	}
	return key
}

// KeyLabel returns an axis title for a scenario key: its name with the unit
// of a plain number ("arrival rate (requests/s)"). Durations and sizes
// carry their units in their tick labels and get none here.
func KeyLabel(key string) string {
	if k, ok := lookupKey(key); ok {
		if k.unit != "" {
			return k.name + " (" + k.unit + ")"
		}
		return k.name
	}
	return key
}
