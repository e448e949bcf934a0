package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// recorder is a Handler that logs "kind@time" for every event it handles.
type recorder struct {
	s   *Sim
	log []string
}

func (r *recorder) HandleEvent(kind int) {
	r.log = append(r.log, fmt.Sprintf("%d@%d", kind, r.s.Now()))
}

func newRecorder() *recorder { return &recorder{s: New(1, 0)} }

func TestOrderAndTies(t *testing.T) {
	tests := []struct {
		name string
		at   []Time // event i is scheduled at at[i], in this order
		want []string
	}{
		{"empty", nil, nil},
		{"in time order", []Time{1, 2, 3}, []string{"0@1", "1@2", "2@3"}},
		{"reverse", []Time{3, 2, 1}, []string{"2@1", "1@2", "0@3"}},
		{"all tied", []Time{5, 5, 5, 5}, []string{"0@5", "1@5", "2@5", "3@5"}},
		{"ties among others", []Time{2, 1, 2, 0, 2, 1}, []string{"3@0", "1@1", "5@1", "0@2", "2@2", "4@2"}},
		{"at zero", []Time{0, 0}, []string{"0@0", "1@0"}},
		{"far", []Time{Never - 1, 1}, []string{"1@1", fmt.Sprintf("0@%d", Never-1)}},
	}
	for _, tt := range tests {
		{
			t.Run(tt.name, func(t *testing.T) {
				r := newRecorder()
				for i, at := range tt.at {
					r.s.At(at, r, i)
				}
				if got := r.s.Len(); got != len(tt.at) {
					t.Fatalf("Len %d, want %d", got, len(tt.at))
				}
				n := r.s.Run(Never)
				if !slices.Equal(r.log, tt.want) {
					t.Fatalf("fired %v, want %v", r.log, tt.want)
				}
				if n != uint64(len(tt.at)) || r.s.Fired() != n {
					t.Fatalf("Run returned %d, Fired %d, want %d", n, r.s.Fired(), len(tt.at))
				}
			})
		}
	}
}

// TestTiesWithEventsScheduledWhileFiring checks that an event a handler
// schedules for the current instant fires after the events already pending
// for that instant, and before later ones.
func TestTiesWithEventsScheduledWhileFiring(t *testing.T) {
	s := New(1, 0)
	var log []string
	var h HandlerFunc
	h = func(k int) {
		log = append(log, fmt.Sprintf("%d@%d", k, s.Now()))
		if k < 3 {
			s.After(0, h, k+10) // same instant, scheduled last
		}
	}
	for k := range 3 {
		s.At(1, h, k)
	}
	s.At(2, h, 99)
	s.Run(Never)
	want := []string{"0@1", "1@1", "2@1", "10@1", "11@1", "12@1", "99@2"}
	if !slices.Equal(log, want) {
		t.Fatalf("fired %v, want %v", log, want)
	}
}

// TestLargeRandomOrder checks the heap on many events with many ties.
func TestLargeRandomOrder(t *testing.T) {
	{
		s := New(1, 0)
		type ev struct {
			at  Time
			seq int
		}
		var fired []ev
		var all []ev
		h := HandlerFunc(func(k int) { fired = append(fired, all[k]) })
		x := uint64(7)
		for i := range 20000 {
			x = x*6364136223846793005 + 1442695040888963407
			at := Time(x >> 54) // 0..1023: many ties
			all = append(all, ev{at, i})
			s.At(at, h, i)
		}
		s.Run(Never)
		want := slices.Clone(all)
		slices.SortStableFunc(want, func(a, b ev) int { return int(a.at - b.at) })
		if !slices.Equal(fired, want) {
			t.Fatal("events fired out of (time, scheduling) order")
		}
	}
}

