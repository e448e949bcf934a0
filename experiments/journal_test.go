package experiments

import (
	"context"
	"os"
	"path/filepath"
	"strings"
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

// A sweep recorded by one program (the command line, with its version) is
// resumed by another (a notebook, built otherwise): LoadRun carries the
// version the sweep recorded, so the fingerprints agree.
func TestResumeByAnotherProgram(t *testing.T) {
	dir := t.TempDir()
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	e.Version = "v9.9.9-cli"
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RunTo(ctx, e, dir, Options{Parallel: 1}); err == nil {
		t.Fatal("a cancelled sweep finished")
	}
	loaded, err := LoadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Version != e.Version || loaded.Fingerprint() != e.Fingerprint() {
		t.Fatalf("LoadRun gives version %q, fingerprint %s; want %q, %s", loaded.Version, loaded.Fingerprint(), e.Version, e.Fingerprint())
	}
	if _, err := RunTo(context.Background(), loaded, dir, Options{Resume: true}); err != nil {
		t.Fatalf("resume by another program: %v", err)
	}
	other := parseString(t, fakeExperiment, fakeSim(fakeRun)) // DefaultVersion
	if _, err := RunTo(context.Background(), other, t.TempDir(), Options{}); err != nil {
		t.Fatal(err)
	}
	if other.Fingerprint() == e.Fingerprint() {
		t.Error("the version is not part of the fingerprint")
	}
}

// Load and the command line resolve inputs alike (ReadInput): a device
// such as /dev/zero is read only up to the size limit, then refused.
func TestLoadSpecialFileBounded(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	_, err := Load("/dev/zero")
	if err == nil || !strings.Contains(err.Error(), "/dev/zero") {
		t.Errorf("Load(/dev/zero): %v", err)
	}
}

// Rule (overwrite protection): Resume with no journal starts afresh in an
// empty directory (as notebooks do on their first run), but never over the
// results of a sweep that left no journal.
func TestResumeWithoutJournal(t *testing.T) {
	e := parseString(t, fakeExperiment, fakeSim(fakeRun))
	if _, err := RunTo(context.Background(), e, t.TempDir(), Options{Resume: true}); err != nil {
		t.Errorf("resume into an empty directory: %v", err)
	}
	dir := t.TempDir()
	other := filepath.Join(dir, ResultsFile)
	os.WriteFile(other, []byte("another experiment\n"), 0o644)
	if _, err := RunTo(context.Background(), e, dir, Options{Resume: true}); err == nil || !strings.Contains(err.Error(), "nothing to resume") {
		t.Errorf("resume over another sweep's results: %v", err)
	}
	if data, _ := os.ReadFile(other); string(data) != "another experiment\n" {
		t.Error("results.csv was overwritten")
	}
}
