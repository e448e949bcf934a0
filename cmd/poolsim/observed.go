package main

import (
	"fmt"
	"io"
	"math"

	"github.com/poolsim/poolsim/model"
	"github.com/poolsim/poolsim/model/scenario"
)

// writeObservedCheck prints, for a scenario with an [observed] table, the
// simulated outcome counts next to the logs' (scaled to the run's measured
// span), and the notes of trace clients.
func writeObservedCheck(w io.Writer, sc *scenario.Scenario, res *model.Result) error {
	var err error
	p := func(format string, a ...any) {
		if err == nil {
			_, err = fmt.Fprintf(w, format, a...)
		}
	}
	for _, n := range res.Notes {
		p("note: %s\n", n)
	}
	rows := model.CompareObserved(sc, res)
	if rows == nil {
		return err
	}
	o := sc.Observed
	p("\nSimulated and observed (the logs' %s to %s, scaled to the %s measured):\n\n",
		o.From.Format("2006-01-02 15:04"), o.To.Format("2006-01-02 15:04"), (res.Horizon - res.Warmup).Duration())
	p("  %-22s %12s %12s %12s %8s\n", "outcome", "simulated", "observed", "difference", "ratio")
	for _, r := range rows {
		ratio := "-"
		if r.Observed > 0 {
			ratio = fmt.Sprintf("%.2f", r.Simulated/r.Observed)
		}
		p("  %-22s %12.0f %12.1f %+12.1f %8s", r.Name, r.Simulated, r.Observed, r.Simulated-r.Observed, ratio)
		// A Poisson count's sd is its square root: flag differences past
		// three of them (of the larger count, at least 1).
		if math.Abs(r.Simulated-r.Observed) > 3*math.Sqrt(max(r.Simulated, r.Observed, 1)) {
			p("  differs")
		}
		p("\n")
	}
	p("\n  \"differs\": more than 3 standard deviations apart if both counts were Poisson.\n")
	if o.NotModelled+o.HTTPErrOther > 0 {
		p("  The logs also hold requests poolsim does not model, left out above: not_modelled = %d\n"+
			"  (status 4xx), httperr_other = %d (other HTTPERR reasons); see [observed].\n", o.NotModelled, o.HTTPErrOther)
	}
	return err
}
