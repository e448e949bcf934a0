package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is one subcommand of poolsim.
type command struct {
	name    string
	summary string
	// run executes the command with its arguments (after the command name).
	run func(c *cli, args []string) int
}

// commands lists the subcommands in the order the usage shows them.
func commands() []command {
	return []command{
		{"run", "simulate one scenario and print what happened", runRun},
		{"sweep", "run an experiment: variants × sweep axes × replications", runSweep},
		{"merge", "merge the shards of a sweep into one result", runMerge},
		{"plot", "redraw an experiment's charts from its result tables", runPlot},
		{"report", "write report.html, the page a design review reads, for a sweep or a run", runReport},
		{"validate", "check scenario and experiment files, reporting every error", runValidate},
		{"import", "write a scenario's pool from an IIS, php-fpm or gunicorn configuration", runImport},
		{"fit", "fit a scenario's workload to access and HTTPERR logs", runFit},
		{"list", "show the scenarios and experiments shipped with poolsim", runList},
		{"version", "print the version, the Go version and the random stream scheme", runVersion},
		{"help", "show the help of a command", runHelp},
	}
}

// cli carries the output streams of one invocation.
type cli struct {
	stdout, stderr io.Writer
}

// errorf prints an error on standard error and returns exitFailure.
func (c *cli) errorf(format string, a ...any) int {
	fmt.Fprintf(c.stderr, "poolsim: "+format+"\n", a...)
	return exitFailure
}

// run is poolsim's command line with its arguments (without the program
// name). It returns the process's exit status.
func run(args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		c.usage(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help", "--h":
		c.usage(stdout)
		return exitOK
	case "-version", "--version":
		name = "version"
	}
	cmd, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "poolsim: unknown command %q\n\n", name)
		c.usage(stderr)
		return exitUsage
	}
	return cmd.run(c, args[1:])
}

func lookup(name string) (command, bool) {
	for _, cmd := range commands() {
		if cmd.name == name {
			return cmd, true
		}
	}
	return command{}, false
}

