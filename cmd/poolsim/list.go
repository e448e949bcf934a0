package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/poolsim/poolsim/experiments/catalog"
)

// runList implements "poolsim list".
func runList(c *cli, args []string) int {
	f := newFlagSet("list", `poolsim list

Lists the scenarios and experiments shipped with poolsim, with one line on
each. Give a name to "poolsim run" (scenarios) or "poolsim sweep"
(experiments); the default scenario is marked with *.`)
	pos, status, stop := f.parse(c, args)
	if stop {
		return status
	}
	if len(pos) > 0 {
		return f.usageError(c, "unexpected argument %q", pos[0])
	}
	var scenarios, experiments []string
	for _, name := range catalog.Names() {
		if _, ok := catalog.Experiment(name); ok {
			experiments = append(experiments, name)
		} else if _, ok := catalog.Scenario(name); ok {
			scenarios = append(scenarios, name)
		}
	}
	t := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	section := func(title string, names []string) {
		fmt.Fprintf(t, "%s:\n", title)
		if len(names) == 0 {
			fmt.Fprint(t, "  (none)\n")
		}
		for _, name := range names {
			mark := " "
			if name == catalog.Default {
				mark = "*"
			}
			fmt.Fprintf(t, "%s %s\t%s\n", mark, name, catalog.Describe(name))
		}
	}
	section("Scenarios (poolsim run NAME)", scenarios)
	fmt.Fprintln(t)
	section("Experiments (poolsim sweep NAME)", experiments)
	if err := t.Flush(); err != nil {
		return c.errorf("%v", err)
	}
	return exitOK
}
