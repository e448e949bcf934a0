package model

import (
	"testing"
	"time"

	"github.com/poolsim/poolsim/engine"
)

// baseScenario is a fully specified M/M/c pool without faults, built
// without the decoder so that simulator tests stand alone.
func baseScenario(rate float64, meanService engine.Time, threads, queue int, horizon engine.Time) *Scenario {
	return &Scenario{
		Name: "test", Horizon: Duration(horizon), Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Seed: 1,
		Pool: Pool{
			Name: "DefaultAppPool", QueueLength: queue, MaxProcesses: 1, Threads: threads,
			StartupTime: Const(0), LoadBalancer: "http", Dispatch: "round_robin",
			RapidFail: RapidFail{Policy: "iis", Enabled: true, MaxCrashes: 5, Interval: Duration(5 * engine.Minute),
				RestartAfter: Duration(engine.Never), Window: "sliding"},
			Recycle: Recycle{Overlapping: true},
			Memory:  Memory{Base: 120 << 20},
		},
		Classes: map[string]*Class{"page": {Service: Dist{Kind: "exponential", Mean: meanService}}},
		Clients: map[string]*Client{"users": {Kind: "poisson", Rate: rate, Class: "page"}},
		Lock:    Lock{OnContention: "fail"},
		Retry:   Retry{Policy: "none", MaxAttempts: 1},
	}
}

func checkConservation(t *testing.T, m Metrics) {
	t.Helper()
	sum := m.OK + m.Stale + m.Error + m.RejectedQueueFull + m.RejectedAppOffline + m.RejectedTCPReset + m.Expired + m.Abandoned + m.ClientTimeout + m.RejectedShutdown + m.InFlight
	if sum != m.Arrivals {
		t.Errorf("outcomes add up to %v, arrivals %v: %+v", sum, m.Arrivals, m)
	}
	if m.InFlight < 0 {
		t.Errorf("in_flight %v < 0", m.InFlight)
	}
	causes := m.AbandonedCrash + m.AbandonedShutdown + m.AbandonedPing + m.AbandonedMemory + m.AbandonedExecTimeout + m.AbandonedMinSendRate
	if causes != m.Abandoned {
		t.Errorf("abandoned causes add up to %v, abandoned %v", causes, m.Abandoned)
	}
}
