package serverconf

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// gunicornMapped lists the settings poolsim's gunicorn preset models
// (model/scenario's [gunicorn] table, presets.go), with their command-line flags.
var gunicornMapped = map[string]struct {
	kind  string // int | seconds | string
	flags []string
}{
	"workers":             {"int", []string{"-w", "--workers"}},
	"threads":             {"int", []string{"--threads"}},
	"backlog":             {"int", []string{"--backlog"}},
	"timeout":             {"seconds", []string{"-t", "--timeout"}},
	"graceful_timeout":    {"seconds", []string{"--graceful-timeout"}},
	"max_requests":        {"int", []string{"--max-requests"}},
	"max_requests_jitter": {"int", []string{"--max-requests-jitter"}},
	"bind":                {"string", []string{"-b", "--bind"}},
}

// gunicornWhy says why poolsim does not model a gunicorn setting.
var gunicornWhy = map[string]string{
	"preload_app":         "poolsim's workers start in pool.startup_time (the preset's 4 ms is a small application's boot) whether the application is preloaded in the master or imported in each worker: set startup_time to your application's import time without --preload",
	"worker_class":        "poolsim models sync and gthread workers (threads); an async worker class (gevent, eventlet, uvicorn) runs far more requests at once",
	"worker_connections":  "only async workers use it",
	"keepalive":           "connections are not modelled, requests are",
	"limit_request_line":  "request limits are not modelled",
	"reload":              "code reloading is not simulated",
	"daemon":              "daemonising does not change the pool's behaviour",
	"user":                "the workers' identity is not modelled",
	"group":               "the workers' identity is not modelled",
	"accesslog":           "logging is not modelled",
	"errorlog":            "logging is not modelled",
	"loglevel":            "logging is not modelled",
	"access_log_format":   "logging is not modelled",
	"proc_name":           "the process name is not modelled",
	"pidfile":             "the pid file is not modelled",
	"chdir":               "the working directory is not modelled",
	"wsgi_app":            "the application is what the scenario's classes describe",
	"forwarded_allow_ips": "proxy headers are not modelled",
	"certfile":            "TLS is not modelled",
	"keyfile":             "TLS is not modelled",
	"raw_env":             "the workers' environment is not modelled",
	"worker_tmp_dir":      "the heartbeat file's directory is not modelled (gunicorn's timeout is)",
}

// gunicornFlagNames maps the flags of settings poolsim does not model to
// their names, for the warnings.
var gunicornFlagNames = map[string]string{
	"--preload": "preload_app", "-k": "worker_class", "--worker-class": "worker_class",
	"--worker-connections": "worker_connections", "--keep-alive": "keepalive", "--reload": "reload",
	"-D": "daemon", "--daemon": "daemon", "-u": "user", "--user": "user", "-g": "group", "--group": "group",
	"--access-logfile": "accesslog", "--error-logfile": "errorlog", "--log-level": "loglevel",
	"-n": "proc_name", "--name": "proc_name", "-p": "pidfile", "--pid": "pidfile", "--chdir": "chdir",
	"-e": "raw_env", "--env": "raw_env", "--certfile": "certfile", "--keyfile": "keyfile",
	"--worker-tmp-dir": "worker_tmp_dir", "--forwarded-allow-ips": "forwarded_allow_ips",
	"-c": "config", "--config": "config",
}

// gunicornBoolFlags take no value.
var gunicornBoolFlags = map[string]bool{"--preload": true, "--reload": true, "-D": true, "--daemon": true}

