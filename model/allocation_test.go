package model

import (
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// TestAllocationFitsLargestFreeBlock checks the rule "an allocation fails
// when it is larger than (address_space − virtual) × (1 − fragmentation)",
// at its edge, worked out by hand: a 32-bit worker (2048 MB) with
// virtual_base 1200 MB and fragmentation 0.5 has a largest free block of
// (2048 − 1200) × 0.5 = 424 MB. 424 MB fits; 425 MB crashes the worker
// (abandoned_memory); a 64-bit worker takes either.
func TestAllocationFitsLargestFreeBlock(t *testing.T) {
	for _, c := range []struct {
		bitness  int
		allocate scenario.Size
		crash    bool
	}{
		{32, 424 << 20, false},
		{32, 425 << 20, true},
		{64, 425 << 20, false},
		{64, 40 << 30, false},
	} {
		sc := handScenario(1, engine.Second, 10*engine.Second)
		sc.Pool.Bitness = c.bitness
		sc.Pool.Memory.VirtualBase = 1200 << 20
		sc.Pool.Memory.Fragmentation = 0.5
		sc.Classes["page"].Allocate = scenario.Constant(c.allocate)
		res, _ := runAt(t, sc, engine.Second)
		m := res.Metrics
		if crashed := m.AbandonedMemory == 1 && m.Crashes == 1; crashed != c.crash || m.OK+m.AbandonedMemory != 1 {
			t.Errorf("bitness %d, allocate %s: ok %v abandoned_memory %v crashes %v, want crash %v",
				c.bitness, c.allocate, m.OK, m.AbandonedMemory, m.Crashes, c.crash)
		}
	}
}

// TestAllocationHeldWhileRunning checks the rule "an allocation is held
// while its request runs, and virtual memory grows with it": with room for
// one 300 MB allocation and not two ((2048 − 1200) × 0.5 = 424 MB; after
// one, (2048 − 1500) × 0.5 = 274 MB), two overlapping requests crash the
// worker (and abandon both), two in turn do not.
func TestAllocationHeldWhileRunning(t *testing.T) {
	run := func(second engine.Time) Metrics {
		sc := handScenario(2, 2*engine.Second, 10*engine.Second)
		sc.Pool.Bitness = 32
		sc.Pool.Memory.VirtualBase = 1200 << 20
		sc.Pool.Memory.Fragmentation = 0.5
		sc.Classes["page"].Allocate = scenario.Constant[scenario.Size](300 << 20)
		res, _ := runAt(t, sc, engine.Second, second)
		return res.Metrics
	}
	if m := run(2 * engine.Second); m.AbandonedMemory != 2 || m.Crashes != 1 {
		t.Errorf("overlapping: abandoned_memory %v crashes %v, want 2 1", m.AbandonedMemory, m.Crashes)
	}
	if m := run(4 * engine.Second); m.OK != 2 || m.Crashes != 0 {
		t.Errorf("in turn: ok %v crashes %v, want 2 0", m.OK, m.Crashes)
	}
}

// TestLeakNeedsAddressSpace checks the rule "a leak's allocation, as any,
// needs a free block of the address space": a 32-bit worker (2048 MB)
// starting at 120 MB that keeps 100 MB per request has, before its k-th
// request, 2048 − 120 − 100 (k − 1) MB free, at least 100 MB up to k = 19:
// the 20th request crashes it (abandoned_memory) far below any
// memory.limit, and the 21st runs in a new worker. With
// recycle.virtual_memory = 1500 MB (WAS 5077) the worker is recycled at
// 120 + 100 × 14 = 1520 MB, after its 14th request, and nothing crashes.
func TestLeakNeedsAddressSpace(t *testing.T) {
	for _, c := range []struct {
		recycleAt          scenario.Size
		ok, crashes, recyc float64
	}{{0, 20, 1, 0}, {1500 << 20, 21, 0, 1}} {
		sc := handScenario(1, engine.Second, 60*engine.Second)
		sc.Pool.Bitness = 32
		sc.Pool.Memory.Base = 120 << 20
		sc.Pool.Memory.PerRequest = 100 << 20
		sc.Pool.Recycle.VirtualMemory = c.recycleAt
		sc.Pool.Recycle.Overlapping = false
		var at []engine.Time
		for i := 0; i < 21; i++ {
			at = append(at, engine.Time(i)*2*engine.Second)
		}
		res, _ := runAt(t, sc, at...)
		m := res.Metrics
		if m.OK != c.ok || m.AbandonedMemory != 21-c.ok || m.Crashes != c.crashes || m.Recycles != c.recyc {
			t.Errorf("recycle.virtual_memory %s: ok %v abandoned_memory %v crashes %v recycles %v, want %v %v %v %v",
				c.recycleAt, m.OK, m.AbandonedMemory, m.Crashes, m.Recycles, c.ok, 21-c.ok, c.crashes, c.recyc)
		}
	}
}

// TestVirtualMemoryRecycle checks the rule "pool.recycle.virtual_memory
// recycles a worker once its virtual memory reaches the limit at a
// completion (WAS 5077)": virtual_base 500 MB, a leak of 10 MB per
// request and virtual_growth 2 give 500 + 20n MB after n requests, which
// reaches 600 MB at the 5th: one recycle in 7 requests.
func TestVirtualMemoryRecycle(t *testing.T) {
	sc := handScenario(1, engine.Second, 20*engine.Second)
	sc.Pool.Memory.VirtualBase = 500 << 20
	sc.Pool.Memory.PerRequest = 10 << 20
	sc.Pool.Memory.VirtualGrowth = 2
	sc.Pool.Recycle.VirtualMemory = 600 << 20
	sc.Pool.Recycle.Overlapping = false
	var at []engine.Time
	for i := 0; i < 7; i++ {
		at = append(at, engine.Time(i)*2*engine.Second)
	}
	res, _ := runAt(t, sc, at...)
	if n, _ := wasCount(res, 5077); n != 1 || res.Metrics.Recycles != 1 {
		t.Errorf("5077 %d, recycles %v, want 1 1", n, res.Metrics.Recycles)
	}
	if len(res.Workers) != 2 || res.Workers[0].Why != whyVirtualMemory.String() || res.Workers[0].Exit != 9*engine.Second {
		t.Errorf("workers %+v, want the first recycled at 9 s after its 5th request", res.Workers)
	}
}

// TestStory32BitAllocation runs the shipped story: a 550 MB allocation in a
// 32-bit worker crashes every worker that tries it, until rapid-fail
// protection stops the pool; 64-bit or a 100 MB allocation serves.
func TestStory32BitAllocation(t *testing.T) {
	res := catalogStory(t, "allocation-32bit")
	m := res.Metrics
	if m.RapidFailTrips != 1 || m.AbandonedMemory < 5 || m.RejectedAppOffline == 0 {
		t.Errorf("32-bit: rapid_fail_trips %v abandoned_memory %v rejected_app_offline %v, want a trip after 5 memory crashes", m.RapidFailTrips, m.AbandonedMemory, m.RejectedAppOffline)
	}
	for _, fix := range []string{"pool.bitness=64", `classes.report.allocate="100MB"`} {
		m := catalogStory(t, "allocation-32bit", fix).Metrics
		if m.Crashes != 0 || m.RapidFailTrips != 0 || m.RateOK < 0.99 {
			t.Errorf("%s: crashes %v trips %v rate_ok %v, want none and all served", fix, m.Crashes, m.RapidFailTrips, m.RateOK)
		}
	}
}

// TestAllocationAssumptionsListed checks that the address-space model's
// assumptions are listed in the summary's Assumed block when the address
// space is limited, and not otherwise.
func TestAllocationAssumptionsListed(t *testing.T) {
	has := func(sc *scenario.Scenario, key string) bool {
		for _, a := range scenario.Assumptions(sc) {
			if a.Key == key {
				return true
			}
		}
		return false
	}
	sc := handScenario(1, engine.Second, engine.Minute)
	if has(sc, "pool.memory.fragmentation") {
		t.Error("fragmentation listed for an unlimited address space")
	}
	sc.Pool.Bitness = 32
	if !has(sc, "pool.memory.fragmentation") || !has(sc, "pool.memory.virtual_base") {
		t.Error("fragmentation and virtual_base not listed for a 32-bit worker")
	}
}