func TestCancel(t *testing.T) {
	t.Run("pending", func(t *testing.T) {
		r := newRecorder()
		a := r.s.At(1, r, 0)
		r.s.At(2, r, 1)
		if !r.s.Pending(a) || !r.s.Cancel(a) {
			t.Fatal("cancel of a pending event failed")
		}
		if r.s.Pending(a) || r.s.Len() != 1 {
			t.Fatalf("after cancel: Pending %v, Len %d", r.s.Pending(a), r.s.Len())
		}
		r.s.Run(Never)
		if !slices.Equal(r.log, []string{"1@2"}) {
			t.Fatalf("fired %v", r.log)
		}
	})
	t.Run("twice", func(t *testing.T) {
		r := newRecorder()
		a := r.s.At(1, r, 0)
		if !r.s.Cancel(a) {
			t.Fatal("first cancel failed")
		}
		if r.s.Cancel(a) {
			t.Fatal("second cancel reported true")
		}
		if r.s.Len() != 0 || r.s.Step() {
			t.Fatal("cancelled event still there")
		}
	})
	t.Run("fired", func(t *testing.T) {
		r := newRecorder()
		a := r.s.At(1, r, 0)
		r.s.Step()
		if r.s.Pending(a) || r.s.Cancel(a) {
			t.Fatal("a fired event is pending or cancellable")
		}
	})
	t.Run("itself while firing", func(t *testing.T) {
		s := New(1, 0)
		var self Timer
		var pending, cancelled bool
		self = s.At(1, HandlerFunc(func(int) {
			pending, cancelled = s.Pending(self), s.Cancel(self)
		}), 0)
		s.Step()
		if pending || cancelled {
			t.Fatalf("event being handled: Pending %v, Cancel %v", pending, cancelled)
		}
	})
	t.Run("zero Timer", func(t *testing.T) {
		s := New(1, 0)
		s.At(1, nopHandler{}, 0)
		var z Timer
		if s.Pending(z) || s.Cancel(z) || s.Len() != 1 {
			t.Fatal("the zero Timer refers to an event")
		}
	})
	t.Run("Never", func(t *testing.T) {
		s := New(1, 0)
		tm := s.At(Never, nopHandler{}, 0)
		if tm != (Timer{}) || s.Len() != 0 {
			t.Fatal("an event at Never was scheduled")
		}
		if tm = s.After(Never, nopHandler{}, 0); tm != (Timer{}) || s.Len() != 0 {
			t.Fatal("an event after Never was scheduled")
		}
	})
	t.Run("by a handler, of a later event", func(t *testing.T) {
		r := newRecorder()
		var b Timer
		r.s.At(1, HandlerFunc(func(int) { r.s.Cancel(b) }), 0)
		b = r.s.At(2, r, 1)
		r.s.At(3, r, 2)
		r.s.Run(Never)
		if !slices.Equal(r.log, []string{"2@3"}) {
			t.Fatalf("fired %v", r.log)
		}
	})
	t.Run("the earliest", func(t *testing.T) {
		r := newRecorder()
		a := r.s.At(1, r, 0)
		r.s.At(5, r, 1)
		r.s.Cancel(a)
		if got := r.s.NextAt(); got != 5 {
			t.Fatalf("NextAt %d after cancelling the earliest, want 5", got)
		}
	})
}

func TestRunBoundaries(t *testing.T) {
	t.Run("events at until fire, later ones wait", func(t *testing.T) {
		r := newRecorder()
		for i, at := range []Time{5, 10, 10, 11} {
			r.s.At(at, r, i)
		}
		if n := r.s.Run(10); n != 3 {
			t.Fatalf("Run(10) fired %d, want 3", n)
		}
		if r.s.Now() != 10 || r.s.Len() != 1 || r.s.NextAt() != 11 {
			t.Fatalf("Now %d, Len %d, NextAt %d", r.s.Now(), r.s.Len(), r.s.NextAt())
		}
		if n := r.s.Run(10); n != 0 {
			t.Fatalf("second Run(10) fired %d", n)
		}
		if n := r.s.Run(11); n != 1 || r.s.Now() != 11 {
			t.Fatalf("Run(11) fired %d, Now %d", n, r.s.Now())
		}
	})
	t.Run("clock advances to until", func(t *testing.T) {
		r := newRecorder()
		r.s.At(3, r, 0)
		r.s.At(100, r, 1)
		r.s.Run(50)
		if r.s.Now() != 50 {
			t.Fatalf("Now %d after Run(50), want 50", r.s.Now())
		}
		s := New(1, 0)
		s.Run(7 * Second)
		if s.Now() != 7*Second {
			t.Fatalf("Now %v after Run on an empty simulation, want 7s", s.Now())
		}
	})
	t.Run("events scheduled at until by a handler fire", func(t *testing.T) {
		r := newRecorder()
		r.s.At(10, HandlerFunc(func(int) { r.s.After(0, r, 1) }), 0)
		r.s.Run(10)
		if !slices.Equal(r.log, []string{"1@10"}) {
			t.Fatalf("fired %v", r.log)
		}
	})
	t.Run("Never runs to the end and keeps the clock", func(t *testing.T) {
		r := newRecorder()
		r.s.At(42, r, 0)
		r.s.Run(Never)
		if r.s.Now() != 42 || r.s.Len() != 0 {
			t.Fatalf("Now %d, Len %d", r.s.Now(), r.s.Len())
		}
	})
	t.Run("until in the past changes nothing", func(t *testing.T) {
		r := newRecorder()
		r.s.Run(20)
		r.s.At(30, r, 0)
		if n := r.s.Run(10); n != 0 || r.s.Now() != 20 {
			t.Fatalf("Run(10) at 20: fired %d, Now %d", n, r.s.Now())
		}
	})
}

