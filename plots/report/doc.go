// Package report writes the page a design review reads: report.html, one
// self-contained file (charts inlined as SVG, styles inline, no script and
// nothing fetched) that opens in any browser and prints to PDF.
//
// From a finished sweep's directory, the page puts the question and the
// answer first: the experiment's title and description, then a verdict in
// plain words computed from the paired comparisons with the baseline (which
// variants are significantly better or worse on each key metric, and which
// do not differ), then a table of every grid point with the key metrics'
// means and confidence intervals, the charts with captions, the warnings
// the run carries, the scenario as run with poolsim's assumptions marked,
// and the version, random-stream scheme and command that reproduce it:
//
//	s, err := report.LoadSweep("out/recycle-strategies")
//	err = report.WriteSweep(s, report.Options{Version: "v1.2.0"})
//
// From one run (poolsim run --plot DIR), the page holds the run's summary,
// its time series, the worker timeline with its events and the memory of
// the oldest worker: WriteRun.
package report