// usage prints poolsim's top-level usage.
func (c *cli) usage(w io.Writer) {
	fmt.Fprint(w, `poolsim simulates application pools (IIS, gunicorn, uWSGI, php-fpm) under
load and faults: queues, crashes, hangs, recycling, rapid-fail protection.

Usage:

	poolsim <command> [arguments]

Commands:

`)
	for _, cmd := range commands() {
		fmt.Fprintf(w, "\t%-9s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprint(w, `
Run "poolsim <command> -h" for a command's arguments and flags.
With no scenario, "poolsim run" runs the shipped default scenario.
`)
}

// runHelp implements "poolsim help [command]".
func runHelp(c *cli, args []string) int {
	switch len(args) {
	case 0:
		c.usage(c.stdout)
		return exitOK
	case 1:
		if args[0] == "help" {
			c.usage(c.stdout)
			return exitOK
		}
		cmd, ok := lookup(args[0])
		if !ok {
			fmt.Fprintf(c.stderr, "poolsim help: unknown command %q\n\n", args[0])
			c.usage(c.stderr)
			return exitUsage
		}
		return cmd.run(c, []string{"-h"})
	default:
		fmt.Fprintln(c.stderr, "usage: poolsim help [command]")
		return exitUsage
	}
}

// flagSet is a command's flags and the text of its usage.
type flagSet struct {
	*flag.FlagSet
	usage string // "poolsim run [FILE|NAME] [flags]" and a description
	buf   bytes.Buffer
}

// captureFlags, when set, sees every flag set before it parses: the tests
// use it to list a command's flags.
var captureFlags func(*flagSet)

// newFlagSet returns an empty flag set for the command; usage is its synopsis
// line followed by a description, printed before the flags.
func newFlagSet(name, usage string) *flagSet {
	f := &flagSet{FlagSet: flag.NewFlagSet("poolsim "+name, flag.ContinueOnError), usage: usage}
	f.SetOutput(&f.buf)
	f.Usage = func() { f.printShortUsage(f.Output()) }
	return f
}

func (f *flagSet) printUsage(w io.Writer) {
	old := f.Output()
	f.SetOutput(w)
	defer f.SetOutput(old)
	fmt.Fprintf(w, "usage: %s\n", strings.TrimSpace(f.usage))
	n := 0
	f.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags (-flag and --flag are the same; flags may follow the arguments):\n\n")
		f.PrintDefaults()
	}
}

// printShortUsage prints the synopsis and where to find the rest, after a
// usage error.
func (f *flagSet) printShortUsage(w io.Writer) {
	synopsis, _, _ := strings.Cut(strings.TrimSpace(f.usage), "\n")
	fmt.Fprintf(w, "usage: %s\nRun \"%s -h\" for the arguments and flags.\n", synopsis, f.Name())
}

// parse parses the command's arguments, letting flags and positional
// arguments mix in any order ("run x.toml --seed 7" and "run --seed 7
// x.toml" mean the same; "--" ends the flags). It returns the positional
// arguments and, when parsing stops the command, the exit status: 0 after
// -h (usage on stdout), 2 after a bad flag (the error and usage on stderr).
func (f *flagSet) parse(c *cli, args []string) (pos []string, status int, stop bool) {
	if captureFlags != nil {
		captureFlags(f)
	}
	flags, pos := f.split(args)
	err := f.Parse(flags)
	if errors.Is(err, flag.ErrHelp) {
		f.buf.Reset()
		f.printUsage(c.stdout)
		return nil, exitOK, true
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "%s: %s", f.Name(), f.buf.String())
		f.buf.Reset()
		return nil, exitUsage, true
	}
	return append(f.Args(), pos...), exitOK, false
}

// split separates flags (with their values) from positional arguments.
// A flag that is not a boolean takes the next argument as its value unless
// written -flag=value. Unknown flags are kept with the flags, so that Parse
// reports them.
func (f *flagSet) split(args []string) (flags, pos []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return flags, append(pos, args[i+1:]...)
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		fl := f.Lookup(name)
		if fl == nil {
			continue
		}
		if b, ok := fl.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return flags, pos
}

// parseOne parses the arguments of a command that takes exactly one
// positional argument, what it is (e.g. "directory"), and returns it;
// when parsing stops the command, ok is false and status its exit status.
func (f *flagSet) parseOne(c *cli, args []string, what string) (arg string, status int, ok bool) {
	pos, status, stop := f.parse(c, args)
	if stop {
		return "", status, false
	}
	if len(pos) != 1 {
		return "", f.usageError(c, "want one %s, got %d arguments", what, len(pos)), false
	}
	return pos[0], exitOK, true
}

// parseSome parses the arguments of a command that takes one or more
// positional arguments; none is a usage error saying none (e.g. "no files
// to check").
func (f *flagSet) parseSome(c *cli, args []string, none string) (pos []string, status int, ok bool) {
	pos, status, stop := f.parse(c, args)
	if stop {
		return nil, status, false
	}
	if len(pos) == 0 {
		return nil, f.usageError(c, "%s", none), false
	}
	return pos, exitOK, true
}

// parseNone parses the arguments of a command that takes flags only.
func (f *flagSet) parseNone(c *cli, args []string) (status int, ok bool) {
	pos, status, stop := f.parse(c, args)
	if stop {
		return status, false
	}
	if len(pos) > 0 {
		return f.usageError(c, "unexpected argument %q", pos[0]), false
	}
	return exitOK, true
}

// usageError prints a usage error for the command and returns exitUsage.
func (f *flagSet) usageError(c *cli, format string, a ...any) int {
	fmt.Fprintf(c.stderr, "%s: %s\n", f.Name(), fmt.Sprintf(format, a...))
	f.printShortUsage(c.stderr)
	return exitUsage
}

// eventBudget is the value of a --max-events flag: a number of events, 0
// for the default budget. NaN, infinities and negative numbers are refused
// when the flag is parsed: NaN would compare false with every estimate and
// so disable the budget.
type eventBudget float64

func (b *eventBudget) String() string {
	if b == nil {
		return "0"
	}
	return strconv.FormatFloat(float64(*b), 'g', -1, 64)
}

func (b *eventBudget) Set(s string) error {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return errors.New("want a number of events of 0 or more, such as 2e8 (0: the default budget)")
	}
	*b = eventBudget(v)
	return nil
}
