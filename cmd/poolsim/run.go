package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

const runUsage = `poolsim run [FILE|NAME] [flags]

Simulates one scenario and prints what happened: the outcome of every
request with its HTTP status and HTTPERR reason, rates, availability and
outages, response times, worker events, the lines the supervisor would have
logged (WAS events for IIS, php-fpm's, gunicorn's or uWSGI's log, Kubernetes
events), and the values in effect that are poolsim's assumptions rather
than server settings ("Assumed"). Every rule is written down in
docs/model.md.

FILE is a scenario file (TOML); NAME is a scenario shipped with poolsim
("poolsim list" shows them). With neither, the default scenario runs: a
trend page polling a realtime database that is sometimes slow.

What a scenario can model (README.md, "The scenario file", has every key):

  queue        http.sys queue_length (503 QueueFull) and queue_timeout (Timer_ReqQueue)
  workers      max_processes x threads, start_mode = on_demand | all_at_once |
               always_running, dispatch = round_robin | least_busy,
               startup_time and its limit, idle_timeout
  faults       crash and hang probabilities per class, crash_signal = segv | kill
               (php-fpm's emergency restart counts only segv); a hung worker
               fails the ping (pool.ping) and is killed; a leak
               (memory.per_request) up to memory.limit crashes the worker
  recycling    time, requests, private_memory, schedule, jitter; overlapped or
               not; shutdown_time_limit kills and abandons what is still running
  backends     latency, connections, slow episodes, timeout, on_timeout =
               error (default) | crash | stale (cache.ttl) | wait
  lock         a system-wide lock (class lock = true), held by the first worker that
               needs it until it exits: on_contention = fail | wait | crash
  supervisor   pool.rapid_fail.policy = iis (stop the pool: 503 AppOffline) |
               emergency_restart (php-fpm) | backoff (CrashLoopBackOff)
  clients      poisson (rate, profile) and polling (count, period, mode, timeout),
               trace (file: replay a log's arrivals and paths, speedup),
               retry.policy = none | fixed | exponential
  exec limit   pool.execution_timeout, on_execution_timeout = abort (ASP.NET: 500)
               | kill_worker (php-fpm, uWSGI harakiri) | exit_worker (gunicorn
               timeout: the worker exits for exit_time before its replacement),
               checked exactly or every execution_timeout_check (php-fpm's heartbeat)
  memory       classes.X.allocate held while running; pool.bitness = 32 | 64 or
               memory.address_space, virtual_base, virtual_growth, fragmentation:
               an allocation that does not fit crashes the worker;
               pool.recycle.virtual_memory (WAS 5077)
  responses    classes.X.response_size sent at clients.X.bandwidth ("2Mbit/s"),
               holding the thread; pool.min_bytes_per_second (http.sys 240 B/s);
               pool.proxy_buffering = true (nginx's default, set by the php-fpm,
               gunicorn and uWSGI presets): the thread is freed at the service's
               end, the client's ok comes after the transfer
  sizes, rates allocate, response_size and bandwidth are a constant ("550MB",
               "2Mbit/s") or a distribution in their own unit, drawn per request:
               { dist = "lognormal", mean = "2MB", cv = 1.5 },
               { dist = "uniform", min = "512kbit/s", max = "8Mbit/s" }
  draining     pool.recycle.drain = requeue | refuse (ASP.NET Core in-process: 503);
               pool.reload = per_worker | pool_wide (php-fpm: all drain, then all
               start after reload_delay) | fork_first (gunicorn's HUP: new workers
               forked at once, the old drain); pool.shutdown_kill = at_limit |
               at_stop (gunicorn: graceful_timeout bounds only a stop) |
               next_wakeup (php-fpm's process_control_timeout = 0)
  threads      pool.thread_pool = { min, max, injection, retire }: CLR thread-pool
               growth instead of a fixed threads
  full queue   pool.on_queue_full = reject | syn_retry (a full TCP backlog drops
               SYNs, retried after 1, 2, 4 s ... until connect_timeout)
  operators    [events.NAME] at = "2h", action = config_change | recycle | stop | start
  servers      server = iis | php-fpm | gunicorn | uwsgi: the server's defaults, and
               the summary names outcomes as nginx in front reports them (502,
               504); the server's own settings, each defaulting as the server does:
               [php_fpm] pm = static | dynamic | ondemand, listen, max_children,
               start_servers, min_spare_servers, max_spare_servers,
               process_idle_timeout, max_requests, request_terminate_timeout,
               listen_backlog, emergency_restart_threshold,
               emergency_restart_interval, process_control_timeout;
               [gunicorn] bind, workers, threads, backlog, timeout,
               graceful_timeout, max_requests, max_requests_jitter;
               [uwsgi] socket, processes, threads, listen, harakiri,
               max_requests, reload_on_rss, and cheaper below
  cheaper      uWSGI's cheaper subsystem: uwsgi.cheaper (the fewest workers),
               cheaper_initial, cheaper_step, cheaper_algo = spare | backlog,
               cheaper_overload; the master checks once a second

The same scenario, flags and seed give byte-identical output.

Examples:

	poolsim run
	poolsim run trend-page --json
	poolsim run my.toml --set pool.recycle.time=60m --set clients.trendpage.count=80
	poolsim run my.toml --seed 7 --timeseries ts.csv --httperr httperr.log --plot charts
	poolsim run fitted.toml --accesslog u_ex.log   # a fitted scenario also prints simulated vs observed outcomes`

