package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/model"
)

const sweepUsage = `poolsim sweep FILE|NAME [flags]

Runs an experiment: every variant at every point of the sweep axes, each
replicated with common random numbers, on all cores. Writes into the output
directory (-o, default out/NAME, NAME being the experiment's file name
without .toml):

	results.csv     one row per run: variant, sweep keys, replication, seed, metrics
	summary.csv     one row per grid point: n, <metric>_mean, <metric>_ci
	compare.csv     each variant against the baseline: paired differences
	precision.csv   with --precision: the replications each point needed
	experiment.toml and scenario.toml: the files as run, with the version
	scenario-effective.toml  every value in effect, defaults and assumptions included
	journal.jsonl   every finished run, for --resume
	charts/         PNG and SVG charts
	report.html     with --report: the page a design review reads

and prints the 503 and abandoned rates of every grid point. Results are the
same bytes whatever --parallel is. Ctrl-C stops cleanly: the runs in
progress finish, the finished ones are kept, and --resume completes the
sweep later.

The output directory is locked while the sweep runs; poolsim never writes
through a symbolic link in it, and refuses a directory holding an earlier
sweep's files unless --force (which replaces them once the new sweep is
complete) or --resume is given. A sweep has at most 10,000,000 runs, and
every run is held to the event budget (--max-events).

FILE is an experiment file (TOML); NAME an experiment shipped with poolsim
("poolsim list" shows them).

Examples:

	poolsim sweep recycle-strategies
	poolsim sweep my-experiment.toml -o out/mine --parallel 2
	poolsim sweep recycle-strategies --precision 0.05 --metric rate_503
	poolsim sweep my-experiment.toml --shards 8 --shard-index 3 -o out/mine/shard-3
	poolsim merge -o out/mine out/mine/shard-*     # once every shard has run`

// sweepContext returns the context a sweep runs under. Tests replace it.
var sweepContext = defaultSweepContext

// defaultSweepContext is cancelled by SIGINT (Ctrl-C) or SIGTERM; its
// cancel function restores the signals' default action.
func defaultSweepContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

// sweepFlags are the flags of "poolsim sweep".
type sweepFlags struct {
	dir             string
	parallel        int
	precision       float64
	metric          string
	maxReplications int
	maxEvents       float64
	quiet           bool
	force, resume   bool
	shards          int
	shardFlag       optUint64
	report          bool
}

func (s *sweepFlags) register(f *flagSet) {
	f.StringVar(&s.dir, "o", "", "write the results into `DIR` (default out/NAME)")
	f.IntVar(&s.parallel, "parallel", 0, "run `N` simulations at once (0: one per core; at most "+strconv.Itoa(experiments.MaxParallel)+")")
	f.Float64Var(&s.precision, "precision", 0, "add replications until the confidence half-width of --metric is within\n`X` of its mean (such as 0.05) at every grid point")
	f.StringVar(&s.metric, "metric", "rate_503", "the `METRIC` that --precision applies to")
	f.IntVar(&s.maxReplications, "max-replications", 0, "with --precision, at most `N` replications per grid point\n(0: "+strconv.Itoa(experiments.DefaultMaxReplications)+")")
	f.Var((*eventBudget)(&s.maxEvents), "max-events", "refuse a grid point whose runs are expected to take more than `N` events,\nand stop a run that takes more (0: the default budget, "+strconv.FormatFloat(model.DefaultMaxEvents, 'g', -1, 64)+")")
	f.BoolVar(&s.quiet, "q", false, "print no progress on stderr")
	f.BoolVar(&s.force, "force", false, "replace the results of an earlier sweep in the output directory\n(once the new ones are complete)")
	f.BoolVar(&s.resume, "resume", false, "complete an interrupted sweep in the output directory: keep its\nfinished runs and run only the missing ones")
	f.IntVar(&s.shards, "shards", 0, "split the runs into `N` shards and run only one (see --shard-index);\na shard writes its runs (results.csv, journal.jsonl) but no summary")
	f.Var(&s.shardFlag, "shard-index", "with --shards, run shard `I`, counted from 0 (default: $SLURM_ARRAY_TASK_ID,\nelse $JOB_COMPLETION_INDEX)")
	f.BoolVar(&s.report, "report", false, "write DIR/report.html at the end: the page a design review reads (see \"poolsim help report\")")
}

