package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hostileSweep is an experiment whose names try to lead output out of the
// output directory: variant names and chart titles that are paths.
const hostileSweep = `name = "../../escaped"
scenario = "small.toml"
replications = 2
[variants."../../variant-escaped"]
"pool.threads" = 2
[variants."/tmp/absolute"]
"pool.threads" = 4
[variants."a/b\\c"]
"pool.threads" = 8
[[sweep]]
key = "clients.browsers.rate"
values = [5.0, 10.0]
[[chart]]
title = "../../chart-escaped"
y = "ok"
[[chart]]
title = "/tmp/poolsim-absolute-chart"
y = "rate_503"
[[chart]]
title = "..\\..\\windows"
y = "ok"
[[chart]]
title = "../.."
y = "ok"
[[chart]]
title = "."
y = "ok"
`

// filesUnder lists the files under root, relative to it, in order.
func filesUnder(t *testing.T, root string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return err
			}
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(files)
	return files
}

// TestOutputStaysInDir checks that nothing an experiment file says can
// write outside the output directory of sweep and merge: the files are
// the fixed tables and charts named by slugs of their titles.
func TestOutputStaysInDir(t *testing.T) {
	root := t.TempDir()
	work := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	exp := writeExperiment(t, work, "hostile.toml", hostileSweep)
	before := filesUnder(t, root)
	if _, err := os.Stat("/tmp/poolsim-absolute-chart.svg"); err == nil {
		t.Fatal("/tmp/poolsim-absolute-chart.svg exists before the test")
	}

	out := filepath.Join(work, "out")
	runOK(t, "sweep", exp, "-o", out, "-q")
	shards := runShards(t, exp, filepath.Join(work, "shards"), 2)
	merged := filepath.Join(work, "merged")
	runOK(t, append([]string{"merge", "-o", merged}, shards...)...)
	runOK(t, "plot", out)

	var outside []string
	for _, f := range filesUnder(t, root) {
		if !slices.Contains(before, f) && !strings.HasPrefix(f, "a/b/c/out/") &&
			!strings.HasPrefix(f, "a/b/c/merged/") && !strings.HasPrefix(f, "a/b/c/shards/") {
			outside = append(outside, f)
		}
	}
	if len(outside) > 0 {
		t.Errorf("files written outside the output directories: %q", outside)
	}
	for _, p := range []string{"/tmp/poolsim-absolute-chart.svg", "/tmp/poolsim-absolute-chart.png", "/tmp/absolute"} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s written", p)
		}
	}

	want := []string{
		"charts/503-rate-by-variant.png", "charts/503-rate-by-variant.svg",
		"charts/503-rate-difference-from-variant-escaped.png", "charts/503-rate-difference-from-variant-escaped.svg",
		"charts/abandoned-rate-by-variant.png", "charts/abandoned-rate-by-variant.svg",
		"charts/chart-2.png", "charts/chart-2.svg", // "."
		"charts/chart-escaped.png", "charts/chart-escaped.svg",
		"charts/chart.png", "charts/chart.svg", // "../.."
		"charts/tmp-poolsim-absolute-chart.png", "charts/tmp-poolsim-absolute-chart.svg",
		"charts/windows.png", "charts/windows.svg",
		"compare.csv", "experiment.toml", "journal.jsonl", "results.csv", "scenario-effective.toml", "scenario.toml", "summary.csv",
	}
	for _, dir := range []string{out, merged} {
		got := filesUnder(t, dir)
		if !slices.Equal(got, want) {
			t.Errorf("%s holds\n%q\nwant\n%q", dir, got, want)
		}
	}
	// The hostile names are data: they are in the tables as written.
	if results := readFile(t, filepath.Join(out, "results.csv")); !strings.Contains(results, "../../variant-escaped,5.0,") ||
		!strings.Contains(results, `"a/b\c",`) && !strings.Contains(results, `a/b\c,`) {
		t.Errorf("results.csv lacks the variant names:\n%s", results)
	}
}

// TestDiscardFailedSweep checks what a sweep that fails leaves behind:
// nothing, and no directory it created, when no run finished; everything
// when some did (--resume can complete it).
func TestDiscardFailedSweep(t *testing.T) {
	const header = `{"journal":"poolsim-journal/1","experiment":"x","fingerprint":"sha256:0","points":1,"seed":1,"metrics":["ok"],"shards":1,"shard_index":0}` + "\n"
	for _, tt := range []struct {
		name    string
		journal string
		kept    bool
	}{
		{"no run finished", header, false},
		{"a run finished", header + `{"run":0,"point":0,"replication":0,"values":["1"]}` + "\n", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			if err := os.WriteFile(filepath.Join(root, "mine.txt"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(root, "new", "out")
			created := missingAncestor(dir)
			if created != filepath.Join(root, "new") {
				t.Fatalf("missingAncestor(%s) = %s", dir, created)
			}
			if err := os.MkdirAll(filepath.Join(dir, "charts"), 0o755); err != nil {
				t.Fatal(err)
			}
			for name, data := range map[string]string{"journal.jsonl": tt.journal, "experiment.toml": "", "scenario.toml": "", "results.csv": ""} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			discardFailedSweep(dir, created)
			got := filesUnder(t, root)
			want := []string{"mine.txt"}
			if tt.kept {
				want = []string{"mine.txt", "new/out/experiment.toml", "new/out/journal.jsonl", "new/out/results.csv", "new/out/scenario.toml"}
			}
			if !slices.Equal(got, want) {
				t.Errorf("left %q, want %q", got, want)
			}
			if _, err := os.Stat(filepath.Join(root, "new")); (err == nil) != tt.kept {
				t.Errorf("the directory created for the sweep: %v", err)
			}
		})
	}
	if got := missingAncestor(t.TempDir()); got != "" {
		t.Errorf("missingAncestor of an existing directory = %q", got)
	}
}
