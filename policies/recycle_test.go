package policies_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/policies"
)

const hour = engine.Hour

func TestRecycleTriggerValidate(t *testing.T) {
	good := policies.RecycleTrigger{Age: 29 * hour, Requests: 1000, Jitter: min, JitterRequests: 50}
	if err := good.Validate(); err != nil {
		t.Errorf("Validate(%+v): %v", good, err)
	}
	for _, bad := range []policies.RecycleTrigger{{Age: -1}, {Requests: -1}, {Jitter: -1}, {JitterRequests: -1}} {
		if err := bad.Validate(); err == nil {
			t.Errorf("Validate(%+v) = nil, want an error", bad)
		}
	}
}

func TestRecycleDrawExact(t *testing.T) {
	tests := []struct {
		trig policies.RecycleTrigger
		want policies.RecycleLimits
	}{
		{policies.RecycleTrigger{}, policies.RecycleLimits{}},
		{policies.RecycleTrigger{Age: 29 * hour}, policies.RecycleLimits{Age: 29 * hour}},
		{policies.RecycleTrigger{Requests: 500}, policies.RecycleLimits{Requests: 500}},
		// Jitter on a disabled trigger keeps it disabled.
		{policies.RecycleTrigger{Jitter: hour, JitterRequests: 100}, policies.RecycleLimits{}},
		{policies.RecycleTrigger{Age: -hour, Requests: -3}, policies.RecycleLimits{}},
	}
	for _, tc := range tests {
		r := rand.New(rand.NewPCG(1, 2))
		before := *r
		if got := tc.trig.Draw(r); got != tc.want {
			t.Errorf("Draw(%+v) = %+v, want %+v", tc.trig, got, tc.want)
		}
		if *r != before {
			t.Errorf("Draw(%+v) drew from the stream without jitter", tc.trig)
		}
	}
	// Saturation instead of overflow.
	r := rand.New(rand.NewPCG(1, 2))
	huge := policies.RecycleTrigger{Age: engine.Never - 1, Jitter: engine.Never, Requests: math.MaxInt64 - 1, JitterRequests: math.MaxInt64}
	for range 100 {
		l := huge.Draw(r)
		if l.Age < huge.Age || l.Requests < huge.Requests {
			t.Fatalf("Draw(%+v) = %+v overflowed", huge, l)
		}
	}
}

// TestRecycleJitter checks that jitter is uniform on [0, J], both ends
// included: the request jitter on {0, 1, 2} hits each value with frequency
// 1/3 within four binomial standard errors, and the age jitter's mean is J/2
// within four standard errors (sd J/√12).
func TestRecycleJitter(t *testing.T) {
	const n = 30000
	trig := policies.RecycleTrigger{Age: hour, Jitter: 10 * min, Requests: 1000, JitterRequests: 2}
	r := rand.New(rand.NewPCG(3, 4))
	var counts [3]int
	var sum float64
	for range n {
		l := trig.Draw(r)
		x := l.Requests - trig.Requests
		if x < 0 || x > 2 {
			t.Fatalf("request limit %d outside [1000, 1002]", l.Requests)
		}
		counts[x]++
		j := l.Age - trig.Age
		if j < 0 || j > trig.Jitter {
			t.Fatalf("age limit %v outside [1h, 1h10m]", l.Age)
		}
		sum += float64(j)
	}
	se := math.Sqrt((1.0 / 3) * (2.0 / 3) / n)
	for v, c := range counts {
		if f := float64(c) / n; math.Abs(f-1.0/3) > 4*se {
			t.Errorf("request jitter %d: frequency %.4f, want 1/3 within %.4f", v, f, 4*se)
		}
	}
	J := float64(trig.Jitter)
	if mean := sum / n; math.Abs(mean-J/2) > 4*J/math.Sqrt(12*n) {
		t.Errorf("age jitter mean %v, want %v within 4 SE", engine.Time(mean), engine.Time(J/2))
	}
}

