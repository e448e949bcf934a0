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
//	plot      redraw an experiment's charts from its result tables
//	validate  check scenario and experiment files, reporting every error
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
package main
