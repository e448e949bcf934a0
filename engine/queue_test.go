package engine

import (
	"fmt"
	mathrand "math/rand"
	"math/rand/v2"
	"slices"
	"testing"
	"testing/quick"
)

// The engine is checked against a reference that is correct by inspection:
// a plain slice of events, searched linearly for the earliest live one.
// Both are driven by the same script, decoded from bytes so that the fuzzer
// can explore it: schedule, cancel, step, run until, with handlers that
// schedule, cancel and stop in turn, so that ties, cancellation of fired
// and cancelled events, slot reuse, compaction and the renumbering of
// sequence numbers are all exercised.

type refEvent struct {
	at   Time
	seq  int
	live bool
}

type refSim struct {
	now     Time
	events  []refEvent // indexed by event id
	stopped bool
}

func (r *refSim) schedule(at Time) int {
	r.events = append(r.events, refEvent{at: at, seq: len(r.events), live: true})
	return len(r.events) - 1
}

func (r *refSim) cancel(id int) bool {
	was := r.events[id].live
	r.events[id].live = false
	return was
}

func (r *refSim) next() int {
	best := -1
	for i, e := range r.events {
		if !e.live {
			continue
		}
		if best < 0 || e.at < r.events[best].at || (e.at == r.events[best].at && e.seq < r.events[best].seq) {
			best = i
		}
	}
	return best
}

func (r *refSim) len() int {
	n := 0
	for _, e := range r.events {
		if e.live {
			n++
		}
	}
	return n
}

// scriptRun holds both sides of one scripted comparison.
type scriptRun struct {
	t      testing.TB
	s      *Sim
	r      refSim
	timers []Timer // engine Timer of each event id
	log    []string
	rlog   []string
}

// follow performs, on both sides, what the handler of event id does: a
// function of id alone, so both sides agree on it.
func (x *scriptRun) follow(id int, engine bool) {
	logf := func(format string, a ...any) {
		if engine {
			x.log = append(x.log, fmt.Sprintf(format, a...))
		} else {
			x.rlog = append(x.rlog, fmt.Sprintf(format, a...))
		}
	}
	now := x.r.now
	if engine {
		now = x.s.Now()
	}
	logf("fire %d at %d", id, now)
	schedule := func(d Time) {
		if engine {
			x.timers = append(x.timers, x.s.After(d, scriptHandler{x}, len(x.timers)))
		} else {
			x.r.schedule(now + d)
		}
	}
	if id%3 == 0 {
		schedule(Time(id/3) % 4) // often 0: a tie with the current instant
	}
	if id%7 == 2 {
		schedule(2)
	}
	if id%5 == 1 {
		n := len(x.r.events)
		if engine {
			n = len(x.timers)
		}
		target := id - 2 + id%4 // an earlier event, this one, or a later one
		if target >= 0 && target < n {
			if engine {
				logf("cancel %d: %v", target, x.s.Cancel(x.timers[target]))
			} else {
				logf("cancel %d: %v", target, x.r.cancel(target))
			}
		}
	}
	if id%11 == 5 {
		if engine {
			x.s.Stop()
		} else {
			x.r.stopped = true
		}
	}
}

type scriptHandler struct{ x *scriptRun }

func (h scriptHandler) HandleEvent(id int) { h.x.follow(id, true) }

// refFire fires the reference's next event, which must exist.
func (x *scriptRun) refFire() {
	id := x.r.next()
	x.r.events[id].live = false
	x.r.now = x.r.events[id].at
	x.follow(id, false)
}

func (x *scriptRun) check(op string) {
	t := x.t
	t.Helper()
	if !slices.Equal(x.log, x.rlog) {
		t.Fatalf("after %s: engine log\n%v\nreference log\n%v", op, x.log, x.rlog)
	}
	if x.s.Now() != x.r.now {
		t.Fatalf("after %s: Now %d, reference %d", op, x.s.Now(), x.r.now)
	}
	if got, want := x.s.Len(), x.r.len(); got != want {
		t.Fatalf("after %s: Len %d, reference %d", op, got, want)
	}
	want := Never
	if id := x.r.next(); id >= 0 {
		want = x.r.events[id].at
	}
	if got := x.s.NextAt(); got != want {
		t.Fatalf("after %s: NextAt %d, reference %d", op, got, want)
	}
	for id, tm := range x.timers {
		if got, want := x.s.Pending(tm), x.r.events[id].live; got != want {
			t.Fatalf("after %s: Pending(event %d) %v, reference %v", op, id, got, want)
		}
	}
	if len(x.timers) != len(x.r.events) {
		t.Fatalf("after %s: %d engine events, %d reference events", op, len(x.timers), len(x.r.events))
	}
}

