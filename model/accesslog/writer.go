package accesslog

import (
	"io"
	"strconv"
	"time"
)

// W3CFields are the fields W3CWriter writes: IIS's default selection.
const W3CFields = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"

const (
	w3cSoftware  = "Microsoft Internet Information Services 10.0"
	w3cServerIP  = "10.0.0.5"
	w3cUserAgent = "poolsim"
)

// W3CWriter writes an IIS access log (W3C extended format, IIS's default
// fields) of a simulated run: one line per request the application
// answered, written when it ended, with date and time in UTC to the second
// and time-taken in whole milliseconds (rounded down), from arrival in the
// queue to the end of the response, as IIS measures it. Client addresses
// are synthetic: client id n is 10.a.b.c with a.b.c its low 24 bits in
// base 256, offset so that none is the server's 10.0.0.5.
//
// It buffers: call Flush at the end. The first write error sticks. Logging
// a line allocates nothing.
type W3CWriter struct {
	file  *W3CFile
	start time.Time
	line  []byte
}

// NewW3CWriter returns a writer whose time 0 is start.
func NewW3CWriter(w io.Writer, start time.Time) *W3CWriter {
	return &W3CWriter{file: NewW3CFile(w, w3cSoftware, "1.0", W3CFields), start: start.UTC(), line: make([]byte, 0, 256)}
}

// Log writes the line of a request of client clientID for method and path,
// that ended at offset at from the start with status and substatus after
// taken.
func (x *W3CWriter) Log(at time.Duration, clientID int, method, path string, status, substatus int, taken time.Duration) error {
	if err := x.file.Err(); err != nil {
		return err
	}
	t := x.start.Add(at)
	b := x.line[:0]
	b = t.AppendFormat(b, W3CTime)
	b = append(b, ' ')
	b = append(b, w3cServerIP...)
	b = append(b, ' ')
	b = AppendW3CField(b, method, 0)
	b = append(b, ' ')
	b = AppendW3CField(b, path, 0)
	b = append(b, " - 80 - "...)
	id := uint32(clientID) + 256 // never 10.0.0.5
	b = append(b, "10."...)
	b = strconv.AppendUint(b, uint64(id>>16&255), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(id>>8&255), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, uint64(id&255), 10)
	b = append(b, ' ')
	b = append(b, w3cUserAgent...)
	b = append(b, " - "...)
	b = strconv.AppendInt(b, int64(status), 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(substatus), 10)
	b = append(b, " 0 "...)
	b = strconv.AppendInt(b, int64(taken/time.Millisecond), 10)
	b = append(b, '\r', '\n')
	x.line = b
	return x.file.WriteLine(t, b)
}

// Flush writes the directives if no line was logged, then the buffer.
func (x *W3CWriter) Flush() error { return x.file.Flush(x.start) }
