package engine

import (
	"math/bits"
	"slices"
)

// entry is one pending event as the heap stores it, in 16 bytes: the time,
// then key, which holds the event's sequence number in its high 32 bits and
// its slot in the low 32. Entries order by (at, key), that is by time and
// then by the order in which they were scheduled.
type entry struct {
	at  Time
	key uint64
}

func (e entry) slot() uint32 { return uint32(e.key) }

func (e *entry) before(f *entry) bool {
	return e.at < f.at || (e.at == f.at && e.key < f.key)
}

// lessv reports whether (ea, ek) orders before (fa, fk) as 1 or 0,
// computed without branches as the borrow of a 128-bit subtraction (times
// are never negative, so they compare as unsigned): choosing the smallest
// of a node's children then costs no branch mispredictions, which on random
// event times would be one in two.
func lessv(ea Time, ek uint64, fa Time, fk uint64) uint64 {
	_, br := bits.Sub64(ek, fk, 0)
	_, br = bits.Sub64(uint64(ea), uint64(fa), br)
	return br
}

// slot holds an event's payload. h is nil once the event has fired or been
// cancelled; gen is bumped at that moment, which invalidates the event's
// Timer. A slot is reused only after its entry has left the heap. (gen
// wraps after 2^32 events in one slot; a Timer kept that long could then
// match again.)
type slot struct {
	h    Handler
	kind int
	gen  uint32
}

// queue is the pending-event set: an implicit d-ary min-heap of entries,
// with the payloads in a table of slots recycled through a free list.
//
// The root sits at index arity-1, after arity-1 unused entries, so that
// the children of every node (indices (i-root)*arity+root+1 onwards) start
// at a multiple of arity: with 16-byte entries and a 4-ary heap, the four
// children share one 64-byte cache line.
//
// Cancel only marks the slot. The entry stays in the heap until it reaches
// the root, or until cancelled entries outnumber live ones and the heap is
// compacted in linear time. So the heap never holds more than twice the
// live events plus a small constant, whatever the cancel rate, and sifting
// needs no back-pointer from slot to heap position.
//
// The event being fired stays at the root, spent, while its handler runs:
// if the handler schedules an event (most do: the component's next one),
// the new entry replaces the root with a single sift, instead of a removal
// and an insertion.
//
// Sequence numbers have 32 bits in the key; when they run out, after 2^32
// events, the pending entries are renumbered in their order (renumber).
//
// Arity: 4, measured against binary (both with the same branch-free
// sifting) by BenchmarkArity in bench_test.go, which keeps a binary heap
// for the purpose and runs the two side by side on the hold model reduced
// to the heap. On the 2-core AMD EPYC machine poolsim is developed on,
// go test -run '^$' -bench Arity -benchtime 2000000x -count 3 ./engine/
// gave (events/s, median of 3):
//
//	pending   binary   4-ary   binary time / 4-ary time
//	10        40.6 M   38.7 M  0.95
//	1000      23.5 M   21.6 M  0.90
//	100000     7.5 M    9.1 M  1.22
//
// Binary is up to a tenth faster on small sets, where both take tens of
// nanoseconds an event; 4-ary is a fifth faster on large ones (half the
// levels, and the four children of a node share a cache line), which is
// where the time goes. 4-ary stays.
type queue struct {
	heap  []entry
	slots []slot
	free  []uint32
	dead  int    // cancelled entries still in heap
	spent bool   // heap[root] is the event being fired
	seq   uint64 // sequence number of the next event
	limit uint64 // seq stays below it: 1<<32, lowered by tests
}

const (
	arity      = 4         // children per node (see the comment on queue)
	arityShift = 2         // log2(arity)
	root       = arity - 1 // index of the root in heap
	seqLimit   = 1 << 32
	compactMin = 32 // cancelled entries tolerated whatever the live count
)

// newQueue returns an empty queue.
func newQueue() queue {
	return queue{heap: make([]entry, root), limit: seqLimit}
}

// live returns the number of events waiting to fire.
func (q *queue) live() int {
	n := len(q.heap) - root - q.dead
	if q.spent {
		n--
	}
	return n
}

