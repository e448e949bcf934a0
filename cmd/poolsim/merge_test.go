package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// gridSweep is a small experiment with two variants and a sweep axis:
// 2 × 2 grid points × 3 replications = 12 runs.
const gridSweep = `name = "Grid"
scenario = "small.toml"
replications = 3
seed = 11
[variants."crashy"]
"classes.page.crash" = 0.002
[variants."solid"]
"classes.page.crash" = 0.0
[[sweep]]
key = "clients.browsers.rate"
values = [5.0, 10.0]
[[chart]]
title = "OK by rate"
x = "clients.browsers.rate"
y = "ok"
`

// writeExperiment writes an experiment beside a copy of testdata/small.toml
// and returns its path.
func writeExperiment(t *testing.T, dir, name, src string) string {
	t.Helper()
	small, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "small.toml"), small, 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runShards runs the experiment as n shards into dir/shard-I and returns
// their directories.
func runShards(t *testing.T, exp, dir string, n int) []string {
	t.Helper()
	var dirs []string
	for i := range n {
		d := filepath.Join(dir, "shard-"+strconv.Itoa(i))
		runOK(t, "sweep", exp, "--shards", strconv.Itoa(n), "--shard-index", strconv.Itoa(i), "-o", d, "-q", "--parallel", "2")
		dirs = append(dirs, d)
	}
	return dirs
}

// sameFiles reports the files of a sweep that differ between two
// directories: the tables, the inputs and every chart.
func sameFiles(t *testing.T, want, got string) {
	t.Helper()
	names := []string{"results.csv", "summary.csv", "compare.csv", "experiment.toml", "scenario.toml"}
	charts, err := filepath.Glob(filepath.Join(want, "charts", "*"))
	if err != nil || len(charts) == 0 {
		t.Fatalf("no charts in %s", want)
	}
	for _, c := range charts {
		names = append(names, filepath.Join("charts", filepath.Base(c)))
	}
	for _, name := range names {
		a := readFile(t, filepath.Join(want, name))
		if b := readFile(t, filepath.Join(got, name)); a != b {
			t.Errorf("%s differs between the sweep and the merged shards", name)
		}
	}
	gotCharts, _ := filepath.Glob(filepath.Join(got, "charts", "*"))
	if len(gotCharts) != len(charts) {
		t.Errorf("%d charts merged, want %d", len(gotCharts), len(charts))
	}
}

// TestMerge checks that shards merged are the sweep, byte for byte, tables
// and charts, for an even and an uneven split.
func TestMerge(t *testing.T) {
	dir := t.TempDir()
	exp := writeExperiment(t, dir, "grid.toml", gridSweep)
	whole := filepath.Join(t.TempDir(), "whole")
	sweepOut := runOK(t, "sweep", exp, "-o", whole, "-q")
	for _, n := range []int{3, 5} {
		t.Run(strconv.Itoa(n)+" shards", func(t *testing.T) {
			work := t.TempDir()
			shards := runShards(t, exp, work, n)
			if n == 5 {
				// The original files are not needed.
				if err := os.Rename(dir, dir+".moved"); err != nil {
					t.Fatal(err)
				}
				defer os.Rename(dir+".moved", dir)
			}
			merged := filepath.Join(work, "merged")
			stdout := runOK(t, append([]string{"merge", "-o", merged}, shards...)...)
			sameFiles(t, whole, merged)
			if !strings.HasPrefix(stdout, "merged "+strconv.Itoa(n)+" shard directories: 12 runs\n") {
				t.Errorf("merge printed:\n%s", stdout)
			}
			// It prints what the sweep printed.
			summary := func(s string) string { return s[:strings.Index(s, "\nresults in ")] }
			if got := stdout[strings.Index(stdout, "\n\n")+2:]; summary(got) != summary(sweepOut) {
				t.Errorf("merge printed\n%s\nwant, as the sweep,\n%s", got, sweepOut)
			}
			// The order of the shards does not matter; an earlier result
			// is replaced only with --force.
			reversed := make([]string, len(shards))
			for i, s := range shards {
				reversed[len(shards)-1-i] = s
			}
			status, _, stderr := poolsim(t, append([]string{"merge", "-o", merged}, reversed...)...)
			if status != 1 || !strings.Contains(stderr, merged+" holds an earlier sweep (results.csv): --force replaces it") {
				t.Errorf("merge into a used directory: exit %d, stderr %q", status, stderr)
			}
			runOK(t, append([]string{"merge", "-o", merged, "--force"}, reversed...)...)
			sameFiles(t, whole, merged)
		})
	}
}

