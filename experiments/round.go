package experiments

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
)

// runSet is the runs of one round in increasing order, described rather
// than listed, so that no memory is spent per run before it runs: a
// contiguous block [lo, lo+n), or replications fromRep onwards of some grid
// points (points, P of them in all), replication by replication.
type runSet struct {
	lo, n   int
	fromRep int
	points  []int
	stride  int // the number of grid points, with points
}

// block returns the runs [lo, hi).
func block(lo, hi int) runSet { return runSet{lo: lo, n: hi - lo} }

// replications returns replications [from, to) of the points listed, of P
// grid points.
func replications(from, to int, points []int, P int) runSet {
	return runSet{n: (to - from) * len(points), fromRep: from, points: points, stride: P}
}

// at returns the k-th run of the set.
func (s runSet) at(k int) int {
	if s.points == nil {
		return s.lo + k
	}
	return (s.fromRep+k/len(s.points))*s.stride + s.points[k%len(s.points)]
}

// reorder is a round's reorder buffer: runs finish in any order, and are
// consumed strictly in the round's order. It holds the runs that finished
// ahead of their turn; tokens bound how many there can be, so that a slow
// run cannot make the buffer grow without bound (a run is started only once
// it has a token, and gives it back when consumed).
type reorder struct {
	runs    runSet
	next    int // position in runs of the next run to consume
	pending map[int][]float64
	done    map[int][]float64 // runs resumed from a journal
	tokens  chan struct{}
}

func newReorder(runs runSet, window int, done map[int][]float64) *reorder {
	return &reorder{runs: runs, pending: make(map[int][]float64), done: done, tokens: make(chan struct{}, window)}
}

// put holds a finished run until its turn.
func (b *reorder) put(run int, values []float64) { b.pending[run] = values }

// pop returns the next run in order when it has finished (or was resumed),
// giving back its token.
func (b *reorder) pop() (run int, values []float64, resumed, ok bool) {
	if b.next >= b.runs.n {
		return 0, nil, false, false
	}
	run = b.runs.at(b.next)
	if values, resumed = b.done[run]; !resumed {
		if values = b.pending[run]; values == nil {
			return 0, nil, false, false
		}
		delete(b.pending, run)
		<-b.tokens
	}
	b.next++
	return run, values, resumed, true
}

// stranded returns the finished runs that wait behind an unfinished one, in
// run order: what a stopped round still has to write.
func (b *reorder) stranded() []int {
	runs := make([]int, 0, len(b.pending))
	for i := range b.pending {
		runs = append(runs, i)
	}
	slices.Sort(runs)
	return runs
}

// dispatch starts the round's runs that were not resumed, in order, each
// once the reorder buffer gives it a token, on x.workers goroutines; the
// channel returned receives every run's result and is closed once they have
// all stopped. A run is skipped, not started, once ctx (the caller's) is
// cancelled, once stop is cancelled with bound below zero (a write failed),
// or when its index is above bound, the lowest failed run so far: every run
// below the lowest failure still runs, so the failure reported is the same
// whatever the parallelism.
func (x *execution) dispatch(ctx, stop context.Context, b *reorder, bound *atomic.Int64) <-chan runResult {
	jobs := make(chan int)
	results := make(chan runResult, x.workers)
	var wg sync.WaitGroup
	for range x.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if ctx.Err() != nil || int64(i) > bound.Load() {
					continue // stopping: start nothing more
				}
				res := x.runOne(i)
				if res.err != nil {
					lowerBound(bound, int64(i))
				}
				results <- res
			}
		}()
	}
	go func() {
		defer close(jobs)
		for k := range b.runs.n {
			i := b.runs.at(k)
			if _, ok := b.done[i]; ok {
				continue
			}
			select {
			case b.tokens <- struct{}{}:
			case <-stop.Done():
				return
			}
			select {
			case jobs <- i:
			case <-stop.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	return results
}

// lowerBound lowers *bound to v if v is lower.
func lowerBound(bound *atomic.Int64, v int64) {
	for {
		old := bound.Load()
		if v >= old || bound.CompareAndSwap(old, v) {
			return
		}
	}
}

// roundState is what a round's consumer knows: the lowest failed run and the
// first write error.
type roundState struct {
	failed *runResult
	ioErr  error
	bound  atomic.Int64 // the lowest failed run; -1 after a write error
	cancel context.CancelFunc
}

func (s *roundState) fail(res runResult) {
	if s.failed == nil || res.run < s.failed.run {
		s.failed = &res
	}
	s.cancel()
}

func (s *roundState) writeFailed(err error) {
	if s.ioErr == nil {
		s.ioErr = err
	}
	s.bound.Store(-1)
	s.cancel()
}

// round runs the runs of the set and consumes them in their order.
func (x *execution) round(ctx context.Context, runs runSet) error {
	x.prog.total.Add(int64(runs.n))
	stop, cancel := context.WithCancel(ctx)
	defer cancel()
	st := &roundState{cancel: cancel}
	st.bound.Store(math.MaxInt64)
	buf := newReorder(runs, x.window, x.done)
	results := x.dispatch(ctx, stop, buf, &st.bound)

	var batch []Row
	x.consumeReady(buf, st) // resumed runs at the front
	for res := range results {
		batch = batch[:0]
		for more := true; more; {
			if res.err != nil {
				st.fail(res)
			} else {
				buf.put(res.run, res.values)
				batch = append(batch, x.row(res.run, res.values))
			}
			select {
			case r, ok := <-results:
				res, more = r, ok
			default:
				more = false
			}
		}
		x.prog.done.Add(int64(len(batch)))
		if x.onFinished != nil && len(batch) > 0 && st.ioErr == nil {
			if err := x.onFinished(batch); err != nil {
				st.writeFailed(err)
			}
		}
		x.consumeReady(buf, st)
	}
	if st.failed != nil {
		f := st.failed
		p, rep := f.run%x.points, f.run/x.points
		return fmt.Errorf("%s: run %d (%s, replication %d): %w", x.e.File, f.run, x.e.points[p].describe(x.e.Sweeps), rep, f.err)
	}
	if st.ioErr != nil {
		return st.ioErr
	}
	if err := ctx.Err(); err != nil {
		return errors.Join(err, x.keepStranded(buf))
	}
	return nil
}

// consumeReady consumes the runs whose turn has come, then ends the batch.
func (x *execution) consumeReady(buf *reorder, st *roundState) {
	for {
		i, values, resumed, ok := buf.pop()
		if !ok {
			break
		}
		if resumed {
			x.prog.resumed.Add(1)
		}
		if err := x.consume(i, values); err != nil && st.ioErr == nil {
			st.writeFailed(err)
		}
	}
	if x.onBatch != nil && st.ioErr == nil {
		if err := x.onBatch(); err != nil {
			st.writeFailed(err)
		}
	}
}

// keepStranded writes, after a cancellation, the finished runs that wait
// behind an unfinished one (in run order, leaving gaps), so that they are
// kept; it returns the first write error.
func (x *execution) keepStranded(buf *reorder) error {
	for _, i := range buf.stranded() {
		row := x.row(i, buf.pending[i])
		if x.keepRows {
			x.rows = append(x.rows, row)
		}
		if x.onRow != nil {
			if err := x.onRow(row); err != nil {
				return fmt.Errorf("writing the finished runs: %w", err)
			}
		}
	}
	return nil
}
