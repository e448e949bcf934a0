package accesslog

import (
	"bufio"
	"io"
	"strconv"
	"time"
)

// W3CFields are the fields W3CWriter writes: IIS's default selection.
const W3CFields = "date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken"

const (
	w3cSoftware  = "Microsoft Internet Information Services 10.0"
	w3cTime      = "2006-01-02 15:04:05"
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
	w       *bufio.Writer
	start   time.Time
	started bool
	err     error
	line    []byte
}

// NewW3CWriter returns a writer whose time 0 is start.
func NewW3CWriter(w io.Writer, start time.Time) *W3CWriter {
	return &W3CWriter{w: bufio.NewWriterSize(w, 64<<10), start: start.UTC(), line: make([]byte, 0, 256)}
}

// Log writes the line of a request of client clientID for method and path,
// that ended at offset at from the start with status and substatus after
// taken.
func (x *W3CWriter) Log(at time.Duration, clientID int, method, path string, status, substatus int, taken time.Duration) error {
	if x.err != nil {
		return x.err
	}
	t := x.start.Add(at)
	if !x.started {
		x.header(t)
	}
	b := x.line[:0]
	b = t.AppendFormat(b, w3cTime)
	b = append(b, ' ')
	b = append(b, w3cServerIP...)
	b = append(b, ' ')
	b = appendField(b, method)
	b = append(b, ' ')
	b = appendField(b, path)
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
	if _, err := x.w.Write(b); err != nil {
		x.err = err
	}
	return x.err
}

// Flush writes the directives if no line was logged, then the buffer.
func (x *W3CWriter) Flush() error {
	if x.err != nil {
		return x.err
	}
	if !x.started {
		x.header(x.start)
	}
	if err := x.w.Flush(); err != nil {
		x.err = err
	}
	return x.err
}

func (x *W3CWriter) header(t time.Time) {
	x.started = true
	b := append(x.line[:0], "#Software: "+w3cSoftware+"\r\n#Version: 1.0\r\n#Date: "...)
	b = t.AppendFormat(b, w3cTime)
	b = append(b, "\r\n#Fields: "+W3CFields+"\r\n"...)
	x.line = b
	if _, err := x.w.Write(b); err != nil {
		x.err = err
	}
}

// appendField appends s as one W3C field: '-' when empty, spaces and
// control characters as '+'.
func appendField(b []byte, s string) []byte {
	if s == "" {
		return append(b, '-')
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c == 0x7f {
			c = '+'
		}
		b = append(b, c)
	}
	return b
}