func TestNextScheduled(t *testing.T) {
	tod := func(s string) engine.Time {
		d, err := policies.ParseTimeOfDay(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct {
		name       string
		now, start engine.Time
		times      []string
		want       engine.Time
	}{
		{"first of the day", 0, 0, []string{"03:00", "15:00"}, 3 * hour},
		{"strictly after now", 3 * hour, 0, []string{"03:00", "15:00"}, 15 * hour},
		{"just before", 3*hour - 1, 0, []string{"03:00", "15:00"}, 3 * hour},
		{"wraps past midnight", 16 * hour, 0, []string{"03:00", "15:00"}, 27 * hour},
		{"start in the evening", 0, 22 * hour, []string{"03:00"}, 5 * hour},
		{"start in the evening, same day", 0, 22 * hour, []string{"23:30", "03:00"}, 90 * min},
		{"start at the scheduled time", 0, 3 * hour, []string{"03:00"}, 24 * hour},
		{"unsorted", 10 * hour, 0, []string{"15:00", "03:00", "12:00"}, 12 * hour},
		{"days later", 50*hour + 30*min, 6 * hour, []string{"06:00"}, 72 * hour},
		{"midnight", 5 * hour, 0, []string{"00:00"}, 24 * hour},
		{"no times", 5 * hour, 0, nil, engine.Never},
		{"near the end of time", engine.Never - hour, 0, []string{"00:00"}, engine.Never},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var times []engine.Time
			for _, s := range tc.times {
				times = append(times, tod(s))
			}
			got := policies.NextScheduled(tc.now, tc.start, times)
			if got != tc.want {
				t.Errorf("NextScheduled(%v, %v, %v) = %v, want %v", tc.now, tc.start, tc.times, got, tc.want)
			}
			if got != engine.Never && got <= tc.now {
				t.Errorf("NextScheduled = %v, not after now %v", got, tc.now)
			}
		})
	}
	// Offsets outside a day are taken modulo a day.
	if got := policies.NextScheduled(0, -2*hour, []engine.Time{25 * hour}); got != 3*hour {
		t.Errorf("NextScheduled(0, -2h, [25h]) = %v, want 3h", got)
	}
}

// TestNextScheduledWalk steps through a week of schedules and checks that
// every due time is found exactly once, in order.
func TestNextScheduledWalk(t *testing.T) {
	times := []engine.Time{3 * hour, 15*hour + 30*min}
	start := 20 * hour
	var got []engine.Time
	// Starting at 20:00, the first is 03:00 (7h), then 15:30, 03:00, ...
	for now := engine.Time(0); len(got) < 14; {
		now = policies.NextScheduled(now, start, times)
		got = append(got, now)
	}
	for i, at := range got {
		wall := (at + start) % policies.Day
		if wall != times[0] && wall != times[1] {
			t.Errorf("due time %d at %v is %v after midnight", i, at, wall)
		}
		if i > 0 && at-got[i-1] != []engine.Time{11*hour + 30*min, 12*hour + 30*min}[i%2] {
			t.Errorf("due times %v and %v are %v apart", got[i-1], at, at-got[i-1])
		}
	}
}

func TestParseTimeOfDay(t *testing.T) {
	tests := []struct {
		in   string
		want engine.Time
		ok   bool
	}{
		{"00:00", 0, true},
		{"03:00", 3 * hour, true},
		{"23:59", 23*hour + 59*min, true},
		{"15:04:05", 15*hour + 4*min + 5*sec, true},
		{"24:00", 0, false},
		{"12:60", 0, false},
		{"3:00", 0, false},
		{"03-00", 0, false},
		{"03:00:", 0, false},
		{"03:00:60", 0, false},
		{"+3:00", 0, false},
		{"", 0, false},
		{"a", 0, false},
		{"03:0x", 0, false},
	}
	for _, tc := range tests {
		got, err := policies.ParseTimeOfDay(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseTimeOfDay(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
