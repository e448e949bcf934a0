package model

import (
	"testing"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// baseScenario is a fully specified M/M/c pool without faults, built
// without the decoder so that simulator tests stand alone.
func baseScenario(rate float64, meanService engine.Time, threads, queue int, horizon engine.Time) *scenario.Scenario {
	return &scenario.Scenario{
		Name: "test", Horizon: scenario.Duration(horizon), Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Seed: 1,
		Pool: scenario.Pool{
			Name: "DefaultAppPool", QueueLength: queue, MaxProcesses: 1, Threads: threads,
			StartupTime: scenario.Const(0), LoadBalancer: "http", Dispatch: "round_robin",
			RapidFail: scenario.RapidFail{Policy: "iis", Enabled: true, MaxCrashes: 5, Interval: scenario.Duration(5 * engine.Minute),
				RestartAfter: scenario.Duration(engine.Never), Window: "sliding"},
			Recycle: scenario.Recycle{Overlapping: true},
			Memory:  scenario.Memory{Base: 120 << 20},
		},
		Classes: map[string]*scenario.Class{"page": {Service: scenario.Dist{Kind: "exponential", Mean: meanService}}},
		Clients: map[string]*scenario.Client{"users": {Kind: "poisson", Rate: rate, Class: "page"}},
		Lock:    scenario.Lock{OnContention: "fail"},
		Retry:   scenario.Retry{Policy: "none", MaxAttempts: 1},
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
