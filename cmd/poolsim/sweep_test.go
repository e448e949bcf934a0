package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const smallSweep = "testdata/sweep.toml"

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestSweep(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	stdout := runOK(t, "sweep", smallSweep, "-o", dir, "-q", "--parallel", "2")
	for _, want := range []string{"Small experiment", "crashy", "solid", "rate_503", "charts/"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	for _, name := range []string{"results.csv", "summary.csv", "compare.csv", "experiment.toml", "scenario.toml",
		"charts/503-rate-by-variant.svg", "charts/throughput-by-variant.png"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	results := readFile(t, filepath.Join(dir, "results.csv"))
	if n := strings.Count(results, "\n"); n != 1+2*3 {
		t.Errorf("results.csv has %d lines, want a header and 6 runs", n)
	}

	// A second sweep into the same directory needs --force or --resume.
	status, _, stderr := poolsim(t, "sweep", smallSweep, "-o", dir, "-q")
	if status != 1 || !strings.Contains(stderr, "--force") {
		t.Errorf("sweep into a used directory: exit %d, stderr %q", status, stderr)
	}
	// --force gives the same tables, whatever --parallel is.
	runOK(t, "sweep", smallSweep, "-o", dir, "-q", "--force", "--parallel", "1")
	if again := readFile(t, filepath.Join(dir, "results.csv")); again != results {
		t.Error("results.csv differs between --parallel 2 and --parallel 1")
	}

	// plot redraws the charts from the tables.
	if err := os.RemoveAll(filepath.Join(dir, "charts")); err != nil {
		t.Fatal(err)
	}
	stdout = runOK(t, "plot", dir)
	if !strings.Contains(stdout, "throughput-by-variant.svg") {
		t.Errorf("plot did not draw the experiment's [[chart]]:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "charts", "503-rate-by-variant.png")); err != nil {
		t.Error(err)
	}
	status, _, stderr = poolsim(t, "plot", t.TempDir())
	if status != 1 || !strings.Contains(stderr, "summary.csv") {
		t.Errorf("plot of an empty directory: exit %d, stderr %q", status, stderr)
	}
}

// TestSweepInterrupted checks that an interrupted sweep exits 1 keeping
// what finished, and that --resume then completes it with the same tables
// as a sweep that ran through.
func TestSweepInterrupted(t *testing.T) {
	whole := filepath.Join(t.TempDir(), "whole")
	runOK(t, "sweep", smallSweep, "-o", whole, "-q")

	for _, after := range []time.Duration{0, 20 * time.Millisecond} {
		dir := filepath.Join(t.TempDir(), "cut")
		sweepContext = func() (context.Context, context.CancelFunc) {
			if after == 0 {
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				return ctx, cancel
			}
			return context.WithTimeout(context.Background(), after)
		}
		status, _, stderr := poolsim(t, "sweep", smallSweep, "-o", dir, "-q", "--parallel", "1")
		sweepContext = defaultSweepContext
		if status == 0 {
			// The sweep finished before the deadline: nothing to resume.
			continue
		}
		if status != 1 || !strings.Contains(stderr, "interrupted") || !strings.Contains(stderr, "--resume") {
			t.Fatalf("interrupted sweep: exit %d, stderr %q", status, stderr)
		}
		t.Logf("interrupted after %v", after)
		runOK(t, "sweep", smallSweep, "-o", dir, "-q", "--resume")
		for _, name := range []string{"results.csv", "summary.csv", "compare.csv"} {
			if readFile(t, filepath.Join(dir, name)) != readFile(t, filepath.Join(whole, name)) {
				t.Errorf("after an interruption at %v and --resume, %s differs from an uninterrupted sweep's", after, name)
			}
		}
	}
}

func TestSweepErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.toml")
	if err := os.WriteFile(bad, []byte("name = \"x\"\nscenario = \"trend-page\"\nreplicatons = 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"sweep", bad}, bad + ":3"},
		{[]string{"sweep", "no-such-experiment"}, "no shipped experiment"},
		{[]string{"sweep", "trend-page"}, "is a shipped scenario, not an experiment"},
		{[]string{"sweep", smallSweep, "-o", dir, "--precision", "0.1", "--metric", "no_such_metric"}, "no_such_metric"},
	}
	for _, tt := range tests {
		status, _, stderr := poolsim(t, tt.args...)
		if status != 1 || !strings.Contains(stderr, tt.want) {
			t.Errorf("poolsim %s: exit %d, stderr %q; want 1 and %q", strings.Join(tt.args, " "), status, stderr, tt.want)
		}
	}
}

func TestShardIndexFromEnv(t *testing.T) {
	t.Setenv("SLURM_ARRAY_TASK_ID", "")
	t.Setenv("JOB_COMPLETION_INDEX", "")
	if _, src, err := shardIndexFromEnv(); src != "" || err != nil {
		t.Errorf("no variable: src %q, err %v", src, err)
	}
	t.Setenv("JOB_COMPLETION_INDEX", "4")
	if idx, src, err := shardIndexFromEnv(); idx != 4 || src != "JOB_COMPLETION_INDEX" || err != nil {
		t.Errorf("JOB_COMPLETION_INDEX=4: %d %q %v", idx, src, err)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "2")
	if idx, src, err := shardIndexFromEnv(); idx != 2 || src != "SLURM_ARRAY_TASK_ID" || err != nil {
		t.Errorf("SLURM_ARRAY_TASK_ID=2 wins: %d %q %v", idx, src, err)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "x")
	if _, _, err := shardIndexFromEnv(); err == nil {
		t.Error("SLURM_ARRAY_TASK_ID=x: no error")
	}
}