// runFlags are the flags of "poolsim run".
type runFlags struct {
	json        bool
	seed        optUint64
	sets        setFlag
	httperr     string
	accesslog   string
	timeseries  string
	interval    durationFlag
	trace       string
	plot        string
	maxEvents   float64
	replication uint64
}

func (r *runFlags) register(f *flagSet) {
	f.BoolVar(&r.json, "json", false, "print the metrics as one flat JSON object instead of the summary")
	f.Var(&r.seed, "seed", "random seed `N`, replacing the scenario's seed")
	f.Var(&r.sets, "set", "override a scenario value: `key=value` with a dotted key and a TOML value\n(a bare word is a string); repeat for several")
	f.StringVar(&r.httperr, "httperr", "", "write the run's HTTPERR log (IIS format; server = \"iis\" only) to `FILE`\n(- for standard output), the warm-up included")
	f.StringVar(&r.accesslog, "accesslog", "", "write the run's access log (IIS W3C extended format, with time-taken) to `FILE`\n(- for standard output), the warm-up included")
	f.StringVar(&r.timeseries, "timeseries", "", "write a CSV time series, one row per --interval, to `FILE` (- for standard output;\nwith any output on -, the summary goes to standard error)")
	r.interval = durationFlag(scenario.Duration(engine.Minute))
	f.Var(&r.interval, "interval", "width `D` of a time-series row (with --timeseries or --plot), in the scenario's\nduration syntax (\"30s\", \"5m\", \"1h\", \"1d\")")
	f.StringVar(&r.trace, "trace", "", "write an event-by-event log of the run to `FILE` (- for standard output;\nlarge: for debugging a scenario; cut at 1 GB)")
	f.StringVar(&r.plot, "plot", "", "draw the time series, the worker timeline and the memory panel as PNG and SVG into `DIR`,\nwith a one-run report, DIR/report.html")
	f.Var((*eventBudget)(&r.maxEvents), "max-events", "refuse a scenario whose expected number of events exceeds `N`\n(0: the default budget, "+strconv.FormatFloat(model.DefaultMaxEvents, 'g', -1, 64)+")")
	f.Uint64Var(&r.replication, "replication", 0, "replication `R`: selects the random streams, as replication R of a sweep")
}

// runContext returns the context a run executes under. Tests replace it.
var runContext = defaultSweepContext

// maxTraceBytes bounds the --trace file: past it the trace stops, with a
// last line saying so.
const maxTraceBytes = 1 << 30

// traceBytesPerEvent is about what one event costs in the trace, for the
// warning before a large one.
const traceBytesPerEvent = 60