// runScript decodes ops and applies them to both sides, checking after each.
func runScript(t testing.TB, ops []byte) {
	x := &scriptRun{t: t, s: New(1, 0)}
	if len(ops) > 0 {
		if ops[0]&1 == 1 {
			// Exercise the renumbering of sequence numbers, which a real
			// run meets only after 2^32 events.
			x.s.q.limit = 8
		}
	}
	for i := 1; i < len(ops); i++ {
		b := ops[i]
		arg := int(b >> 3)
		var op string
		switch b & 7 {
		case 0, 1, 2: // schedule after arg%8 (ties are common)
			d := Time(arg % 8)
			op = fmt.Sprintf("schedule +%d", d)
			x.timers = append(x.timers, x.s.After(d, scriptHandler{x}, len(x.timers)))
			x.r.schedule(x.r.now + d)
		case 3: // schedule far ahead, as a timeout that is usually cancelled
			d := Time(100 + arg)
			op = fmt.Sprintf("schedule +%d", d)
			x.timers = append(x.timers, x.s.After(d, scriptHandler{x}, len(x.timers)))
			x.r.schedule(x.r.now + d)
		case 4: // cancel an event, pending or not
			if len(x.timers) == 0 {
				op = "cancel zero"
				if x.s.Cancel(Timer{}) {
					t.Fatal("Cancel(Timer{}) reported true")
				}
				continue
			}
			id := (arg * 7919) % len(x.timers)
			op = fmt.Sprintf("cancel %d", id)
			if got, want := x.s.Cancel(x.timers[id]), x.r.cancel(id); got != want {
				t.Fatalf("Cancel(event %d) = %v, reference %v", id, got, want)
			}
		case 5, 6: // step
			op = "step"
			got := x.s.Step()
			want := x.r.next() >= 0
			if want {
				x.refFire()
			}
			if got != want {
				t.Fatalf("Step() = %v, reference %v", got, want)
			}
		case 7: // run until now + arg
			until := x.r.now + Time(arg)
			op = fmt.Sprintf("run until %d", until)
			got := x.s.Run(until)
			var want uint64
			x.r.stopped = false
			for !x.r.stopped {
				id := x.r.next()
				if id < 0 || x.r.events[id].at > until {
					break
				}
				x.refFire()
				want++
			}
			if !x.r.stopped && x.r.now < until {
				x.r.now = until
			}
			if got != want {
				t.Fatalf("Run(%d) = %d, reference %d", until, got, want)
			}
		}
		x.check(op)
		checkInvariants(t, &x.s.q)
	}
	// Drain: everything left fires in the reference's order (Run again
	// after each Stop).
	for x.s.Len() > 0 {
		x.s.Run(Never)
	}
	for x.r.next() >= 0 {
		x.refFire()
	}
	x.check("drain")
	checkInvariants(t, &x.s.q)
}

// checkInvariants verifies the heap property and the bookkeeping of q.
func checkInvariants(t testing.TB, q *queue) {
	t.Helper()
	h := q.heap
	for i := root + 1; i < len(h); i++ {
		if h[i].before(&h[parent(i)]) {
			t.Fatalf("heap property violated at %d", i)
		}
	}
	dead := 0
	for i := root; i < len(h); i++ {
		if q.slots[h[i].slot()].h == nil && (i > root || !q.spent) {
			dead++
		}
	}
	if dead != q.dead {
		t.Fatalf("%d cancelled entries in the heap, %d counted", dead, q.dead)
	}
	if q.spent && (len(h) == root || q.slots[h[root].slot()].h != nil) {
		t.Fatal("spent flag set without a spent root")
	}
	if n := len(h) - root + len(q.free); n != len(q.slots) {
		t.Fatalf("%d entries + %d free slots != %d slots", len(h)-root, len(q.free), len(q.slots))
	}
	if live := q.live(); len(h)-root > 2*live+compactMin+2 {
		t.Fatalf("heap holds %d entries for %d live events", len(h)-root, live)
	}
}

func TestQueueMatchesReference(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	cfg := &quick.Config{MaxCount: n, Rand: mathrand.New(mathrand.NewSource(1))}
	prop := func(ops []byte) bool {
		runScript(t, ops)
		return !t.Failed()
	}
	if err := quick.Check(prop, cfg); err != nil {
		t.Fatal(err)
	}
	// Long scripts: quick's byte slices are short.
	r := rand.New(rand.NewPCG(2, 0))
	for range n / 30 {
		ops := make([]byte, 2000)
		for i := range ops {
			ops[i] = byte(r.Uint32())
		}
		runScript(t, ops)
	}
}

