package experiments

import (
	"errors"
	"testing"
)

// After a cancellation the finished runs waiting behind an unfinished one
// are written; a failure to write them is reported, not dropped.
func TestKeepStrandedReportsWriteError(t *testing.T) {
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	x, err := newExecution(e, Options{Parallel: 1})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk full")
	var written []int
	x.onRow = func(r Row) error {
		written = append(written, r.Run)
		if r.Run == 7 {
			return boom
		}
		return nil
	}
	buf := newReorder(block(0, 10), 4, nil)
	buf.put(7, make([]float64, x.metrics))
	buf.put(5, make([]float64, x.metrics))
	if err := x.keepStranded(buf); !errors.Is(err, boom) {
		t.Errorf("keepStranded: %v, want the write error", err)
	}
	if len(written) != 2 || written[0] != 5 || written[1] != 7 {
		t.Errorf("written %v, want runs 5 then 7", written)
	}
}

// The reorder buffer hands runs out in the round's order, whatever order
// they finish in, and a replications set lists the runs of the active
// points only.
func TestReorderOrder(t *testing.T) {
	set := replications(2, 4, []int{1, 3}, 5)
	var runs []int
	for k := range set.n {
		runs = append(runs, set.at(k))
	}
	want := []int{11, 13, 16, 18}
	for i := range want {
		if runs[i] != want[i] {
			t.Fatalf("runs %v, want %v", runs, want)
		}
	}
	buf := newReorder(set, 4, map[int][]float64{11: {1}})
	for range 3 {
		buf.tokens <- struct{}{}
	}
	buf.put(18, []float64{4})
	buf.put(13, []float64{2})
	var got []int
	for {
		i, _, _, ok := buf.pop()
		if !ok {
			break
		}
		got = append(got, i)
	}
	if len(got) != 2 || got[0] != 11 || got[1] != 13 {
		t.Errorf("popped %v, want 11 (resumed) and 13, then a wait for 16", got)
	}
	buf.put(16, []float64{3})
	if i, _, _, ok := buf.pop(); !ok || i != 16 {
		t.Errorf("popped %d, %v; want 16", i, ok)
	}
}
