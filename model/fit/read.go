package fit

import (
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/poolsim/poolsim/model/accesslog"
	"github.com/poolsim/poolsim/model/httperr"
	"github.com/poolsim/poolsim/model/scenario"
)

// Options choose how logs become a workload.
type Options struct {
	// Classes is how many of the busiest paths (by class name) get their
	// own class; the rest share one. 0: DefaultClasses.
	Classes int
	// TimeAtStart: combined logs' times are arrivals (Apache %t).
	TimeAtStart bool
}

// DefaultClasses is how many paths get their own class by default.
const DefaultClasses = 5

// restClass names the class of every path that has none of its own.
const restClass = "other"

// maxSample bounds the time-taken values kept per class and sample: past
// it, a reservoir sample with a fixed seed keeps the fit's memory flat and
// its result reproducible.
const maxSample = 200_000

// lowLoadQuantile picks the quiet minutes: requests that arrived in
// minutes whose arrivals are at most this quantile of the busy minutes'
// are the low-load sample.
const lowLoadQuantile = 0.25

// minLowLoad is the smallest low-load sample that becomes the default
// service time.
const minLowLoad = 100

// Workload is what Read found in the logs.
type Workload struct {
	Files []string
	// AccessFiles and HTTPErrFiles are the files of each kind, in order.
	AccessFiles, HTTPErrFiles []string
	From, To                  time.Time // first and last arrival
	Requests                  int64     // access-log requests
	HTTPErr                   int64     // HTTPERR lines
	Classes                   []*Class  // busiest first, the rest class last
	Rate                      float64   // arrivals (access and HTTPERR) per second over From..To
	Profile                   []scenario.ProfilePoint
	// Dispersion is the index of dispersion of the per-minute arrival
	// counts (1 for Poisson arrivals; see dispersion), with its standard
	// error; 0 when too few minutes.
	Dispersion, DispersionSE float64
	LowLoadMax               int // the most arrivals in a minute counted as low load
	Observed                 scenario.Observed
	Statuses                 map[string]int64            // "503.2" → count
	Reasons                  map[string]map[string]int64 // day → HTTPERR reason → count
	Notes                    []string
	minutes                  map[int64]int32
}

// Class is one class of requests and its fits.
type Class struct {
	Name     string
	Paths    map[string]int64 // the paths seen, with counts (at most a few kept)
	Count    int64
	All      *Fitted // every request with time-taken
	LowLoad  *Fitted // requests that arrived at low load; nil when too few
	all, low reservoir
	res      time.Duration
}

type reservoir struct {
	x    []float64
	seen int64
	r    *rand.Rand
}

func (s *reservoir) add(v float64) {
	s.seen++
	if len(s.x) < maxSample {
		s.x = append(s.x, v)
		return
	}
	if j := s.r.Int64N(s.seen); j < maxSample {
		s.x[j] = v
	}
}

