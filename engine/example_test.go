package engine_test

import (
	"fmt"

	"github.com/poolsim/poolsim/engine"
)

// pinger is a component: it implements engine.Handler and tells its events
// apart by kind.
type pinger struct {
	sim     *engine.Sim
	timeout engine.Timer
}

const (
	ping = iota
	answer
	timeout
)

func (p *pinger) HandleEvent(kind int) {
	switch kind {
	case ping:
		fmt.Println(p.sim.Now(), "ping")
		p.timeout = p.sim.After(90*engine.Second, p, timeout)
		p.sim.After(2*engine.Second, p, answer)
	case answer:
		fmt.Println(p.sim.Now(), "answer; timeout cancelled:", p.sim.Cancel(p.timeout))
	case timeout:
		fmt.Println(p.sim.Now(), "timeout")
	}
}

func ExampleSim() {
	sim := engine.New(1, 0)
	p := &pinger{sim: sim}
	sim.At(30*engine.Second, p, ping)
	sim.At(60*engine.Second, p, ping)
	fired := sim.Run(engine.Hour)
	fmt.Println(sim.Now(), "after", fired, "events")
	// Output:
	// 30s ping
	// 32s answer; timeout cancelled: true
	// 1m0s ping
	// 1m2s answer; timeout cancelled: true
	// 1h0m0s after 4 events
}

func ExampleSim_Stream() {
	a := engine.New(1, 0)
	b := engine.New(1, 0)
	b.Stream("service/trend") // other streams, created first, change nothing
	x := a.Stream("arrivals/visitors").ExpFloat64()
	y := b.Stream("arrivals/visitors").ExpFloat64()
	fmt.Printf("%.6f %.6f\n", x, y)

	// Another replication draws differently.
	z := engine.New(1, 1).Stream("arrivals/visitors").ExpFloat64()
	fmt.Println(z != x)
	// Output:
	// 2.273591 2.273591
	// true
}

func ExampleHandlerFunc() {
	sim := engine.New(1, 0)
	var tick engine.HandlerFunc
	tick = func(n int) {
		fmt.Println(sim.Now(), "tick", n)
		if n < 3 {
			sim.After(engine.Second, tick, n+1)
		}
	}
	sim.After(0, tick, 1)
	sim.Run(engine.Never)
	// Output:
	// 0s tick 1
	// 1s tick 2
	// 2s tick 3
}
