package experiments

import (
	"math"
	"testing"
)

// TestNaNCellIsEmpty checks the rule "a metric of nothing is an empty CSV
// cell" (docs/model.md#outputs): a NaN metric, such as the response time
// of a run with no ok request, is written as an empty cell, never "NaN",
// while every other value keeps its shortest exact form.
func TestNaNCellIsEmpty(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{math.NaN(), ""}, {0, "0"}, {0.1, "0.1"}, {12345, "12345"}} {
		if got := FormatFloat(tc.v); got != tc.want {
			t.Errorf("FormatFloat(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
