package httperr

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/poolsim/poolsim/engine"
	"github.com/poolsim/poolsim/model/accesslog"
)

const (
	httpErrSoftware = "Microsoft HTTP API 2.0"
	httpErrVersion  = "1.0"
	httpErrFields   = "date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename"
	httpErrTime     = accesslog.W3CTime
	httpErrServerIP = "10.0.0.5"
	httpErrPort     = 80
	httpErrProto    = "HTTP/1.1"
	httpErrNFields  = 13
	maxMethodBytes  = 255
	maxURIBytes     = 4096
)

// HTTPERR reasons that poolsim logs. Windows Server 2008 and later write
// the _ReqQueue names, IIS 6 on Windows Server 2003 the _AppPool names
// (KB 820729: "specific to Windows Vista and later ... Windows Server 2008
// and later"); pool.httperr_names chooses.
const (
	ReasonQueueFull         = "QueueFull"
	ReasonAppOffline        = "AppOffline"
	ReasonTimerAppPool      = "Timer_AppPool"
	ReasonAbandoned         = "Connection_Abandoned_By_AppPool"
	ReasonTimerReqQueue     = "Timer_ReqQueue"
	ReasonAbandonedReqQueue = "Connection_Abandoned_By_ReqQueue"
	// ReasonDisabled: an administrator stopped the pool ([events] stop).
	ReasonDisabled = "Disabled"
	// ReasonMinBytes: a response sent more slowly than MinBytesPerSecond.
	ReasonMinBytes       = "Timer_MinBytesPerSecond"
	NamesAppPool         = "apppool"
	httpErrNamesReqQueue = "reqqueue"
)

// httpErrStatus returns the sc-status HTTP.sys logs with reason.
func httpErrStatus(reason string) (string, bool) {
	switch reason {
	case ReasonQueueFull, ReasonAppOffline, ReasonDisabled:
		return "503", true
	case ReasonTimerAppPool, ReasonAbandoned, ReasonTimerReqQueue, ReasonAbandonedReqQueue, ReasonMinBytes:
		return "-", true
	}
	return "", false
}

// Writer writes the HTTPERR log of a run (`poolsim run --httperr
// FILE`): the error log that
// HTTP.sys writes to %SystemRoot%\System32\LogFiles\HTTPERR for requests it
// answers or drops itself, without the application (KB 820729, "Error
// logging in HTTP APIs"; "Types of Errors Logged by the HTTP Server API").
// poolsim writes one line for each request that HTTP.sys would log:
//
//	reason                           sc-status  when
//	QueueFull                        503        the pool's queue was full
//	AppOffline                       503        rapid-fail protection stopped the pool
//	Timer_ReqQueue                   -          the request waited too long in the queue
//	Connection_Abandoned_By_ReqQueue -          the worker executing it died
//
// (Timer_AppPool and Connection_Abandoned_By_AppPool with
// pool.httperr_names = "apppool", as IIS 6 wrote them.)
//
// The file starts with the W3C directives that real files carry (the KB says
// there are none, but HTTP.sys writes them):
//
//	#Software: Microsoft HTTP API 2.0
//	#Version: 1.0
//	#Date: 2026-11-23 00:00:00
//	#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri sc-status s-siteid s-reason s-queuename
//
// followed by one line per request, fields separated by one space, times in
// UTC to the second, lines ended by CR LF (the Windows convention). Inside a field,
// spaces, tabs and control characters become '+'; an empty field is '-';
// cs-method is cut at 255 bytes and cs-uri at 4096, as HTTP.sys does. The
// abandoned and expired lines have no status ('-'), like the
// Connection_Abandoned_By_ReqQueue line of a real log; no source shows a
// real Timer_AppPool or AppOffline line, so those follow the reason table of
// KB 820729. s-siteid is the site's number (the KB says older systems always
// write '-'; poolsim writes '-' for a site id of zero).
//
// Client addresses are synthetic: each client id maps to one fixed IPv4
// address, most of them in the private 10.0.0.0/8 and 192.168.0.0/16
// ranges, some in the documentation ranges 198.51.100.0/24 and
// 203.0.113.0/24 (RFC 5737), which stand for public addresses without
// naming a real host. Source ports are drawn per request from the
// ephemeral range 49152–65535. The server is 10.0.0.5 port 80, HTTP/1.1.
//
// It buffers its output: call Flush at the end. The first write error
// sticks; Log and Flush report it from then on. Logging a line allocates
// nothing.
type Writer struct {
	file   *accesslog.W3CFile
	start  time.Time
	siteID string
	queue  string
	r      *rand.Rand
	salt   uint64
	line   []byte
}

