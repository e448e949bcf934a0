package model

import (
	"fmt"
	"strconv"

	"github.com/poolsim/poolsim/model/scenario"
	"github.com/poolsim/poolsim/policies"
)

// SupervisorLog is what the pool's supervisor would have written in its own
// log, counted by kind of line: the Windows Process Activation Service's
// events for IIS, php-fpm's error_log (policy emergency_restart), gunicorn's
// error log, uWSGI's log, Kubernetes events for backoff. Rule:
// docs/model.md#events.
type SupervisorLog struct {
	Name  string // where to look: "WAS events (System log, source WAS)", ...
	Lines []LogLine
}

// LogLine counts one kind of log line.
type LogLine struct {
	Key   string // the event ID, level or reason
	Text  string
	Count int
}

// supervisorLog builds the log of the scenario's supervisor from the run's
// event counts e and its WAS events.
func supervisorLog(server string, p *scenario.Pool, e *[numEventKinds]int64, was []WASEvent) SupervisorLog {
	n := func(k int) int { return int(e[k]) }
	// A pool under Kubernetes (policy backoff) is seen through its events,
	// whatever server runs in the container.
	switch {
	case server == "gunicorn" && p.RapidFail.Policy != policies.PolicyBackoff:
		return gunicornLog(n)
	case server == "uwsgi" && p.RapidFail.Policy != policies.PolicyBackoff:
		return uwsgiLog(n)
	case p.RapidFail.Policy == policies.PolicyEmergencyRestart:
		return phpFPMLog(p, n)
	case p.RapidFail.Policy == policies.PolicyBackoff:
		// Kubernetes events of a pod whose container keeps failing: each
		// restart held back is a BackOff warning; a failed liveness probe
		// is an Unhealthy warning and a Killing event.
		failures := n(evkCrash) + n(evkPingKill) + n(evkStartupKill) + n(evkShutdownKill)
		return SupervisorLog{Name: "Kubernetes events (kubectl get events)", Lines: []LogLine{
			{"BackOff", "Back-off restarting failed container", failures},
			{"Unhealthy", "Liveness probe failed", n(evkPingKill)},
			{"Killing", "Container failed liveness probe, will be restarted", n(evkPingKill)},
			{"OOMKilled", "container terminated: reason OOMKilled", n(evkMemoryCrash)},
		}}
	}
	log := SupervisorLog{Name: "WAS events (System log, source WAS)"}
	for _, ev := range was {
		log.Lines = append(log.Lines, LogLine{strconv.Itoa(ev.ID), ev.Name, ev.Count})
	}
	return log
}

// phpFPMLog is php-fpm's error_log. php-src sapi/fpm/fpm/fpm_children.c,
// fpm_children_bury: every child that dies of a signal is logged "child %d
// exited on signal %d (%s)" at WARNING; the reload at the threshold is
// "failed processes threshold (%d in %d sec) is reached, initiating
// reload". fpm_request.c, fpm_request_check_timed_out: a request over
// request_terminate_timeout is logged "execution timed out" and its child
// sent SIGTERM; a reload or stop sends SIGQUIT, then SIGTERM after
// process_control_timeout (fpm_pctl.c, fpm_pctl_action_next), so a child
// still busy then dies of SIGTERM. A code crash dies of its class's
// crash_signal; a memory death is the kernel's OOM killer's SIGKILL.
func phpFPMLog(p *scenario.Pool, n func(int) int) SupervisorLog {
	pool := "[pool " + p.Name + "] "
	terms := n(evkExecTimeoutKill) + n(evkShutdownKill) + n(evkStartupKill) + n(evkPingKill)
	return SupervisorLog{Name: "php-fpm log (error_log)", Lines: []LogLine{
		{"WARNING", pool + "child exited on signal 11 (SIGSEGV)", n(evkCrash) - n(evkSigkillCrash)},
		{"WARNING", pool + "child, script '...' execution timed out, terminating", n(evkExecTimeoutKill)},
		{"WARNING", pool + "child exited on signal 15 (SIGTERM)", terms},
		{"WARNING", pool + "child exited on signal 9 (SIGKILL)", n(evkSigkillCrash)},
		{"WARNING", fmt.Sprintf("failed processes threshold (%d in %d sec) is reached, initiating reload",
			p.RapidFail.MaxCrashes, int64(p.RapidFail.Interval.T().Seconds())), n(evkEmergencyRestart)},
	}}
}

