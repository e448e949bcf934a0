package scenario

import (
	"math"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
)

// The values each enumerated key of the mechanisms allows.
var (
	enumOnExecTimeout = []string{"abort", "kill_worker", "exit_worker"}
	enumOnQueueFull   = []string{"reject", "syn_retry"}
	enumDrain         = []string{"requeue", "refuse"}
	enumReload        = []string{"per_worker", "pool_wide", "fork_first"}
	enumShutdownKill  = []string{"at_limit", "at_stop", "next_wakeup"}
	enumCounts        = []string{"supervisor", "all", "crashes"}
	enumAction        = []string{"config_change", "recycle", "stop", "start"}
)

// kernelConnectLimit is when Linux gives up a connection whose SYNs are all
// dropped (tcp_syn_retries = 6: 1 + 2 + … + 64 s).
const kernelConnectLimit = Duration(127 * engine.Second)

// validateMechanisms checks the keys of the execution limit, memory,
// responses, draining, thread pool, queue-full behaviour and operator
// actions.
func (d *scenarioDecoder) validateMechanisms(sc *Scenario) {
	p := &sc.Pool
	k := func(parts ...string) []string { return append([]string{"pool"}, parts...) }

	d.span(k("execution_timeout"), p.ExecutionTimeout, false)
	d.span(k("request_overhead"), p.RequestOverhead, false)
	d.oneOf(k("on_execution_timeout"), p.OnExecutionTimeout, enumOnExecTimeout)
	if d.span(k("execution_timeout_check"), p.ExecutionTimeoutCheck, false) && p.ExecutionTimeoutCheck > 0 && p.ExecutionTimeout == 0 {
		d.warnf(k("execution_timeout_check"), durText(p.ExecutionTimeoutCheck), "has no effect without execution_timeout")
	}
	if p.MinBytesPerSecond < 0 {
		d.errorf(k("min_bytes_per_second"), intText(p.MinBytesPerSecond), `must be at least 0 (0: no minimum; http.sys's default is 240)`)
	}
	d.oneOf(k("on_queue_full"), p.OnQueueFull, enumOnQueueFull)
	d.oneOf(k("reload"), p.Reload, enumReload)
	d.span(k("reload_delay"), p.ReloadDelay, false)
	d.validateShutdownKill(p)
	if d.span(k("connect_timeout"), p.ConnectTimeout, false) && d.given(k("connect_timeout")) && d.raw != nil {
		switch {
		case p.OnQueueFull != "syn_retry" && p.ConnectTimeout > 0:
			d.warnf(k("connect_timeout"), durText(p.ConnectTimeout), "has no effect without on_queue_full = \"syn_retry\": a full queue refuses at once")
		case p.ConnectTimeout > kernelConnectLimit:
			d.warnf(k("connect_timeout"), durText(p.ConnectTimeout), "is past Linux's own limit: the kernel gives up a connection after 127s (tcp_syn_retries = 6)")
		}
	}

	tp := p.ThreadPool
	switch {
	case tp.Max < 0 || tp.Max > maxThreads:
		d.intRange(k("thread_pool", "max"), int64(tp.Max), 0, maxThreads)
	case tp.Max == 0 && tp.Min != 0:
		d.errorf(k("thread_pool", "min"), intText(int64(tp.Min)), "needs thread_pool.max, the most threads the pool grows to (max = 0 keeps the fixed pool.threads)")
	case tp.Max > 0:
		d.intRange(k("thread_pool", "min"), int64(tp.Min), 1, int64(tp.Max))
		d.span(k("thread_pool", "injection"), tp.Injection, true)
		d.span(k("thread_pool", "retire"), tp.Retire, false)
		if d.given(k("threads")) && d.raw != nil {
			d.warnf(k("threads"), intText(int64(p.Threads)), "is not used: pool.thread_pool sets the threads")
		}
	}

	d.validateAddressSpace(p)
	d.oneOf(k("recycle", "drain"), p.Recycle.Drain, enumDrain)
	d.oneOf(k("rapid_fail", "counts"), p.RapidFail.Counts, enumCounts)
	d.validateMechanismEntries(sc)
}

