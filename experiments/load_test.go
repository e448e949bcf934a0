package experiments

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// writeRun parses an experiment file written into a fresh directory beside
// a copy of testdata/small.toml (named scenario) and writes the inputs of a
// sweep of it into a run directory, which it returns with the experiment.
func writeRun(t *testing.T, src, scenario string) (*Experiment, string) {
	t.Helper()
	dir := t.TempDir()
	small, err := os.ReadFile("testdata/small.toml")
	if err != nil {
		t.Fatal(err)
	}
	if scenario != "" {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, scenario)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, scenario), small, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	src = strings.ReplaceAll(src, "DIR", filepath.ToSlash(dir))
	file := filepath.Join(dir, "exp.toml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	e, err := Load(file)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	run := filepath.Join(dir, "out")
	if err := os.MkdirAll(run, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := e.writeInputs(run, 0, "", 0); err != nil {
		t.Fatal(err)
	}
	return e, run
}

// sameExperiment reports how got differs from the experiment want as
// parsed from its own file.
func sameExperiment(t *testing.T, got, want *Experiment) {
	t.Helper()
	if got.Fingerprint() != want.Fingerprint() {
		t.Errorf("fingerprint %s, want %s", got.Fingerprint(), want.Fingerprint())
	}
	if got.Name != want.Name || filepath.Base(got.File) != filepath.Base(want.File) ||
		got.Scenario != want.Scenario || filepath.Base(got.ScenarioFile) != filepath.Base(want.ScenarioFile) {
		t.Errorf("name %q, file %q, scenario %q (%q); want %q, %q, %q (%q)",
			got.Name, got.File, got.Scenario, got.ScenarioFile, want.Name, want.File, want.Scenario, want.ScenarioFile)
	}
	if got.Replications != want.Replications || got.Seed != want.Seed || got.Confidence != want.Confidence || got.Baseline != want.Baseline {
		t.Errorf("replications, seed, confidence, baseline: %d %d %g %q; want %d %d %g %q",
			got.Replications, got.Seed, got.Confidence, got.Baseline, want.Replications, want.Seed, want.Confidence, want.Baseline)
	}
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"overrides", got.Overrides, want.Overrides},
		{"variants", got.Variants, want.Variants},
		{"sweeps", got.Sweeps, want.Sweeps},
		{"charts", got.Charts, want.Charts},
		{"points", got.Points(), want.Points()},
		{"source", got.Source(), want.Source()},
		{"scenario source", got.ScenarioSource(), want.ScenarioSource()},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", f.name, f.got, f.want)
		}
	}
}

// TestLoadRun checks that the experiment loaded from a sweep's directory is
// the one that ran, however its file names the scenario, and that it does
// not read the original files.
func TestLoadRun(t *testing.T) {
	const body = `
replications = 2
seed = 9
[overrides]
"horizon" = "10m"
[variants."4 threads"]
[variants."8 threads"]
"pool.threads" = 8 # a comment
[[sweep]]
key = "clients.visitors.rate"
values = [10, 20]
[[chart]]
title = "OK"
y = "ok"
`
	tests := []struct {
		name, src, scenario string
	}{
		{"relative path", "name = \"rel\"\nscenario = \"base.toml\"\n" + body, "base.toml"},
		{"no name", "scenario = \"base.toml\"\n" + body, "base.toml"},
		{"subdirectory", "scenario = 'sub/base.toml'   # literal\n" + body, "sub/base.toml"},
		{"absolute path", "scenario = \"DIR/base.toml\"\n" + body, "base.toml"},
		{"quoted key", "\"scenario\" = \"base.toml\"\n" + body, "base.toml"},
		{"multi-line string", "# first\nscenario = \"\"\"\nbase.toml\"\"\" # odd but valid\nname = \"ml\"\n" + body, "base.toml"},
		{"escapes", "scenario = \"b\\u0061se.toml\"\n" + body, "base.toml"},
		{"shipped scenario", "scenario = \"mm4\"\n" + strings.ReplaceAll(body[strings.Index(body, "[variants"):], "visitors", "arrivals"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, run := writeRun(t, tt.src, tt.scenario)
			if tt.scenario != "" {
				// The original scenario is gone: the run's copy is used.
				if err := os.Remove(want.ScenarioFile); err != nil {
					t.Fatal(err)
				}
			}
			got, err := LoadRun(run)
			if err != nil {
				t.Fatalf("LoadRun: %v", err)
			}
			sameExperiment(t, got, want)

			// Written again, the inputs are the same bytes.
			again := t.TempDir()
			if err := got.writeInputs(again, 0, "", 0); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{ExperimentFile, ScenarioFile} {
				a, _ := os.ReadFile(filepath.Join(run, name))
				b, _ := os.ReadFile(filepath.Join(again, name))
				if string(a) != string(b) {
					t.Errorf("%s written from the loaded experiment differs:\n%s\nwant\n%s", name, b, a)
				}
			}
		})
	}
}

func TestLoadRunErrors(t *testing.T) {
	const src = "name = \"x\"\nscenario = \"base.toml\"\n[variants.a]\n\"pool.threads\" = 2\n[variants.b]\n"
	edit := func(name string, f func(string) string) func(t *testing.T, dir string) {
		return func(t *testing.T, dir string) {
			p := filepath.Join(dir, name)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(f(string(data))), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	tests := []struct {
		name   string
		change func(t *testing.T, dir string)
		want   string
	}{
		{"no experiment.toml", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, ExperimentFile)) },
			"no experiment.toml: not the output directory of a sweep"},
		{"no scenario.toml", func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, ScenarioFile)) },
			"no scenario.toml: not the output directory of a sweep"},
		{"no header", edit(ExperimentFile, func(s string) string { return s[strings.Index(s, "\n\n")+2:] }),
			"no poolsim header"},
		{"scenario edited", edit(ScenarioFile, func(s string) string { return strings.Replace(s, "threads = 4", "threads = 5", 1) }),
			"scenario.toml was changed after the sweep"},
		{"experiment edited", edit(ExperimentFile, func(s string) string { return strings.Replace(s, "= 2", "= 3", 1) }),
			"experiment.toml or scenario.toml was changed after the sweep"},
		{"other stream scheme", edit(ExperimentFile, func(s string) string {
			return strings.Replace(s, "# stream scheme: ", "# stream scheme: old-", 1)
		}), "with random streams old-poolsim/rng/"},
		{"broken experiment", edit(ExperimentFile, func(s string) string {
			return strings.Replace(s, "[variants.b]", "[variants.b]\n\"pool.thredas\" = 1", 1)
		}),
			"out/experiment.toml:11: variants.b: pool.thredas = 1: unknown key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, run := writeRun(t, src, "base.toml")
			tt.change(t, run)
			_, err := LoadRun(run)
			if err == nil || !strings.Contains(filepath.ToSlash(err.Error()), tt.want) {
				t.Errorf("LoadRun: %v; want an error containing %q", err, tt.want)
			}
		})
	}
	if _, err := LoadRun(filepath.Join(t.TempDir(), "nowhere")); err == nil {
		t.Error("LoadRun of a missing directory: no error")
	}
}
