package policies_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/policies"
)

// Kubernetes' CrashLoopBackOff: a worker that fails a second after each
// start waits 10 s, doubling to the 5-minute cap.
func ExampleCrashLoopBackOff() {
	s, _ := policies.NewSupervisor(policies.SupervisorConfig{Policy: "backoff", Enabled: true})
	now := engine.Time(0)
	for range 7 {
		d := s.Failure(now)
		fmt.Print(d.StartDelay, " ")
		now += d.StartDelay + engine.Second
	}
	fmt.Println()
	// Output: 10s 20s 40s 1m20s 2m40s 5m0s 5m0s
}

// IIS defaults: five failures within five minutes stop the pool until an
// administrator starts it.
func ExampleRapidFail() {
	s, _ := policies.NewSupervisor(policies.SupervisorConfig{
		Policy: "iis", Enabled: true, MaxFailures: 5, Interval: 5 * engine.Minute,
		Window: "sliding", RestartAfter: engine.Never,
	})
	for i := range 5 {
		now := engine.Time(i) * 30 * engine.Second
		if d := s.Failure(now); d.StopPool {
			fmt.Printf("failure %d at %v stops the pool; restart at %v\n", i+1, now, d.RestartAt)
		}
	}
	// Output: failure 5 at 2m0s stops the pool; restart at never
}

// A run that starts at 22:00 with recycles scheduled at 03:00 and 15:00.
func ExampleNextScheduled() {
	start, _ := policies.ParseTimeOfDay("22:00")
	t1, _ := policies.ParseTimeOfDay("03:00")
	t2, _ := policies.ParseTimeOfDay("15:00")
	now := engine.Time(0)
	for range 3 {
		now = policies.NextScheduled(now, start, []engine.Time{t1, t2})
		fmt.Print(now, " ")
	}
	fmt.Println()
	// Output: 5h0m0s 17h0m0s 29h0m0s
}

// Exponential back-off with full jitter: the n-th retry waits a uniform
// time up to min(cap, base·2^(n−1)).
func ExampleExponentialRetry() {
	p, _ := policies.NewRetry("exponential", 5, engine.Second, 5*engine.Second)
	r := rand.New(rand.NewPCG(1, 2))
	for attempt := 1; ; attempt++ {
		d, ok := p.Next(attempt, r)
		if !ok {
			fmt.Println("give up after", attempt, "attempts")
			break
		}
		fmt.Printf("after attempt %d wait %.2fs (at most %v)\n", attempt, d.Seconds(), p.(policies.ExponentialRetry).Bound(attempt))
	}
	// Output:
	// after attempt 1 wait 0.77s (at most 1s)
	// after attempt 2 wait 1.23s (at most 2s)
	// after attempt 3 wait 3.14s (at most 4s)
	// after attempt 4 wait 3.98s (at most 5s)
	// give up after 5 attempts
}

// gunicorn-style jitter: each worker draws its own limits when it starts.
func ExampleRecycleTrigger_Draw() {
	trig := policies.RecycleTrigger{Requests: 10000, JitterRequests: 500}
	r := rand.New(rand.NewPCG(1, 2))
	for w := range 3 {
		l := trig.Draw(r)
		fmt.Println("worker", w, "recycles after", l.Requests >= 10000 && l.Requests <= 10500, "in [10000, 10500]")
	}
	// Output:
	// worker 0 recycles after true in [10000, 10500]
	// worker 1 recycles after true in [10000, 10500]
	// worker 2 recycles after true in [10000, 10500]
}
