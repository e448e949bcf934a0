package accesslog

import (
	"bufio"
	"io"
	"time"
)

// W3CTime is the layout of a W3C log's date and time fields and of its
// #Date directive: UTC, to the second.
const W3CTime = "2006-01-02 15:04:05"

// W3CFile is the file side of a W3C extended log, shared by IIS's access
// log (W3CWriter) and HTTP.sys's HTTPERR log: the #Software, #Version,
// #Date and #Fields directives before the first line, lines buffered, and
// the first write error kept and reported from then on. The caller formats
// each line (ending in CR LF) into a buffer of its own.
type W3CFile struct {
	w        *bufio.Writer
	software string
	version  string
	fields   string
	started  bool
	err      error
	head     []byte
}

// NewW3CFile returns a W3C log writing to w with the directives
// "#Software: software", "#Version: version" and "#Fields: fields".
func NewW3CFile(w io.Writer, software, version, fields string) *W3CFile {
	return &W3CFile{w: bufio.NewWriterSize(w, 64<<10), software: software, version: version, fields: fields}
}

// Err returns the first write error, if any.
func (f *W3CFile) Err() error { return f.err }

// WriteLine writes line, which happened at t; before the first line it
// writes the directives, with t as #Date.
func (f *W3CFile) WriteLine(t time.Time, line []byte) error {
	if f.err != nil {
		return f.err
	}
	if !f.started {
		f.header(t)
	}
	if f.err == nil {
		if _, err := f.w.Write(line); err != nil {
			f.err = err
		}
	}
	return f.err
}

// Flush writes the directives, with start as #Date, if no line was
// written, then the buffer.
func (f *W3CFile) Flush(start time.Time) error {
	if f.err != nil {
		return f.err
	}
	if !f.started {
		f.header(start)
	}
	if err := f.w.Flush(); err != nil && f.err == nil {
		f.err = err
	}
	return f.err
}

func (f *W3CFile) header(t time.Time) {
	f.started = true
	b := append(f.head[:0], "#Software: "...)
	b = append(b, f.software...)
	b = append(b, "\r\n#Version: "...)
	b = append(b, f.version...)
	b = append(b, "\r\n#Date: "...)
	b = t.AppendFormat(b, W3CTime)
	b = append(b, "\r\n#Fields: "...)
	b = append(b, f.fields...)
	b = append(b, "\r\n"...)
	f.head = b
	if _, err := f.w.Write(b); err != nil {
		f.err = err
	}
}

// AppendW3CField appends s as one W3C field: '-' when empty, cut at
// maxBytes when maxBytes > 0, with spaces, tabs and other control
// characters as '+' (so that a field never splits a line).
func AppendW3CField(b []byte, s string, maxBytes int) []byte {
	if s == "" {
		return append(b, '-')
	}
	if maxBytes > 0 && len(s) > maxBytes {
		s = s[:maxBytes]
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
