package model

// Memory as the 32-bit stories need it (docs/model.md, "Allocations and
// address space"):
//
//   - A request of a class with allocate holds that many bytes of private
//     memory while it runs, on top of the worker's base and leak.
//   - The worker's virtual memory is virtual_base (the address space
//     reserved at start: runtime, heaps, DLLs; "0MB": equal to base) plus
//     virtual_growth times the private bytes above base. poolsim's
//     assumption: the runtime reserves address space in proportion to what
//     it commits (the CLR's GC segments, the LOH), 1:1 by default.
//   - An allocation needs one contiguous block. poolsim's assumption: the
//     largest free block is (address_space − virtual) × (1 − fragmentation),
//     fragmentation being the share of free address space lost to gaps
//     between reserved regions. An allocation larger than that fails with
//     an OutOfMemoryException that crashes the worker (abandoned_memory),
//     which counts toward rapid-fail protection as every crash does.
//   - address_space "0MB" is unlimited (a 64-bit worker); bitness = 32 sets
//     it to 2GB (a 32-bit process; set "4GB" for one that is large-address
//     aware on 64-bit Windows), bitness = 64 to unlimited.
//   - pool.recycle.virtual_memory is IIS's recycling.periodicRestart.memory
//     (WAS event 5077), checked like private_memory when a request
//     completes.

// addressSpace is the worker's address space in bytes; 0: unlimited.
func (p *Pool) addressSpace() int64 {
	switch p.Bitness {
	case 32:
		return 2 << 30
	case 64:
		return 0
	}
	return int64(p.Memory.AddressSpace)
}

// virtual is the worker's virtual memory now.
func (wk *worker) virtual() int64 {
	m := &wk.w.pool.Memory
	base := int64(m.VirtualBase)
	if base == 0 {
		base = int64(m.Base)
	}
	return base + int64(float64(wk.memory-int64(m.Base))*m.VirtualGrowth)
}

// fits reports whether an allocation of a bytes finds a free block.
func (wk *worker) fits(a int64) bool {
	as := wk.w.pool.addressSpace()
	if as == 0 {
		return true
	}
	free := float64(as-wk.virtual()) * (1 - wk.w.pool.Memory.Fragmentation)
	return float64(a) <= free
}

// allocate takes r's allocation in wk, or crashes wk when it does not fit;
// it reports whether r goes on.
func (wk *worker) allocate(r *request) bool {
	a := int64(r.class.c.Allocate)
	if a == 0 {
		return true
	}
	if !wk.fits(a) {
		if wk.w.trace != nil {
			wk.w.tracef("allocation of %s failed in worker %d (virtual %s)", Size(a), wk.id, Size(wk.virtual()))
		}
		wk.crash(causeMemory)
		return false
	}
	r.alloc = a
	wk.held += a
	wk.memory += a
	return true
}

// release gives back r's allocation as it leaves its thread.
func (wk *worker) release(r *request) {
	if r.alloc == 0 {
		return
	}
	wk.held -= r.alloc
	wk.memory -= r.alloc
	r.alloc = 0
}