// options checks the flags that do not depend on the experiment, and
// returns the options they give; a mistake is a usage error (exit 2).
func (s *sweepFlags) options(c *cli, f *flagSet) (experiments.Options, int, bool) {
	fail := func(format string, a ...any) (experiments.Options, int, bool) {
		return experiments.Options{}, f.usageError(c, format, a...), false
	}
	switch {
	case s.force && s.resume:
		return fail("--force and --resume exclude each other")
	case s.precision == 0 && isSet(f, "metric"):
		return fail("--metric goes with --precision")
	case s.maxReplications != 0 && s.precision == 0:
		return fail("--max-replications goes with --precision")
	case s.precision < 0 || math.IsNaN(s.precision) || math.IsInf(s.precision, 0):
		return fail("--precision %v: want a relative half-width such as 0.05", s.precision)
	case s.maxReplications < 0:
		return fail("--max-replications must not be negative")
	case s.shards < 0:
		return fail("--shards must not be negative")
	}
	if err := experiments.CheckParallel(s.parallel); err != nil {
		return fail("--%v", err)
	}
	if err := model.CheckMaxEvents(s.maxEvents); err != nil {
		return fail("--%v", err)
	}
	opt := experiments.Options{Parallel: s.parallel, MaxReplications: s.maxReplications, MaxEvents: s.maxEvents, Resume: s.resume}
	if s.precision != 0 {
		opt.Precision, opt.Metric = s.precision, s.metric
	}
	if !s.quiet {
		opt.Progress = c.stderr
	}
	idx, status, ok := s.shardIndex(c, f)
	if !ok {
		return opt, status, false
	}
	if s.shards > 1 {
		opt.Shards, opt.ShardIndex = s.shards, idx
	}
	return opt, exitOK, true
}

// shardIndex returns the shard to run: --shard-index, else the batch
// scheduler's variable.
func (s *sweepFlags) shardIndex(c *cli, f *flagSet) (int, int, bool) {
	idx := -1
	if s.shardFlag.set {
		if s.shardFlag.v > math.MaxInt32 {
			return 0, f.usageError(c, "--shard-index %d is too large", s.shardFlag.v), false
		}
		idx = int(s.shardFlag.v)
	}
	if s.shards > 1 && idx < 0 {
		v, src, err := shardIndexFromEnv()
		if err != nil {
			return 0, f.usageError(c, "%v", err), false
		}
		if src == "" {
			return 0, f.usageError(c, "--shards %d needs --shard-index (or $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)", s.shards), false
		}
		idx = v
	}
	if s.shards <= 1 && idx >= 0 {
		return 0, f.usageError(c, "--shard-index goes with --shards N (N > 1)"), false
	}
	return idx, exitOK, true
}

// runSweep implements "poolsim sweep".
func runSweep(c *cli, args []string) int {
	f := newFlagSet("sweep", sweepUsage)
	var fl sweepFlags
	fl.register(f)
	arg, status, ok := f.parseOne(c, args, "experiment file or name")
	if !ok {
		return status
	}
	opt, status, ok := fl.options(c, f)
	if !ok {
		return status
	}
	in, err := readInput(arg, kindExperiment)
	if err != nil {
		return c.errorf("%v", err)
	}
	e, err := parseExperiment(in)
	if err != nil {
		c.printErrors(err)
		return exitFailure
	}
	if err := e.CheckRuns(opt); err != nil {
		return c.errorf("%v", err)
	}
	out := fl.dir
	if out == "" {
		out = defaultOutput(arg, opt)
	}
	return c.sweepInto(e, arg, out, opt, fl.force, fl.report)
}

