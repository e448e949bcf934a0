package accesslog

import "time"

// Format is the kind of log a Reader found.
type Format int

// Log formats.
const (
	Unknown  Format = iota
	W3C             // W3C extended (IIS access log)
	HTTPErr         // W3C extended with s-reason (HTTP.sys error log)
	Combined        // nginx/Apache combined, optionally with a request time
)

func (f Format) String() string {
	switch f {
	case W3C:
		return "W3C extended"
	case HTTPErr:
		return "HTTPERR"
	case Combined:
		return "combined"
	}
	return "unknown"
}

// Record is one request of a log. Path and Reason are reused by the next
// call to Next: copy them to keep them.
type Record struct {
	// End is when the request ended (UTC): IIS and nginx log then. A time
	// logged to the whole second (IIS, nginx, Apache: rounded down) is
	// taken at the middle of its second, logged time + 0.5 s.
	End time.Time
	// Taken is time-taken when HasTaken.
	Taken    time.Duration
	HasTaken bool
	// Resolution is the unit Taken was logged in: 1 ms for W3C, the last
	// decimal of a combined log's seconds, 1 µs for Apache's %D.
	Resolution time.Duration
	// Path is the URL path, without the query string.
	Path []byte
	// Status is sc-status, 0 when the log has '-' (HTTPERR for an
	// abandoned connection); SubStatus is -1 when the log has none.
	Status    int
	SubStatus int
	// Reason is HTTPERR's s-reason, empty in access logs.
	Reason []byte
	// Line is the record's line number in its file.
	Line int
	// Offset is the UTC offset in seconds that the line gave (combined
	// format); 0 for W3C logs, which are in UTC.
	Offset int
}

// Start is when the request arrived: End less Taken (End when the log has
// no time-taken).
func (r *Record) Start() time.Time {
	if r.HasTaken {
		return r.End.Add(-r.Taken)
	}
	return r.End
}
