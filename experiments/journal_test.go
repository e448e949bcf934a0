package experiments

import (
	"context"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
)

// Rule (journal): a last record whose newline was never written is one
// whole run: resume keeps it (and does not run it again) and the journal
// it leaves still holds it, so that merge agrees the sweep is complete; a
// record cut short is run again.
func TestJournalLastLineWithoutNewline(t *testing.T) {
	for _, c := range []struct {
		name  string
		cut   int // bytes cut from the end of the journal
		reran int64
	}{
		{"newline missing", 1, 0},
		{"record torn", 10, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			e := parseString(t, fakeExperiment, fakeSim(fakeRun))
			mustRunTo(t, e, dir, Options{Parallel: 1})
			path := filepath.Join(dir, JournalFile)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, data[:len(data)-c.cut], 0o644); err != nil {
				t.Fatal(err)
			}
			total := len(e.Points()) * e.Replications
			j, err := ReadJournal(dir)
			if err != nil {
				t.Fatal(err)
			}
			if got := int64(total - len(j.Runs)); got != c.reran {
				t.Fatalf("the journal read back misses %d runs, want %d", got, c.reran)
			}
			var ran atomic.Int64
			e2 := parseString(t, fakeExperiment, fakeSim(countingRun(&ran, fakeRun)))
			if _, err := RunTo(context.Background(), e2, dir, Options{Resume: true, Parallel: 1}); err != nil {
				t.Fatal(err)
			}
			if ran.Load() != c.reran {
				t.Errorf("resume ran %d runs, want %d", ran.Load(), c.reran)
			}
			j, err = ReadJournal(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(j.Runs) != total {
				t.Errorf("after resume the journal holds %d of %d runs", len(j.Runs), total)
			}
		})
	}
}
