package policies

import "fmt"

// Dispatch policy names.
const (
	DispatchLeastBusy  = "least_busy"
	DispatchRoundRobin = "round_robin"
)

// NewDispatch returns the dispatch policy called name ("round_robin", the
// default when empty, or "least_busy"). Each call returns a new policy with
// its own state.
//
// What IIS does: a web garden's worker processes all read from the one
// HTTP.sys request queue of their application pool. The "Features of the
// Windows Process Activation Service" article describes the result as
// requests spread over the processes round-robin
// (research/iis-app-pools.md rule 7, source S13), so round_robin is the
// default. Since a worker takes a request when it has a thread free, the
// pull can also be read as "the least busy worker takes it": least_busy is
// offered as that reading.
func NewDispatch(name string) (Dispatch, error) {
	switch name {
	case "", DispatchRoundRobin:
		return &RoundRobin{}, nil
	case DispatchLeastBusy:
		return LeastBusy{}, nil
	}
	return nil, fmt.Errorf("dispatch %q: unknown; allowed: %s, %s", name, DispatchLeastBusy, DispatchRoundRobin)
}

// LeastBusy gives the request to the ready worker with the fewest busy
// threads, the first such in ready on a tie.
type LeastBusy struct{}

// Pick returns the index of the least busy worker, or -1 if ready is empty.
func (LeastBusy) Pick(ready []WorkerView) int {
	best, bestBusy := -1, 0
	for i, w := range ready {
		if b := w.Busy(); best < 0 || b < bestBusy {
			best, bestBusy = i, b
		}
	}
	return best
}

// RoundRobin hands requests to the ready workers in turn: the n-th pick
// (counting from zero) is position n mod len(ready). When the set of ready
// workers is stable this visits each in turn; when it changes, the rotation
// carries on over the new list. It is deterministic and draws no random
// numbers.
type RoundRobin struct {
	next uint64
}

// Pick returns the next position in the rotation, or -1 if ready is empty.
func (p *RoundRobin) Pick(ready []WorkerView) int {
	if len(ready) == 0 {
		return -1
	}
	i := int(p.next % uint64(len(ready)))
	p.next++
	return i
}
