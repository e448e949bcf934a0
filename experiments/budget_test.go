package experiments

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

func TestCheckBudget(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"within", "scenario = \"small.toml\"\n[variants.a]\n[variants.b]\n\"pool.threads\" = 8\n", ""},
		// 20 requests/s for 3000 days: about 5.2e9 requests.
		{"variant", "scenario = \"small.toml\"\n[variants.a]\n[variants.long]\n\"horizon\" = \"3000d\"\n",
			`exp.toml: variant "long": each run would take about 2.09e+10 events (mostly 5.18e+09 requests), over the budget of 2e+08 events`},
		{"sweep value", "scenario = \"small.toml\"\n[[sweep]]\nkey = \"clients.visitors.rate\"\nvalues = [20, 2000000]\n",
			`exp.toml: variant "base", clients.visitors.rate=2000000: each run would take about 9.61e+09 events (mostly 2.4e+09 requests)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseString(t, tt.src, fakeSim(fakeRun))
			err := e.CheckBudget()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("CheckBudget: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("CheckBudget: %v; want %q", err, tt.want)
			}
		})
	}
}

// A grid over ten thousand points is not checked point by point, but the
// combination of each axis's most expensive value is: here each horizon
// and each rate is within the budget alone, and the longest horizon at the
// highest rate is not.
func TestCheckBudgetLargeGridCorner(t *testing.T) {
	var hs, rs []string
	for i := 1; i <= 101; i++ {
		hs = append(hs, fmt.Sprintf("%q", fmt.Sprintf("%dh", 2*i)))
	}
	for i := 1; i <= 100; i++ {
		rs = append(rs, fmt.Sprint(10*i))
	}
	src := fmt.Sprintf("scenario = \"small.toml\"\n[[sweep]]\nkey = \"horizon\"\nvalues = [%s]\n[[sweep]]\nkey = \"clients.visitors.rate\"\nvalues = [%s]\n",
		strings.Join(hs, ", "), strings.Join(rs, ", "))
	e := parseString(t, src, fakeSim(fakeRun))
	if len(e.Points()) <= maxCheckedPoints {
		t.Fatalf("%d points: not a large grid", len(e.Points()))
	}
	err := e.CheckBudget()
	if err == nil || !strings.Contains(err.Error(), "at the most expensive value of every sweep axis") {
		t.Errorf("CheckBudget: %v", err)
	}
}

// Rule (run counts): a sweep of more than MaxRuns runs, or with an absurd
// parallelism, is refused before anything is allocated per run.
func TestRunCountsRefusedUpFront(t *testing.T) {
	e := parseString(t, "scenario = \"small.toml\"\nreplications = 1000000\n[[sweep]]\nkey = \"pool.threads\"\nvalues = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n", fakeSim(fakeRun))
	if err := e.CheckBudget(); err == nil || !strings.Contains(err.Error(), "over the limit of 10000000 runs") {
		t.Errorf("CheckBudget: %v", err)
	}
	if _, err := e.Run(context.Background(), Options{}); err == nil || !strings.Contains(err.Error(), "runs") {
		t.Errorf("Run: %v", err)
	}
	small := parseString(t, "scenario = \"small.toml\"\n", fakeSim(fakeRun))
	for _, p := range []int{-1, 100_000_000} {
		if _, err := small.Run(context.Background(), Options{Parallel: p}); err == nil || !strings.Contains(err.Error(), "parallel") {
			t.Errorf("parallel %d: %v", p, err)
		}
	}
}