// gunicornLog is gunicorn's error log (--error-logfile). gunicorn
// arbiter.py: murder_workers logs "WORKER TIMEOUT (pid:%s)" at CRITICAL
// and sends SIGABRT, whose handler exits with code 1 (workers/base.py,
// handle_abort), which reap_workers logs "Worker (pid:%s) exited with code
// %s." at ERROR; a worker killed by a signal is "Worker (pid:%s) was sent
// %s!" (gunicorn 21 and later), with " Perhaps out of memory?" for SIGKILL
// (also sent after graceful_timeout); spawn_worker logs "Booting worker
// with pid: %s". workers/sync.py (and gthread): "Autorestarting worker after
// current request." when max_requests is reached.
func gunicornLog(n func(int) int) SupervisorLog {
	return SupervisorLog{Name: "gunicorn error log (--error-logfile)", Lines: []LogLine{
		{"CRITICAL", "WORKER TIMEOUT (pid:N)", n(evkExecTimeoutKill)},
		{"ERROR", "Worker (pid:N) exited with code 1.", n(evkExecTimeoutKill)},
		{"INFO", "Autorestarting worker after current request.", n(evkRecycleRequests)},
		{"WARNING", "Worker (pid:N) was sent SIGSEGV!", n(evkCrash) - n(evkSigkillCrash)},
		{"ERROR", "Worker (pid:N) was sent SIGKILL! Perhaps out of memory?", n(evkSigkillCrash) + n(evkShutdownKill)},
		{"INFO", "Booting worker with pid: N", n(evkWorkerStart)},
	}}
}

// uwsgiLog is uWSGI's log. uWSGI core/master_utils.c, trigger_harakiri:
// "*** HARAKIRI ON WORKER %d (pid: %d, try: %d, graceful: %s) ***", then
// SIGKILL (harakiri-graceful-timeout unset); core/master.c: a worker dead
// of a signal while serving is "DAMN ! worker %d (pid: %d) died, killed by
// signal %d :( trying respawn ..."; core/utils.c, uwsgi_close_request: a
// worker over max-requests or reload-on-rss ends itself, logged by
// core/uwsgi.c "...The work of process %d is done (%s). Seeya!" with the
// reason "max requests reached (%llu >= %llu)" or "reload-on-rss limit
// reached (%llu >= %llu)"; core/master.c: a worker the cheaper subsystem
// stopped is "uWSGI worker %d cheaped." once it has exited.
func uwsgiLog(n func(int) int) SupervisorLog {
	return SupervisorLog{Name: "uWSGI log (logto)", Lines: []LogLine{
		{"harakiri", "*** HARAKIRI ON WORKER N (pid: P, try: 1, graceful: yes) ***", n(evkExecTimeoutKill)},
		{"died", "DAMN ! worker N (pid: P) died, killed by signal 9 :( trying respawn ...", n(evkExecTimeoutKill) + n(evkSigkillCrash) + n(evkShutdownKill)},
		{"died", "DAMN ! worker N (pid: P) died, killed by signal 11 :( trying respawn ...", n(evkCrash) - n(evkSigkillCrash)},
		{"recycle", "...The work of process P is done (max requests reached (N >= N)). Seeya!", n(evkRecycleRequests)},
		{"recycle", "...The work of process P is done (reload-on-rss limit reached (N >= N)). Seeya!", n(evkRecycleMemory)},
		{"cheaped", "uWSGI worker N cheaped.", n(evkIdle)},
	}}
}
