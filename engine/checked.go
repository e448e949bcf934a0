package engine

// RunChecked is Run that also calls check after every `every` events fired
// and stops, as Stop does, when check returns false: a caller bounds a run
// (events fired, memory, cancellation) at the cost of one comparison per
// event.
func (s *Sim) RunChecked(until Time, every uint64, check func() bool) uint64 {
	s.stopped = false
	start := s.fired
	next := s.fired + max(every, 1)
	for !s.stopped && s.q.head() && s.q.heap[root].at <= until {
		s.Step()
		if s.fired >= next {
			next = s.fired + max(every, 1)
			if !check() {
				s.stopped = true
			}
		}
	}
	if !s.stopped && s.now < until && until != Never {
		s.now = until
	}
	return s.fired - start
}
