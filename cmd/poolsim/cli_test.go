package main

import (
	"bytes"
	"flag"
	"reflect"
	"strings"
	"testing"
)

// poolsim runs the command line and returns its exit status and output.
func poolsim(t *testing.T, args ...string) (status int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	status = run(args, &out, &errb)
	return status, out.String(), errb.String()
}

func TestExitStatus(t *testing.T) {
	tests := []struct {
		args       []string
		status     int
		stdout     string // a substring of stdout ("" to skip)
		stderr     string // a substring of stderr ("" to skip)
		quietError bool   // nothing on stderr
	}{
		{args: []string{"version"}, status: 0, stdout: "streams poolsim/rng/", quietError: true},
		{args: []string{"--version"}, status: 0, stdout: "poolsim ", quietError: true},
		{args: []string{"-h"}, status: 0, stdout: "Commands:", quietError: true},
		{args: []string{"--help"}, status: 0, stdout: "Commands:", quietError: true},
		{args: []string{"help"}, status: 0, stdout: "Commands:", quietError: true},
		{args: []string{"help", "run"}, status: 0, stdout: "usage: poolsim run", quietError: true},
		{args: []string{}, status: 2, stderr: "Commands:"},
		{args: []string{"frobnicate"}, status: 2, stderr: `unknown command "frobnicate"`},
		{args: []string{"help", "frobnicate"}, status: 2, stderr: `unknown command "frobnicate"`},
		{args: []string{"version", "extra"}, status: 2, stderr: `unexpected argument "extra"`},
		{args: []string{"run", "--no-such-flag"}, status: 2, stderr: "flag provided but not defined: -no-such-flag"},
		{args: []string{"run", "--seed"}, status: 2, stderr: "flag needs an argument: -seed"},
		{args: []string{"run", "--seed", "minus-one"}, status: 2, stderr: "not an unsigned integer"},
		{args: []string{"run", "--set", "novalue"}, status: 2, stderr: "want key=value"},
		{args: []string{"run", "a.toml", "b.toml"}, status: 2, stderr: "one scenario at a time"},
		{args: []string{"run", "--interval", "0s"}, status: 2, stderr: "--interval must be positive"},
		{args: []string{"validate"}, status: 2, stderr: "no files to check"},
		{args: []string{"sweep"}, status: 2, stderr: "want one experiment"},
		{args: []string{"sweep", "x.toml", "--metric", "ok"}, status: 2, stderr: "--metric goes with --precision"},
		{args: []string{"sweep", "x.toml", "--force", "--resume"}, status: 2, stderr: "exclude each other"},
		{args: []string{"plot"}, status: 2, stderr: "want one directory"},
		{args: []string{"plot", "a", "b"}, status: 2, stderr: "want one directory, got 2 arguments"},
		{args: []string{"report"}, status: 2, stderr: "want one directory, got 0 arguments"},
		{args: []string{"fit"}, status: 2, stderr: "no log files"},
		{args: []string{"merge"}, status: 2, stderr: "-o DIR is required"},
		{args: []string{"merge", "-o", "x"}, status: 2, stderr: "no shard directories to merge"},
		{args: []string{"validate", "x.toml", "--max-events", "-1"}, status: 2, stderr: `invalid value "-1" for flag -max-events: want a number of events of 0 or more`},
		// NaN compares false with every estimate: it would disable the budget.
		{args: []string{"validate", "x.toml", "--max-events", "nan"}, status: 2, stderr: `invalid value "nan" for flag -max-events`},
		{args: []string{"run", "x.toml", "--max-events", "NaN"}, status: 2, stderr: `invalid value "NaN" for flag -max-events`},
		{args: []string{"run", "x.toml", "--max-events", "+Inf"}, status: 2, stderr: `invalid value "+Inf" for flag -max-events`},
		{args: []string{"list", "x"}, status: 2, stderr: `unexpected argument "x"`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			status, stdout, stderr := poolsim(t, tt.args...)
			if status != tt.status {
				t.Errorf("exit status %d, want %d\nstderr:\n%s", status, tt.status, stderr)
			}
			if !strings.Contains(stdout, tt.stdout) {
				t.Errorf("stdout does not contain %q:\n%s", tt.stdout, stdout)
			}
			if !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", tt.stderr, stderr)
			}
			if tt.quietError && stderr != "" {
				t.Errorf("stderr is not empty:\n%s", stderr)
			}
		})
	}
}

// TestHelpDocumentsEveryFlag checks that "-h" works on every command, exits
// 0, prints on stdout only, and documents every flag the command has.
func TestHelpDocumentsEveryFlag(t *testing.T) {
	for _, cmd := range commands() {
		if cmd.name == "help" {
			continue
		}
		for _, h := range []string{"-h", "--help"} {
			t.Run(cmd.name+" "+h, func(t *testing.T) {
				status, stdout, stderr := poolsim(t, cmd.name, h)
				if status != 0 || stderr != "" {
					t.Fatalf("exit status %d, stderr %q; want 0 and nothing", status, stderr)
				}
				if !strings.HasPrefix(stdout, "usage: poolsim "+cmd.name) {
					t.Errorf("usage does not start with the synopsis:\n%s", stdout)
				}
				for _, name := range flagNames(t, cmd.name) {
					if !strings.Contains(stdout, "  -"+name) {
						t.Errorf("usage does not document -%s:\n%s", name, stdout)
					}
				}
			})
		}
	}
}

// flagNames returns the flags of a command, found by asking it to parse a
// flag it does not have: the usage it prints lists them all.
func flagNames(t *testing.T, cmd string) []string {
	t.Helper()
	var names []string
	captureFlags = func(f *flagSet) {
		f.VisitAll(func(fl *flag.Flag) { names = append(names, fl.Name) })
	}
	defer func() { captureFlags = nil }()
	poolsim(t, cmd, "-h")
	return names
}

func TestSplitArgs(t *testing.T) {
	f := newFlagSet("test", "poolsim test")
	f.Bool("json", false, "")
	f.String("set", "", "")
	f.Bool("q", false, "")
	tests := []struct {
		args       []string
		flags, pos []string
	}{
		{[]string{"a.toml"}, nil, []string{"a.toml"}},
		{[]string{"a.toml", "--json"}, []string{"--json"}, []string{"a.toml"}},
		{[]string{"--set", "x=1", "a.toml"}, []string{"--set", "x=1"}, []string{"a.toml"}},
		{[]string{"a.toml", "--set", "x=1", "-q"}, []string{"--set", "x=1", "-q"}, []string{"a.toml"}},
		{[]string{"--set=x=1", "a.toml", "b"}, []string{"--set=x=1"}, []string{"a.toml", "b"}},
		{[]string{"--json=false", "a.toml"}, []string{"--json=false"}, []string{"a.toml"}},
		{[]string{"a.toml", "--", "--json"}, nil, []string{"a.toml", "--json"}},
		{[]string{"--unknown", "a.toml"}, []string{"--unknown"}, []string{"a.toml"}},
		{[]string{"-", "--json"}, []string{"--json"}, []string{"-"}},
		{[]string{"--set"}, []string{"--set"}, nil},
	}
	for _, tt := range tests {
		flags, pos := f.split(tt.args)
		if !reflect.DeepEqual(flags, tt.flags) || !reflect.DeepEqual(pos, tt.pos) {
			t.Errorf("split(%q) = %q, %q; want %q, %q", tt.args, flags, pos, tt.flags, tt.pos)
		}
	}
}
