package model

import (
	"hash/fnv"
	"math/rand/v2"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// Per-request random numbers (common random numbers).
//
// Rule (docs/model.md#random-numbers): every draw that belongs to one
// request (its fault, its service time, its backend latency, the delay
// before its retry) comes from a generator keyed on the stream's name and
// on the request's identity: its client, the arrival number (Poisson) or
// the poller and its poll number (polling), and the attempt. The same
// request therefore has the same fate in every variant of a scenario, even
// when the variants' failures, rejections and retries differ, instead of
// taking the next number of a shared stream.

// requestKey is a request's identity, mixed into 128 bits.
type requestKey struct{ hi, lo uint64 }

// newRequestKey returns the identity of attempt attempt of the n-th request
// of sender who of the client whose name hashes to client.
func newRequestKey(client uint64, who, n, attempt int) requestKey {
	lo := engine.Mix64(engine.Mix64(client^uint64(who)<<1) ^ uint64(n))
	return requestKey{hi: engine.Mix64(lo ^ uint64(attempt)<<32 ^ 0x9e3779b97f4a7c15), lo: lo}
}

// nameKey hashes a client's name, so that a request's identity does not
// depend on which other clients a variant has.
func nameKey(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return engine.Mix64(h.Sum64())
}

// keyedStream is a named stream whose draws for one request are a PCG
// sequence seeded from the stream's key and the request's identity.
// Positioning it allocates nothing; samplers built on rand hold the same
// generator and see each reseeding.
type keyedStream struct {
	k0, k1 uint64
	pcg    rand.PCG
	rand   *rand.Rand
}

// newKeyedStream returns the keyed stream called name in replication rep of
// seed; its key is the first two draws of the engine's stream of that name,
// so it depends on nothing else.
func newKeyedStream(seed, rep uint64, name string) *keyedStream {
	src := engine.NewSource(seed, rep, name)
	k := &keyedStream{k0: src.Uint64(), k1: src.Uint64()}
	k.rand = rand.New(&k.pcg)
	return k
}

// at positions the stream at the start of the sequence of key and returns
// its generator.
func (k *keyedStream) at(key requestKey) *rand.Rand {
	k.pcg.Seed(engine.Mix64(k.k0^key.hi), engine.Mix64(k.k1^key.lo))
	return k.rand
}

// perRequest is a quantity of each request (its allocation, its response's
// size, its client's bandwidth) drawn from a keyed stream, so that the same
// request gets the same value in every variant, as its service time does.
// A constant draws nothing: of returns it at once.
type perRequest[Q scenario.Quantity] struct {
	value   Q
	stream  *keyedStream // nil: the constant value
	sampler *scenario.DistSampler[Q]
}

// newPerRequest returns the per-request draws of d from the keyed stream
// called name.
func newPerRequest[Q scenario.Quantity](d scenario.Distribution[Q], seed, rep uint64, name string) perRequest[Q] {
	if c, ok := d.Constant(); ok {
		return perRequest[Q]{value: c}
	}
	ks := newKeyedStream(seed, rep, name)
	return perRequest[Q]{stream: ks, sampler: d.Sampler(ks.rand)}
}

// of returns r's value.
func (p *perRequest[Q]) of(r *request) Q {
	if p.stream == nil {
		return p.value
	}
	p.stream.at(r.key)
	return p.sampler.Next()
}

// drawn reports whether the values are drawn (not a constant).
func (p *perRequest[Q]) drawn() bool { return p.stream != nil }
