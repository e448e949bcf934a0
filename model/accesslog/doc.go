// Package accesslog reads the request logs that operators have and writes
// the access log of a simulated run.
//
// A Reader streams one Record at a time from a W3C extended log (IIS
// u_ex*.log, fields named by the #Fields directive, which may change in
// mid-file), an HTTPERR log (the same format, with s-reason), or an
// nginx/Apache combined log with a request-time field at the end of the
// line. Memory does not grow with the log's length: the record and its
// path are reused from line to line. Malformed lines are skipped and
// counted, with the first few reasons kept for the message; a file none of
// whose first lines is a log line is an error.
//
// Times: IIS writes date and time in UTC at the end of a request, to the
// second, and time-taken in milliseconds (it includes the time in the
// http.sys queue and the time to send the response). nginx's $time_local is
// also the end of the request; Apache's %t is its start (Options.TimeAtStart).
// Combined-format times carry their offset and are converted to UTC.
//
// W3CWriter writes the W3C extended log of a run (poolsim run --accesslog),
// with IIS's default fields. W3CFile and AppendW3CField are what every W3C
// log writer shares (directives, buffering, a sticky first error, field
// escaping), for the HTTPERR log as well.
package accesslog
