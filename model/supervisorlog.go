package model

import (
	"fmt"
	"strconv"

	"github.com/poolsim/poolsim/policies"
)

// SupervisorLog is what the pool's supervisor would have written in its own
// log, counted by kind of line: the Windows Process Activation Service's
// events for IIS (policy iis), php-fpm's error_log for emergency_restart,
// Kubernetes events for backoff. Rule: docs/model.md#events.
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
func supervisorLog(p *Pool, e *[numEventKinds]int64, was []WASEvent) SupervisorLog {
	n := func(k int) int { return int(e[k]) }
	switch p.RapidFail.Policy {
	case policies.PolicyEmergencyRestart:
		// php-src sapi/fpm/fpm/fpm_children.c, fpm_children_bury: every child
		// that dies of a signal is logged "child %d exited on signal %d (%s)"
		// at WARNING; the reload at the threshold is logged "failed processes
		// threshold (%d in %d sec) is reached, initiating reload".
		crashes := n(evkCrash) - n(evkMemoryCrash)
		kills := n(evkMemoryCrash) + n(evkPingKill) + n(evkStartupKill) + n(evkShutdownKill)
		return SupervisorLog{Name: "php-fpm log (error_log)", Lines: []LogLine{
			{"WARNING", "[pool " + p.Name + "] child exited on signal 11 (SIGSEGV)", crashes},
			{"WARNING", "[pool " + p.Name + "] child exited on signal 9 (SIGKILL)", kills},
			{"WARNING", fmt.Sprintf("failed processes threshold (%d in %d sec) is reached, initiating reload",
				p.RapidFail.MaxCrashes, int64(p.RapidFail.Interval.T().Seconds())), n(evkEmergencyRestart)},
		}}
	case policies.PolicyBackoff:
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
