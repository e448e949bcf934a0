package fit

import (
	"math"
	"sort"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
)

// rateAndProfile sets the mean arrival rate over the logs' span and, when
// the logs cover every hour of the day for at least half an hour, the rate
// multiplier of each hour of the day (UTC): the hour's arrivals per second
// of the span that fell in it, over the mean rate. It then measures the
// dispersion of the per-minute counts against that expectation.
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
	for _, e := range exposure {
		if e < 1800 {
			w.Notes = append(w.Notes, "the logs do not cover every hour of the day: the rate is constant (no time-of-day profile)")
			w.dispersion(func(time.Time) float64 { return 1 })
			return
		}
	}
	var f [24]float64
	for h := range f {
		f[h] = math.Round(count[h]/exposure[h]/w.Rate*1000) / 1000
		w.Profile = append(w.Profile, model.ProfilePoint{At: model.TimeOfDay(engine.Time(h) * engine.Hour), Factor: f[h]})
	}
	w.dispersion(func(t time.Time) float64 { return f[t.UTC().Hour()] })
}

// dispersion is Pearson's X² of the whole minutes' counts against rate ×
// factor, over its degrees of freedom: about 1 ± √(2/(M−1)) for Poisson
// arrivals.
func (w *Workload) dispersion(factor func(time.Time) float64) {
	first := w.From.Truncate(time.Minute).Add(time.Minute)
	var x2 float64
	m := 0
	for t := first; !t.Add(time.Minute).After(w.To); t = t.Add(time.Minute) {
		e := w.Rate * factor(t) * 60
		if e <= 0 {
			continue
		}
		n := float64(w.minutes[t.Unix()/60])
		x2 += (n - e) * (n - e) / e
		m++
	}
	if m < 10 {
		return
	}
	w.Dispersion = x2 / float64(m-1)
	w.DispersionSE = math.Sqrt(2 / float64(m-1))
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