var pyAssign = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$`)

// importGunicorn reads a gunicorn configuration file (plain assignments),
// or a file holding a gunicorn command line (a Procfile, a systemd unit's
// ExecStart, a shell script), or the command line itself.
func importGunicorn(file string, data []byte, args []string) (*Result, error) {
	b := newBuilder(file)
	b.set("", "name", quote("gunicorn (imported)"), file)
	b.set("", "server", quote("gunicorn"), "gunicorn configuration")
	var err error
	if args != nil {
		err = gunicornArgs(b, args, 0)
	} else if line, n, ok := findGunicornCommand(data); ok {
		err = gunicornArgs(b, splitArgs(line), n)
	} else {
		err = gunicornFile(b, data)
	}
	if err != nil {
		return nil, err
	}
	return &Result{Server: "gunicorn", Pool: "gunicorn", Warnings: b.warnings,
		Text: b.text(fmt.Sprintf("Imported by poolsim import from %s.\nEach value comes from the gunicorn setting named in its comment, in gunicorn's own words\n([gunicorn], which poolsim's gunicorn preset translates into the pool); what the\nconfiguration leaves out keeps gunicorn's default.", file))}, nil
}

// gunicornFile reads a Python configuration file of assignments. A value
// that is not a literal (a number, a string, True or False) is computed:
// it is reported, not evaluated.
func gunicornFile(b *builder, data []byte) error {
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	sc.Buffer(nil, 1<<20)
	n := 0
	found := false
	for sc.Scan() {
		n++
		raw := sc.Text()
		l := strings.TrimSpace(raw)
		if l == "" || l[0] == '#' {
			continue
		}
		if raw[0] == ' ' || raw[0] == '\t' {
			continue // the body of a function or block, reported at its head
		}
		if strings.HasPrefix(l, "import ") || strings.HasPrefix(l, "from ") {
			continue
		}
		if strings.HasPrefix(l, "def ") {
			b.warnf(n, "%s: a server hook; not modelled", strings.TrimSuffix(strings.Fields(l)[1], ":"))
			continue
		}
		m := pyAssign.FindStringSubmatch(l)
		if m == nil {
			b.warnf(n, "%q: not a plain assignment; not read", l)
			continue
		}
		found = true
		name, expr := m[1], stripPyComment(m[2])
		if err := gunicornSet(b, name, expr, n, fmt.Sprintf("%s:%d: %s = %s", b.file, n, name, expr), true); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s:%d: %v", b.file, n+1, err)
	}
	if !found {
		return fmt.Errorf("%s: no setting: not a gunicorn configuration (name = value lines) or command line", b.file)
	}
	return nil
}

func stripPyComment(s string) string {
	if i := strings.Index(s, " #"); i >= 0 && !strings.ContainsAny(s[:i], `"'`) {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// gunicornSet sets a setting from a Python literal (python) or a flag's
// word.
func gunicornSet(b *builder, name, expr string, line int, source string, python bool) error {
	m, ok := gunicornMapped[name]
	if !ok {
		why := gunicornWhy[name]
		if why == "" {
			why = "poolsim's gunicorn preset has no such setting"
		}
		b.warnf(line, "%s = %s: not modelled: %s", name, expr, why)
		return nil
	}
	value := expr
	if python {
		lit, ok := pyLiteral(expr)
		if !ok {
			b.warnf(line, "%s = %s: computed by Python, not evaluated; set it in the scenario ([gunicorn] %s) to the value it has on the server", name, expr, name)
			return nil
		}
		value = lit
	}
	switch m.kind {
	case "int", "seconds":
		f, err := strconv.ParseFloat(value, 64)
		if err != nil || f < 0 || (m.kind == "int" && f != float64(int64(f))) {
			return fmt.Errorf("%s:%d: %s = %s: want a whole number", b.file, line, name, expr)
		}
		if m.kind == "int" {
			b.set("gunicorn", name, strconv.FormatInt(int64(f), 10), source)
		} else {
			b.set("gunicorn", name, quote(strconv.FormatFloat(f, 'f', -1, 64)+"s"), source)
		}
	case "string":
		b.set("gunicorn", name, quote(value), source)
	}
	return nil
}

