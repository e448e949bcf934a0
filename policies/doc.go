// Package policies holds the decisions a poolsim user swaps by name in the
// scenario file: the supervisor's reaction to worker failures (IIS
// rapid-fail protection, php-fpm's emergency restart, Kubernetes'
// CrashLoopBackOff), recycle triggers with jitter and scheduled recycles,
// client retry, and dispatch within a web garden.
//
// Each decision is a small interface with named implementations, each
// documented with the source of its rule:
//
//	Supervisor  NewSupervisor  "iis" (RapidFail), "emergency_restart" (EmergencyRestart),
//	                           "backoff" (CrashLoopBackOff); Disabled when not enabled
//	Retry       NewRetry       "none", "fixed", "exponential" (full jitter)
//	Dispatch    NewDispatch    "least_busy", "round_robin"
//	recycling   RecycleTrigger.Draw, NextScheduled, ParseTimeOfDay
//
// A policy sees the simulation only through engine time, a random stream and
// the small views declared here, never through the model's types, so
// policies can be read and tested alone. Policies never read the clock or
// draw randomness of their own: given the same calls and the same stream,
// they decide the same way. Package policytest checks implementations
// against the contracts written on the interfaces.
//
// Constructors reject bad settings with errors that name the scenario key,
// the value and what is allowed; nothing here panics on bad input.
package policies