// validateAddressSpace checks the keys of bitness, address space and
// virtual memory.
func (d *scenarioDecoder) validateAddressSpace(p *Pool) {
	k := func(parts ...string) []string { return append([]string{"pool"}, parts...) }
	m := p.Memory
	switch p.Bitness {
	case 0:
	case 32, 64:
		if m.AddressSpace != 0 {
			d.errorf(k("memory", "address_space"), QuoteString(m.AddressSpace.String()), "is set by pool.bitness = %d: set one of them", p.Bitness)
		}
	default:
		d.errorf(k("bitness"), intText(int64(p.Bitness)), "must be 32 (a 2GB address space) or 64 (unlimited); or leave it out and set memory.address_space")
	}
	okAS := d.sizeRange(k("memory", "address_space"), m.AddressSpace)
	okVB := d.sizeRange(k("memory", "virtual_base"), m.VirtualBase)
	if math.IsNaN(m.VirtualGrowth) || m.VirtualGrowth < 0 || m.VirtualGrowth > 100 {
		d.errorf(k("memory", "virtual_growth"), formatTOMLFloat(m.VirtualGrowth), "must be between 0 and 100 (bytes of address space reserved per private byte)")
	}
	if math.IsNaN(m.Fragmentation) || m.Fragmentation < 0 || m.Fragmentation >= 1 {
		d.errorf(k("memory", "fragmentation"), formatTOMLFloat(m.Fragmentation), "must be at least 0 and less than 1 (the share of free address space lost to gaps)")
	}
	vbase := m.VirtualBase
	if vbase == 0 {
		vbase = m.Base
	}
	if as := p.AddressSpace(); okAS && okVB && as > 0 && int64(vbase) >= as {
		d.errorf(k("memory", "virtual_base"), QuoteString(vbase.String()), "must be less than the address space (%s): the worker could not start", Size(as))
	}
	if d.sizeRange(k("recycle", "virtual_memory"), p.Recycle.VirtualMemory) && p.Recycle.VirtualMemory > 0 && p.Recycle.VirtualMemory <= vbase {
		d.errorf(k("recycle", "virtual_memory"), QuoteString(p.Recycle.VirtualMemory.String()), "must be more than the virtual memory at start (%s), or \"0MB\" to disable: every worker would recycle at start", vbase)
	}
}

// validateMechanismEntries checks the mechanisms' keys of classes, clients
// and operator events.
func (d *scenarioDecoder) validateMechanismEntries(sc *Scenario) {
	for _, name := range sc.ClassNames() {
		c := sc.Classes[name]
		if c == nil {
			continue
		}
		checkDistOf(d, []string{"classes", name, "allocate"}, c.Allocate, false, false)
		checkDistOf(d, []string{"classes", name, "response_size"}, c.ResponseSize, false, false)
	}
	for _, name := range sc.ClientNames() {
		c := sc.Clients[name]
		if c == nil {
			continue
		}
		checkDistOf(d, []string{"clients", name, "bandwidth"}, c.Bandwidth, false, false)
	}
	for _, name := range tomlin.SortedKeys(sc.Events) {
		e := sc.Events[name]
		path := []string{"events", name}
		if e == nil {
			continue
		}
		if e.Action == "" {
			d.errorf(append(path, "action"), "", "required: one of %s", quoteList(enumAction))
		} else {
			d.oneOf(append(path, "action"), e.Action, enumAction)
		}
		if !d.given(append(path, "at")) {
			d.errorf(append(path, "at"), "", `required: when, since the start of the run, such as "10h"`)
		} else if d.span(append(path, "at"), e.At, false) && sc.Horizon > 0 && e.At > sc.Horizon {
			d.warnf(append(path, "at"), durText(e.At), "is after the horizon (%s): it never happens", sc.Horizon)
		}
	}
}

// validateShutdownKill checks pool.shutdown_kill: next_wakeup is php-fpm's
// master with process_control_timeout = 0, whose reloads are pool-wide and
// whose limit is no time at all.
func (d *scenarioDecoder) validateShutdownKill(p *Pool) {
	path := []string{"pool", "shutdown_kill"}
	if !d.oneOf(path, p.ShutdownKill, enumShutdownKill) || p.ShutdownKill != "next_wakeup" {
		return
	}
	switch {
	case p.ShutdownTimeLimit > 0:
		d.errorf(path, QuoteString(p.ShutdownKill), "needs shutdown_time_limit = \"0s\" (it is %s): next_wakeup is php-fpm's process_control_timeout = 0; a limit is at_limit's", durText(p.ShutdownTimeLimit))
	case p.Reload != "pool_wide":
		d.errorf(path, QuoteString(p.ShutdownKill), "needs reload = \"pool_wide\" (it is %q): next_wakeup is php-fpm's master, which reloads the pool as a whole", p.Reload)
	}
}
