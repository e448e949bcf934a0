package main

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"github.com/poolsim/poolsim/model"
)

// timeSeriesHeader names the columns of "poolsim run --timeseries".
var timeSeriesHeader = []string{
	"start_s", "time", "arrivals", "ok", "stale", "error", "rejected", "expired",
	"abandoned", "client_timeout", "queue_max", "busy_threads", "workers_alive",
	"oldest_memory_mb", "stopped", "response_mean_s",
}

// writeTimeSeries writes the run's time series as CSV: one row per interval
// from the start of the run (the warm-up included), start_s in seconds from
// the start and time as the wall-clock label (UTC, from the scenario's
// start).
func writeTimeSeries(w io.Writer, sc *model.Scenario, res *model.Result) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(timeSeriesHeader); err != nil {
		return err
	}
	row := make([]string, len(timeSeriesHeader))
	i64 := func(v int64) string { return strconv.FormatInt(v, 10) }
	f64 := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	for _, r := range res.Series {
		row[0] = f64(r.Start.Seconds())
		row[1] = sc.Start.Add(r.Start.Duration()).UTC().Format(time.RFC3339Nano)
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
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
