package httperr

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/poolsim/poolsim/engine"
)

func init() {
	// Golden files are rewritten with `go test ./model -update`; another test
	// file of the package may have defined the flag already.
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

type httpErrEntry struct {
	at       engine.Time
	client   int
	method   string
	uri      string
	reason   string
	wantURI  string
	wantMeth string
}

var httpErrStart = time.Date(2026, 11, 23, 22, 59, 58, 0, time.UTC)

var httpErrEntries = []httpErrEntry{
	{0, 1, "GET", "/trend/data?tag=FIC101", ReasonQueueFull, "/trend/data?tag=FIC101", "GET"},
	{1500 * engine.Millisecond, 2, "GET", "/trend/data?tag=FIC101", ReasonQueueFull, "/trend/data?tag=FIC101", "GET"},
	{3 * engine.Second, 1, "POST", "/api/orders", ReasonAbandoned, "/api/orders", "POST"},
	{engine.Minute, 3, "GET", "/report with spaces\tand tab", ReasonTimerAppPool, "/report+with+spaces+and+tab", "GET"},
	{engine.Hour + engine.Second, 40, "", "", ReasonAppOffline, "-", "-"},
	{engine.Hour + 2*engine.Second, 1, "GET", "/", ReasonAppOffline, "/", "GET"},
	{25 * engine.Hour, 7, "GET", "/" + strings.Repeat("x", 5000), ReasonAbandoned, "/" + strings.Repeat("x", 4095), "GET"},
}

func writeHTTPErrEntries(t *testing.T, w io.Writer) {
	t.Helper()
	h := NewWriter(w, httpErrStart, 1, "DefaultAppPool", rand.New(engine.NewSource(1, 0, "httperr")))
	for _, e := range httpErrEntries {
		if err := h.Log(e.at, e.client, e.method, e.uri, e.reason); err != nil {
			t.Fatalf("Log(%+v): %v", e, err)
		}
	}
	if err := h.Flush(); err != nil {
		t.Fatal(err)
	}
}

func TestHTTPErrGolden(t *testing.T) {
	var buf bytes.Buffer
	writeHTTPErrEntries(t, &buf)
	golden := filepath.Join("testdata", "httperr.golden")
	if updateGolden() {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./model -run HTTPErr -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("HTTPERR log differs from %s:\n got:\n%s\nwant:\n%s", golden, buf.Bytes(), want)
	}

	lines, err := Parse(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatalf("ParseHTTPErr: %v", err)
	}
	if len(lines) != len(httpErrEntries) {
		t.Fatalf("parsed %d lines, want %d", len(lines), len(httpErrEntries))
	}
	for i, e := range httpErrEntries {
		l := lines[i]
		wantStatus := "-"
		if e.reason == ReasonQueueFull || e.reason == ReasonAppOffline {
			wantStatus = "503"
		}
		want := Line{
			Time:       httpErrStart.Add(e.at.Duration()).Truncate(time.Second),
			ClientIP:   l.ClientIP,
			ClientPort: l.ClientPort,
			ServerIP:   "10.0.0.5",
			ServerPort: 80,
			Version:    "HTTP/1.1",
			Method:     e.wantMeth,
			URI:        e.wantURI,
			Status:     wantStatus,
			SiteID:     "1",
			Reason:     e.reason,
			Queue:      "DefaultAppPool",
		}
		if l != want {
			t.Errorf("line %d:\n got %+v\nwant %+v", i, l, want)
		}
		if l.ClientPort < 49152 || l.ClientPort > 65535 {
			t.Errorf("line %d: client port %d outside 49152-65535", i, l.ClientPort)
		}
	}
	// Client 1 keeps its address.
	if lines[0].ClientIP != lines[2].ClientIP || lines[0].ClientIP != lines[5].ClientIP {
		t.Errorf("client 1 has addresses %s, %s, %s", lines[0].ClientIP, lines[2].ClientIP, lines[5].ClientIP)
	}
	got := CountReasons(lines)
	wantCounts := map[string]int{ReasonQueueFull: 2, ReasonAbandoned: 2, ReasonTimerAppPool: 1, ReasonAppOffline: 2}
	if len(got) != len(wantCounts) {
		t.Errorf("CountReasons = %v, want %v", got, wantCounts)
	}
	for k, v := range wantCounts {
		if got[k] != v {
			t.Errorf("CountReasons[%s] = %d, want %d", k, got[k], v)
		}
	}
	// String reproduces the line.
	for i, raw := range strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n")[4:] {
		if s := lines[i].String(); s != raw {
			t.Errorf("line %d: String() = %q, want %q", i, s, raw)
		}
	}
}