// Read reads the logs twice: once for the paths, arrivals and outcomes
// (scan), once for the time-taken of each class (sample), then fits.
func Read(files []string, opt Options) (*Workload, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no log files")
	}
	if opt.Classes <= 0 {
		opt.Classes = DefaultClasses
	}
	w := &Workload{Files: files, Statuses: map[string]int64{}, Reasons: map[string]map[string]int64{}, minutes: map[int64]int32{}}
	counts, paths, err := w.scan(opt)
	if err != nil {
		return nil, err
	}
	w.makeClasses(counts, paths, opt.Classes)
	w.rateAndProfile()
	w.LowLoadMax = w.lowLoadThreshold()
	if err := w.sample(opt); err != nil {
		return nil, err
	}
	for _, c := range w.Classes {
		if err := c.fit(); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// scan counts the requests by class name (with a few of each name's paths),
// the arrivals per minute, the span and the outcomes.
func (w *Workload) scan(opt Options) (counts map[string]int64, paths map[string]map[string]int64, err error) {
	counts, paths = map[string]int64{}, map[string]map[string]int64{}
	var name []byte
	for _, file := range w.Files {
		taken, access, httperr := 0, 0, 0
		err := eachRecord(file, opt, w, func(rec *accesslog.Record) {
			at := rec.Start()
			if len(rec.Reason) > 0 {
				httperr++
				w.HTTPErr++
				w.httperr(rec)
				at = rec.End
			} else {
				access++
				w.Requests++
				if rec.HasTaken {
					taken++
				}
				w.status(rec)
				name = accesslog.AppendClassName(name[:0], rec.Path)
				counts[string(name)]++
				p := paths[string(name)]
				if p == nil {
					p = map[string]int64{}
					paths[string(name)] = p
				}
				if _, ok := p[string(rec.Path)]; ok || len(p) < 3 {
					p[string(rec.Path)]++
				}
			}
			if w.From.IsZero() || at.Before(w.From) {
				w.From = at
			}
			if at.After(w.To) {
				w.To = at
			}
			w.minutes[at.Unix()/60]++
		})
		if err != nil {
			return nil, nil, err
		}
		if access > 0 {
			w.AccessFiles = append(w.AccessFiles, file)
		}
		if httperr > 0 {
			w.HTTPErrFiles = append(w.HTTPErrFiles, file)
		}
		if access > 0 && taken == 0 {
			return nil, nil, fmt.Errorf("%s: no request has a time-taken: service times cannot be fitted (IIS: add the time-taken field to the site's logging fields; nginx: end log_format with $request_time; Apache: with %%D)", file)
		}
	}
	if w.Requests == 0 {
		return nil, nil, fmt.Errorf("%s: no access-log request: fit needs W3C extended or combined access logs (HTTPERR logs only add outcomes)", strings.Join(w.Files, ", "))
	}
	return counts, paths, nil
}

// sample keeps each class's time-taken values, of every request and of
// the requests that arrived at low load.
func (w *Workload) sample(opt Options) error {
	byName := map[string]*Class{}
	for _, c := range w.Classes {
		byName[c.Name] = c
	}
	var name []byte
	for _, file := range w.Files {
		err := eachRecord(file, opt, nil, func(rec *accesslog.Record) {
			if len(rec.Reason) > 0 || !rec.HasTaken {
				return
			}
			name = accesslog.AppendClassName(name[:0], rec.Path)
			c := byName[string(name)]
			if c == nil {
				c = byName[restClass] // every name without a class of its own
			}
			v := rec.Taken.Seconds()
			c.all.add(v)
			if int(w.minutes[rec.Start().Unix()/60]) <= w.LowLoadMax {
				c.low.add(v)
			}
			c.res = max(c.res, rec.Resolution)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// eachRecord calls fn for each record of file; with w, it notes what the
// reader skipped.
func eachRecord(file string, opt Options, w *Workload, fn func(*accesslog.Record)) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	r := accesslog.NewReader(file, f, accesslog.Options{TimeAtStart: opt.TimeAtStart})
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		fn(rec)
	}
	if w == nil {
		return nil
	}
	if n, first := r.Skipped(); n > 0 {
		w.Notes = append(w.Notes, fmt.Sprintf("%s: %d malformed lines skipped (of %d); first: %s", file, n, n+r.Records(), strings.Join(first, "; ")))
	}
	if n, line := r.MixedZones(); n > 0 {
		w.Notes = append(w.Notes, fmt.Sprintf("%s:%d: the UTC offset changes (%d lines differ from the first line's): times are converted to UTC, and the time-of-day profile is in UTC", file, line, n))
	}
	return nil
}

// status counts an access-log line's status and its outcome.
func (w *Workload) status(rec *accesslog.Record) {
	key := fmt.Sprint(rec.Status)
	if rec.SubStatus >= 0 {
		key += fmt.Sprintf(".%d", rec.SubStatus)
	}
	w.Statuses[key]++
	o := &w.Observed
	switch {
	case rec.Status < 400:
		o.OK++
	case rec.Status < 500:
		o.NotModelled++
	default:
		o.Error++
	}
}

// httperr counts an HTTPERR line's reason by day and its outcome.
func (w *Workload) httperr(rec *accesslog.Record) {
	day := rec.End.Format("2006-01-02")
	if w.Reasons[day] == nil {
		w.Reasons[day] = map[string]int64{}
	}
	reason := string(rec.Reason)
	w.Reasons[day][reason]++
	o := &w.Observed
	switch reason {
	case httperr.ReasonQueueFull:
		o.RejectedQueueFull++
	case httperr.ReasonAppOffline:
		o.RejectedAppOffline++
	case httperr.ReasonTimerAppPool, httperr.ReasonTimerReqQueue: // IIS 6 and Windows Server 2008+ names
		o.Expired++
	case httperr.ReasonAbandoned, httperr.ReasonAbandonedReqQueue:
		o.Abandoned++
	default:
		o.HTTPErrOther++
	}
}

// makeClasses gives the busiest n class names their own class and the
// rest one class.
func (w *Workload) makeClasses(counts map[string]int64, paths map[string]map[string]int64, n int) {
	names := byCount(counts)
	newClass := func(name string, seed uint64) *Class {
		return &Class{Name: name, Paths: map[string]int64{},
			all: reservoir{r: rand.New(rand.NewPCG(seed, 1))}, low: reservoir{r: rand.New(rand.NewPCG(seed, 2))}}
	}
	rest := newClass(restClass, 0)
	for i, name := range names {
		if i < n && name != restClass {
			c := newClass(name, uint64(i+1))
			c.Count, c.Paths = counts[name], paths[name]
			w.Classes = append(w.Classes, c)
			continue
		}
		rest.Count += counts[name]
		for p, k := range paths[name] {
			if len(rest.Paths) < 3 {
				rest.Paths[p] += k
			}
		}
	}
	if rest.Count > 0 {
		w.Classes = append(w.Classes, rest)
	}
}

func (c *Class) fit() error {
	res := c.res.Seconds()
	if len(c.all.x) < 2 {
		return nil // too few with time-taken: written with a note
	}
	var err error
	if c.All, err = Fit(c.all.x, res); err != nil {
		return fmt.Errorf("class %s: %v", c.Name, err)
	}
	if len(c.low.x) >= minLowLoad {
		if c.LowLoad, err = Fit(c.low.x, res); err != nil {
			return fmt.Errorf("class %s: %v", c.Name, err)
		}
	}
	return nil
}
