package serverconf

import (
	"bufio"
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// iniLine is one "key = value" of a php-fpm INI file.
type iniLine struct {
	file, section, key, value string
	line                      int
}

// parseINI reads php-fpm's INI syntax: [section] headers, key = value,
// ';' and '#' comments, values optionally quoted.
func parseINI(file string, data []byte) ([]iniLine, error) {
	var out []iniLine
	section := "global"
	sc := bufio.NewScanner(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		n++
		l := strings.TrimSpace(sc.Text())
		if l == "" || l[0] == ';' || l[0] == '#' {
			continue
		}
		if l[0] == '[' {
			if !strings.HasSuffix(l, "]") || len(l) < 3 {
				return nil, fmt.Errorf("%s:%d: malformed section header %q: want [name]", file, n, l)
			}
			section = strings.TrimSpace(l[1 : len(l)-1])
			continue
		}
		k, v, ok := strings.Cut(l, "=")
		if !ok {
			return nil, fmt.Errorf("%s:%d: %q: want key = value", file, n, l)
		}
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if k == "" {
			return nil, fmt.Errorf("%s:%d: %q: no key before '='", file, n, l)
		}
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		} else if i := strings.Index(v, " ;"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
		out = append(out, iniLine{file, section, k, v, n})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s:%d: %v", file, n+1, err)
	}
	return out, nil
}

// phpKind is how a php-fpm setting is read.
type phpKind int

const (
	pEnum phpKind = iota
	pInt
	pBacklog
	pSpan
	pString
)

// phpMapped lists the settings poolsim's php-fpm preset models (model's
// [php_fpm] table, model/scenario/presets.go) and the key each sets.
var phpMapped = map[string]mapping[phpKind]{
	"pm":                          {"pm", pEnum},
	"listen":                      {"listen", pString},
	"pm.max_children":             {"max_children", pInt},
	"pm.start_servers":            {"start_servers", pInt},
	"pm.min_spare_servers":        {"min_spare_servers", pInt},
	"pm.max_spare_servers":        {"max_spare_servers", pInt},
	"pm.process_idle_timeout":     {"process_idle_timeout", pSpan},
	"pm.max_requests":             {"max_requests", pInt},
	"request_terminate_timeout":   {"request_terminate_timeout", pSpan},
	"listen.backlog":              {"listen_backlog", pBacklog},
	"emergency_restart_threshold": {"emergency_restart_threshold", pInt},
	"emergency_restart_interval":  {"emergency_restart_interval", pSpan},
	"process_control_timeout":     {"process_control_timeout", pSpan},
}

var phpGlobalOnly = map[string]bool{"emergency_restart_threshold": true, "emergency_restart_interval": true, "process_control_timeout": true}

// importPHPFPM reads php-fpm.conf and pool files (in the order given) and
// writes the pool named pool, or the only one.
func importPHPFPM(files []string, datas [][]byte, pool string) (*Result, error) {
	var lines []iniLine
	var pools []string
	seen := map[string]bool{}
	for i, f := range files {
		l, err := parseINI(f, datas[i])
		if err != nil {
			return nil, err
		}
		for _, x := range l {
			if x.section != "global" && !seen[x.section] {
				seen[x.section] = true
				pools = append(pools, x.section)
			}
		}
		lines = append(lines, l...)
	}
	switch {
	case len(pools) == 0:
		return nil, fmt.Errorf("%s: no pool section ([www]): php-fpm.conf usually includes the pools from pool.d/*.conf; import a pool file too", strings.Join(files, ", "))
	case pool == "" && len(pools) > 1:
		return nil, &PoolsError{File: strings.Join(files, ", "), Pools: pools}
	case pool == "":
		pool = pools[0]
	case !seen[pool]:
		return nil, fmt.Errorf("%s: no pool [%s] (pools: %s)", strings.Join(files, ", "), pool, strings.Join(pools, ", "))
	}
	b := newBuilder(files[len(files)-1])
	b.set("", "name", quote(pool+" (imported)"), "php-fpm pool ["+pool+"]")
	b.set("", "server", quote("php-fpm"), "php-fpm pool file")
	b.set("pool", "name", quote(pool), fmt.Sprintf("[%s]", pool))
	for _, l := range lines {
		if l.section != "global" && l.section != pool {
			continue
		}
		b.file = l.file
		source := fmt.Sprintf("%s:%d: [%s] %s = %s", l.file, l.line, l.section, l.key, l.value)
		m, ok := phpMapped[l.key]
		if ok && phpGlobalOnly[l.key] && l.section != "global" {
			b.warnf(l.line, "[%s] %s: a global setting (php-fpm.conf [global]) in a pool section; php-fpm refuses it", l.section, l.key)
			continue
		}
		if !ok {
			if l.key == "include" {
				b.warnf(l.line, "include = %s: the included files are not read; import the pool file too", l.value)
			} else if l.section == "global" {
				b.warnf(l.line, "[global] %s = %s: not modelled (a setting of the php-fpm master)", l.key, l.value)
			} else {
				b.warnf(l.line, "[%s] %s = %s: not modelled: %s", l.section, l.key, l.value, phpWhy(l.key))
			}
			continue
		}
		v := strings.ReplaceAll(l.value, "$pool", pool)
		if err := setPHP(b, m.key, m.kind, v, l, source); err != nil {
			return nil, err
		}
	}
	return &Result{Server: "php-fpm", Pool: pool, Warnings: b.warnings,
		Text: b.text(fmt.Sprintf("Imported by poolsim import from %s, pool [%s].\nEach value comes from the php-fpm setting named in its comment, in php-fpm's own words\n([php_fpm], which poolsim's php-fpm preset translates into the pool); what the files leave\nout keeps php-fpm's default.", strings.Join(files, ", "), pool))}, nil
}

var phpDuration = regexp.MustCompile(`^([0-9]+)([smhd]?)$`)

func setPHP(b *builder, key string, kind phpKind, v string, l iniLine, source string) error {
	bad := func(want string) error {
		return fmt.Errorf("%s:%d: %s = %s: want %s", l.file, l.line, l.key, l.value, want)
	}
	switch kind {
	case pString:
		b.set("php_fpm", key, quote(v), source)
	case pEnum:
		if v != "static" && v != "dynamic" && v != "ondemand" {
			return bad("static, dynamic or ondemand")
		}
		b.set("php_fpm", key, quote(v), source)
	case pInt, pBacklog:
		n, err := strconv.Atoi(v)
		if kind == pBacklog && n == -1 && err == nil {
			b.warnf(l.line, "listen.backlog = -1: the kernel's maximum; poolsim takes net.core.somaxconn = 4096")
			n = 4096
		}
		if err != nil || n < 0 {
			return bad("a whole number")
		}
		b.set("php_fpm", key, strconv.Itoa(n), source)
	case pSpan:
		m := phpDuration.FindStringSubmatch(v)
		if m == nil {
			return bad("a time such as 10s, 5m, 1h or 1d (seconds without a unit)")
		}
		n, _ := strconv.ParseInt(m[1], 10, 64)
		unit := m[2]
		if unit == "" {
			unit = "s"
		}
		if unit == "d" {
			n, unit = n*24, "h"
		}
		b.set("php_fpm", key, quote(strconv.FormatInt(n, 10)+unit), source)
	}
	return nil
}

// phpWhy says why a pool setting is not modelled.
func phpWhy(key string) string {
	switch {
	case key == "user" || key == "group" || strings.HasPrefix(key, "listen."):
		return "the socket's and the workers' owners and modes do not change the pool's behaviour in poolsim"
	case strings.HasPrefix(key, "php_value") || strings.HasPrefix(key, "php_admin_value") || strings.HasPrefix(key, "php_flag") || strings.HasPrefix(key, "php_admin_flag"):
		if strings.Contains(key, "memory_limit") {
			return "PHP's memory_limit fails one request, not the worker: model it with the class's error rate"
		}
		return "PHP's own settings are not modelled"
	case key == "request_slowlog_timeout" || key == "slowlog" || key == "access.log" || key == "access.format":
		return "logging is not modelled"
	case strings.HasPrefix(key, "env["):
		return "the workers' environment is not modelled"
	case strings.HasPrefix(key, "rlimit_"):
		return "resource limits are not modelled"
	case key == "pm.status_path" || key == "ping.path" || key == "ping.response":
		return "status and ping pages are not modelled"
	}
	return "poolsim's php-fpm preset has no such setting"
}
