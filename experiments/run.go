package experiments

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"

	"github.com/poolsim/poolsim/model"
)

// DefaultVersion is the poolsim version an Experiment records when its
// Version is not set.
const DefaultVersion = "dev"

// DefaultMaxReplications bounds a sequential-precision sweep's replications
// per grid point when Options.MaxReplications is 0.
const DefaultMaxReplications = 200

// Options control how an experiment runs. None of them changes a run's
// numbers: results are the same bytes whatever Parallel is, whether the
// sweep was sharded, resumed, or interrupted and resumed.
type Options struct {
	// Parallel is the number of runs executed at once; 0: runtime.NumCPU().
	Parallel int
	// Progress receives progress lines while the sweep runs; nil: silent.
	Progress io.Writer
	// Precision > 0 runs replications until the confidence half-width of
	// Metric, relative to its mean, is at most Precision at every grid point
	// (or MaxReplications is reached): e.Replications first, then more in
	// rounds.
	Precision float64
	Metric    string
	// MaxReplications caps sequential precision; 0: DefaultMaxReplications.
	MaxReplications int
	// Shards > 1 runs only shard ShardIndex (0-based) of the runs: a
	// contiguous block of run indices. A shard writes results.csv and its
	// journal but no summary; merging the shards gives the whole sweep.
	Shards, ShardIndex int
	// MaxEvents is the event budget of each run (model.Options.MaxEvents);
	// 0: model.DefaultMaxEvents.
	MaxEvents float64
	// Resume (RunTo only) keeps the runs already in the output directory's
	// journal and runs only the missing ones; with no journal it starts
	// afresh, unless the directory holds another sweep's files.
	Resume bool
}

// Run runs every replication of every grid point and returns the results
// with every row in memory. On cancellation of ctx it stops starting runs,
// lets the runs in progress finish, and returns the rows finished so far
// (without tables) with ctx's error.
func (e *Experiment) Run(ctx context.Context, opt Options) (*Results, error) {
	x, err := newExecution(e, opt)
	if err != nil {
		return nil, err
	}
	x.keepRows = true
	err = x.execute(ctx)
	return x.results(err == nil), err
}

// RunTo runs the experiment into dir: results.csv grows row by row in
// run-index order as runs finish, journal.jsonl records every finished run
// durably, and at the end summary.csv, compare.csv (and precision.csv) are
// written. The returned Results hold the tables but not the rows (they are
// on disk, so memory does not grow with the number of runs).
//
// On cancellation of ctx, RunTo lets the runs in progress finish, writes
// every finished row to results.csv (in run order, with gaps where runs did
// not finish) and to the journal, and returns ctx's error; with
// Options.Resume a later call completes the sweep, and its files are the
// same bytes as an uninterrupted sweep's.
func RunTo(ctx context.Context, e *Experiment, dir string, opt Options) (*Results, error) {
	x, err := newExecution(e, opt)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	appending := false
	if opt.Resume {
		j, err := ReadJournal(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// Nothing to resume: start afresh, but never over the files of
			// another sweep that left no journal.
			if old := EarlierSweep(dir); old != "" {
				return nil, fmt.Errorf("%s holds %s but no %s: nothing to resume, and the files are not this sweep's to replace", dir, old, JournalFile)
			}
		case err != nil:
			return nil, err
		case j.Fingerprint != e.Fingerprint():
			return nil, fmt.Errorf("%s: cannot resume: %w", filepath.Join(dir, JournalFile), errJournalMismatch)
		default:
			x.done = make(map[int][]float64, len(j.Runs))
			for _, r := range j.Runs {
				x.done[r.Run] = r.Values
			}
			appending = true
		}
	}
	return x.runTo(ctx, dir, appending, false)
}