// runRun implements "poolsim run".
func runRun(c *cli, args []string) int {
	f := newFlagSet("run", runUsage)
	var fl runFlags
	fl.register(f)
	pos, status, stop := f.parse(c, args)
	if stop {
		return status
	}
	if len(pos) > 1 {
		return f.usageError(c, "one scenario at a time (got %d); to compare scenarios, write an experiment and use \"poolsim sweep\"", len(pos))
	}
	if fl.interval <= 0 {
		return f.usageError(c, "--interval must be positive, not %v", scenario.Duration(fl.interval))
	}
	if err := model.CheckMaxEvents(fl.maxEvents); err != nil {
		return f.usageError(c, "--%v", err)
	}
	arg := catalog.Default
	if len(pos) == 1 {
		arg = pos[0]
	}
	if err := fl.checkPaths(arg); err != nil {
		return f.usageError(c, "%v", err)
	}
	sc, warnings, ok := c.loadScenario(arg, fl.sets.overrides...)
	if !ok {
		return exitFailure
	}
	if fl.httperr != "" && sc.Server != "" && sc.Server != "iis" {
		// docs/model.md#outputs: only http.sys writes an HTTPERR log.
		return f.usageError(c, "--httperr: server = %q runs behind nginx, not http.sys, and has no HTTPERR log; the summary's outcome table names what nginx answers and logs", sc.Server)
	}
	if fl.seed.set {
		sc.Seed = fl.seed.v
	}
	opt := model.Options{Replication: fl.replication, MaxEvents: fl.maxEvents}
	if fl.timeseries != "" || fl.plot != "" {
		opt.Interval = scenario.Duration(fl.interval).T()
	}
	var outs runOutputs
	defer outs.abort()
	if err := outs.open(c, &fl, sc, &opt); err != nil {
		return c.errorf("%v", err)
	}
	ctx, cancel := runContext()
	defer cancel()
	opt.Context = ctx
	res, err := model.Run(sc, opt)
	if err != nil {
		if errors.Is(err, model.ErrStopped) {
			return c.errorf("%s: interrupted: %v; no output file written", arg, err)
		}
		return c.errorf("%s: %v", arg, err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(c.stderr, "warning: %s\n", w)
	}
	if err := outs.commit(sc, res); err != nil {
		return c.errorf("%v", err)
	}
	return c.reportRun(arg, &fl, sc, res, opt.Interval, warnings)
}

// checkPaths refuses two outputs on one path, or an output on the
// scenario file.
func (r *runFlags) checkPaths(arg string) error {
	var paths []sameOutput
	if _, err := os.Stat(arg); err == nil {
		paths = append(paths, sameOutput{path: arg})
	}
	for _, o := range []struct{ flag, path string }{{"--httperr", r.httperr}, {"--accesslog", r.accesslog}, {"--trace", r.trace}, {"--timeseries", r.timeseries}} {
		if o.path != "" {
			paths = append(paths, sameOutput{flag: o.flag, path: o.path})
		}
	}
	return checkDistinct(paths)
}

// onStdout reports whether an output file is standard output ("-").
func (r *runFlags) onStdout() bool {
	for _, p := range []string{r.httperr, r.accesslog, r.trace, r.timeseries} {
		if p == "-" {
			return true
		}
	}
	return false
}

// durationFlag is a flag in the scenario's duration syntax
// (scenario.ParseDuration: units ns to d), with its error wording.
type durationFlag scenario.Duration

func (d *durationFlag) String() string { return scenario.Duration(*d).String() }

func (d *durationFlag) Set(s string) error {
	v, err := scenario.ParseDuration(s)
	if err != nil {
		return err
	}
	*d = durationFlag(v)
	return nil
}

// runOutputs are the files a run writes as it goes.
type runOutputs struct {
	all    []*output
	series *output
	csv    *model.SeriesCSV
	kept   bool // the series is held for --plot and written at the end
}

// open opens every output file before the run, so that a path that cannot
// be written fails at once; the time series streams into its file unless
// --plot needs its rows.
func (o *runOutputs) open(c *cli, fl *runFlags, sc *scenario.Scenario, opt *model.Options) error {
	add := func(flag, path string) (*output, error) {
		out, err := openOutput(flag, path, c.stdout)
		if err == nil {
			o.all = append(o.all, out)
		}
		return out, err
	}
	if fl.httperr != "" {
		out, err := add("--httperr", fl.httperr)
		if err != nil {
			return err
		}
		opt.HTTPErr = out
	}
	if fl.accesslog != "" {
		out, err := add("--accesslog", fl.accesslog)
		if err != nil {
			return err
		}
		opt.AccessLog = out
	}
	if fl.trace != "" {
		out, err := add("--trace", fl.trace)
		if err != nil {
			return err
		}
		if size := model.EstimateRun(sc, *opt).Events * traceBytesPerEvent; size > maxTraceBytes && model.CheckRun(sc, *opt) == nil {
			fmt.Fprintf(c.stderr, "warning: --trace: the trace would take about %.3g GB; it stops at %d GB\n", size/1e9, maxTraceBytes>>30)
		}
		opt.Trace = &limitWriter{w: out, left: maxTraceBytes}
	}
	if fl.timeseries != "" {
		out, err := add("--timeseries", fl.timeseries)
		if err != nil {
			return err
		}
		o.series, o.csv = out, model.NewSeriesCSV(out, sc)
		if o.kept = fl.plot != ""; !o.kept {
			opt.SeriesTo = o.csv.Write
		}
	}
	return nil
}

// commit writes what remains and moves the files into place.
func (o *runOutputs) commit(sc *scenario.Scenario, res *model.Result) error {
	if o.csv != nil {
		if o.kept {
			for _, r := range res.Series {
				if err := o.csv.Write(r); err != nil {
					return fmt.Errorf("cannot write %s: %w", o.series.name, err)
				}
			}
		}
		if err := o.csv.Flush(); err != nil {
			return fmt.Errorf("cannot write %s: %w", o.series.name, err)
		}
	}
	for _, out := range o.all {
		if err := out.commit(); err != nil {
			return err
		}
	}
	o.all = nil
	return nil
}

// abort discards the outputs not committed: no temporary file is left on
// any return, an interrupt included.
func (o *runOutputs) abort() {
	for _, out := range o.all {
		out.abort()
	}
}

// limitWriter passes at most left bytes on, then one line saying the rest
// was cut.
type limitWriter struct {
	w    io.Writer
	left int64
	cut  bool
}

func (l *limitWriter) Write(p []byte) (int, error) {
	if l.cut {
		return len(p), nil
	}
	if int64(len(p)) > l.left {
		l.cut = true
		_, err := fmt.Fprintf(l.w, "%s\n… trace cut at %d bytes (poolsim keeps a trace under %d GB)\n", p[:l.left], maxTraceBytes, maxTraceBytes>>30)
		return len(p), err
	}
	l.left -= int64(len(p))
	return l.w.Write(p)
}

// reportRun draws the charts and prints the run's summary (or JSON).
func (c *cli) reportRun(arg string, fl *runFlags, sc *scenario.Scenario, res *model.Result, interval engine.Time, warnings []string) int {
	var charts []string
	var err error
	if fl.plot != "" {
		if charts, err = drawRun(fl.plot, arg, fl, sc, res, interval, warnings); err != nil {
			return c.errorf("cannot draw charts into %s: %v", fl.plot, err)
		}
	}
	// With a log or series on standard output, the report goes to
	// standard error, so that "> file" or "| grep" gets the output alone.
	out := c.stdout
	if fl.onStdout() {
		out = c.stderr
	}
	if fl.json {
		for _, w := range warnings {
			fmt.Fprintf(c.stderr, "warning: %s\n", w)
		}
		for _, n := range res.Notes {
			fmt.Fprintf(c.stderr, "note: %s\n", n)
		}
		err = writeJSON(out, &res.Metrics)
	} else {
		err = writeSummary(out, sc, fl.replication, res, warnings)
		if err == nil {
			err = writeObservedCheck(out, sc, res)
		}
	}
	if err != nil {
		return c.errorf("%v", err)
	}
	for _, name := range charts {
		fmt.Fprintf(c.stderr, "wrote %s\n", name)
	}
	return exitOK
}

// loadScenario reads and decodes a scenario file or shipped name, printing
// every error on stderr. It returns the scenario's warnings (values that
// IIS would refuse but poolsim models).
func (c *cli) loadScenario(arg string, overrides ...scenario.Override) (*scenario.Scenario, []string, bool) {
	in, err := readInput(arg, kindScenario)
	if err != nil {
		c.errorf("%v", err)
		return nil, nil, false
	}
	data, err := checkTOML(in.name, in.data)
	if err != nil {
		c.printErrors(err)
		return nil, nil, false
	}
	if isExperiment(data) {
		c.errorf("%s is an experiment, not a scenario: run it with \"poolsim sweep %s\"", in.name, in.name)
		return nil, nil, false
	}
	sc, warnings, err := scenario.DecodeWarn(in.name, data, overrides...)
	if err != nil {
		c.printErrors(err)
		return nil, nil, false
	}
	return sc, warnings, true
}

// printErrors prints every error that err lists, one a line.
func (c *cli) printErrors(err error) {
	var list scenario.Errors
	if errors.As(err, &list) {
		for _, e := range list {
			fmt.Fprintln(c.stderr, e)
		}
		return
	}
	fmt.Fprintln(c.stderr, err)
}

// optUint64 is an unsigned flag that records whether it was given.
type optUint64 struct {
	v   uint64
	set bool
}

func (o *optUint64) String() string {
	if o == nil || !o.set {
		return ""
	}
	return strconv.FormatUint(o.v, 10)
}

func (o *optUint64) Set(s string) error {
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return errors.New("not an unsigned integer")
	}
	o.v, o.set = v, true
	return nil
}

// setFlag collects repeated --set key=value overrides.
type setFlag struct {
	raw       []string
	overrides []scenario.Override
}

func (s *setFlag) String() string { return "" }

func (s *setFlag) Set(v string) error {
	o, err := scenario.ParseSet(v)
	if err != nil {
		return err
	}
	s.raw = append(s.raw, v)
	s.overrides = append(s.overrides, o)
	return nil
}
