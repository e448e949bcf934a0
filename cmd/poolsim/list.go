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
	if status, ok := f.parseNone(c, args); !ok {
		return status
	}
	var scenarios, experiments []catalog.Entry
	for _, e := range catalog.List() {
		if e.Kind == catalog.KindExperiment {
			experiments = append(experiments, e)
		} else {
			scenarios = append(scenarios, e)
		}
	}
	t := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	section := func(title string, entries []catalog.Entry) {
		fmt.Fprintf(t, "%s:\n", title)
		if len(entries) == 0 {
			fmt.Fprint(t, "  (none)\n")
		}
		for _, e := range entries {
			mark := " "
			if e.Kind == catalog.KindScenario && e.Name == catalog.Default {
				mark = "*"
			}
			fmt.Fprintf(t, "%s %s\t%s\n", mark, e.Name, e.Description)
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
