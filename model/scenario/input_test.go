package scenario

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/internal/tomlin"
)

// decodeList decodes src, which must fail, and returns its errors.
func decodeList(t *testing.T, src string) Errors {
	t.Helper()
	_, err := Decode("big.toml", []byte(src))
	var list Errors
	if !errors.As(err, &list) {
		t.Fatalf("error %T is not Errors: %v", err, err)
	}
	return list
}

// TestManyErrorsCapped: a file with 10⁵ unknown keys lists the first
// hundred problems and counts the rest (it took minutes, listing all, while
// each error rescanned every earlier one).
func TestManyErrorsCapped(t *testing.T) {
	n := 100_000
	if testing.Short() {
		n = 10_000 // under the race detector
	}
	var b strings.Builder
	b.WriteString(overrideBase + "[pool]\n")
	for i := range n {
		fmt.Fprintf(&b, "unknown_%d = 1\n", i)
	}
	list := decodeList(t, b.String())
	if len(list) != tomlin.MaxReported+1 {
		t.Fatalf("%d lines, want %d and a count", len(list), tomlin.MaxReported+1)
	}
	if got, want := list[len(list)-1].Error(), fmt.Sprintf("big.toml: %d more problems not listed (only the first 100 are)", n-tomlin.MaxReported); got != want {
		t.Errorf("last line %q, want %q", got, want)
	}
	if first := strings.Count(overrideBase, "\n") + 2; list[0].Line != first || list[99].Line != first+99 {
		t.Errorf("lines %d … %d, want the first hundred in file order", list[0].Line, list[99].Line)
	}
}

// TestManyMissingReferences: 10⁴ clients naming classes the scenario does
// not have, in a scenario with 10⁴ classes, are reported without listing
// every class in every message.
func TestManyMissingReferences(t *testing.T) {
	n := 10_000
	if testing.Short() {
		n = 1_000 // under the race detector
	}
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[classes.c%d]\nservice = \"1ms\"\n", i)
	}
	for i := range n {
		fmt.Fprintf(&b, "[clients.u%d]\nkind = \"poisson\"\nrate = 1.0\nclass = \"missing%d\"\n", i, i)
	}
	list := decodeList(t, b.String())
	if len(list) != tomlin.MaxReported+1 {
		t.Fatalf("%d lines, want %d and a count", len(list), tomlin.MaxReported+1)
	}
	for _, e := range list {
		if len(e.Error()) > 400 {
			t.Fatalf("a message of %d bytes: %.200s…", len(e.Error()), e.Error())
		}
	}
}

// TestDeepNestingRefused: a scenario nested past tomlin.MaxDepth is
// refused before the TOML library decodes it (an array 10⁶ deep overflowed
// the stack).
func TestDeepNestingRefused(t *testing.T) {
	src := "[pool]\nthreads = " + strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000) + "\n"
	list := decodeList(t, src)
	if len(list) != 1 || list[0].Line != 2 || !strings.Contains(list[0].Msg, "nested more than") {
		t.Errorf("got %v", list)
	}
}

// TestControlCharactersRefused: terminal escapes and line separators in
// names and values never reach a terminal, a log or a CSV cell.
func TestControlCharactersRefused(t *testing.T) {
	for name, src := range map[string]string{
		"escape in a client name":  overrideBase + "[clients.\"\\u001b[2J\"]\nkind = \"poisson\"\nrate = 1.0\n",
		"line separator in a name": "name = \"a\\u2028b\"\n" + overrideBase[len("\nname = \"base\"\n"):],
		"NEL in a class name":      overrideBase + "[classes.\"x\\u0085y\"]\nservice = \"1ms\"\n",
	} {
		t.Run(name, func(t *testing.T) {
			list := decodeList(t, src)
			if !strings.Contains(list.Error(), "control characters") || !tomlin.Printable(list.Error()[:strings.IndexByte(list.Error()+"\n", '\n')]) {
				t.Errorf("got %q", list.Error())
			}
		})
	}
}

