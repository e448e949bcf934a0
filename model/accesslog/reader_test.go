package accesslog

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

type got struct {
	end    string
	path   string
	status int
	sub    int
	taken  time.Duration
	has    bool
	reason string
}

func readAll(t *testing.T, name string, data []byte, opt Options) ([]got, *Reader, error) {
	t.Helper()
	r := NewReader(name, bytes.NewReader(data), opt)
	var out []got
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out, r, nil
		}
		if err != nil {
			return out, r, err
		}
		out = append(out, got{rec.End.Format("2006-01-02 15:04:05.000"), string(rec.Path), rec.Status, rec.SubStatus, rec.Taken, rec.HasTaken, string(rec.Reason)})
	}
}

// TestReadLogs checks each format's rules: W3C fields follow the latest
// #Fields directive; HTTPERR's cs-uri loses its query; combined times are
// converted to UTC, a decimal request time is seconds and an integer one
// microseconds; Apache's %t is the start of the request.
func TestReadLogs(t *testing.T) {
	tests := []struct {
		file    string
		opt     Options
		format  Format
		want    []got
		skipped int
	}{
		{"u_ex261123.log", Options{}, W3C, []got{
			{"2026-11-23 00:00:01.500", "/trend/data.ashx", 200, 0, 41 * time.Millisecond, true, ""},
			{"2026-11-23 00:00:02.500", "/Trend/Data.ashx", 200, 0, 38 * time.Millisecond, true, ""},
			{"2026-11-23 00:00:02.500", "/api/orders", 500, 0, 1203 * time.Millisecond, true, ""},
			{"2026-11-23 00:00:03.500", "/health", 200, 0, 0, true, ""},
			{"2026-11-23 00:10:00.500", "/trend/data.ashx", 503, 2, 15 * time.Millisecond, true, ""},
			{"2026-11-23 00:10:01.500", "/trend/data.ashx", 200, 0, 44 * time.Millisecond, true, ""},
		}, 2},
		{"httperr1.log", Options{}, HTTPErr, []got{
			{"2026-11-23 03:00:04.500", "/trend/data.ashx", 503, -1, 0, false, "QueueFull"},
			{"2026-11-23 03:00:09.500", "/trend/data.ashx", 0, -1, 0, false, "Connection_Abandoned_By_AppPool"},
			{"2026-11-24 01:00:00.500", "/api/orders", 0, -1, 0, false, "Timer_AppPool"},
		}, 0},
		{"nginx.log", Options{}, Combined, []got{
			{"2026-11-23 09:00:00.500", "/index.php", 200, -1, 12 * time.Millisecond, true, ""},
			{"2026-11-23 09:00:01.500", "/api/save", 502, -1, 1250 * time.Millisecond, true, ""},
			{"2026-11-23 09:00:02.500", "/img/a.png", 200, -1, 0, true, ""},
		}, 1},
		{"apache.log", Options{TimeAtStart: true}, Combined, []got{
			{"2026-11-23 15:00:00.515", "/wp-login.php", 200, -1, 15 * time.Millisecond, true, ""},
			{"2026-03-29 07:00:03.000", "/wp-login.php", 200, -1, 2500 * time.Millisecond, true, ""},
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			recs, r, err := readAll(t, tt.file, data, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if r.Format() != tt.format {
				t.Errorf("format %v, want %v", r.Format(), tt.format)
			}
			if len(recs) != len(tt.want) {
				t.Fatalf("%d records, want %d: %+v", len(recs), len(tt.want), recs)
			}
			for i := range recs {
				if recs[i] != tt.want[i] {
					t.Errorf("record %d: %+v, want %+v", i, recs[i], tt.want[i])
				}
			}
			if n, reasons := r.Skipped(); n != tt.skipped || len(reasons) != n {
				t.Errorf("skipped %d (%q), want %d", n, reasons, tt.skipped)
			}
		})
	}
}

// TestSkippedLinesNameFileAndLine: a malformed line is skipped with its
// file, line and what is wrong.
func TestSkippedLinesNameFileAndLine(t *testing.T) {
	data, _ := os.ReadFile("testdata/u_ex261123.log")
	_, r, err := readAll(t, "u_ex261123.log", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, reasons := r.Skipped()
	want := []string{"u_ex261123.log:8: 4 fields, #Fields names 15", "u_ex261123.log:16: date and time"}
	for i, w := range want {
		if i >= len(reasons) || !strings.HasPrefix(reasons[i], w) {
			t.Errorf("reason %d: %q, want prefix %q", i, reasons, w)
		}
	}
}

// TestMixedZones: a combined log whose offsets change is counted from the
// first changed line (the times are still converted to UTC).
func TestMixedZones(t *testing.T) {
	data, _ := os.ReadFile("testdata/apache.log")
	_, r, err := readAll(t, "apache.log", data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if n, line := r.MixedZones(); n != 1 || line != 2 {
		t.Errorf("mixed zones %d from line %d, want 1 from line 2", n, line)
	}
}

// TestBadLogs: files that are not logs, or W3C logs whose #Fields cannot
// place a request, are errors naming the file and line.
func TestBadLogs(t *testing.T) {
	tests := []struct{ name, data, want string }{
		{"config.xml", strings.Repeat("<configuration>\n", 30), "config.xml: not a W3C extended, HTTPERR or combined log: 20 lines"},
		{"short.txt", "hello\nworld\n", "short.txt: not a W3C extended, HTTPERR or combined log: 2 lines, none a log line; first: short.txt:1: no [date] field"},
		{"notime.log", "#Fields: date cs-uri-stem sc-status\n2026-11-23 / 200\n", "notime.log:1: #Fields has no time field"},
		{"nouri.log", "#Fields: date time sc-status\n", "nouri.log:1: #Fields has neither cs-uri-stem nor cs-uri"},
		{"nofields.log", "#Software: x\n" + strings.Repeat("2026-11-23 00:00:00 / 200\n", 3), "nofields.log: not a W3C extended, HTTPERR or combined log: 3 lines, none a log line; first: nofields.log:2: a log line before the #Fields directive"},
		{"long.log", "#Fields: date time cs-uri-stem\n" + strings.Repeat("x", maxLine+10), "long.log:2: bufio.Scanner: token too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, tt.name, []byte(tt.data), Options{})
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want prefix %q", err, tt.want)
			}
		})
	}
}

// TestWriterRoundTrip: what W3CWriter writes, Reader reads back, with
// time-taken rounded down to the millisecond.
func TestWriterRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	w := NewW3CWriter(&buf, start)
	w.Log(90*time.Second, 7, "GET", "/trend page", 200, 0, 41900*time.Microsecond)
	w.Log(95*time.Second, 1<<20, "POST", "", 500, 0, 2*time.Second)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	recs, r, err := readAll(t, "out.log", buf.Bytes(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []got{
		{"2026-11-23 00:01:30.500", "/trend+page", 200, 0, 41 * time.Millisecond, true, ""},
		{"2026-11-23 00:01:35.500", "-", 500, 0, 2 * time.Second, true, ""},
	}
	if len(recs) != 2 || recs[0] != want[0] || recs[1] != want[1] {
		t.Errorf("read back %+v, want %+v", recs, want)
	}
	if n, _ := r.Skipped(); n != 0 || r.Format() != W3C {
		t.Errorf("skipped %d, format %v", n, r.Format())
	}
}

// TestWriterAllocatesNothing: logging a line allocates nothing once the
// header is out (the run's event loop must not allocate).
func TestWriterAllocatesNothing(t *testing.T) {
	w := NewW3CWriter(io.Discard, time.Time{})
	w.Log(0, 1, "GET", "/x", 200, 0, time.Millisecond)
	if a := testing.AllocsPerRun(100, func() { w.Log(time.Second, 3, "GET", "/x", 200, 0, time.Millisecond) }); a != 0 {
		t.Errorf("%v allocations per line", a)
	}
}

// TestReaderAllocatesNothingPerLine: reading a long log allocates nothing
// per record once the buffers are grown (trace clients stream logs).
func TestReaderAllocatesNothingPerLine(t *testing.T) {
	line := "2026-11-23 00:00:01 /trend/data.ashx 200 0 41\n"
	data := []byte("#Fields: date time cs-uri-stem sc-status sc-substatus time-taken\n" + strings.Repeat(line, 2000))
	r := NewReader("x", bytes.NewReader(data), Options{})
	for i := 0; i < 10; i++ {
		r.Next()
	}
	if a := testing.AllocsPerRun(1000, func() { r.Next() }); a != 0 {
		t.Errorf("%v allocations per record", a)
	}
}

func TestClassName(t *testing.T) {
	for path, want := range map[string]string{
		"/":                            "root",
		"/api/Orders.aspx":             "api_orders_aspx",
		"/trend/data.ashx":             "trend_data_ashx",
		"//x--y//":                     "x_y",
		"/" + strings.Repeat("a", 100): strings.Repeat("a", 60),
	} {
		if got := ClassName(path); got != want {
			t.Errorf("ClassName(%q) = %q, want %q", path, got, want)
		}
	}
}

func FuzzReader(f *testing.F) {
	for _, name := range []string{"u_ex261123.log", "httperr1.log", "nginx.log", "apache.log"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
	}
	f.Add([]byte("#Fields: time cs-uri\n00:00:00 /\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, atStart bool) {
		r := NewReader("fuzz", bytes.NewReader(data), Options{TimeAtStart: atStart})
		for i := 0; i < 10000; i++ {
			rec, err := r.Next()
			if err != nil {
				var e *Error
				if err != io.EOF && !errors.As(err, &e) {
					t.Fatalf("error of type %T: %v", err, err)
				}
				return
			}
			if rec.Status != 0 && (rec.Status < 100 || rec.Status > 999) || rec.Taken < 0 {
				t.Fatalf("record out of range: %+v", rec)
			}
		}
	})
}
