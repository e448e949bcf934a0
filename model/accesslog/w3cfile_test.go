package accesslog

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

// TestW3CWriterBytes: the access log carries IIS's four directives, #Date
// the time of the first line, then one CR LF line per request with
// IIS's default fields, empty fields as '-' and blanks as '+'.
func TestW3CWriterBytes(t *testing.T) {
	var buf bytes.Buffer
	w := NewW3CWriter(&buf, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC))
	w.Log(90*time.Second, 7, "GET", "/trend page", 200, 0, 41900*time.Microsecond)
	w.Log(95*time.Second, 1<<20, "POST", "", 500, 0, 2*time.Second)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "#Software: Microsoft Internet Information Services 10.0\r\n" +
		"#Version: 1.0\r\n" +
		"#Date: 2026-11-23 00:01:30\r\n" +
		"#Fields: " + W3CFields + "\r\n" +
		"2026-11-23 00:01:30 10.0.0.5 GET /trend+page - 80 - 10.0.1.7 poolsim - 200 0 0 41\r\n" +
		"2026-11-23 00:01:35 10.0.0.5 POST - - 80 - 10.16.1.0 poolsim - 500 0 0 2000\r\n"
	if got := buf.String(); got != want {
		t.Errorf("wrote\n%q\nwant\n%q", got, want)
	}
}

// TestW3CFileEmpty: a log with no line still carries its directives, dated
// at the start of the run.
func TestW3CFileEmpty(t *testing.T) {
	var buf bytes.Buffer
	f := NewW3CFile(&buf, "S", "1.0", "date time")
	if err := f.Flush(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	want := "#Software: S\r\n#Version: 1.0\r\n#Date: 2026-01-02 03:04:05\r\n#Fields: date time\r\n"
	if buf.String() != want {
		t.Errorf("wrote %q, want %q", buf.String(), want)
	}
}

type failWriter struct{ n int }

var errFull = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	w.n++
	return 0, errFull
}

// TestW3CFileErrorSticks: the first write error is reported by every later
// call, and nothing more is written after it.
func TestW3CFileErrorSticks(t *testing.T) {
	fw := &failWriter{}
	f := NewW3CFile(fw, "S", "1.0", "date")
	line := bytes.Repeat([]byte("x"), 70<<10) // larger than the buffer: written through
	if err := f.WriteLine(time.Time{}, line); !errors.Is(err, errFull) {
		t.Fatalf("WriteLine: %v, want %v", err, errFull)
	}
	calls := fw.n
	if err := f.WriteLine(time.Time{}, []byte("y\r\n")); !errors.Is(err, errFull) {
		t.Errorf("second WriteLine: %v", err)
	}
	if err := f.Flush(time.Time{}); !errors.Is(err, errFull) || f.Err() != errFull {
		t.Errorf("Flush: %v, Err: %v", err, f.Err())
	}
	if fw.n != calls {
		t.Errorf("%d writes after the error", fw.n-calls)
	}
}

// TestAppendW3CField: empty is '-', blanks and control bytes are '+', and
// a limit cuts the field.
func TestAppendW3CField(t *testing.T) {
	for _, c := range []struct {
		in   string
		max  int
		want string
	}{
		{"", 0, "-"},
		{"a b\tc\x7f", 0, "a+b+c+"},
		{"/long/path", 5, "/long"},
		{"/long/path", 0, "/long/path"},
	} {
		if got := string(AppendW3CField([]byte("<"), c.in, c.max)); got != "<"+c.want {
			t.Errorf("AppendW3CField(%q, %d) = %q, want %q", c.in, c.max, got, "<"+c.want)
		}
	}
}
