package report

import (
	"fmt"
	"html/template"
	"reflect"
	"strings"

	"github.com/poolsim/poolsim/model"
)

// Assumption is a value of the scenario that is poolsim's assumption rather
// than a setting of the server modelled, with the reason it is one.
type Assumption struct {
	Key, Value, Why string
	// Written is true when the scenario file sets it; false when it is
	// poolsim's default.
	Written bool
}

// assumptionKeys are the scenario keys whose values are poolsim's
// assumptions (the README's scenario table says why each is one). When
// the model states its assumptions itself, this list should come from it.
var assumptionKeys = []struct{ key, why string }{
	{"pool.threads", "IIS has no such setting: poolsim's limit on the requests one worker executes at once"},
	{"pool.dispatch", "how requests are spread over the workers of a web garden is not documented"},
	{"pool.start_mode", "when the first worker starts (IIS startMode) as poolsim models it"},
	{"pool.ping.answered_while_hung", "IIS does not document whether a worker whose threads all hang still answers pings"},
	{"pool.rapid_fail.window", "IIS does not document whether the failure window slides or is fixed"},
}

// Assumptions lists the assumptions of a scenario with their values as
// decoded; source is the scenario file, to tell which it writes. A key the
// scenario contract does not have (yet) is left out.
func Assumptions(sc *model.Scenario, source []byte) []Assumption {
	written := writtenKeys(source)
	var out []Assumption
	for _, a := range assumptionKeys {
		v, ok := valueAt(reflect.ValueOf(sc), strings.Split(a.key, "."))
		if !ok {
			continue
		}
		out = append(out, Assumption{Key: a.key, Value: v, Why: a.why, Written: written[a.key] > 0})
	}
	return out
}

// valueAt finds the field a dotted key names by the toml tags of the
// scenario's structs, and formats its value as TOML would.
func valueAt(v reflect.Value, path []string) (string, bool) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "", false
		}
		v = v.Elem()
	}
	if len(path) == 0 {
		switch x := v.Interface().(type) {
		case string:
			return model.QuoteString(x), true
		case fmt.Stringer:
			return model.QuoteString(x.String()), true
		}
		return fmt.Sprint(v.Interface()), true
	}
	if v.Kind() != reflect.Struct {
		return "", false
	}
	t := v.Type()
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("toml"), ","); name == path[0] {
			return valueAt(v.Field(i), path[1:])
		}
	}
	return "", false
}

// writtenKeys maps each dotted key the TOML source sets to the line it is
// set on (1-based), from its [table] headers and key = value lines.
func writtenKeys(source []byte) map[string]int {
	keys := map[string]int{}
	table := ""
	for i, line := range strings.Split(string(source), "\n") {
		l := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(l, "[["):
			table = strings.Trim(strings.TrimSpace(strings.Trim(l, "[]")), `"`)
		case strings.HasPrefix(l, "["):
			end := strings.Index(l, "]")
			if end > 0 {
				table = strings.ReplaceAll(strings.TrimSpace(l[1:end]), `"`, "")
			}
		case l == "" || strings.HasPrefix(l, "#"):
		default:
			k, _, ok := strings.Cut(l, "=")
			if !ok {
				continue
			}
			k = strings.ReplaceAll(strings.TrimSpace(k), `"`, "")
			if table != "" {
				k = table + "." + k
			}
			keys[k] = i + 1
		}
	}
	return keys
}

// markedSource returns the TOML source as HTML with the lines that set an
// assumption highlighted.
func markedSource(source []byte) template.HTML {
	marked := map[int]bool{}
	written := writtenKeys(source)
	for _, a := range assumptionKeys {
		if n := written[a.key]; n > 0 {
			marked[n] = true
		}
	}
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimRight(string(source), "\n"), "\n") {
		esc := template.HTMLEscapeString(line)
		if marked[i+1] {
			b.WriteString(`<mark title="poolsim's assumption, not a server setting">` + esc + "</mark>  ← assumption\n")
			continue
		}
		b.WriteString(esc + "\n")
	}
	return template.HTML(b.String())
}
