package main

import (
	"fmt"
	"os"

	"github.com/poolsim/poolsim/model/fit"
	"github.com/poolsim/poolsim/model/scenario"
)

const fitUsage = `poolsim fit LOG... [flags]

Fits the workload of a scenario to request logs and writes it: the classes
of requests with their service-time distributions, Poisson clients whose
rate follows the logs' time of day, and an [observed] table of the outcomes
the logs recorded, which "poolsim run" sets next to the simulated ones.

LOG is an IIS access log (W3C extended, u_ex*.log, with time-taken), an
HTTPERR log, or an nginx/Apache combined log ending in the request time
(nginx $request_time in seconds, or Apache %D in microseconds).

  classes   the --classes busiest URL paths (lower-cased, non-alphanumerics
            as "_": /api/Orders.aspx is api_orders_aspx) are their own
            classes, every other path is class "other"
  service   exponential, lognormal, gamma and weibull fitted by maximum
            likelihood, the smallest AIC chosen, the Kolmogorov-Smirnov
            distance and p-value shown, a warning when none fits. time-taken
            includes queueing and network time, so the default is fitted to
            the requests that arrived in the quietest quarter of minutes
  clients   one Poisson client per class; the hourly profile when the logs
            cover two hours or more (an hour not covered gets 1); a note
            when arrivals are burstier than Poisson, and a commented trace
            client that replays the log
  observed  ok (1xx-3xx), error (5xx), not_modelled (4xx), HTTPERR reasons;
            the comments give every status.substatus and the reasons per day

Malformed lines are skipped and counted, with the first few reasons; a file
that is not a log, or an access log without time-taken, is an error.

Examples:

	poolsim fit u_ex261123.log httperr1.log -o fitted.toml
	poolsim import applicationHost.config --pool Trend -o pool.toml
	poolsim fit u_ex*.log httperr*.log --base pool.toml -o trend.toml
	poolsim run trend.toml`

// runFit implements "poolsim fit".
func runFit(c *cli, args []string) int {
	f := newFlagSet("fit", fitUsage)
	out := f.String("o", "", "write the scenario to `FILE` (default: standard output)")
	classes := f.Int("classes", fit.DefaultClasses, "how many of the busiest paths get their own class (`N`)")
	base := f.String("base", "", "start from the scenario `FILE` that \"poolsim import\" wrote: keep its pool, replace its workload")
	atStart := f.Bool("time-at-start", false, "combined logs' times are arrivals (Apache %t), not ends (nginx $time_local)")
	pos, status, ok := f.parseSome(c, args, "no log files")
	if !ok {
		return status
	}
	if *classes < 1 {
		return f.usageError(c, "--classes must be at least 1, not %d", *classes)
	}
	var head []byte
	if *base != "" {
		data, err := os.ReadFile(*base)
		if err != nil {
			return c.errorf("%v", err)
		}
		head = fit.BaseHead(data)
	}
	w, err := fit.Read(pos, fit.Options{Classes: *classes, TimeAtStart: *atStart})
	if err != nil {
		return c.errorf("%v", err)
	}
	text := w.TOML(head)
	name := *out
	if name == "" {
		name = "fitted.toml"
	}
	if _, err := scenario.Decode(name, text); err != nil {
		return c.errorf("the fitted scenario does not validate (please report it):\n%v", err)
	}
	for _, n := range w.Notes {
		fmt.Fprintf(c.stderr, "note: %s\n", n)
	}
	if err := writeResult(c.stdout, *out, text); err != nil {
		return c.errorf("%v", err)
	}
	if *out == "" {
		return exitOK
	}
	fmt.Fprintf(c.stderr, "wrote %s: %d classes from %d requests\n", *out, len(w.Classes), w.Requests)
	return exitOK
}
