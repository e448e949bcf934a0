package policies_test

import (
	"strings"
	"testing"

	"github.com/poolsim/poolsim/policies"
	"github.com/poolsim/poolsim/policies/policytest"
)

func workers(busy ...int) []policies.WorkerView {
	out := make([]policies.WorkerView, len(busy))
	for i, b := range busy {
		out[i] = policytest.FakeWorker{BusyThreads: b, FreeThreads: 25 - b}
	}
	return out
}

func TestNewDispatch(t *testing.T) {
	for _, name := range []string{"", "least_busy", "round_robin"} {
		if _, err := policies.NewDispatch(name); err != nil {
			t.Errorf("NewDispatch(%q): %v", name, err)
		}
	}
	_, err := policies.NewDispatch("random")
	if err == nil || !strings.Contains(err.Error(), "allowed: least_busy, round_robin") {
		t.Errorf("NewDispatch(random) error = %v", err)
	}
}

func TestLeastBusy(t *testing.T) {
	tests := []struct {
		busy []int
		want int
	}{
		{[]int{0}, 0},
		{[]int{3, 1, 2}, 1},
		{[]int{2, 1, 1}, 1}, // tie: lowest index
		{[]int{0, 0, 0, 0}, 0},
		{[]int{5, 4, 3, 2, 1, 0}, 5},
		{nil, -1},
	}
	for _, tc := range tests {
		if got := (policies.LeastBusy{}).Pick(workers(tc.busy...)); got != tc.want {
			t.Errorf("Pick(busy %v) = %d, want %d", tc.busy, got, tc.want)
		}
	}
}

func TestRoundRobin(t *testing.T) {
	lists := [][]policies.WorkerView{
		workers(0, 0, 0), workers(0, 0, 0), workers(0, 0, 0), workers(0, 0, 0),
		workers(9, 9), workers(9, 9), // a worker left: the rotation goes on over two
		workers(1, 1, 1, 1),
	}
	want := []int{0, 1, 2, 0, 0, 1, 2}
	got := policytest.CheckDispatch(t, func() policies.Dispatch {
		d, _ := policies.NewDispatch("round_robin")
		return d
	}, lists)
	if !equalInts(got, want) {
		t.Errorf("round robin picks %v, want %v", got, want)
	}
	if got := (&policies.RoundRobin{}).Pick(nil); got != -1 {
		t.Errorf("Pick(empty) = %d, want -1", got)
	}
}

func TestDispatchConformanceAndAllocs(t *testing.T) {
	lists := [][]policies.WorkerView{workers(1), workers(4, 2, 9), workers(0, 0), workers(3, 3, 3, 1)}
	for _, name := range []string{"least_busy", "round_robin"} {
		newD := func() policies.Dispatch {
			d, err := policies.NewDispatch(name)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		policytest.CheckDispatch(t, newD, lists)
		d := newD()
		ready := lists[3]
		if a := testing.AllocsPerRun(1000, func() { d.Pick(ready) }); a != 0 {
			t.Errorf("%s: %v allocations per pick, want 0", name, a)
		}
	}
}

// TestDispatchDefaultRoundRobin checks the rule "a web garden's requests are
// spread round-robin by default" (docs/model.md#dispatch; "Features of the
// Windows Process Activation Service"): the policy of an empty name is
// round_robin.
func TestDispatchDefaultRoundRobin(t *testing.T) {
	d, err := policies.NewDispatch("")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := d.(*policies.RoundRobin); !ok {
		t.Errorf("NewDispatch(\"\") = %T, want *RoundRobin", d)
	}
}
