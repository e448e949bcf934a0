package model

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/poolsim/poolsim/model/scenario"
)

// SeriesHeader names the columns of a time series written as CSV (the
// file of "poolsim run --timeseries"): one row per interval from the start
// of the run (the warm-up included), start_s in seconds from the start and
// time as the wall-clock label (UTC, from the scenario's start), then the
// counts of SeriesRow.
var SeriesHeader = [...]string{
	"start_s", "time", "arrivals", "ok", "stale", "error", "rejected", "expired",
	"abandoned", "client_timeout", "queue_max", "busy_threads", "workers_alive",
	"oldest_memory_mb", "stopped", "response_mean_s", "threads",
}

// SeriesCSV writes time-series rows as CSV, one at a time: pass its Write
// as Options.SeriesTo to stream a run's series to a file in constant
// memory.
type SeriesCSV struct {
	w     *csv.Writer
	start time.Time
	row   []string
	begun bool
}

// NewSeriesCSV returns a writer of the series of a run of sc to w.
func NewSeriesCSV(w io.Writer, sc *scenario.Scenario) *SeriesCSV {
	return &SeriesCSV{w: csv.NewWriter(w), start: sc.Start, row: make([]string, len(SeriesHeader))}
}

// Write writes one row, after the header when it is the first.
func (s *SeriesCSV) Write(r SeriesRow) error {
	if !s.begun {
		s.begun = true
		if err := s.w.Write(SeriesHeader[:]); err != nil {
			return err
		}
	}
	i64 := func(v int64) string { return strconv.FormatInt(v, 10) }
	row := s.row
	row[0] = strconv.FormatFloat(r.Start.Seconds(), 'f', -1, 64)
	row[1] = s.start.Add(r.Start.Duration()).UTC().Format(time.RFC3339Nano)
	row[2] = i64(r.Arrivals)
	row[3] = i64(r.OK)
	row[4] = i64(r.Stale)
	row[5] = i64(r.Error)
	row[6] = i64(r.Rejected)
	row[7] = i64(r.Expired)
	row[8] = i64(r.Abandoned)
	row[9] = i64(r.ClientTimeout)
	row[10] = strconv.Itoa(r.QueueMax)
	row[11] = strconv.Itoa(r.BusyThreads)
	row[12] = strconv.Itoa(r.WorkersAlive)
	row[13] = strconv.FormatFloat(r.OldestMemoryMB, 'f', 3, 64)
	row[14] = "0"
	if r.Stopped {
		row[14] = "1"
	}
	row[15] = "0"
	if r.OK > 0 {
		row[15] = strconv.FormatFloat(r.ResponseSumS/float64(r.OK), 'f', 6, 64)
	}
	row[16] = strconv.Itoa(r.Threads)
	return s.w.Write(row)
}

// Flush writes the header if no row was written, and flushes.
func (s *SeriesCSV) Flush() error {
	if !s.begun {
		s.begun = true
		s.w.Write(SeriesHeader[:])
	}
	s.w.Flush()
	return s.w.Error()
}
