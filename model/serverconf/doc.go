// Package serverconf reads a server's configuration and writes the pool of
// a scenario (poolsim import): IIS's applicationHost.config (also IIS
// Express's), php-fpm's INI pool files and php-fpm.conf, gunicorn's Python
// configuration files and command lines.
//
// Every value written carries a comment naming the setting it came from
// (file, line and attribute); every setting that poolsim does not model is
// a warning, never silently dropped; a computed gunicorn value (a Python
// expression) is reported, not evaluated. The scenario ends with a
// placeholder workload after scenario.WorkloadMarker, for poolsim fit --base
// to replace.
package serverconf
