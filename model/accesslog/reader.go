package accesslog

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"time"
)

// Error is a log that cannot be read, with the file and line.
type Error struct {
	File string
	Line int // 0: the whole file
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Options change how a Reader reads times.
type Options struct {
	// TimeAtStart says that a combined log's time is when the request
	// arrived (Apache %t), not when it ended (nginx $time_local).
	TimeAtStart bool
}

// halfSecond is added to times logged to the second: the middle of the
// second they were rounded down from.
const halfSecond = 500 * time.Millisecond

const (
	maxLine       = 1 << 20
	keptReasons   = 5
	notALogAfter  = 20 // skipped lines before the first record that make the file not a log
	defaultFormat = Unknown
)

// Reader streams the records of one log file.
type Reader struct {
	name   string
	opt    Options
	sc     *bufio.Scanner
	line   int
	format Format
	rec    Record
	fields [][]byte

	// W3C: positions of the fields poolsim reads in the current #Fields,
	// -1 when absent.
	haveFields                               bool
	iDate, iTime, iStem, iURI, iStatus, iSub int
	iTaken, iReason, nFields                 int
	directiveDate                            []byte

	records    int
	skipped    int
	reasons    []string
	taken      int // records with time-taken
	zone       int
	zoneSet    bool
	mixedZones int
	mixedFirst int
}

// NewReader returns a reader of the log in r, named name in messages.
func NewReader(name string, r io.Reader, opt Options) *Reader {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	return &Reader{name: name, opt: opt, sc: sc, format: defaultFormat, fields: make([][]byte, 0, 32)}
}

// Format is the format found so far (Unknown before the first line).
func (r *Reader) Format() Format { return r.format }

// Records is the number of records returned so far.
func (r *Reader) Records() int { return r.records }

// WithTimeTaken is the number of records so far that had time-taken.
func (r *Reader) WithTimeTaken() int { return r.taken }

// Skipped returns the number of malformed lines skipped so far and the
// first few reasons, each "FILE:LINE: reason".
func (r *Reader) Skipped() (int, []string) { return r.skipped, r.reasons }

// MixedZones returns how many combined-format lines had a UTC offset other
// than the first line's, and the first such line (0: none).
func (r *Reader) MixedZones() (n, firstLine int) { return r.mixedZones, r.mixedFirst }

func (r *Reader) skip(format string, a ...any) {
	r.skipped++
	if len(r.reasons) < keptReasons {
		r.reasons = append(r.reasons, fmt.Sprintf("%s:%d: ", r.name, r.line)+fmt.Sprintf(format, a...))
	}
}

func (r *Reader) fail(line int, format string, a ...any) error {
	return &Error{File: r.name, Line: line, Msg: fmt.Sprintf(format, a...)}
}

// Next returns the next record, io.EOF after the last, or an *Error when
// the file cannot be read as a log.
func (r *Reader) Next() (*Record, error) {
	for r.sc.Scan() {
		r.line++
		b := bytes.TrimRight(r.sc.Bytes(), "\r")
		if len(bytes.TrimSpace(b)) == 0 {
			continue
		}
		if r.line == 1 {
			b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
		}
		if r.format == Unknown {
			r.format = Combined
			if b[0] == '#' {
				r.format = W3C
			}
		}
		var ok bool
		var err error
		if bytes.IndexByte(b, 0) >= 0 {
			r.skip("binary data (a NUL byte)")
		} else if r.format == Combined {
			ok = r.combined(b)
		} else if b[0] == '#' {
			err = r.directive(b)
		} else {
			ok = r.w3c(b)
		}
		if err != nil {
			return nil, err
		}
		if ok {
			r.records++
			if r.rec.HasTaken {
				r.taken++
			}
			r.rec.Line = r.line
			return &r.rec, nil
		}
		if r.records == 0 && r.skipped >= notALogAfter {
			return nil, r.notALog()
		}
	}
	if err := r.sc.Err(); err != nil {
		return nil, r.fail(r.line+1, "%v (a line longer than %d bytes, or a read error)", err, maxLine)
	}
	if r.records == 0 && r.skipped > 0 {
		return nil, r.notALog()
	}
	return nil, io.EOF
}

func (r *Reader) notALog() error {
	return r.fail(0, "not a W3C extended, HTTPERR or combined log: %d lines, none a log line; first: %s",
		r.skipped, bytes.Join(toBytes(r.reasons), []byte("; ")))
}

func toBytes(s []string) [][]byte {
	b := make([][]byte, len(s))
	for i := range s {
		b[i] = []byte(s[i])
	}
	return b
}

// directive reads a W3C directive line.
func (r *Reader) directive(b []byte) error {
	name, value, _ := bytes.Cut(b[1:], []byte(":"))
	value = bytes.TrimSpace(value)
	switch string(name) {
	case "Fields":
		return r.setFields(value)
	case "Date":
		if d, _, ok := bytes.Cut(value, []byte(" ")); ok {
			r.directiveDate = append(r.directiveDate[:0], d...)
		}
	}
	return nil // #Software, #Version, #Remark, #Start-Date ...: nothing to read
}

func (r *Reader) setFields(value []byte) error {
	r.iDate, r.iTime, r.iStem, r.iURI, r.iStatus, r.iSub, r.iTaken, r.iReason = -1, -1, -1, -1, -1, -1, -1, -1
	names := bytes.Fields(value)
	r.nFields = len(names)
	for i, n := range names {
		switch string(n) {
		case "date":
			r.iDate = i
		case "time":
			r.iTime = i
		case "cs-uri-stem":
			r.iStem = i
		case "cs-uri":
			r.iURI = i
		case "sc-status":
			r.iStatus = i
		case "sc-substatus":
			r.iSub = i
		case "time-taken":
			r.iTaken = i
		case "s-reason":
			r.iReason = i
		}
	}
	switch {
	case len(names) == 0:
		return r.fail(r.line, "#Fields names no field")
	case r.iTime < 0:
		return r.fail(r.line, "#Fields has no time field: cannot place requests in time (fields: %s)", value)
	case r.iStem < 0 && r.iURI < 0:
		return r.fail(r.line, "#Fields has neither cs-uri-stem nor cs-uri: cannot tell the requests apart (fields: %s)", value)
	}
	r.haveFields = true
	r.format = W3C
	if r.iReason >= 0 {
		r.format = HTTPErr
	}
	return nil
}

// w3c reads one W3C data line into r.rec.
func (r *Reader) w3c(b []byte) bool {
	if !r.haveFields {
		r.skip("a log line before the #Fields directive")
		return false
	}
	f := splitSpaces(r.fields[:0], b)
	r.fields = f
	if len(f) != r.nFields {
		r.skip("%d fields, #Fields names %d", len(f), r.nFields)
		return false
	}
	rec := &r.rec
	*rec = Record{Path: rec.Path[:0], Reason: rec.Reason[:0], SubStatus: -1}
	date := r.directiveDate
	if r.iDate >= 0 {
		date = f[r.iDate]
	}
	t, ok := parseDateTime(date, f[r.iTime])
	if !ok {
		r.skip("date and time %q %q: want YYYY-MM-DD hh:mm:ss", date, f[r.iTime])
		return false
	}
	rec.End = t
	if len(f[r.iTime]) == 8 {
		rec.End = t.Add(halfSecond)
	}
	path := []byte(nil)
	if r.iStem >= 0 {
		path = f[r.iStem]
	} else {
		path = uriPath(f[r.iURI])
	}
	rec.Path = append(rec.Path, path...)
	if r.iStatus >= 0 && !isDash(f[r.iStatus]) {
		s, ok := atoi(f[r.iStatus])
		if !ok || s < 100 || s > 999 {
			r.skip("sc-status %q: want a three-digit status or -", f[r.iStatus])
			return false
		}
		rec.Status = s
	}
	if r.iSub >= 0 && !isDash(f[r.iSub]) {
		s, ok := atoi(f[r.iSub])
		if !ok {
			r.skip("sc-substatus %q: want a number or -", f[r.iSub])
			return false
		}
		rec.SubStatus = s
	}
	if r.iTaken >= 0 && !isDash(f[r.iTaken]) {
		ms, ok := atoi(f[r.iTaken])
		if !ok {
			r.skip("time-taken %q: want whole milliseconds", f[r.iTaken])
			return false
		}
		rec.Taken, rec.HasTaken, rec.Resolution = time.Duration(ms)*time.Millisecond, true, time.Millisecond
	}
	if r.iReason >= 0 {
		if isDash(f[r.iReason]) {
			r.skip("s-reason is missing")
			return false
		}
		rec.Reason = append(rec.Reason, f[r.iReason]...)
	}
	return true
}

func isDash(b []byte) bool { return len(b) == 1 && b[0] == '-' }

// splitSpaces splits b at single spaces, as W3C logs separate fields.
func splitSpaces(dst [][]byte, b []byte) [][]byte {
	for {
		i := bytes.IndexByte(b, ' ')
		if i < 0 {
			return append(dst, b)
		}
		dst = append(dst, b[:i])
		b = b[i+1:]
	}
}

// uriPath returns the path of a request URI: no query, no scheme and host.
func uriPath(u []byte) []byte {
	if i := bytes.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if i := bytes.Index(u, []byte("://")); i >= 0 {
		rest := u[i+3:]
		if j := bytes.IndexByte(rest, '/'); j >= 0 {
			return rest[j:]
		}
		return []byte("/")
	}
	return u
}

// atoi parses a non-negative decimal integer of at most 15 digits.
func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 15 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// digits parses exactly len(b) decimal digits.
func digits(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	return atoi(b)
}

// parseDateTime parses "YYYY-MM-DD" and "hh:mm:ss[.fraction]" as UTC.
func parseDateTime(date, clock []byte) (time.Time, bool) {
	if len(date) != 10 || date[4] != '-' || date[7] != '-' || len(clock) < 8 || clock[2] != ':' || clock[5] != ':' {
		return time.Time{}, false
	}
	y, ok1 := digits(date[:4])
	mo, ok2 := digits(date[5:7])
	d, ok3 := digits(date[8:10])
	h, ok4 := digits(clock[:2])
	mi, ok5 := digits(clock[3:5])
	s, ok6 := digits(clock[6:8])
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6) || mo < 1 || mo > 12 || d < 1 || d > daysIn(mo, y) || h > 23 || mi > 59 || s > 60 {
		return time.Time{}, false
	}
	ns := 0
	if len(clock) > 8 {
		frac := clock[9:]
		if clock[8] != '.' || len(frac) == 0 || len(frac) > 9 {
			return time.Time{}, false
		}
		n, ok := digits(frac)
		if !ok {
			return time.Time{}, false
		}
		for i := len(frac); i < 9; i++ {
			n *= 10
		}
		ns = n
	}
	return time.Date(y, time.Month(mo), d, h, mi, s, ns, time.UTC), true
}

func daysIn(month, year int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
