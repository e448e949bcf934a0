package main

import (
	"fmt"
	"strconv"

	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/internal/tomlin"
	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// runValidate implements "poolsim validate".
func runValidate(c *cli, args []string) int {
	f := newFlagSet("validate", `poolsim validate FILE|NAME... [flags]

Checks scenario and experiment files without running them and reports every
problem of every file, each as FILE:LINE: KEY = VALUE: what is wrong or
allowed: the same errors that "poolsim run" (for a scenario) and "poolsim
sweep" (for an experiment) would report. An experiment (a file with a
key only experiments have: scenario, variants, sweep ...) is checked with
its base scenario and every variant and sweep value applied to it. A scenario whose run would exceed the event
budget of "poolsim run" is an error too. Prints "FILE: ok" for a file
without errors, and its warnings (values that IIS would refuse but poolsim
models). Exits 1 if any file has an error.

Every input is a regular file of at most `+strconv.Itoa(tomlin.MaxFileBytes>>20)+` MB of UTF-8 text, nested at
most `+strconv.Itoa(tomlin.MaxDepth)+` deep, without control characters in keys or strings; past the first
`+strconv.Itoa(tomlin.MaxReported)+` problems of a file, one last line counts the others. A file name that
is not printable text is quoted.

Examples:

	poolsim validate my-scenario.toml my-experiment.toml
	poolsim validate trend-page`)
	maxEvents := new(float64)
	f.Var((*eventBudget)(maxEvents), "max-events", "check scenarios against the event budget `N` of \"poolsim run --max-events N\"\n(0: the default budget, "+strconv.FormatFloat(model.DefaultMaxEvents, 'g', -1, 64)+")")
	pos, status, ok := f.parseSome(c, args, "no files to check")
	if !ok {
		return status
	}
	exit := exitOK
	for _, arg := range pos {
		if !c.validate(arg, *maxEvents) {
			exit = exitFailure
		}
	}
	return exit
}

// validate checks one file or shipped name and reports on it as run or
// sweep would.
func (c *cli) validate(arg string, maxEvents float64) bool {
	kind := kindScenario
	in, err := readInput(arg, kindScenario)
	if err != nil {
		// Perhaps a shipped experiment.
		var err2 error
		if in, err2 = readInput(arg, kindExperiment); err2 != nil {
			c.errorf("%v", err)
			return false
		}
		kind = kindExperiment
	}
	data, err := checkTOML(in.name, in.data)
	if err != nil {
		c.printErrors(err)
		return false
	}
	if !in.shipped && isExperiment(data) {
		kind = kindExperiment
	}
	var warnings []string
	if kind == kindExperiment {
		e, err := parseExperiment(in)
		if err != nil {
			c.printErrors(err)
			return false
		}
		if err := e.CheckRuns(experiments.Options{MaxEvents: maxEvents}); err != nil {
			c.errorf("%v", err)
			return false
		}
	} else {
		sc, w, err := scenario.DecodeWarn(in.name, data)
		if err != nil {
			c.printErrors(err)
			return false
		}
		if err := model.CheckBudget(sc, maxEvents); err != nil {
			c.errorf("%s: %v", arg, err)
			return false
		}
		warnings = w
	}
	for _, w := range warnings {
		fmt.Fprintf(c.stdout, "warning: %s\n", w)
	}
	fmt.Fprintf(c.stdout, "%s: ok\n", in.name)
	return true
}

// isExperiment reports whether a TOML document is an experiment file: one
// with a top-level key that only experiments have ("scenario", "variants",
// "sweep" …). A document that does not parse is not one.
func isExperiment(data []byte) bool {
	doc, err := tomlin.Parse("", data, "")
	return err == nil && experiments.IsExperiment(doc.Raw)
}