// defaultOutput is the output directory of a sweep without -o: out/NAME,
// NAME being the file's name without .toml, and shard-I in it for a shard.
func defaultOutput(arg string, opt experiments.Options) string {
	base := filepath.Base(arg)
	name := strings.TrimSuffix(base, ".toml")
	if name == "" || name == "." || name == ".." {
		name = strings.TrimSuffix(base, "toml") // "...toml": out/...
		if name == "" || name == "." || name == ".." {
			name = "experiment"
		}
	}
	out := filepath.Join("out", name)
	if opt.Shards > 1 {
		out = filepath.Join(out, fmt.Sprintf("shard-%d", opt.ShardIndex))
	}
	return out
}

// sweepInto runs the sweep into out, holding the directory's lock: it
// refuses to mix with an earlier sweep unless resuming or forcing, and a
// forced sweep replaces the earlier one only once its files are complete.
func (c *cli) sweepInto(e *experiments.Experiment, arg, out string, opt experiments.Options, force, report bool) int {
	created := missingAncestor(out)
	lock, err := experiments.ClaimOutputDir(out)
	if err != nil {
		return c.errorf("%v", err)
	}
	defer lock.Unlock()
	old := experiments.EarlierSweep(out)
	switch {
	case opt.Resume:
		if _, err := experiments.ReadJournal(out); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				if old == "" {
					discardFailedSweep(out, created) // the directory made for nothing
				}
				return c.errorf("%s has no %s: there is nothing to resume (run the sweep without --resume)", out, experiments.JournalFile)
			}
			return c.errorf("cannot resume: %v", err)
		}
	case old != "" && !force:
		if _, err := experiments.ReadJournal(out); err != nil {
			return c.errorf("%s holds an earlier sweep (%s) that cannot be resumed: --force replaces it", out, old)
		}
		return c.errorf("%s holds an earlier sweep (%s): --force replaces it, --resume completes it", out, old)
	}
	target := out
	if force && old != "" {
		if target, err = os.MkdirTemp(out, ".poolsim-new-"); err != nil {
			return c.errorf("%v", err)
		}
		defer os.RemoveAll(target)
	}
	res, interrupted, err := c.runSweepTo(e, target, opt)
	if target != out && (err == nil || interrupted) {
		if rerr := experiments.ReplaceSweep(target, out); rerr != nil {
			return c.errorf("cannot replace the earlier sweep in %s: %v", out, rerr)
		}
	}
	switch {
	case interrupted:
		return c.errorf("interrupted: the finished runs are kept in %s; \"poolsim sweep %s -o %s --resume\" completes the sweep", out, arg, out)
	case err != nil:
		if !opt.Resume && target == out {
			discardFailedSweep(out, created)
		}
		return c.errorf("%v", err)
	case opt.Shards > 1:
		fmt.Fprintf(c.stdout, "shard %d of %d: runs written to %s\n", opt.ShardIndex, opt.Shards, filepath.Join(out, experiments.ResultsFile))
		return exitOK
	}
	status := c.finishSweep(res, out)
	if missed := res.PrecisionMissed(); len(missed) > 0 {
		fmt.Fprintf(c.stderr, "poolsim: the precision target %g of %s was not met at %d of %d grid points (such as %s) within %d replications: see %s; raise --max-replications\n",
			opt.Precision, opt.Metric, len(missed), len(res.Summary), missed[0], res.MaxReplications, filepath.Join(out, experiments.PrecisionFile))
		status = exitFailure
	}
	if report {
		// The report is written even when the precision target was missed:
		// it carries that warning to the review.
		if code := c.sweepReport(out); code != exitOK {
			return code
		}
	}
	return status
}

// runSweepTo runs the sweep into dir under the sweep context: the first
// interrupt lets the runs in progress finish, the second ends the process.
func (c *cli) runSweepTo(e *experiments.Experiment, dir string, opt experiments.Options) (*experiments.Results, bool, error) {
	ctx, cancel := sweepContext()
	defer cancel()
	finished, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-ctx.Done():
			fmt.Fprintln(c.stderr, "poolsim sweep: stopping once the runs in progress finish (interrupt again to quit at once)")
			// Restores the default action: a second Ctrl-C ends the process.
			cancel()
		case <-finished:
		}
	}()
	res, err := experiments.RunTo(ctx, e, dir, opt)
	close(finished)
	<-watched
	return res, err != nil && ctx.Err() != nil, err
}

