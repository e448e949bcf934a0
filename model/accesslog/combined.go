package accesslog

import (
	"bytes"
	"time"
)

var months = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// combined reads one line of the nginx/Apache combined (or common) format:
//
//	host ident user [10/Oct/2026:13:55:36 +0100] "GET /p?q HTTP/1.1" 200 2326 "referer" "agent" 0.123
//
// A last field after the quoted ones is the request time: with a decimal
// point it is in seconds (nginx $request_time), without one in microseconds
// (Apache %D); a "name=" prefix (rt=0.123) is allowed.
func (r *Reader) combined(b []byte) bool {
	rec := &r.rec
	*rec = Record{Path: rec.Path[:0], Reason: rec.Reason[:0], SubStatus: -1}
	open := bytes.IndexByte(b, '[')
	closeB := bytes.IndexByte(b, ']')
	if open < 0 || closeB < open {
		r.skip("no [date] field: not a combined log line")
		return false
	}
	t, offset, ok := parseCLFTime(b[open+1 : closeB])
	if !ok {
		r.skip("time %q: want [dd/Mon/yyyy:hh:mm:ss +zzzz]", b[open+1:closeB])
		return false
	}
	rest := bytes.TrimLeft(b[closeB+1:], " ")
	req, rest, ok := quoted(rest)
	if !ok {
		r.skip("no quoted request line after the time")
		return false
	}
	parts := bytes.Fields(req)
	if len(parts) < 2 {
		r.skip("request line %q: want METHOD URI PROTOCOL", req)
		return false
	}
	rec.Path = append(rec.Path, uriPath(parts[1])...)
	f := bytes.Fields(rest)
	if len(f) < 1 {
		r.skip("no status after the request line")
		return false
	}
	s, ok := atoi(f[0])
	if !ok || s < 100 || s > 999 {
		r.skip("status %q: want a three-digit number", f[0])
		return false
	}
	rec.Status = s
	// The request time is the last field, after any quoted ones.
	tail := rest
	if i := bytes.LastIndexByte(rest, '"'); i >= 0 {
		tail = rest[i+1:]
	} else if len(f) >= 2 {
		tail = bytes.Join(f[2:], []byte(" ")) // common format: status bytes [time]
	}
	if tf := bytes.Fields(tail); len(tf) > 0 {
		v := tf[len(tf)-1]
		if _, after, ok := bytes.Cut(v, []byte("=")); ok {
			v = after
		}
		d, res, ok := parseRequestTime(v)
		if !ok {
			r.skip("request time %q: want seconds with a decimal point (nginx $request_time) or whole microseconds (Apache %%D)", v)
			return false
		}
		rec.Taken, rec.HasTaken, rec.Resolution = d, true, res
	}
	rec.Offset = offset
	if !r.zoneSet {
		r.zone, r.zoneSet = offset, true
	} else if offset != r.zone {
		if r.mixedZones == 0 {
			r.mixedFirst = r.line
		}
		r.mixedZones++
	}
	rec.End = t.Add(halfSecond)
	if r.opt.TimeAtStart && rec.HasTaken {
		rec.End = rec.End.Add(rec.Taken)
	}
	return true
}

// quoted returns the contents of the double-quoted string b starts with
// (backslash escapes allowed) and what follows it.
func quoted(b []byte) (in, rest []byte, ok bool) {
	if len(b) == 0 || b[0] != '"' {
		return nil, b, false
	}
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return b[1:i], b[i+1:], true
		}
	}
	return nil, b, false
}

// parseCLFTime parses "10/Oct/2026:13:55:36 +0100" into UTC and the offset
// in seconds.
func parseCLFTime(b []byte) (time.Time, int, bool) {
	if len(b) != 26 || b[2] != '/' || b[6] != '/' || b[11] != ':' || b[14] != ':' || b[17] != ':' || b[20] != ' ' {
		return time.Time{}, 0, false
	}
	mo := 0
	for i, m := range months {
		if string(b[3:6]) == m {
			mo = i + 1
		}
	}
	d, ok1 := digits(b[0:2])
	y, ok2 := digits(b[7:11])
	h, ok3 := digits(b[12:14])
	mi, ok4 := digits(b[15:17])
	s, ok5 := digits(b[18:20])
	zh, ok6 := digits(b[22:24])
	zm, ok7 := digits(b[24:26])
	sign := b[21]
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || mo == 0 || d < 1 || d > daysIn(mo, y) ||
		h > 23 || mi > 59 || s > 60 || zh > 14 || zm > 59 || (sign != '+' && sign != '-') {
		return time.Time{}, 0, false
	}
	off := zh*3600 + zm*60
	if sign == '-' {
		off = -off
	}
	t := time.Date(y, time.Month(mo), d, h, mi, s, 0, time.UTC).Add(-time.Duration(off) * time.Second)
	return t, off, true
}

// parseRequestTime parses seconds with a decimal point, or whole
// microseconds, and returns the unit of the last digit.
func parseRequestTime(v []byte) (time.Duration, time.Duration, bool) {
	whole, frac, dot := bytes.Cut(v, []byte("."))
	if !dot {
		us, ok := atoi(v)
		return time.Duration(us) * time.Microsecond, time.Microsecond, ok
	}
	s, ok := atoi(whole)
	if !ok || len(frac) == 0 || len(frac) > 9 {
		return 0, 0, false
	}
	n, ok := digits(frac)
	if !ok {
		return 0, 0, false
	}
	res := time.Duration(1)
	for i := len(frac); i < 9; i++ {
		n *= 10
		res *= 10
	}
	return time.Duration(s)*time.Second + time.Duration(n), res, true
}
