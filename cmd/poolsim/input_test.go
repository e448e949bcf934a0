package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/poolsim/poolsim/experiments"
)

// withoutPrefix drops the "poolsim: " that the command line puts before
// some errors, so that its messages compare with the library's.
func withoutPrefix(s string) string {
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimPrefix(l, "poolsim: ")
	}
	return strings.Join(lines, "\n")
}

// TestLoadReportsAsSweep: experiments.Load, which notebooks call, and
// "poolsim sweep" report the same problems for the same file: binary junk,
// an empty file, text that is not UTF-8, a directory, a device, a FIFO (which
// once blocked the reader) and a scenario given as an experiment.
func TestLoadReportsAsSweep(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.toml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"binary junk":  "../../model/scenario/testdata/scenarios/bad/binary-junk.toml",
		"empty":        "../../model/scenario/testdata/scenarios/bad/empty.toml",
		"only comment": "../../model/scenario/testdata/scenarios/bad/comments-only.toml",
		"invalid UTF8": "../../model/scenario/testdata/scenarios/bad/invalid-utf8.toml",
		"deep":         "testdata/bad/experiments/deep-nesting.toml",
		"directory":    dir,
		"device":       os.DevNull,
		"fifo":         fifo,
		"scenario":     "testdata/small.toml",
	}
	for name, file := range files {
		t.Run(name, func(t *testing.T) {
			_, err := experiments.Load(file)
			if err == nil {
				t.Fatal("Load: no error")
			}
			status, stdout, stderr := poolsim(t, "sweep", file, "-o", filepath.Join(t.TempDir(), "out"))
			if status != 1 || stdout != "" {
				t.Errorf("sweep: status %d, stdout %q", status, stdout)
			}
			if got, want := withoutPrefix(stderr), err.Error(); got != want {
				t.Errorf("sweep reports\n%s\nLoad reports\n%s", got, want)
			}
		})
	}
}

// TestSweepScenario: "poolsim sweep SCENARIO" says that the file is a
// scenario and how to run it, in one line (it listed every key as unknown).
func TestSweepScenario(t *testing.T) {
	status, _, stderr := poolsim(t, "sweep", "testdata/small.toml", "-o", filepath.Join(t.TempDir(), "out"))
	want := "testdata/small.toml: a scenario, not an experiment: run it with \"poolsim run testdata/small.toml\"\n"
	if status != 1 || stderr != want {
		t.Errorf("status %d, stderr\n%s\nwant\n%s", status, stderr, want)
	}
}

// TestFileNameWithNewline: a file name holding a newline or a terminal
// escape is quoted in every message, so that one problem stays one line and
// nothing reaches the terminal raw.
func TestFileNameWithNewline(t *testing.T) {
	src, err := os.ReadFile("../../model/scenario/testdata/scenarios/bad/wrong-types.toml")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../model/scenario/testdata/scenarios/bad/wrong-types.err")
	if err != nil {
		t.Fatal(err)
	}
	for _, base := range []string{"bad\nname.toml", "bad\x1b[2Jname.toml"} {
		file := filepath.Join(t.TempDir(), base)
		if err := os.WriteFile(file, src, 0o644); err != nil {
			t.Fatal(err)
		}
		status, _, stderr := poolsim(t, "validate", file)
		lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
		if status != 1 || len(lines) != strings.Count(string(want), "\n") {
			t.Errorf("%q: status %d, %d lines for %d problems:\n%s", base, status, len(lines), strings.Count(string(want), "\n"), stderr)
		}
		quoted := strings.Trim(strings.Replace(strings.Replace(file, "\n", `\n`, 1), "\x1b", `\x1b`, 1), `"`)
		for _, l := range lines {
			if !strings.HasPrefix(l, `"`+quoted+`":`) || strings.ContainsAny(l, "\x1b") {
				t.Errorf("%q: line not quoted: %q", base, l)
			}
		}
	}
}

// TestRunHeaderNewlineName: a sweep of an experiment file whose name holds
// a newline, or whose text starts with a byte-order mark, writes an
// experiment.toml that reads back (the name broke the comment line; the
// mark, after the header, broke the TOML).
func TestRunHeaderNewlineName(t *testing.T) {
	for _, c := range []struct{ name, prefix string }{{"my\nsweep.toml", ""}, {"bom.toml", "\xef\xbb\xbf"}} {
		dir := t.TempDir()
		for _, f := range []string{"small.toml", "sweep.toml"} {
			data, err := os.ReadFile(filepath.Join("testdata", f))
			if err != nil {
				t.Fatal(err)
			}
			name := f
			if f == "sweep.toml" {
				name, data = c.name, append([]byte(c.prefix), data...)
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out := filepath.Join(dir, "out")
		if status, _, stderr := poolsim(t, "sweep", filepath.Join(dir, c.name), "-o", out, "-q"); status != 0 {
			t.Fatalf("%q: sweep: status %d\n%s", c.name, status, stderr)
		}
		h, _, err := experiments.ReadRunHeader(out)
		if err != nil || h.File != c.name {
			t.Fatalf("%q: header file %q: %v", c.name, h.File, err)
		}
		if _, err := experiments.LoadRun(out); err != nil {
			t.Errorf("%q: LoadRun: %v", c.name, err)
		}
	}
}
