package serverconf

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

var (
	iniSection = regexp.MustCompile(`(?m)^\s*\[[^\]=]+\]\s*$`)
	// phpKeys are keys that every php-fpm file has one of.
	phpKeys = regexp.MustCompile(`(?m)^\s*(pm|pm\.[a-z_]+|listen|user|group|include|pid|error_log|emergency_restart_threshold|request_terminate_timeout)\s*=`)
	// poolsimTables are tables of a poolsim scenario.
	poolsimTables = regexp.MustCompile(`(?m)^\s*\[(pool|classes\.[^\]]+|clients\.[^\]]+)\]\s*$`)
)

// Format names the kind of configuration in data: "iis", "php-fpm",
// "gunicorn", or "" when it is none of them.
func Format(data []byte) string {
	if looksLikeXML(data) {
		return "iis"
	}
	if _, _, ok := findGunicornCommand(data); ok {
		return "gunicorn" // before INI: a systemd unit has [Service]
	}
	if iniSection.Match(data) { // INI or TOML: not Python
		if phpKeys.Match(data) {
			return "php-fpm"
		}
		return ""
	}
	for _, l := range strings.Split(string(data), "\n") {
		if m := pyAssign.FindStringSubmatch(strings.TrimSpace(l)); m != nil && l == strings.TrimLeft(l, " \t") {
			if _, ok := gunicornMapped[m[1]]; ok {
				return "gunicorn"
			}
			if _, ok := gunicornWhy[m[1]]; ok {
				return "gunicorn"
			}
		}
	}
	return ""
}

// Import reads configuration files (their names and contents) and returns
// the scenario of the pool named pool, or of the only pool; with several
// pools and no name, a *PoolsError lists them. Several files are allowed
// for php-fpm (php-fpm.conf and its pool files, in that order).
func Import(files []string, datas [][]byte, pool string) (*Result, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("no configuration file")
	}
	formats := make([]string, len(files))
	for i, data := range datas {
		if len(bytes.TrimSpace(data)) == 0 {
			return nil, fmt.Errorf("%s: empty file: not a configuration", files[i])
		}
		if bytes.IndexByte(data, 0) >= 0 {
			return nil, fmt.Errorf("%s: binary data (a NUL byte): not a configuration file", files[i])
		}
		formats[i] = Format(data)
		if formats[i] == "" && poolsimTables.Match(data) {
			return nil, fmt.Errorf("%s: a poolsim scenario, not a server configuration: run it with \"poolsim run %s\"", files[i], files[i])
		}
		if formats[i] == "" {
			return nil, fmt.Errorf("%s: not a configuration poolsim imports: want IIS's applicationHost.config (XML), a php-fpm pool file (INI with a [pool] section) or a gunicorn configuration (name = value, or a gunicorn command line)", files[i])
		}
		if i > 0 && (formats[i] != "php-fpm" || formats[0] != "php-fpm") {
			return nil, fmt.Errorf("%s: one configuration at a time (several files only for php-fpm: php-fpm.conf and its pool files); %s is %s", files[i], files[0], formats[0])
		}
	}
	switch formats[0] {
	case "iis":
		return importIIS(files[0], datas[0], pool)
	case "php-fpm":
		return importPHPFPM(files, datas, pool)
	}
	if pool != "" {
		return nil, fmt.Errorf("%s: a gunicorn configuration has one pool of workers: --pool is for IIS and php-fpm", files[0])
	}
	return importGunicorn(files[0], datas[0], nil)
}

// ImportGunicornArgs imports a gunicorn command line, such as
// ["gunicorn", "-w", "4", "app:app"].
func ImportGunicornArgs(args []string) (*Result, error) {
	if len(args) > 0 && args[0][strings.LastIndex(args[0], "/")+1:] == "gunicorn" {
		args = args[1:]
	}
	return importGunicorn("command line", nil, args)
}