// finishSweep prints the summary of a finished sweep (or merge) in out and
// draws its charts.
func (c *cli) finishSweep(res *experiments.Results, out string) int {
	printSweep(c, res)
	files, err := drawSweep(out, res)
	fmt.Fprintf(c.stdout, "\nresults in %s: %s", out, strings.Join(tablesIn(out), ", "))
	if len(files) > 0 {
		fmt.Fprintf(c.stdout, ", charts/ (%d charts)", len(files)/2)
	}
	fmt.Fprintln(c.stdout)
	if err != nil {
		return c.errorf("charts: %v", err)
	}
	return exitOK
}

// missingAncestor returns the outermost of dir and its parents that does
// not exist yet (dir itself when only dir is missing), or "" when dir
// exists: what writing into dir creates.
func missingAncestor(dir string) string {
	missing := ""
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if _, err := os.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
			return missing
		}
		missing = d
		if filepath.Dir(d) == d {
			return missing
		}
	}
}

// discardFailedSweep removes what a sweep that failed before finishing any
// run wrote into dir (nothing there can be resumed), and the directories
// it created for it (created, from missingAncestor) when they are left
// empty. A sweep with finished runs is kept: its journal lets --resume
// complete it once the cause is fixed.
func discardFailedSweep(dir, created string) {
	if j, err := experiments.ReadJournal(dir); err == nil && len(j.Runs) > 0 {
		return
	}
	if experiments.RemoveSweep(dir) != nil || created == "" {
		return
	}
	os.Remove(filepath.Join(dir, experiments.ChartsDir))
	os.Remove(filepath.Join(dir, experiments.LockFile))
	for d := filepath.Clean(dir); ; d = filepath.Dir(d) {
		if os.Remove(d) != nil || d == created || filepath.Dir(d) == d {
			return
		}
	}
}

// isSet reports whether the flag was given on the command line.
func isSet(f *flagSet, name string) bool {
	set := false
	f.Visit(func(fl *flag.Flag) {
		if fl.Name == name {
			set = true
		}
	})
	return set
}

// shardIndexFromEnv reads the shard index that a batch scheduler passes:
// Slurm job arrays, then Kubernetes indexed jobs. src is the variable used,
// "" when none is set.
func shardIndexFromEnv() (idx int, src string, err error) {
	for _, name := range []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"} {
		v := os.Getenv(name)
		if v == "" {
			continue
		}
		idx, err := strconv.Atoi(v)
		if err != nil || idx < 0 {
			return 0, name, fmt.Errorf("$%s = %q is not a shard index", name, v)
		}
		return idx, name, nil
	}
	return 0, "", nil
}

// tablesIn lists the tables a sweep left in dir.
func tablesIn(dir string) []string {
	var out []string
	for _, name := range experiments.OutputFiles {
		if strings.HasSuffix(name, ".csv") {
			if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
				out = append(out, name)
			}
		}
	}
	return out
}

// maxPrinted bounds the grid points printed after a sweep.
const maxPrinted = 60

// printSweep prints the 503 and abandoned rates of every grid point (the
// first maxPrinted), indented.
func printSweep(c *cli, res *experiments.Results) {
	e := res.Experiment
	fmt.Fprintf(c.stdout, "%s\n", e.Name)
	fmt.Fprintf(c.stdout, "  %d grid points, confidence %g; mean ± half-width of the interval\n\n", len(res.Summary), e.Confidence)
	shown := *res
	shown.Summary = res.Summary[:min(len(res.Summary), maxPrinted)]
	var b bytes.Buffer
	if err := shown.Table(&b, "rate_503", "rate_abandoned"); err != nil {
		fmt.Fprintf(c.stdout, "  %v\n", err)
		return
	}
	for line := range strings.Lines(b.String()) {
		fmt.Fprintf(c.stdout, "  %s", line)
	}
	if len(res.Summary) > maxPrinted {
		fmt.Fprintf(c.stdout, "  … %d more in summary.csv\n", len(res.Summary)-maxPrinted)
	}
}
