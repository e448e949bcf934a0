package model

import (
	"math"
	"math/bits"
)

// histogram records durations in constant memory with a bounded relative
// error, like HdrHistogram: values are bucketed by their power of two and,
// within it, into 2^histSubBits linear sub-buckets, so a bucket's width is
// at most 1/2^histSubBits (0.4 %) of its values. Percentiles report a
// bucket's midpoint, within half a width (0.2 %) of every value in it.
type histogram struct {
	counts [64 << histSubBits]uint64
	n      uint64
}

const histSubBits = 8

func histIndex(v int64) int {
	if v < 1<<histSubBits {
		if v < 0 {
			v = 0
		}
		return int(v)
	}
	e := bits.Len64(uint64(v)) - histSubBits - 1 // shift that leaves histSubBits+1 significant bits
	sub := int(v>>uint(e)) - 1<<histSubBits      // 0 .. 2^histSubBits-1
	return (e+1)<<histSubBits + sub
}

// histLow returns the smallest value of bucket i and the bucket's width.
func histLow(i int) (low, width float64) {
	if i < 1<<histSubBits {
		return float64(i), 1
	}
	e := i>>histSubBits - 1
	sub := i & (1<<histSubBits - 1)
	w := math.Ldexp(1, e)
	return float64(1<<histSubBits+sub) * w, w
}

func (h *histogram) add(v int64) {
	h.counts[histIndex(v)]++
	h.n++
}

// quantile returns the q-quantile (0 < q <= 1) or 0 for an empty histogram.
func (h *histogram) quantile(q float64) float64 {
	if h.n == 0 {
		return 0
	}
	rank := uint64(math.Ceil(q * float64(h.n)))
	if rank < 1 {
		rank = 1
	}
	var seen uint64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			low, w := histLow(i)
			if w == 1 {
				return low
			}
			return low + w/2
		}
	}
	return 0
}