// TestDistKinds checks each row of the table of distribution families: its
// text decodes back to the same distribution, and its sampler's mean
// agrees with Expected within a 99.9 % interval of the draws' own spread.
func TestDistKinds(t *testing.T) {
	ms := engine.Millisecond
	dists := []Dist{
		Const(40 * ms),
		{Kind: "deterministic", Mean: 40 * ms},
		{Kind: "exponential", Mean: 30 * ms},
		{Kind: "lognormal", Mean: 40 * ms, CV: 1.5},
		{Kind: "uniform", Min: 10 * ms, Max: 30 * ms},
		{Kind: "gamma", Mean: 40 * ms, CV: 0.5},
		{Kind: "gamma", Mean: 40 * ms, Shape: 3},
		{Kind: "weibull", Mean: 40 * ms, Shape: 1.5},
		{Kind: "pareto", Shape: 3, Min: 10 * ms},
		{Kind: "pareto", Shape: 3, Mean: 15 * ms},
		{Kind: "empirical", Values: []engine.Time{10 * ms, 20 * ms, 60 * ms}},
	}
	if len(durationUnit.kinds) != 9 {
		t.Errorf("%d families; this test covers 9", len(durationUnit.kinds))
	}
	checkKinds(t, dists)
}

// checkKinds checks that each distribution's text decodes back to it, and
// that its sampler's mean agrees with Expected within a 99.9 % interval of
// the draws' own spread.
func checkKinds[Q Quantity](t *testing.T, dists []Distribution[Q]) {
	t.Helper()
	for _, d := range dists {
		text := distText(d)
		t.Run(text, func(t *testing.T) {
			var back Distribution[Q]
			if err := back.UnmarshalTOML(mustTOMLValue(t, text)); err != nil {
				t.Fatalf("%s does not decode: %v", text, err)
			}
			if distText(back) != text || back.Expected() != d.Expected() {
				t.Errorf("%s decodes to %s (mean %v, want %v)", text, distText(back), back.Expected(), d.Expected())
			}
			const n = 200_000
			s := d.Sampler(rand.New(rand.NewPCG(1, 2)))
			var sum, sum2 float64
			for range n {
				x := float64(s.Next())
				sum += x
				sum2 += x * x
			}
			mean := sum / n
			sd := (sum2/n - mean*mean)
			if sd < 0 {
				sd = 0
			}
			half := 3.29 * math.Sqrt(sd) / math.Sqrt(n) // 99.9 %
			if diff := mean - float64(d.Expected()); diff > half+1 || -diff > half+1 {
				t.Errorf("sample mean %.0f, Expected %v, half-width %.0f", mean, d.Expected(), half)
			}
		})
	}
}

func mustTOMLValue(t *testing.T, text string) any {
	t.Helper()
	v, err := parseTOMLValue(text)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestDistSynonyms: "constant" and "deterministic" are one family and are
// checked, sampled and averaged alike (the checks once differed).
func TestDistSynonyms(t *testing.T) {
	var msgs []string
	for _, kind := range []string{"constant", "deterministic"} {
		src := overrideBase + "[classes.x]\nservice = { dist = \"" + kind + "\", value = \"3651d\" }\n"
		for _, e := range decodeList(t, src) {
			if strings.HasPrefix(e.Key, "classes.x.service") {
				msgs = append(msgs, e.Key+": "+e.Msg)
			}
		}
		d := Dist{Kind: kind, Mean: 5 * engine.Millisecond}
		if d.Expected() != 5*engine.Millisecond || d.Sampler(nil).Next() != 5*engine.Millisecond || (Dist{Kind: kind}).IsZero() != true {
			t.Errorf("%s: mean %v, draw %v", kind, d.Expected(), d.Sampler(nil).Next())
		}
	}
	if len(msgs) != 2 || msgs[0] != msgs[1] {
		t.Errorf("constant and deterministic are checked differently:\n%s\n%s", msgs[0], msgs[1])
	}
}

// TestDefaultStartConstant: the default start cannot be changed by a
// caller (it was an exported variable).
func TestDefaultStartConstant(t *testing.T) {
	a := DefaultStart()
	a = a.AddDate(1, 0, 0)
	if NewScenario().Start.Equal(a) || !NewScenario().Start.Equal(DefaultStart()) {
		t.Error("DefaultStart changed")
	}
}