// firstChild returns the index of the first child of node i.
func firstChild(i int) int { return (i-root)<<arityShift + root + 1 }

// parent returns the index of the parent of node i.
func parent(i int) int { return (i-root-1)>>arityShift + root }

// push adds an event at the bottom of the heap and returns its slot and
// the slot's generation. (Sim.At reuses the spent root instead when it
// can.)
func (q *queue) push(at Time, h Handler, kind int) (uint32, uint32) {
	if q.seq >= q.limit {
		q.renumber()
	}
	var s uint32
	if n := len(q.free); n > 0 {
		s = q.free[n-1]
		q.free = q.free[:n-1]
	} else {
		s = uint32(len(q.slots))
		q.slots = append(q.slots, slot{})
	}
	sl := &q.slots[s]
	sl.h, sl.kind = h, kind
	q.heap = append(q.heap, entry{at: at, key: q.seq<<32 | uint64(s)})
	q.seq++
	q.up(len(q.heap) - 1)
	return s, sl.gen
}

// renumber gives the pending entries the sequence numbers 0, 1, ... in
// their order, so that sequence numbers never run out however many events
// a simulation schedules. A sorted array is a valid heap.
func (q *queue) renumber() {
	q.purge()
	h := q.heap[root:]
	slices.SortFunc(h, func(a, b entry) int {
		if a.before(&b) {
			return -1
		}
		return 1 // keys are unique
	})
	for i := range h {
		h[i].key = uint64(i)<<32 | uint64(h[i].slot())
	}
	q.seq = uint64(len(h))
}

// head drops the spent root and cancelled entries from the top and reports
// whether a live event remains; if so it is q.heap[root].
func (q *queue) head() bool {
	if q.spent {
		q.settle()
	}
	for len(q.heap) > root {
		s := q.heap[root].slot()
		if q.slots[s].h != nil {
			return true
		}
		q.removeTop()
		q.dead--
		q.free = append(q.free, s)
	}
	return false
}

// rootLive reports whether the root is a live event with nothing to tidy,
// as it is after most events: head's answer without head's work, small
// enough to inline into the run loop.
func (q *queue) rootLive() bool {
	return !q.spent && len(q.heap) > root && q.slots[q.heap[root].slot()].h != nil
}

// settle removes the spent root: the entry of the event just fired, which
// stays at the root while its handler runs so that Sim.At can reuse it.
func (q *queue) settle() {
	q.spent = false
	q.free = append(q.free, q.removeTop().slot())
}

// pending reports whether the event of slot s and generation gen is still
// waiting to fire.
func (q *queue) pending(s, gen uint32) bool {
	return int(s) < len(q.slots) && q.slots[s].gen == gen && q.slots[s].h != nil
}

// cancel marks the event of slot s and generation gen as cancelled if it is
// still pending, and reports whether it was.
func (q *queue) cancel(s, gen uint32) bool {
	if !q.pending(s, gen) {
		return false
	}
	sl := &q.slots[s]
	sl.h = nil
	sl.gen++
	q.dead++
	if q.dead > compactMin && 2*q.dead > len(q.heap)-root {
		q.purge()
	}
	return true
}

// purge removes the spent root and every cancelled entry, and rebuilds the
// heap in linear time.
func (q *queue) purge() {
	if q.dead == 0 && !q.spent {
		return
	}
	h := q.heap[:root]
	for _, e := range q.heap[root:] {
		if q.slots[e.slot()].h != nil {
			h = append(h, e)
		} else {
			q.free = append(q.free, e.slot())
		}
	}
	q.heap = h
	q.dead = 0
	q.spent = false
	if len(h) <= root+1 {
		return
	}
	for i := parent(len(h) - 1); i >= root; i-- {
		q.down(i)
	}
}

// removeTop removes and returns the root.
func (q *queue) removeTop() entry {
	h := q.heap
	top := h[root]
	n := len(h) - 1
	last := h[n]
	q.heap = h[:n]
	if n > root {
		q.replaceTop(last)
	}
	return top
}

