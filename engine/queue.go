package engine

import (
	"math/bits"
	"slices"
)

// entry is one pending event as the heap stores it, in 16 bytes so that the
// four children of a node share a cache line: the time, then key, which
// holds the event's sequence number in its high 32 bits and its slot in the
// low 32. Entries order by (at, key), that is by time and then by the order
// in which they were scheduled.
type entry struct {
	at  Time
	key uint64
}

func (e entry) slot() uint32 { return uint32(e.key) }

func (a *entry) before(b *entry) bool {
	return a.at < b.at || (a.at == b.at && a.key < b.key)
}

// less is before as 1 or 0, computed without branches as the borrow of a
// 128-bit subtraction (times are never negative, so they compare as
// unsigned), so that choosing the smallest child does not mispredict.
func less(a, b *entry) int {
	_, br := bits.Sub64(a.key, b.key, 0)
	_, br = bits.Sub64(uint64(a.at), uint64(b.at), br)
	return int(br)
}

// slot holds an event's payload. h is nil once the event has fired or been
// cancelled; gen is bumped at that moment, invalidating the event's Timer.
// A slot is reused only after its entry has left the heap.
type slot struct {
	h    Handler
	kind int
	gen  uint32
}

// queue is the pending-event set: a d-ary min-heap of entries, with the
// payloads in a table of slots recycled through a free list.
//
// Cancel only marks the slot; the entry stays in the heap until it reaches
// the top or until cancelled entries outnumber live ones, when the heap is
// compacted. The heap therefore never holds more than twice the live events
// (plus a small constant), however many are cancelled, and sifting does not
// have to maintain a back-pointer from each slot to its heap position.
//
// Arity, measured with BenchmarkArity (see that benchmark's comment for the
// command and figures): PLACEHOLDER.
type queue struct {
	heap  []entry
	slots []slot
	free  []uint32
	dead  int    // cancelled entries still in heap
	spent bool   // heap[0] is the event being fired, kept for push to replace
	shift uint   // log2 of the arity: 1 binary, 2 4-ary
	seq   uint64 // sequence number of the next event
	limit uint64 // seq must stay below it; 1<<32 but for tests
}

const (
	seqLimit    = 1 << 32
	compactMin  = 32 // cancelled entries tolerated whatever the live count
	defaultSift = 2
)

func newQueue() queue { return queue{shift: defaultSift, limit: seqLimit} }

// live returns the number of events waiting to fire.
func (q *queue) live() int {
	n := len(q.heap) - q.dead
	if q.spent {
		n--
	}
	return n
}

// push adds an event and returns its slot and the slot's generation.
func (q *queue) push(at Time, h Handler, kind int) (uint32, uint32) {
	if q.seq >= q.limit {
		q.renumber()
	}
	if q.spent {
		// The event being fired is still at the root: the new one takes
		// its place and its slot, one sift instead of a removal and an
		// insertion. Most handlers schedule their component's next event.
		q.spent = false
		s := q.heap[0].slot()
		sl := &q.slots[s]
		sl.h, sl.kind = h, kind
		q.replaceTop(entry{at: at, key: q.seq<<32 | uint64(s)})
		q.seq++
		return s, sl.gen
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
	slices.SortFunc(q.heap, func(a, b entry) int {
		switch {
		case a.before(&b):
			return -1
		case b.before(&a):
			return 1
		}
		return 0
	})
	for i := range q.heap {
		q.heap[i].key = uint64(i)<<32 | uint64(q.heap[i].slot())
	}
	q.seq = uint64(len(q.heap))
}

// head drops cancelled entries from the top and reports whether a live
// event remains; if so it is q.heap[0].
func (q *queue) head() bool {
	q.settle()
	for len(q.heap) > 0 {
		s := q.heap[0].slot()
		if q.slots[s].h != nil {
			return true
		}
		q.removeTop()
		q.dead--
		q.free = append(q.free, s)
	}
	return false
}

// fire takes the earliest event, which head must have found live, and
// returns it. Its entry stays at the root, spent, until settle or until
// push reuses it.
func (q *queue) fire() (Time, Handler, int) {
	e := &q.heap[0]
	sl := &q.slots[e.slot()]
	h, kind := sl.h, sl.kind
	sl.h = nil
	sl.gen++
	q.spent = true
	return e.at, h, kind
}

// settle removes the spent root, if any.
func (q *queue) settle() {
	if q.spent {
		q.spent = false
		q.free = append(q.free, q.removeTop().slot())
	}
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
	if q.dead > compactMin && 2*q.dead > len(q.heap) {
		q.purge()
	}
	return true
}

// purge removes every cancelled entry and restores the heap in linear time.
func (q *queue) purge() {
	if q.dead == 0 && !q.spent {
		return
	}
	h := q.heap[:0]
	for _, e := range q.heap {
		if q.slots[e.slot()].h != nil {
			h = append(h, e)
		} else {
			q.free = append(q.free, e.slot())
		}
	}
	q.heap = h
	q.dead = 0
	q.spent = false
	for i := (len(h) - 2) >> q.shift; i >= 0; i-- {
		q.down(i)
	}
}

// removeTop removes and returns the root of the heap.
func (q *queue) removeTop() entry {
	h := q.heap
	top := h[0]
	n := len(h) - 1
	last := h[n]
	q.heap = h[:n]
	if n > 0 {
		q.replaceTop(last)
	}
	return top
}

// replaceTop puts e in place of the root and restores the heap. It moves
// the hole at the root down to a leaf along the smallest children, then
// sifts e up from there: e almost always belongs near the bottom (it is the
// former last entry, or an event later than the one just fired), so this
// saves a comparison per level over sifting e down.
func (q *queue) replaceTop(e entry) {
	h := q.heap
	n := len(h)
	shift := q.shift
	i := 0
	switch shift {
	case 2:
		for {
			first := i<<2 + 1
			if first+4 > n {
				break
			}
			c := h[first : first+4 : first+4]
			a := less(&c[1], &c[0])
			b := 2 + less(&c[3], &c[2])
			m := a ^ ((a ^ b) & -less(&c[b], &c[a]))
			h[i] = c[m]
			i = first + m
		}
	case 1:
		for {
			first := i<<1 + 1
			if first+2 > n {
				break
			}
			c := h[first : first+2 : first+2]
			m := less(&c[1], &c[0])
			h[i] = c[m]
			i = first + m
		}
	}
	if first := i<<shift + 1; first < n {
		m := q.minChild(first, n)
		h[i] = h[m]
		i = m
	}
	for i > 0 {
		p := (i - 1) >> shift
		if !e.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
}

// minChild returns the index of the smallest of the children that start at
// first, in a heap of n entries.
func (q *queue) minChild(first, n int) int {
	h := q.heap
	switch {
	case q.shift == 2 && first+3 < n:
		a := first + less(&h[first+1], &h[first])
		b := first + 2 + less(&h[first+3], &h[first+2])
		return a ^ ((a ^ b) & -less(&h[b], &h[a]))
	case q.shift == 1 && first+1 < n:
		return first + less(&h[first+1], &h[first])
	}
	m := first
	for c := first + 1; c < min(first+1<<q.shift, n); c++ {
		if h[c].before(&h[m]) {
			m = c
		}
	}
	return m
}

func (q *queue) up(i int) {
	h := q.heap
	e := h[i]
	for i > 0 {
		p := (i - 1) >> q.shift
		if !e.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
}

func (q *queue) down(i int) {
	h := q.heap
	n := len(h)
	e := h[i]
	for {
		first := i<<q.shift + 1
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