func TestHTTPErrHeader(t *testing.T) {
	var buf bytes.Buffer
	local := time.FixedZone("CET", 3600)
	h := NewWriter(&buf, time.Date(2026, 11, 23, 1, 0, 0, 0, local), 0, "", rand.New(rand.NewPCG(1, 1)))
	if err := h.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "#Software: Microsoft HTTP API 2.0\r\n#Version: 1.0\r\n#Date: 2026-11-23 00:00:00\r\n" +
		"#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\r\n"
	if buf.String() != want {
		t.Errorf("header only:\n got %q\nwant %q", buf.String(), want)
	}
	if err := h.Log(90*engine.Second, 5, "GET", "/", ReasonQueueFull); err != nil {
		t.Fatal(err)
	}
	h.Flush()
	out := buf.String()
	if strings.Count(out, "#Fields") != 1 {
		t.Errorf("directives written %d times, want once", strings.Count(out, "#Fields"))
	}
	lines, err := Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 1 || lines[0].Time != time.Date(2026, 11, 23, 0, 1, 30, 0, time.UTC) ||
		lines[0].SiteID != "-" || lines[0].Queue != "-" {
		t.Errorf("parsed %+v; want one line at 00:01:30 UTC with site and queue '-'", lines)
	}
}

func TestHTTPErrAddresses(t *testing.T) {
	h := NewWriter(io.Discard, httpErrStart, 1, "p", rand.New(rand.NewPCG(3, 3)))
	seen := map[[4]byte]bool{}
	public := 0
	const clients = 2000
	for id := range clients {
		a := h.clientAddr(id)
		if a != h.clientAddr(id) {
			t.Fatalf("client %d: address not fixed", id)
		}
		switch {
		case a[0] == 10 && a[1] >= 1 && a[1] <= 254:
		case a[0] == 192 && a[1] == 168:
		case a[0] == 198 && a[1] == 51 && a[2] == 100, a[0] == 203 && a[1] == 0 && a[2] == 113:
			public++
		default:
			t.Fatalf("client %d: address %v outside the documented ranges", id, a)
		}
		if a[3] == 0 || a[3] == 255 {
			t.Fatalf("client %d: address %v ends in .0 or .255", id, a)
		}
		seen[a] = true
	}
	// 1/4 of clients get a documentation (public) address: binomial, 4 SE.
	if p, se := float64(public)/clients, 0.0097; p < 0.25-4*se || p > 0.25+4*se {
		t.Errorf("%.3f of clients public, want 0.25", p)
	}
	if len(seen) < clients*3/4 {
		t.Errorf("%d distinct addresses for %d clients", len(seen), clients)
	}
	// Another stream gives other addresses.
	h2 := NewWriter(io.Discard, httpErrStart, 1, "p", rand.New(rand.NewPCG(4, 4)))
	same := 0
	for id := range 100 {
		if h.clientAddr(id) == h2.clientAddr(id) {
			same++
		}
	}
	if same > 10 {
		t.Errorf("%d of 100 clients have the same address under another stream", same)
	}
}

func TestHTTPErrLogErrors(t *testing.T) {
	var buf bytes.Buffer
	h := NewWriter(&buf, httpErrStart, 1, "p", rand.New(rand.NewPCG(1, 1)))
	err := h.Log(0, 1, "GET", "/", "Connection_Dropped")
	if err == nil || !strings.Contains(err.Error(), "allowed: QueueFull, AppOffline, Timer_ReqQueue, Connection_Abandoned_By_ReqQueue, Timer_AppPool, Connection_Abandoned_By_AppPool") {
		t.Errorf("unknown reason: error %v", err)
	}
	h.Flush()
	if lines, err := Parse(&buf); err != nil || len(lines) != 0 {
		t.Errorf("after a refused line: %d lines, %v", len(lines), err)
	}

	// A failing writer: the error sticks and Flush reports it.
	fw := &failingWriter{}
	h = NewWriter(fw, httpErrStart, 1, "p", rand.New(rand.NewPCG(1, 1)))
	var logErr error
	for i := 0; i < 5000 && logErr == nil; i++ {
		logErr = h.Log(engine.Time(i)*engine.Second, i, "GET", "/trend", ReasonQueueFull)
	}
	if !errors.Is(logErr, errDiskFull) {
		t.Errorf("Log error %v, want %v", logErr, errDiskFull)
	}
	if err := h.Flush(); !errors.Is(err, errDiskFull) {
		t.Errorf("Flush error %v, want %v", err, errDiskFull)
	}
	fw2 := &failingWriter{}
	if err := NewWriter(fw2, httpErrStart, 1, "p", rand.New(rand.NewPCG(1, 1))).Flush(); !errors.Is(err, errDiskFull) {
		t.Errorf("Flush of the header: error %v, want %v", err, errDiskFull)
	}
}

