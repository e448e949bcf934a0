package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/experiments/catalog"
	"github.com/poolsim/poolsim/model"
)

const runUsage = `poolsim run [FILE|NAME] [flags]

Simulates one scenario and prints what happened: the outcome of every
request with its HTTP status and HTTPERR reason, rates, response times,
worker events and the WAS events the run would have logged.

FILE is a scenario file (TOML); NAME is a scenario shipped with poolsim
("poolsim list" shows them). With neither, the default scenario runs: a
trend page polling a realtime database that is sometimes slow.

What a scenario can model (README.md, "The scenario file", has every key):

  queue        http.sys queue_length (503 QueueFull) and queue_timeout (Timer_ReqQueue)
  workers      max_processes x threads, startup_time and its limit, idle_timeout
  faults       crash and hang probabilities per class; a hung worker fails the
               ping (pool.ping) and is killed; a leak (memory.per_request) up to
               memory.limit crashes the worker
  recycling    time, requests, private_memory, schedule, jitter; overlapped or
               not; shutdown_time_limit kills and abandons what is still running
  backends     latency, connections, slow episodes, timeout, on_timeout =
               crash | error | stale (cache.ttl) | wait
  lock         a system-wide lock (class lock = true): on_contention = fail | wait | crash
  supervisor   pool.rapid_fail.policy = iis (stop the pool: 503 AppOffline) |
               emergency_restart (php-fpm) | backoff (CrashLoopBackOff)
  clients      poisson (rate, profile) and polling (count, period, mode, timeout),
               retry.policy = none | fixed | exponential

The same scenario, flags and seed give byte-identical output.

Examples:

	poolsim run
	poolsim run trend-page --json
	poolsim run my.toml --set pool.recycle.time=60m --set clients.trendpage.count=80
	poolsim run my.toml --seed 7 --timeseries ts.csv --httperr httperr.log --plot charts`

// runFlags are the flags of "poolsim run".
type runFlags struct {
	json        bool
	seed        optUint64
	sets        setFlag
	httperr     string
	timeseries  string
	interval    time.Duration
	trace       string
	plot        string
	maxEvents   float64
	replication uint64
}

func (r *runFlags) register(f *flagSet) {
	f.BoolVar(&r.json, "json", false, "print the metrics as one flat JSON object instead of the summary")
	f.Var(&r.seed, "seed", "random seed `N`, replacing the scenario's seed")
	f.Var(&r.sets, "set", "override a scenario value: `key=value` with a dotted key and a TOML value\n(a bare word is a string); repeat for several")
	f.StringVar(&r.httperr, "httperr", "", "write the run's HTTPERR log (IIS format) to `FILE`")
	f.StringVar(&r.timeseries, "timeseries", "", "write a CSV time series, one row per --interval, to `FILE`")
	f.DurationVar(&r.interval, "interval", time.Minute, "width of a time-series row (with --timeseries or --plot)")
	f.StringVar(&r.trace, "trace", "", "write an event-by-event log of the run to `FILE` (large: for debugging a scenario)")
	f.StringVar(&r.plot, "plot", "", "draw the time series and the worker timeline as PNG and SVG into `DIR`")
	f.Float64Var(&r.maxEvents, "max-events", 0, "refuse a scenario whose expected number of events exceeds `N`\n(0: the default budget, "+strconv.FormatFloat(model.DefaultMaxEvents, 'g', -1, 64)+")")
	f.Uint64Var(&r.replication, "replication", 0, "replication `R`: selects the random streams, as replication R of a sweep")
}

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
		return f.usageError(c, "--interval must be positive, not %v", fl.interval)
	}
	if fl.maxEvents < 0 {
		return f.usageError(c, "--max-events must not be negative")
	}
	arg := catalog.Default
	if len(pos) == 1 {
		arg = pos[0]
	}

	sc, warnings, ok := c.loadScenario(arg, fl.sets.overrides...)
	if !ok {
		return exitFailure
	}
	if fl.seed.set {
		sc.Seed = fl.seed.v
	}

	opt := model.Options{Replication: fl.replication, MaxEvents: fl.maxEvents}
	if fl.timeseries != "" || fl.plot != "" {
		opt.Interval = engine.FromDuration(fl.interval)
	}
	var outs []*atomicFile
	defer func() {
		for _, o := range outs {
			o.abort()
		}
	}()
	open := func(path string) (io.Writer, error) {
		a, err := createAtomic(path)
		if err != nil {
			return nil, err
		}
		outs = append(outs, a)
		return a, nil
	}
	var err error
	if fl.httperr != "" {
		if opt.HTTPErr, err = open(fl.httperr); err != nil {
			return c.errorf("%v", err)
		}
	}
	if fl.trace != "" {
		if opt.Trace, err = open(fl.trace); err != nil {
			return c.errorf("%v", err)
		}
	}
	var ts *atomicFile
	if fl.timeseries != "" {
		if ts, err = createAtomic(fl.timeseries); err != nil {
			return c.errorf("%v", err)
		}
		outs = append(outs, ts)
	}

	res, err := model.Run(sc, opt)
	if err != nil {
		return c.errorf("%s: %v", arg, err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(c.stderr, "warning: %s\n", w)
	}
	if ts != nil {
		if err := writeTimeSeries(ts, sc, res); err != nil {
			return c.errorf("cannot write %s: %v", fl.timeseries, err)
		}
	}
	for _, o := range outs {
		if err := o.commit(); err != nil {
			return c.errorf("%v", err)
		}
	}
	outs = nil
	var charts []string
	if fl.plot != "" {
		if charts, err = drawRun(fl.plot, sc, res, opt.Interval); err != nil {
			return c.errorf("cannot draw charts into %s: %v", fl.plot, err)
		}
	}

	if fl.json {
		for _, w := range warnings {
			fmt.Fprintf(c.stderr, "warning: %s\n", w)
		}
		err = writeJSON(c.stdout, &res.Metrics)
	} else {
		err = writeSummary(c.stdout, sc, fl.replication, res, warnings)
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
func (c *cli) loadScenario(arg string, overrides ...model.Override) (*model.Scenario, []string, bool) {
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
	sc, warnings, err := model.DecodeWarn(in.name, data, overrides...)
	if err != nil {
		c.printErrors(err)
		return nil, nil, false
	}
	return sc, warnings, true
}

// printErrors prints every error that err lists, one a line.
func (c *cli) printErrors(err error) {
	var list model.Errors
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
	overrides []model.Override
}

func (s *setFlag) String() string { return "" }

func (s *setFlag) Set(v string) error {
	o, err := model.ParseSet(v)
	if err != nil {
		return err
	}
	s.raw = append(s.raw, v)
	s.overrides = append(s.overrides, o)
	return nil
}
