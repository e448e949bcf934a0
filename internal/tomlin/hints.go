package tomlin

import (
	"bytes"
	"strings"
)

// A TOML redefinition error ("Key 'php_fpm.pm' has already been defined.")
// comes from the decoder before poolsim sees any key. When it is php-fpm's
// own dotted key name copied from www.conf (pm = "static" and then
// pm.max_children = 4 under [php_fpm]), the message gets the name
// [php_fpm] uses (docs/model.md, "php-fpm"; scenario.PHPFPMKeyHint says the
// same once the file parses).

// redefinitionHint returns what to add to the decoder's message msg about
// line (1-based) of data, or "".
func redefinitionHint(msg string, data []byte, line int) string {
	key, ok := strings.CutPrefix(msg, "Key '")
	if !ok {
		return ""
	}
	key, ok = strings.CutSuffix(key, "' has already been defined.")
	if !ok {
		return ""
	}
	var prefix string
	for _, p := range []string{"pm", "listen"} {
		if key == "php_fpm."+p || strings.HasSuffix(key, ".php_fpm."+p) {
			prefix = p
		}
	}
	if prefix == "" || line < 1 {
		return ""
	}
	lines := bytes.Split(data, []byte("\n"))
	if line > len(lines) {
		return ""
	}
	// The statement's key: the text before '=', its last two parts.
	stmt, _, _ := strings.Cut(string(lines[line-1]), "=")
	parts := strings.Split(strings.TrimSpace(stmt), ".")
	for i := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(parts[i]), `"'`)
	}
	if len(parts) < 2 || parts[len(parts)-2] != prefix {
		return ""
	}
	sub := parts[len(parts)-1]
	ours := sub
	if prefix == "listen" {
		ours = "listen_" + sub
	}
	return "php-fpm's " + prefix + "." + sub + " is written " + ours + " in [php_fpm] (pm.X -> X; listen.backlog -> listen_backlog)"
}
