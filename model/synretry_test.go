package model

import (
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestSynRetry checks the rule "a full TCP backlog drops the SYN, which the
// client retransmits after 1, 2, 4 … s". One thread, a queue of 1, 5 s
// requests: A at 0 runs 0–5, B at 0.05 s waits; C at 0.1 s finds the queue full
// and is retransmitted at 1.1 s and 3.1 s (still full), then at 7.1 s
// (B runs 5–10, the queue is empty): C queues and runs 10–15, answering
// 14.9 s after it was first sent. Three SYNs dropped.
func TestSynRetry(t *testing.T) {
	sc := handScenario(1, 5*engine.Second, 60*engine.Second)
	sc.Pool.QueueLength = 1
	sc.Pool.OnQueueFull = "syn_retry"
	res, _ := runAt(t, sc, 0, 50*engine.Millisecond, 100*engine.Millisecond)
	m := res.Metrics
	if m.OK != 3 || m.SynDrops != 3 || m.RejectedQueueFull != 0 {
		t.Errorf("ok %v syn_drops %v rejected %v, want 3 3 0", m.OK, m.SynDrops, m.RejectedQueueFull)
	}
	if want := (5 + 9.95 + 14.9) / 3; m.ResponseMeanS < want-1e-9 || m.ResponseMeanS > want+1e-9 {
		t.Errorf("response_mean_s %v, want %v", m.ResponseMeanS, want)
	}
}

// TestSynRetryConnectTimeout checks that a connection not accepted within
// connect_timeout fails then (nginx's 504 after proxy_connect_timeout): a
// 3 s limit ends C at 3.1 s, after two dropped SYNs (0.1 s, 1.1 s; the next
// retransmission at 3.1 s would be past the limit).
func TestSynRetryConnectTimeout(t *testing.T) {
	sc := handScenario(1, 5*engine.Second, 60*engine.Second)
	sc.Pool.QueueLength = 1
	sc.Pool.OnQueueFull = "syn_retry"
	sc.Pool.ConnectTimeout = scenario.Duration(3 * engine.Second)
	res, trace := runAt(t, sc, 0, 50*engine.Millisecond, 100*engine.Millisecond)
	m := res.Metrics
	at := timesOf(trace, "rejected_queue_full")
	if m.OK != 2 || m.RejectedQueueFull != 1 || m.SynDrops != 2 || len(at) != 1 || !near(at[0], 3.1) {
		t.Errorf("ok %v rejected %v syn_drops %v failed at %v, want 2 1 2 [3.1]\n%s", m.OK, m.RejectedQueueFull, m.SynDrops, at, trace)
	}
}

// TestSynRetryKernelLimit checks the rule "the kernel gives up a
// connection at 127 s (tcp_syn_retries = 6) whatever the client's
// connect_timeout": with connect_timeout = 500 s and the queue full for
// 300 s, C, arriving at 0.1 s, has its SYN dropped 7 times (at 0.1 s and
// its retransmissions at 1.1, 3.1, 7.1, 15.1, 31.1 and 63.1 s) and fails
// at 127.1 s.
func TestSynRetryKernelLimit(t *testing.T) {
	sc := handScenario(1, 300*engine.Second, 600*engine.Second)
	sc.Pool.QueueLength = 1
	sc.Pool.OnQueueFull = "syn_retry"
	sc.Pool.ConnectTimeout = scenario.Duration(500 * engine.Second)
	res, trace := runAt(t, sc, 0, 50*engine.Millisecond, 100*engine.Millisecond)
	at := timesOf(trace, "rejected_queue_full")
	if m := res.Metrics; m.RejectedQueueFull != 1 || m.SynDrops != 7 || len(at) != 1 || !near(at[0], 127.1) {
		t.Errorf("rejected %v syn_drops %v failed at %v, want 1 7 [127.1]", m.RejectedQueueFull, m.SynDrops, at)
	}
}

// TestSynRetryClientGivesUp checks that a client that gives up while its
// SYN waits to be retransmitted is a client timeout, and nothing of it
// stays in the pool.
func TestSynRetryClientGivesUp(t *testing.T) {
	sc := handScenario(1, 5*engine.Second, 60*engine.Second)
	sc.Pool.QueueLength = 1
	sc.Pool.OnQueueFull = "syn_retry"
	sc.Clients["users"].Timeout = scenario.Duration(6 * engine.Second)
	res, _ := runAt(t, sc, 0, 50*engine.Millisecond, 100*engine.Millisecond)
	if m := res.Metrics; m.ClientTimeout != 2 || m.OK != 1 || m.InFlight != 0 {
		t.Errorf("client_timeout %v ok %v in_flight %v, want 2 1 0 (B times out at 6.05 s, C at 6.1 s while its SYN waits for 7.1 s)", m.ClientTimeout, m.OK, m.InFlight)
	}
}
