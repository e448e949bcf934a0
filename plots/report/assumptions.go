package report

import (
	"html/template"
	"strings"

	"github.com/poolsim/poolsim/internal/tomlin"
	scn "github.com/poolsim/poolsim/model/scenario"
)

// Assumption is a value of the scenario that is poolsim's assumption rather
// than a setting of the server modelled, with the reason it is one.
type Assumption struct {
	Key, Value, Why string
	// Written is true when the scenario file sets it; false when it is
	// poolsim's default.
	Written bool
}

// Assumptions lists the assumptions in effect in a scenario (the model's
// own list, scenario.Assumptions) with their values; source is the scenario
// file, to tell which it writes and which are poolsim's defaults.
func Assumptions(sc *scn.Scenario, source []byte) []Assumption {
	written := writtenKeys(source)
	var out []Assumption
	for _, a := range scn.Assumptions(sc) {
		out = append(out, Assumption{Key: a.Key, Value: a.Value, Why: a.Why, Written: written[a.Key] > 0})
	}
	return out
}

// writtenKeys maps each dotted key the TOML source sets to the line it is
// set on (1-based), as the input front end reads it; a file that does not
// parse sets none.
func writtenKeys(source []byte) map[string]int {
	keys := map[string]int{}
	doc, err := tomlin.Parse("scenario.toml", source, tomlin.EmptyInput)
	if err != nil {
		return keys
	}
	for _, k := range doc.Keys {
		if !k.Header && k.Line > 0 {
			keys[strings.Join(k.Path, ".")] = k.Line
		}
	}
	return keys
}

// markedSource returns the TOML source as HTML with the lines that set an
// assumption of sc highlighted.
func markedSource(sc *scn.Scenario, source []byte) template.HTML {
	marked := map[int]bool{}
	written := writtenKeys(source)
	for _, a := range scn.Assumptions(sc) {
		if n := written[a.Key]; n > 0 {
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
