// Package plots draws poolsim's charts with gonum/plot: from the result
// tables of a sweep (summary.csv, compare.csv), grouped bars with confidence
// intervals per variant, lines against a swept parameter with a confidence
// band, and the paired difference of each variant from the baseline; from one
// run, a stacked time series of outcomes and a timeline of worker lifecycles.
//
// Every chart is a *plot.Plot styled for a slide (8 × 4.5 in, Liberation
// Sans, a colour-blind-safe palette, legends beside the data rather than on
// it). Save writes one as PNG and SVG; PNG renders one in memory for a
// notebook; Draw redraws every chart of a result directory, as
// `poolsim plot DIR` does:
//
//	files, err := plots.Draw("out", nil) // out/charts/*.png and *.svg
//
//	summary, err := plots.ReadTable("out/summary.csv")
//	p, err := plots.Bars(summary, "rate_503", "clients.trendpage.count")
//	err = plots.Save(p, "out/charts", "rate-503")
//
// PNG bytes depend on the CPU target (FMA), so tests compare SVG text.
package plots
