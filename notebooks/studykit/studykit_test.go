package studykit

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/experiments/sweeptest"

	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/plots"
)

const scenario = sweeptest.Scenario

const experiment = `name = "Small"
scenario = "small.toml"
replications = 3
baseline = "solid"
[variants."crashy"]
"classes.page.crash" = 0.002
[variants."solid"]
"classes.page.crash" = 0.0
[[sweep]]
key = "pool.threads"
values = [2, 4]
`

// The tables held in memory are the sweep's summary.csv and compare.csv as
// RunTo writes them, cell for cell, and charts drawn from them carry the
// footnote.
func TestTablesAreTheCSV(t *testing.T) {
	out, res := sweeptest.Run(t, scenario, experiment)
	for _, tc := range []struct {
		mem  *plots.Table
		file string
	}{
		{Summary(res), experiments.SummaryFile},
		{Compare(res), experiments.CompareFile},
	} {
		want, err := plots.ReadTable(filepath.Join(out, tc.file))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(tc.mem.Columns, want.Columns) || len(tc.mem.Rows) != len(want.Rows) {
			t.Fatalf("%s: columns or rows differ from the CSV", tc.mem.Name)
		}
		for i := range want.Rows {
			if !slices.Equal(tc.mem.Rows[i], want.Rows[i]) {
				t.Errorf("%s row %d:\n%q\nwant\n%q", tc.mem.Name, i, tc.mem.Rows[i], want.Rows[i])
			}
		}
	}
	f, err := Lines(res, "pool.threads", "rate_503")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(f.Note, "n = 3 replications") || !strings.Contains(f.Note, "horizon 20m") {
		t.Errorf("footnote %q", f.Note)
	}
	if len(PNG(Differences(res, "crashes"))) == 0 {
		t.Error("no PNG")
	}
}

// Sweep runs an experiment on its first call of a session and finds its
// results on the next, without running it again.
func TestSweepOncePerSession(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("GONB_TMP_DIR", filepath.Join(dir, "session"))
	if err := os.WriteFile(filepath.Join(dir, "small.toml"), []byte(scenario), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "exp.toml")
	if err := os.WriteFile(file, []byte(experiment), 0o644); err != nil {
		t.Fatal(err)
	}
	first := Summary(Sweep(file))
	journal := filepath.Join(dir, "session", "exp", experiments.JournalFile)
	before, err := os.ReadFile(journal)
	if err != nil {
		t.Fatal(err)
	}
	second := Summary(Sweep(file))
	after, _ := os.ReadFile(journal)
	if string(before) != string(after) {
		t.Error("the second call ran the sweep again (its journal grew)")
	}
	for i := range first.Rows {
		if !slices.Equal(first.Rows[i], second.Rows[i]) {
			t.Errorf("row %d differs between the calls", i)
		}
	}
}