// NewWriter returns a writer of the HTTPERR log of a run whose time 0
// is start, for the site numbered siteID (0: '-') and the application pool
// queueName. r is the stream for the synthetic client addresses and ports;
// the writer draws one number from it now and one per line.
func NewWriter(w io.Writer, start time.Time, siteID int, queueName string, r *rand.Rand) *Writer {
	h := &Writer{
		file:   accesslog.NewW3CFile(w, httpErrSoftware, httpErrVersion, httpErrFields),
		start:  start.UTC(),
		siteID: "-",
		queue:  string(accesslog.AppendW3CField(nil, queueName, 1<<16)),
		r:      r,
		salt:   r.Uint64(),
		line:   make([]byte, 0, 256),
	}
	if siteID > 0 {
		h.siteID = strconv.Itoa(siteID)
	}
	return h
}

// Log writes the line of a request from client clientID, for method and uri,
// that HTTP.sys ended at virtual time at with reason (one of QueueFull,
// AppOffline, Timer_ReqQueue, Connection_Abandoned_By_ReqQueue, or their
// _AppPool forms); the status
// column follows from the reason. The first call writes the directives, with
// #Date the time of this first line.
func (h *Writer) Log(at engine.Time, clientID int, method, uri, reason string) error {
	status, ok := httpErrStatus(reason)
	if !ok {
		return fmt.Errorf("httperr: reason %q: not one poolsim logs; allowed: %s, %s, %s, %s, %s, %s, %s, %s",
			reason, ReasonQueueFull, ReasonAppOffline, ReasonTimerReqQueue, ReasonAbandonedReqQueue, ReasonTimerAppPool, ReasonAbandoned, ReasonDisabled, ReasonMinBytes)
	}
	if err := h.file.Err(); err != nil {
		return err
	}
	t := h.start.Add(at.Duration())
	b := h.line[:0]
	b = t.AppendFormat(b, httpErrTime)
	b = append(b, ' ')
	b = appendClientIP(b, h.clientAddr(clientID))
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(49152+h.r.IntN(16384)), 10)
	b = append(b, ' ')
	b = append(b, httpErrServerIP...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, httpErrPort, 10)
	b = append(b, ' ')
	b = append(b, httpErrProto...)
	b = append(b, ' ')
	b = accesslog.AppendW3CField(b, method, maxMethodBytes)
	b = append(b, ' ')
	b = accesslog.AppendW3CField(b, uri, maxURIBytes)
	b = append(b, ' ')
	b = append(b, status...)
	b = append(b, ' ')
	b = append(b, h.siteID...)
	b = append(b, ' ')
	b = append(b, reason...)
	b = append(b, ' ')
	b = append(b, h.queue...)
	b = append(b, '\r', '\n')
	h.line = b
	return h.file.WriteLine(t, b)
}

// Flush writes the directives if no line has been logged, then writes out
// the buffer.
func (h *Writer) Flush() error { return h.file.Flush(h.start) }

// clientAddr maps a client id to its fixed IPv4 address: a hash of the id
// and the writer's salt picks a range and the host within it.
func (h *Writer) clientAddr(id int) [4]byte {
	x := engine.Mix64(h.salt ^ uint64(id))
	b, c := byte(x>>16), byte(x>>24)
	host := 1 + byte((x>>32)%254) // never .0 or .255
	switch x % 16 {
	case 0, 1:
		return [4]byte{203, 0, 113, host}
	case 2, 3:
		return [4]byte{198, 51, 100, host}
	case 4, 5, 6:
		return [4]byte{192, 168, c, host}
	default:
		return [4]byte{10, 1 + b%254, c, host} // 10.1–254.x.y: never the server's 10.0.0.5
	}
}

func appendClientIP(b []byte, ip [4]byte) []byte {
	for i, o := range ip {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendUint(b, uint64(o), 10)
	}
	return b
}

// Line is one parsed line of an HTTPERR log. Fields that the log
// writes as '-' hold "-", except that an absent port would be an error.
type Line struct {
	Time       time.Time // UTC, to the second
	ClientIP   string
	ClientPort int
	ServerIP   string
	ServerPort int
	Version    string // cs-version, e.g. HTTP/1.1
	Method     string
	URI        string
	Status     string // sc-status: "503" or "-"
	SiteID     string
	Reason     string
	Queue      string
}

