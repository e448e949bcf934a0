package scenario

import (
	"reflect"
	"slices"
	"strings"
)

// php-fpm's own key names (docs/model.md, "php-fpm"). www.conf writes
// pm.max_children, pm.start_servers, listen.backlog …; [php_fpm] spells them
// without the "pm." prefix (pm.X is X) and with an underscore for listen's
// (listen.backlog is listen_backlog), since in TOML pm.max_children would
// make pm a table while pm itself is a string. An operator who copies
// www.conf gets the [php_fpm] name for each such key.

// phpFPMPrefixes are the www.conf prefixes whose keys [php_fpm] renames.
var phpFPMPrefixes = []string{"pm", "listen"}

// PHPFPMKeyHint is the hint for php-fpm's dotted key name (such as
// "pm.max_children"): "" when name is not one.
func PHPFPMKeyHint(name string) string {
	prefix, rest, ok := strings.Cut(name, ".")
	if !ok || !slices.Contains(phpFPMPrefixes, prefix) {
		return ""
	}
	known, _ := tomlFields(reflect.TypeFor[PHPFPM]())
	ours := rest
	if prefix == "listen" {
		ours = "listen_" + rest
	}
	rule := " (pm.X -> X; listen.backlog -> listen_backlog)"
	if !slices.Contains(known, ours) {
		return "php-fpm's " + name + " has no [php_fpm] key: it is not modelled" + rule
	}
	return "php-fpm's " + name + " is written " + ours + " in [php_fpm]" + rule
}

// phpFPMDotted reports the keys of a table written under [php_fpm] as
// php-fpm's dotted names (pm.max_children = 4 makes php_fpm.pm a table),
// each with its [php_fpm] name, and says whether it did.
func (d *scenarioDecoder) phpFPMDotted(path []string, key string, v any) bool {
	sub, isTable := v.(map[string]any)
	if len(path) != 1 || path[0] != "php_fpm" || !isTable || !slices.Contains(phpFPMPrefixes, key) {
		return false
	}
	for _, k := range d.orderedKeys(join(path, key), sub) {
		d.errorf(join(path, key, k), valueText(sub[k]), "%s", PHPFPMKeyHint(key+"."+k))
	}
	return true
}
