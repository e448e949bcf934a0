package plots

import (
	"testing"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model"
)

func TestScratch(t *testing.T) {
	s, err := ReadTable("testdata/summary.csv")
	if err != nil {
		t.Fatal(err)
	}
	c, err := ReadTable("testdata/compare.csv")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Lines(s, "clients.trendpage.count", "response_p99_s")
	if err != nil {
		t.Fatal(err)
	}
	Save(p, "/tmp/plots", "lines")
	p, err = Differences(c, "rate_503")
	if err != nil {
		t.Fatal(err)
	}
	Save(p, "/tmp/plots", "diff")
	var rows []model.SeriesRow
	for i := 0; i < 12*60; i++ {
		r := model.SeriesRow{Start: engine.Time(i) * engine.Minute, OK: 400 + int64(i%7)*3, WorkersAlive: 1}
		if i%60 == 59 {
			r.WorkersAlive = 2
			r.Abandoned = 12
		}
		if i > 300 && i < 340 {
			r.Stopped = true
			r.OK = 0
			r.Rejected = 420
			r.WorkersAlive = 0
		}
		if i%97 == 5 {
			r.Error = 30
			r.ClientTimeout = 15
		}
		rows = append(rows, r)
	}
	p, err = TimeSeries(rows, engine.Minute)
	if err != nil {
		t.Fatal(err)
	}
	Save(p, "/tmp/plots", "series")
	var ws []model.Lifecycle
	at := engine.Time(0)
	for i := 0; i < 8; i++ {
		start := at
		w := model.Lifecycle{ID: i + 1, PID: 4000 + 8*i}
		w.Spans = append(w.Spans, model.Span{Phase: model.PhaseStarting, Start: start, End: start + 2*engine.Minute})
		end := start + 90*engine.Minute
		w.Spans = append(w.Spans, model.Span{Phase: model.PhaseServing, Start: start + 2*engine.Minute, End: end})
		switch i % 3 {
		case 0:
			w.Spans = append(w.Spans, model.Span{Phase: model.PhaseDraining, Start: end, End: end + 10*engine.Minute})
			w.Exit, w.Why = end+10*engine.Minute, "time"
		case 1:
			w.Spans = append(w.Spans, model.Span{Phase: model.PhaseHung, Start: end, End: end + 5*engine.Minute})
			w.Exit, w.Why = end+5*engine.Minute, "ping"
		case 2:
			w.Exit, w.Why = end, "crash"
		}
		if i == 7 {
			w.Exit, w.Why = engine.Never, ""
			w.Spans[len(w.Spans)-1].End = engine.Never
		}
		ws = append(ws, w)
		at = end
	}
	p, err = Timeline(ws, 12*engine.Hour)
	if err != nil {
		t.Fatal(err)
	}
	Save(p, "/tmp/plots", "timeline")
}
