package fit

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/scenario"
)

// rateAndProfile sets the mean arrival rate over the logs' span and the
// rate multiplier of each hour of the day (UTC) that the logs cover for at
// least half an hour: the hour's arrivals per second of the span that fell
// in it, over the mean rate (1 for the hours not covered; no profile when
// fewer than two hours are). It then measures the dispersion of the
// per-minute counts against that expectation.
func (w *Workload) rateAndProfile() {
	span := w.To.Sub(w.From).Seconds()
	total := float64(w.Requests + w.HTTPErr)
	if span <= 0 {
		return
	}
	w.Rate = total / span
	var count, exposure [24]float64
	for m, n := range w.minutes {
		count[time.Unix(m*60, 0).UTC().Hour()] += float64(n)
	}
	for t := w.From; t.Before(w.To); {
		next := t.Truncate(time.Hour).Add(time.Hour)
		if next.After(w.To) {
			next = w.To
		}
		exposure[t.UTC().Hour()] += next.Sub(t).Seconds()
		t = next
	}
	var f [24]float64
	var missing []string
	for h := range f {
		f[h] = 1
		if exposure[h] >= 1800 {
			f[h] = math.Round(count[h]/exposure[h]/w.Rate*1000) / 1000
		} else {
			missing = append(missing, fmt.Sprintf("%02d:00", h))
		}
	}
	if len(missing) >= 23 {
		w.Notes = append(w.Notes, "the logs cover less than two whole hours: the rate is constant (no time-of-day profile)")
		w.dispersion()
		return
	}
	if len(missing) > 0 {
		w.Notes = append(w.Notes, fmt.Sprintf("the logs do not cover the hours from %s (UTC) for half an hour: their profile factor is 1, the mean rate", strings.Join(missing, ", ")))
	}
	for h := range f {
		w.Profile = append(w.Profile, scenario.ProfilePoint{At: scenario.TimeOfDay(engine.Time(h) * engine.Hour), Factor: f[h]})
	}
	w.dispersion()
}

// dispersionNeighbours is how many minutes on each side give a minute's
// expected count: a local mean follows the rate's slow changes (a profile
// that steps within an hour), so that only bursts within minutes count.
const dispersionNeighbours = 5

// chi2Median is the median of the chi-squared distribution with one
// degree of freedom, and chi2MedianSE the standard error of a sample
// median of M of them times √M (1/(2 f(m)), f its density at the median).
const (
	chi2Median   = 0.454936
	chi2MedianSE = 1.0614
)

// dispersion is the index of dispersion of the whole minutes' arrival
// counts: each minute's count n against the mean ē of its 2k neighbours
// gives (n − ē)²/ē, which for Poisson arrivals (and ē of 10 or more) is
// about (1 + 1/2k) χ²₁, the local mean's own noise adding its 1/2k share.
// The index is the median of these over the minutes, divided by that of
// (1 + 1/2k) χ²₁: about 1 for Poisson arrivals, more for bursts. The
// median ignores the few minutes next to a step in the rate (a profile
// that changes at 07:30), which would dominate a mean. Its standard error
// is that of a sample median (neighbouring terms share minutes, so it is
// approximate).
func (w *Workload) dispersion() {
	first := w.From.Truncate(time.Minute).Add(time.Minute).Unix() / 60
	last := w.To.Truncate(time.Minute).Unix()/60 - 1 // the last whole minute
	const k = dispersionNeighbours
	var terms []float64
	for t := first + k; t <= last-k; t++ {
		var sum float64
		for d := int64(1); d <= k; d++ {
			sum += float64(w.minutes[t-d] + w.minutes[t+d])
		}
		e := sum / (2 * k)
		if e < 10 {
			continue
		}
		n := float64(w.minutes[t])
		terms = append(terms, (n-e)*(n-e)/e)
	}
	if len(terms) < 30 {
		return
	}
	sort.Float64s(terms)
	median := terms[len(terms)/2]
	scale := chi2Median * (1 + 1.0/(2*k))
	w.Dispersion = median / scale
	w.DispersionSE = chi2MedianSE / math.Sqrt(float64(len(terms))) / chi2Median
}

// OverDispersed reports whether the per-minute counts vary more than
// Poisson arrivals would, by more than 3 standard errors.
func (w *Workload) OverDispersed() bool {
	return w.DispersionSE > 0 && w.Dispersion > 1+3*w.DispersionSE
}

// lowLoadThreshold is the lowLoadQuantile of the arrivals per minute,
// over the minutes that had any.
func (w *Workload) lowLoadThreshold() int {
	if len(w.minutes) == 0 {
		return 0
	}
	n := make([]int, 0, len(w.minutes))
	for _, c := range w.minutes {
		n = append(n, int(c))
	}
	sort.Ints(n)
	return n[int(lowLoadQuantile*float64(len(n)-1))]
}