// Parse reads an HTTPERR log. It checks the directives (#Software,
// #Version 1.0, #Date and #Fields exactly as HTTP.sys writes them, before
// the first line; they may be repeated, as when HTTP.sys starts a new
// block), that every line has the 13 fields, that dates, times, ports and
// statuses are well formed and that the reason is never empty. Lines may end
// in CR LF or LF. Errors give the line number.
func Parse(r io.Reader) ([]Line, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	var out []Line
	haveFields := false
	seen := map[string]bool{}
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.HasPrefix(line, "#") {
			name, value, ok := strings.Cut(line[1:], ": ")
			if !ok {
				return nil, fmt.Errorf("httperr line %d: directive %q: want #Name: value", n, line)
			}
			switch name {
			case "Software":
				if value == "" {
					return nil, fmt.Errorf("httperr line %d: empty #Software", n)
				}
			case "Version":
				if value != httpErrVersion {
					return nil, fmt.Errorf("httperr line %d: #Version %q, want %q", n, value, httpErrVersion)
				}
			case "Date":
				if _, err := time.Parse(httpErrTime, value); err != nil {
					return nil, fmt.Errorf("httperr line %d: #Date %q: want YYYY-MM-DD hh:mm:ss", n, value)
				}
			case "Fields":
				if value != httpErrFields {
					return nil, fmt.Errorf("httperr line %d: #Fields %q, want %q", n, value, httpErrFields)
				}
				for _, d := range []string{"Software", "Version", "Date"} {
					if !seen[d] {
						return nil, fmt.Errorf("httperr line %d: #Fields before #%s", n, d)
					}
				}
				haveFields = true
			default:
				return nil, fmt.Errorf("httperr line %d: unknown directive #%s", n, name)
			}
			seen[name] = true
			continue
		}
		if !haveFields {
			return nil, fmt.Errorf("httperr line %d: a log line before the #Fields directive", n)
		}
		l, err := parseHTTPErrLine(line)
		if err != nil {
			return nil, fmt.Errorf("httperr line %d: %v", n, err)
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("httperr line %d: %v", n+1, err)
	}
	return out, nil
}

func parseHTTPErrLine(line string) (Line, error) {
	var l Line
	f := strings.Split(line, " ")
	if len(f) != httpErrNFields {
		return l, fmt.Errorf("%d fields, want %d", len(f), httpErrNFields)
	}
	for i, s := range f {
		if s == "" {
			return l, fmt.Errorf("field %d is empty", i+1)
		}
	}
	t, err := time.Parse(httpErrTime, f[0]+" "+f[1])
	if err != nil {
		return l, fmt.Errorf("date and time %q: want YYYY-MM-DD hh:mm:ss", f[0]+" "+f[1])
	}
	port := func(s, what string) (int, error) {
		p, err := strconv.Atoi(s)
		if err != nil || p < 0 || p > 65535 {
			return 0, fmt.Errorf("%s %q: want a port number", what, s)
		}
		return p, nil
	}
	l.Time = t
	l.ClientIP = f[2]
	if l.ClientPort, err = port(f[3], "c-port"); err != nil {
		return l, err
	}
	l.ServerIP = f[4]
	if l.ServerPort, err = port(f[5], "s-port"); err != nil {
		return l, err
	}
	l.Version, l.Method, l.URI = f[6], f[7], f[8]
	l.Status = f[9]
	if l.Status != "-" {
		if s, err := strconv.Atoi(l.Status); err != nil || s < 100 || s > 999 || len(l.Status) != 3 {
			return l, fmt.Errorf("sc-status %q: want a three-digit status or -", l.Status)
		}
	}
	l.SiteID, l.Reason, l.Queue = f[10], f[11], f[12]
	if l.Reason == "-" {
		return l, fmt.Errorf("s-reason is missing")
	}
	return l, nil
}

// CountReasons counts the lines by reason.
func CountReasons(lines []Line) map[string]int {
	m := make(map[string]int)
	for _, l := range lines {
		m[l.Reason]++
	}
	return m
}

// String formats l as the log line it was parsed from (without the line end).
func (l Line) String() string {
	return fmt.Sprintf("%s %s %d %s %d %s %s %s %s %s %s %s", l.Time.UTC().Format(httpErrTime),
		l.ClientIP, l.ClientPort, l.ServerIP, l.ServerPort, l.Version, l.Method, l.URI,
		l.Status, l.SiteID, l.Reason, l.Queue)
}
