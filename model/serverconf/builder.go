package serverconf

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/poolsim/poolsim/model/scenario"
)

// Result is an imported scenario.
type Result struct {
	Server   string   // iis | php-fpm | gunicorn
	Pool     string   // the pool imported
	Text     []byte   // the scenario
	Warnings []string // "FILE:LINE: setting: why it is not modelled"
}

// PoolsError is a configuration with several pools and no choice among
// them.
type PoolsError struct {
	File  string
	Pools []string
}

func (e *PoolsError) Error() string {
	return fmt.Sprintf("%s has %d pools (%s): choose one with --pool NAME", e.File, len(e.Pools), strings.Join(e.Pools, ", "))
}

// builder collects the scenario's values, each with its source, and the
// warnings.
type builder struct {
	file     string
	top      []entry
	tables   map[string][]entry
	warnings []string
	lines    []int // of the warnings
}

type entry struct{ key, value, comment string }

// mapping is where a server's setting goes: the scenario key it sets and
// how its value is read (each server has its own kinds of values).
type mapping[K any] struct {
	key  string
	kind K
}

func newBuilder(file string) *builder {
	return &builder{file: file, tables: map[string][]entry{}}
}

// set writes key = value (TOML text) into table ("" for the top level),
// replacing an earlier value, with where it came from.
func (b *builder) set(table, key, value, source string) {
	list := &b.top
	if table != "" {
		l := b.tables[table]
		list = &l
		defer func() { b.tables[table] = l }()
	}
	for i := range *list {
		if (*list)[i].key == key {
			(*list)[i] = entry{key, value, source}
			return
		}
	}
	*list = append(*list, entry{key, value, source})
}

// where is "FILE:LINE", or FILE for line 0.
func (b *builder) where(line int) string {
	if line > 0 {
		return fmt.Sprintf("%s:%d", b.file, line)
	}
	return b.file
}

func (b *builder) warnf(line int, format string, a ...any) {
	b.warnings = append(b.warnings, b.where(line)+": "+fmt.Sprintf(format, a...))
	b.lines = append(b.lines, line)
}

// sortWarnings orders the warnings by line (stable within a line); call
// it once all are in.
func (b *builder) sortWarnings() []string {
	idx := make([]int, len(b.warnings))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return b.lines[idx[i]] < b.lines[idx[j]] })
	out := make([]string, len(idx))
	for i, k := range idx {
		out[i] = b.warnings[k]
	}
	b.warnings = out
	return out
}

func quote(s string) string { return scenario.QuoteString(s) }

// clean makes s safe in a TOML comment: control characters become '?'.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if (r < ' ' && r != '\t') || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}

// text writes the scenario: a header, the top-level keys, the tables in
// order, the warnings as comments, and the placeholder workload.
func (b *builder) text(header string) []byte {
	var o bytes.Buffer
	for _, l := range strings.Split(strings.TrimSpace(header), "\n") {
		o.WriteString("# " + clean(l) + "\n")
	}
	if len(b.warnings) > 0 {
		o.WriteString("#\n# Not modelled (poolsim import warned):\n")
		for _, w := range b.warnings {
			o.WriteString("#   " + clean(w) + "\n")
		}
	}
	o.WriteString("\n")
	writeEntries(&o, b.top)
	names := make([]string, 0, len(b.tables))
	for n := range b.tables {
		names = append(names, n)
	}
	sort.Strings(names) // "pool" before "pool.ping": parents first
	for _, n := range names {
		o.WriteString("\n[" + n + "]\n")
		writeEntries(&o, b.tables[n])
	}
	o.WriteString("\n" + scenario.WorkloadMarker + ": a placeholder; \"poolsim fit LOG... --base THIS_FILE\" replaces it with one fitted to the logs ----\n")
	o.WriteString("[classes.page]\nservice = { dist = \"lognormal\", mean = \"50ms\", cv = 1.0 }   # placeholder\n\n")
	o.WriteString("[clients.users]\nkind = \"poisson\"\nrate = 5.0   # placeholder: requests per second\n")
	return o.Bytes()
}

func writeEntries(o *bytes.Buffer, es []entry) {
	width := 0
	for _, e := range es {
		width = max(width, len(e.key)+3+len(e.value))
	}
	for _, e := range es {
		kv := e.key + " = " + e.value
		fmt.Fprintf(o, "%-*s   # %s\n", width, kv, clean(e.comment))
	}
}
