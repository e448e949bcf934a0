package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/internal/golden"
)

// modelBad is the catalogue of bad scenarios whose messages the model
// package keeps (NAME.toml beside NAME.err): the command line must report
// exactly those, naming the file as it was given.
const modelBad = "../../model/scenario/testdata/scenarios/bad"

// TestBadInput runs the catalogues of bad files: the model's bad scenarios
// (their messages are model/scenario/testdata/scenarios/bad/NAME.err), and the
// command line's own cases in testdata/bad: scenarios refused for what
// only the command line checks (the event budget), and experiments
// (experiments/*.toml; ok/ holds the good scenario they vary), each beside
// the standard error it must produce in NAME.stderr ("go test -update"
// rewrites those).
//
// For every file, "poolsim validate FILE" and the command that runs it
// ("poolsim run FILE" with every output flag, or "poolsim sweep FILE -o
// DIR") must exit 1 with that standard error and nothing on standard
// output, name the file on every line, never panic, and write no file.
func TestBadInput(t *testing.T) {
	model, _ := filepath.Glob(filepath.Join(modelBad, "*.toml"))
	if len(model) < 40 {
		t.Fatalf("only %d scenarios in the model's catalogue", len(model))
	}
	for _, file := range model {
		name := strings.TrimSuffix(filepath.Base(file), ".toml")
		t.Run("model/"+name, func(t *testing.T) {
			stderr := checkBad(t, "scenarios", filepath.ToSlash(file))
			want, err := os.ReadFile(strings.TrimSuffix(file, ".toml") + ".err")
			if err != nil {
				t.Fatal(err)
			}
			// The model's messages name the file by its base name.
			got := strings.ReplaceAll(stderr, filepath.ToSlash(file), filepath.Base(file))
			if got != string(want) {
				t.Errorf("stderr:\n%s\nwant (%s.err):\n%s", got, name, want)
			}
		})
	}
	for _, kind := range []string{"scenarios", "experiments"} {
		files, err := filepath.Glob(filepath.Join("testdata", "bad", kind, "*.toml"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no %s in the catalogue: %v", kind, err)
		}
		sidecars, _ := filepath.Glob(filepath.Join("testdata", "bad", kind, "*.stderr"))
		for _, s := range sidecars {
			if !slices.Contains(files, strings.TrimSuffix(s, ".stderr")+".toml") {
				t.Errorf("%s: no file of that name in the catalogue", s)
			}
		}
		for _, file := range files {
			name := strings.TrimSuffix(filepath.Base(file), ".toml")
			t.Run(kind+"/"+name, func(t *testing.T) {
				file := filepath.ToSlash(file)
				stderr := checkBad(t, kind, file)
				sidecar := strings.TrimSuffix(file, ".toml") + ".stderr"
				if err := golden.Compare(sidecar, []byte(stderr), *update); err != nil {
					t.Errorf("stderr: %v\ngot:\n%s", err, stderr)
				}
			})
		}
	}
}

// checkBad runs "poolsim validate FILE" and the command that runs it,
// checks what every refusal must be, and returns the standard error.
func checkBad(t *testing.T, kind, file string) string {
	t.Helper()
	out := t.TempDir()
	validate := []string{"validate", file}
	var runs []string
	if kind == "scenarios" {
		runs = []string{"run", file, "--httperr", filepath.Join(out, "httperr.log"),
			"--timeseries", filepath.Join(out, "ts.csv"), "--trace", filepath.Join(out, "trace.log"),
			"--plot", filepath.Join(out, "charts")}
	} else {
		runs = []string{"sweep", file, "-o", filepath.Join(out, "sweep"), "-q"}
	}
	var stderrs []string
	for _, args := range [][]string{validate, runs} {
		status, stdout, stderr := poolsim(t, args...)
		cmd := "poolsim " + args[0]
		if status != 1 {
			t.Errorf("%s: exit status %d, want 1", cmd, status)
		}
		if stdout != "" {
			t.Errorf("%s: stdout %q, want nothing", cmd, stdout)
		}
		if strings.Contains(stderr, "panic:") || strings.Contains(stderr, "goroutine ") {
			t.Errorf("%s panicked:\n%s", cmd, stderr)
		}
		for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n") {
			if !strings.HasPrefix(strings.TrimPrefix(line, "poolsim: "), file) {
				t.Errorf("%s: a line of the error does not start with the file name:\n%s", cmd, line)
			}
		}
		stderrs = append(stderrs, stderr)
	}
	if stderrs[0] != stderrs[1] {
		t.Errorf("poolsim validate and poolsim %s report differently:\nvalidate:\n%s\n%s:\n%s", runs[0], stderrs[0], runs[0], stderrs[1])
	}
	// No output file: not even an empty directory.
	if ents, err := os.ReadDir(out); err != nil || len(ents) > 0 {
		t.Errorf("files written into %s: %v %v", out, ents, err)
	}
	return stderrs[0]
}