func TestStop(t *testing.T) {
	r := newRecorder()
	for i := range 5 {
		r.s.At(Time(i+1), r, i)
	}
	r.s.At(3, HandlerFunc(func(int) { r.s.Stop() }), 9) // after event 2, at 3
	if n := r.s.Run(100); n != 4 {
		t.Fatalf("Run fired %d events before stopping, want 4", n)
	}
	if r.s.Now() != 3 || r.s.Len() != 2 {
		t.Fatalf("stopped at %d with %d pending, want 3 and 2", r.s.Now(), r.s.Len())
	}
	if n := r.s.Run(100); n != 2 || r.s.Now() != 100 {
		t.Fatalf("resumed Run fired %d, Now %d", n, r.s.Now())
	}
	r.s.Stop() // outside Run: no effect on the next Run
	r.s.At(101, r, 7)
	if n := r.s.Run(200); n != 1 || r.s.Now() != 200 {
		t.Fatalf("Run after a stray Stop fired %d, Now %d", n, r.s.Now())
	}
}

func TestStepAndNextAt(t *testing.T) {
	s := New(1, 0)
	if s.Step() || s.NextAt() != Never || s.Now() != 0 {
		t.Fatal("empty simulation")
	}
	var at []Time
	h := HandlerFunc(func(int) { at = append(at, s.Now()) })
	s.After(2*Second, h, 0)
	s.After(Second, h, 0)
	if s.NextAt() != Second {
		t.Fatalf("NextAt %v", s.NextAt())
	}
	for s.Step() {
	}
	if !slices.Equal(at, []Time{Second, 2 * Second}) || s.Now() != 2*Second || s.Fired() != 2 {
		t.Fatalf("fired at %v, Now %v, Fired %d", at, s.Now(), s.Fired())
	}
}

func TestLenDuringHandler(t *testing.T) {
	s := New(1, 0)
	var seen []int
	var h HandlerFunc
	h = func(k int) {
		seen = append(seen, s.Len())
		if k == 0 {
			s.After(1, h, 1)
			seen = append(seen, s.Len())
		}
	}
	s.At(1, h, 0)
	s.At(5, h, 2)
	s.Run(Never)
	// While event 0 runs, only event 2 waits; then its follow-up too.
	if want := []int{1, 2, 1, 0}; !slices.Equal(seen, want) {
		t.Fatalf("Len seen by handlers %v, want %v", seen, want)
	}
}

func TestSchedulingErrorsPanic(t *testing.T) {
	s := New(1, 0)
	s.Run(10)
	tests := []struct {
		name string
		call func()
		msg  string
	}{
		{"At in the past", func() { s.At(9, nopHandler{}, 0) }, "before now"},
		{"negative After", func() { s.After(-1, nopHandler{}, 0) }, "before now"},
		{"nil Handler", func() { s.At(11, nil, 0) }, "nil Handler"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatal("no panic")
				}
				if !strings.Contains(fmt.Sprint(r), tt.msg) {
					t.Fatalf("panic %q does not say %q", r, tt.msg)
				}
				if s.Len() != 0 {
					t.Fatal("event scheduled despite the panic")
				}
			}()
			tt.call()
		})
	}
}

