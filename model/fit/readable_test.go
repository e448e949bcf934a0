package fit

import (
	"testing"

	"github.com/poolsim/poolsim/model/scenario"
)

// TestReadableDurations checks the rule of docs/model.md "Fitting" that a
// fitted distribution's durations are written to 4 significant digits in
// the largest unit they are at least one of, and still parse as durations
// within that rounding of the fitted value.
func TestReadableDurations(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{ dist = "exponential", mean = "151362us" }`, `{ dist = "exponential", mean = "151.4ms" }`},
		{`{ dist = "lognormal", mean = "2345678us", cv = 1.2 }`, `{ dist = "lognormal", mean = "2.346s", cv = 1.2 }`},
		{`"12345ns"`, `"12.35us"`},
		{`"999ns"`, `"0.999us"`},
		{`"1234567891ns"`, `"1.235s"`},
		{`"7200123us"`, `"7.2s"`},
		{`"40ms"`, `"40ms"`}, // already readable: left alone
	} {
		got := readableDurations(c.in)
		if got != c.want {
			t.Errorf("%s: got %s, want %s", c.in, got, c.want)
		}
	}
	for _, s := range []string{"151.4ms", "2.346s", "12.35us", "0.999us"} {
		if _, err := scenario.ParseDuration(s); err != nil {
			t.Errorf("%s does not parse back: %v", s, err)
		}
	}
}
