// Poolsim simulates IIS-style application pools (and gunicorn, uWSGI or
// php-fpm worker pools) under load and faults: request queues, worker
// crashes and hangs, recycling, rapid-fail protection, slow backends and
// polling clients. It answers capacity and configuration questions, such as
// which recycle strategy loses the fewest requests, before production does.
//
// Usage:
//
//	poolsim <command> [arguments]
//
// The commands are:
//
//	run       simulate one scenario and print what happened
//	sweep     run an experiment: variants × sweep axes × replications
//	merge     merge the shards of a sweep into one result
//	plot      redraw an experiment's charts from its result tables
//	report    write report.html, the page a design review reads, for a sweep or a run
//	validate  check scenario and experiment files, reporting every error
//	import    write a scenario's pool from an IIS, php-fpm or gunicorn configuration
//	fit       fit a scenario's workload to access and HTTPERR logs
//	list      show the scenarios and experiments shipped with poolsim
//	version   print the version, the Go version and the random stream scheme
//	help      show the help of a command
//
// Every command takes -h. Flags may be written -flag or --flag, and may come
// before or after the positional arguments. Errors go to standard error; the
// exit status is 0 on success, 1 on failure and 2 on a usage error.
//
// A scenario or experiment is named by a path to a TOML file or by the name
// of one shipped with poolsim (see poolsim list). The file formats and the
// metrics are described in the repository's README.md.
//
// A sweep too large for one machine runs in shards, each a contiguous block
// of its runs, for instance as the tasks of a Slurm array job or of a
// Kubernetes Indexed Job (the shard index defaults to $SLURM_ARRAY_TASK_ID,
// then $JOB_COMPLETION_INDEX); merge then joins them into the tables and
// charts that one sweep would have written, byte for byte:
//
//	poolsim sweep exp.toml --shards 8 --shard-index 3 -o out/exp/shard-3
//	poolsim merge -o out/exp out/exp/shard-*
//
// Bad input is never fatal to more than the command: a file that is not
// TOML, a misspelt key, a value of the wrong type or out of range, or a
// reference to something the scenario does not define is reported on
// standard error as FILE:LINE: KEY = VALUE: what is allowed, with exit
// status 1 and no output file written. validate reports the same errors as
// run (for a scenario) and sweep (for an experiment).
package main
