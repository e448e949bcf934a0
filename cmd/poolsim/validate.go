package main

import (
	"fmt"

	"github.com/BurntSushi/toml"

	"github.com/poolsim/poolsim/experiments"
	"github.com/poolsim/poolsim/model"
)

// runValidate implements "poolsim validate".
func runValidate(c *cli, args []string) int {
	f := newFlagSet("validate", `poolsim validate FILE|NAME...

Checks scenario and experiment files without running them and reports every
problem of every file, each as FILE:LINE: KEY = VALUE: what is wrong or
allowed. An experiment (a file with a "scenario" key) is checked with its
base scenario and every variant and sweep value applied to it. Prints
"FILE: ok" for a file without errors, and its warnings (values that IIS
would refuse but poolsim models). Exits 1 if any file has an error.

Examples:

	poolsim validate my-scenario.toml my-experiment.toml
	poolsim validate trend-page`)
	pos, status, stop := f.parse(c, args)
	if stop {
		return status
	}
	if len(pos) == 0 {
		return f.usageError(c, "no files to check")
	}
	exit := exitOK
	for _, arg := range pos {
		if !c.validate(arg) {
			exit = exitFailure
		}
	}
	return exit
}

// validate checks one file or shipped name and reports on it.
func (c *cli) validate(arg string) bool {
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
	} else if !in.shipped && isExperiment(in.data) {
		kind = kindExperiment
	}
	var warnings []string
	if kind == kindExperiment {
		_, err = experiments.Load(arg)
	} else {
		_, warnings, err = model.DecodeWarn(in.name, in.data)
	}
	if err != nil {
		c.printErrors(err)
		return false
	}
	for _, w := range warnings {
		fmt.Fprintf(c.stdout, "warning: %s\n", w)
	}
	fmt.Fprintf(c.stdout, "%s: ok\n", in.name)
	return true
}

// isExperiment reports whether a TOML document is an experiment file: one
// with a top-level "scenario" key. A document that does not parse is not
// one (decoding it as a scenario reports the syntax error).
func isExperiment(data []byte) bool {
	var top map[string]any
	if _, err := toml.Decode(string(data), &top); err != nil {
		return false
	}
	_, ok := top["scenario"]
	return ok
}