// replaceTop puts e in place of the root and restores the heap.
func (q *queue) replaceTop(e entry) { replaceTop4(q.heap, e) }

// up sifts the entry at i towards the root.
func (q *queue) up(i int) { up4(q.heap, i) }

// reuseTop is the fast path of scheduling: while a handler runs, the event
// it schedules (most often its component's next one) takes the slot of the
// spent root, and its entry then replaces the root with a single sift
// (replaceTop4) instead of a removal and an insertion. reuseTop claims the
// slot and returns the entry to sift in; it reports false, changing
// nothing, when there is no spent root or sequence numbers must be
// renumbered first, and push is then the way. It is small enough for the
// compiler to inline into Sim.At, the hottest call of a simulation.
func (q *queue) reuseTop(at Time, h Handler, kind int) (e entry, gen uint32, ok bool) {
	if !q.spent || q.seq >= q.limit {
		return entry{}, 0, false
	}
	q.spent = false
	s := q.heap[root].slot()
	p := &q.slots[s]
	p.h, p.kind = h, kind
	e = entry{at: at, key: q.seq<<32 | uint64(s)}
	q.seq++
	return e, p.gen, true
}

// replaceTop4 puts e in place of the root of the 4-ary heap h (root at 3,
// children of i at 4i-8 to 4i-5, parent of i at i/4+2) and restores it.
//
// It moves the hole at the root down to a leaf along the smallest
// children, then sifts e up from there: e almost always belongs near the
// bottom (it is the former last entry, or an event later than the one just
// fired), so this saves a comparison per level over sifting e down.
func replaceTop4(h []entry, e entry) {
	n := len(h)
	i := 3
	for {
		first := i<<2 - 8
		if first+4 > n {
			if first < n { // the last parent may have fewer children
				m := first
				for c := first + 1; c < n; c++ {
					if h[c].before(&h[m]) {
						m = c
					}
				}
				h[i] = h[m]
				i = m
			}
			break
		}
		// The smallest of four children by a tournament, selecting values
		// with masks rather than branches or reloads, so that each level
		// costs one load and a short chain of arithmetic.
		c := h[first : first+4 : first+4]
		c0a, c0k, c1a, c1k := c[0].at, c[0].key, c[1].at, c[1].key
		c2a, c2k, c3a, c3k := c[2].at, c[2].key, c[3].at, c[3].key
		l01 := lessv(c1a, c1k, c0a, c0k)
		m := -l01
		aa, ak := c0a^(c0a^c1a)&Time(m), c0k^(c0k^c1k)&m
		l23 := lessv(c3a, c3k, c2a, c2k)
		m = -l23
		ba, bk := c2a^(c2a^c3a)&Time(m), c2k^(c2k^c3k)&m
		m = -lessv(ba, bk, aa, ak)
		h[i] = entry{aa ^ (aa^ba)&Time(m), ak ^ (ak^bk)&m}
		i = first + int(l01^(l01^(2+l23))&m)
	}
	// The sift up of up4, written out: calling it (even inlined) changes
	// the register allocation of the tournament above and spills to the
	// stack on every level.
	for i > 3 {
		p := i>>2 + 2
		if !e.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
}

// up4 sifts the entry at i of the 4-ary heap h towards the root.
func up4(h []entry, i int) {
	e := h[i]
	for i > 3 {
		p := i>>2 + 2
		if !e.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
}

// minChild returns the index of the smallest of the children that start at
// first, in a heap of length n.
func (q *queue) minChild(first, n int) int {
	h := q.heap
	m := first
	for c := first + 1; c < min(first+arity, n); c++ {
		if h[c].before(&h[m]) {
			m = c
		}
	}
	return m
}

// down sifts the entry at i towards the leaves.
func (q *queue) down(i int) {
	h := q.heap
	n := len(h)
	e := h[i]
	for {
		first := firstChild(i)
		if first >= n {
			break
		}
		m := q.minChild(first, n)
		if !h[m].before(&e) {
			break
		}
		h[i] = h[m]
		i = m
	}
	h[i] = e
}
