package model

// counts reports whether a failure of this kind counts toward the
// supervisor's threshold (pool.rapid_fail.counts): every failure (IIS's
// rapid-fail protection counts crashes, ping, startup- and shutdown-limit
// kills), or only crashes (php-fpm counts children that exit on SIGSEGV or
// SIGBUS, fpm_children.c fpm_children_bury; a request_terminate_timeout
// kill is a SIGTERM and does not count, measured).
func (w *world) counts(kind string) bool {
	return w.pool.RapidFail.Counts != "crashes" || kind == "crash"
}
