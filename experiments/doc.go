// Package experiments runs experiment files: a base scenario, named variants
// of it, sweep axes, and replications of every grid point with common random
// numbers, aggregated into tables with Student-t confidence intervals.
//
// # The experiment file
//
//	name = "Recycle strategies for the trend page"
//	scenario = "trend-page.toml"   # relative to this file, or a shipped scenario's name
//	replications = 20              # default 10
//	seed = 7                       # default 1; replaces the scenario's seed
//	confidence = 0.95              # default 0.95; from MinConfidence to MaxConfidence
//	baseline = "time 29h"          # optional: the variant the others are compared with
//
//	[overrides]                    # optional: applied to every run, before the variant's
//	"horizon" = "24h"
//
//	[variants."time 29h"]          # named sets of overrides (dotted keys of the scenario)
//	[variants."time 60m"]
//	"pool.recycle.time" = "60m"
//	"classes.trend.service" = { dist = "exponential", mean = "30ms" }
//
//	[[sweep]]                      # axes; the grid is variants × every axis
//	key = "clients.trendpage.count"
//	values = [20, 40, 80]
//
//	[[chart]]                      # charts to draw from the results (see ChartKinds)
//	title = "503 rate by recycle strategy"
//	x = "variant"                  # or a sweep key
//	y = "rate_503"                 # a metric
//	group = "clients.trendpage.count"
//	kind = "bars"                  # bars, lines, diff; "" lets the chart choose
//
// An override's key may be written quoted ("pool.recycle.time") or as a TOML
// dotted key (pool.recycle.time); its value is any TOML value, and a table
// replaces the scenario's table whole. A file without variants has one,
// named "base": the scenario as it is. Decoding is strict: an unknown or
// misspelt key (keys are case-sensitive), a value of the wrong type or out
// of range is an error naming the file, line and key, and every variant,
// sweep value and grid point is decoded against the scenario before anything
// runs, so that an override the scenario rejects is reported with the
// experiment file's line and the variant's name. The seed cannot be
// overridden or swept: replications vary the random streams.
//
// # Grid, runs and common random numbers
//
// The grid points are the variants in file order, each crossed with every
// combination of sweep values (the last axis varying fastest). Run
// replication × P + point (P grid points) is replication r of grid point p:
// the run index is stable, so adding replications appends runs and never
// renumbers one, and a journal, a shard or a resumed sweep can name every
// run. Every run of replication r uses the random streams of (seed, r), so
// two variants see the same arrivals and faults in the same replication
// wherever they agree on the clients (common random numbers): identical
// variants give identical rows, and the difference between two variants is
// measured replication by replication, with far less noise.
//
// # Results
//
// Runs execute on Options.Parallel goroutines and are consumed strictly in
// run-index order through a bounded reorder window, so every table is the
// same bytes whatever the number of workers, and results.csv streams to
// disk without holding the runs in memory. Numbers are written as the
// shortest decimal that reads back as the same float64.
//
//   - results.csv: one row per run, in run-index order (replication-major):
//     variant, one column per sweep key (named by the key), replication,
//     seed, then every metric in model.MetricNames() order.
//   - summary.csv: one row per grid point: variant, sweep keys, n, then
//     <metric>_mean and <metric>_ci, the half-width of the Student-t
//     confidence interval (t quantile from gonum's distuv.StudentsT). With
//     n = 1 there is no estimate of spread: the half-width is written as 0,
//     and n says why.
//   - compare.csv: when there are two variants or more, each grid point of a
//     variant other than the baseline (the baseline key, else the first
//     variant) against the baseline's point with the same sweep values:
//     variant, baseline, sweep keys, n, then per metric <metric>_diff (the
//     mean per-replication difference, variant minus baseline),
//     <metric>_diff_ci (its paired-t half-width) and <metric>_unpaired_ci
//     (Welch's half-width for the same difference of independent samples,
//     to show what common random numbers gain).
//   - precision.csv, for a sequential-precision sweep: per grid point, the
//     replications used, the metric's mean, half-width, relative half-width,
//     the target and whether it was met.
//   - experiment.toml and scenario.toml: the files as run, experiment.toml
//     under a comment header recording the poolsim Version, the random
//     stream scheme (engine.StreamScheme) and the fingerprint.
//   - journal.jsonl: see [Journal].
//
// Aggregation streams: a running sum for each mean and Welford's algorithm
// for each variance, fed in run-index order; merged shards and resumed
// sweeps feed the same numbers in the same order and so write the same
// bytes.
//
// # Sequential precision
//
// With Options.Precision and Options.Metric, a sweep first runs
// e.Replications of every point, then adds rounds: the points whose
// half-width of the metric exceeds Precision × |mean| (a mean and a
// half-width of 0 count as met) all go to the same larger count, the
// largest estimate n·(relative/target)² among them, at least one more and at
// most double, capped at Options.MaxReplications. Rounds keep run indices
// increasing, so the result is as deterministic as a fixed-size sweep;
// summary.csv's n and precision.csv say how many each point needed.
//
// # Shards
//
// Options.Shards and Options.ShardIndex run one contiguous block of run
// indices (shard i of n: runs i·N/n to (i+1)·N/n − 1 of N), writing its rows
// and journal but no summary; [Merge] checks that a set of shard
// directories belongs to the experiment and holds every run, and writes the
// tables of the whole sweep, the same bytes as an unsharded sweep's.
//
// # Interruption
//
// On cancellation of the context (Ctrl-C in the command line), no new run
// starts, the runs in progress finish, every finished run is in the journal
// and in results.csv (in run order), and Run and RunTo return the context's
// error. Options.Resume then runs only what is missing.
package experiments
