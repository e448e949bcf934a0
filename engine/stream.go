package engine

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
)

// StreamScheme names the way streams are derived from (seed, replication,
// name). Results files record it; a change of scheme changes every draw, so
// it gets a new name rather than silently altering old results.
const StreamScheme = "poolsim/rng/v1 sha256 pcg"

// Stream returns the random stream called name. Its draws depend only on the
// simulation's seed and replication and on name, never on which other
// streams exist or the order in which they were created; asking twice for
// one name returns the same stream. Components name their streams after
// themselves ("arrivals/visitors", "service/trend"), so two runs that differ
// only in pool settings see the same arrivals (common random numbers).
func (s *Sim) Stream(name string) *rand.Rand {
	if r, ok := s.streams[name]; ok {
		return r
	}
	if s.streams == nil {
		s.streams = make(map[string]*rand.Rand)
	}
	r := rand.New(NewSource(s.seed, s.replication, name))
	s.streams[name] = r
	return r
}

// NewSource returns the PCG source of stream name in replication replication
// of seed: its 128-bit state is the first 16 bytes of
// SHA-256("poolsim/rng/v1\x00" || le64(seed) || le64(replication) || le64(len(name)) || name).
func NewSource(seed, replication uint64, name string) *rand.PCG {
	h := sha256.New()
	var b [8]byte
	h.Write([]byte("poolsim/rng/v1\x00"))
	binary.LittleEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	binary.LittleEndian.PutUint64(b[:], replication)
	h.Write(b[:])
	binary.LittleEndian.PutUint64(b[:], uint64(len(name)))
	h.Write(b[:])
	h.Write([]byte(name))
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return rand.NewPCG(binary.LittleEndian.Uint64(sum[0:8]), binary.LittleEndian.Uint64(sum[8:16]))
}
