package model

import (
	"os"

	"github.com/poolsim/poolsim/model/scenario"
)

// logAccess writes the access-log line of a request the application
// answered (IIS writes one for each response it sends): ok and stale as
// 200, error as 500, a shutting-down worker's refusal (rejected_shutdown:
// the ASP.NET Core Module's 503 from inside w3wp) as 503, sub-status 0,
// time-taken from arrival in the queue to now. HTTP.sys's 503s, expiries
// and abandoned connections go to the HTTPERR log instead. A request whose client gave up is not logged (IIS would
// log it, with sc-win32-status 64, when the application finishes it;
// poolsim's assumption, to keep the hook at the outcome).
func (w *world) logAccess(r *request, o outcome) {
	status := 0
	switch o {
	case outOK, outStale:
		status = 200
	case outError:
		status = 500
	case outRefused:
		status = 503
	default:
		return
	}
	now := w.sim.Now()
	w.access.Log(now.Duration(), r.clientID(), "GET", r.path(), status, 0, (now - r.arrival).Duration())
}

// path is the URL path of the request for the logs.
func (r *request) path() string {
	if r.uri != "" {
		return r.uri
	}
	return r.client.uri
}

// traceRequests estimates the requests a trace client sends, for the
// budget: its log's size at 100 bytes a line, an upper bound for IIS's
// default fields.
func traceRequests(c *scenario.Client) float64 {
	fi, err := os.Stat(c.File)
	if err != nil {
		return 0
	}
	n := float64(fi.Size()) / 100
	if fi, err := os.Stat(c.HTTPErr); err == nil {
		n += float64(fi.Size()) / 100
	}
	return n
}