func FuzzQueue(f *testing.F) {
	f.Add([]byte{0, 0, 8, 16, 5, 5, 5})
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 7, 7})
	f.Add([]byte{2, 3, 11, 19, 4, 12, 20, 5, 6, 255})
	f.Add([]byte{3, 1, 9, 17, 25, 33, 41, 49, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5})
	f.Add([]byte("schedule, cancel and step in some order"))
	f.Fuzz(func(t *testing.T, ops []byte) {
		if len(ops) > 1000 {
			return
		}
		runScript(t, ops)
	})
}

// TestCancelledEventsDoNotPileUp schedules and cancels timeouts at a high
// rate around a small live population, as request timeouts do, and checks
// that the heap and the slot table stay bounded by the live events.
func TestCancelledEventsDoNotPileUp(t *testing.T) {
	for _, live := range []int{0, 1, 10, 100, 1000} {
		t.Run(fmt.Sprint("live=", live), func(t *testing.T) {
			s := New(1, 0)
			var h nopHandler
			keep := make([]Timer, live)
			for i := range keep {
				keep[i] = s.After(1000*Hour, h, 0) // never reached here
			}
			r := rand.New(rand.NewPCG(3, 0))
			var open []Timer
			for i := range 200000 {
				open = append(open, s.After(Time(1+r.IntN(1000))*Second, h, 0))
				if len(open) > 5 || r.IntN(2) == 0 {
					j := r.IntN(len(open))
					if !s.Cancel(open[j]) {
						t.Fatal("cancel of a pending timeout failed")
					}
					open[j] = open[len(open)-1]
					open = open[:len(open)-1]
				}
				if i%1000 == 0 && len(open) > 0 {
					s.Step() // time passes too: the earliest timeout fires
					open = slices.DeleteFunc(open, func(tm Timer) bool { return !s.Pending(tm) })
				}
			}
			if got, want := s.Len(), live+len(open); got != want {
				t.Fatalf("Len %d, want %d", got, want)
			}
			bound := 2*(live+6) + compactMin + 2
			if n := len(s.q.heap) - root; n > bound {
				t.Errorf("heap holds %d entries for %d live events (bound %d)", n, s.Len(), bound)
			}
			if n := len(s.q.slots); n > bound {
				t.Errorf("%d slots for at most %d live events (bound %d)", n, live+6, bound)
			}
			checkInvariants(t, &s.q)
		})
	}
}

type nopHandler struct{}

func (nopHandler) HandleEvent(int) {}

// TestRenumber fills the sequence space many times over and checks that
// ties still fire in scheduling order across renumberings.
func TestRenumber(t *testing.T) {
	s := New(1, 0)
	s.q.limit = 16
	var got []int
	h := HandlerFunc(func(k int) { got = append(got, k) })
	for k := range 100 {
		s.At(Time(k%3), h, k) // three instants, interleaved
	}
	s.Run(Never)
	var want []int
	for at := range 3 {
		for k := range 100 {
			if k%3 == at {
				want = append(want, k)
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("fired %v, want %v", got, want)
	}
}

// TestStaleTimerAfterSlotReuse checks that a Timer whose event has gone
// cannot touch the event that reuses its slot.
func TestStaleTimerAfterSlotReuse(t *testing.T) {
	for _, how := range []string{"fired", "cancelled"} {
		t.Run(how, func(t *testing.T) {
			s := New(1, 0)
			var h nopHandler
			old := s.After(Second, h, 0)
			if how == "fired" {
				s.Step()
			} else {
				s.Cancel(old)
				s.Step() // the cancelled entry leaves the heap; its slot is free
			}
			fresh := s.After(Second, h, 0)
			if old.slot != fresh.slot {
				t.Fatalf("slot not reused (%d, %d): test does not test", old.slot, fresh.slot)
			}
			if s.Pending(old) {
				t.Error("stale Timer reports its slot's new event as pending")
			}
			if s.Cancel(old) {
				t.Error("stale Timer cancelled its slot's new event")
			}
			if !s.Pending(fresh) || s.Len() != 1 {
				t.Error("new event lost")
			}
		})
	}
}

// TestNoAllocations proves that scheduling and firing events allocates
// nothing in steady state: the hold model, and a timeout that is scheduled
// and cancelled for every event, as a request's timeout is.
func TestNoAllocations(t *testing.T) {
	m := newHold(1000)
	if a := testing.AllocsPerRun(10000, func() { m.s.Step() }); a != 0 {
		t.Errorf("hold: %v allocs per event", a)
	}
	s := New(1, 0)
	var tm Timer
	var h HandlerFunc
	h = func(int) {
		s.Cancel(tm)
		tm = s.After(Minute, h, 1)
		s.After(Second, h, 0)
	}
	s.After(0, h, 0)
	s.Run(Hour) // grow the tables to their peak
	if a := testing.AllocsPerRun(10000, func() { s.Step() }); a != 0 {
		t.Errorf("schedule and cancel: %v allocs per event", a)
	}
}
