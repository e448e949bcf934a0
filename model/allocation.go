package model

import "github.com/poolsim/poolsim/model/scenario"

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
	as := wk.w.pool.AddressSpace()
	if as == 0 {
		return true
	}
	free := float64(as-wk.virtual()) * (1 - wk.w.pool.Memory.Fragmentation)
	return float64(a) <= free
}

// allocate takes r's allocation in wk (drawn for r when the class gives a
// distribution), or crashes wk when it does not fit; it reports whether r
// goes on.
func (wk *worker) allocate(r *request) bool {
	a := int64(r.class.allocate.of(r))
	if a == 0 {
		return true
	}
	if r.class.allocate.drawn() && wk.w.trace != nil {
		wk.w.tracef("allocate req=%d size=%d", r.id, a)
	}
	if !wk.fits(a) {
		if wk.w.trace != nil {
			wk.w.tracef("allocation of %s failed in worker %d (virtual %s)", scenario.Size(a), wk.id, scenario.Size(wk.virtual()))
		}
		wk.crash(causeMemory, r)
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