func TestPanickingHandlerLeavesSimUsable(t *testing.T) {
	r := newRecorder()
	r.s.At(1, HandlerFunc(func(int) { panic("model bug") }), 0)
	r.s.At(2, r, 1)
	func() {
		defer func() { _ = recover() }()
		r.s.Step()
	}()
	if r.s.Len() != 1 {
		t.Fatalf("Len %d after a panicking handler, want 1", r.s.Len())
	}
	r.s.Run(Never)
	if !slices.Equal(r.log, []string{"1@2"}) {
		t.Fatalf("fired %v", r.log)
	}
}

// TestFromSecondsRoundsHalfAwayFromZero checks the rule of FromSeconds:
// the nearest nanosecond, halves away from zero, as math.Round gives it,
// on both sides of its fast path's bound 2^52 ns, at the halves, just
// below them, and on random spans from nanoseconds to months.
func TestFromSecondsRoundsHalfAwayFromZero(t *testing.T) {
	ns := []float64{0, 0.5, math.Nextafter(0.5, 0), 1.5, 2.5, math.Nextafter(2.5, 0), 1e9 - 0.5,
		1<<52 - 0.5, 1<<52 - 1, 1 << 52, 1<<52 + 1, 1 << 53, 1e17 + 0.5, -0.5, -2.5, math.SmallestNonzeroFloat64}
	r := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		ns = append(ns, math.Ldexp(r.Float64(), r.IntN(60)))
	}
	for _, n := range ns {
		if got, want := FromSeconds(n/1e9), Time(math.Round(n/1e9*1e9)); got != want {
			t.Errorf("FromSeconds(%v ns / 1e9) = %d, math.Round gives %d", n, got, want)
		}
	}
}

func TestTime(t *testing.T) {
	tests := []struct {
		name string
		got  Time
		want Time
	}{
		{"FromDuration", FromDuration(1500 * time.Millisecond), 1500 * Millisecond},
		{"FromSeconds", FromSeconds(1.5), 1500 * Millisecond},
		{"FromSeconds rounds", FromSeconds(1e-9 * 2.5), 3},
		{"FromSeconds negative", FromSeconds(-2), -2 * Second},
		{"FromSeconds saturates", FromSeconds(1e300), Never},
		{"FromSeconds +Inf", FromSeconds(math.Inf(1)), Never},
		{"FromSeconds -Inf", FromSeconds(math.Inf(-1)), -Never},
		{"FromSeconds NaN", FromSeconds(math.NaN()), 0},
		{"Add", Second.Add(Minute), 61 * Second},
		{"Add saturates", (Never - 5).Add(10), Never},
		{"Add Never", Hour.Add(Never), Never},
		{"Add negative", Hour.Add(-Minute), 59 * Minute},
		{"units", Hour, 3600 * 1e9},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, tt.got, tt.want)
		}
	}
	if d := (90 * Second).Duration(); d != 90*time.Second {
		t.Errorf("Duration %v", d)
	}
	if s := (1500 * Millisecond).Seconds(); s != 1.5 {
		t.Errorf("Seconds %v", s)
	}
	for _, c := range []struct {
		t    Time
		want string
	}{{90 * Second, "1m30s"}, {Never, "never"}, {0, "0s"}} {
		if got := c.t.String(); got != c.want {
			t.Errorf("String(%d) = %q, want %q", c.t, got, c.want)
		}
	}
}

// RunChecked calls its check every `every` events and stops, as Stop does,
// at the first false; the events fired are those before the stop.
func TestRunCheckedStopsAtFirstFalse(t *testing.T) {
	s := New(1, 0)
	var h HandlerFunc
	h = func(int) { s.After(1, h, 0) } // an endless chain
	s.At(0, h, 0)
	checks := 0
	n := s.RunChecked(Never, 10, func() bool { checks++; return checks < 3 })
	if n != 30 || checks != 3 || s.Now() != 29 {
		t.Fatalf("fired %d events in %d checks, now %v; want 30 in 3, now 29", n, checks, s.Now())
	}
	if n := s.RunChecked(5, 10, nil); n != 0 {
		t.Fatalf("a run to an earlier time fired %d events", n)
	}
}
