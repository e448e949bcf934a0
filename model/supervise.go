package model

import "github.com/poolsim/poolsim/policies"

// counts reports whether a failure of this kind counts toward the
// supervisor's threshold (pool.rapid_fail.counts):
//   - "supervisor" (the default): the supervisor's own rule. IIS's
//     rapid-fail protection and the back-off count every failure (crashes,
//     ping, startup- and shutdown-limit kills, execution-limit kills);
//     php-fpm's emergency restart counts only children that exit on SIGSEGV
//     or SIGBUS (fpm_children.c, fpm_children_bury), so neither a kill by
//     the kernel's out-of-memory killer nor a request_terminate_timeout
//     kill (SIGTERM, measured) counts (policies.FailureFilter).
//   - "all": every failure, whatever the supervisor.
//   - "crashes": only deaths of a fault signal (SIGSEGV, SIGBUS), whatever
//     the supervisor.
//
// (docs/model.md#supervisors)
func (w *world) counts(kind policies.FailureKind) bool {
	switch w.pool.RapidFail.Counts {
	case "all":
		return true
	case "crashes":
		return kind == policies.FailFaultSignal
	}
	if f, ok := w.supervisor.(policies.FailureFilter); ok {
		return f.Counts(kind)
	}
	return true
}