var errDiskFull = errors.New("disk full")

type failingWriter struct{}

func (*failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

const httpErrHeader = "#Software: Microsoft HTTP API 2.0\n#Version: 1.0\n#Date: 2011-12-08 06:06:19\n" +
	"#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename\n"

// TestParseHTTPErrReal reads lines of real HTTP.sys logs (a public
// log-parser test fixture, quoted in the research notes), LF-terminated.
func TestParseHTTPErrReal(t *testing.T) {
	in := httpErrHeader +
		"2011-12-08 06:06:19 192.168.150.1 2774 192.168.150.122 2869 HTTP/1.1 NOTIFY /upnp/eventing/gerpeyxyas - - Connection_Abandoned_By_ReqQueue -\n" +
		"2012-02-06 13:31:17 2001:4898:0:fff:0:5efe:10.164.167.30%0 54697 2001:4898:0:fff:0:5efe:10.85.220.4%0 80 - - - - - Timer_ConnectionIdle -\n" +
		"2012-02-29 12:48:58 10.36.206.59 50228 10.85.220.5 80 HTTP/1.0 GET / 404 - NotFound -\n"
	lines, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3", len(lines))
	}
	if l := lines[1]; l.ClientPort != 54697 || l.Status != "-" || l.Reason != "Timer_ConnectionIdle" || l.Method != "-" {
		t.Errorf("IPv6 line parsed as %+v", l)
	}
	if l := lines[2]; l.Status != "404" || l.Time != time.Date(2012, 2, 29, 12, 48, 58, 0, time.UTC) {
		t.Errorf("404 line parsed as %+v", l)
	}
}

func TestParseHTTPErrErrors(t *testing.T) {
	line := "2026-11-23 00:00:01 10.1.2.3 50000 10.0.0.5 80 HTTP/1.1 GET / 503 1 QueueFull DefaultAppPool\n"
	tests := []struct {
		name, in, want string
	}{
		{"line before directives", line, "line 1: a log line before the #Fields directive"},
		{"fields before date", "#Software: x\n#Version: 1.0\n#Fields: " + httpErrFields + "\n", "line 3: #Fields before #Date"},
		{"wrong version", strings.Replace(httpErrHeader, "1.0", "2.0", 1), "line 2: #Version \"2.0\""},
		{"wrong fields", strings.Replace(httpErrHeader, " s-queuename", "", 1), "line 4: #Fields"},
		{"bad date directive", strings.Replace(httpErrHeader, "2011-12-08 06:06:19", "yesterday", 1), "line 3: #Date \"yesterday\""},
		{"unknown directive", "#Remark: hello\n", "unknown directive #Remark"},
		{"malformed directive", "#Software\n", "want #Name: value"},
		{"too few fields", httpErrHeader + "2026-11-23 00:00:01 10.1.2.3 50000 10.0.0.5 80 HTTP/1.1 GET / 503 1 QueueFull\n", "line 5: 12 fields, want 13"},
		{"double space", httpErrHeader + strings.Replace(line, " / ", "  ", 1), "line 5: field 9 is empty"},
		{"bad time", httpErrHeader + strings.Replace(line, "00:00:01", "24:00:01", 1), "line 5: date and time"},
		{"bad port", httpErrHeader + strings.Replace(line, "50000", "70000", 1), "c-port \"70000\""},
		{"bad status", httpErrHeader + strings.Replace(line, " 503 ", " 5x3 ", 1), "sc-status \"5x3\""},
		{"missing reason", httpErrHeader + strings.Replace(line, "QueueFull", "-", 1), "s-reason is missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	if lines, err := Parse(strings.NewReader("")); err != nil || len(lines) != 0 {
		t.Errorf("empty input: %v, %v", lines, err)
	}
}

func TestHTTPErrLogAllocs(t *testing.T) {
	h := NewWriter(io.Discard, httpErrStart, 1, "DefaultAppPool", rand.New(rand.NewPCG(1, 1)))
	i := 0
	a := testing.AllocsPerRun(1000, func() {
		i++
		h.Log(engine.Time(i)*engine.Millisecond, i, "GET", "/trend/data?tag=FIC101", ReasonQueueFull)
	})
	if a != 0 {
		t.Errorf("%v allocations per line, want 0", a)
	}
}

func BenchmarkHTTPErrLog(b *testing.B) {
	h := NewWriter(io.Discard, httpErrStart, 1, "DefaultAppPool", rand.New(rand.NewPCG(1, 1)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		h.Log(engine.Time(i)*engine.Millisecond, i%500, "GET", "/trend/data?tag=FIC101", ReasonQueueFull)
	}
}