// Merge writes into dir the sweep that the shards in shardDirs (each the
// output directory of RunTo with Options.Shards) ran together: the same
// results.csv, summary.csv, compare.csv and inputs as one unsharded sweep,
// and a journal holding every run. It checks that every shard belongs to e
// (the same fingerprint) and that together they hold every run.
func Merge(e *Experiment, dir string, shardDirs ...string) (*Results, error) {
	x, err := newExecution(e, Options{Parallel: 1})
	if err != nil {
		return nil, err
	}
	if x.done, err = e.shardRuns(shardDirs); err != nil {
		return nil, fmt.Errorf("cannot merge: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return x.runTo(context.Background(), dir, false, true)
}

// runTo runs x into dir (see RunTo); the journal is appended to, or created
// afresh, holding the runs already done when journalDone is set (a merge).
func (x *execution) runTo(ctx context.Context, dir string, appending, journalDone bool) (*Results, error) {
	e := x.e
	if err := CheckOutputDir(dir); err != nil {
		return nil, err
	}
	if err := e.writeInputs(dir, x.opt.Precision, x.opt.Metric, x.opt.MaxReplications); err != nil {
		return nil, err
	}
	jw, err := createJournal(filepath.Join(dir, JournalFile), x.journalHeader(), appending)
	if err != nil {
		return nil, err
	}
	defer jw.close()
	if journalDone {
		if err := x.journalDone(jw); err != nil {
			return nil, err
		}
	}
	f, err := createNoFollow(filepath.Join(dir, ResultsFile))
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	rw := newRowWriter(bw, e)
	x.onFinished = jw.append
	x.onRow = rw.write
	x.onBatch = func() error {
		if err := rw.flush(); err != nil {
			return err
		}
		return bw.Flush()
	}
	runErr := x.execute(ctx)
	err = x.onBatch()
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if runErr != nil {
		return x.results(false), runErr
	}
	if err != nil {
		return nil, err
	}
	res := x.results(true)
	if err := res.writeTables(dir); err != nil {
		return nil, err
	}
	return res, nil
}

// journalDone writes the runs already done to the journal in run order, a
// few thousand at a time.
func (x *execution) journalDone(jw *journalWriter) error {
	total := x.points * x.e.Replications
	batch := make([]Row, 0, 4096)
	for i := range total {
		if values, ok := x.done[i]; ok {
			batch = append(batch, x.row(i, values))
		}
		if len(batch) == cap(batch) || i == total-1 {
			if err := jw.append(batch); err != nil {
				return err
			}
			batch = batch[:0]
		}
	}
	return nil
}

// execution is one sweep in progress. Runs are numbered
// run = replication × P + point (P grid points), started in increasing
// order, and consumed (aggregated, written to results.csv) strictly in that
// order whatever order they finish in, through a bounded reorder window.
type execution struct {
	e       *Experiment
	opt     Options
	workers int
	window  int
	points  int
	metrics int

	accs  []*acc      // per grid point
	cmps  []cmp       // per non-baseline grid point
	block [][]float64 // values of the replication being consumed, per point
	cur   int         // that replication
	// active marks the grid points that still take replications: all but
	// those that met the precision target.
	active []bool

	keepRows bool
	rows     []Row

	// done holds runs already finished (resumed from a journal).
	done map[int][]float64

	onFinished func([]Row) error // runs as they finish, for the journal
	onRow      func(Row) error   // every run in run order
	onBatch    func() error      // after each batch of onRow calls

	prog *progress
}

// cmp pairs a grid point with the baseline's point at the same sweep values.
type cmp struct {
	point, base int
	acc         *acc
}

func newExecution(e *Experiment, opt Options) (*execution, error) {
	if err := checkParallel(opt.Parallel); err != nil {
		return nil, err
	}
	if err := e.checkRunCount(opt); err != nil {
		return nil, err
	}
	if opt.Parallel == 0 {
		opt.Parallel = runtime.NumCPU()
	}
	if opt.Shards < 0 || opt.Shards > 1 && (opt.ShardIndex < 0 || opt.ShardIndex >= opt.Shards) {
		return nil, fmt.Errorf("shard %d of %d: want 0 <= index < shards", opt.ShardIndex, opt.Shards)
	}
	if opt.Shards <= 1 {
		opt.Shards, opt.ShardIndex = 1, 0
	}
	if opt.Precision < 0 || math.IsNaN(opt.Precision) {
		return nil, fmt.Errorf("precision = %v: want a positive relative half-width such as 0.05", opt.Precision)
	}
	if opt.Precision > 0 {
		if _, ok := metricIndex(opt.Metric); !ok {
			return nil, fmt.Errorf("precision needs a metric: %q is not one (such as rate_503)", opt.Metric)
		}
		if opt.Shards > 1 {
			return nil, errors.New("sequential precision decides replications from all the results: it cannot run in shards")
		}
		if opt.MaxReplications == 0 {
			opt.MaxReplications = DefaultMaxReplications
		}
		if opt.MaxReplications < e.Replications {
			return nil, fmt.Errorf("max replications %d is fewer than the experiment's %d", opt.MaxReplications, e.Replications)
		}
		if e.Replications < 2 {
			return nil, errors.New("sequential precision needs at least 2 initial replications to estimate a confidence interval")
		}
	}
	x := &execution{
		e:       e,
		opt:     opt,
		workers: opt.Parallel,
		window:  max(64, 8*opt.Parallel),
		points:  len(e.points),
		metrics: len(model.MetricNames()),
		cur:     -1,
	}
	x.accs = make([]*acc, x.points)
	for p := range x.accs {
		x.accs[p] = newAcc(x.metrics)
	}
	x.active = make([]bool, x.points)
	for p := range x.active {
		x.active[p] = true
	}
	x.block = make([][]float64, x.points)
	if e.Baseline != "" {
		perVariant := x.points / len(e.Variants)
		var bi int
		for i, v := range e.Variants {
			if v.Name == e.Baseline {
				bi = i
			}
		}
		for p := range x.points {
			if e.points[p].Variant == e.Baseline {
				continue
			}
			x.cmps = append(x.cmps, cmp{point: p, base: bi*perVariant + p%perVariant, acc: newAcc(x.metrics)})
		}
	}
	return x, nil
}

func (x *execution) journalHeader() Journal {
	return Journal{
		Experiment:  x.e.Name,
		Fingerprint: x.e.Fingerprint(),
		Points:      x.points,
		Seed:        x.e.Seed,
		Metrics:     model.MetricNames(),
		Shards:      x.opt.Shards,
		ShardIndex:  x.opt.ShardIndex,
	}
}

// execute runs the sweep: one round of e.Replications, then, for
// sequential precision, further rounds for the grid points that have not
// met the target.
func (x *execution) execute(ctx context.Context) error {
	x.prog = newProgress(x.opt.Progress)
	defer x.prog.finish()
	total := x.points * x.e.Replications
	runs := block(shardRange(total, x.opt.Shards, x.opt.ShardIndex))
	target := x.e.Replications
	for {
		if err := x.round(ctx, runs); err != nil {
			return err
		}
		if x.opt.Precision == 0 {
			break
		}
		next := x.nextTarget(target)
		if next == target {
			break
		}
		var active []int
		for p := range x.points {
			if x.active[p] {
				active = append(active, p)
			}
		}
		runs = replications(target, next, active, x.points)
		target = next
	}
	x.flushBlock()
	return nil
}

// nextTarget decides the next round: every grid point whose relative
// half-width of the precision metric is above the target gets more
// replications, all to the same count, so that runs keep increasing
// indices. The count is the largest estimate n·(relative/target)² among
// them, at least one more and at most double, capped at MaxReplications.
// Points that met the target stop.
func (x *execution) nextTarget(target int) int {
	mi, _ := metricIndex(x.opt.Metric)
	need := target
	for p := range x.points {
		if !x.active[p] {
			continue
		}
		a := x.accs[p]
		rel := relative(Stat{N: a.n, Mean: a.mean(mi), CI: a.halfWidth(mi, x.e.Confidence)})
		if rel <= x.opt.Precision {
			x.active[p] = false
			continue
		}
		est := 2 * target // the estimate's cap, also for an infinite or NaN one
		if f := math.Ceil(float64(target) * (rel / x.opt.Precision) * (rel / x.opt.Precision)); f < float64(est) {
			est = max(int(f), target+1)
		}
		need = max(need, est)
	}
	return min(need, x.opt.MaxReplications)
}

type runResult struct {
	run    int
	values []float64
	err    error
}

// row makes the Row of run i.
func (x *execution) row(i int, values []float64) Row {
	return Row{Run: i, Point: i % x.points, Replication: i / x.points, Seed: x.e.Seed, Values: values}
}

// runOne decodes and runs run i; a panic in the model becomes an error.
func (x *execution) runOne(i int) (res runResult) {
	res.run = i
	defer func() {
		if r := recover(); r != nil {
			res.err = fmt.Errorf("panic: %v\n%s", r, debug.Stack())
		}
	}()
	sc, err := x.e.scenario(i % x.points)
	if err != nil {
		res.err = err
		return res
	}
	m, err := x.e.sim.run(sc, model.Options{Replication: uint64(i / x.points), MaxEvents: x.opt.MaxEvents})
	if err != nil {
		res.err = err
		return res
	}
	res.values = m.Values()
	return res
}

// consume aggregates run i; runs arrive in increasing order.
func (x *execution) consume(i int, values []float64) error {
	p, rep := i%x.points, i/x.points
	if rep != x.cur {
		x.flushBlock()
		x.cur = rep
	}
	x.accs[p].add(values)
	x.block[p] = values
	row := x.row(i, values)
	if x.keepRows {
		x.rows = append(x.rows, row)
	}
	if x.onRow != nil {
		return x.onRow(row)
	}
	return nil
}

// flushBlock adds the paired differences of the replication just consumed.
func (x *execution) flushBlock() {
	diff := make([]float64, x.metrics)
	for _, c := range x.cmps {
		a, b := x.block[c.point], x.block[c.base]
		if a == nil || b == nil {
			continue
		}
		for k := range diff {
			diff[k] = a[k] - b[k]
		}
		c.acc.add(diff)
	}
	clear(x.block)
}

// results builds the Results; tables only when the sweep is complete and
// not a shard.
func (x *execution) results(complete bool) *Results {
	e := x.e
	r := &Results{Experiment: e, Metrics: model.MetricNames(), Rows: x.rows,
		Precision: x.opt.Precision, PrecisionMetric: x.opt.Metric, MaxReplications: x.opt.MaxReplications}
	if x.keepRows && r.Rows == nil {
		r.Rows = []Row{}
	}
	if r.Precision == 0 {
		r.PrecisionMetric, r.MaxReplications = "", 0
	}
	if !complete || x.opt.Shards > 1 {
		return r
	}
	conf := e.Confidence
	r.Summary = make([]Summary, x.points)
	for p, a := range x.accs {
		s := Summary{Point: e.points[p], N: a.n, Mean: make([]float64, x.metrics), CI: make([]float64, x.metrics)}
		for k := range s.Mean {
			s.Mean[k] = a.mean(k)
			s.CI[k] = a.halfWidth(k, conf)
		}
		r.Summary[p] = s
	}
	if e.Baseline != "" {
		r.Compare = make([]Comparison, len(x.cmps))
		for i, c := range x.cmps {
			d := Comparison{Point: e.points[c.point], Baseline: e.Baseline, N: c.acc.n,
				Diff: make([]float64, x.metrics), DiffCI: make([]float64, x.metrics), UnpairedCI: make([]float64, x.metrics)}
			for k := range d.Diff {
				d.Diff[k] = c.acc.mean(k)
				d.DiffCI[k] = c.acc.halfWidth(k, conf)
				d.UnpairedCI[k] = welchHalfWidth(x.accs[c.point], x.accs[c.base], k, conf)
			}
			r.Compare[i] = d
		}
	}
	return r
}