// pyLiteral returns the text of a Python number or string literal.
func pyLiteral(expr string) (string, bool) {
	if len(expr) >= 2 && (expr[0] == '"' || expr[0] == '\'') && expr[len(expr)-1] == expr[0] && !strings.ContainsRune(expr[1:len(expr)-1], rune(expr[0])) {
		return expr[1 : len(expr)-1], true
	}
	if _, err := strconv.ParseFloat(strings.ReplaceAll(expr, "_", ""), 64); err == nil {
		return strings.ReplaceAll(expr, "_", ""), true
	}
	if expr == "True" || expr == "False" {
		return strings.ToLower(expr), true
	}
	return "", false
}

// findGunicornCommand finds a line that runs gunicorn (lines ending in
// '\\' continue on the next) and returns what follows the command word,
// and the line it starts on.
func findGunicornCommand(data []byte) (string, int, bool) {
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); i++ {
		start, l := i+1, lines[i]
		for strings.HasSuffix(strings.TrimRight(l, " \t"), "\\") && i+1 < len(lines) {
			i++
			l = strings.TrimSuffix(strings.TrimRight(l, " \t"), "\\") + " " + lines[i]
		}
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		f := splitArgs(l)
		for j, w := range f {
			w = strings.TrimPrefix(w, "ExecStart=") // a systemd unit
			if (w == "gunicorn" || strings.HasSuffix(w, "/gunicorn")) && (j == 0 || !strings.HasPrefix(f[j-1], "-") || f[j-1] == "-m") {
				return strings.Join(f[j+1:], " "), start, true
			}
		}
	}
	return "", 0, false
}

// splitArgs splits a command line at spaces, honouring quotes.
func splitArgs(s string) []string {
	var out []string
	var cur strings.Builder
	quote := byte(0)
	in := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote, in = c, true
		case c == ' ' || c == '\t' || c == '\r' || c == '\\':
			if in {
				out = append(out, cur.String())
				cur.Reset()
				in = false
			}
		default:
			cur.WriteByte(c)
			in = true
		}
	}
	if in {
		out = append(out, cur.String())
	}
	return out
}

// gunicornArgs reads gunicorn's command-line flags (line: the line of the
// file they are on, 0 for a command line).
func gunicornArgs(b *builder, args []string, line int) error {
	flags := map[string]string{}
	for name, m := range gunicornMapped {
		for _, f := range m.flags {
			flags[f] = name
		}
	}
	found := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			continue // the application, such as app:app
		}
		flag, value, hasValue := strings.Cut(a, "=")
		if !hasValue && len(flag) > 2 && flag[1] != '-' { // -w4
			flag, value, hasValue = a[:2], a[2:], true
		}
		takeValue := func() (string, bool) {
			if hasValue {
				return value, true
			}
			if i+1 < len(args) {
				i++
				return args[i], true
			}
			return "", false
		}
		if name, ok := flags[flag]; ok {
			v, ok := takeValue()
			if !ok {
				return fmt.Errorf("%s: %s: no value", b.where(line), flag)
			}
			found = true
			if err := gunicornSet(b, name, v, line, fmt.Sprintf("%s: %s %s", b.where(line), flag, v), false); err != nil {
				return err
			}
			continue
		}
		name := gunicornFlagNames[flag]
		v := ""
		if !gunicornBoolFlags[flag] && !hasValue && i+1 < len(args) && (args[i+1] == "-" || !strings.HasPrefix(args[i+1], "-")) && name != "" {
			v, _ = takeValue()
		} else if hasValue {
			v = value
		}
		switch {
		case name == "config":
			b.warnf(line, "%s %s: the configuration file is not read from a command line; import it too", flag, v)
		case name != "":
			b.warnf(line, "%s %s: not modelled: %s", flag, v, gunicornWhy[name])
		default:
			b.warnf(line, "%s: not a gunicorn flag poolsim knows; ignored", a)
		}
	}
	if !found {
		b.warnf(line, "no setting poolsim models on the command line: gunicorn's defaults apply")
	}
	return nil
}
