// Package plots draws poolsim's charts with gonum/plot: from the result
// tables of a sweep (summary.csv, compare.csv), grouped bars with confidence
// intervals per variant, lines against a swept parameter with a confidence
// band, and the paired difference of each variant from the baseline; from one
// run, a stacked time series of outcomes, a timeline of worker lifecycles,
// and the memory of the oldest worker with the run's events.
//
// Every chart is a *Figure: a *plot.Plot styled for a slide (8 × 4.5 in,
// Liberation Sans, a colour-blind-safe palette, legends beside the data
// rather than on it) that carries its own legend, a caption and a footnote.
// Charts are drawn for a reader who was not there: names come from a
// dictionary (KeyName, MetricName), rates are percentages, durations and
// sizes are read with the scenario contract's parsers and labelled in their
// units (logarithmic past a decade), intervals stop at a metric's natural
// bounds, zero bars are marked, identical lines are named, and
// Figure.Describe writes the footnote (replications, confidence level,
// horizon). Save writes a chart as PNG and SVG; PNG renders one in memory
// for a notebook; Draw redraws every chart of a result directory, as
// `poolsim plot DIR` does:
//
//	files, err := plots.Draw("out", nil, plots.About{Confidence: 0.95, Horizon: "24h"})
//
//	summary, err := plots.ReadTable("out/summary.csv")
//	f, err := plots.Bars(summary, "rate_503", "clients.trendpage.count")
//	err = plots.Save(f, "out/charts", "rate-503")
//
// The report subpackage writes a sweep's or a run's report.html around
// these charts. PNG bytes depend on the CPU target (FMA), so tests compare
// SVG text.
package plots
