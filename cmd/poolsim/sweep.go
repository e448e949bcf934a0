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
	journal.jsonl   every finished run, for --resume
	charts/         PNG and SVG charts

and prints the 503 and abandoned rates of every grid point. Results are the
same bytes whatever --parallel is. Ctrl-C stops cleanly: the runs in
progress finish, the finished ones are kept, and --resume completes the
sweep later.

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

// runSweep implements "poolsim sweep".
func runSweep(c *cli, args []string) int {
	f := newFlagSet("sweep", sweepUsage)
	var (
		dir             = f.String("o", "", "write the results into `DIR` (default out/NAME)")
		parallel        = f.Int("parallel", 0, "run `N` simulations at once (0: one per core)")
		precision       = f.Float64("precision", 0, "add replications until the confidence half-width of --metric is within\n`X` of its mean (such as 0.05) at every grid point")
		metric          = f.String("metric", "rate_503", "the `METRIC` that --precision applies to")
		maxReplications = f.Int("max-replications", 0, "with --precision, at most `N` replications per grid point\n(0: "+strconv.Itoa(experiments.DefaultMaxReplications)+")")
		quiet           = f.Bool("q", false, "print no progress on stderr")
		force           = f.Bool("force", false, "replace the results of an earlier sweep in the output directory")
		resume          = f.Bool("resume", false, "complete an interrupted sweep in the output directory: keep its\nfinished runs and run only the missing ones")
		shards          = f.Int("shards", 0, "split the runs into `N` shards and run only one (see --shard-index);\na shard writes its runs (results.csv, journal.jsonl) but no summary")
		shardFlag       optUint64
		writeReport     = f.Bool("report", false, "write DIR/report.html at the end: the page a design review reads (see \"poolsim help report\")")
	)
	f.Var(&shardFlag, "shard-index", "with --shards, run shard `I`, counted from 0 (default: $SLURM_ARRAY_TASK_ID,\nelse $JOB_COMPLETION_INDEX)")
	pos, status, stop := f.parse(c, args)
	if stop {
		return status
	}
	if len(pos) != 1 {
		return f.usageError(c, "want one experiment file or name, got %d arguments", len(pos))
	}
	if *force && *resume {
		return f.usageError(c, "--force and --resume exclude each other")
	}
	if *precision == 0 && isSet(f, "metric") {
		return f.usageError(c, "--metric goes with --precision")
	}
	if *maxReplications != 0 && *precision == 0 {
		return f.usageError(c, "--max-replications goes with --precision")
	}
	if *shards < 0 {
		return f.usageError(c, "--shards must not be negative")
	}
	shardIndex := -1
	if shardFlag.set {
		if shardFlag.v > math.MaxInt32 {
			return f.usageError(c, "--shard-index %d is too large", shardFlag.v)
		}
		shardIndex = int(shardFlag.v)
	}
	if *shards > 1 && shardIndex < 0 {
		idx, src, err := shardIndexFromEnv()
		if err != nil {
			return f.usageError(c, "%v", err)
		}
		if src == "" {
			return f.usageError(c, "--shards %d needs --shard-index (or $SLURM_ARRAY_TASK_ID or $JOB_COMPLETION_INDEX)", *shards)
		}
		shardIndex = idx
	}
	if *shards <= 1 && shardIndex >= 0 {
		return f.usageError(c, "--shard-index goes with --shards N (N > 1)")
	}

	arg := pos[0]
	in, err := readInput(arg, kindExperiment)
	if err != nil {
		return c.errorf("%v", err)
	}
	e, err := parseExperiment(in)
	if err != nil {
		c.printErrors(err)
		return exitFailure
	}
	if err := e.CheckBudget(); err != nil {
		return c.errorf("%v", err)
	}
	out := *dir
	if out == "" {
		out = filepath.Join("out", strings.TrimSuffix(filepath.Base(arg), ".toml"))
		if *shards > 1 {
			out = filepath.Join(out, fmt.Sprintf("shard-%d", shardIndex))
		}
	}
	if !*force && !*resume {
		if old := earlierSweep(out); old != "" {
			return c.errorf("%s holds an earlier sweep (%s): --force replaces it, --resume completes it", out, old)
		}
	}
	if *force {
		if err := removeSweep(out); err != nil {
			return c.errorf("%v", err)
		}
	}
	created := missingAncestor(out)

	opt := experiments.Options{
		Parallel:        *parallel,
		MaxReplications: *maxReplications,
		Resume:          *resume,
	}
	if *precision != 0 {
		opt.Precision, opt.Metric = *precision, *metric
	}
	if *shards > 1 {
		opt.Shards, opt.ShardIndex = *shards, shardIndex
	}
	if !*quiet {
		opt.Progress = c.stderr
	}

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
	res, err := experiments.RunTo(ctx, e, out, opt)
	close(finished)
	<-watched
	if err != nil {
		if ctx.Err() != nil {
			return c.errorf("interrupted: the finished runs are kept in %s; \"poolsim sweep %s -o %s --resume\" completes the sweep", out, arg, out)
		}
		if !*resume {
			discardFailedSweep(out, created)
		}
		return c.errorf("%v", err)
	}
	if opt.Shards > 1 {
		fmt.Fprintf(c.stdout, "shard %d of %d: runs written to %s\n", opt.ShardIndex, opt.Shards, filepath.Join(out, experiments.ResultsFile))
		return exitOK
	}
	if code := c.finishSweep(res, out); code != exitOK || !*writeReport {
		return code
	}
	return c.sweepReport(out)
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
	if removeSweep(dir) != nil || created == "" {
		return
	}
	os.Remove(filepath.Join(dir, "charts"))
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

// sweepFiles are the files a sweep writes, which --force removes first.
var sweepFiles = []string{
	experiments.ResultsFile, experiments.SummaryFile, experiments.CompareFile,
	experiments.PrecisionFile, experiments.ExperimentFile, experiments.ScenarioFile,
	experiments.JournalFile,
}

// earlierSweep returns the name of a file of an earlier sweep in dir, or "".
func earlierSweep(dir string) string {
	for _, name := range []string{experiments.ResultsFile, experiments.JournalFile, experiments.ExperimentFile} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return name
		}
	}
	return ""
}

// removeSweep removes the files of an earlier sweep from dir, and its
// charts; it leaves every other file alone.
func removeSweep(dir string) error {
	for _, name := range sweepFiles {
		if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	charts, _ := filepath.Glob(filepath.Join(dir, "charts", "*"))
	for _, name := range charts {
		if ext := filepath.Ext(name); ext == ".png" || ext == ".svg" {
			if err := os.Remove(name); err != nil {
				return err
			}
		}
	}
	return nil
}

// tablesIn lists the tables a sweep left in dir.
func tablesIn(dir string) []string {
	var out []string
	for _, name := range sweepFiles {
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
