package scenario

import "reflect"

// mechanismAssumptions are the assumptions of the mechanisms a scenario
// uses (docs/model.md#execution-time-limit and the sections after it),
// listed only when the mechanism is in use.
func mechanismAssumptions(sc *Scenario) []Assumption {
	text := func(v any) string { return leafText(reflect.ValueOf(v)) }
	p := &sc.Pool
	var out []Assumption
	if p.RequestOverhead > 0 {
		out = append(out, Assumption{"pool.request_overhead", text(p.RequestOverhead),
			"the server stack's time per request beyond the application's: measured for php-fpm and gunicorn behind nginx on one machine (docs/validation.md), assumed for uWSGI"})
	}
	if p.ExitTime.Expected() > 0 && (recyclesWithoutOverlap(p) || p.ExecutionTimeout > 0 && p.OnExecutionTimeout == "exit_worker") {
		out = append(out, Assumption{"pool.exit_time", text(p.ExitTime),
			"a worker's process exit after its last request when it recycles, or after the execution limit's signal with exit_worker: a property of the application and its runtime, measured for gunicorn (the interpreter's finalisation) and php-fpm on one machine (docs/model.md#exit-time), assumed for uWSGI"})
	}
	if p.ExecutionTimeout > 0 && p.ExecutionTimeoutCheck > 0 {
		out = append(out, Assumption{"pool.execution_timeout_check", text(p.ExecutionTimeoutCheck),
			"the heartbeat that checks the execution limit ticks at multiples of its period from the start of the run"})
	}
	if p.AddressSpace() > 0 {
		m := p.Memory
		out = append(out,
			Assumption{"pool.memory.virtual_base", text(m.VirtualBase), "address space reserved at start (0MB: memory.base): a property of the application and its runtime"},
			Assumption{"pool.memory.virtual_growth", text(m.VirtualGrowth), "address space reserved per private byte above base: poolsim's model of the runtime's reservations"},
			Assumption{"pool.memory.fragmentation", text(m.Fragmentation), "share of free address space lost to gaps, so the largest free block is the rest: poolsim's model of fragmentation"})
	}
	if p.ThreadPool.Max > 0 {
		out = append(out, Assumption{"pool.thread_pool.retire", text(p.ThreadPool.Retire),
			"the first injection comes one injection period after work starts waiting (the CLR's gate thread ticks on its own clock); one idle thread above min retires per period (the CLR retires threads idle 20 s); the CLR's hill climbing is left out"})
	}
	if sp := p.Spawn; (sp.Mode == "spare" || sp.Mode == "backlog") && sc.UWSGI != nil {
		out = append(out, Assumption{"uwsgi.cheaper", text(sc.UWSGI.Cheaper),
			"the master's cheaper checks fall at 1 s, 2 s, ... from the start of the run (uWSGI's at its clock's second boundaries), follow uWSGI 2.0 (spare forks after more than cheaper_overload overloaded checks; its unreleased master branch at cheaper_overload) and never cheap a worker still starting"})
	}
	if p.Recycle.Drain == "refuse" {
		out = append(out, Assumption{"pool.recycle.drain", text(p.Recycle.Drain),
			"a worker shutting down is offered requests for its whole drain and answers each with 503"})
	}
	out = append(out, drawnAssumptions(sc, text)...)
	if p.MinBytesPerSecond > 0 && sendsResponses(sc) {
		out = append(out, Assumption{"pool.min_bytes_per_second", text(p.MinBytesPerSecond),
			"a response is one send, which http.sys allows size / MinBytesPerSecond to complete"})
	}
	if p.ProxyBuffering && sendsResponses(sc) {
		out = append(out, Assumption{"pool.proxy_buffering", text(p.ProxyBuffering),
			"the proxy takes every response at once, whatever its size (nginx spills a response to a temporary file up to fastcgi_max_temp_file_size, 1024m by default; a larger one would hold the worker); min_bytes_per_second does not apply to the proxy's send"})
	}
	return out
}

// recyclesWithoutOverlap reports whether a recycle trigger is set and
// recycles are not overlapped: whether exit_time can delay a replacement.
func recyclesWithoutOverlap(p *Pool) bool {
	r := p.Recycle
	return !r.Overlapping && (r.Time > 0 || r.Requests > 0 || r.PrivateMemory > 0 || r.VirtualMemory > 0 || len(r.Schedule) > 0)
}

// sendsResponses reports whether some class has a response to send and
// some client a finite bandwidth.
func sendsResponses(sc *Scenario) bool {
	sized, slow := false, false
	for _, c := range sc.Classes {
		sized = sized || c != nil && !c.ResponseSize.IsZero()
	}
	for _, c := range sc.Clients {
		slow = slow || c != nil && !c.Bandwidth.IsZero()
	}
	return sized && slow
}

// drawnAssumptions lists the allocations, response sizes and bandwidths
// given as distributions (docs/model.md, "Distributions of sizes and
// rates"): that each request draws its own, independently of its other
// draws, is poolsim's assumption.
func drawnAssumptions(sc *Scenario, text func(any) string) []Assumption {
	var out []Assumption
	for _, name := range sc.ClassNames() {
		c := sc.Classes[name]
		if c == nil {
			continue
		}
		if _, constant := c.Allocate.Constant(); !constant {
			out = append(out, Assumption{"classes." + name + ".allocate", text(c.Allocate),
				"drawn for each request, independently of its service time"})
		}
		if _, constant := c.ResponseSize.Constant(); !constant {
			out = append(out, Assumption{"classes." + name + ".response_size", text(c.ResponseSize),
				"drawn for each request, independently of its service time and of its client's bandwidth"})
		}
	}
	for _, name := range sc.ClientNames() {
		if c := sc.Clients[name]; c != nil {
			if _, constant := c.Bandwidth.Constant(); !constant {
				out = append(out, Assumption{"clients." + name + ".bandwidth", text(c.Bandwidth),
					"drawn for each request, as if each were a new client's connection: independently of the client's other requests and of the response's size"})
			}
		}
	}
	return out
}