func TestMergeErrors(t *testing.T) {
	dir := t.TempDir()
	exp := writeExperiment(t, dir, "grid.toml", gridSweep)
	shards := runShards(t, exp, dir, 3)
	other := writeExperiment(t, dir, "other.toml", strings.Replace(gridSweep, "seed = 11", "seed = 12", 1))
	otherShards := runShards(t, other, filepath.Join(dir, "other"), 3)

	// An unfinished shard: run 7 of shard 1 lost from its journal.
	unfinished := filepath.Join(dir, "unfinished")
	if err := os.CopyFS(unfinished, os.DirFS(shards[1])); err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.SplitAfter(readFile(t, filepath.Join(unfinished, "journal.jsonl")), "\n") {
		if !strings.HasPrefix(line, `{"run":7,`) {
			kept = append(kept, line)
		}
	}
	journal := strings.Join(kept, "")
	if err := os.WriteFile(filepath.Join(unfinished, "journal.jsonl"), []byte(journal), 0o644); err != nil {
		t.Fatal(err)
	}
	// A shard whose scenario was edited after it ran.
	edited := filepath.Join(dir, "edited")
	if err := os.CopyFS(edited, os.DirFS(shards[0])); err != nil {
		t.Fatal(err)
	}
	sc := readFile(t, filepath.Join(edited, "scenario.toml"))
	if err := os.WriteFile(filepath.Join(edited, "scenario.toml"), []byte(strings.Replace(sc, "threads      = 4", "threads      = 5", 1)), 0o644); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name   string
		shards []string
		want   string
	}{
		{"missing shard", []string{shards[0], shards[2]},
			`cannot merge: 4 of 12 runs missing, the first run 4 (crashy (5.0), replication 1): shard 1 of 3 is missing (the directories given hold shards 0 and 2)`},
		{"missing shards", []string{shards[1]},
			`cannot merge: 8 of 12 runs missing, the first run 0 (crashy (5.0), replication 0): shards 0, 2 of 3 are missing (the directories given hold shard 1)`},
		{"unfinished shard", []string{shards[0], unfinished, shards[2]},
			`cannot merge: 1 of 12 runs missing, the first run 7 (solid (10.0), replication 1): shard 1 of 3 (` + unfinished + `) is unfinished: complete it with "poolsim sweep grid.toml --shards 3 --shard-index 1 -o ` + unfinished + ` --resume"`},
		{"other experiment", []string{shards[0], otherShards[1], shards[2]},
			`cannot merge: ` + otherShards[1] + ` holds runs of another experiment than ` + shards[0] + `: the experiment files differ (grid.toml, other.toml)`},
		{"other experiment first", []string{otherShards[0], shards[1], shards[2]},
			`cannot merge: ` + shards[1] + ` holds runs of another experiment than ` + otherShards[0] + `: the experiment files differ (other.toml, grid.toml)`},
		{"edited scenario", []string{edited, shards[1], shards[2]},
			`cannot merge: ` + edited + `: experiment.toml or scenario.toml was changed after the sweep`},
		{"not a shard", []string{shards[0], dir},
			`cannot merge: ` + dir + ` has no journal.jsonl: is it the output directory of "poolsim sweep --shards"?`},
		{"no such directory", []string{shards[0], filepath.Join(dir, "nowhere")},
			`cannot merge: ` + filepath.Join(dir, "nowhere") + `: no such directory`},
		{"output is a shard", nil, `-o ` + shards[2] + ` is a shard directory given to merge`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "merged")
			args := append([]string{"merge", "-o", out}, tt.shards...)
			if tt.shards == nil {
				out = shards[2]
				args = append([]string{"merge", "-o", out, "--force"}, shards...)
			}
			status, stdout, stderr := poolsim(t, args...)
			if status != 1 || !strings.Contains(stderr, tt.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 1 and\n%s", status, stdout, stderr, tt.want)
			}
			if tt.shards != nil {
				if _, err := os.Stat(out); !os.IsNotExist(err) {
					t.Errorf("a failed merge wrote %s", out)
				}
			}
		})
	}
	// The shard given as output is untouched.
	if _, err := os.Stat(filepath.Join(shards[2], "journal.jsonl")); err != nil {
		t.Error(err)
	}
}
