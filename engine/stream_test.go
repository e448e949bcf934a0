package engine

import (
	"crypto/sha256"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// TestStreamGolden pins the first draws of a few streams, so that a change
// of the derivation scheme, or of Go's PCG, is caught rather than silently
// changing every result. If this fails, the scheme changed: give it a new
// StreamScheme name instead of updating these numbers.
func TestStreamGolden(t *testing.T) {
	tests := []struct {
		seed, replication uint64
		name              string
		want              [3]uint64
	}{
		{1, 0, "arrivals/x", [3]uint64{0x2793ca9774995afb, 0xf029ee4ad2eca793, 0x20c1063c1483b52}},
		{1, 1, "arrivals/x", [3]uint64{0x9c3a51f970d48a04, 0x723afa7094bec741, 0x39d764780a8bb499}},
		{2, 0, "arrivals/x", [3]uint64{0x53ac1ac3476d8000, 0x19ef96644a569b71, 0xbec87f92c7c996a5}},
		{1, 0, "service/x", [3]uint64{0x6cc2fd0fb8f7eb34, 0xa7ab1cf8d63a021d, 0x50a0a5c01a460720}},
		{42, 7, "faults/trend", [3]uint64{0xef19abb7ee636fef, 0x9902229432dc52e, 0x839e60666a9d689e}},
		{0, 0, "", [3]uint64{0x93186f4697bb9fe3, 0xfbf63353dba27d7e, 0xc0ff82301c8f17e3}},
	}
	for _, tt := range tests {
		src := NewSource(tt.seed, tt.replication, tt.name)
		got := [3]uint64{src.Uint64(), src.Uint64(), src.Uint64()}
		if got != tt.want {
			t.Errorf("NewSource(%d, %d, %q) draws %#x, want %#x", tt.seed, tt.replication, tt.name, got, tt.want)
		}
		// The same through a Sim.
		r := New(tt.seed, tt.replication).Stream(tt.name)
		if r.Uint64() != tt.want[0] {
			t.Errorf("Stream(%q) of New(%d, %d) differs from NewSource", tt.name, tt.seed, tt.replication)
		}
	}
	if StreamScheme != "poolsim/rng/v1 sha256 pcg" {
		t.Errorf("StreamScheme is %q: a new scheme needs new golden draws", StreamScheme)
	}
}

// TestStreamDerivation checks NewSource against its documented formula,
// written out independently here.
func TestStreamDerivation(t *testing.T) {
	for _, c := range []struct {
		seed, rep uint64
		name      string
	}{{1, 0, "arrivals/x"}, {math.MaxUint64, 3, "service/trend"}, {0, 0, ""}} {
		msg := []byte("poolsim/rng/v1\x00")
		msg = binary.LittleEndian.AppendUint64(msg, c.seed)
		msg = binary.LittleEndian.AppendUint64(msg, c.rep)
		msg = binary.LittleEndian.AppendUint64(msg, uint64(len(c.name)))
		msg = append(msg, c.name...)
		sum := sha256.Sum256(msg)
		want := rand.NewPCG(binary.LittleEndian.Uint64(sum[0:8]), binary.LittleEndian.Uint64(sum[8:16]))
		got := NewSource(c.seed, c.rep, c.name)
		for i := range 5 {
			if g, w := got.Uint64(), want.Uint64(); g != w {
				t.Fatalf("%+v: draw %d is %#x, formula gives %#x", c, i, g, w)
			}
		}
	}
}

func TestStreamReproducibleAndCached(t *testing.T) {
	a, b := New(7, 2), New(7, 2)
	ra := a.Stream("arrivals/visitors")
	if a.Stream("arrivals/visitors") != ra {
		t.Fatal("Stream returned a new generator for a known name")
	}
	rb := b.Stream("arrivals/visitors")
	for i := range 1000 {
		if x, y := ra.Uint64(), rb.Uint64(); x != y {
			t.Fatalf("draw %d differs between two simulations of the same seed: %#x, %#x", i, x, y)
		}
	}
}

// TestStreamIndependentOfCreationOrder creates the same streams in two
// orders, with extra streams in one, and interleaves the draws differently:
// each name's draws must not change.
func TestStreamIndependentOfCreationOrder(t *testing.T) {
	names := []string{"arrivals/a", "service/b", "backend/c", "faults/d"}
	a := New(3, 1)
	for _, n := range names {
		a.Stream(n)
	}
	b := New(3, 1)
	b.Stream("clients/extra")
	for i := len(names) - 1; i >= 0; i-- {
		b.Stream(names[i])
		b.Stream("other/" + names[i]).Uint64() // draws from unrelated streams
	}
	got := map[string][]uint64{}
	for range 50 { // a: round-robin
		for _, n := range names {
			got[n] = append(got[n], a.Stream(n).Uint64())
		}
	}
	for _, n := range names { // b: one stream after another
		for i := range 50 {
			if x := b.Stream(n).Uint64(); x != got[n][i] {
				t.Fatalf("%s draw %d: %#x in one order, %#x in another", n, i, got[n][i], x)
			}
		}
	}
}

func TestStreamsDiffer(t *testing.T) {
	type key struct {
		seed, rep uint64
		name      string
	}
	keys := []key{
		{1, 0, "arrivals/x"}, {1, 0, "arrivals/y"}, {1, 0, "arrivals/x "}, {1, 0, "Arrivals/x"},
		{1, 1, "arrivals/x"}, {2, 0, "arrivals/x"}, {0, 1, "arrivals/x"}, {1, 0, ""},
		{256, 0, "a"}, {1, 1 << 56, "a"}, // byte boundaries between seed and replication
	}
	seen := map[uint64]key{}
	for _, k := range keys {
		x := NewSource(k.seed, k.rep, k.name).Uint64()
		if other, dup := seen[x]; dup {
			t.Errorf("%+v and %+v start with the same draw", k, other)
		}
		seen[x] = k
	}
}

// TestStreamStatistics compares the mean and variance of n draws of the
// exponential and uniform distributions with theory, on several streams.
// The tolerance is 4 standard errors, computed from the distribution's
// moments: the standard error of a sample mean is sigma/sqrt(n) and that of
// a sample variance is sqrt((mu4 - sigma^4)/n), mu4 the fourth central
// moment. A correct generator fails one check in about 16000.
func TestStreamStatistics(t *testing.T) {
	const n = 20000
	type dist struct {
		name string
		draw func(*rand.Rand) float64
		mean float64
		vari float64
		mu4  float64 // fourth central moment
	}
	const rate = 2.5
	dists := []dist{
		{"Exp(2.5)", func(r *rand.Rand) float64 { return r.ExpFloat64() / rate },
			1 / rate, 1 / (rate * rate), 9 / math.Pow(rate, 4)},
		{"Uniform(0,1)", (*rand.Rand).Float64, 0.5, 1.0 / 12, 1.0 / 80},
		{"Normal(0,1)", (*rand.Rand).NormFloat64, 0, 1, 3},
	}
	for _, name := range []string{"arrivals/visitors", "service/trend", "backend/historian"} {
		for rep := range uint64(2) {
			for _, d := range dists {
				r := rand.New(NewSource(1, rep, name))
				var sum, sum2 float64
				xs := make([]float64, n)
				for i := range xs {
					xs[i] = d.draw(r)
					sum += xs[i]
				}
				mean := sum / n
				for _, x := range xs {
					sum2 += (x - mean) * (x - mean)
				}
				vari := sum2 / (n - 1)
				seMean := math.Sqrt(d.vari / n)
				seVar := math.Sqrt((d.mu4 - d.vari*d.vari) / n)
				if math.Abs(mean-d.mean) > 4*seMean {
					t.Errorf("%s rep %d %s: mean %.5f, theory %.5f ± %.5f (4 SE)", name, rep, d.name, mean, d.mean, 4*seMean)
				}
				if math.Abs(vari-d.vari) > 4*seVar {
					t.Errorf("%s rep %d %s: variance %.5f, theory %.5f ± %.5f (4 SE)", name, rep, d.name, vari, d.vari, 4*seVar)
				}
			}
		}
	}
}

// TestStreamsUncorrelated checks that two named streams of one simulation,
// and one stream in two replications, are uncorrelated: under independence
// the sample correlation of n pairs has standard error 1/sqrt(n).
func TestStreamsUncorrelated(t *testing.T) {
	const n = 20000
	pairs := [][2]*rand.Rand{
		{rand.New(NewSource(1, 0, "arrivals/visitors")), rand.New(NewSource(1, 0, "service/trend"))},
		{rand.New(NewSource(1, 0, "arrivals/visitors")), rand.New(NewSource(1, 1, "arrivals/visitors"))},
		{rand.New(NewSource(1, 0, "arrivals/visitors")), rand.New(NewSource(2, 0, "arrivals/visitors"))},
	}
	for i, p := range pairs {
		var sx, sy, sxx, syy, sxy float64
		for range n {
			x, y := p[0].Float64(), p[1].Float64()
			sx, sy, sxx, syy, sxy = sx+x, sy+y, sxx+x*x, syy+y*y, sxy+x*y
		}
		cov := sxy/n - sx*sy/(n*n)
		r := cov / math.Sqrt((sxx/n-sx*sx/(n*n))*(syy/n-sy*sy/(n*n)))
		if tol := 4 / math.Sqrt(n); math.Abs(r) > tol {
			t.Errorf("pair %d: correlation %.4f beyond ±%.4f (4 SE)", i, r, tol)
		}
	}
}
